"""Writes tests/vectors/rollout.json.

Expected values are derived by hand in the comments below (and, for the
20-region plan, by the independent wave model in rollout_waves.py). Each
case's `expected` is then completed from rollgate's output after the
hand-derived values have been checked against it (complete_vectors.py), so
the vector runners can match outputs exactly. The schedules passed as
*input* to rollback_plan / to_mermaid_gantt are produced by rollgate itself
(they are inputs, not expectations).

    .venv/bin/python tests/reference/gen_rollout_vectors.py
"""

from __future__ import annotations

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import rollout_waves  # noqa: E402
from complete_vectors import complete  # noqa: E402

import rollgate  # noqa: E402

OUT = pathlib.Path(__file__).parents[1] / "vectors" / "rollout.json"
T0 = "2026-11-24T09:00:00Z"  # a Tuesday
SVC = [  # layers: [db] 10m, [api] 5m, [web] 3m -> 18 minutes per region
    {"id": "db", "deploy_duration": "10m", "stateful": True},
    {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"},
    {"id": "web", "depends_on": ["api"], "deploy_duration": "3m", "customer_facing": True},
]
cases: list[dict] = []


def ok(name, fn, inp, exp):
    cases.append(complete({"name": name, "function": fn, "input": inp, "expected": exp}))


def err(name, fn, inp, code, path=None, fields=None):
    c = {"name": name, "function": fn, "input": inp, "error_code": code}
    if path is not None:
        c["error_path"] = path
    if fields:
        c["error_fields"] = fields
    cases.append(c)


def plan(regions, rollout=None, services=SVC, **extra):
    p = {"name": "shop", "services": services, "regions": regions}
    if rollout is not None:
        p["rollout"] = rollout
    p.update(extra)
    return p


def waves_of(ws):
    return [{"regions": w} for w in ws]


# 1. Canary first, then 1, 2, 4 ... by traffic share; 18m + 30m bake per wave.
r1 = [{"id": "c1", "tier": "canary", "traffic_share": 0.02}] + [
    {"id": i, "traffic_share": s}
    for i, s in [("a", 0.10), ("b", 0.20), ("c", 0.05), ("d", 0.15), ("e", 0.08), ("f", 0.12), ("g", 0.18)]
]
ok("canary first, then waves growing 1, 2, 4 smallest traffic first", "schedule_rollout",
   [plan(r1, {"bake_time": "30m"}), T0],
   {"total_duration_seconds": 4 * 48 * 60, "finish": "2026-11-24T12:12:00+00:00",
    "waves": [
        {"number": 1, "regions": ["c1"], "reasons": [{"code": "canary_first", "subjects": ["c1"]}],
         "start_seconds": 0, "finish_seconds": 1080,
         "gate": {"bake_seconds": 1800, "earliest_pass_seconds": 2880,
                  "checks": ["alarms_clear", "health", "smoke", "canary_verdict"]}},
        {"number": 2, "regions": ["c", "e"], "start": "2026-11-24T09:48:00+00:00", "start_seconds": 2880},
        {"number": 3, "regions": ["a", "d", "f", "g"], "start_seconds": 5760},
        {"number": 4, "regions": ["b"], "start_seconds": 8640},
    ]})
# 2. No canary: smallest region alone first (never the largest).
ok("no canary tier: the smallest region goes first, never the largest", "schedule_rollout",
   [plan([{"id": "big", "traffic_share": 0.6}, {"id": "mid", "traffic_share": 0.3}, {"id": "small", "traffic_share": 0.1}]), T0],
   {"waves": [{"regions": ["small"], "reasons": [{"code": "smallest_first", "subjects": ["small"]}]},
              {"regions": ["big", "mid"], "traffic_share": 0.9}],
    "total_duration_seconds": 2 * 18 * 60})
# 3. Pairs: east and west never share a wave; west waits for east's bake.
ok("paired regions are never in the same wave", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary", "traffic_share": 0.05},
          {"id": "east", "traffic_share": 0.4, "pair": "west"},
          {"id": "west", "traffic_share": 0.4, "pair": "east"},
          {"id": "north", "traffic_share": 0.1}], {"bake_time": "1h"}), T0],
   {"waves": [{"regions": ["c"]},
              {"regions": ["east", "north"],
               "reasons": [{"code": "growth", "subjects": []}, {"code": "pair_separated", "subjects": ["east", "west"]}]},
              {"regions": ["west"], "start_seconds": 2 * 78 * 60}]})
