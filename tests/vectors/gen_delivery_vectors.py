#!/usr/bin/env python3
"""Regenerates tests/vectors/delivery.json (dora_metrics, assess_maturity).

Run with the worktree's virtualenv (pandas, numpy):
    .venv/bin/python tests/vectors/gen_delivery_vectors.py

Every expected number is computed here, independently of the Rust code, from
the semantics documented in core/src/delivery/: pandas for the record
bookkeeping (first shipment of a commit per service, failure episodes),
numpy.quantile(method="linear") (R type 7) for medians and p90, the DORA
report tables re-typed from the reports, and a brute-force scan for the
tier targets (instead of Rust's cut-point probing). The hand-computed
90-day history is also checked against the numbers worked out by hand in
its description (HAND below), so a change to the data cannot silently move
them.
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
DAY = 86400.0
HOUR = 3600.0


# ------------------------------------------------------------------ formatting
def num(x):
    """Rust's f64 Display: shortest round-trip, no trailing '.0'."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def round3(v):
    # Rust's f64::round rounds half away from zero; no value here sits on a half.
    return math.floor(v * 1000 + 0.5) / 1000 if v >= 0 else -math.floor(-v * 1000 + 0.5) / 1000


def human(seconds):
    if seconds < HOUR:
        return f"{num(round3(seconds / 60))} min"
    if seconds < DAY:
        return f"{num(round3(seconds / HOUR))} h"
    if seconds == DAY:
        return "1 day"
    return f"{num(round3(seconds / DAY))} days"


def reason(code, message, subjects=(), evidence=None):
    out = {"code": code, "message": message, "subjects": sorted(set(subjects))}
    if evidence:
        out["evidence"] = evidence
    return out


# ----------------------------------------------------------------- tier tables
MONTH, SIX = 30 * DAY, 180 * DAY
LT = {
    "day": (0, DAY, "less than one day"),
    "day_week": (DAY, 7 * DAY, "between one day and one week"),
    "week_month": (7 * DAY, MONTH, "between one week and one month"),
    "month_six": (MONTH, SIX, "between one month and six months"),
}
DF = {
    "demand": (1.0, math.inf, "on demand (multiple deploys per day)"),
    "day_week": (1 / 7, 1.0, "between once per day and once per week"),
    "week_month": (1 / 30, 1 / 7, "between once per week and once per month"),
    "month_six": (1 / 180, 1 / 30, "between once per month and once every six months"),
}
RT = {
    "hour": (0, HOUR, "less than one hour"),
    "day": (0, DAY, "less than one day"),
    "day_week": (DAY, 7 * DAY, "between one day and one week"),
    "week_month": (7 * DAY, MONTH, "between one week and one month"),
    "month_six": (MONTH, SIX, "between one month and six months"),
}


def pt(v, text):
    return (v, v, text)


# (tier, lead time, deployment frequency, change fail rate, recovery), best first.
TABLES = {
    2022: [
        ("high", LT["day_week"], DF["demand"], (0.0, 0.15, "0–15 %"), RT["day"]),
        ("medium", LT["week_month"], DF["week_month"], (0.16, 0.30, "16–30 %"), RT["day_week"]),
        ("low", LT["month_six"], DF["month_six"], (0.46, 0.60, "46–60 %"), RT["week_month"]),
    ],
    2023: [
        ("elite", LT["day"], DF["demand"], pt(0.05, "5 %"), RT["hour"]),
        ("high", LT["day_week"], DF["day_week"], pt(0.10, "10 %"), RT["day"]),
        ("medium", LT["week_month"], DF["week_month"], pt(0.15, "15 %"), RT["day_week"]),
        ("low", LT["week_month"], DF["week_month"], pt(0.64, "64 %"), RT["month_six"]),
    ],
    2024: [
        ("elite", LT["day"], DF["demand"], pt(0.05, "5 %"), RT["hour"]),
        ("high", LT["day_week"], DF["day_week"], pt(0.20, "20 %"), RT["day"]),
        ("medium", LT["week_month"], DF["week_month"], pt(0.10, "10 %"), RT["day"]),
        ("low", LT["month_six"], DF["month_six"], pt(0.40, "40 %"), RT["week_month"]),
    ],
}
RANK = {"elite": 0, "high": 1, "medium": 2, "low": 3}
METRICS = ["lead_time", "deployment_frequency", "change_fail_rate", "recovery_time"]
LABEL = {
    "lead_time": "change lead time",
    "deployment_frequency": "deployment frequency",
    "change_fail_rate": "change fail rate",
    "recovery_time": "failed deployment recovery time",
}


