"""Runs the shared cross-language vectors (tests/vectors/*.json) through the Python API.

A case with ``"scenario"`` in place of ``function``/``input`` drives a release:
``{"plan", "start", "options"?, "calls": [{"events", "now", "expected" |
"error_code", "error_path"?}]}``. The runner starts the release, makes each
call with the state the previous one returned (a failed call keeps it), and
matches ``expected`` against ``{"status", "actions", "reason_codes"}`` of the
result (``reason_codes``: the codes of its ``reasons``, in order)."""

from __future__ import annotations

import json
import math
import pathlib
from typing import Any

import pytest

import rollgate

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def _cases() -> list[Any]:
    out = []
    for file in sorted(VECTORS.glob("*.json")):
        doc = json.loads(file.read_text())
        for case in doc["cases"]:
            case = {"exact": doc.get("exact", False), **case}
            out.append(pytest.param(case, id=f"{file.stem}:{case['name']}"))
    return out


def _match(expected: Any, actual: Any, tol: float, at: str = "", exact: bool = False) -> None:
    """Matches `actual` against `expected`: numbers within `tol`, lists of equal
    length, objects holding every expected key — and, when `exact`, no other."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert expected == actual, f"{at}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{at}: got {actual!r}"
        scale = max(abs(expected), abs(actual))
        ok = expected == actual or abs(expected - actual) <= tol * scale or (scale < 1e-300)
        assert ok and not math.isnan(actual), f"{at}: expected {expected}, got {actual}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{at}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{at}/{key}: missing in {actual!r}"
            _match(value, actual[key], tol, f"{at}/{key}", exact)
        if exact:
            extra = sorted(set(actual) - set(expected))
            assert not extra, f"{at}/{extra[0]}: not in the expected value"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{at}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{at}: expected {len(expected)} items, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            _match(e, a, tol, f"{at}/{i}", exact)


def _scenario(case: dict[str, Any]) -> None:
    s = case["scenario"]
    state = rollgate.start_release(s["plan"], s["start"], s.get("options"))
    for i, call in enumerate(s["calls"]):
        if "error_code" in call:
            with pytest.raises(rollgate.RollgateError) as info:
                rollgate.advance_release(s["plan"], state, call["events"], call["now"])
            assert info.value.code == call["error_code"], f"call {i}: {info.value}"
            if "error_path" in call:
                assert info.value.path == call["error_path"], f"call {i}: {info.value}"
            continue
        result = rollgate.advance_release(s["plan"], state, call["events"], call["now"])
        actual = {"status": result["status"], "actions": result["actions"],
                  "reason_codes": [r["code"] for r in result["reasons"]]}
        _match(call["expected"], actual, 1e-9, f"call {i}", exact=case["exact"])
        state = result["state"]


@pytest.mark.parametrize("case", _cases())
def test_vector(case: dict[str, Any]) -> None:
    if "scenario" in case:
        _scenario(case)
        return
    function = getattr(rollgate, case["function"])
    tol = case.get("tolerance", 1e-9)
    if "error_code" in case:
        with pytest.raises(rollgate.RollgateError) as info:
            function(*case["input"])
        assert info.value.code == case["error_code"], str(info.value)
        if "error_path" in case:
            assert info.value.path == case["error_path"], str(info.value)
        if "error_fields" in case:
            _match(case["error_fields"], info.value.details, tol)
    else:
        _match(case["expected"], function(*case["input"]), tol, exact=case["exact"])


def test_vectors_exist() -> None:
    assert len(_cases()) >= 25