# 4. Region dependency: replica after its primary.
ok("a replica region waits for its primary", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary", "traffic_share": 0.05},
          {"id": "r", "traffic_share": 0.2, "depends_on": ["p"]},
          {"id": "p", "traffic_share": 0.3}]), T0],
   {"waves": [{"regions": ["c"]}, {"regions": ["p"]},
              {"regions": ["r"], "reasons": [{"code": "growth", "subjects": []},
                                             {"code": "region_dependency", "subjects": ["p", "r"]}]}]})
# 5. Concurrency cap.
ok("max_concurrent_regions caps a wave", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary", "traffic_share": 0.05}] +
         [{"id": f"x{i}", "traffic_share": 0.1} for i in range(1, 5)],
         {"growth_factor": 10, "max_concurrent_regions": 2}), T0],
   {"waves": [{"regions": ["c"]},
              {"regions": ["x1", "x2"], "reasons": [{"code": "growth", "subjects": []},
                                                    {"code": "concurrency_cap", "subjects": ["x3", "x4"],
                                                     "evidence": {"max_concurrent_regions": 2}}]},
              {"regions": ["x3", "x4"]}]})
# 6. Traffic cap, and a region over the cap on its own.
ok("max_traffic_per_wave caps a wave; a region above it goes alone", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary", "traffic_share": 0.05},
          {"id": "a", "traffic_share": 0.1}, {"id": "b", "traffic_share": 0.1},
          {"id": "d", "traffic_share": 0.2}, {"id": "z", "traffic_share": 0.5}],
         {"growth_factor": 4, "max_traffic_per_wave": 0.25}), T0],
   {"waves": [{"regions": ["c"]},
              {"regions": ["a", "b"], "traffic_share": 0.2,
               "reasons": [{"code": "growth", "evidence": {"growth_factor": 4, "target_size": 4}},
                           {"code": "traffic_cap", "subjects": ["d", "z"], "evidence": {"max_traffic_per_wave": 0.25}}]},
              {"regions": ["d"], "reasons": [{"code": "growth", "evidence": {"growth_factor": 4, "target_size": 16}},
                                             {"code": "traffic_cap", "subjects": ["z"]}]},
              {"regions": ["z"], "reasons": [{"code": "growth"},
                                             {"code": "over_traffic_cap", "subjects": ["z"],
                                              "evidence": {"traffic_share": 0.5, "max_traffic_per_wave": 0.25}}]}]})
# 7. Window wait: Friday 16:50 UTC, business hours 09-17 Mon-Fri. db (10m) fits
#    until 17:00; api must wait until Monday 09:00; web 09:05-09:08.
BUSINESS = {"time_zone": "UTC", "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]}
ok("a wave waits for the next release window and says why", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary", "calendar": "business"}], calendars={"business": BUSINESS}),
    "2026-11-27T16:50:00Z"],
   {"total_duration_seconds": 64 * 3600 + 18 * 60,
    "waves": [{"waits": [{"region": "c", "from": "2026-11-27T17:00:00+00:00", "until": "2026-11-30T09:00:00+00:00",
                          "seconds": 64 * 3600, "reasons": [{"code": "outside_allow", "subjects": []}]}],
               "steps": [{"service": "db", "start": "2026-11-27T16:50:00+00:00", "finish": "2026-11-27T17:00:00+00:00"},
                         {"service": "api", "start": "2026-11-30T09:00:00+00:00", "finish": "2026-11-30T09:05:00+00:00"},
                         {"service": "web", "start": "2026-11-30T09:05:00+00:00", "finish": "2026-11-30T09:08:00+00:00"}]}]})
# 8. Freeze overlapping an allow window, New York calendar; steps in local time.
NYC = {"time_zone": "America/New_York",
       "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
       "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"}]}
ok("a year-end freeze inside business hours holds the wave until January", "schedule_rollout",
   [plan([{"id": "us-east-1", "tier": "canary", "calendar": "nyc"}], calendars={"nyc": NYC}),
    "2026-12-21T10:00:00-05:00"],
   {"start": "2026-12-21T10:00:00-05:00",
    "waves": [{"waits": [{"region": "us-east-1", "from": "2026-12-21T10:00:00-05:00",
                          "until": "2027-01-04T09:00:00-05:00",
                          "reasons": [{"code": "deny_window", "subjects": ["deny/0"]}]}],
               "steps": [{"service": "db", "start": "2027-01-04T09:00:00-05:00"},
                         {"service": "api", "start": "2027-01-04T09:10:00-05:00"},
                         {"service": "web", "start": "2027-01-04T09:15:00-05:00", "finish": "2027-01-04T09:18:00-05:00"}]}]})