def scale(metric, v):
    if metric in ("lead_time", "recovery_time"):
        return math.log(max(v, 1.0))
    if metric == "deployment_frequency":
        return math.log(max(v, 1e-6))
    return v


def classify(year, metric, x):
    """Nearest band in scaled units; inside several: best; outside, tied: worst."""
    col = METRICS.index(metric) + 1
    rows = [(r[0], scale(metric, r[col][0]), scale(metric, r[col][1])) for r in TABLES[year]]
    dists = [(max(lo - x, x - hi, 0.0), tier) for tier, lo, hi in rows]
    best = min(d for d, _ in dists)
    tied = [t for d, t in dists if d == best]
    return min(tied, key=RANK.get) if best == 0 else max(tied, key=RANK.get)


def band(year, metric, tier):
    col = METRICS.index(metric) + 1
    return next(r[col] for r in TABLES[year] if r[0] == tier)


def unscale(metric, x):
    return x if metric == "change_fail_rate" else math.exp(x)


def target_of(year, metric, x, goal):
    """Brute force: walk from x towards better values in small steps until the
    rating becomes `goal`, then bisect the boundary. Scanning reaches every
    region of these tables (none is narrower than the step)."""
    better = 1 if metric == "deployment_frequency" else -1
    step = 0.001 if metric == "change_fail_rate" else 0.001
    limit = 1.0 if metric == "change_fail_rate" else 20.0
    p = x
    for _ in range(int(limit / step) + 2):
        q = p + better * step
        if metric == "change_fail_rate" and q < -step:
            return None
        if classify(year, metric, q) == goal:
            lo, hi = p, q  # rating changes between p (not goal) and q (goal)
            for _ in range(200):
                mid = (lo + hi) / 2
                if classify(year, metric, mid) == goal:
                    hi = mid
                else:
                    lo = mid
            return hi
        p = q
    return None


def snap(year, metric, v):
    col = METRICS.index(metric) + 1
    for row in TABLES[year]:
        for end in row[col][:2]:
            if math.isfinite(end) and abs(end - v) <= 1e-9 * abs(end):
                return end
    return v


def describe(metric, v):
    if metric in ("lead_time", "recovery_time"):
        return human(v)
    if metric == "deployment_frequency":
        return f"{num(round3(v))} deployments a day"
    return f"{num(round3(v * 100))} %"


def rate(year, metric, value):
    x = scale(metric, value)
    tier = classify(year, metric, x)
    out = {"metric": metric, "value": value, "tier": tier, "range": band(year, metric, tier)[2]}
    for up in sorted((r[0] for r in TABLES[year] if RANK[r[0]] < RANK[tier]), key=RANK.get, reverse=True):
        t = target_of(year, metric, x, up)
        if t is not None:
            target = snap(year, metric, unscale(metric, t))
            out.update(next_tier=up, target=target, gap=abs(value - target))
            break
    message = f"{LABEL[metric]} of {describe(metric, value)} is {tier.capitalize()} in the {year} report ({out['range']})"
    evidence = {"report_year": year, "tier": tier, "value": value}
    if "next_tier" in out:
        direction = "at least" if metric == "deployment_frequency" else "at most"
        message += f"; {out['next_tier'].capitalize()} needs {direction} {describe(metric, out['target'])}"
        evidence.update(next_tier=out["next_tier"], target=out["target"], gap=out["gap"])
    return out, reason("dora_tier", message, [metric], evidence)


