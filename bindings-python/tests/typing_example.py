"""A typed script against the rollgate stubs; tests/run checks it with mypy --strict."""

from __future__ import annotations

import rollgate
from rollgate import Plan


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


if __name__ == "__main__":
    main()