# 9. DST: London calendar, a batch that would run into 17:00 on the day after the
#    clocks go back waits for 09:00 GMT next morning (region reports in Europe/London).
LON = {"time_zone": "Europe/London", "allow": [{"start": "09:00", "end": "17:00"}]}
ok("DST London: after fall back, windows stay 09:00-17:00 local", "schedule_rollout",
   [plan([{"id": "eu-west-2", "tier": "canary", "calendar": "lon"}], calendars={"lon": LON},
         services=[{"id": "job", "deploy_duration": "2h"}]),
    "2026-10-24T15:30:00+01:00"],
   {"waves": [{"steps": [{"service": "job", "start": "2026-10-25T09:00:00+00:00", "finish": "2026-10-25T11:00:00+00:00"}]}],
    "total_duration_seconds": 20 * 3600 + 30 * 60})
# 10. DST: New York spring forward; the region reports in Asia/Tokyo.
NYDST = {"time_zone": "America/New_York", "allow": [{"start": "09:00", "end": "10:00"}]}
ok("DST New York: 09:00 local after spring forward, reported in the region's zone", "schedule_rollout",
   [plan([{"id": "ap-northeast-1", "tier": "canary", "calendar": "ny", "time_zone": "Asia/Tokyo"}],
         calendars={"ny": NYDST}, services=[{"id": "job", "deploy_duration": "30m"}]),
    "2026-03-07T12:00:00-05:00"],
   {"waves": [{"steps": [{"service": "job", "start": "2026-03-08T22:00:00+09:00", "finish": "2026-03-08T22:30:00+09:00"}]}]})
# 11. One box with its own bake.
ok("one box first, with its own bake", "schedule_rollout",
   [plan([{"id": "c", "tier": "canary"}], {"bake_time": "1h", "one_box": {"bake_time": "10m"}},
         services=[{"id": "api", "deploy_duration": "5m"}]), T0],
   {"total_duration_seconds": 80 * 60,
    "waves": [{"steps": [{"service": "api", "stage": "one_box", "start_seconds": 0, "finish_seconds": 300},
                         {"service": "api", "stage": "full", "start_seconds": 900, "finish_seconds": 1200}],
               "gate": {"earliest_pass_seconds": 4800}}]})
# 12. Expand/contract migrations.
MIG = [{"id": "schema_v2", "deploy_duration": "2m", "migration": {"phase": "expand", "reversible": True}},
       {"id": "app", "depends_on": ["schema_v2"], "deploy_duration": "5m"},
       {"id": "drop_old", "depends_on": ["app"], "deploy_duration": "1m", "migration": {"phase": "contract"}}]
MIGPLAN = plan([{"id": "c", "tier": "canary", "traffic_share": 0.1}, {"id": "s", "traffic_share": 0.9}], services=MIG)
ok("expand migration first in each region; contract migration last, everywhere", "schedule_rollout",
   [MIGPLAN, T0],
   {"total_duration_seconds": 900,
    "waves": [{"kind": "regions", "regions": ["c"],
               "steps": [{"service": "schema_v2", "migration": "expand", "reversible": True, "start_seconds": 0},
                         {"service": "app", "start_seconds": 120}]},
              {"kind": "regions", "regions": ["s"]},
              {"kind": "contract", "regions": ["c", "s"], "reasons": [{"code": "contract_phase"}],
               "steps": [{"service": "drop_old", "region": "c", "stage": "contract", "start_seconds": 840, "reversible": False},
                         {"service": "drop_old", "region": "s", "stage": "contract", "start_seconds": 840, "reversible": False}]}]})
