#!/usr/bin/env python3
"""Scale-out on Dask: rollgate inside an existing engine, not a home-made one.

Scores the risk of N synthetic changes (default 1,000,000) and judges M
canaries (default 10,000), split into partitions, four ways:

1. one process, one thread, partition after partition (the reference);
2. one process, a thread pool of 1 and of 2 threads (rollgate releases the
   GIL while the engine works, so a second thread helps as far as the
   engine's share of a call goes: reading the dicts in and building the
   result dicts out still holds the GIL);
3. a ``dask.distributed`` LocalCluster of 1 and of 2 worker processes (one
   thread each), the partitions as ``client.map`` tasks.

Each partition generates its own inputs from a seed (nothing big crosses a
process boundary) and returns a SHA-256 digest of the canonical JSON of
every result in order plus the numbers a caller would keep (risk
probabilities, canary decisions). Every run must give the digests of the
reference, bit for bit; the script exits with status 1 if one does not.

Usage (from the repository root; needs numpy and ``dask[distributed]``, and
the extension built in release mode for meaningful numbers):

    .venv/bin/python -m pip install 'dask[distributed]' numpy
    (cd bindings-python && ../.venv/bin/maturin develop --release)
    .venv/bin/python benches/scale_out.py                       # full size
    .venv/bin/python benches/scale_out.py --changes 20000 --canaries 500   # quick

Throughput is reported per configuration as items per second and as a
ratio to the reference. On a shared 2-core machine the 2-way figures are
bounded by 2x and by whatever else runs there: read them as ranges over
repeated runs (``--repeat``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np

import rollgate

KINDS = ["feature", "fix", "config", "schema", "infrastructure"]

CANARY_CONFIG: dict[str, Any] = {
    "metrics": [
        {"name": "latency_ms", "direction": "increase", "allowed_increase": 1.05},
        {"name": "latency_dist", "compare": "distribution", "direction": "increase"},
        {"name": "p99_ms", "kind": "quantile", "quantile": 0.99, "direction": "increase"},
        {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
    ],
    "correction": "holm",
    "thresholds": {"pass": 95, "marginal": 75},
}


def changes(seed: int, start: int, count: int) -> list[dict[str, Any]]:
    """`count` synthetic changes, ids `start`.., from `seed` + `start`."""
    rng = np.random.default_rng([seed, start])
    added = rng.lognormal(3.5, 1.5, count).round()
    deleted = (added * rng.uniform(0, 0.8, count)).round()
    before = rng.lognormal(6.5, 1.2, count).round()
    files = 1 + rng.poisson(3, count)
    entropy = rng.uniform(0, 3, count).round(3)
    kind = rng.integers(0, len(KINDS), count)
    flags = rng.uniform(0, 1, (count, 4))
    hour = rng.integers(0, 24, count)
    day = rng.integers(1, 29, count)
    return [
        {
            "id": f"chg-{start + i}",
            "author": f"dev{(start + i) % 997}",
            "services": [f"svc{(start + i) % 211}"],
            "lines_added": float(added[i]),
            "lines_deleted": float(deleted[i]),
            "lines_before": float(before[i]),
            "files_changed": float(files[i]),
            "entropy": float(entropy[i]),
            "is_fix": bool(flags[i, 0] < 0.3),
            "kind": KINDS[int(kind[i])],
            "has_migration": bool(flags[i, 1] < 0.1),
            "behind_feature_flag": bool(flags[i, 2] < 0.4),
            "change_type": "emergency" if flags[i, 3] < 0.02 else "normal",
            "planned_start": f"2026-02-{int(day[i]):02d}T{int(hour[i]):02d}:30:00Z",
        }
        for i in range(count)
    ]


def canaries(seed: int, start: int, count: int, samples: int) -> list[dict[str, Any]]:
    """`count` canaries' data, numpy samples of `samples` values per side."""
    rng = np.random.default_rng([seed, start, 1])
    out = []
    for _ in range(count):
        shift = rng.choice([0.0, 0.0, 0.0, 4.0])
        base = rng.normal(120.0, 15.0, samples * 4)
        canary = rng.normal(120.0 + shift, 15.0, samples)
        errors = int(rng.poisson(1.0 if shift == 0.0 else 6.0))
        out.append({
            "latency_ms": {"baseline": base, "canary": canary},
            "latency_dist": {"baseline": base, "canary": canary},
            "p99_ms": {"baseline": base, "canary": canary},
            "errors": {"baseline": {"events": int(rng.poisson(4.0)), "trials": samples * 40},
                       "canary": {"events": errors, "trials": samples * 10}},
        })
    return out


def digest(results: list[Any]) -> str:
    text = json.dumps(results, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def risk_partition(seed: int, start: int, count: int) -> tuple[str, np.ndarray]:
    """Scores one partition (its inputs made in place, the same way in every
    configuration): the digest of every result and the probabilities."""
    results = [rollgate.assess_risk(c) for c in changes(seed, start, count)]
    return digest(results), np.array([r["probability"] for r in results])


def canary_partition(seed: int, start: int, count: int, samples: int) -> tuple[str, list[str]]:
    """Judges one partition of canaries: the digest of every verdict and the decisions."""
    verdicts = [rollgate.judge_canary(CANARY_CONFIG, d) for d in canaries(seed, start, count, samples)]
    return digest(verdicts), [v["decision"] for v in verdicts]


def partitions(total: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(size, total - start)) for start in range(0, total, size)]


