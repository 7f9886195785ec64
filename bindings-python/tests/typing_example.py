"""A typed script against the rollgate stubs; tests/run checks it with mypy --strict."""

from __future__ import annotations

import rollgate
from typing import TYPE_CHECKING

from rollgate import Plan

if TYPE_CHECKING:
    from rollgate import CanaryConfig, CanaryVerdict, MetricData


def critical_services(plan: Plan) -> list[str]:
    order = rollgate.order_services(plan)
    return order["critical_path"]["path"]


def main() -> None:
    plan: Plan = {
        "name": "shop",
        "services": [
            {"id": "db", "deploy_duration": "10m", "stateful": True},
            {"id": "api", "depends_on": ["db"], "deploy_duration": 300},
        ],
    }
    print(critical_services(plan))
    radius = rollgate.blast_radius(plan, ["db"])
    print(radius["services"][0]["dependent_count"])
    schedule = rollgate.schedule_services(plan, 2)
    print(schedule["makespan_seconds"])
    try:
        rollgate.order_services({"name": "bad", "services": [{"id": "a", "depends_on": ["a"]}]})
    except rollgate.InvalidPlanError as err:
        print(err.code, err.path, err.cycle)
    canary()



def canary() -> CanaryVerdict:
    config: CanaryConfig = {
        "metrics": [
            {"name": "latency", "direction": "increase", "kind": "continuous"},
            {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
        ],
        "thresholds": {"pass": 95, "marginal": 75},
        "correction": "holm",
    }
    data: dict[str, MetricData] = {
        "latency": {"baseline": [10.0, 11.0, 12.0], "canary": [10.5, 11.5, 12.5]},
        "errors": {"baseline": {"events": 0, "trials": 1000}, "canary": {"events": 1, "trials": 1000}},
    }
    verdict = rollgate.judge_canary(config, data)
    print(verdict["decision"], verdict["score"], verdict["metrics"]["latency"]["p_value"])
    mw = rollgate.mann_whitney([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], alternative="less", confidence=0.9)
    low: float | None = mw["ci"][0]
    print(mw["p_value"], mw["estimate"], low)
    prop = rollgate.compare_proportions(3, 1000, 0, 1000, "greater")
    print(prop["p_value"], prop["ratio"])
    print(rollgate.compare_rates(5, 0.1, 0, 0.9)["ci"])
    print(rollgate.adjust_p_values([0.01, 0.04], "bh"))
    print(rollgate.quantile_ci([1.0, 2.0, 3.0], 0.5)["estimate"])
    seq = rollgate.sequential_count_test([[3, 9], [8, 14]], 0.1)
    print(seq["reject"], seq["first_rejection"])
    try:
        rollgate.mann_whitney([1.0, float("nan")], [1.0])
    except rollgate.InvalidCanaryError as err:
        print(err.code, err.path, err.index)
    return verdict


if __name__ == "__main__":
    main()
