"""Canary analysis from Python: buffers and sequences as samples, keyword
arguments, and every error code of the canary family."""

from __future__ import annotations

import array
import math

import numpy as np
import pytest

import rollgate
from rollgate import InvalidCanaryError, RollgateError

CANARY = [10.0, 20.0, 30.0, 40.0]
BASELINE = [1.0, 2.0, 3.0, 4.0]


def test_kayenta_vector_with_keywords() -> None:
    r = rollgate.mann_whitney(CANARY, BASELINE, alternative="two-sided", confidence=0.95)
    assert r["estimate"] == 22.5
    assert r["ci"] == [6.0, 39.0]
    assert r["statistic"] == 16.0
    assert r["method"] == "exact"


@pytest.mark.parametrize(
    "make",
    [
        lambda v: np.asarray(v, dtype=np.float64),
        lambda v: array.array("d", v),
        lambda v: memoryview(array.array("d", v)),
        lambda v: np.asarray(v, dtype=np.float32),  # not float64: read as a sequence
        lambda v: np.asarray(v, dtype=np.int64),
        tuple,
    ],
)
def test_samples_accept_buffers_and_sequences(make: object) -> None:
    x = make(CANARY)  # type: ignore[operator]
    y = make(BASELINE)  # type: ignore[operator]
    assert rollgate.mann_whitney(x, y) == rollgate.mann_whitney(CANARY, BASELINE)


def test_numpy_nan_is_rejected_with_index() -> None:
    x = np.array([1.0, 2.0, np.nan])
    with pytest.raises(InvalidCanaryError) as info:
        rollgate.mann_whitney(x, np.array([1.0, 2.0]))
    assert info.value.code == "invalid_sample"
    assert info.value.path == "x/2"
    assert info.value.index == 2
    assert isinstance(info.value, ValueError)


def test_large_numpy_mann_whitney() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(0.05, 1, 60_000)
    y = rng.normal(0.0, 1, 50_000)
    r = rollgate.mann_whitney(x, y)
    assert r["method"] == "asymptotic"
    lo, hi = r["ci"]
    assert lo is not None and hi is not None
    assert lo < r["estimate"] < hi
    assert 0.02 < r["estimate"] < 0.08


