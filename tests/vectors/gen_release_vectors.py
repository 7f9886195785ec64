"""Writes tests/vectors/release.json: the release controller's scenario and
single-call vectors.

The inputs are defined here; the expected outputs were produced by running
them through the Python binding and then checked by hand, call by call,
against the rules in core/src/release/mod.rs (each scenario's comment says
what it must show). Re-run after a deliberate behaviour change, and review
the diff of release.json before committing it.

    .venv/bin/python tests/vectors/gen_release_vectors.py
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import rollgate

OUT = pathlib.Path(__file__).with_name("release.json")

TWO_REGIONS = {
    "name": "shop",
    "services": [{"id": "api", "deploy_duration": "5m"}],
    "regions": [
        {"id": "canary", "tier": "canary", "traffic_share": 0.05},
        {"id": "eu", "traffic_share": 0.95},
    ],
    "rollout": {"bake_time": "10m"},
}

WATCHED = {
    "name": "checkout",
    "services": [
        {"id": "db", "deploy_duration": "4m"},
        {"id": "web", "depends_on": ["db"], "deploy_duration": "3m", "customer_facing": True},
    ],
    "regions": [
        {"id": "canary", "tier": "canary", "traffic_share": 0.05},
        {"id": "eu", "traffic_share": 0.45, "pair": "us"},
        {"id": "us", "traffic_share": 0.5, "pair": "eu"},
    ],
    "rollout": {
        "bake_time": "30m",
        "analysis": {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "critical": True}]},
        "escalation": {
            "rules": [{"name": "canary_harm", "verdict": "rollback", "customer_facing": True, "severity": "sev2"}],
            "notify": {"sev2": ["oncall"]},
        },
    },
}

FLAKY = {
    "name": "flaky",
    "services": [{"id": "api", "deploy_duration": "5m"}],
    "regions": [{"id": "eu", "traffic_share": 1.0}],
    "rollout": {"max_failed_steps": 1, "timeout": "10m"},
}

WINDOWED = {
    "name": "windowed",
    "services": [{"id": "api", "deploy_duration": "20m"}],
    "regions": [
        {"id": "canary", "tier": "canary", "traffic_share": 0.1},
        {"id": "eu", "traffic_share": 0.9},
    ],
    "calendars": {"office": {"time_zone": "UTC", "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]}},
    "calendar": "office",
    "rollout": {"bake_time": "30m"},
}

CHECKS = ["alarms_clear", "health", "smoke"]


def started(region: str, service: str, at: str) -> dict[str, Any]:
    return {"type": "step_started", "region": region, "service": service, "at": at}


def finished(region: str, service: str, at: str, outcome: str = "succeeded") -> dict[str, Any]:
    return {"type": "step_finished", "region": region, "service": service, "outcome": outcome, "at": at}


def checks(names: list[str], at: str) -> list[dict[str, Any]]:
    return [{"type": "check", "check": c, "passed": True, "at": at} for c in names]


def errors(region: str, at: str, baseline: int, canary: int) -> dict[str, Any]:
    return {"type": "metrics", "region": region, "at": at,
            "batch": {"errors": {"baseline": {"events": baseline}, "canary": {"events": canary}}}}


SCENARIOS: list[dict[str, Any]] = [
    {
        # Canary wave deploys, bakes 10 minutes from its actual finish, passes
        # its checks (canary_verdict as a check: no analysis), wave 2 opens at
        # once and the release completes.
        "name": "happy path: two waves, checks, bake from the actual finish",
        "plan": TWO_REGIONS, "start": "2026-11-24T09:00:00Z",
        "calls": [
            {"events": [], "now": "2026-11-24T09:00:00Z"},
            {"events": [started("canary", "api", "2026-11-24T09:00:30Z"), finished("canary", "api", "2026-11-24T09:06:00Z")],
             "now": "2026-11-24T09:06:00Z"},
            {"events": checks(CHECKS + ["canary_verdict"], "2026-11-24T09:10:00Z"), "now": "2026-11-24T09:16:00Z"},
            {"events": [started("eu", "api", "2026-11-24T09:16:10Z"), finished("eu", "api", "2026-11-24T09:21:00Z")],
             "now": "2026-11-24T09:21:00Z"},
            {"events": checks(CHECKS, "2026-11-24T09:25:00Z"), "now": "2026-11-24T09:31:00Z"},
            {"events": [], "now": "2026-11-24T09:40:00Z"},
        ],
    },
    {
        # The canary's errors triple: the watch decides rollback, the rule for
        # customer-facing services escalates (sev2, oncall), the release rolls
        # back db and web in the canary region (web first), then ends.
        "name": "a bad canary halts, escalates and rolls back",
        "plan": WATCHED, "start": "2026-11-24T09:00:00Z",
        "calls": [
            {"events": [], "now": "2026-11-24T09:00:00Z"},
            {"events": [started("canary", "db", "2026-11-24T09:00:05Z"), finished("canary", "db", "2026-11-24T09:04:00Z")],
             "now": "2026-11-24T09:04:00Z"},
            {"events": [started("canary", "web", "2026-11-24T09:04:05Z"), finished("canary", "web", "2026-11-24T09:07:00Z"),
                        errors("canary", "2026-11-24T09:10:00Z", 12, 61)],
             "now": "2026-11-24T09:10:00Z"},
            {"events": [], "now": "2026-11-24T09:11:00Z"},
            {"events": [{"type": "rollback_finished", "at": "2026-11-24T09:20:00Z"}], "now": "2026-11-24T09:20:00Z"},
            {"events": [started("eu", "db", "2026-11-24T09:21:00Z")], "now": "2026-11-24T09:21:00Z",
             "error_code": "invalid_event", "error_path": "events/0"},
        ],
    },
    {
        # max_failed_steps 1: the first failure is retried (attempt 2); the
        # retry runs past the 10 minute timeout, the second failure exceeds
        # the limit, and with auto_rollback off the release halts for a
        # person; the abort rolls back.
        "name": "a flaky step is retried once, then a timeout halts",
        "plan": FLAKY, "start": "2026-11-24T09:00:00Z", "options": {"auto_rollback": False},
        "calls": [
            {"events": [], "now": "2026-11-24T09:00:00Z"},
            {"events": [started("eu", "api", "2026-11-24T09:00:10Z"), finished("eu", "api", "2026-11-24T09:03:00Z", "failed")],
             "now": "2026-11-24T09:03:00Z"},
            {"events": [started("eu", "api", "2026-11-24T09:03:10Z")], "now": "2026-11-24T09:10:00Z"},
            {"events": [], "now": "2026-11-24T09:14:00Z"},
            {"events": [{"type": "abort", "by": "ana", "why": "give up", "at": "2026-11-24T09:15:00Z"}], "now": "2026-11-24T09:15:00Z"},
            {"events": [{"type": "rollback_finished"}], "now": "2026-11-24T09:30:00Z"},
        ],
    },
    {
        # Wave 1 fits before 17:00; its bake ends after the window has
        # closed, so wave 2 opens but eu waits for Wednesday 09:00 with the
        # calendar's reason, and deploys then.
        "name": "a window that closes mid-rollout re-times the next wave",
        "plan": WINDOWED, "start": "2026-11-24T16:00:00Z",
        "calls": [
            {"events": [], "now": "2026-11-24T16:00:00Z"},
            {"events": [started("canary", "api", "2026-11-24T16:00:00Z"), finished("canary", "api", "2026-11-24T16:20:00Z")]
             + checks(CHECKS + ["canary_verdict"], "2026-11-24T16:30:00Z"),
             "now": "2026-11-24T16:50:00Z"},
            {"events": [], "now": "2026-11-25T09:00:00Z"},
        ],
    },
    {
        # Wave 2 needs an approval; a pause holds everything until resumed.
        "name": "approval before wave 2, pause and resume",
        "plan": TWO_REGIONS, "start": "2026-11-24T09:00:00Z", "options": {"approval_waves": [2]},
        "calls": [
            {"events": [], "now": "2026-11-24T09:00:00Z"},
            {"events": [started("canary", "api", "2026-11-24T09:00:10Z"), finished("canary", "api", "2026-11-24T09:05:00Z")]
             + checks(CHECKS + ["canary_verdict"], "2026-11-24T09:06:00Z"),
             "now": "2026-11-24T09:15:00Z"},
            {"events": [{"type": "pause", "by": "bo", "why": "incident elsewhere", "at": "2026-11-24T09:16:00Z"},
                        {"type": "approval", "by": "cy", "at": "2026-11-24T09:17:00Z"}],
             "now": "2026-11-24T09:17:00Z"},
            {"events": [{"type": "resume", "by": "bo", "why": "clear", "at": "2026-11-24T09:30:00Z"}], "now": "2026-11-24T09:30:00Z"},
        ],
    },
    {
        # Bad input inside a scenario: each failing call leaves the state as it was.
        "name": "bad events and times are errors, the state is kept",
        "plan": TWO_REGIONS, "start": "2026-11-24T09:00:00Z",
        "calls": [
            {"events": [], "now": "2026-11-24T09:00:00Z"},
            {"events": [started("mars", "api", "2026-11-24T09:01:00Z")], "now": "2026-11-24T09:01:00Z",
             "error_code": "unknown_step", "error_path": "events/0"},
            {"events": [finished("canary", "api", "2026-11-24T09:01:00Z")], "now": "2026-11-24T09:01:00Z",
             "error_code": "invalid_event", "error_path": "events/0"},
            {"events": [], "now": "2026-11-24T08:59:00Z", "error_code": "invalid_timestamp", "error_path": "now"},
            {"events": [started("canary", "api", "2026-11-24T08:59:00Z")], "now": "2026-11-24T09:01:00Z",
             "error_code": "invalid_timestamp", "error_path": "events/0/at"},
            {"events": [{"type": "resume", "by": "ana"}], "now": "2026-11-24T09:01:00Z",
             "error_code": "invalid_event", "error_path": "events/0"},
            {"events": [{"type": "teleport"}], "now": "2026-11-24T09:01:00Z",
             "error_code": "invalid_event", "error_path": "events/0/type"},
            {"events": [started("canary", "api", "2026-11-24T09:01:00Z")], "now": "2026-11-24T09:02:00Z"},
        ],
    },
]

INCIDENT_CONTEXT = {
    "release": "checkout", "severity": "sev1", "rule": "errors_sev1", "regions": ["canary"],
    "services": ["web"], "evidence": [{"code": "threshold_rule", "message": "errors in canary is 0.08 on the new version, above 0.05", "subjects": []}],
    "rollback_steps": ["web@canary", "db@canary"], "notify": ["oncall", "ic"],
}

SINGLE: list[dict[str, Any]] = [
    {"name": "incident template from an escalate action", "function": "render_notification",
     "input": ["incident", INCIDENT_CONTEXT]},
    {"name": "a template text with dotted names and literal braces", "function": "render_notification",
     "input": ["{{release}} {plan.recommendation}: {steps}", {"plan": {"recommendation": "roll_back"}, "steps": []}]},
    {"name": "a placeholder without a value is an error naming it", "function": "render_notification",
     "input": ["downtime", {"release": "shop", "regions": ["eu"], "start": "09:00", "reasons": []}],
     "error_code": "unknown_placeholder", "error_path": "template", "error_fields": {"placeholder": "end"}},
    {"name": "a null value is no value", "function": "render_notification",
     "input": ["{owner}", {"owner": None}], "error_code": "unknown_placeholder", "error_fields": {"placeholder": "owner"}},
    {"name": "a state that is not a release state", "function": "advance_release",
     "input": [TWO_REGIONS, {"version": 1}, [], "2026-11-24T09:00:00Z"], "error_code": "incompatible_state"},
    {"name": "an approval wave the schedule does not have", "function": "start_release",
     "input": [TWO_REGIONS, "2026-11-24T09:00:00Z", {"approval_waves": [3]}],
     "error_code": "invalid_input", "error_path": "options/approval_waves/0"},
    {"name": "an escalation rule without a condition", "function": "start_release",
     "input": [{**TWO_REGIONS, "rollout": {"escalation": {"rules": [{"name": "r", "severity": "sev1"}]}}}, "2026-11-24T09:00:00Z"],
     "error_code": "invalid_input", "error_path": "/rollout/escalation/rules/0"},
    {"name": "readiness: a small change at an open window is go", "function": "evaluate_release_readiness",
     "input": [TWO_REGIONS, {"id": "CHG-1", "author": "ana", "services": ["api"], "lines_added": 20},
               {"start": "2026-11-24T10:00:00Z"}]},
    {"name": "readiness: a closed window at the start is a condition, a governance violation blocks", "function": "evaluate_release_readiness",
     "input": [WINDOWED,
               {"id": "CHG-2", "author": "ana", "deployer": "bo", "services": ["api"], "lines_added": 20,
                "approvals": [{"by": "bo", "role": "peer", "at": "2026-11-20T10:00:00Z"}]},
               {"start": "2026-11-24T20:00:00Z", "policy": {"rules": [{"approvals": 1}]}}]},
    {"name": "readiness: a declared strategy other than the recommended one", "function": "evaluate_release_readiness",
     "input": [TWO_REGIONS,
               {"id": "CHG-3", "author": "ana", "services": ["api"], "lines_added": 20, "strategy": "rolling"},
               {"start": "2026-11-24T10:00:00Z",
                "service": {"id": "api", "traffic_routing": True, "metric_quality": "good"}}]},
    {"name": "readiness needs a start", "function": "evaluate_release_readiness",
     "input": [TWO_REGIONS, {"id": "CHG-4", "author": "ana", "services": ["api"]}],
     "error_code": "invalid_input", "error_path": "context/start"},
]


def projection(result: dict[str, Any]) -> dict[str, Any]:
    return {"status": result["status"], "actions": result["actions"],
            "reason_codes": [r["code"] for r in result["reasons"]]}


def run_scenario(s: dict[str, Any]) -> dict[str, Any]:
    state = rollgate.start_release(s["plan"], s["start"], s.get("options"))
    calls = []
    for c in s["calls"]:
        call = {"events": c["events"], "now": c["now"]}
        if "error_code" in c:
            try:
                rollgate.advance_release(s["plan"], state, c["events"], c["now"])
            except rollgate.RollgateError as e:
                assert e.code == c["error_code"], (s["name"], e.code, str(e))
                assert e.path == c["error_path"], (s["name"], e.path)
                call.update(error_code=e.code, error_path=e.path)
            else:
                raise AssertionError(f"{s['name']}: expected {c['error_code']}")
        else:
            result = rollgate.advance_release(s["plan"], state, c["events"], c["now"])
            call["expected"] = projection(result)
            state = result["state"]
        calls.append(call)
    body = {"plan": s["plan"], "start": s["start"], "calls": calls}
    if "options" in s:
        body["options"] = s["options"]
    return {"name": s["name"], "scenario": body}


def run_single(c: dict[str, Any]) -> dict[str, Any]:
    fn = getattr(rollgate, c["function"])
    out = {k: v for k, v in c.items()}
    if "error_code" in c:
        try:
            fn(*c["input"])
        except rollgate.RollgateError as e:
            assert e.code == c["error_code"], (c["name"], e.code, str(e))
            if "error_path" in c:
                assert e.path == c["error_path"], (c["name"], e.path)
        else:
            raise AssertionError(f"{c['name']}: expected {c['error_code']}")
    else:
        out["expected"] = fn(*c["input"])
    return out


def main() -> None:
    cases = [run_scenario(s) for s in SCENARIOS] + [run_single(c) for c in SINGLE]
    OUT.write_text(json.dumps({"exact": True, "cases": cases}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
