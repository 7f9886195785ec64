#!/usr/bin/env python3
"""Differential test: the same generated inputs through Python and Node must
give bitwise-identical results, or errors with identical codes, paths and
families.

One seeded generator mutates the inputs of the shared vectors
(tests/vectors/*.json: every public function) with extreme and odd values —
0, -0.0, ±1e-300, ±1e300, subnormals, 2^53 ± 1, 2^63, 2^64, huge and tiny
counts, lone surrogates, U+FFFD, empty and wrong-typed containers, unknown
and missing keys — and feeds each case to the Python package in-process and
to the Node package in one child process (tests/differential/node_side.js).

Inputs cross to Node as JSON, which carries every double exactly (Python's
repr round-trips, JSON.parse rounds correctly); integers beyond 2^53 go as
BigInt, so both languages see the same integer. Results are compared as a
canonical form in which every number is its IEEE-754 bit pattern (a Python
int as the double JavaScript would hold), so "equal" means bitwise equal.

Usage: python tests/differential/run.py [--cases N] [--seed S]
Needs the rollgate Python package and a built bindings-node.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import pathlib
import random
import struct
import subprocess
import sys
import time
from typing import Any

import rollgate

ROOT = pathlib.Path(__file__).resolve().parents[2]

NUMBERS: list[Any] = [
    0, -0.0, 1, 2, 3.0, 0.5, 1.5, 100, 1e-300, -1e-300, 1e300, -1e300, 5e-324,
    2.2250738585072014e-308, 1e-20, 1e20, 1e308, 2**53 - 1, 2**53, 2**53 + 1,
    -(2**53) - 1, 2**63, -(2**63), 2**64, 1e15, 10**15 + 1, 4294967295,
    4294967296, -1, 0.95, 0.999999, 1e-9, float(2**53 + 2),
]
STRINGS: list[str] = [
    "", "a", "ü", "\ud800", "x\udc00y", "\ufffd", "1h30m", "90s", "0s", "-5s", "2026-01-01T00:00:00Z",
    "2026-02-30T00:00:00+01:00", "two-sided", "less", "holm", "bh", "/", "~", "a/b~c", "db", "api",
    "Europe/Berlin", "Mars/Olympus", "high", "canary", "1e3",
]
OTHERS: list[Any] = [None, True, False, [], {}, [0], {"a": 1}, [[1, 2]], ["db"], [None, 1.0]]


def seeds() -> list[tuple[str, list[Any]]]:
    out = [("default_risk_model", [])]
    for file in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        for case in json.loads(file.read_text())["cases"]:
            if "scenario" in case:
                # A release scenario: its start is a seed (the calls need the
                # state of the call before, which a mutation would not keep).
                s = case["scenario"]
                out.append(("start_release", [s["plan"], s["start"], s.get("options")]))
                continue
            out.append((case["function"], case["input"]))
    return out


def paths(value: Any, at: tuple = ()) -> list[tuple]:
    """Every place in a value, containers first."""
    out = [at]
    if isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, at + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, at + (k,))
    return out


def get(value: Any, at: tuple) -> Any:
    for step in at:
        value = value[step]
    return value


def replacement(rng: random.Random, old: Any) -> Any:
    roll = rng.random()
    if is_number(old) and roll < 0.7:
        return rng.choice(NUMBERS)
    if isinstance(old, str) and roll < 0.7:
        return rng.choice(STRINGS)
    if isinstance(old, list) and old and roll < 0.5:
        return [rng.choice(NUMBERS) for _ in range(rng.randint(0, 6))]
    return rng.choice(NUMBERS + STRINGS + OTHERS)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def mutate(rng: random.Random, args: list[Any]) -> list[Any]:
    args = copy.deepcopy(args)
    # Half the cases only change numbers into other numbers, so that most of
    # them still evaluate and their results (not just errors) are compared.
    numbers_only = rng.random() < 0.5
    for _ in range(rng.choice([1, 1, 2, 3])):
        places = paths(args)[1:]
        if numbers_only:
            places = [p for p in places if is_number(get(args, p))]
        if not places:
            break
        if numbers_only:
            at = rng.choice(places)
            get(args, at[:-1])[at[-1]] = rng.choice(NUMBERS)
            continue
        at = rng.choice(places)
        parent = get(args, at[:-1])
        action = rng.random()
        if isinstance(parent, dict) and action < 0.15:
            del parent[at[-1]]
        elif isinstance(parent, dict) and action < 0.25:
            parent[rng.choice(["colour", "__proto__", "id", "x\ud800"])] = rng.choice(NUMBERS + STRINGS)
        else:
            parent[at[-1]] = replacement(rng, parent[at[-1]])
    return args


def cases(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pool = seeds()
    out = [{"function": f, "args": a} for f, a in pool]  # every seed unchanged once
    while len(out) < n:
        function, args = rng.choice(pool)
        out.append({"function": function, "args": mutate(rng, args)})
    return out


def to_wire(value: Any) -> Any:
    """JSON for Node: non-finite floats and integers beyond 2^53 tagged."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {"$bigint": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return {k: to_wire(v) for k, v in value.items()}


def bits(x: float) -> str:
    if math.isnan(x):
        return "nan"
    return struct.pack(">d", x).hex()


def canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        try:
            return "n:" + bits(float(value))
        except OverflowError:
            return "n:inf" if value > 0 else "n:-inf"
    if isinstance(value, float):
        return "n:" + bits(value)
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return {k: canonical(value[k]) for k in sorted(value)}


def run_python(case: dict[str, Any]) -> Any:
    try:
        return {"ok": canonical(getattr(rollgate, case["function"])(*case["args"]))}
    except rollgate.RollgateError as e:
        # The family as the exception's class states it (rollgate.errors:
        # one class per family); Node's is the error's `family` property.
        return {"error": e.code, "path": e.path, "family": e.family}
    except Exception as e:  # noqa: BLE001 - any other exception is a finding
        return {"exception": type(e).__name__}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261126)
    opts = parser.parse_args()

    started = time.monotonic()
    generated = cases(opts.cases, opts.seed)
    wire = json.dumps([{"function": c["function"], "args": to_wire(c["args"])} for c in generated])
    node = subprocess.run(
        ["node", str(ROOT / "tests" / "differential" / "node_side.js")],
        input=wire, capture_output=True, text=True, cwd=ROOT / "bindings-node",
    )
    if node.returncode != 0:
        print(node.stderr[-3000:], file=sys.stderr)
        print(f"differential: the Node side exited with {node.returncode}", file=sys.stderr)
        return 1
    node_out = json.loads(node.stdout)
    mismatches = []
    counts = {"ok": 0, "error": 0}
    for case, theirs in zip(generated, node_out, strict=True):
        ours = run_python(case)
        counts["ok" if "ok" in ours else "error"] += 1
        if ours != theirs:
            mismatches.append((case, ours, theirs))
    elapsed = time.monotonic() - started
    functions = len({c["function"] for c in generated})
    print(
        f"differential: {len(generated)} cases over {functions} functions (seed {opts.seed}): "
        f"{counts['ok']} results, {counts['error']} errors, {len(mismatches)} mismatches, {elapsed:.1f} s"
    )
    for case, ours, theirs in mismatches[:10]:
        print(f"- {case['function']}({json.dumps(case['args'])[:300]})")
        print(f"  python: {json.dumps(ours)[:400]}")
        print(f"  node:   {json.dumps(theirs)[:400]}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
