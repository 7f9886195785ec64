#!/usr/bin/env python3
"""Regenerates tests/vectors/verdict.json: judge_canary and sequential_count_test cases.

Each case states its classification and decision by hand, from the rules
documented in core/src/verdict/ (and Kayenta's published vector in
shared/REFERENCE.md); the complete expected output — every p-value, interval,
sentence and score — comes from verdict_reference.py, which computes the
statistics with scipy/numpy (or transcriptions of R's algorithms and exact
counts) and applies the documented rules, never calling rollgate. The
generator checks that the reference agrees with the hand-stated outcome.

    python -m venv /tmp/v && /tmp/v/bin/pip install numpy scipy
    /tmp/v/bin/python tests/vectors/generate_verdict.py
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
from scipy import stats
from scipy.special import betaln

import verdict_reference as ref

OUT = pathlib.Path(__file__).with_name("verdict.json")
cases = []


def check(expected, stated, at=""):
    """The hand-stated outcome must be part of the reference's output."""
    if isinstance(stated, dict):
        for k, v in stated.items():
            assert k in expected, f"{at}/{k} missing"
            check(expected[k], v, f"{at}/{k}")
    elif isinstance(stated, float) and isinstance(expected, float):
        assert math.isclose(expected, stated, rel_tol=1e-9), f"{at}: {expected} != {stated}"
    else:
        assert expected == stated, f"{at}: {expected!r} != {stated!r}"


def case(name, config, data, stated=None, **error):
    c = {"name": name, "function": "judge_canary", "input": [config, data]}
    if error:
        c.update(error)
    else:
        expected = ref.judge(config, data)
        check(expected, stated or {}, name)
        c["expected"] = expected
    cases.append(c)


def metric(name, classification, **more):
    return {"metrics": {name: dict(classification=classification, **more)}}


# ---------------------------------------------------------------- Kayenta's vector
canary = [20, 22, 21, 25, 30]
baseline = [1, 2.2, 1.1, 2.5, 3.0]
ratio = float(np.mean(canary) / np.mean(baseline))
p_exact = float(stats.mannwhitneyu(canary, baseline, method="exact").pvalue)
assert abs(ratio - 12.04) < 0.01
case(
    f"kayenta: mean ratio {ratio:.2f} with allowed increase 1.2 -> high",
    {"metrics": [{"name": "latency", "allowed_increase": 1.2, "confidence": 0.95, "min_samples": 5}]},
    {"latency": {"baseline": baseline, "canary": canary}},
    {"decision": "rollback", "score": 0.0,
     "metrics": {"latency": {"classification": "high", "p_value": p_exact, "effect_ratio": ratio, "effect": 20.0}}},
)
# Kayenta passes this canary; with 5 samples per side the interval of the
# ratio still reaches beyond 13, so the data cannot show it is within it.
case(
    f"kayenta: mean ratio {ratio:.2f} with allowed increase 13 -> continue (interval reaches beyond 13)",
    {"metrics": [{"name": "latency", "allowed_increase": 13, "confidence": 0.95, "min_samples": 5}]},
    {"latency": {"baseline": baseline, "canary": canary}},
    {"decision": "continue", "metrics": {"latency": {"classification": "continue", "p_value": p_exact,
                                                     "reason": {"code": "interval_too_wide"}}}},
)

