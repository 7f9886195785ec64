#!/usr/bin/env python3
"""Mann-Whitney at the sizes canary intervals hold, against scipy, same data,
same run: a size sweep (20 to 1,000,000 values per side) of
`scipy.stats.mannwhitneyu` (two-sided), `rollgate.mann_whitney` from Python
(numpy arrays) and from Rust, with the floor under any exact rank test:
sorting both samples. Then `judge_canary` with 10 metrics of 10,000 values
per arm, from Python and from Rust.

    .venv/bin/pip install scipy numpy
    (cd bindings-python && ../.venv/bin/maturin develop --release)
    cargo build --release -p rollgate-benches --bin stats_timing
    .venv/bin/python benches/compare_stats.py [--runs 3] [--sizes 200,1000] [--rounded]

scipy computes the U statistic and the p-value only (it has no
Hodges-Lehmann estimate or interval); rollgate computes U, the p-value, the
estimate and the 95 % interval. scipy runs with the method rollgate uses at
that size (exact below 50 per side without ties, else asymptotic with
continuity correction), and the script asserts that U and the p-value agree.

Each time is seconds per call: the best of 5 timed loops, each long enough
(>= 20 ms) for the clock, with the garbage collector paused (as `timeit`).
With `--runs K` the sweep is repeated K times and each figure is given as
the range over the runs (the machine is shared; read ratios, not times).
Ratios: scipy / rollgate (higher is faster), rollgate / sort floor.
"""

from __future__ import annotations

import argparse
import gc
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINARY = ROOT / "target" / "release" / "stats_timing"
SIZES = [20, 50, 200, 1_000, 10_000, 100_000, 1_000_000]


def per_call(fn, repeats: int = 5) -> float:
    """Best seconds per call over `repeats` loops of at least 20 ms."""
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    loops = max(1, min(100_000, int(0.02 / max(once, 1e-9)) + 1))
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(loops):
                fn()
            best = min(best, (time.perf_counter() - start) / loops)
    finally:
        gc.enable()
    return best


def rust(kind: str, arrays: list[np.ndarray], *args: int) -> dict:
    """Runs stats_timing on the arrays (written to one file)."""
    with tempfile.NamedTemporaryFile(suffix=".f64") as f:
        np.concatenate(arrays).astype("<f8").tofile(f.name)
        cmd = [str(BINARY), *([kind] if kind else []), f.name, *map(str, args)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def samples(n: int, rounded: bool, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + n)
    x = rng.lognormal(3.0, 0.5, n) * 1.001
    y = rng.lognormal(3.0, 0.5, n)
    if rounded:
        x, y = np.round(x), np.round(y)
    return x, y


def sweep_once(sizes: list[int], rounded: bool, rollgate) -> dict[int, dict[str, float]]:
    rows = {}
    for n in sizes:
        x, y = samples(n, rounded)
        exact = n < 50 and len(np.unique(np.concatenate([x, y]))) == 2 * n
        method = "exact" if exact else "asymptotic"
        ref = stats.mannwhitneyu(x, y, alternative="two-sided", method=method, use_continuity=True)
        row = {"scipy": per_call(lambda: stats.mannwhitneyu(x, y, alternative="two-sided", method=method))}
        if rollgate is not None:
            res = rollgate.mann_whitney(x, y)
            assert res["statistic"] == ref.statistic, (n, res["statistic"], ref.statistic)
            assert abs(res["p_value"] - ref.pvalue) <= 1e-9 * ref.pvalue + 1e-15, (n, res["p_value"], ref.pvalue)
            row["python"] = per_call(lambda: rollgate.mann_whitney(x, y))
        if BINARY.exists():
            res = rust("", [x, y], n, 5)
            assert res["statistic"] == ref.statistic
            row["rust"], row["sort"] = res["best"], res["sort_best"]
        rows[n] = row
        print(".", end="", file=sys.stderr, flush=True)
    return rows


def judge_once(rollgate, metrics: int, n: int) -> dict[str, float]:
    rng = np.random.default_rng(7)
    arrays = [rng.lognormal(3.0, 0.5, n) for _ in range(2 * metrics)]
    row = {}
    if rollgate is not None:
        config = {"metrics": [{"name": f"m{i}", "direction": "increase"} for i in range(metrics)]}
        data = {f"m{i}": {"baseline": arrays[2 * i], "canary": arrays[2 * i + 1]} for i in range(metrics)}
        row["python"] = per_call(lambda: rollgate.judge_canary(config, data))
    if BINARY.exists():
        row["rust"] = rust("judge", arrays, metrics, n, 5)["best"]
    return row


def span(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    lo, hi = min(values) * scale, max(values) * scale
    if f"{lo:.{digits}f}" == f"{hi:.{digits}f}":
        return f"{lo:.{digits}f}"
    return f"{lo:.{digits}f}–{hi:.{digits}f}"


def fmt_time(values: list[float]) -> str:
    lo = min(values)
    if lo < 1e-3:
        return span(values, 1e6, 0 if lo > 1e-4 else 1) + " µs"
    return span(values, 1e3, 1 if lo < 0.1 else 0) + " ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole sweep; report ranges")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="values per side, comma-separated")
    parser.add_argument("--rounded", action="store_true", help="round samples to integers (heavy ties)")
    parser.add_argument("--no-judge", action="store_true", help="skip the judge_canary timing")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        import rollgate
    except ImportError:
        rollgate = None
        print("rollgate Python package not installed; Python column skipped", file=sys.stderr)
    if not BINARY.exists():
        print(f"{BINARY} not built; Rust columns skipped", file=sys.stderr)

    runs = [sweep_once(sizes, args.rounded, rollgate) for _ in range(args.runs)]
    judges = [] if args.no_judge else [judge_once(rollgate, 10, 10_000) for _ in range(args.runs)]
    print(file=sys.stderr)

    kind = "rounded to integers" if args.rounded else "continuous"
    print(f"Mann-Whitney two-sided 95 %, {kind}, {args.runs} run(s); ranges over runs")
    print("| per side | scipy | rollgate Python | vs scipy | rollgate Rust | vs scipy | sort floor | Python / floor |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        col = lambda key: [run[n][key] for run in runs if key in run[n]]  # noqa: E731
        ratio = lambda a, b: [run[n][a] / run[n][b] for run in runs if a in run[n] and b in run[n]]  # noqa: E731
        cells = [f"{n:,}", fmt_time(col("scipy"))]
        for key in ("python", "rust"):
            cells += [fmt_time(col(key)), span(ratio("scipy", key)) + "x"] if col(key) else ["—", "—"]
        cells += [fmt_time(col("sort")) if col("sort") else "—"]
        cells += [span(ratio("python", "sort")) + "x" if ratio("python", "sort") else "—"]
        print("| " + " | ".join(cells) + " |")
    if judges:
        print()
        print("judge_canary, 10 metrics (Mann-Whitney, one-sided) x 10,000 values per arm:")
        for key in ("python", "rust"):
            values = [j[key] for j in judges if key in j]
            if values:
                print(f"  {key}: {fmt_time(values)}")


if __name__ == "__main__":
    main()
