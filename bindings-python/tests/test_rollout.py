"""Multi-region rollout from Python: happy paths and every error code."""

from __future__ import annotations

from typing import Any

import pytest

import rollgate

SERVICES = [
    {"id": "db", "deploy_duration": "10m", "migration": {"phase": "expand", "reversible": True}},
    {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"},
]


def plan(regions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"name": "shop", "services": SERVICES, "regions": regions, **extra}


PLAN = plan(
    [
        {"id": "canary", "tier": "canary", "traffic_share": 0.05},
        {"id": "east", "traffic_share": 0.5, "pair": "west"},
        {"id": "west", "traffic_share": 0.4, "pair": "east"},
    ],
    rollout={"bake_time": "1h", "min_bake_samples": 200},
)
START = "2026-11-24T09:00:00Z"


def test_schedule_rollback_and_gantt() -> None:
    schedule = rollgate.schedule_rollout(PLAN, START)
    assert [w["regions"] for w in schedule["waves"]] == [["canary"], ["west"], ["east"]]
    assert schedule["total_duration_seconds"] == 3 * (15 * 60 + 3600)
    assert schedule["waves"][0]["gate"]["min_bake_samples"] == 200
    rollback = rollgate.rollback_plan(schedule, {"region": "east", "service": "api"})
    assert rollback["recommendation"] == "roll_back"
    assert [(s["service"], s["region"]) for s in rollback["undo"]][:2] == [("api", "east"), ("db", "east")]
    gantt = rollgate.to_mermaid_gantt(schedule)
    assert gantt.startswith("gantt\n") and "section Wave 3" in gantt


@pytest.mark.parametrize(
    ("regions", "extra", "code", "path"),
    [
        ([{"id": "a", "pair": "zz"}], {}, "unknown_region", "/regions/0/pair"),
        ([{"id": "a", "pair": "b"}, {"id": "b"}], {}, "asymmetric_pair", "/regions/0/pair"),
        ([{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]}], {}, "region_cycle", "/regions/0/depends_on/0"),
        ([{"id": "a", "traffic_share": 1.5}], {}, "invalid_traffic_share", "/regions/0/traffic_share"),
        ([{"id": "a", "calendar": "x"}], {}, "unknown_calendar", "/regions/0/calendar"),
        ([], {}, "invalid_input", "/regions"),
    ],
)
def test_plan_errors(regions: list[dict[str, Any]], extra: dict[str, Any], code: str, path: str) -> None:
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.schedule_rollout(plan(regions, **extra), START)
    assert (info.value.code, info.value.path) == (code, path)


def test_contract_dependency() -> None:
    bad = {
        "name": "p",
        "services": [{"id": "drop", "migration": {"phase": "contract"}}, {"id": "app", "depends_on": ["drop"]}],
        "regions": [{"id": "a"}],
    }
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.schedule_rollout(bad, START)
    assert info.value.code == "contract_dependency"
    assert info.value.migration == "drop"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "start", "code", "path"),
    [
        ({"calendars": {"c": {"time_zone": "Atlantis"}}}, START, "invalid_time_zone", "/calendars/c/time_zone"),
        ({"calendars": {"c": {"allow": [{"start": "09:00", "end": "09:00"}]}}}, START, "invalid_window", "/calendars/c/allow/0"),
        ({}, "tomorrow", "invalid_timestamp", "start"),
        (
            {"calendar": "c", "calendars": {"c": {"allow": [{"start": "09:00", "end": "09:05"}]}}},
            START,
            "window_too_short",
            "/calendar",
        ),
        (
            {"calendar": "c", "calendars": {"c": {"deny": [{"from": "2026-01-01T00:00:00Z", "to": "2029-01-01T00:00:00Z"}]}}},
            START,
            "no_window_within_horizon",
            "/calendar",
        ),
    ],
)
def test_calendar_errors(extra: dict[str, Any], start: str, code: str, path: str) -> None:
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.schedule_rollout(plan([{"id": "a"}], **extra), start)
    assert (info.value.code, info.value.path) == (code, path)


def test_rollback_errors() -> None:
    schedule = rollgate.schedule_rollout(PLAN, START)
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.rollback_plan(schedule, {"region": "mars", "service": "api"})
    assert (info.value.code, info.value.path) == ("unknown_step", "halted_at")
    with pytest.raises(rollgate.InvalidCalendarError) as cal:
        rollgate.rollback_plan(schedule, "soon")
    assert (cal.value.code, cal.value.path) == ("invalid_timestamp", "halted_at")


def test_reasons_share_one_shape() -> None:
    schedule = rollgate.schedule_rollout(PLAN, START)
    pair = schedule["waves"][1]["reasons"][1]
    assert pair["code"] == "pair_separated"
    assert pair["subjects"] == ["east", "west"]
    assert set(pair) == {"code", "message", "subjects"}
    growth = schedule["waves"][1]["reasons"][0]
    assert growth["evidence"] == {"growth_factor": 2.0, "target_size": 2}


def test_a_wave_never_mixes_tiers() -> None:
    # Issue 9: the standard regions went into the pilot's wave.
    regions = [
        {"id": "c", "tier": "canary", "traffic_share": 0.02},
        {"id": "p", "tier": "pilot", "traffic_share": 0.05},
        {"id": "s1", "traffic_share": 0.03},
        {"id": "s2", "traffic_share": 0.2},
    ]
    schedule = rollgate.schedule_rollout(plan(regions), START)
    assert [w["regions"] for w in schedule["waves"]] == [["c"], ["p"], ["s1", "s2"]]
    assert [r["code"] for r in schedule["waves"][1]["reasons"]] == ["growth", "tier_order"]


def test_a_wait_across_a_freeze_names_it() -> None:
    # Issue 13: the wait named only the closed allow window.
    calendar = {
        "time_zone": "America/New_York",
        "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
        "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"}],
    }
    p = plan([{"id": "a", "calendar": "nyc"}], calendars={"nyc": calendar})
    wait = rollgate.schedule_rollout(p, "2026-12-18T10:00:00-05:00")["waves"][0]["waits"][0]
    assert wait["until"] == "2027-01-04T09:00:00-05:00"
    assert [(r["code"], r["subjects"]) for r in wait["reasons"]] == [("outside_allow", []), ("deny_window", ["deny/0"])]
    assert "year-end freeze" in wait["reasons"][1]["message"]


def test_a_missing_deploy_duration_is_a_finding() -> None:
    p = {"name": "p", "services": [{"id": "api", "deploy_duration": "5m"}, {"id": "config"}], "regions": [{"id": "a"}]}
    findings = rollgate.schedule_rollout(p, START)["findings"]
    assert [(f["code"], f["subjects"]) for f in findings] == [("zero_deploy_duration", ["config"])]


def test_first_wave_errors_name_the_policy() -> None:
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.schedule_rollout(plan([{"id": "a"}], rollout={"first_wave": ["zz"]}), START)
    assert (info.value.code, info.value.path) == ("unknown_region", "/rollout/first_wave/0")
    assert str(info.value).endswith("`rollout.first_wave` names unknown region `zz`")
    assert info.value.details["region"] is None


def test_a_bad_day_in_a_plan_calendar_is_a_calendar_error() -> None:
    # Issue 13: a bad day name raised InvalidPlanError, a bad time InvalidCalendarError.
    p = plan([{"id": "a"}], calendars={"c": {"allow": [{"days": ["someday"], "start": "09:00", "end": "10:00"}]}})
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.schedule_rollout(p, START)
    assert (info.value.code, info.value.path) == ("invalid_input", "/calendars/c/allow/0/days/0")
