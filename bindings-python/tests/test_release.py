"""The release controller from Python: a release driven to completion, a bad
canary rolled back, every error family, and a state saved in Python that
Node continues (tests/fixtures/release_handoff.json, checked here to be what
Python produces now and continued by bindings-node/__test__/release.test.js)."""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any

import pytest

import rollgate
from rollgate import (
    InvalidCalendarError,
    InvalidPlanError,
    InvalidReleaseError,
    RollgateError,
)

HANDOFF = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "release_handoff.json"

PLAN: dict[str, Any] = {
    "name": "shop",
    "services": [{"id": "db", "deploy_duration": "4m"}, {"id": "api", "depends_on": ["db"], "deploy_duration": "3m"}],
    "regions": [{"id": "canary", "tier": "canary", "traffic_share": 0.05}, {"id": "eu", "traffic_share": 0.95}],
    "rollout": {
        "bake_time": "10m",
        "analysis": {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "critical": True}]},
    },
}


def step(kind: str, region: str, service: str, at: str, outcome: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": kind, "region": region, "service": service, "at": at}
    if outcome:
        event["outcome"] = outcome
    return event


def deploys(update: Any) -> list[tuple[str, str]]:
    return [(s["service"], s["region"]) for a in update["actions"] if a["type"] == "deploy" for s in a["steps"]]


def test_a_release_runs_to_completion_with_checks_and_verdicts() -> None:
    plan = copy.deepcopy(PLAN)
    plan["rollout"]["analysis"]["metrics"][0]["allowed_increase"] = 1.5
    state = rollgate.start_release(plan, "2026-11-24T09:00:00Z")
    assert state["version"] == 1 and state["status"] == "waiting"
    u = rollgate.advance_release(plan, state, [], "2026-11-24T09:00:00Z")
    assert (u["status"], deploys(u)) == ("deploying", [("db", "canary")])
    u = rollgate.advance_release(plan, u["state"], [step("step_started", "canary", "db", "2026-11-24T09:00:00Z"),
                                                    step("step_finished", "canary", "db", "2026-11-24T09:04:00Z", "succeeded")],
                                 "2026-11-24T09:04:00Z")
    assert deploys(u) == [("api", "canary")]
    # Equal error rates in plenty: after the watch's 10-minute bake it rules
    # out harm beyond 1.5 and promotes.
    good = {"errors": {"baseline": {"events": 500, "trials": 100_000}, "canary": {"events": 500, "trials": 100_000}}}
    events = [step("step_started", "canary", "api", "2026-11-24T09:04:00Z"),
              step("step_finished", "canary", "api", "2026-11-24T09:07:00Z", "succeeded")]
    events += [{"type": "metrics", "region": "canary", "at": f"2026-11-24T09:{m:02d}:00Z", "batch": good} for m in (8, 12, 18)]
    events += [{"type": "check", "check": c, "passed": True, "at": "2026-11-24T09:17:00Z"} for c in ("alarms_clear", "health", "smoke")]
    u = rollgate.advance_release(plan, u["state"], events, "2026-11-24T09:18:00Z")
    assert u["status"] == "deploying", u["reasons"]
    assert [r["code"] for r in u["reasons"]][:3] == ["wave_deployed", "gate_passed", "wave_started"]
    assert deploys(u) == [("db", "eu")]
    record = rollgate.append_change_record(None, u["record"])
    assert record["kind"] == "release" and record["outputs"]["status"] == "deploying"


def test_a_bad_canary_rolls_back_and_escalates_nothing_without_rules() -> None:
    state = rollgate.start_release(PLAN, "2026-11-24T09:00:00Z")
    u = rollgate.advance_release(PLAN, state, [], "2026-11-24T09:00:00Z")
    bad = {"errors": {"baseline": {"events": 10}, "canary": {"events": 60}}}
    u = rollgate.advance_release(PLAN, u["state"], [
        step("step_started", "canary", "db", "2026-11-24T09:00:00Z"),
        {"type": "metrics", "region": "canary", "at": "2026-11-24T09:02:00Z", "batch": bad}], "2026-11-24T09:02:00Z")
    assert u["status"] == "rolling_back"
    assert [a["type"] for a in u["actions"]] == ["roll_back"]
    plan = u["actions"][0]["plan"]
    assert plan["undo"] == [{"service": "db", "region": "canary", "stage": "full", "wave": 1, "state": "in_flight"}]
    assert [r["code"] for r in u["reasons"]] == ["rollback_verdict"]


def test_release_errors_name_their_family() -> None:
    state = rollgate.start_release(PLAN, "2026-11-24T09:00:00Z")
    state = rollgate.advance_release(PLAN, state, [], "2026-11-24T09:00:00Z")["state"]
    with pytest.raises(InvalidReleaseError) as info:
        rollgate.advance_release(PLAN, state, [step("step_finished", "canary", "db", "2026-11-24T09:01:00Z", "succeeded")],
                                 "2026-11-24T09:01:00Z")
    assert (info.value.code, info.value.path, info.value.event) == ("invalid_event", "events/0", "step_finished")
    assert isinstance(info.value, ValueError)
    other = {**PLAN, "name": "another"}
    with pytest.raises(InvalidReleaseError) as info:
        rollgate.advance_release(other, state, [], "2026-11-24T09:01:00Z")
    assert (info.value.code, info.value.path) == ("incompatible_state", "state/fingerprint")
    with pytest.raises(InvalidReleaseError) as info:
        rollgate.advance_release(PLAN, {**state, "waves": "none"}, [], "2026-11-24T09:01:00Z")
    assert (info.value.code, info.value.path) == ("incompatible_state", "state/waves")
    with pytest.raises(InvalidPlanError) as info:
        rollgate.advance_release(PLAN, state, [step("step_started", "mars", "db", "2026-11-24T09:01:00Z")], "2026-11-24T09:01:00Z")
    assert (info.value.code, info.value.region) == ("unknown_step", "mars")
    with pytest.raises(InvalidCalendarError) as info:
        rollgate.advance_release(PLAN, state, [], "2026-11-24T08:00:00Z")
    assert (info.value.code, info.value.path) == ("invalid_timestamp", "now")
    with pytest.raises(InvalidReleaseError) as info:
        rollgate.render_notification("incident", {"release": "shop"})
    assert (info.value.code, info.value.placeholder) == ("unknown_placeholder", "severity")
    with pytest.raises(RollgateError) as err:
        rollgate.start_release(PLAN, "2026-11-24T09:00:00Z", {"approval_waves": [0]})
    assert (err.value.code, err.value.path) == ("invalid_input", "options/approval_waves/0")


def test_readiness_from_python() -> None:
    change = {"id": "CHG-1", "author": "ana", "services": ["api"], "lines_added": 10}
    ready = rollgate.evaluate_release_readiness(PLAN, change, {"start": "2026-11-24T10:00:00Z", "block_at": "low"})
    assert ready["decision"] == "no_go"
    assert [r["code"] for r in ready["blocking"]] == ["risk_too_high"]


def handoff() -> dict[str, Any]:
    """A release two calls in, saved by Python, and the next call for Node."""
    state = rollgate.start_release(PLAN, "2026-11-24T09:00:00Z")
    u = rollgate.advance_release(PLAN, state, [], "2026-11-24T09:00:00Z")
    u = rollgate.advance_release(PLAN, u["state"], [step("step_started", "canary", "db", "2026-11-24T09:00:05Z"),
                                                    step("step_finished", "canary", "db", "2026-11-24T09:04:00Z", "succeeded")],
                                 "2026-11-24T09:04:00Z")
    events = [step("step_started", "canary", "api", "2026-11-24T09:04:10Z"),
              {"type": "metrics", "region": "canary", "at": "2026-11-24T09:05:00Z",
               "batch": {"errors": {"baseline": {"events": 10}, "canary": {"events": 60}}}}]
    after = rollgate.advance_release(PLAN, u["state"], events, "2026-11-24T09:05:00Z")
    return {"plan": PLAN, "state": u["state"], "events": events, "now": "2026-11-24T09:05:00Z",
            "expected": {"status": after["status"], "actions": after["actions"], "reasons": after["reasons"],
                         "record": after["record"]}}


def test_the_handoff_fixture_is_what_python_saves_now() -> None:
    produced = json.loads(json.dumps(handoff()))
    stored = json.loads(HANDOFF.read_text())
    assert produced == stored, "re-write tests/fixtures/release_handoff.json with `python -m tests.test_release` semantics"


if __name__ == "__main__":
    HANDOFF.write_text(json.dumps(handoff(), indent=1) + "\n")