Runner = Callable[[Callable[..., Any], list[tuple[Any, ...]]], list[Any]]


def sequential(f: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    return [f(*a) for a in args]


def threads(n: int) -> Runner:
    def run(f: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(lambda a: f(*a), args))
    return run


def dask_runner(client: Any) -> Runner:
    def run(f: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
        futures = client.map(f, *zip(*args), pure=False)
        return client.gather(futures)
    return run


def measure(name: str, run: Runner, job: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    risk = run(risk_partition, job["risk_args"])
    t1 = time.perf_counter()
    canary = run(canary_partition, job["canary_args"])
    t2 = time.perf_counter()
    return {
        "name": name,
        "risk_seconds": t1 - t0,
        "canary_seconds": t2 - t1,
        "risk_digests": [d for d, _ in risk],
        "risk_probabilities": np.concatenate([p for _, p in risk]),
        "canary_digests": [d for d, _ in canary],
        "decisions": [x for _, ds in canary for x in ds],
    }


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["risk_digests"] == b["risk_digests"]
        and a["canary_digests"] == b["canary_digests"]
        and np.array_equal(a["risk_probabilities"], b["risk_probabilities"])
        and a["decisions"] == b["decisions"]
    )


def gil_check(n: int = 1_000_000) -> tuple[float, float]:
    """Seconds of one engine call (Mann-Whitney, 2 x `n` samples) and how
    much pure-Python work another thread got done meanwhile, as a share of
    what it does in the same time alone: near 1 (or, with one core free,
    above) when the GIL is released during the work, near 0 when held."""
    import threading

    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, n), rng.normal(0.01, 1, n)

    def loops(seconds: float, stop: threading.Event | None = None) -> int:
        count, end = 0, time.perf_counter() + seconds
        while (stop is None and time.perf_counter() < end) or (stop is not None and not stop.is_set()):
            sum(range(2000))  # pure Python: needs the GIL
            count += 1
        return count

    stop = threading.Event()
    counted: list[int] = []
    spinner = threading.Thread(target=lambda: counted.append(loops(0, stop)))
    t0 = time.perf_counter()
    spinner.start()
    rollgate.mann_whitney(x, y)
    elapsed = time.perf_counter() - t0
    stop.set()
    spinner.join()
    alone = loops(elapsed)
    return elapsed, counted[0] / max(alone, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--canaries", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200, help="canary samples per metric")
    parser.add_argument("--partition", type=int, default=20_000, help="changes per partition")
    parser.add_argument("--canary-partition", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument("--seed", type=int, default=2026)
    opts = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    job = {
        "risk_args": [(opts.seed, s, n) for s, n in partitions(opts.changes, opts.partition)],
        "canary_args": [(opts.seed, s, n, opts.samples)
                        for s, n in partitions(opts.canaries, opts.canary_partition)],
    }
    print(f"{opts.changes:,} changes in {len(job['risk_args'])} partitions, "
          f"{opts.canaries:,} canaries ({opts.samples} samples per side and metric) "
          f"in {len(job['canary_args'])} partitions; {opts.repeat} run(s) each")

    seconds, share = gil_check()
    print(f"GIL: during one Mann-Whitney call on 2 x 1,000,000 samples ({seconds:.2f} s) another "
          f"Python thread did {share:.0%} of the pure-Python work it does alone in that time "
          f"(near 0 would mean the GIL is held)")
    rows: list[dict[str, Any]] = []
    reference = measure("reference: 1 process, sequential", sequential, job)
    rows.append(reference)
    failed = False
    for _ in range(opts.repeat):
        configs: list[tuple[str, Runner]] = [("1 process, 1 thread (pool)", threads(1)),
                                             ("1 process, 2 threads", threads(2))]
        for name, runner in configs:
            rows.append(measure(name, runner, job))
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                client.run(lambda: __import__("rollgate"))  # import outside the timed part
                rows.append(measure(f"dask LocalCluster, {workers} worker(s) x 1 thread",
                                    dask_runner(client), job))
    print(f"\n{'configuration':<40} {'changes/s':>11} {'ratio':>6} {'canaries/s':>11} {'ratio':>6}  equal")
    for row in rows:
        ok = same(row, reference)
        failed |= not ok
        risk_rate = opts.changes / row["risk_seconds"]
        canary_rate = opts.canaries / row["canary_seconds"]
        print(f"{row['name']:<40} {risk_rate:>11,.0f} {reference['risk_seconds'] / row['risk_seconds']:>5.2f}x"
              f" {canary_rate:>11,.0f} {reference['canary_seconds'] / row['canary_seconds']:>5.2f}x  {ok}")
    decisions = {d: reference["decisions"].count(d) for d in sorted(set(reference["decisions"]))}
    print(f"\ncanary decisions: {decisions}; mean risk probability "
          f"{reference['risk_probabilities'].mean():.4f}")
    if failed:
        print("a configuration's results differ from the single-process run", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