def test_judge_canary_with_numpy_and_counts() -> None:
    rng = np.random.default_rng(7)
    # 8,000 samples per side: enough for the interval to exclude the allowed 1.05.
    base = rng.lognormal(3, 0.4, 8000)
    config = {
        "metrics": [
            {"name": "latency", "direction": "increase", "allowed_increase": 1.05},
            {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
        ],
        "correction": "holm",
    }
    good = rollgate.judge_canary(
        config,
        {
            "latency": {"baseline": base, "canary": rng.lognormal(3, 0.4, 8000)},
            "errors": {"baseline": {"events": 12, "trials": 10000}, "canary": {"events": 11, "trials": 10000}},
        },
    )
    assert good["decision"] == "promote", good["reasons"]
    # With 500 per side a canary like it cannot yet rule out 1.05: continue, never promote.
    few = np.random.default_rng(7)
    short = rollgate.judge_canary(
        config,
        {
            "latency": {"baseline": few.lognormal(3, 0.4, 500), "canary": few.lognormal(3, 0.4, 500)},
            "errors": {"baseline": {"events": 12, "trials": 10000}, "canary": {"events": 11, "trials": 10000}},
        },
    )
    assert short["decision"] == "continue"
    assert short["metrics"]["latency"]["reason"]["code"] == "interval_too_wide"
    assert short["metrics"]["latency"]["reason"]["evidence"]["more_canary"] > 0
    bad = rollgate.judge_canary(
        config,
        {
            "latency": {"baseline": base, "canary": base * 1.3},
            "errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 9, "trials": 10000}},
        },
    )
    assert bad["decision"] == "rollback"
    assert bad["score_forced_to_zero"] == "critical_metric_failed"
    assert bad["metrics"]["errors"]["classification"] == "high"
    assert bad["metrics"]["errors"]["effect_ratio"] is None
    assert bad["metrics"]["latency"]["classification"] == "high"
    assert [r["code"] for r in bad["reasons"]][0] == "critical_metric_failed"


def test_post_rollback_stability_check() -> None:
    # The window after a rollback as "canary" against the pre-deployment window.
    rng = np.random.default_rng(3)
    before = rng.normal(120, 10, 1000)
    after = rng.normal(121, 10, 1000)
    r = rollgate.judge_canary(
        {"metrics": [{"name": "latency_ms", "direction": "increase", "allowed_increase": 1.02}]},
        {"latency_ms": {"baseline": before, "canary": after}},
    )
    assert r["decision"] == "promote"


@pytest.mark.parametrize(
    ("call", "code", "path"),
    [
        (lambda: rollgate.mann_whitney([1.0], [1.0], confidence=1.5), "invalid_config", "confidence"),
        (lambda: rollgate.mann_whitney([1.0], [1.0], alternative="up"), "invalid_config", "alternative"),
        (lambda: rollgate.mann_whitney([], [1.0]), "insufficient_data", "x"),
        (lambda: rollgate.mann_whitney("abc", [1.0]), "invalid_config", "x"),
        (lambda: rollgate.compare_proportions(5, 4, 0, 4), "invalid_count", "events_x"),
        (lambda: rollgate.compare_rates(1, 1.0, -1, 1.0), "invalid_count", "events_y"),
        (lambda: rollgate.adjust_p_values([0.5, 2.0]), "invalid_sample", "p_values/1"),
        (lambda: rollgate.quantile_ci([1.0, 2.0], 1.0), "invalid_config", "quantile"),
        (
            lambda: rollgate.judge_canary({"metrics": [{"name": "a"}]}, {"b": {"baseline": [1], "canary": [1]}}),
            "unknown_metric",
            "data/b",
        ),
        (
            lambda: rollgate.judge_canary(
                {"metrics": [{"name": "a"}]}, {"a": {"baseline": [1.0], "canary": np.array([1.0, math.inf])}}
            ),
            "invalid_sample",
            "data/a/canary/1",
        ),
        (
            lambda: rollgate.judge_canary(
                {"metrics": [{"name": "e", "kind": "count"}]},
                {"e": {"baseline": {"events": 2, "trials": 1}, "canary": {"events": 0, "trials": 1}}},
            ),
            "invalid_count",
            "data/e/baseline/events",
        ),
        (lambda: rollgate.judge_canary({"metrics": [{"name": "a", "confidence": 0}]}, {}), "invalid_config",
         "/metrics/0/confidence"),
        (lambda: rollgate.judge_canary({"metrics": [], "colour": 1}, {}), "invalid_config", "/colour"),
        (lambda: rollgate.judge_canary({"metrics": [{"name": "a"}]}, {"a": {"baseline": [1]}}), "invalid_config",
         "data/a"),
    ],
)
def test_canary_errors(call: object, code: str, path: str) -> None:
    with pytest.raises(InvalidCanaryError) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, RollgateError)
    assert info.value.code == code, str(info.value)
    assert info.value.path == path, str(info.value)


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: rollgate.compare_proportions("a", 10, 0, 10), "events_x"),
        (lambda: rollgate.compare_rates(1, 10, 0, {}), "exposure_y"),
        (lambda: rollgate.quantile_ci([1, 2, 3], "0.5"), "quantile"),
        (lambda: rollgate.mann_whitney([1, 2], [3, 4], "two-sided", "high"), "confidence"),
        (lambda: rollgate.welch_t_test([1, 2], [3, 4], confidence=True), "confidence"),
        (lambda: rollgate.mann_whitney([1, 2], [3, 4], alternative=5), "alternative"),
        (lambda: rollgate.adjust_p_values([0.1], method=3), "method"),
        (lambda: rollgate.sequential_count_test([[1, 2]], 0.5, "x"), "concentration"),
    ],
)
def test_a_wrong_type_for_an_argument_is_a_canary_error_naming_it(call: object, path: str) -> None:
    # As in Node: not pyo3's TypeError, but the canary family with the
    # argument's name as the path.
    with pytest.raises(InvalidCanaryError) as info:
        call()  # type: ignore[operator]
    assert (info.value.code, info.value.path) == ("invalid_config", path), str(info.value)
    assert "expected a" in str(info.value)


def test_numeric_arguments_accept_ints_and_numpy_scalars() -> None:
    a = rollgate.compare_proportions(np.int64(3), 100, 1, np.float64(100.0), confidence=np.float32(0.9))
    b = rollgate.compare_proportions(3, 100, 1, 100.0, confidence=float(np.float32(0.9)))
    assert a == b
    assert rollgate.mann_whitney([1.0, 2.0], [3.0, 4.0])["confidence"] == 0.95


def test_unknown_metric_names_it() -> None:
    with pytest.raises(InvalidCanaryError) as info:
        rollgate.judge_canary({"metrics": []}, {"cpu": {"baseline": [1.0], "canary": [1.0]}})
    assert info.value.metric == "cpu"


def test_sequential_count_test() -> None:
    r = rollgate.sequential_count_test([[3, 9], [8, 14], [15, 18]], allocation=0.1)
    assert r["reject"] and r["first_rejection"] == 2
    with pytest.raises(InvalidCanaryError) as info:
        rollgate.sequential_count_test([[3, 1], [2, 1]], 0.5)
    assert (info.value.code, info.value.path) == ("invalid_count", "looks/1/0")
