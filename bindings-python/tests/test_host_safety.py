"""What rollgate promises a Python host: no abort and no BaseException, no
unbounded allocation from small input, no number changed on the way, and
one typed error for anything that cannot be read (issue 9)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pytest

import rollgate
from rollgate import InternalError, InvalidCanaryError, RollgateError

PLAN = {"name": "p", "services": [{"id": "db"}, {"id": "api", "depends_on": ["db"]}]}
CHANGE = {"id": "c", "author": "a", "services": []}


def test_extreme_welch_input_gives_a_result_or_a_typed_error() -> None:
    # Once a statrs unwrap: a pyo3 PanicException (BaseException) escaped.
    try:
        result = rollgate.welch_t_test([1e154, 1.0], [1.0, 2.0])
    except RollgateError as err:
        assert err.code in ("internal_error", "invalid_sample", "invalid_config"), err
    else:
        assert isinstance(result["p_value"], float)


def test_a_panic_is_an_internal_error() -> None:
    panic = getattr(rollgate._native, "_test_panic", None)
    if panic is None:
        pytest.skip("release build: the deliberate panic exists in debug builds only")
    with pytest.raises(InternalError) as info:
        panic()
    assert (info.value.code, info.value.path) == ("internal_error", "")
    assert not isinstance(info.value, ValueError)
    # The interpreter is fine afterwards.
    assert rollgate.order_services(PLAN)["waves"] == [["db"], ["api"]]


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: rollgate.mann_whitney([1.0, 2.0], [3.0, 4.0], "\ud800"), "alternative"),
        (lambda: rollgate.order_services({"name": "p", "services": [{"id": "a\udc00"}]}), "/services/0/id"),
        (lambda: rollgate.order_services({"name": "p", "services": [{"id": "a", "x\ud800": 1}]}), "/services/0"),
        (lambda: rollgate.check_window({"time_zone": "UTC"}, "2026-01-01T00:00:00Z\ud800", 60), "at"),
    ],
)
def test_a_lone_surrogate_is_invalid_input_with_its_path(call: Any, path: str) -> None:
    with pytest.raises(RollgateError) as info:
        call()
    assert (info.value.code, info.value.path) == ("invalid_input", path), str(info.value)
    assert "lone surrogate" in str(info.value)


class RaisingMapping(Mapping[str, Any]):
    """A Mapping whose values cannot be read."""

    def __init__(self, keys: list[str]) -> None:
        self.keys_ = keys

    def __getitem__(self, key: str) -> Any:
        raise KeyError(f"no {key} today")

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


class LyingMapping(RaisingMapping):
    """Claims one entry, yields endlessly."""

    def __getitem__(self, key: str) -> Any:
        return 1

    def __iter__(self) -> Iterator[str]:
        i = 0
        while True:
            yield f"k{i}"
            i += 1

    def __len__(self) -> int:
        return 1


class BadFloat:
    def __float__(self) -> float:
        raise ArithmeticError("not today")


@pytest.mark.parametrize(
    ("call", "path", "cause"),
    [
        (lambda: rollgate.judge_canary({"metrics": [{"name": "cpu"}]}, RaisingMapping(["cpu"])), "data/cpu", KeyError),
        (lambda: rollgate.order_services(RaisingMapping(["name"])), "/name", KeyError),
        (lambda: rollgate.assess_risk(CHANGE, context=RaisingMapping(["window"])), "context/window", KeyError),
        (lambda: rollgate.compare_proportions(BadFloat(), 10, 1, 10), "events_x", ArithmeticError),
        (lambda: rollgate.mann_whitney([1.0, BadFloat()], [1.0, 2.0]), "x/1", ArithmeticError),
    ],
)
def test_a_caller_exception_is_invalid_input_with_the_cause(call: Any, path: str, cause: type) -> None:
    # One rule for every entry point, judge_canary included: not the
    # caller's exception escaping, not the canary family.
    with pytest.raises(RollgateError) as info:
        call()
    assert (info.value.code, info.value.path) == ("invalid_input", path), str(info.value)
    assert isinstance(info.value.__cause__, cause)


def test_a_mapping_that_lies_about_its_length_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(RollgateError) as info:
        rollgate.assess_risk(CHANGE, context=LyingMapping([]))
    # The first bad entry ends the read; an endless one that is valid entry
    # by entry is stopped at the entry limit (tested in the core: in Python,
    # ten million entries take a while to make).
    assert (info.value.code, info.value.path) == ("unknown_field", "context/k0"), str(info.value)
    assert time.monotonic() - started < 30


def test_2d_arrays_are_rejected_not_flattened() -> None:
    with pytest.raises(RollgateError) as info:
        rollgate.mann_whitney(np.ones((3, 2)), [1.0, 2.0])
    assert (info.value.code, info.value.path) == ("invalid_input", "x")
    assert "2-dimensional" in str(info.value)


@pytest.mark.parametrize(
    "view",
    [
        lambda: np.broadcast_to(np.nan, (10**9,)),  # 8 bytes pretending to be 8 GB
        lambda: np.arange(20.0)[::2],
        lambda: np.arange(20.0)[::-1],
    ],
)
def test_strided_and_broadcast_views_are_rejected_at_once(view: Any) -> None:
    started = time.monotonic()
    with pytest.raises(RollgateError) as info:
        rollgate.adjust_p_values(view())
    assert (info.value.code, info.value.path) == ("invalid_input", "p_values"), str(info.value)
    assert time.monotonic() - started < 1


def test_contiguous_numeric_buffers_of_every_width_are_read() -> None:
    x = [3.0, 1.0, 4.0, 1.0, 5.0]
    expected = rollgate.quantile_ci(x, 0.5)
    for dtype in (np.float64, np.float32, np.int64, np.int32, np.uint32, np.uint64):
        assert rollgate.quantile_ci(np.asarray(x, dtype=dtype), 0.5) == expected
    with pytest.raises(RollgateError):
        rollgate.quantile_ci(b"\x01\x02\x03", 0.5)  # bytes are not numbers


def test_junk_in_a_look_is_rejected_naming_it() -> None:
    with pytest.raises(InvalidCanaryError) as info:
        rollgate.sequential_count_test([[3, 9, "junk"]], 0.5)
    assert (info.value.code, info.value.path) == ("invalid_config", "looks/0")


def test_numbers_keep_their_magnitude() -> None:
    assert rollgate.mann_whitney([1e20], [0])["estimate"] == 1e20
    rates = rollgate.compare_rates(1, 1e-300, 1, 1)
    assert rates["rate_x"] == pytest.approx(1e300)
    record = rollgate.append_change_record(None, {"kind": "k", "inputs": {"x": 1e-20, "n": 3.0}, "outputs": {}})
    assert record["inputs"] == {"x": 1e-20, "n": 3}


def test_limits_fail_fast() -> None:
    started = time.monotonic()
    with pytest.raises(RollgateError) as info:
        rollgate.adjust_p_values(np.zeros(rollgate_max_items() + 1))
    assert (info.value.code, info.value.path) == ("invalid_input", "p_values")
    assert "limit" in str(info.value)
    assert time.monotonic() - started < 5


def rollgate_max_items() -> int:
    # The documented limit (README: "What rollgate guarantees to a host").
    return 10_000_000


def test_options_object_and_none_mean_the_same_as_in_node() -> None:
    x, y = [1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]
    positional = rollgate.mann_whitney(x, y, "less", 0.9)
    assert rollgate.mann_whitney(x, y, {"alternative": "less", "confidence": 0.9}) == positional  # type: ignore[arg-type]
    assert rollgate.mann_whitney(x, y, None, None) == rollgate.mann_whitney(x, y)  # type: ignore[arg-type]


def test_every_error_class_names_its_family_as_node_does() -> None:
    # One class per family; `family` is the string Node's error carries.
    families = {
        name: getattr(rollgate.errors, name).family
        for name in rollgate.errors.__all__
        if name != "RollgateError"
    }
    assert all(families.values()), families
    assert len(set(families.values())) == len(families), families
    with pytest.raises(rollgate.errors.InvalidDeliveryError) as delivery:
        rollgate.flag_enabled({"key": "k", "percentage": 101}, "u")
    assert (delivery.value.family, delivery.value.code) == ("delivery", "invalid_percentage")
    with pytest.raises(rollgate.errors.InvalidPlanError) as plan:
        rollgate.order_services({"name": "p", "services": [{"id": "a", "depends_on": ["a"]}]})
    assert plan.value.family == "plan"
