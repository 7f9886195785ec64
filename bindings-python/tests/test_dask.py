"""rollgate inside Dask: a LocalCluster of two worker processes gives exactly
the results of one process (risk scores and canary verdicts), so a platform
team can spread an organisation's changes over an existing cluster."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import cloudpickle
import numpy as np
from dask.distributed import Client, LocalCluster

import rollgate

# The workers cannot import this test module by name: ship its functions.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

CONFIG: dict[str, Any] = {
    "metrics": [
        {"name": "latency_ms", "direction": "increase", "allowed_increase": 1.05},
        {"name": "errors", "kind": "count", "direction": "increase", "critical": True},
    ],
}


def score(start: int, count: int) -> tuple[int, str]:
    rng = np.random.default_rng([7, start])
    added = rng.lognormal(3.5, 1.5, count).round()
    results = [
        rollgate.assess_risk({
            "id": f"c{start + i}", "author": f"dev{i % 13}", "services": [f"svc{i % 5}"],
            "lines_added": float(added[i]), "files_changed": float(1 + i % 9),
            "kind": ["feature", "fix", "schema"][i % 3], "has_migration": i % 7 == 0,
        })
        for i in range(count)
    ]
    return os.getpid(), json.dumps(results, sort_keys=True)


def judge(start: int, count: int) -> tuple[int, str]:
    rng = np.random.default_rng([8, start])
    verdicts = []
    for i in range(count):
        base, canary = rng.normal(100, 10, 400), rng.normal(100 + (i % 3), 10, 100)
        verdicts.append(rollgate.judge_canary(CONFIG, {
            "latency_ms": {"baseline": base, "canary": canary},
            "errors": {"baseline": {"events": 3, "trials": 40_000},
                       "canary": {"events": [0, 1, 4, 40][i % 4], "trials": 10_000}},
        }))
    return os.getpid(), json.dumps(verdicts, sort_keys=True)


def test_two_workers_give_the_results_of_one_process() -> None:
    risk_parts = [(start, 250) for start in range(0, 1000, 250)]
    canary_parts = [(start, 10) for start in range(0, 40, 10)]
    local_risk = [score(*p)[1] for p in risk_parts]
    local_canary = [judge(*p)[1] for p in canary_parts]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        workers = set(client.run(os.getpid).values())
        risk = client.gather(client.map(score, *zip(*risk_parts), pure=False))
        canary = client.gather(client.map(judge, *zip(*canary_parts), pure=False))
    assert len(workers) == 2 and os.getpid() not in workers
    assert {pid for pid, _ in risk + canary} <= workers
    assert [r for _, r in risk] == local_risk
    assert [c for _, c in canary] == local_canary
    decisions = {v["decision"] for part in local_canary for v in json.loads(part)}
    assert len(decisions) > 1, decisions  # the canaries do not all end the same way
