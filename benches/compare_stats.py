#!/usr/bin/env python3
"""Mann-Whitney on 1,000,000 vs 1,000,000 samples: rollgate (Rust, and Python
with numpy arrays) against scipy.stats.mannwhitneyu, same data, same run.

    .venv/bin/pip install scipy numpy
    (cd bindings-python && ../.venv/bin/maturin develop --release)
    cargo build --release -p rollgate-benches --bin stats_timing
    .venv/bin/python benches/compare_stats.py [--n 1000000] [--repeats 5] [--rounded]

scipy computes the U statistic and p-value only (no Hodges-Lehmann estimate
or interval: it has none); rollgate computes U, the tie-corrected p-value,
the estimate and the 95 % interval. Ratios are scipy time / rollgate time
(best of the repeats).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import tempfile
import time

import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[1]


def best_of(fn, repeats: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--rounded", action="store_true", help="round the samples to integers (heavy ties, like latencies in whole ms)"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    x = rng.lognormal(3.0, 0.5, args.n) * 1.001
    y = rng.lognormal(3.0, 0.5, args.n)
    if args.rounded:
        x, y = np.round(x), np.round(y)

    t_scipy, ref = best_of(
        lambda: stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True),
        args.repeats,
    )
    print(f"scipy.stats.mannwhitneyu:       {t_scipy * 1e3:9.1f} ms  U={ref.statistic} p={ref.pvalue:.6g}")

    rows = {"scipy": t_scipy}
    try:
        import rollgate

        t_py, res = best_of(lambda: rollgate.mann_whitney(x, y), args.repeats)
        rows["python"] = t_py
        print(
            f"rollgate (Python, numpy):       {t_py * 1e3:9.1f} ms  U={res['statistic']} p={res['p_value']:.6g}"
            f" estimate={res['estimate']:.6g} ci={res['ci']}"
        )
        assert res["statistic"] == ref.statistic
        assert abs(res["p_value"] - ref.pvalue) <= 1e-9 * max(ref.pvalue, 1e-300) + 1e-15
    except ImportError:
        print("rollgate Python package not installed; skipping")

    binary = ROOT / "target" / "release" / "stats_timing"
    if binary.exists():
        with tempfile.NamedTemporaryFile(suffix=".f64") as f:
            np.concatenate([x, y]).astype("<f8").tofile(f.name)
            out = subprocess.run(
                [str(binary), f.name, str(args.n), str(args.repeats)], check=True, capture_output=True, text=True
            ).stdout
        res = json.loads(out)
        rows["rust"] = res["best"]
        print(f"rollgate (Rust):                {res['best'] * 1e3:9.1f} ms  U={res['statistic']} p={res['p_value']:.6g}")
        rows["sort floor"] = res["sort_best"]
        print(f"  of which no exact method escapes: sorting both samples (two threads) {res['sort_best'] * 1e3:.1f} ms")
    else:
        print(f"{binary} not built; skipping (cargo build --release -p rollgate-benches --bin stats_timing)")

    for name in ("rust", "python", "sort floor"):
        if name in rows:
            print(f"ratio scipy / rollgate {name}: {t_scipy / rows[name]:.1f}x")


if __name__ == "__main__":
    main()
