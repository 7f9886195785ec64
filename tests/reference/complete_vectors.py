"""Makes the `expected` of shared vector cases complete (exact-match ready).

Every value a case already lists was derived by hand (see the comments in
the vector generators); this checks each of them against rollgate's output
(numbers within the case's tolerance) and only then takes the whole output
as the case's `expected`, so the keys nobody wrote by hand (messages,
formatted times of values already checked in seconds, ...) are filled from
the implementation after the hand-derived part has been confirmed. Review
the diff of a completed file before committing it.

    .venv/bin/python tests/reference/complete_vectors.py tests/vectors/window.json

Running it on a completed file changes nothing (the check is then exact).
"""

from __future__ import annotations

import json
import math
import pathlib
import sys
from typing import Any

import rollgate


def check(expected: Any, actual: Any, tol: float, at: str = "") -> None:
    """Raises AssertionError where `actual` differs from a value `expected` lists."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert expected == actual, f"{at}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{at}: got {actual!r}"
        scale = max(abs(expected), abs(actual))
        assert expected == actual or abs(expected - actual) <= tol * scale, f"{at}: expected {expected}, got {actual}"
        assert not math.isnan(actual), at
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{at}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{at}/{key}: missing in {actual!r}"
            check(value, actual[key], tol, f"{at}/{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{at}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{at}: expected {len(expected)} items, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            check(e, a, tol, f"{at}/{i}")
    else:
        raise AssertionError(f"{at}: unexpected {expected!r}")


def complete(case: dict) -> dict:
    """The case with its `expected` checked and completed (error cases unchanged)."""
    if "expected" not in case:
        return case
    actual = getattr(rollgate, case["function"])(*case["input"])
    check(case["expected"], actual, case.get("tolerance", 1e-9), case["name"])
    return {**case, "expected": actual}


def main(paths: list[str]) -> None:
    for name in paths:
        path = pathlib.Path(name)
        doc = json.loads(path.read_text())
        doc["cases"] = [complete(case) for case in doc["cases"]]
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        print(f"{path}: {len(doc['cases'])} cases checked and completed")


if __name__ == "__main__":
    main(sys.argv[1:])