# ---------------------------------------------------------------- counts
p6 = float(stats.fisher_exact([[6, 9994], [0, 10000]], alternative="greater").pvalue)
case(
    "zero baseline vs 6 canary errors: high, rollback",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase"}]},
    {"errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 6, "trials": 10000}}},
    {"decision": "rollback", **metric("errors", "high", test="fisher_exact", p_value=p6, effect_ratio=None)},
)
p3 = float(stats.fisher_exact([[3, 9997], [0, 10000]], alternative="greater").pvalue)
case(
    "zero baseline vs 3 canary errors: not significant, but never promoted",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase"}]},
    {"errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 3, "trials": 10000}}},
    {"decision": "continue", "score": 100.0,
     **metric("errors", "pass", p_value=p3, warnings=["zero_baseline"])},
)
case(
    "no errors on either side of 10,000 requests: the test could have shown an increase, pass",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase"}]},
    {"errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 0, "trials": 10000}}},
    {"decision": "promote", **metric("errors", "pass", p_value=1.0)},
)
case(
    "one request per side cannot show an increase: continue with the requests needed",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "confidence": 0.99}]},
    {"errors": {"baseline": {"events": 0, "trials": 1}, "canary": {"events": 0, "trials": 1}}},
    {"decision": "continue", **metric("errors", "continue", min_p_value=0.5,
                                      reason={"code": "unreachable_level"})},
)
p_rate = float(stats.binomtest(5, 5, 0.1, alternative="greater").pvalue)
case(
    "zero baseline with 10% canary exposure: 5 errors is a clear increase",
    {"metrics": [{"name": "crashes", "kind": "count", "direction": "increase"}]},
    {"crashes": {"baseline": {"events": 0, "exposure": 0.9}, "canary": {"events": 5, "exposure": 0.1}}},
    {"decision": "rollback", **metric("crashes", "high", test="conditional_binomial", p_value=p_rate)},
)
case(
    "allowed increase 1.5 on error counts: a precise interval within it passes",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "allowed_increase": 1.5}]},
    {"errors": {"baseline": {"events": 500, "trials": 100000}, "canary": {"events": 520, "trials": 100000}}},
    {"decision": "promote", **metric("errors", "pass")},
)
case(
    "allowed increase 1.5 on error counts: too few errors to rule it out, continue",
    {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "allowed_increase": 1.5}]},
    {"errors": {"baseline": {"events": 10, "trials": 2000}, "canary": {"events": 11, "trials": 2000}}},
    {"decision": "continue", **metric("errors", "continue", reason={"code": "interval_too_wide"})},
)