# 13. The 20-region realistic plan (waves from the independent model).
R20 = [
    ("us-east-1", 0.19, "standard", "us-west-2", []), ("us-west-2", 0.12, "standard", "us-east-1", []),
    ("us-east-2", 0.08, "standard", None, ["us-east-1"]), ("eu-west-1", 0.12, "standard", "eu-central-1", []),
    ("eu-central-1", 0.08, "standard", "eu-west-1", []), ("eu-west-2", 0.05, "standard", None, []),
    ("eu-north-1", 0.02, "pilot", None, []), ("ap-southeast-1", 0.06, "standard", "ap-southeast-2", []),
    ("ap-southeast-2", 0.04, "standard", "ap-southeast-1", []), ("ap-northeast-1", 0.07, "standard", None, []),
    ("ap-south-1", 0.04, "standard", None, []), ("sa-east-1", 0.03, "standard", None, []),
    ("ca-central-1", 0.02, "pilot", None, []), ("me-south-1", 0.01, "canary", None, []),
    ("af-south-1", 0.01, "standard", None, []), ("ap-northeast-2", 0.02, "standard", None, []),
    ("eu-south-1", 0.01, "standard", None, []), ("il-central-1", 0.005, "standard", None, []),
    ("us-gov-west-1", 0.01, "standard", None, ["us-west-2"]), ("ap-east-1", 0.01, "standard", None, []),
]
regions20 = []
for rid, share, tier, pair, deps in R20:
    r = {"id": rid, "traffic_share": share, "tier": tier, "depends_on": deps}
    if pair:
        r["pair"] = pair
    if rid.startswith("ap-"):
        r["calendar"] = "apac"
    regions20.append(r)
policy20 = {"growth_factor": 2, "max_concurrent_regions": 5, "max_traffic_per_wave": 0.3, "bake_time": "1h",
            "min_gap_between_waves": "15m", "min_bake_samples": 500, "timeout": "30m", "max_failed_steps": 1}
plan20 = {"name": "storefront", "services": SVC + [{"id": "cache", "deploy_duration": "4m"}],
          "regions": regions20, "rollout": policy20,
          "calendars": {"apac": {"time_zone": "Asia/Tokyo", "deny": [{"days": ["sun"], "start": "00:00", "end": "24:00", "reason": "no Sunday deploys"}]},
                        "global": {"deny": [{"from": "2026-12-20T00:00:00Z", "to": "2027-01-04T00:00:00Z", "reason": "year-end freeze"}]}},
          "calendar": "global"}
