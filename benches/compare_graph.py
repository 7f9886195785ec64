#!/usr/bin/env python3
"""Times rollgate's dependency layering against networkx on the same graph,
in the same run, and prints ratios.

The graph: the seeded random DAG of 100,000 services and 500,000
dependencies that benches/src/lib.rs `random_dag` builds (splitmix64, seed
42), rebuilt here identically. Contenders:

- networkx.topological_generations on a prebuilt DiGraph (graph building not
  timed, to be generous to the peer);
- rollgate.order_services from Python, dicts in and dicts out (conversion
  included);
- rollgate.order_services in Rust (release build, benches/src/bin/graph_timing.rs).

Usage: python benches/compare_graph.py [n] [m]   (needs networkx and the
rollgate Python package built in release mode: `maturin develop --release`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

MASK = (1 << 64) - 1


def splitmix64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def random_dag(n: int, m: int, seed: int = 42) -> dict:
    state = seed
    deps: list[list[int]] = [[] for _ in range(n)]
    seen: set[tuple[int, int]] = set()
    while len(seen) < m:
        state, a = splitmix64(state)
        state, b = splitmix64(state)
        a, b = a % n, b % n
        if a == b:
            continue
        lo, hi = (a, b) if a < b else (b, a)
        if (lo, hi) not in seen:
            seen.add((lo, hi))
            deps[hi].append(lo)
    return {
        "name": f"random-{n}-{m}-{seed}",
        "services": [
            {
                "id": f"s{i}",
                "depends_on": [f"s{j}" for j in d],
                "deploy_duration": 60 + (i * 7) % 600,
                "stateful": i % 10 == 0,
                "customer_facing": i % 7 == 0,
            }
            for i, d in enumerate(deps)
        ],
    }


def best_of(fn, repeats: int) -> tuple[float, object]:
    """Best wall time in ms, with the garbage collector paused as timeit does:
    otherwise a full collection over the 600,000-object plan lands inside
    whichever call happens to allocate past the threshold."""
    import gc

    best, result = float("inf"), None
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            t = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - t)
    finally:
        if enabled:
            gc.enable()
    return best * 1e3, result


def main() -> None:
    import networkx as nx

    import rollgate

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
    here = os.path.dirname(os.path.abspath(__file__))
    rust = subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "rollgate-benches", "--bin", "graph_timing", "--", str(n), str(m)],
        cwd=os.path.dirname(here), check=True, capture_output=True, text=True,
    )
    rust_result = json.loads(rust.stdout)

    plan = random_dag(n, m)
    g = nx.DiGraph()
    g.add_nodes_from(s["id"] for s in plan["services"])
    g.add_edges_from((d, s["id"]) for s in plan["services"] for d in s["depends_on"])

    nx_ms, nx_waves = best_of(lambda: [sorted(w) for w in nx.topological_generations(g)], 3)
    py_ms, order = best_of(lambda: rollgate.order_services(plan), 3)
    assert order["waves"] == nx_waves, "rollgate and networkx disagree on the waves"

    print(f"graph: {n} services, {m} dependencies, {len(nx_waves)} waves (identical in both)")
    print(f"networkx.topological_generations (+ sort per wave): {nx_ms:9.1f} ms")
    print(f"rollgate.order_services from Python (dicts in/out): {py_ms:9.1f} ms   {nx_ms / py_ms:5.1f}x faster than networkx")
    r = rust_result["order_services_ms"]
    print(f"rollgate::order_services in Rust:                    {r:9.1f} ms   {nx_ms / r:5.1f}x faster than networkx")
    print(f"rollgate::blast_radius, 100 services, Rust:          {rust_result['blast_radius_100_ms']:9.1f} ms")
    print(f"peak RSS of the Rust process (plan + graph + result): {rust_result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
