#!/usr/bin/env python3
"""Regenerates tests/vectors/watch.json: start_canary_watch and
update_canary_watch cases.

Each scenario feeds batches to watch_reference.py, an independent Python
reference (scipy betaln and brentq for the Bayes factors and the boundary
values of the confidence sequences, brute force over every rank for the
quantile sequences, numpy for the moments and the histogram bins, hashlib
for the configuration's fingerprint); a vector is one update: the state
before it (as the reference wrote it) and the batch in, the complete state
and verdict out. Each scenario states its decision by hand, and the
generator checks that the reference agrees. A state written here continues
in Rust, Python and Node alike, which is the cross-language check.

    python -m venv /tmp/v && /tmp/v/bin/pip install numpy scipy
    /tmp/v/bin/python tests/vectors/generate_watch.py
"""

from __future__ import annotations

import copy
import json
import math
import pathlib

import numpy as np

import watch_reference as ref

OUT = pathlib.Path(__file__).with_name("watch.json")
cases = []
rng = np.random.default_rng(20261130)


def minute(i):
    return f"2026-11-26T09:{i:02d}:00Z"


class Run:
    """One watch: feeds batches to the reference, keeps the state."""

    def __init__(self, name, config):
        self.name, self.config = name, config
        self.state = ref.start(config)
        self.history = {}
        self.looks = 0

    def update(self, batch, at=None, stated=None, record=True, label=""):
        at = at or minute(self.looks)
        out, history = ref.step(self.config, self.state, batch, at, self.history)
        if stated:
            for key, value in stated.items():
                got = out["verdict"]["decision"] if key == "decision" else \
                    out["verdict"]["metrics"][key]["verdict"]
                assert got == value, f"{self.name} {label}: {key} is {got}, stated {value}"
        if record:
            cases.append({"name": f"{self.name}: {label or f'look {self.looks + 1}'}", "function": "update_canary_watch",
                          "input": [self.config, copy.deepcopy(self.state), batch, at], "expected": out})
        self.state, self.history = out["state"], history
        self.looks += 1
        return out


def lat(n, scale=1.0, sigma=0.5):
    return [round(float(v), 4) for v in np.exp(3 + sigma * rng.standard_normal(n)) * scale]


def counts(events, trials=None):
    out = {"events": events}
    if trials is not None:
        out["trials"] = trials
    return out


# ---------------------------------------------------------------- start
four = {"metrics": [
    {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
    {"name": "latency", "direction": "increase", "allowed_increase": 1.05},
    {"name": "p99", "kind": "quantile", "quantile": 0.99, "direction": "increase"},
    {"name": "throughput", "compare": "distribution", "direction": "decrease", "dry_run": True},
], "watch": {"allocation": 0.1}}
cases.append({"name": "start: four metrics, allocation 0.1", "function": "start_canary_watch", "input": [four],
              "expected": ref.start(four)})
cases.append({"name": "start: allocation outside (0, 1)", "function": "start_canary_watch",
              "input": [{"metrics": [{"name": "e", "kind": "count"}], "watch": {"allocation": 1.0}}],
              "error_code": "invalid_config", "error_path": "/watch/allocation"})

# ---------------------------------------------------------------- counts
count_cfg = {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "critical": True}],
             "watch": {"min_duration": "0s", "min_samples": 0}}
run = Run("counts, equal traffic", count_cfg)
run.update({}, stated={"decision": "continue"}, label="an empty batch is no data")
run.update({"errors": {"baseline": counts(4), "canary": counts(6)}}, stated={"decision": "continue"})
run.update({"errors": {"baseline": counts(5), "canary": counts(14)}}, stated={"decision": "continue"})
run.update({"errors": {"baseline": counts(6), "canary": counts(30)}}, stated={"decision": "rollback"},
           label="the canary's share of the errors shows a higher rate")