plan20["services"][1] = {"id": "api", "depends_on": ["db", "cache"], "deploy_duration": "5m"}
w20 = rollout_waves.waves(regions20, policy20)
n = len(w20)
# Per wave: 18 minutes of steps, 60 minutes bake, 15 minutes gap before the next.
total20 = (n * 78 + (n - 1) * 15) * 60
first_ap = next(k for k, w in enumerate(w20) if any(r.startswith("ap-") for r in w))
ap_region = next(r for r in w20[first_ap] if r.startswith("ap-"))
ap_start = 9 * 3600 + first_ap * 93 * 60  # seconds after 00:00Z on the start day
h, m = divmod(ap_start // 60 + 9 * 60, 60)  # in JST (+09:00)
day = 24 + h // 24
ap_local = f"2026-11-{day:02d}T{h % 24:02d}:{m:02d}:00+09:00"
ok("20-region realistic plan: tiers, pairs, dependencies, caps, calendars", "schedule_rollout",
   [plan20, T0],
   {"total_duration_seconds": total20,
    "halt_rule": {"max_failed_steps": 1, "step_timeout_seconds": 1800},
    "waves": [{"regions": w, "start_seconds": k * 93 * 60,
               "gate": {"bake_seconds": 3600, "min_bake_samples": 500}} for k, w in enumerate(w20)]})
s20 = rollgate.schedule_rollout(plan20, T0)
step = next(s for s in s20["waves"][first_ap]["steps"] if s["region"] == ap_region and s["service"] == "db")
assert step["start"] == ap_local, (step["start"], ap_local)

# 14. Issue 9: a wave never mixes tiers. Wave 2's target is 2, but only one
#     pilot is ready: it goes alone and the standard regions wait (tier_order);
#     wave 3 (target 4) takes the three standard regions. 18 minutes per wave.
TIERS = [{"id": "c", "tier": "canary", "traffic_share": 0.02}, {"id": "p", "tier": "pilot", "traffic_share": 0.05},
         {"id": "s1", "traffic_share": 0.03}, {"id": "s2", "traffic_share": 0.2}, {"id": "s3", "traffic_share": 0.3}]
assert rollout_waves.waves(TIERS, {}) == [["c"], ["p"], ["s1", "s2", "s3"]]
ok("a wave never mixes tiers: the pilot goes alone before the standard regions", "schedule_rollout",
   [plan(TIERS), T0],
   {"total_duration_seconds": 3 * 18 * 60,
    "waves": [{"regions": ["c"], "reasons": [{"code": "canary_first", "subjects": ["c"]}]},
              {"regions": ["p"], "start_seconds": 18 * 60,
               "reasons": [{"code": "growth", "subjects": [], "evidence": {"growth_factor": 2, "target_size": 2}},
                           {"code": "tier_order", "subjects": ["s1", "s2", "s3"]}]},
              {"regions": ["s1", "s2", "s3"], "start_seconds": 36 * 60, "traffic_share": 0.53,
               "reasons": [{"code": "growth", "subjects": [], "evidence": {"growth_factor": 2, "target_size": 4}}]}]})
# 15. Regions in a depends_on chain: one wave each, in chain order (the chain
#     that took quadratic time at 100,000 regions; see benches/README.md).
CHAIN = [{"id": f"r{i}", "depends_on": [f"r{i - 1}"] if i else []} for i in range(5)]
ok("regions in a depends_on chain go one wave each, in chain order", "schedule_rollout",
   [plan(CHAIN), T0],
   {"total_duration_seconds": 5 * 18 * 60,
    "waves": [{"regions": [f"r{i}"], "start_seconds": i * 18 * 60,
               "reasons": ([{"code": "smallest_first", "subjects": ["r0"]}] if i == 0 else
                           [{"code": "growth", "subjects": []},
                            {"code": "region_dependency", "subjects": [f"r{i - 1}", f"r{i}"]}])}
              for i in range(5)]})
# 16. Issue 13: a wait across a freeze names the freeze. Friday 18 December
#     10:00 in New York is outside the Monday-Thursday allow windows; the next
#     Monday is inside the year-end freeze, so the wave waits 16 days 23 hours
#     until Monday 4 January 09:00, and the wait names both.
ok("a wait across the year-end freeze names the freeze, not only the closed window", "schedule_rollout",
   [plan([{"id": "us-east-1", "tier": "canary", "calendar": "nyc"}], calendars={"nyc": NYC}),
    "2026-12-18T10:00:00-05:00"],
   {"total_duration_seconds": 16 * 86400 + 23 * 3600 + 18 * 60,
    "waves": [{"waits": [{"region": "us-east-1", "from": "2026-12-18T10:00:00-05:00",
                          "until": "2027-01-04T09:00:00-05:00", "seconds": 16 * 86400 + 23 * 3600,
                          "reasons": [{"code": "outside_allow", "subjects": []},
                                      {"code": "deny_window", "subjects": ["deny/0"]}]}],
               "steps": [{"service": "db", "start": "2027-01-04T09:00:00-05:00"},
                         {"service": "api", "start": "2027-01-04T09:10:00-05:00"},
                         {"service": "web", "start": "2027-01-04T09:15:00-05:00", "finish": "2027-01-04T09:18:00-05:00"}]}]})
# 17. Issue 13: a service without deploy_duration counts as 0 s, and the
#     schedule says so. api (5m) and config (0 s) form one batch of 5 minutes.
ok("a service without deploy_duration is a zero_deploy_duration finding", "schedule_rollout",
   [plan([{"id": "a"}], services=[{"id": "api", "deploy_duration": "5m"}, {"id": "config"}]), T0],
   {"total_duration_seconds": 300,
    "findings": [{"code": "zero_deploy_duration", "subjects": ["config"]}],
    "waves": [{"steps": [{"service": "api", "start_seconds": 0, "finish_seconds": 300},
                         {"service": "config", "start_seconds": 0, "finish_seconds": 0}]}]})

# Rollback plans (input schedules come from rollgate; expectations by hand).
mig_schedule = rollgate.schedule_rollout(MIGPLAN, T0)
ok("rollback at a step: undo most recent wave first, dependents first", "rollback_plan",
   [mig_schedule, {"region": "s", "service": "app"}],
   {"recommendation": "roll_back", "not_started": 2, "cannot_undo": [],
    "undo": [{"service": "app", "region": "s", "wave": 2, "state": "in_flight"},
             {"service": "schema_v2", "region": "s", "wave": 2, "state": "completed"},
             {"service": "app", "region": "c", "wave": 1, "state": "completed"},
             {"service": "schema_v2", "region": "c", "wave": 1, "state": "completed"}]})
ok("rollback during the contract phase: roll forward, the contract cannot be undone", "rollback_plan",
   [mig_schedule, "2026-11-24T09:14:30Z"],
   {"recommendation": "roll_forward", "not_started": 0, "halted_at": "2026-11-24T09:14:30+00:00",
    "cannot_undo": [{"service": "drop_old", "region": "c", "wave": 3, "state": "in_flight"},
                    {"service": "drop_old", "region": "s", "wave": 3, "state": "in_flight"}],
    "undo": [{"service": "app", "region": "s"}, {"service": "schema_v2", "region": "s"},
             {"service": "app", "region": "c"}, {"service": "schema_v2", "region": "c"}],
    "reasons": [{"code": "irreversible_migration", "subjects": ["drop_old"]},
                {"code": "undo_in_reverse_order", "subjects": [], "evidence": {"steps": 4}}]})
ok("rollback before anything started: nothing to undo", "rollback_plan",
   [mig_schedule, "2026-11-24T08:00:00Z"],
   {"recommendation": "nothing_to_undo", "not_started": 6, "undo": [], "cannot_undo": [],
    "reasons": [{"code": "nothing_started", "subjects": []}]})
err("rollback at a step that is not in the schedule", "rollback_plan",
    [mig_schedule, {"region": "mars", "service": "app"}], "unknown_step", "halted_at",
    {"region": "mars", "service": "app"})
err("rollback at a malformed time", "rollback_plan", [mig_schedule, "noon"], "invalid_timestamp", "halted_at")

# Mermaid Gantt (UTC), one-box example: api one box 09:00-09:05, full 09:15-09:20, bake to 10:20.
ob_schedule = rollgate.schedule_rollout(
    plan([{"id": "c", "tier": "canary"}], {"bake_time": "1h", "one_box": {"bake_time": "10m"}},
         services=[{"id": "api", "deploy_duration": "5m"}]), T0)
ok("Mermaid Gantt of a one-region schedule", "to_mermaid_gantt", [ob_schedule],
   "gantt\n    title shop rollout (UTC)\n    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat %m-%d %H:%M\n"
   "    section Wave 1\n    c :w1_c, 2026-11-24 09:00:00, 2026-11-24 09:20:00\n"
   "    bake :active, w1_bake, 2026-11-24 09:20:00, 2026-11-24 10:20:00\n")

# Stateful service: 3 instance groups of 10m, each drained 2m first (12m per
# group: 0-12, 12-24, 24-36 minutes), then api 36-41 minutes. The 11m timeout is
# shorter than a 12m group step: a finding, not an error.
ST_PLAN = plan([{"id": "c", "tier": "canary"}], {"drain_time": "2m", "timeout": "11m"},
               services=[{"id": "db", "deploy_duration": "10m", "stateful": True, "instance_groups": 3},
                         {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}])
ok("a stateful service rolls one drained instance group at a time", "schedule_rollout", [ST_PLAN, T0],
   {"total_duration_seconds": 2460,
    "findings": [{"code": "step_exceeds_timeout", "subjects": ["db"], "evidence": {"timeout_seconds": 660}}],
    "halt_rule": {"step_timeout_seconds": 660},
    "waves": [{"steps": [
        {"service": "db", "group": 1, "drain_seconds": 120, "start_seconds": 0, "finish_seconds": 720},
        {"service": "db", "group": 2, "drain_seconds": 120, "start_seconds": 720, "finish_seconds": 1440},
        {"service": "db", "group": 3, "drain_seconds": 120, "start_seconds": 1440, "finish_seconds": 2160},
        {"service": "api", "start_seconds": 2160, "finish_seconds": 2460}]}]})
ok("rollback of a stateful service undoes its groups newest first", "rollback_plan",
   [rollgate.schedule_rollout(ST_PLAN, T0), "2026-11-24T09:30:00Z"],
   {"recommendation": "roll_back", "not_started": 1,
    "undo": [{"service": "db", "group": 3, "state": "in_flight"},
             {"service": "db", "group": 2, "state": "completed"},
             {"service": "db", "group": 1, "state": "completed"}]})

# Errors.
A = {"id": "a", "traffic_share": 0.1}
err("zero instance groups", "schedule_rollout",
    [plan([A], services=[{"id": "db", "stateful": True, "instance_groups": 0}]), T0],
    "invalid_input", "/services/0/instance_groups")
err("pair names an unknown region", "schedule_rollout", [plan([{"id": "a", "pair": "zz"}]), T0],
    "unknown_region", "/regions/0/pair", {"region": "a", "target": "zz"})
err("depends_on names an unknown region", "schedule_rollout", [plan([A, {"id": "b", "depends_on": ["zz"]}]), T0],
    "unknown_region", "/regions/1/depends_on/0")
err("a pair that is not symmetric", "schedule_rollout", [plan([{"id": "a", "pair": "b"}, {"id": "b"}]), T0],
    "asymmetric_pair", "/regions/0/pair", {"region": "a", "pair": "b", "pair_of_pair": None})
err("region dependency cycle", "schedule_rollout",
    [plan([{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]}, {"id": "c", "depends_on": ["a"]}]), T0],
    "region_cycle", "/regions/0/depends_on/0", {"cycle": ["a", "b", "a"], "members": ["a", "b"]})
