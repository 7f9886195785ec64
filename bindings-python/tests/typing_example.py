"""A typed script against the rollgate stubs; tests/run checks it with mypy --strict."""

from __future__ import annotations

import rollgate
from rollgate import Change, ChangeOutcome, ChangeRecord, GovernancePolicy, Plan, ServiceProfile


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



def risk_tour(plan: Plan) -> None:
    change: Change = {
        "id": "CHG-1",
        "author": "ana",
        "services": ["db"],
        "lines_added": 120,
        "has_migration": True,
        "planned_start": "2026-11-28T10:00:00+01:00",
        "approvals": [{"by": "bo", "role": "sre", "at": "2026-11-27T10:00:00Z"}],
        "compliance": ["sox"],
    }
    risk = rollgate.assess_risk(change, plan, None, None, {"window": {"allowed": True, "seconds_to_next_freeze": None}})
    probability: float = risk["probability"]
    total: float = risk["baseline"] + sum(f["contribution"] for f in risk["factors"])
    print(probability, total, risk["level"])
    history: list[ChangeOutcome] = [
        {"change": {"id": "h1", "author": "bo", "services": ["db"], "lines_added": 900}, "failed": True},
        {"change": {"id": "h2", "author": "bo", "services": ["db"], "lines_added": 3}, "failed": False},
    ]
    model = rollgate.fit_risk_model(history, {"factors": ["lines_added"], "l2": 1.0})
    model = rollgate.update_risk_model(model, history)
    report = rollgate.evaluate_risk_model(model, history)
    print(report["brier"], [p["caught_share"] for p in report["caught_vs_gated"]])
    service: ServiceProfile = {"id": "db", "stateful": True, "spare_capacity": 0.5}
    print(rollgate.recommend_strategy(service, change, risk)["strategy"])
    policy: GovernancePolicy = {
        "rules": [{"levels": ["high", "critical"], "approvals": 2, "cab": True}],
        "compliance": {"sox": {"evidence": ["ticket_link", "approvals"]}},
    }
    decision = rollgate.evaluate_governance(change, policy, risk)
    print(decision["allowed"], [m["code"] for m in decision["missing"]])
    first: ChangeRecord = rollgate.append_change_record(None, {"kind": "risk", "inputs": change, "outputs": risk})
    second = rollgate.append_change_record(first, {"kind": "governance", "inputs": {}, "outputs": decision})
    print(rollgate.verify_change_log([first, second])["valid"])
    try:
        rollgate.assess_risk({"id": "x", "author": "a", "services": [], "lines_added": -1})
    except rollgate.InvalidChangeError as err:
        print(err.code, err.path)


if __name__ == "__main__":
    main()
    risk_tour({"name": "p", "services": [{"id": "db", "stateful": True}]})
