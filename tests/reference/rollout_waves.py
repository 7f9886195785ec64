"""Independent reference for the region-wave rule of schedule_rollout.

Written from the rule stated in core/src/rollout.rs's module docs (not from
the Rust code) and used to compute the expected waves of the 20-region
vector in tests/vectors/rollout.json:

    python3 tests/reference/rollout_waves.py

prints the waves of that plan, its total duration, and the durations used.
"""

from __future__ import annotations

import json
import math
import pathlib

TIER = {"canary": 0, "pilot": 1, "standard": 2}


def waves(regions: list[dict], policy: dict) -> list[list[str]]:
    by_id = {r["id"]: r for r in regions}
    order = sorted(regions, key=lambda r: (TIER[r.get("tier", "standard")], r.get("traffic_share", 0.0), r["id"]))
    placed: dict[str, int] = {}
    out: list[list[str]] = []
    target = 1.0
    cap = policy.get("max_concurrent_regions", math.inf)
    tcap = policy.get("max_traffic_per_wave", math.inf)
    g = policy.get("growth_factor", 2.0)
    while len(placed) < len(regions):
        k = len(out)
        ready = [r["id"] for r in order if r["id"] not in placed
                 and all(d in placed and placed[d] < k for d in r.get("depends_on", []))]
        # A wave never mixes tiers: it draws from the first tier among the ready.
        first_tier = min(TIER[by_id[r].get("tier", "standard")] for r in ready)
        of_first_tier = [r for r in ready if TIER[by_id[r].get("tier", "standard")] == first_tier]
        if k == 0:
            canaries = [r for r in ready if by_id[r].get("tier") == "canary"]
            if canaries:
                pool, limit = canaries, math.inf
            else:
                pool = [min(of_first_tier, key=lambda r: (by_id[r].get("traffic_share", 0.0), r))]
                limit = 1
        else:
            target *= g
            limit = math.ceil(target - 1e-9)
            pool = of_first_tier
        chosen: list[str] = []
        traffic = 0.0
        for r in pool:
            share = by_id[r].get("traffic_share", 0.0)
            if by_id[r].get("pair") in chosen:
                continue
            if len(chosen) >= limit or len(chosen) >= cap:
                continue
            if chosen and traffic + share > tcap + 1e-12:
                continue
            chosen.append(r)
            traffic += share
        for r in chosen:
            placed[r] = k
        out.append(sorted(chosen))
    return out


if __name__ == "__main__":
    doc = json.loads((pathlib.Path(__file__).parents[1] / "vectors" / "rollout.json").read_text())
    case = next(c for c in doc["cases"] if c["name"].startswith("20-region"))
    plan = case["input"][0]
    w = waves(plan["regions"], plan["rollout"])
    print(json.dumps(w))