err("negative traffic share", "schedule_rollout", [plan([{"id": "a", "traffic_share": -0.1}]), T0],
    "invalid_traffic_share", "/regions/0/traffic_share", {"value": -0.1})
err("traffic shares add up to more than 1", "schedule_rollout",
    [plan([{"id": "a", "traffic_share": 0.7}, {"id": "b", "traffic_share": 0.5}]), T0],
    "invalid_traffic_share", "/regions", {"value": 1.2})
err("unknown IANA zone on a region", "schedule_rollout", [plan([{"id": "a", "time_zone": "Europe/Atlantis"}]), T0],
    "invalid_time_zone", "/regions/0/time_zone", {"time_zone": "Europe/Atlantis"})
err("zero-length window in a plan calendar", "schedule_rollout",
    [plan([A], calendars={"biz": {"allow": [{"start": "09:00", "end": "09:00"}]}}), T0],
    "invalid_window", "/calendars/biz/allow/0")
err("unknown calendar", "schedule_rollout", [plan([{"id": "a", "calendar": "nope"}]), T0],
    "unknown_calendar", "/regions/0/calendar", {"calendar": "nope"})
err("a batch longer than every allow window", "schedule_rollout",
    [plan([{"id": "a", "calendar": "biz"}], calendars={"biz": {"allow": [{"start": "09:00", "end": "17:00"}]}},
          services=[{"id": "big", "deploy_duration": "10h"}]), T0],
    "window_too_short", "/regions/0/calendar", {"duration_seconds": 36000, "longest_window_seconds": 28800})
