#!/usr/bin/env python3
"""Per-call cost of a small call from Python and from Node: the overhead of
crossing the language boundary (reading the arguments, building the
result, the panic guard), since the engine's own work is tiny here.

Calls: order_services on a 5-service plan, and check_window on a one-window
calendar. Each is timed in batches (median over batches, microseconds per
call), from Python in this process and from Node in a child process.

Usage (release builds give the numbers in benches/README.md):
    (cd bindings-python && maturin develop --release)
    (cd bindings-node && npx napi build --platform --release --js native.js --dts native.d.ts)
    python benches/call_overhead.py [--node-only | --python-only]
"""

from __future__ import annotations

import json
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

PLAN = {
    "name": "small",
    "services": [
        {"id": "db", "deploy_duration": "10m", "stateful": True},
        {"id": "cache", "deploy_duration": 120},
        {"id": "api", "depends_on": ["db", "cache"], "deploy_duration": "5m"},
        {"id": "worker", "depends_on": ["db"], "deploy_duration": "3m"},
        {"id": "web", "depends_on": ["api"], "deploy_duration": "2m", "customer_facing": True},
    ],
}
CALENDAR = {
    "time_zone": "Europe/Berlin",
    "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
}
CALLS = {
    "order_services (5 services)": ("order_services", [PLAN]),
    "check_window (one window)": ("check_window", [CALENDAR, "2026-11-26T10:00:00+01:00", "30m"]),
}
BATCH, BATCHES = 2000, 25

NODE = r"""
const rollgate = require(process.argv[1])
const calls = JSON.parse(process.argv[2])
const [batch, batches] = [Number(process.argv[3]), Number(process.argv[4])]
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const out = {}
for (const [label, [name, args]] of Object.entries(calls)) {
  const fn = rollgate[camel(name)]
  for (let i = 0; i < batch; i++) fn(...args)
  const times = []
  for (let b = 0; b < batches; b++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < batch; i++) fn(...args)
    times.push(Number(process.hrtime.bigint() - t) / 1e3 / batch)
  }
  times.sort((a, b) => a - b)
  out[label] = times[Math.floor(times.length / 2)]
}
process.stdout.write(JSON.stringify(out))
"""


def python_times() -> dict[str, float]:
    import rollgate

    out = {}
    for label, (name, args) in CALLS.items():
        fn = getattr(rollgate, name)
        for _ in range(BATCH):
            fn(*args)
        times = []
        for _ in range(BATCHES):
            t = time.perf_counter()
            for _ in range(BATCH):
                fn(*args)
            times.append((time.perf_counter() - t) / BATCH * 1e6)
        out[label] = statistics.median(times)
    return out


def node_times() -> dict[str, float]:
    done = subprocess.run(
        ["node", "-e", NODE, str(ROOT / "bindings-node"), json.dumps(CALLS), str(BATCH), str(BATCHES)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    python = {} if "--node-only" in sys.argv else python_times()
    node = {} if "--python-only" in sys.argv else node_times()
    for label in CALLS:
        parts = []
        if label in python:
            parts.append(f"Python {python[label]:6.2f} µs")
        if label in node:
            parts.append(f"Node {node[label]:6.2f} µs")
        print(f"{label:30} " + "   ".join(parts))


if __name__ == "__main__":
    main()