NO_DATA = {
    "lead_time": "no commit was first shipped by a successful deployment in the window",
    "deployment_frequency": "the window is empty",
    "change_fail_rate": "no deployment in the window",
    "recovery_time": "no incident was resolved and no failed deployment was restored in the window",
}


# --------------------------------------------------------------------- metrics
def ms(text):
    return int(pd.Timestamp(text).value // 1_000_000)


def quantiles(values):
    if not values:
        return None, None
    arr = np.array(values, dtype=float) / 1000.0
    return float(np.quantile(arr, 0.5, method="linear")), float(np.quantile(arr, 0.9, method="linear"))


def fourkeys(days, lo, hi):
    """fourkeys dashboard bucket over the UTC days of [lo, hi) (ms); ISO weeks."""
    if hi <= lo:
        return None
    first, last = pd.Timestamp(lo, unit="ms").normalize(), pd.Timestamp(hi - 1, unit="ms").normalize()
    cal = pd.DataFrame({"day": pd.date_range(first, last, freq="D")})
    cal["week"] = cal["day"] - pd.to_timedelta(cal["day"].dt.day_of_week, unit="D")
    cal["deployed"] = cal["day"].isin(pd.to_datetime(sorted(set(days)), unit="D"))
    weeks = cal.groupby("week")["deployed"].sum().rename("days").reset_index()
    weeks["any"] = (weeks["days"] > 0).astype(int)
    weeks["month"] = weeks["week"].dt.to_period("M")
    weeks["monthly"] = weeks.groupby("month")["any"].transform("sum")
    if weeks["days"].median() >= 3:
        return "daily"
    if weeks["any"].median() >= 1:
        return "weekly"
    if weeks["monthly"].median() >= 1:
        return "monthly"
    return "yearly"


def facts(deployments, incidents, environment="production"):
    """One row per deployment of the environment with everything it contributes."""
    d = pd.DataFrame(
        [
            {
                "id": x["id"],
                "service": x["service"],
                "finish": ms(x["finished_at"]),
                "status": x["status"],
                "rework": bool(x.get("remediates")),
                "commits": x.get("commits", []),
            }
            for x in deployments
            if x.get("environment", "production") == environment
        ]
    )
    d = d.sort_values(["finish", "id"]).reset_index(drop=True)
    caused = {c for i in incidents for c in i.get("caused_by", [])}
    d["change_failure"] = (d["status"] != "succeeded") | d["id"].isin(caused)
    # First shipment of each (service, sha) by a successful deployment.
    c = d[d["status"] == "succeeded"][["id", "service", "finish", "commits"]].explode("commits").dropna()
    c["sha"] = c["commits"].map(lambda x: x["sha"])
    c["lead"] = c["finish"] - c["commits"].map(lambda x: ms(x["committed_at"]))
    c = c.drop_duplicates(["service", "sha"], keep="first")
    d["leads"] = d["id"].map(c.groupby("id")["lead"].apply(list)).apply(lambda v: v if isinstance(v, list) else [])
    # Failure episodes per service.
    d["episode"] = None
    for _, rows in d.groupby("service", sort=False):
        start = None
        for idx, row in rows.iterrows():
            if row["status"] != "succeeded":
                if start is None:
                    start = idx
                    d.at[idx, "episode"] = "unrestored"
            elif start is not None:
                d.at[start, "episode"] = row["finish"] - d.at[start, "finish"]
                start = None
    inc = pd.DataFrame(
        [
            {
                "created": ms(i["created_at"]),
                "recovery": ms(i["resolved_at"]) - ms(i["created_at"]) if i.get("resolved_at") else None,
                "services": sorted({d.loc[d["id"] == c, "service"].iloc[0] for c in i.get("caused_by", []) if (d["id"] == c).any()}),
            }
            for i in incidents
        ],
        columns=["created", "recovery", "services"],
    )
    return d, inc


def metrics(d, inc, lo, hi, year):
    d = d[(d["finish"] >= lo) & (d["finish"] < hi)]
    inc = inc[(inc["created"] >= lo) & (inc["created"] < hi)]
    total = len(d)
    succ = int((d["status"] == "succeeded").sum())
    leads = [v for vs in d["leads"] for v in vs]
    med, p90 = quantiles(leads)
    days = (hi - lo) / (DAY * 1000)
    per_day = succ / days if days > 0 else None
    failures = int(d["change_failure"].sum())
    rework = int(d["rework"].sum())
    restores = [e for e in d["episode"] if e is not None and e != "unrestored"]
    episodes = sum(1 for e in d["episode"] if e is not None)
    recov = [r for r in inc["recovery"] if r is not None and not (isinstance(r, float) and math.isnan(r))]
    rmed, _ = quantiles(recov)
    smed, _ = quantiles(restores)
    deploy_days = [f // 86_400_000 for f, s in zip(d["finish"], d["status"]) if s == "succeeded"]
    out = {
        "deployments": {
            "total": total,
            "succeeded": succ,
            "failed": int((d["status"] == "failed").sum()),
            "rolled_back": int((d["status"] == "rolled_back").sum()),
        },
        "lead_time": {"commits": len(leads), "median_seconds": med, "p90_seconds": p90},
        "deployment_frequency": {
            "deployments": succ,
            "days": days,
            "per_day": per_day,
            "per_week": per_day * 7 if per_day is not None else None,
            "bucket": fourkeys(deploy_days, lo, hi),
        },
        "change_fail_rate": {"deployments": total, "failures": failures, "rate": failures / total if total else None},
        "recovery": {
            "incidents": len(inc),
            "resolved": len(recov),
            "median_seconds": rmed,
            "failed_deployments": episodes,
            "restored": len(restores),
            "median_restore_seconds": smed,
        },
        "rework": {"deployments": total, "rework": rework, "rate": rework / total if total else None},
    }
    values = {
        "lead_time": med,
        "deployment_frequency": per_day,
        "change_fail_rate": out["change_fail_rate"]["rate"],
        "recovery_time": rmed if rmed is not None else smed,
    }
    tiers = {"report_year": year}
    reasons, rated = [], []
    for metric in METRICS:
        if values[metric] is None:
            tiers[metric] = None
            reasons.append(reason("dora_no_data", f"{NO_DATA[metric]}: no tier", [metric]))
        else:
            rating, why = rate(year, metric, values[metric])
            tiers[metric] = rating
            rated.append(rating["tier"])
            reasons.append(why)
    rated.sort(key=RANK.get)
    tiers["overall"] = rated[len(rated) // 2] if rated else None
    if rated:
        t = tiers["overall"]
        k = sum(1 for r in rated if RANK[r] <= RANK[t])
        reasons.append(
            reason(
                "dora_overall_tier",
                f"{k} of {len(rated)} rated metrics reach {t.capitalize()} or better in the {year} report",
                evidence={"report_year": year, "rated": len(rated)},
            )
        )
    if rmed is None and smed is not None:
        reasons.append(
            reason(
                "recovery_from_deployments",
                "no incident was resolved in the window: recovery time is the median time from a failed "
                f"deployment to the next successful one ({human(smed)})",
                ["recovery_time"],
            )
        )
    if episodes - len(restores) > 0:
        n = episodes - len(restores)
        reasons.append(
            reason(
                "failure_unrestored",
                f"{n} failure episode(s) had no later successful deployment of their service",
                ["recovery_time"],
                {"unrestored": n},
            )
        )
    out["tiers"] = tiers
    out["reasons"] = reasons
    return out


def iso(ms_value):
    return pd.Timestamp(ms_value, unit="ms").strftime("%Y-%m-%dT%H:%M:%SZ")


def buckets(period, lo, hi):
    if hi <= lo:
        return []
    start = pd.Timestamp(lo, unit="ms").normalize()
    start = start - pd.Timedelta(days=start.weekday()) if period == "week" else start.replace(day=1)
    out = []
    while int(start.value // 1_000_000) < hi:
        end = start + (pd.Timedelta(days=7) if period == "week" else pd.offsets.MonthBegin(1))
        out.append((max(int(start.value // 1_000_000), lo), min(int(end.value // 1_000_000), hi)))
        start = end
    return out


def dora(deployments, incidents, options):
    year = options.get("report_year", 2024)
    d, inc = facts(deployments, incidents, options.get("environment", "production"))
    lo, hi = ms(options["from"]), ms(options["to"])
    period = options.get("series")

    def measure(dd, ii):
        series = [
            {"start": iso(a), "end": iso(b), "metrics": metrics(dd, ii, a, b, year)}
            for a, b in (buckets(period, lo, hi) if period else [])
        ]
        return metrics(dd, ii, lo, hi, year), series

    totals, series = measure(d, inc)
    groups = []
    if options.get("group_by") == "service":
        for service in sorted(d["service"].unique()):
            gm, gs = measure(d[d["service"] == service], inc[inc["services"].map(lambda s: service in s)])
            groups.append({"group": service, "services": [service], "metrics": gm, "series": gs})
    return {
        "environment": options.get("environment", "production"),
        "from": iso(lo),
        "to": iso(hi),
        "group_by": options.get("group_by", "none"),
        "totals": totals,
        "series": series,
        "groups": groups,
        "reasons": [],
    }


# ------------------------------------------------------------ the 90-day history
def dep(id, service, day, start, finish, status, commits=(), remediates=(), env=None):
    out = {
        "id": id,
        "service": service,
        "started_at": f"2026-{day}T{start}:00Z",
        "finished_at": f"2026-{day}T{finish}:00Z",
        "status": status,
        "commits": [{"sha": s, "committed_at": f"2026-{t}:00Z"} for s, t in commits],
    }
    if remediates:
        out["remediates"] = list(remediates)
    if env:
        out["environment"] = env
    return out


HISTORY = [
    dep("d00", "api", "01-02", "10:00", "10:30", "succeeded", [("c0", "01-01T10:30")]),
    dep("d01", "api", "01-06", "10:00", "10:30", "succeeded", [("c0", "01-01T10:30"), ("c1", "01-05T10:30"), ("c2", "01-06T08:30")]),
    dep("d02", "web", "01-08", "14:00", "14:20", "succeeded", [("w1", "01-07T10:20")]),
    dep("d03", "api", "01-14", "09:00", "09:30", "failed", [("c3", "01-13T09:30")]),
    dep("d04", "api", "01-14", "11:00", "11:30", "succeeded", [("c3", "01-13T09:30"), ("c4", "01-14T10:30")]),
    dep("d05", "web", "01-21", "16:00", "16:30", "succeeded", [("w2", "01-19T16:30")]),
    dep("d06", "web", "01-21", "19:00", "19:15", "succeeded", [("w3", "01-21T18:15")], remediates=["i1"]),
    dep("d07", "api", "02-04", "10:00", "10:20", "rolled_back", [("c5", "02-03T10:20")]),
    dep("d08", "api", "02-05", "10:00", "10:20", "failed", [("c5", "02-03T10:20")]),
    dep("d09", "api", "02-06", "09:00", "09:20", "succeeded", [("c5", "02-03T10:20"), ("c6", "02-06T08:20")]),
    dep("d10", "web", "02-18", "13:00", "13:30", "succeeded", [("w4", "02-16T13:30")]),
    dep("d11", "web", "02-19", "02:00", "02:30", "succeeded", [("w5", "02-19T00:30")], remediates=["i2"]),
    dep("d12", "api", "03-10", "10:00", "10:30", "succeeded", [("c7", "03-03T10:30")]),
    dep("d13", "web", "03-24", "12:00", "12:40", "failed"),
    dep("s01", "api", "02-01", "10:00", "10:10", "failed", env="staging"),
]
INCIDENTS = [
    {"id": "i1", "created_at": "2026-01-21T17:00:00Z", "resolved_at": "2026-01-21T18:30:00Z", "caused_by": ["d05"], "severity": "sev2"},
    {"id": "i2", "created_at": "2026-02-18T15:00:00Z", "resolved_at": "2026-02-19T03:00:00Z", "caused_by": ["d10"], "severity": "sev1"},
    {"id": "i3", "created_at": "2026-03-25T08:00:00Z", "severity": "sev3"},
    {"id": "i4", "created_at": "2026-04-06T09:00:00Z", "resolved_at": "2026-04-06T10:00:00Z", "caused_by": ["d12"]},
]
WINDOW = {"from": "2026-01-05T00:00:00Z", "to": "2026-04-05T00:00:00Z"}

DESCRIPTION = """\
Window [2026-01-05, 2026-04-05) = 90 days, production only (s01 is staging).
Deployments finishing in the window: d01..d13 = 13; succeeded 9 (d01 d02 d04 d05 d06 d09 d10 d11 d12),
failed 3 (d03 d08 d13), rolled back 1 (d07).
Lead time, each commit once per service at its first successful deployment: c0 was first shipped
by d00 before the window, so it does not count again with d01; c3 counts with d04 (d03 failed),
c5 with d09. Hours: c1 24, c2 2, c3 26, c4 1, c5 71, c6 1, c7 168 (api); w1 28, w2 48, w3 1, w4 48,
w5 2 (web): 12 commits, sorted 1 1 1 2 2 24 26 28 48 48 71 168. Median = (24 + 26)/2 = 25 h =
90000 s; p90: h = 11 * 0.9 = 9.9 -> 48 + 0.9 * (71 - 48) = 68.7 h = 247320 s.
Frequency: 9 successes / 90 days = 0.1 a day, 0.7 a week. fourkeys: ISO weeks from Mon 01-05 to
Mon 03-30 (13 rows) deployed on 2 1 1 0 1 0 2 0 0 1 0 0 0 days: median 0 (not daily); 6 of 13 weeks
deployed: median 0 (not weekly); deploying weeks per week's month: January rows 3, February 2,
March 1 -> median of [3 3 3 3 2 2 2 2 1 1 1 1 1] = 2 >= 1: monthly.
Change fail rate: d03 d07 d08 d13 failed or rolled back, d05 (i1), d10 (i2) and d12 (i4, created
after the window, still links d12) caused incidents: 7 / 13 = 0.538461...
Recovery: incidents created in the window i1 (90 min), i2 (12 h), i3 (open): 3 incidents, 2
resolved, median (5400 + 43200)/2 = 24300 s = 6.75 h. Failure episodes: api d03 -> d04 2 h; api
d07+d08 -> d09 from 02-04 10:20 to 02-06 09:20 = 47 h; web d13 never restored: 3 episodes, 2
restored, median (7200 + 169200)/2 = 88200 s; one unrestored (reason failure_unrestored).
Rework: d06 and d11 remediate incidents: 2 / 13 = 0.153846...
Tiers (2024): lead time 25 h is High (1 day - 1 week), Elite needs at most 1 day (gap 3600 s);
0.1 deployments a day is Medium (weekly to monthly), High needs at least 1/7; 53.8 % is nearest
Low's 40 %, the next tier up that a lower rate reaches is Medium (10 %), from 15 % (the midpoint
with High's 20 %); 6.75 h recovery is inside High's and Medium's 'less than one day': High, Elite
needs at most 1 hour. Overall: High, Medium, Low, High -> the best tier a majority (3 of 4) reach
is Medium."""

HAND = {
    ("deployments", "total"): 13,
    ("deployments", "succeeded"): 9,
    ("lead_time", "commits"): 12,
    ("lead_time", "median_seconds"): 90000.0,
    ("lead_time", "p90_seconds"): 247320.0,
    ("deployment_frequency", "per_day"): 0.1,
    ("deployment_frequency", "bucket"): "monthly",
    ("change_fail_rate", "rate"): 7 / 13,
    ("recovery", "median_seconds"): 24300.0,
    ("recovery", "median_restore_seconds"): 88200.0,
    ("recovery", "failed_deployments"): 3,
    ("rework", "rate"): 2 / 13,
}

cases = []
totals = dora(HISTORY, INCIDENTS, WINDOW)
for (a, b), v in HAND.items():
    got = totals["totals"][a][b]
    assert got == v or (isinstance(v, float) and abs(got - v) < 1e-9 * abs(v)), (a, b, got, v)
assert [totals["totals"]["tiers"][m]["tier"] for m in METRICS] == ["high", "medium", "low", "high"]
assert totals["totals"]["tiers"]["overall"] == "medium"
cases.append(
    {
        "name": "hand-computed 90-day history (totals, 2024 tiers)",
        "description": DESCRIPTION,
        "function": "dora_metrics",
        "input": [HISTORY, INCIDENTS, WINDOW],
        "expected": totals,
    }
)
for year in (2022, 2023):
    options = dict(WINDOW, report_year=year)
    cases.append(
        {
            "name": f"the same history rated by the {year} tables",
            "function": "dora_metrics",
            "input": [HISTORY, INCIDENTS, options],
            "expected": dora(HISTORY, INCIDENTS, options),
        }
    )
options = dict(WINDOW, group_by="service", series="month")
cases.append(
    {
        "name": "the same history per service and month",
        "function": "dora_metrics",
        "input": [HISTORY, INCIDENTS, options],
        "expected": dora(HISTORY, INCIDENTS, options),
    }
)
options = dict(WINDOW, series="week", environment="staging")
cases.append(
    {
        "name": "staging: one failed deployment, weekly series",
        "function": "dora_metrics",
        "input": [HISTORY, INCIDENTS, options],
        "expected": dora(HISTORY, INCIDENTS, options),
    }
)

# -------------------------------------------------------------- error vectors
def err(name, args, code, path, function="dora_metrics", fields=None):
    case = {"name": name, "function": function, "input": args, "error_code": code, "error_path": path}
    if fields:
        case["error_fields"] = fields
    cases.append(case)


bad = [dict(HISTORY[1]), dict(HISTORY[2])]
bad[1] = dict(bad[1], finished_at="2026-01-08T13:59:00Z")
err("a deployment finishing before it starts", [bad, [], WINDOW], "invalid_timestamp", "/1/finished_at")
err(
    "an incident resolved before it was created",
    [HISTORY, [dict(INCIDENTS[0], resolved_at="2026-01-21T16:00:00Z")], WINDOW],
    "invalid_timestamp",
    "incidents/0/resolved_at",
)
err(
    "an unknown deployment in caused_by",
    [HISTORY, [dict(INCIDENTS[0], caused_by=["d05", "d99"])], WINDOW],
    "unknown_deployment",
    "incidents/0/caused_by/1",
    fields={"deployment": "d99"},
)
err(
    "to before from",
    [HISTORY, INCIDENTS, {"from": WINDOW["to"], "to": WINDOW["from"]}],
    "invalid_timestamp",
    "options/to",
)
err(
    "an unknown report year",
    [HISTORY, INCIDENTS, dict(WINDOW, report_year=2019)],
    "unknown_report_year",
    "options/report_year",
    fields={"year": 2019, "known": [2022, 2023, 2024]},
)
err(
    "a repeated deployment id",
    [[HISTORY[1], HISTORY[1]], [], WINDOW],
    "duplicate_record",
    "/1/id",
    fields={"id": "d01", "first_path": "/0/id"},
)
err("an unknown status", [[dict(HISTORY[1], status="aborted")], [], WINDOW], "invalid_input", "/0/status")

# --------------------------------------------------------------- maturity
# Worked out by hand from the model table in core/src/delivery/maturity.rs,
# against the 90-day totals above (fail rate 53.8 %, lead time 25 h).
LEVEL = {2: "Managed", 3: "Defined", 4: "Measured", 5: "Optimizing"}


def met(n, ids):
    return reason("maturity_level_met", f"level {n} ({LEVEL[n]}): {', '.join(ids)} adopted", ids, {"level": n})


def missing(n, ids):
    return reason("practice_missing", f"level {n} ({LEVEL[n]}) needs {', '.join(ids)}", ids, {"level": n})


def nxt(practice, level, description, supported_by=()):
    return {"practice": practice, "level": level, "description": description, "supported_by": list(supported_by)}


def area(name, level, evidence, next_practices):
    names = {1: "Initial", **LEVEL}
    return {"area": name, "level": level, "name": names[level], "evidence": evidence, "next_practices": next_practices}


practices = {
    "release_checklist": True,
    "progressive_delivery": True,
    "automated_canary_analysis": True,
    "version_control": True,
    "continuous_integration": True,
    "automated_test_gates": True,
    "trunk_based_development": False,
}
untouched = [
    ("environments", "staging_environment", "test in a pre-production environment shaped like production", []),
    ("deployment_automation", "scripted_deployments", "deploy with a script, never by hand", []),
    ("observability", "centralized_logging", "collect every service's logs in one place", []),
    ("governance", "recorded_approvals", "record who approved each change", ["evaluate_governance"]),
    ("incident_response", "on_call_rotation", "keep an on-call rotation for every production service", []),
]
areas = [
    area(
        "release_strategy",
        3,
        [
            met(2, ["release_checklist"]),
            met(3, ["progressive_delivery"]),
            reason("metric_below", "level 4 needs better: change fail rate 53.846 % (limit 15 %)", ["change_fail_rate"], {"level": 4}),
        ],
        [nxt("feature_flag_releases", 5, "decouple deployment from release with percentage rollouts of feature flags", ["flag_enabled", "flag_exposure"])],
    ),
    area(
        "pipeline",
        4,
        [
            met(2, ["version_control"]),
            met(3, ["continuous_integration"]),
            reason("metric_met", "level 4: median lead time 25 h (limit 168 h)", ["lead_time"], {"level": 4}),
            met(4, ["automated_test_gates"]),
            missing(5, ["trunk_based_development"]),
            reason("metric_below", "level 5 needs better: median lead time 25 h (limit 24 h)", ["lead_time"], {"level": 5}),
        ],
        [nxt("trunk_based_development", 5, "merge short-lived branches into trunk at least daily")],
    ),
]
for name, practice, description, supported in untouched:
    areas.append(area(name, 1, [missing(2, [practice])], [nxt(practice, 2, description, supported)]))
areas.append(
    area(
        "continuous_improvement",
        1,
        [
            missing(2, ["retrospectives"]),
            reason("practice_ahead", "delivery_metrics_tracked adopted, but level 2 is not reached yet", ["delivery_metrics_tracked"]),
        ],
        [nxt("retrospectives", 2, "hold regular retrospectives")],
    )
)
order = ["release_strategy", "pipeline", "environments", "deployment_automation", "observability", "governance", "incident_response", "continuous_improvement"]
areas.sort(key=lambda a: order.index(a["area"]))
cases.append(
    {
        "name": "maturity of the 90-day history with a partial checklist",
        "description": "release strategy stops at 3: canary analysis is adopted but level 4 needs a change fail rate "
        "of at most 15 % (53.8 %); pipeline reaches 4 (lead time 25 h within a week) and misses 5 (trunk-based "
        "development not adopted, 25 h above a day); measured metrics count as delivery_metrics_tracked (level 3), "
        "ahead of the missing retrospectives (level 2).",
        "function": "assess_maturity",
        "input": [totals["totals"], practices],
        "expected": {"areas": areas, "reasons": []},
    }
)
err("an unknown practice", [None, {"chaos_days": True}], "unknown_field", "practices/chaos_days", function="assess_maturity")

(HERE / "delivery.json").write_text(json.dumps({"exact": True, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(cases)} cases")