# ---------------------------------------------------------------- the issue's cases: no promotion without evidence
case(
    "three samples per side, ten times slower: continue (fewer than min_samples 30), never promote",
    {"metrics": [{"name": "lat"}]},
    {"lat": {"baseline": [100, 101, 102], "canary": [1000, 1010, 1020]}},
    {"decision": "continue", **metric("lat", "continue", test="none", reason={"code": "too_few_samples"})},
)
grid = (np.arange(1, 201) - 0.5) / 200
lat200 = np.round(np.exp(3 + 0.5 * stats.norm.ppf(grid)), 4)
case(
    "p99 on 200 samples per side, ten times slower: below min_samples 1000, continue",
    {"metrics": [{"name": "p99", "kind": "quantile", "quantile": 0.99, "direction": "increase"}]},
    {"p99": {"baseline": lat200.tolist(), "canary": (lat200 * 10).tolist()}},
    {"decision": "continue", **metric("p99", "continue", reason={"code": "too_few_samples"})},
)
case(
    "p99 on 200 samples per side with min_samples 200: the test cannot reach 0.05, continue with the samples needed",
    {"metrics": [{"name": "p99", "kind": "quantile", "quantile": 0.99, "direction": "increase", "min_samples": 200}]},
    {"p99": {"baseline": lat200.tolist(), "canary": (lat200 * 10).tolist()}},
    {"decision": "continue", **metric("p99", "continue", reason={"code": "unreachable_level"})},
)
# A canary whose spread shrank (a third of the baseline's log-sd, mean 0.94x,
# p99 47% lower) is not an increase of its distribution.
sigma_b = 0.42
sigma_c = sigma_b / 3
shift = math.log(0.94) + (sigma_b**2 - sigma_c**2) / 2
z = stats.norm.ppf(grid)
shrunk_base = np.round(np.exp(3 + sigma_b * z), 4)
shrunk = np.round(np.exp(3 + shift + sigma_c * z), 4)
assert abs(np.mean(shrunk) / np.mean(shrunk_base) - 0.94) < 0.01
two_sided = stats.ks_2samp(shrunk, shrunk_base, method="exact")
assert two_sided.pvalue < 0.05  # what the two-sided test used to report as an increase
case(
    "distribution, increase: a canary whose spread shrank (mean 0.94x, p99 47% lower) passes",
    {"metrics": [{"name": "latency", "compare": "distribution", "direction": "increase"}]},
    {"latency": {"baseline": shrunk_base.tolist(), "canary": shrunk.tolist()}},
    {"decision": "promote", **metric("latency", "pass", test="kolmogorov_smirnov_upper")},
)
base = np.round(stats.norm.ppf((np.arange(1, 301) - 0.5) / 300) * 10 + 100, 4)
wide = np.round((base - 100) * 2 + 100, 4)
ks_less = stats.ks_2samp(wide, base, alternative="less", method="exact")
assert ref.upper_excess(list(wide), sorted(base)) == round(ks_less.statistic * 300 * 300)
case(
    "distribution, increase: a pure variance increase raises the upper quantiles, high",
    {"metrics": [{"name": "latency", "compare": "distribution", "direction": "increase"}]},
    {"latency": {"baseline": base.tolist(), "canary": wide.tolist()}},
    {"decision": "rollback", **metric("latency", "high", test="kolmogorov_smirnov_upper",
                                      p_value=float(ks_less.pvalue), statistic=float(ks_less.statistic))},
)
ks = stats.ks_2samp(wide, base, method="exact")
case(
    "distribution, either: the two-sided test with the change read from the spread",
    {"metrics": [{"name": "latency", "compare": "distribution"}]},
    {"latency": {"baseline": base.tolist(), "canary": wide.tolist()}},
    {"decision": "rollback", **metric("latency", "high", test="kolmogorov_smirnov", p_value=float(ks.pvalue),
                                      warnings=["spread_change"])},
)
mw = stats.mannwhitneyu(wide, base, alternative="greater", method="asymptotic")
case(
    "pure variance increase passes a location test",
    {"metrics": [{"name": "latency", "compare": "location", "direction": "increase"}]},
    {"latency": {"baseline": base.tolist(), "canary": wide.tolist()}},
    {"decision": "promote", **metric("latency", "pass", test="mann_whitney", p_value=float(mw.pvalue))},
)
# alpha exactly as configured: p = 1/C(6,3) = 0.05 at 0.95, p = 2/20 = 0.10 at 0.90: both significant.
case(
    "p-value exactly 0.05 at confidence 0.95 is significant",
    {"metrics": [{"name": "lat", "direction": "increase", "min_samples": 3, "confidence": 0.95}]},
    {"lat": {"baseline": [1, 2, 3], "canary": [4, 5, 6]}},
    {"decision": "rollback", **metric("lat", "high", p_value=0.05, alpha=0.05)},
)
case(
    "p-value exactly 0.10 at confidence 0.90 is significant",
    {"metrics": [{"name": "lat", "direction": "increase", "min_samples": 3, "confidence": 0.9}]},
    {"lat": {"baseline": [1, 2, 4], "canary": [3, 5, 6]}},
    {"decision": "rollback", **metric("lat", "high", p_value=0.1, alpha=0.1)},
)

# ---------------------------------------------------------------- scoring
ok = [10, 11, 12, 13, 14, 15, 16]
slow = [30, 31, 32, 33, 34, 35, 36]
few = {"min_samples": 7}


def m(name, **kw):
    return {"name": name, **few, **kw}


