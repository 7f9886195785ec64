"""A typed script against the rollgate stubs; tests/run checks it with mypy --strict."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rollgate

if TYPE_CHECKING:
    # TypedDicts exist in the stubs only.
    from rollgate import (
        Reason,
        Calendar,
        CanaryConfig,
        CanaryVerdict,
        Change,
        ChangeOutcome,
        ChangeRecord,
        Checkpoint,

        Deployment,
        DoraOptions,
        Flag,
        Incident,
        GovernancePolicy,
        MetricData,
        Plan,
        ServiceProfile,
        WatchState,
        WatchUpdate,
    )


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
    calendar_example()
    rollout_example()
    risk_tour(plan)
    delivery_tour()


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
    watch_example(config, data)
    return verdict


def watch_example(config: CanaryConfig, data: dict[str, MetricData]) -> None:
    state: WatchState = rollgate.start_canary_watch(config)
    update: WatchUpdate = rollgate.update_canary_watch(config, state, data, "2026-11-26T09:00:00Z")
    state = update["state"]
    evidence = update["verdict"]["metrics"]["errors"]
    upper: float | None = evidence["ci"][1]
    print(update["verdict"]["decision"], evidence["p_value"], upper, state["looks"])
    # The state and the evidence are tagged by their test.
    errors = state["metrics"]["errors"]
    if errors["test"] == "dirichlet_multinomial":
        events: int = errors["canary"]["events"]
        print(events)
    for name, metric in update["verdict"]["metrics"].items():
        if metric["test"] == "quantile_sequence":
            watched: float | None = metric["quantile"]
            print(name, watched)
        elif metric["test"] == "normal_mixture":
            print(name, metric["effect_kind"], metric["bayes_factor"])


def calendar_example() -> None:
    calendar: Calendar = {
        "time_zone": "Europe/Berlin",
        "allow": [{"days": ["mon", "tue"], "start": "09:00", "end": "16:00"}],
        "deny": [{"from": "2026-12-20T00:00:00+01:00", "to": "2027-01-04T00:00:00+01:00"}],
        "holidays": ["2026-12-25"],
    }
    check = rollgate.check_window(calendar, "2026-11-24T10:00:00+01:00", "1h")
    allowed: bool = check["allowed"]
    start: str | None = check["next_allowed_start"]
    windows: list[str] = [w for r in check["reasons"] for w in r["subjects"]]
    print(windows)
    slot = rollgate.next_window(calendar, "2026-11-24T10:00:00+01:00", 600, "30d")
    print(allowed, start, slot["start"])
    try:
        rollgate.next_window({"time_zone": "Nowhere"}, "2026-11-24T10:00:00Z", "1h")
    except rollgate.InvalidCalendarError as err:
        print(err.code, err.path)


def rollout_example() -> None:
    plan: Plan = {
        "name": "shop",
        "services": [{"id": "api", "deploy_duration": "5m", "migration": {"phase": "expand", "reversible": True}}],
        "regions": [{"id": "eu", "tier": "canary", "traffic_share": 0.1}, {"id": "us", "traffic_share": 0.9}],
        "rollout": {"bake_time": "1h", "max_concurrent_regions": 2},
        "calendars": {"biz": {"time_zone": "UTC", "allow": [{"start": "09:00", "end": "17:00"}]}},
        "calendar": "biz",
    }
    schedule = rollgate.schedule_rollout(plan, "2026-11-24T09:00:00Z")
    for finding in schedule["findings"]:
        print(finding["code"], finding["subjects"], finding.get("evidence", {}))
    for wave in schedule["waves"]:
        print([(r["code"], r["subjects"]) for r in wave["reasons"]])
        for step in wave["steps"]:
            print(wave["number"], step["region"], step["service"], step["start"], step["finish"])
        for wait in wave["waits"]:
            print(wait["from"], wait["until"])
    rollback = rollgate.rollback_plan(schedule, {"region": "us", "service": "api"})
    print(rollback["recommendation"], len(rollback["undo"]))
    print(rollgate.to_mermaid_gantt(schedule))



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
    why: list[Reason] = list(risk["factors"]) + risk["not_assessed"]
    print([r["message"] for r in why])
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
    verified = rollgate.verify_change_log([first, second])
    checkpoint: Checkpoint | None = verified["checkpoint"]
    if checkpoint is not None:
        later = rollgate.append_change_record(second, {"kind": "deployment", "inputs": {}, "outputs": {}})
        print(rollgate.verify_change_log([later], checkpoint)["valid"])
    try:
        rollgate.assess_risk({"id": "x", "author": "a", "services": [], "lines_added": -1})
    except rollgate.InvalidChangeError as err:
        print(err.code, err.path)
    options: rollgate.TestOptions = {"alternative": "greater", "confidence": 0.9}
    print(rollgate.mann_whitney([3.0, 4.0, 5.0], [1.0, 2.0], options)["p_value"])
    print(rollgate.adjust_p_values([0.01, 0.04], None))
    try:
        rollgate.order_services({"name": "p", "services": [{"id": "\ud800"}]})
    except rollgate.InternalError:
        raise
    except rollgate.RollgateError as err:
        print(err.code, err.path)

    environments()


def environments() -> None:
    estate: list[rollgate.EnvironmentSpec] = [
        {"id": "staging", "tier": "staging", "infrastructure": {"engine": "15.6"}},
        {"id": "prod", "tier": "production", "infrastructure": {"engine": "16.4"}},
    ]
    pair = rollgate.check_parity(estate, ["staging", "prod"])["pairs"][0]
    print(pair["from"], pair["parity_score"], [f["class"] for f in pair["findings"]])
    steps = rollgate.plan_migrations([{"version": "1", "checksum": "a"}], [{"environment": "prod"}])["steps"]
    print([(s["round"], s["environment"]) for s in steps])
    access = rollgate.evaluate_access(
        {"requester": "bo", "environment": "prod", "duration": "1h"},
        {"environments": {"prod": {}}}, "2026-03-02T09:00:00Z")
    rollgate.append_change_record(None, access["record"])
    print(rollgate.teardown_candidates(estate, None, "2026-03-02T09:00:00Z")["monthly_cost_saved"])
    iso = rollgate.isolation_plan({"name": "p", "services": [{"id": "a"}]}, ["a"])
    print(iso["deploy_order"])
    try:
        rollgate.check_parity(estate, ["qa"])
    except rollgate.InvalidEnvironmentError as err:
        print(err.code, err.environment)


def delivery_tour() -> None:
    deployments: list[Deployment] = [
        {
            "id": "d1",
            "service": "api",
            "started_at": "2026-03-02T09:00:00Z",
            "finished_at": "2026-03-02T09:20:00Z",
            "status": "succeeded",
            "commits": [{"sha": "a1", "committed_at": "2026-03-01T15:00:00Z"}],
        },
        {
            "id": "d2",
            "service": "api",
            "started_at": "2026-03-03T09:00:00Z",
            "finished_at": "2026-03-03T09:20:00Z",
            "status": "rolled_back",
        },
    ]
    incidents: list[Incident] = [{"id": "i1", "created_at": "2026-03-03T10:00:00Z", "caused_by": ["d2"]}]
    options: DoraOptions = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-09T00:00:00Z", "series": "week"}
    report = rollgate.dora_metrics(deployments, incidents, options)
    median: float | None = report["totals"]["lead_time"]["median_seconds"]
    rating = report["totals"]["tiers"]["lead_time"]
    print(median, rating["tier"] if rating else None, [r["code"] for r in report["totals"]["reasons"]])
    assessment = rollgate.assess_maturity(report["totals"], {"release_checklist": True})
    for area in assessment["areas"]:
        print(area["area"], area["level"], [p["supported_by"] for p in area["next_practices"]])
    flag: Flag = {"key": "new-checkout", "percentage": 25}
    print(rollgate.flag_bucket("new-checkout", "user-1", "unleash"), rollgate.flag_enabled(flag, "user-1")["enabled"])
    exposure = rollgate.flag_exposure(flag, {"count": 100000, "sample": 1000, "seed": 1})
    print(exposure["enabled"]["units"], exposure["enabled"]["interval"])
    try:
        rollgate.dora_metrics(deployments, [{"id": "i", "created_at": "2026-03-03T10:00:00Z", "caused_by": ["zz"]}])
    except rollgate.InvalidDeliveryError as err:
        print(err.code, err.path, err.deployment)


if __name__ == "__main__":
    main()
