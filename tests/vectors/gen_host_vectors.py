#!/usr/bin/env python3
"""Regenerates tests/vectors/host.json: inputs whose numbers a binding once
changed on the way across the language boundary (issue 9), so that Rust,
Python and Node must all give the values below.

Expected values are worked out here independently of rollgate: a sample of
one value against one value has the Hodges-Lehmann shift x - y; the rate of
one event over an exposure of 1e-300 is 1e300; a change-log record's hash
is SHA-256 over the canonical JSON of {sequence, previous_hash, kind, at,
inputs, outputs} (keys sorted; integers and integral floats below 2^53 as
integers, other numbers as the plain decimal of their shortest round-trip
digits), computed with hashlib and decimal below.
"""
import decimal
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def canonical(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -(2**63) <= value < 2**64:
            return str(value)
        value = float(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return format(decimal.Decimal(repr(value)), "f")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in sorted(value)) + "}"


def record_hash(kind, inputs, outputs):
    content = {"sequence": 0, "previous_hash": None, "kind": kind, "at": None, "inputs": inputs, "outputs": outputs}
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def main():
    inputs = {"x": 1e-20, "n": 3.0, "big": 2**60, "huge": 2**64, "tiny": 5e-324}
    outputs = {"ratio": 1e20}
    cases = [
        {
            "name": "a sample of 1e20 keeps its magnitude (once clamped to i64::MAX in Node)",
            "function": "mann_whitney",
            "input": [[1e20], [0]],
            "expected": {"estimate": 1e20, "n_x": 1, "n_y": 1},
        },
        {
            "name": "an exposure of 1e-300 is not 0 (once read as an integer in Node)",
            "function": "compare_rates",
            "input": [1, 1e-300, 1, 1],
            "expected": {"rate_x": 1e300, "rate_y": 1.0, "ratio": 1e300},
        },
        {
            "name": "a record's numbers survive: 1e-20, 3.0 as 3, 2^60, 2^64, the least subnormal",
            "function": "append_change_record",
            "input": [None, {"kind": "k", "inputs": inputs, "outputs": outputs}],
            "expected": {
                "sequence": 0,
                "inputs": {"x": 1e-20, "n": 3, "big": 2**60, "huge": float(2**64), "tiny": 5e-324},
                "outputs": outputs,
                "hash": record_hash("k", inputs, outputs),
            },
        },
        {
            "name": "a look of three values is rejected naming the look (once read as its first two)",
            "function": "sequential_count_test",
            "input": [[[3, 9, "junk"]], 0.5],
            "error_code": "invalid_config",
            "error_path": "looks/0",
        },
    ]
    (HERE / "host.json").write_text(json.dumps({"cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
