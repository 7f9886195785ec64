#!/usr/bin/env python3
"""Times pandas computing the DORA medians of the synthetic history of
benches/src/lib.rs (`rollgate_benches::delivery`, re-created here with numpy
from the same counter-based splitmix64), and rollgate's Rust
`dora_metrics` on the same history in the same run (the `delivery_timing`
binary), and checks that both get the same numbers.

Usage:
    cargo build --release -p rollgate-benches --bin delivery_timing
    .venv/bin/pip install numpy pandas
    .venv/bin/python benches/delivery_peer.py [--sizes 300,3000,1000000] [--repeats 5]

Prints one markdown table row per size and query (totals, by service):
pandas and rollgate, wall / CPU time, and the CPU time of the two floors
of delivery_timing (read every record's instants once and sort the
deployments by finish; the same plus hashing every id, service and sha
string once), each as best-median per call over the repeats (small
histories run many calls per repeat), and the ratios of the bests. CPU
time (user + system, all threads) is what to compare on a loaded machine.
The numbers of both sides are asserted equal before anything is printed.

The peer is favoured: it works on ready numpy columns with integer commit
ids and integer times, while rollgate takes its record structs (strings,
timestamps) and also computes the fourkeys bucket, tiers and reasons. The
peer computes what rollgate's totals report: lead time median and p90 over
first shipments per (service, commit), change fail rate, incident and
failed-deployment recovery medians, deployments per day; and, as a
pandas group-by, per service what rollgate's `group_by: service` groups
report: lead time count, median and p90, change fail rate, restore median.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
T0 = 1_767_571_200
GAMMA = np.uint64(0x9E3779B97F4A7C15)


def r(seed: int, k: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (k + np.uint64(1)) * GAMMA
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def history(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    i = np.arange(n, dtype=np.uint64)
    r0, r1, r2, r3 = (r(seed, np.uint64(4) * i + np.uint64(j)) for j in range(4))
    finish = T0 + 30 * i.astype(np.int64) + ((r0 >> np.uint64(32)) % np.uint64(20)).astype(np.int64)
    code = (r1 % np.uint64(100)).astype(np.int64)
    status = np.where(code < 85, 0, np.where(code < 95, 1, 2))  # succeeded, failed, rolled back
    deployments = pd.DataFrame(
        {"service": (r0 % np.uint64(200)).astype(np.int64), "finish": finish, "status": status}
    )
    commits = pd.DataFrame(
        {
            "deployment": np.repeat(np.arange(n), 3),
            "service": np.repeat(deployments["service"].to_numpy(), 3),
            "finish": np.repeat(finish, 3),
            "ok": np.repeat(status == 0, 3),
            "sha": np.stack([((r2 >> np.uint64(20 * j)) & np.uint64(0xFFFFF)).astype(np.int64) for j in range(3)], 1).ravel(),
            "lead": np.stack([((r3 >> np.uint64(20 * j)) % np.uint64(604800)).astype(np.int64) for j in range(3)], 1).ravel(),
        }
    )
    has_incident = ((r1 >> np.uint64(32)) % np.uint64(50)) == 0
    incidents = pd.DataFrame(
        {
            "deployment": np.nonzero(has_incident)[0],
            "recovery": 60 + ((r1[has_incident] >> np.uint64(40)) % np.uint64(14400)).astype(np.int64),
        }
    )
    return deployments, commits, incidents


def peer(deployments: pd.DataFrame, commits: pd.DataFrame, incidents: pd.DataFrame) -> dict:
    # Lead time: first successful shipment of each (service, sha); rows are in finish order.
    shipped = commits[commits["ok"]].drop_duplicates(["service", "sha"], keep="first")
    lead = shipped["lead"]
    # Change fail rate: failed, rolled back, or caused an incident.
    failed = deployments["status"] != 0
    failed.iloc[incidents["deployment"].to_numpy()] = True
    # Failed-deployment recovery: per service, first failure of a run to the next success.
    d = deployments.sort_values(["service", "finish"], kind="stable")
    bad = d["status"] != 0
    prev_bad = bad.groupby(d["service"]).shift(1, fill_value=False)
    next_ok = d["finish"].where(~bad).groupby(d["service"]).bfill()
    restore = (next_ok - d["finish"])[bad & ~prev_bad].dropna()
    days = (deployments["finish"].max() // 86400 + 1 - deployments["finish"].min() // 86400)
    return {
        "deployments": len(deployments),
        "commits": len(lead),
        "lead_median": float(lead.median()),
        "lead_p90": float(lead.quantile(0.9)),
        "fail_rate": float(failed.mean()),
        "recovery_median": float(incidents["recovery"].median()),
        "restore_median": float(restore.median()),
        "per_day": float((deployments["status"] == 0).sum() / days),
    }


def peer_by_service(deployments: pd.DataFrame, commits: pd.DataFrame, incidents: pd.DataFrame) -> dict:
    """Per service: lead time count, median and p90, change fail rate, restore median."""
    shipped = commits[commits["ok"]].drop_duplicates(["service", "sha"], keep="first")
    lead = shipped.groupby("service")["lead"]
    failed = deployments["status"] != 0
    failed.iloc[incidents["deployment"].to_numpy()] = True
    fail_rate = failed.groupby(deployments["service"]).mean()
    d = deployments.sort_values(["service", "finish"], kind="stable")
    bad = d["status"] != 0
    prev_bad = bad.groupby(d["service"]).shift(1, fill_value=False)
    next_ok = d["finish"].where(~bad).groupby(d["service"]).bfill()
    starts = bad & ~prev_bad
    restore = (next_ok - d["finish"])[starts].dropna()
    restore_median = restore.groupby(d["service"][starts].loc[restore.index]).median()
    table = pd.DataFrame(
        {
            "commits": lead.size(),
            "lead_median": lead.median(),
            "lead_p90": lead.quantile(0.9),
            "fail_rate": fail_rate,
            "restore_median": restore_median,
        }
    )
    table["commits"] = table["commits"].fillna(0)
    return {f"svc{service}": row for service, row in table.to_dict("index").items()}


def agree(ours: dict, theirs: dict) -> None:
    """Asserts rollgate's numbers (`theirs`, None for no value) equal pandas' (NaN for none)."""
    for key, value in ours.items():
        other = theirs[key]
        if value != value:  # NaN: pandas' median of nothing
            assert other is None, (key, other, value)
            continue
        assert abs(other - value) <= 1e-9 * max(1.0, abs(value)), (key, other, value)


def calls(f) -> int:
    """Calls per timed repeat: about 0.3 s of them, from one call timed."""
    return min(1000, max(1, round(0.3 / min(per_call(1, f)[0] for _ in range(2)))))


def per_call(k: int, f) -> tuple[float, float]:
    """Wall and CPU seconds per call over k calls."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(k):
        f()
    return (time.perf_counter() - start) / k, (time.process_time() - cpu) / k


