#!/usr/bin/env python3
"""Regenerates tests/vectors/verdict.json: judge_canary cases.

Classifications and decisions are stated by hand from the rules documented in
core/src/verdict.rs (and Kayenta's published vector in shared/REFERENCE.md);
the p-values and effect numbers they rest on are computed here with scipy and
numpy, never with rollgate.

    /tmp/v/bin/python tests/vectors/generate_verdict.py
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
from scipy import stats

OUT = pathlib.Path(__file__).with_name("verdict.json")
cases = []


def case(name, config, data, expected=None, **error):
    c = {"name": name, "function": "judge_canary", "input": [config, data]}
    if expected is not None:
        c["expected"] = expected
    c.update(error)
    cases.append(c)


# Kayenta's published High/Pass vector (mean ratio ~12.04).
canary = [20, 22, 21, 25, 30]
baseline = [1, 2.2, 1.1, 2.5, 3.0]
ratio = float(np.mean(canary) / np.mean(baseline))
p_exact = float(stats.mannwhitneyu(canary, baseline, method="exact").pvalue)
for allowed, cls, decision in [(1.2, "high", "rollback"), (13, "pass", "promote")]:
    case(
        f"kayenta: mean ratio {ratio:.2f} with allowed increase {allowed} -> {cls}",
        {"metrics": [{"name": "latency", "allowed_increase": allowed, "confidence": 0.95}]},
        {"latency": {"baseline": baseline, "canary": canary}},
        {
            "decision": decision,
            "score": 0.0 if cls == "high" else 100.0,
            "metrics": {"latency": {"classification": cls, "test": "mann_whitney", "p_value": p_exact,
                                    "effect_ratio": ratio, "effect": float(np.median(np.subtract.outer(canary, baseline))),
                                    "n_baseline": 5, "n_canary": 5}},
        },
    )

# Zero baseline against a few canary errors (user-reported Kayenta failure).
p6 = float(stats.fisher_exact([[6, 9994], [0, 10000]], alternative="greater").pvalue)
case(
    "zero baseline vs 6 canary errors: high, rollback",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase"}]},
    {"errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 6, "trials": 10000}}},
    {"decision": "rollback", "metrics": {"errors": {"classification": "high", "test": "fisher_exact",
                                                    "p_value": p6, "effect_ratio": None}}},
)
p3 = float(stats.fisher_exact([[3, 9997], [0, 10000]], alternative="greater").pvalue)
case(
    "zero baseline vs 3 canary errors: not significant, but never promoted",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase"}]},
    {"errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 3, "trials": 10000}}},
    {"decision": "continue", "score": 100.0, "reasons": [{"code": "zero_baseline", "metrics": ["errors"]}],
     "metrics": {"errors": {"classification": "pass", "p_value": p3, "warnings": ["zero_baseline"]}}},
)
p_rate = float(stats.binomtest(5, 5, 0.1, alternative="greater").pvalue)
case(
    "zero baseline with 10% canary exposure: 5 errors is a clear increase",
    {"metrics": [{"name": "crashes", "kind": "count", "direction": "increase"}]},
    {"crashes": {"baseline": {"events": 0, "exposure": 0.9}, "canary": {"events": 5, "exposure": 0.1}}},
    {"decision": "rollback", "metrics": {"crashes": {"classification": "high", "test": "conditional_binomial",
                                                     "p_value": p_rate}}},
)

# A pure variance increase: fails under compare: distribution, passes under location.
base = np.round(stats.norm.ppf((np.arange(1, 301) - 0.5) / 300) * 10 + 100, 4)
wide = np.round((base - 100) * 2 + 100, 4)
ks = stats.ks_2samp(wide, base, method="exact")
mw = stats.mannwhitneyu(wide, base, alternative="greater", method="asymptotic")
case(
    "pure variance increase fails under compare: distribution",
    {"metrics": [{"name": "latency", "compare": "distribution", "direction": "increase"}]},
    {"latency": {"baseline": base.tolist(), "canary": wide.tolist()}},
    {"decision": "rollback", "metrics": {"latency": {"classification": "high", "test": "kolmogorov_smirnov",
                                                     "p_value": float(ks.pvalue), "statistic": float(ks.statistic),
                                                     "warnings": ["spread_change"]}}},
)
case(
    "pure variance increase passes a location test",
    {"metrics": [{"name": "latency", "compare": "location", "direction": "increase"}]},
    {"latency": {"baseline": base.tolist(), "canary": wide.tolist()}},
    {"decision": "promote", "metrics": {"latency": {"classification": "pass", "test": "mann_whitney",
                                                    "p_value": float(mw.pvalue)}}},
)

# Scoring: groups, critical metrics, no data, SLO bounds, corrections.
ok = [10, 11, 12, 13, 14, 15, 16]
slow = [30, 31, 32, 33, 34, 35, 36]
two_groups = {
    "metrics": [
        {"name": "latency", "group": "perf", "direction": "increase"},
        {"name": "cpu", "group": "perf", "direction": "increase"},
        {"name": "errors", "group": "errors", "direction": "increase"},
    ],
    "groups": {"perf": 70, "errors": 30},
}
case(
    "weighted groups: failing errors group gives 70 -> rollback",
    two_groups,
    {"latency": {"baseline": ok, "canary": ok}, "cpu": {"baseline": ok, "canary": ok},
     "errors": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 70.0,
     "groups": {"perf": {"score": 100.0, "weight": 70.0}, "errors": {"score": 0.0, "weight": 30.0}},
     "reasons": [{"code": "score_below_marginal"}, {"code": "metric_failed", "metrics": ["errors"]}]},
)
case(
    "weighted groups with a marginal threshold of 60 -> continue",
    dict(two_groups, thresholds={"pass": 95, "marginal": 60}),
    {"latency": {"baseline": ok, "canary": ok}, "cpu": {"baseline": ok, "canary": ok},
     "errors": {"baseline": ok, "canary": slow}},
    {"decision": "continue", "score": 70.0, "reasons": [{"code": "score_marginal"}, {"code": "metric_failed"}]},
)
case(
    "unweighted groups share the rest of 100",
    {"metrics": [{"name": "a", "group": "g1"}, {"name": "b", "group": "g2"}, {"name": "c", "group": "g3"}],
     "groups": {"g1": 50}},
    {"a": {"baseline": ok, "canary": slow}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": ok}},
    {"score": 50.0, "groups": {"g1": {"weight": 50.0}, "g2": {"weight": 25.0}, "g3": {"weight": 25.0}}},
)
case(
    "a failing critical metric forces the score to 0",
    {"metrics": [{"name": "a"}, {"name": "b"}, {"name": "c", "critical": True}],
     "thresholds": {"pass": 60, "marginal": 50}},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 0.0, "score_forced_to_zero": "critical_metric_failed",
     "reasons": [{"code": "critical_metric_failed", "metrics": ["c"]}]},
)
case(
    "critical_increase bound: a large increase is critical",
    {"metrics": [{"name": "a"}, {"name": "b"}, {"name": "c", "critical_increase": 2.0}],
     "thresholds": {"pass": 60, "marginal": 50}},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 0.0, "metrics": {"c": {"classification": "high", "critical_failure": True}}},
)
case(
    "no data for half the metrics: score 0, inconclusive",
    {"metrics": [{"name": "a"}, {"name": "b"}]},
    {"a": {"baseline": ok, "canary": ok}},
    {"decision": "inconclusive", "score": 0.0, "score_forced_to_zero": "too_many_no_data",
     "metrics": {"b": {"classification": "no_data", "test": "none"}}},
)
case(
    "no data is excluded from the score but noted",
    {"metrics": [{"name": "a"}, {"name": "b"}, {"name": "c"}]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": [], "canary": ok}},
    {"decision": "promote", "score": 100.0, "reasons": [{"code": "score_passed"}, {"code": "no_data", "metrics": ["c"]}],
     "metrics": {"c": {"classification": "no_data"}}},
)
case(
    "must_have_data: missing data fails",
    {"metrics": [{"name": "a"}, {"name": "b"}, {"name": "c", "must_have_data": True}]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}},
    {"decision": "rollback", "metrics": {"c": {"classification": "no_data_fail"}}},
)
case(
    "direction increase: a decrease passes",
    {"metrics": [{"name": "latency", "direction": "increase"}]},
    {"latency": {"baseline": slow, "canary": ok}},
    {"decision": "promote", "metrics": {"latency": {"classification": "pass"}}},
)
case(
    "direction either: a decrease is low",
    {"metrics": [{"name": "throughput"}]},
    {"throughput": {"baseline": slow, "canary": ok}},
    {"decision": "rollback", "metrics": {"throughput": {"classification": "low"}}},
)
case(
    "SLO max with failure_limit 1: two violations fail the metric",
    {"metrics": [{"name": "latency", "max": 14.5, "failure_limit": 1}]},
    {"latency": {"baseline": ok, "canary": ok}},
    {"decision": "rollback", "metrics": {"latency": {"classification": "high", "slo_violations": 2}}},
)
case(
    "SLO max within failure_limit passes",
    {"metrics": [{"name": "latency", "max": 14.5, "failure_limit": 2}]},
    {"latency": {"baseline": ok, "canary": ok}},
    {"decision": "promote", "metrics": {"latency": {"classification": "pass", "slo_violations": 2}}},
)
case(
    "nan_policy remove drops nulls and reports them",
    {"metrics": [{"name": "latency", "nan_policy": "remove"}]},
    {"latency": {"baseline": [10, None, 11, 12], "canary": [10, 11, None, None, 12]}},
    {"metrics": {"latency": {"removed_nan": 3, "n_baseline": 3, "n_canary": 3}}},
)
case(
    "outliers iqr drops a spike",
    {"metrics": [{"name": "latency", "outliers": "iqr", "outlier_factor": 1.5}]},
    {"latency": {"baseline": ok, "canary": ok + [1000]}},
    {"metrics": {"latency": {"removed_outliers": 1, "n_canary": 7}}},
)
q99_warn = np.round(np.linspace(1, 100, 200), 3).tolist()
case(
    "quantile metric under 1,000 samples warns",
    {"metrics": [{"name": "p99", "kind": "quantile", "quantile": 0.99}]},
    {"p99": {"baseline": q99_warn, "canary": q99_warn}},
    {"metrics": {"p99": {"classification": "pass", "test": "quantile_test",
                         "warnings": ["few_tail_samples"], "effect": 0.0}}},
)
# Holm: two metrics each significant alone (p < 0.05) but not after correction.
x1 = [13 + i for i in range(10)]
y1 = [10 + i for i in range(10)]
pa = float(stats.mannwhitneyu(x1, y1, alternative="greater", method="asymptotic").pvalue)
assert 0.025 < pa < 0.05, pa
case(
    "holm correction: one-sided p just under 0.05 per metric, over it after correction",
    {"metrics": [{"name": "a", "direction": "increase"}, {"name": "b", "direction": "increase"}],
     "correction": "holm"},
    {"a": {"baseline": y1, "canary": x1}, "b": {"baseline": y1, "canary": x1}},
    {"decision": "promote", "metrics": {"a": {"classification": "pass", "p_value": pa,
                                              "adjusted_p_value": min(1.0, 2 * pa)}}},
)
case(
    "without correction the same data fails",
    {"metrics": [{"name": "a", "direction": "increase"}, {"name": "b", "direction": "increase"}]},
    {"a": {"baseline": y1, "canary": x1}, "b": {"baseline": y1, "canary": x1}},
    {"decision": "rollback", "metrics": {"a": {"classification": "high", "p_value": pa}}},
)

# Errors.
cfg = {"metrics": [{"name": "latency"}, {"name": "errors", "kind": "count"}]}
case("unknown metric in data", cfg, {"cpu": {"baseline": ok, "canary": ok}},
     error_code="unknown_metric", error_path="data/cpu", error_fields={"metric": "cpu"})
case("NaN under nan_policy reject names metric and index", cfg,
     {"latency": {"baseline": ok, "canary": [1, 2, None]}},
     error_code="invalid_sample", error_path="data/latency/canary/2",
     error_fields={"metric": "latency", "index": 2, "value": "NaN"})
case("a value that is not a number is an invalid sample naming metric and index", cfg,
     {"latency": {"baseline": ok, "canary": [1, "2", 3]}},
     error_code="invalid_sample", error_path="data/latency/canary/1",
     error_fields={"metric": "latency", "index": 1, "value": 'not a number (string "2")'})
case("negative count", cfg, {"errors": {"baseline": {"events": -1, "trials": 10}, "canary": {"events": 0, "trials": 10}}},
     error_code="invalid_count", error_path="data/errors/baseline/events")
case("events above trials", cfg, {"errors": {"baseline": {"events": 1, "trials": 10}, "canary": {"events": 11, "trials": 10}}},
     error_code="invalid_count", error_path="data/errors/canary/events")
case("confidence outside (0, 1)", {"metrics": [{"name": "latency", "confidence": 1.5}]}, {},
     error_code="invalid_config", error_path="/metrics/0/confidence")
case("duplicate metric", {"metrics": [{"name": "latency"}, {"name": "latency"}]}, {},
     error_code="invalid_config", error_path="/metrics/1/name")
case("unknown config field", {"metrics": [{"name": "latency", "colour": "red"}]}, {},
     error_code="invalid_config", error_path="/metrics/0/colour")
case("group weight for an unknown group", {"metrics": [{"name": "latency"}], "groups": {"nope": 10}}, {},
     error_code="invalid_config", error_path="/groups/nope")
case("thresholds out of order", {"metrics": [{"name": "latency"}], "thresholds": {"pass": 50, "marginal": 80}}, {},
     error_code="invalid_config", error_path="/thresholds")
case("samples for a count metric", cfg, {"errors": {"baseline": ok, "canary": ok}},
     error_code="invalid_config", error_path="data/errors/canary")

cases = [c for c in cases if "expected" in c or "error_code" in c]
OUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
