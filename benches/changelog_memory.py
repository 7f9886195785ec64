#!/usr/bin/env python3
"""Peak memory of verify_change_log on a long log, from Python.

Builds a log of N decision records (default 1,000,000) with
append_change_record, then measures how much the process's peak resident
memory grows during one verify_change_log call (VmHWM, reset before the call
through /proc/self/clear_refs; Linux only):

- a list is verified one record at a time (the streaming path);
- a tuple is read whole into a Vec first (the path every log took before
  verification streamed), which shows what streaming saves.

Usage: .venv/bin/python benches/changelog_memory.py [N]
"""
from __future__ import annotations

import sys
import time

import rollgate


def kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def measure(label: str, log: object) -> None:
    reset_peak()
    before = kib("VmRSS")
    t = time.perf_counter()
    report = rollgate.verify_change_log(log)
    elapsed = time.perf_counter() - t
    peak = kib("VmHWM")
    assert report["valid"], report
    print(f"{label}: {elapsed:.2f} s, peak RSS {peak / 1024:.0f} MiB, "
          f"+{(peak - before) / 1024:.0f} MiB over the {before / 1024:.0f} MiB before the call")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    log: list[dict] = []
    tail = None
    for i in range(n):
        tail = rollgate.append_change_record(tail, {
            "kind": "governance", "at": "2026-03-01T10:00:00Z",
            "inputs": {"change": f"CHG-{i}", "level": "low", "score": i % 100},
            "outputs": {"allowed": i % 7 != 0, "approvers": ["bo", "cy"]},
        })
        log.append(tail)
    print(f"{n} records built")
    measure("list (streamed)", log)
    measure("tuple (read whole, as before)", tuple(log))


if __name__ == "__main__":
    main()