err("no allowed time within the horizon", "schedule_rollout",
    [plan([A], calendar="frozen",
          calendars={"frozen": {"deny": [{"from": "2026-01-01T00:00:00Z", "to": "2028-01-01T00:00:00Z"}]}}), T0],
    "no_window_within_horizon", "/calendar", {"horizon_seconds": 366 * 86400})
err("a service depending on a contract migration", "schedule_rollout",
    [plan([A], services=[{"id": "drop", "migration": {"phase": "contract"}}, {"id": "app", "depends_on": ["drop"]}]), T0],
    "contract_dependency", "/services/1/depends_on/0", {"service": "app", "migration": "drop"})
err("start without an offset", "schedule_rollout", [plan([A]), "2026-11-24 09:00"], "invalid_timestamp", "start")
err("duplicate region id", "schedule_rollout", [plan([A, A]), T0], "duplicate_id", "/regions/1/id")
err("growth factor below 1", "schedule_rollout", [plan([A], {"growth_factor": 0.5}), T0],
    "invalid_input", "/rollout/growth_factor")
err("no regions", "schedule_rollout", [plan([]), T0], "invalid_input", "/regions")
err("first_wave names an unknown region (issue 13: no region `first_wave`)", "schedule_rollout",
    [plan([A], {"first_wave": ["zz"]}), T0], "unknown_region", "/rollout/first_wave/0",
    {"region": None, "target": "zz"})
err("service dependency cycles are still reported by the graph", "schedule_rollout",
    [plan([A], services=[{"id": "x", "depends_on": ["y"]}, {"id": "y", "depends_on": ["x"]}]), T0],
    "dependency_cycle", "/services/0/depends_on/0")

OUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
print(len(cases), "cases; 20-region waves:", w20)