run = Run("counts, fewer canary errors", count_cfg)
run.update({"errors": {"baseline": counts(10), "canary": counts(0)}})
run.update({"errors": {"baseline": counts(30), "canary": counts(1)}}, stated={"decision": "promote"},
           label="far fewer canary errors: no rollback (one-sided), harm ruled out")
margin = {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "allowed_increase": 1.5}],
          "watch": {"min_duration": "0s", "min_samples": 1000, "allocation": 0.5}}
run = Run("counts with trials, allowed increase 1.5", margin)
run.update({"errors": {"baseline": counts(50, 10000), "canary": counts(45, 10000)}}, stated={"decision": "continue"})
run.update({"errors": {"baseline": counts(400, 80000), "canary": counts(390, 80000)}},
           stated={"decision": "promote"}, label="the sequence rules out a ratio above 1.5")
run = Run("counts, traffic split off the allocation", margin)
run.update({"errors": {"baseline": counts(20, 10000), "canary": counts(25, 12000)}},
           stated={"errors": "continue"}, label="a canary with 20% more requests is not judged on counts")

# ---------------------------------------------------------------- means
mean_cfg = {"metrics": [{"name": "latency", "direction": "increase", "critical": True}],
            "watch": {"min_duration": "0s", "min_samples": 0}}
run = Run("mean latency, 30% slower canary", mean_cfg)
run.update({"latency": {"baseline": lat(20), "canary": lat(20, 1.3)}}, stated={"latency": "continue"},
           label="fewer than 30 samples per arm: too few")
run.update({"latency": {"baseline": lat(40), "canary": lat(40, 1.3)}})
run.update({"latency": {"baseline": lat(200), "canary": lat(200, 1.3)}}, stated={"decision": "rollback"})
promote_cfg = {"metrics": [{"name": "latency", "direction": "increase", "allowed_increase": 1.2}],
               "watch": {"min_duration": "3m", "min_samples": 100}}
run = Run("mean latency, allowed increase 1.2, bake 3 minutes", promote_cfg)
run.update({"latency": {"baseline": lat(150, sigma=0.2), "canary": lat(150, sigma=0.2)}})
run.update({"latency": {"baseline": lat(150, sigma=0.2), "canary": lat(150, sigma=0.2)}},
           stated={"latency": "promote", "decision": "continue"}, label="harm ruled out, still baking")
run.update({"latency": {"baseline": [], "canary": []}}, at=minute(3), stated={"decision": "promote"},
           label="bake complete: promote")

# ---------------------------------------------------------------- quantiles
p99_cfg = {"metrics": [{"name": "p99", "kind": "quantile", "quantile": 0.99, "direction": "increase"}],
           "watch": {"min_duration": "0s", "min_samples": 0}}
run = Run("p99, tail twice as slow", p99_cfg)
base, slow = lat(300), lat(300)
slow = [v * 2 if v > 50 else v for v in slow]
run.update({"p99": {"baseline": base, "canary": slow}}, stated={"decision": "continue"},
           label="300 samples: the upper bound is still open")
base, slow = lat(1200), lat(1200)
slow = [v * 2 if v > 50 else v for v in slow]
run.update({"p99": {"baseline": base, "canary": slow}}, stated={"decision": "rollback"})
dist_cfg = {"metrics": [{"name": "latency", "compare": "distribution", "direction": "increase",
                         "allowed_increase": 1.5, "min_samples": 100}],
            "watch": {"min_duration": "0s", "min_samples": 0, "quantile_concentration": 150}}
run = Run("distribution at p50, p90, p99", dist_cfg)
run.update({"latency": {"baseline": lat(80), "canary": lat(80)}}, stated={"latency": "continue"},
           label="below the metric's min_samples")
run.update({"latency": {"baseline": lat(400), "canary": lat(400)}})

