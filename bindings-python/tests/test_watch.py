"""The canary watch from Python: numpy batches, a state stored as JSON and
continued, and the watch's error codes."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rollgate

CONFIG = {
    "metrics": [
        {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
        {"name": "latency", "direction": "increase", "allowed_increase": 1.2},
        {"name": "p99", "kind": "quantile", "quantile": 0.99, "direction": "increase", "dry_run": True},
    ],
    "watch": {"min_duration": "2m", "min_samples": 100},
}


def at(minute: int) -> str:
    return f"2026-11-26T09:{minute:02d}:00Z"


def test_a_regressed_canary_rolls_back_from_numpy_batches() -> None:
    rng = np.random.default_rng(11)
    state = rollgate.start_canary_watch(CONFIG)
    decisions = []
    for minute in range(10):
        batch = {
            "errors": {"baseline": {"events": int(rng.poisson(5))}, "canary": {"events": int(rng.poisson(15))}},
            "latency": {"baseline": rng.lognormal(3, 0.3, 200), "canary": rng.lognormal(3, 0.3, 200)},
            "p99": {"baseline": rng.lognormal(3, 0.3, 200), "canary": rng.lognormal(3, 0.3, 200)},
        }
        update = rollgate.update_canary_watch(CONFIG, state, batch, at(minute))
        state = update["state"]
        decisions.append(update["verdict"]["decision"])
        if decisions[-1] != "continue":
            break
    assert decisions[-1] == "rollback", decisions
    errors = update["verdict"]["metrics"]["errors"]
    assert errors["verdict"] == "rollback"
    assert errors["ci"][0] > 1.0
    assert errors["reasons"][0]["code"] == "harm_detected"
    assert "valid at any stopping time" in errors["reasons"][0]["message"]
    assert update["verdict"]["reasons"][0]["code"] == "critical_metric_failed"
    assert update["verdict"]["metrics"]["p99"]["dry_run"] is True


def test_a_state_stored_as_json_continues_identically() -> None:
    rng = np.random.default_rng(5)
    batches = [
        {"latency": {"baseline": rng.lognormal(3, 0.3, 150).tolist(), "canary": rng.lognormal(3, 0.3, 150).tolist()}}
        for _ in range(4)
    ]
    state = rollgate.start_canary_watch(CONFIG)
    for minute, batch in enumerate(batches[:2]):
        state = rollgate.update_canary_watch(CONFIG, state, batch, at(minute))["state"]
    stored = json.loads(json.dumps(state))
    a = rollgate.update_canary_watch(CONFIG, state, batches[2], at(2))
    b = rollgate.update_canary_watch(CONFIG, stored, batches[2], at(2))
    assert a == b
    assert a["verdict"]["bake_complete"] is False  # the other metrics have no samples yet
    assert a["state"]["looks"] == 3


@pytest.mark.parametrize(
    ("call", "code", "path"),
    [
        (lambda s: rollgate.update_canary_watch(CONFIG, s, {"latency": {"baseline": [1.0], "canary": [-1.0]}}, at(5)),
         "invalid_sample", "batch/latency/canary/0"),
        (lambda s: rollgate.update_canary_watch(CONFIG, s, {}, at(0)), "invalid_timestamp", "at"),
        (lambda s: rollgate.update_canary_watch(CONFIG, {**s, "version": 2}, {}, at(5)), "incompatible_state",
         "state/version"),
        (lambda s: rollgate.update_canary_watch({**CONFIG, "watch": {"alpha": 0.01}}, s, {}, at(5)),
         "incompatible_state", "state/fingerprint"),
        (lambda s: rollgate.update_canary_watch(CONFIG, s, {"cpu": {"baseline": [1.0], "canary": [1.0]}}, at(5)),
         "unknown_metric", "batch/cpu"),
        (lambda s: rollgate.start_canary_watch({**CONFIG, "watch": {"allocation": 1.5}}), "invalid_config",
         "/watch/allocation"),
        (lambda s: rollgate.update_canary_watch(CONFIG, "state", {}, at(5)), "incompatible_state", "state"),
    ],
)
def test_watch_errors(call: object, code: str, path: str) -> None:
    state = rollgate.start_canary_watch(CONFIG)
    state = rollgate.update_canary_watch(CONFIG, state, {}, at(1))["state"]
    with pytest.raises(rollgate.RollgateError) as info:
        call(state)  # type: ignore[operator]
    assert (info.value.code, info.value.path) == (code, path), str(info.value)
