"""A reference of rollgate's canary watch in Python, for generate_watch.py:
the state (sufficient statistics, histogram bins, fingerprint), the
anytime-valid tests computed with scipy (betaln, brentq) and brute-force
counts over every candidate, and the verdict rules and sentences transcribed
from the documentation of core/src/verdict/watch/. Nothing here imports
rollgate.

Tests (see core/src/verdict/watch/mod.rs):
- counts: Dirichlet-multinomial mixture with the prior Beta(k a, k (1 - a)):
  BF(rho) = B(ka + c, k(1-a) + b) / B(ka, k(1-a)) / (theta^c (1-theta)^b),
  theta = a rho / (a rho + 1 - a); confidence sequence {rho : BF(rho) < 1/alpha}.
- means: normal mixture ln L = -1/2 ln(1 + nu) + nu Z^2 / (2 (1 + nu)) for
  D = mean_c - r mean_b, V = s_c^2/n_c + r^2 s_b^2/n_b, nu = phi^2 (s_c^2 + r^2 s_b^2)/2 / V.
- quantiles: per arm, M(k) = B(cq + k, c(1-q) + n - k) / B(cq, c(1-q)) / (q^k (1-q)^(n-k));
  the ranks k with M(k) < 1/alpha, widened to the bins (top 19 bits of the double).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from datetime import datetime
from decimal import Decimal

import numpy as np
from scipy.optimize import brentq
from scipy.special import betaln

from verdict_reference import rust_display

# ---------------------------------------------------------------- configuration
FLOAT_FIELDS = {"allowed_increase", "allowed_decrease", "critical_increase", "critical_decrease", "outlier_factor",
                "confidence", "quantile", "max", "min"}
WATCH_FLOATS = {"alpha", "allocation", "count_concentration", "mean_mixing_sd", "quantile_concentration"}


def duration(v):
    if isinstance(v, (int, float)):
        return int(v)
    return sum(int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in re.findall(r"(\d+)([smhd])", v))


def metric_defaults(m):
    out = {"kind": "continuous", "compare": "location", "direction": "either", "critical": False,
           "must_have_data": False, "nan_policy": "reject", "outliers": "keep", "dry_run": False}
    for k, v in m.items():
        if v is not None:
            out[k] = float(v) if k in FLOAT_FIELDS else v
    return out


def watch_section(config):
    w = {"alpha": 0.05, "min_duration": 600, "min_samples": 500, "max_duration": 86400, "max_samples": None,
         "allocation": 0.5, "count_concentration": 100.0, "mean_mixing_sd": 0.1, "quantile_concentration": None}
    for k, v in (config.get("watch") or {}).items():
        if k in ("min_duration", "max_duration"):
            w[k] = None if v is None else duration(v)
        elif k in WATCH_FLOATS:
            w[k] = None if v is None else float(v)
        else:
            w[k] = v
    return w


def fingerprint(config):
    """SHA-256 of the canonical JSON of the parsed configuration (defaults
    filled in, nulls dropped, keys sorted, no spaces); first 8 bytes, hex."""
    thresholds = {"pass": 95.0, "marginal": 75.0}
    thresholds.update({k: float(v) for k, v in config.get("thresholds", {}).items()})
    norm = {"metrics": [metric_defaults(m) for m in config["metrics"]],
            "groups": {k: float(v) for k, v in config.get("groups", {}).items()},
            "thresholds": thresholds, "correction": config.get("correction", "none"),
            "watch": {k: v for k, v in watch_section(config).items() if v is not None}}
    text = json.dumps(norm, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def plans(config):
    w = watch_section(config)
    metrics = [metric_defaults(m) for m in config["metrics"]]
    deciding = max(sum(1 for m in metrics if not m["dry_run"]), 1)
    out = []
    for m in metrics:
        if m["kind"] == "count":
            test, qs = "dirichlet_multinomial", None
        elif m["kind"] == "quantile":
            test, qs = "quantile_sequence", [m.get("quantile", 0.99)]
        elif m["compare"] == "distribution":
            test = "quantile_sequence"
            qs = {"increase": [0.5, 0.9, 0.99], "decrease": [0.01, 0.1, 0.5],
                  "either": [0.01, 0.1, 0.5, 0.9, 0.99]}[m["direction"]]
        else:
            test, qs = "normal_mixture", None
        up = m.get("allowed_increase", 1.0) if m["direction"] in ("increase", "either") else None
        down = m.get("allowed_decrease", 1.0) if m["direction"] in ("decrease", "either") else None
        min_samples = m.get("min_samples", 30 if test == "normal_mixture" else 0)
        out.append({"metric": m, "test": test, "quantiles": qs, "alpha": w["alpha"] / deciding, "up": up,
                    "down": down, "min_samples": min_samples})
    return w, out


def running0():
    return {"p_value": 1.0, "ci": [0.0, None]}


def start(config):
    _, ps = plans(config)
    metrics = {}
    for p in ps:
        if p["test"] == "dirichlet_multinomial":
            arm = {"events": 0, "trials": None, "exposure": None}
            metrics[p["metric"]["name"]] = {"test": p["test"], "baseline": dict(arm), "canary": dict(arm),
                                            "running": running0()}
        elif p["test"] == "normal_mixture":
            arm = {"n": 0, "mean": 0.0, "m2": 0.0}
            metrics[p["metric"]["name"]] = {"test": p["test"], "baseline": dict(arm), "canary": dict(arm),
                                            "running": running0()}
        else:
            metrics[p["metric"]["name"]] = {"test": p["test"], "baseline": {"n": 0, "bins": []},
                                            "canary": {"n": 0, "bins": []},
                                            "running": [running0() for _ in p["quantiles"]]}
    return {"version": 1, "fingerprint": fingerprint(config), "looks": 0, "started_at": None, "last_at": None,
            "metrics": dict(sorted(metrics.items()))}


# ---------------------------------------------------------------- histograms
def bins_of(values):
    keys = (np.asarray(values, dtype=np.float64) + 0.0).view(np.uint64) >> np.uint64(45)
    uniq, counts = np.unique(keys, return_counts=True)
    return {int(k): int(c) for k, c in zip(uniq, counts)}


def lower_edge(key):
    return float(np.array([key << 45], dtype=np.uint64).view(np.float64)[0])


def upper_edge(key):
    return float(np.array([(key + 1) << 45], dtype=np.uint64).view(np.float64)[0])


def rank_bin(bins, k):
    """The bin of the value of rank k (1-based)."""
    total = 0
    for key, count in bins:
        total += count
        if total >= k:
            return key
    return None


# ---------------------------------------------------------------- counts
def softplus(x):
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def count_ln_l(c, b, x):
    return (-c * softplus(-x) if c > 0 else 0.0) - (b * softplus(x) if b > 0 else 0.0)


def count_ln_marginal(c, b, a, k):
    return betaln(k * a + c, k * (1 - a) + b) - betaln(k * a, k * (1 - a))


def count_ln_bf(c, b, a, k, ratio):
    x = math.log(ratio) + math.log(a / (1 - a))
    return count_ln_marginal(c, b, a, k) - count_ln_l(c, b, x)


def count_p(c, b, a, k, ratio, above):
    odds = ratio * a / (1 - a)
    shows = c > b * odds if above else c < b * odds
    return min(math.exp(-count_ln_bf(c, b, a, k, ratio)), 1.0) if shows else 1.0


def count_interval(c, b, a, k, alpha):
    target = count_ln_marginal(c, b, a, k) + math.log(alpha)
    f = lambda x: count_ln_l(c, b, x) - target  # noqa: E731
    shift = math.log(a / (1 - a))
    centre = math.log(c / b) if c > 0 and b > 0 else (700.0 if c > 0 else -700.0)
    lo = 0.0 if c == 0 else (0.0 if f(-700) > 0 else math.exp(brentq(f, -700, centre, xtol=1e-14, rtol=1e-15) - shift))
    hi = math.inf if b == 0 else (math.inf if f(700) > 0 else math.exp(brentq(f, centre, 700, xtol=1e-14, rtol=1e-15) - shift))
    return [lo, hi]


# ---------------------------------------------------------------- means
def moments(values):
    v = np.asarray(values, float)
    if len(v) == 0:
        return {"n": 0, "mean": 0.0, "m2": 0.0}
    mean = float(np.mean(v))
    return {"n": len(v), "mean": mean, "m2": float(np.sum((v - mean) ** 2))}


def mean_ln_lambda(cm, bm, r, phi):
    if cm["n"] < 2 or bm["n"] < 2:
        return None
    vc, vb = cm["m2"] / (cm["n"] - 1), bm["m2"] / (bm["n"] - 1)
    v = vc / cm["n"] + r * r * vb / bm["n"]
    if not (v > 0 and math.isfinite(v)):
        return None
    d = cm["mean"] - r * bm["mean"]
    nu = phi * phi * (vc + r * r * vb) / 2 / v
    return -0.5 * math.log1p(nu) + nu * d * d / v / (2 * (1 + nu)), d


def mean_p(cm, bm, r, phi, above):
    got = mean_ln_lambda(cm, bm, r, phi)
    if got is None:
        return 1.0
    ln_l, d = got
    return min(math.exp(-ln_l), 1.0) if (d > 0 if above else d < 0) else 1.0


def mean_interval(cm, bm, phi, alpha):
    if not bm["mean"] > 0 or cm["mean"] < 0:
        return [0.0, math.inf]
    centre = cm["mean"] / bm["mean"]
    if mean_ln_lambda(cm, bm, centre, phi) is None:
        return [0.0, math.inf]
    g = lambda x: mean_ln_lambda(cm, bm, math.exp(x), phi)[0] + math.log(alpha)  # noqa: E731
    limit = math.log(1e12)
    xc = math.log(centre) if centre > 0 else -limit
    lo = 0.0 if centre <= 0 or g(-limit) < 0 else math.exp(brentq(g, -limit, xc, xtol=1e-14, rtol=1e-15))
    hi = math.inf if g(limit) < 0 else math.exp(brentq(g, xc, limit, xtol=1e-14, rtol=1e-15))
    return [lo, hi]


# ---------------------------------------------------------------- quantiles
def default_quantile_concentration(q):
    complement = float(Decimal(1) - Decimal(repr(q)))
    tail, body = (complement, q) if q >= 0.5 else (q, complement)
    return max(4 * body / tail, 100.0)


def q_ln_m(n, k, q, c):
    return betaln(c * q + k, c * (1 - q) + n - k) - betaln(c * q, c * (1 - q)) - k * math.log(q) - (n - k) * math.log1p(-q)


def q_interval(hist, q, c, alpha):
    """Brute force over every rank: the range of k with ln M(k) < ln(1/alpha)."""
    n = hist["n"]
    if n == 0:
        return [0.0, math.inf]
    threshold = -math.log(alpha)
    inside = [k for k in range(n + 1) if q_ln_m(n, k, q, c) < threshold]
    k_lo, k_hi = min(inside), max(inside)
    bins = hist["bins"]
    lo = lower_edge(rank_bin(bins, k_lo)) if k_lo >= 1 else 0.0
    hi = upper_edge(rank_bin(bins, k_hi + 1)) if k_hi + 1 <= n else math.inf
    return [lo, hi]


def q_p_exceeds(high, low, q, c, factor):
    """The smallest alpha whose intervals (alpha/2 each) put high's lower
    bound above factor times low's upper bound, by trying every threshold at
    which a range changes."""
    lnm_h = [q_ln_m(high["n"], k, q, c) for k in range(high["n"] + 1)]
    lnm_l = [q_ln_m(low["n"], k, q, c) for k in range(low["n"] + 1)]
    candidates = sorted({t for t in lnm_h + lnm_l if t > 0}, reverse=True)

    def holds(t):
        ins_h = [k for k, v in enumerate(lnm_h) if v < t]
        ins_l = [k for k, v in enumerate(lnm_l) if v < t]
        if not ins_h or not ins_l:
            return False
        k_lo, k_hi = min(ins_h), max(ins_l)
        lower = lower_edge(rank_bin(high["bins"], k_lo)) if k_lo >= 1 else 0.0
        upper = upper_edge(rank_bin(low["bins"], k_hi + 1)) if k_hi + 1 <= low["n"] else math.inf
        return lower > factor * upper

    for t in candidates:
        if holds(t):
            return min(2 * math.exp(-t), 1.0)
    return 1.0


def q_estimate(hist, q):
    n = hist["n"]
    if n == 0:
        return None
    rank = min(max(math.ceil(q * n), 1), n)
    key = rank_bin(hist["bins"], rank)
    return 0.5 * (lower_edge(key) + upper_edge(key))


# ---------------------------------------------------------------- sentences
def trim(text):
    return text.rstrip("0").rstrip(".") if "." in text else text


def sig(x):
    return trim(f"{x:.0f}" if x >= 100 else (f"{x:.1f}" if x >= 10 else f"{x:.2f}"))


def confidence_text(alpha):
    return trim(f"{100.0 - 100.0 * alpha:.4f}") + "%"


def bound_text(r, upper):
    most, least = ("at most", "at least") if upper else ("at least", "at most")
    if math.isinf(r):
        return "unbounded above"
    if r >= 2:
        return f"{most} {sig(r)} times baseline"
    if r > 1:
        return f"{most} {sig(100 * (r - 1))}% higher than baseline"
    if r == 1:
        return f"{most} equal to baseline"
    return f"{least} {sig(100 * (1 - r))}% lower than baseline"


def limit_text(r):
    if r >= 2:
        return f"{sig(r)} times baseline"
    if r > 1:
        return f"{sig(100 * (r - 1))}% above baseline"
    if r == 1:
        return "baseline"
    return f"{sig(100 * (1 - r))}% below baseline"


def allowed_text(up, down):
    if up is not None and down is not None:
        return f"down to {limit_text(down)} and up to {limit_text(up)}"
    if up is not None:
        return f"up to {limit_text(up)}"
    if down is not None:
        return f"down to {limit_text(down)}"
    return "any change"


def ratio_text(r):
    return sig(r) if math.isfinite(r) else "unbounded"


VALID = "valid at any stopping time"


def reason(code, message, subjects=(), evidence=None):
    r = {"code": code, "message": message, "subjects": sorted(set(subjects))}
    if evidence:
        r["evidence"] = evidence
    return r


def ci_json(ci):
    return [ci[0], ci[1] if math.isfinite(ci[1]) else None]


# ---------------------------------------------------------------- one look
class WatchError(Exception):
    def __init__(self, code, path, **fields):
        super().__init__(code)
        self.code, self.path, self.fields = code, path, fields


def fold(running, p, ci):
    running["p_value"] = min(running["p_value"], p)
    lo, hi = running["ci"]
    hi = math.inf if hi is None else hi
    running["ci"] = [max(lo, ci[0]), min(hi, ci[1])]
    running["ci"][1] = None if math.isinf(running["ci"][1]) else running["ci"][1]


def excluded(p, ci):
    lo, hi = ci[0], (math.inf if ci[1] is None else ci[1])
    return (p["up"] is None or hi <= p["up"]) and (p["down"] is None or lo >= p["down"])


def look_counts(p, w, st):
    a, k = w["allocation"], w["count_concentration"]
    b_arm, c_arm = st["baseline"], st["canary"]
    c, b = float(c_arm["events"]), float(b_arm["events"])
    size = lambda arm: arm["trials"] if arm["trials"] is not None else arm["exposure"]  # noqa: E731
    samples = [float(size(b_arm) or 0.0), float(size(c_arm) or 0.0)]
    mismatch = None
    if size(c_arm) is not None and size(b_arm) is not None and size(c_arm) + size(b_arm) > 0:
        lo, hi = count_interval(float(size(c_arm)), float(size(b_arm)), a, k, p["alpha"])
        if lo > 1 or hi < 1:
            mismatch = size(c_arm) / (size(c_arm) + size(b_arm))
    active = (c + b > 0 or sum(samples) > 0) and min(samples) >= p["min_samples"]
    run = st["running"]
    if active and mismatch is None:
        pu = count_p(c, b, a, k, p["up"], True) if p["up"] is not None else 1.0
        pd = count_p(c, b, a, k, p["down"], False) if p["down"] is not None else 1.0
        fold(run, min(pu, pd), count_interval(c, b, a, k, p["alpha"]))
    rate = lambda events, arm: events / size(arm) if size(arm) else None  # noqa: E731
    return {"active": active, "samples": samples, "events": [b, c],
            "estimates": [rate(b, b_arm), rate(c, c_arm)],
            "effect": (c / a) / (b / (1 - a)) if b > 0 else None,
            "bayes_factor": math.exp(count_ln_bf(c, b, a, k, 1.0)) if c + b > 0 else None,
            "quantile": None, "p_value": run["p_value"], "ci": run["ci"],
            "harm_excluded": active and mismatch is None and excluded(p, run["ci"]), "mismatch": mismatch}


def look_means(p, w, st):
    phi = w["mean_mixing_sd"]
    bm, cm = st["baseline"], st["canary"]
    needed = max(p["min_samples"], 2)
    lam = mean_ln_lambda(cm, bm, 1.0, phi)
    active = cm["n"] >= needed and bm["n"] >= needed and lam is not None
    run = st["running"]
    if active:
        pu = mean_p(cm, bm, p["up"], phi, True) if p["up"] is not None else 1.0
        pd = mean_p(cm, bm, p["down"], phi, False) if p["down"] is not None else 1.0
        fold(run, min(pu, pd), mean_interval(cm, bm, phi, p["alpha"]))
    return {"active": active, "samples": [float(bm["n"]), float(cm["n"])], "events": None,
            "estimates": [bm["mean"] if bm["n"] else None, cm["mean"] if cm["n"] else None],
            "effect": cm["mean"] / bm["mean"] if bm["n"] and cm["n"] and bm["mean"] > 0 else None,
            "bayes_factor": math.exp(lam[0]) if lam else None, "quantile": None,
            "p_value": run["p_value"], "ci": run["ci"], "harm_excluded": active and excluded(p, run["ci"]),
            "mismatch": None}


def look_quantiles(p, w, st):
    bh, ch = st["baseline"], st["canary"]
    qs = p["quantiles"]
    k = len(qs)
    needed = max(p["min_samples"], 1)
    active = ch["n"] >= needed and bh["n"] >= needed
    harm_excluded = active
    best, driving = math.inf, 0
    for i, q in enumerate(qs):
        c = w["quantile_concentration"] or default_quantile_concentration(q)
        run = st["running"][i]
        if active:
            pu = q_p_exceeds(ch, bh, q, c, p["up"]) if p["up"] is not None else 1.0
            pd = q_p_exceeds(bh, ch, q, c, 1.0 / p["down"]) if p["down"] is not None else 1.0
            each = p["alpha"] / k / 2
            cl, chi = q_interval(ch, q, c, each)
            bl, bhi = q_interval(bh, q, c, each)
            fold(run, min(pu, pd), [cl / bhi if bhi > 0 else 0.0, chi / bl if bl > 0 else math.inf])
        harm_excluded = harm_excluded and excluded(p, run["ci"])
        if run["p_value"] < best:
            best, driving = run["p_value"], i
    q = qs[driving]
    run = st["running"][driving]
    est = [q_estimate(bh, q), q_estimate(ch, q)]
    return {"active": active, "samples": [float(bh["n"]), float(ch["n"])], "events": None, "estimates": est,
            "effect": est[1] / est[0] if est[0] is not None and est[1] is not None and est[0] > 0 else None,
            "bayes_factor": None, "quantile": q, "p_value": min(k * best, 1.0), "ci": run["ci"],
            "harm_excluded": harm_excluded, "mismatch": None}


# ---------------------------------------------------------------- rules
def metric_verdict(p, look):
    name = p["metric"]["name"]
    conf = confidence_text(p["alpha"])
    lo = look["ci"][0]
    hi = math.inf if look["ci"][1] is None else look["ci"][1]
    has_data = any(s > 0 for s in look["samples"]) or (look["events"] is not None and any(e > 0 for e in look["events"]))
    ev = {"p_value": look["p_value"], "alpha": p["alpha"], "ci": [lo, None if math.isinf(hi) else hi]}
    limits = allowed_text(p["up"], p["down"])
    if look["p_value"] <= p["alpha"]:
        shown = bound_text(lo, False) if p["up"] is not None and lo > p["up"] else bound_text(hi, True)
        return "rollback", reason("harm_detected", f"{name} is {shown}, with {conf} confidence, {VALID}; allowed: {limits}",
                                  [name], ev)
    if not has_data:
        return "no_data", reason("no_data", f"{name}: no data yet", [name])
    if look["mismatch"] is not None:
        share = look["mismatch"]
        return "continue", reason("traffic_split_mismatch",
                                  f"{name}: the canary received {sig(100 * share)}% of the traffic, not the share the "
                                  f"watch's allocation assumes; the count test needs the configured split (fix the "
                                  f"routing or watch.allocation)", [name], {"canary_share": share})
    if not look["active"]:
        have = min(look["samples"])
        if p["test"] == "normal_mixture" and have >= max(p["min_samples"], 2):
            msg = f"{name}: the samples do not vary yet, so their means cannot be compared"
        else:
            msg = f"{name}: {sig(have)} of {p['min_samples']} samples per arm before the test may decide"
        return "continue", reason("too_few_samples", msg, [name])
    if look["harm_excluded"]:
        if p["up"] is not None and p["down"] is not None:
            shown = f"{bound_text(lo, False)} and {bound_text(hi, True)}"
        elif p["up"] is not None:
            shown = bound_text(hi, True)
        else:
            shown = bound_text(lo, False)
        return "promote", reason("harm_ruled_out", f"{name} is {shown}, with {conf} confidence, {VALID}; allowed: {limits}",
                                 [name], ev)
    return "continue", reason("undecided", f"{name}: the canary/baseline ratio is between {ratio_text(lo)} and "
                                           f"{ratio_text(hi)} so far ({conf} confidence); allowed: {limits}; not yet "
                                           f"enough to show or rule out harm beyond it", [name], ev)


def group_score(weights, entries):
    from verdict_reference import group_scores
    return group_scores(weights, entries)[1]


def decide(config, w, ps, looks, verdicts, reasons_by_metric, elapsed):
    deciding = [i for i, p in enumerate(ps) if not p["metric"]["dry_run"]]
    bake = elapsed >= w["min_duration"] and all(
        (ps[i]["test"] == "dirichlet_multinomial" and looks[i]["samples"] == [0.0, 0.0]
         and any(e > 0 for e in looks[i]["events"])) or all(s >= w["min_samples"] for s in looks[i]["samples"])
        for i in deciding)
    budget = (w["max_duration"] is not None and elapsed >= w["max_duration"]) or (
        w["max_samples"] is not None and any(looks[i]["samples"][1] >= w["max_samples"] for i in deciding))
    failing = lambda i: verdicts[i] == "rollback" or (verdicts[i] == "no_data" and ps[i]["metric"]["must_have_data"] and bake)  # noqa: E731
    entries = [(ps[i]["metric"].get("group") or "default",
                "high" if failing(i) else ("no_data" if verdicts[i] == "no_data" else "pass")) for i in deciding]
    weights = {k: float(v) for k, v in config.get("groups", {}).items()}
    score = group_score(weights, entries)
    name = lambda i: ps[i]["metric"]["name"]  # noqa: E731
    failed = [name(i) for i in deciding if failing(i)]
    critical = [name(i) for i in deciding if failing(i) and ps[i]["metric"]["critical"]]
    harm = lambda names: "; ".join(reasons_by_metric[i]["message"] for i in deciding if name(i) in names)  # noqa: E731
    t = {"pass": 95.0, "marginal": 75.0}
    t.update({k: float(v) for k, v in config.get("thresholds", {}).items()})
    reasons = []
    open_ = lambda: [name(i) for i in range(len(ps)) if not ps[i]["metric"]["dry_run"] and verdicts[i] != "promote"]  # noqa: E731
    if critical:
        decision = "rollback"
        reasons.append(reason("critical_metric_failed", f"roll back: {harm(critical)}", critical))
    elif failed and score < t["marginal"]:
        decision = "rollback"
        reasons.append(reason("score_below_marginal", f"roll back: {harm(failed)}; score {score:.1f} is below the "
                                                      f"marginal threshold {rust_display(t['marginal'])}", failed))
    elif bake and deciding and all(verdicts[i] == "promote" for i in deciding):
        decision = "promote"
        reasons.append(reason("harm_ruled_out", f"promote: every metric rules out harm beyond its allowed effect and "
                                                f"the bake is complete ({elapsed} s)"))
    elif budget:
        decision = "inconclusive"
        reasons.append(reason("budget_exhausted", f"the watch's budget is spent ({elapsed} s) without a decision: "
                                                  f"{', '.join(open_())} still undecided; a person must decide", open_()))
    elif failed:
        decision = "inconclusive"
        reasons.append(reason("score_marginal", f"{harm(failed)}; score {score:.1f} is marginal (at least "
                                                f"{rust_display(t['marginal'])}), so the canary can neither be promoted "
                                                f"nor rolled back by rule: a person must decide", failed))
    elif all(verdicts[i] == "no_data" for i in deciding):
        decision = "continue"
        reasons.append(reason("no_data", "no data yet: keep the canary running", [name(i) for i in deciding]))
    else:
        decision = "continue"
        if not open_():
            reasons.append(reason("baking", f"every metric rules out harm, but the bake is not complete ({elapsed} s so "
                                            f"far): keep the canary running"))
        else:
            reasons.append(reason("undecided", f"keep the canary running: {', '.join(open_())} not decided yet", open_()))
    dry = [name(i) for i in range(len(ps)) if ps[i]["metric"]["dry_run"] and verdicts[i] == "rollback"]
    if dry:
        reasons.append(reason("dry_run", f"dry-run metric(s) {', '.join(dry)} show harm; they do not decide", dry))
    return decision, reasons, score, bake


# ---------------------------------------------------------------- update
def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def time_text(text):
    """How the state writes a time: RFC 3339, `Z` for a zero offset."""
    t = parse_time(text)
    out = t.isoformat()
    return out[:-6] + "Z" if out.endswith("+00:00") else out


def clean_values(p, values, side):
    name = p["metric"]["name"]
    kept = []
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            if p["metric"]["nan_policy"] == "remove":
                continue
            text = "NaN" if v is None or math.isnan(v) else ("inf" if v > 0 else "-inf")
            raise WatchError("invalid_sample", f"batch/{name}/{side}/{i}", metric=name, index=i, value=text)
        if v < 0:
            raise WatchError("invalid_sample", f"batch/{name}/{side}/{i}", metric=name, index=i, value=rust_display(v))
        kept.append(v + 0.0)
    return kept


def update(config, state, batch, at):
    """The full output of update_canary_watch, or a WatchError."""
    w, ps = plans(config)
    if state["version"] != 1:
        raise WatchError("incompatible_state", "state/version")
    if state["fingerprint"] != fingerprint(config):
        raise WatchError("incompatible_state", "state/fingerprint")
    if state["last_at"] is not None and parse_time(at) < parse_time(state["last_at"]):
        raise WatchError("invalid_timestamp", "at")
    names = {p["metric"]["name"] for p in ps}
    for n in batch:
        if n not in names:
            raise WatchError("unknown_metric", f"batch/{n}", metric=n)
    st = copy.deepcopy(state)
    for p in ps:
        name = p["metric"]["name"]
        if name not in batch:
            continue
        m = st["metrics"][name]
        for side in ("baseline", "canary"):
            data = batch[name][side]
            if p["test"] == "dirichlet_multinomial":
                arm = m[side]
                for field in ("events", "trials"):
                    v = data.get(field)
                    if v is not None and (v < 0 or v != int(v)):
                        raise WatchError("invalid_count", f"batch/{name}/{side}/{field}")
                first = arm["events"] == 0 and arm["trials"] is None and arm["exposure"] is None
                arm["events"] += int(data["events"])
                if first:
                    arm["trials"] = None if data.get("trials") is None else int(data["trials"])
                    arm["exposure"] = data.get("exposure")
                else:
                    if (arm["trials"] is None) != (data.get("trials") is None):
                        raise WatchError("invalid_config", f"batch/{name}/{side}")
                    if arm["trials"] is not None:
                        arm["trials"] += int(data["trials"])
                    if arm["exposure"] is not None:
                        arm["exposure"] += data["exposure"]
            else:
                kept = clean_values(p, data, side)
                if p["test"] == "normal_mixture":
                    m.setdefault("_values_" + side, [])
                    m["_values_" + side] += kept
                else:
                    bins = dict((k, c) for k, c in m[side]["bins"])
                    for k, c in bins_of(kept).items():
                        bins[k] = bins.get(k, 0) + c
                    m[side] = {"n": sum(bins.values()), "bins": [[k, bins[k]] for k in sorted(bins)]}
    return st, w, ps


def finish(config, state, st, w, ps, at, history):
    """Completes an update: moments from every value so far (`history`:
    metric -> side -> values), the looks, the verdict."""
    for p in ps:
        if p["test"] == "normal_mixture":
            m = st["metrics"][p["metric"]["name"]]
            for side in ("baseline", "canary"):
                m[side] = moments(history.get(p["metric"]["name"], {}).get(side, []))
                m.pop("_values_" + side, None)
    st["looks"] += 1
    if st["started_at"] is None:
        st["started_at"] = time_text(at)
    st["last_at"] = time_text(at)
    elapsed = int((parse_time(at) - parse_time(st["started_at"])).total_seconds())
    looks, verdicts, reasons = [], [], []
    for p in ps:
        m = st["metrics"][p["metric"]["name"]]
        look = {"dirichlet_multinomial": look_counts, "normal_mixture": look_means,
                "quantile_sequence": look_quantiles}[p["test"]](p, w, m)
        v, r = metric_verdict(p, look)
        looks.append(look)
        verdicts.append(v)
        reasons.append(r)
    decision, run_reasons, score, bake = decide(config, w, ps, looks, verdicts, reasons, elapsed)
    metrics = {}
    for p, look, v, r in zip(ps, looks, verdicts, reasons):
        arm = lambda i: {"samples": look["samples"][i],  # noqa: E731
                         "events": None if look["events"] is None else look["events"][i],
                         "estimate": look["estimates"][i]}
        metrics[p["metric"]["name"]] = {
            "verdict": v, "test": p["test"], "dry_run": p["metric"]["dry_run"], "critical": p["metric"]["critical"],
            "direction": p["metric"]["direction"], "alpha": p["alpha"], "p_value": look["p_value"],
            "ci": look["ci"], "effect_kind": {"dirichlet_multinomial": "rate_ratio", "normal_mixture": "mean_ratio",
                                              "quantile_sequence": "quantile_ratio"}[p["test"]],
            "effect": look["effect"], "quantile": look["quantile"], "bayes_factor": look["bayes_factor"],
            "allowed": [p["up"], p["down"]], "baseline": arm(0), "canary": arm(1), "reasons": [r]}
    verdict = {"decision": decision, "reasons": run_reasons, "alpha": w["alpha"], "looks": st["looks"],
               "elapsed_seconds": elapsed, "bake_complete": bake, "score": score,
               "metrics": dict(sorted(metrics.items()))}
    return {"state": st, "verdict": verdict}


def step(config, state, batch, at, history):
    """update_canary_watch(config, state, batch, at): the full output, or a
    WatchError. `history` holds every sample so far of the mean metrics
    (metric -> side -> values); their moments are computed from it directly."""
    st, w, ps = update(config, state, batch, at)
    new_history = copy.deepcopy(history)
    for p in ps:
        m = st["metrics"][p["metric"]["name"]]
        for side in ("baseline", "canary"):
            added = m.pop("_values_" + side, [])
            new_history.setdefault(p["metric"]["name"], {}).setdefault(side, []).extend(added)
    out = finish(config, state, st, w, ps, at, new_history)
    return out, new_history