two_groups = {
    "metrics": [m("latency", group="perf", direction="increase"), m("cpu", group="perf", direction="increase"),
                m("errors", group="errors", direction="increase")],
    "groups": {"perf": 70, "errors": 30},
}
case(
    "weighted groups: failing errors group gives 70 -> rollback",
    two_groups,
    {"latency": {"baseline": ok, "canary": ok}, "cpu": {"baseline": ok, "canary": ok},
     "errors": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 70.0,
     "groups": {"perf": {"score": 100.0, "weight": 70.0}, "errors": {"score": 0.0, "weight": 30.0}}},
)
case(
    "weighted groups with a marginal threshold of 60 -> continue",
    dict(two_groups, thresholds={"pass": 95, "marginal": 60}),
    {"latency": {"baseline": ok, "canary": ok}, "cpu": {"baseline": ok, "canary": ok},
     "errors": {"baseline": ok, "canary": slow}},
    {"decision": "continue", "score": 70.0},
)
case(
    "unweighted groups share the rest of 100",
    {"metrics": [m("a", group="g1"), m("b", group="g2"), m("c", group="g3")], "groups": {"g1": 50}},
    {"a": {"baseline": ok, "canary": slow}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": ok}},
    {"score": 50.0, "groups": {"g1": {"weight": 50.0}, "g2": {"weight": 25.0}, "g3": {"weight": 25.0}}},
)
case(
    "a failing critical metric forces the score to 0",
    {"metrics": [m("a"), m("b"), m("c", critical=True)], "thresholds": {"pass": 60, "marginal": 50}},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 0.0, "score_forced_to_zero": "critical_metric_failed"},
)
case(
    "critical_increase bound: a large increase is critical",
    {"metrics": [m("a"), m("b"), m("c", critical_increase=2.0)], "thresholds": {"pass": 60, "marginal": 50}},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": ok, "canary": slow}},
    {"decision": "rollback", "score": 0.0, **metric("c", "high", critical_failure=True)},
)
case(
    "no data for half the metrics: score 0, inconclusive",
    {"metrics": [m("a"), m("b")]},
    {"a": {"baseline": ok, "canary": ok}},
    {"decision": "inconclusive", "score": 0.0, "score_forced_to_zero": "too_many_no_data",
     **metric("b", "no_data", test="none")},
)
case(
    "no data is excluded from the score but noted",
    {"metrics": [m("a"), m("b"), m("c")]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}, "c": {"baseline": [], "canary": ok}},
    {"decision": "promote", "score": 100.0, **metric("c", "no_data")},
)
case(
    "must_have_data: missing data fails",
    {"metrics": [m("a"), m("b"), m("c", must_have_data=True)]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}},
    {"decision": "rollback", **metric("c", "no_data_fail")},
)
case(
    "a metric that needs more data keeps a passing canary running",
    {"metrics": [m("a"), m("b", min_samples=20)]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": ok}},
    {"decision": "continue", "score": 100.0, **metric("b", "continue")},
)
case(
    "a failure that the undecided metrics could not outweigh rolls back",
    {"metrics": [m("a"), m("b"), m("c", min_samples=20)]},
    {"a": {"baseline": ok, "canary": slow}, "b": {"baseline": ok, "canary": slow}, "c": {"baseline": ok, "canary": ok}},
    {"decision": "rollback"},
)
case(
    "dry_run: a failing dry-run metric is reported but does not decide",
    {"metrics": [m("a"), m("b", dry_run=True)]},
    {"a": {"baseline": ok, "canary": ok}, "b": {"baseline": ok, "canary": slow}},
    {"decision": "promote", "score": 100.0, **metric("b", "high", dry_run=True)},
)
case(
    "direction increase: a decrease passes",
    {"metrics": [m("latency", direction="increase")]},
    {"latency": {"baseline": slow, "canary": ok}},
    {"decision": "promote", **metric("latency", "pass")},
)
case(
    "direction either: a decrease is low",
    {"metrics": [m("throughput")]},
    {"throughput": {"baseline": slow, "canary": ok}},
    {"decision": "rollback", **metric("throughput", "low")},
)
case(
    "SLO max with failure_limit 1: two violations fail the metric",
    {"metrics": [m("latency", max=14.5, failure_limit=1)]},
    {"latency": {"baseline": ok, "canary": ok}},
    {"decision": "rollback", **metric("latency", "high", slo_violations=2)},
)
case(
    "SLO max within failure_limit passes",
    {"metrics": [m("latency", max=14.5, failure_limit=2)]},
    {"latency": {"baseline": ok, "canary": ok}},
    {"decision": "promote", **metric("latency", "pass", slo_violations=2)},
)
case(
    "nan_policy remove drops nulls and reports them",
    {"metrics": [{"name": "latency", "nan_policy": "remove", "min_samples": 3}]},
    {"latency": {"baseline": [10, None, 11, 12], "canary": [10, 11, None, None, 12]}},
    {"metrics": {"latency": {"removed_nan": 3, "n_baseline": 3.0, "n_canary": 3.0}}},
)
case(
    "outliers iqr drops a spike",
    {"metrics": [m("latency", outliers="iqr", outlier_factor=1.5)]},
    {"latency": {"baseline": ok, "canary": ok + [1000]}},
    {"metrics": {"latency": {"removed_outliers": 1, "n_canary": 7.0}}},
)
q99_warn = np.round(np.linspace(1, 100, 200), 3).tolist()
case(
    "quantile metric under 1,000 samples warns",
    {"metrics": [{"name": "p99", "kind": "quantile", "quantile": 0.99, "min_samples": 200}]},
    {"p99": {"baseline": q99_warn, "canary": q99_warn}},
    {"metrics": {"p99": {"test": "quantile_test", "warnings": ["few_tail_samples"], "effect": 0.0}}},
)
# Holm: two metrics each significant alone (p < 0.05) but not after correction.
x1 = [13 + i for i in range(10)]
y1 = [10 + i for i in range(10)]
pa = float(stats.mannwhitneyu(x1, y1, alternative="greater", method="asymptotic").pvalue)
assert 0.025 < pa < 0.05, pa
case(
    "holm correction: one-sided p just under 0.05 per metric, over it after correction",
    {"metrics": [{"name": "a", "direction": "increase", "min_samples": 10},
                 {"name": "b", "direction": "increase", "min_samples": 10}], "correction": "holm"},
    {"a": {"baseline": y1, "canary": x1}, "b": {"baseline": y1, "canary": x1}},
    {"decision": "promote", **metric("a", "pass", p_value=pa, adjusted_p_value=min(1.0, 2 * pa))},
)
case(
    "without correction the same data fails",
    {"metrics": [{"name": "a", "direction": "increase", "min_samples": 10},
                 {"name": "b", "direction": "increase", "min_samples": 10}]},
    {"a": {"baseline": y1, "canary": x1}, "b": {"baseline": y1, "canary": x1}},
    {"decision": "rollback", **metric("a", "high", p_value=pa)},
)

# ---------------------------------------------------------------- errors
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


# ---------------------------------------------------------------- sequential_count_test: one-sided
def seq_case(name, looks, allocation, k=100.0, alpha=0.05):
    """Dirichlet-multinomial Bayes factor (Lindon & Malek 2022) with scipy's
    betaln; a look counts only when the canary holds more than its share."""
    th = (allocation, 1 - allocation)
    a0 = (k * th[0], k * th[1])
    p = 1.0
    out = []
    first = None
    for i, (c, b) in enumerate(looks):
        lbf = betaln(a0[0] + c, a0[1] + b) - betaln(*a0) - (c * math.log(th[0]) + b * math.log(th[1]))
        if c * (1 - allocation) > b * allocation:
            p = min(p, math.exp(-lbf), 1.0)
        if first is None and p <= alpha:
            first = i
        out.append({"canary_events": c, "baseline_events": b, "bayes_factor": math.exp(lbf), "p_value": p})
    return {"name": name, "function": "sequential_count_test", "input": [looks, allocation, k, alpha],
            "expected": {"p_value": p, "reject": p <= alpha, "first_rejection": first, "looks": out,
                         "method": "dirichlet_multinomial"}}


fewer = seq_case("sequential: far fewer canary errors never reject (one-sided)", [[0, 10], [0, 20], [1, 40]], 0.5)
assert fewer["expected"]["looks"][2]["bayes_factor"] > 200 and not fewer["expected"]["reject"]
cases.append(fewer)
cases.append(seq_case("sequential: the canary's share drops below and rises above", [[6, 2], [6, 14], [30, 14]], 0.5))

OUT.write_text(json.dumps({"exact": True, "cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