# ---------------------------------------------------------------- the run's rules
rules_cfg = {"metrics": [
    {"name": "errors", "kind": "count", "direction": "increase"},
    {"name": "latency", "direction": "increase", "allowed_increase": 1.5},
    {"name": "cpu", "direction": "increase", "allowed_increase": 1.5},
    {"name": "memory", "direction": "increase", "allowed_increase": 1.5},
    {"name": "new_metric", "kind": "count", "direction": "increase", "dry_run": True},
], "watch": {"min_duration": "0s", "min_samples": 0, "max_duration": "5m"}}
run = Run("four metrics, one non-critical failure", rules_cfg)
batch = {"errors": {"baseline": counts(2), "canary": counts(40)},
         "latency": {"baseline": lat(60, sigma=0.1), "canary": lat(60, sigma=0.1)},
         "cpu": {"baseline": lat(60, sigma=0.1), "canary": lat(60, sigma=0.1)},
         "memory": {"baseline": lat(60, sigma=0.1), "canary": lat(60, sigma=0.1)},
         "new_metric": {"baseline": counts(1), "canary": counts(50)}}
run.update(batch, stated={"decision": "inconclusive", "errors": "rollback", "new_metric": "rollback"},
           label="score 75 stays marginal: a person decides; the dry-run metric is reported")
run = Run("budget", {"metrics": [{"name": "latency", "direction": "increase"}],
                     "watch": {"min_duration": "1m", "min_samples": 10, "max_duration": "2m"}})
run.update({"latency": {"baseline": lat(50), "canary": lat(50)}})
run.update({"latency": {"baseline": lat(50), "canary": lat(50)}}, at=minute(2), stated={"decision": "inconclusive"},
           label="no decision within max_duration: inconclusive")

# ---------------------------------------------------------------- bad input
err_cfg = {"metrics": [{"name": "latency", "direction": "increase"}, {"name": "errors", "kind": "count"}],
           "watch": {"min_duration": "0s"}}
run = Run("errors", err_cfg)
good = {"latency": {"baseline": [10.0, 11.0], "canary": [12.0]}, "errors": {"baseline": counts(1), "canary": counts(2)}}
run.update(good, record=False)
state = run.state


def bad(name, state_, batch, at, code, path, **fields):
    c = {"name": f"errors: {name}", "function": "update_canary_watch", "input": [err_cfg, state_, batch, at],
         "error_code": code, "error_path": path}
    if fields:
        c["error_fields"] = fields
    cases.append(c)


bad("a negative sample names metric and index", state, {"latency": {"baseline": [1.0], "canary": [2.0, -0.5]}},
    minute(1), "invalid_sample", "batch/latency/canary/1", metric="latency", index=1, value="-0.5")
bad("NaN (null) under nan_policy reject", state, {"latency": {"baseline": [1.0, None], "canary": []}}, minute(1),
    "invalid_sample", "batch/latency/baseline/1", metric="latency", index=1, value="NaN")
bad("a negative count", state, {"errors": {"baseline": {"events": -1}, "canary": {"events": 0}}}, minute(1),
    "invalid_count", "batch/errors/baseline/events")
bad("a metric the configuration does not name", state, {"cpu": {"baseline": [1.0], "canary": [1.0]}}, minute(1),
    "unknown_metric", "batch/cpu", metric="cpu")
bad("a batch earlier than the last update", state, {}, "2026-11-26T08:59:59Z", "invalid_timestamp", "at")
other = copy.deepcopy(state)
other["fingerprint"] = ref.fingerprint({"metrics": err_cfg["metrics"], "watch": {"min_duration": "1s"}})
bad("a state from another configuration", other, {}, minute(1), "incompatible_state", "state/fingerprint")
newer = copy.deepcopy(state)
newer["version"] = 2
bad("a state of a newer version", newer, {}, minute(1), "incompatible_state", "state/version")
broken = copy.deepcopy(state)
broken["metrics"]["latency"]["baseline"]["n"] = "ten"
bad("a state that is not one", broken, {}, minute(1), "incompatible_state", "state/metrics/latency")

OUT.write_text(json.dumps({"exact": True, "cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