def fmt(seconds: list[float]) -> str:
    """Best-median range of per-call times, in ms or us."""
    lo, mid = min(seconds), statistics.median(seconds)
    if lo >= 0.01:
        return f"{lo * 1e3:.0f}-{mid * 1e3:.0f} ms"
    if lo >= 0.001:
        return f"{lo * 1e3:.1f}-{mid * 1e3:.1f} ms"
    return f"{lo * 1e6:.0f}-{mid * 1e6:.0f} us"


def run(n: int, seed: int, repeats: int, by_service: bool) -> None:
    deployments, commits, incidents = history(n, seed)
    compute = peer_by_service if by_service else peer
    result = compute(deployments, commits, incidents)
    call = lambda: compute(deployments, commits, incidents)  # noqa: E731
    k = calls(call)
    measured = [per_call(k, call) for _ in range(repeats)]
    times, cpu = [m[0] for m in measured], [m[1] for m in measured]
    binary = ROOT / "target" / "release" / "delivery_timing"
    argv = [str(binary), str(n), str(seed), str(repeats)] + (["by_service"] if by_service else [])
    rust = json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)
    if by_service:
        groups = {g["group"]: g for g in rust["groups"]}
        assert sorted(groups) == sorted(result), "the same services"
        for service, numbers in result.items():
            agree(numbers, groups[service])
    else:
        agree(result, rust)
    floors = [rust["floor_cpu_times"], rust["string_floor_cpu_times"]]
    query = "by service" if by_service else "totals"
    ours_cpu = min(rust["cpu_times"])
    print(
        f"| {n:,} | {query} | {fmt(times)} / {fmt(cpu)} | {fmt(rust['times'])} / {fmt(rust['cpu_times'])} | "
        f"**{min(times) / min(rust['times']):.1f}x** / **{min(cpu) / ours_cpu:.1f}x** | "
        + " | ".join(f"{fmt(f)} ({ours_cpu / min(f):.1f}x)" for f in floors)
        + " |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="300,3000,1000000", help="deployments per history, comma-separated")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"pandas {pd.__version__}, numpy {np.__version__}; best-median per call of {args.repeats} repeats, wall / CPU")
    print(
        "| deployments (x 3 commits) | query | pandas | rollgate `dora_metrics` | pandas / rollgate (best) "
        "| floor CPU: read instants + sort by finish (rollgate / floor) | floor CPU + hash every id, service, sha (rollgate / floor) |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in (int(x) for x in args.sizes.split(",")):
        for by_service in (False, True):
            run(n, args.seed, args.repeats, by_service)


if __name__ == "__main__":
    main()
