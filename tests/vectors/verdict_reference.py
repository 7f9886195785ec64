"""A reference of rollgate's canary verdict rules in Python, for the vector
generators (generate_verdict.py): the statistical kernels computed with
scipy/numpy (and, where scipy has no equivalent, direct transcriptions of R's
algorithms or brute-force counts), never with rollgate; the classification,
score and decision rules transcribed from the documentation of
core/src/verdict/ (classify.rs, decide.rs, score.rs) and its sentences
formatted the way Rust prints numbers.

Nothing here imports rollgate: a vector's expected value is what the
documented rules give on numbers computed independently.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import stats
from scipy.stats import rankdata

EPS = np.finfo(float).eps


# ---------------------------------------------------------------- formatting
def rust_display(x: float) -> str:
    """Rust's `{}` of an f64: the shortest round-trip digits, never in
    exponent form, no trailing `.0`."""
    if x == 0:
        return "0"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = format(Decimal(repr(float(x))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def rust_e3(x: float) -> str:
    """Rust's `{:.3e}`: `7.937e-3`."""
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def rust_fixed(x: float, digits: int) -> str:
    return f"{x:.{digits}f}"


# ---------------------------------------------------------------- small helpers
def type7(xs, q):
    """R's type-7 quantile of sorted values, with the same floating-point
    steps as rollgate's (lo + (h - lo)(b - a))."""
    n = len(xs)
    if n == 0:
        return float("nan")
    h = (n - 1) * q
    lo = math.floor(h)
    a = xs[lo]
    b = xs[min(lo + 1, n - 1)]
    return a + (h - lo) * (b - a)


def alpha_of_confidence(confidence: float) -> float:
    """1 - confidence as the decimal the configuration states."""
    return float(Decimal(1) - Decimal(repr(confidence)))


# ---------------------------------------------------------------- Mann-Whitney (R's wilcox.test)
def u_counts(n: int, m: int) -> list[int]:
    table = {}
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                table[i, j] = [1]
                continue
            a = [0] * j + table[i - 1, j]
            b = table[i, j - 1]
            row = [0] * (i * j + 1)
            for k, v in enumerate(a):
                row[k] += v
            for k, v in enumerate(b):
                row[k] += v
            table[i, j] = row
    return table[n, m]


def qwilcox(p: float, n: int, m: int) -> int:
    counts = u_counts(n, m)
    total = sum(counts)
    acc = 0
    for q, c in enumerate(counts):
        acc += c
        if acc / total >= p - 10 * EPS:
            return q
    return len(counts) - 1


def wdiff(x, y, d, zq, alternative):
    n, m = len(x), len(y)
    dr = np.concatenate([x - d, y])
    r = rankdata(dr)
    _, t = np.unique(dr, return_counts=True)
    dz = r[:n].sum() - n * (n + 1) / 2 - n * m / 2
    corr = {"two-sided": np.sign(dz) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    big_n = n + m
    sigma = math.sqrt((n * m / 12) * ((big_n + 1) - (t**3 - t).sum() / (big_n * (big_n - 1))))
    return (dz - corr) / sigma - zq


def r_root(x, y, zq, alternative):
    diffs = np.unique(np.subtract.outer(x, y).ravel())
    mids = np.concatenate([[diffs[0] - 1], (diffs[:-1] + diffs[1:]) / 2, [diffs[-1] + 1]])
    f = lambda k: wdiff(x, y, mids[k], zq, alternative)  # noqa: E731
    if f(0) <= 0:
        return float(diffs[0])
    if f(len(mids) - 1) >= 0:
        return float(diffs[-1])
    lo, hi = 0, len(mids) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return float(diffs[lo])


def mann_whitney(x, y, alternative, confidence):
    """{statistic, p_value, estimate, ci} of x against y, as R."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    n, m = len(x), len(y)
    ties = len(np.unique(np.concatenate([x, y]))) < n + m
    exact = n < 50 and m < 50 and not ties
    res = stats.mannwhitneyu(x, y, alternative=alternative, method="exact" if exact else "asymptotic",
                             use_continuity=True)
    diffs = np.sort(np.subtract.outer(x, y).ravel())
    alpha = 1 - confidence
    nm = n * m
    if exact:
        if alternative == "two-sided":
            qu = max(qwilcox(alpha / 2, n, m), 1)
            ci = [float(diffs[qu - 1]), float(diffs[nm - qu])]
        elif alternative == "greater":
            qu = max(qwilcox(alpha, n, m), 1)
            ci = [float(diffs[qu - 1]), None]
        else:
            qu = max(qwilcox(alpha, n, m), 1)
            ci = [None, float(diffs[nm - qu])]
    else:
        z = stats.norm.ppf
        if alternative == "two-sided":
            ci = [r_root(x, y, z(1 - alpha / 2), alternative), r_root(x, y, z(alpha / 2), alternative)]
        elif alternative == "greater":
            ci = [r_root(x, y, z(1 - alpha), alternative), None]
        else:
            ci = [None, r_root(x, y, z(alpha), alternative)]
    return {"statistic": float(res.statistic), "p_value": float(res.pvalue),
            "estimate": float(np.median(diffs)), "ci": ci}


# ---------------------------------------------------------------- proportions and rates
def compare_proportions(a, n1, c, n2, alternative, confidence):
    """Fisher's exact test or the score test, Katz interval (Haldane when a count is 0)."""
    total = n1 + n2
    ev = a + c
    expected = [n1 * ev / total, n1 * (total - ev) / total, n2 * ev / total, n2 * (total - ev) / total]
    if min(expected) < 5:
        method = "fisher_exact"
        p = float(stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative=alternative).pvalue)
    else:
        method = "score"
        pooled = ev / total
        z = (a / n1 - c / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p = {"two-sided": 2 * stats.norm.sf(abs(z)), "greater": stats.norm.sf(z),
             "less": stats.norm.cdf(z)}[alternative]
        p = float(min(p, 1.0))
    ratio = (a / n1) / (c / n2) if c > 0 else None
    if a == 0 or c == 0:
        ca, cc, cn1, cn2 = a + 0.5, c + 0.5, n1 + 1, n2 + 1
    else:
        ca, cc, cn1, cn2 = a, c, n1, n2
    log_ratio = math.log((ca / cn1) / (cc / cn2))
    se = math.sqrt(max(1 / ca - 1 / cn1 + 1 / cc - 1 / cn2, 0.0))
    alpha = 1 - confidence

    def lower(q):
        return 0.0 if a == 0 else math.exp(log_ratio - q * se)

    def upper(q):
        return None if c == 0 else math.exp(log_ratio + q * se)

    if alternative == "two-sided":
        q = stats.norm.ppf(1 - alpha / 2)
        ci = [lower(q), upper(q)]
    elif alternative == "greater":
        ci = [lower(stats.norm.ppf(1 - alpha)), None]
    else:
        ci = [0.0, upper(stats.norm.ppf(1 - alpha))]
    return {"p_value": p, "method": method, "ratio": ratio, "ci": ci, "difference": a / n1 - c / n2}


def compare_rates(ex, tx, ey, ty, alternative, confidence):
    """R's poisson.test: the conditional binomial test, Clopper-Pearson mapped to the ratio."""
    n = ex + ey
    pi = tx / (tx + ty)
    res = stats.binomtest(ex, n, pi, alternative=alternative)
    ci = res.proportion_ci(confidence_level=confidence, method="exact")

    def to_ratio(p):
        return None if p >= 1 else p / (1 - p) * ty / tx

    return {"p_value": float(res.pvalue), "ci": [to_ratio(ci.low), to_ratio(ci.high)],
            "ratio": (ex / tx) / (ey / ty) if ey > 0 else None, "rate_x": ex / tx, "rate_y": ey / ty}


# ---------------------------------------------------------------- quantiles
def qbinom(p, n, q):
    target = p * (1 - 64 * EPS)
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if stats.binom.cdf(mid, n, q) >= target:
            hi = mid
        else:
            lo = mid + 1
    return lo


def quantile_interval(xs, q, confidence):
    n = len(xs)
    alpha = 1 - confidence
    lo_rank = qbinom(alpha / 2, n, q)
    hi_rank = qbinom(1 - alpha / 2, n, q) + 1
    lower = float(xs[lo_rank - 1]) if lo_rank >= 1 else None
    upper = float(xs[hi_rank - 1]) if hi_rank <= n else None
    return {"estimate": type7(xs, q), "ci": [lower, upper]}


def compare_quantiles(xs, ys, q, alternative, confidence):
    """rollgate's quantile test on sorted samples: order-statistic intervals
    at (1 + confidence)/2 each; the p-value of the proportions above the
    pooled type-7 quantile."""
    each = 1.0 - (1.0 - confidence) / 2.0
    ix = quantile_interval(xs, q, each)
    iy = quantile_interval(ys, q, each)
    ci = [ix["ci"][0] - iy["ci"][1] if ix["ci"][0] is not None and iy["ci"][1] is not None else None,
          ix["ci"][1] - iy["ci"][0] if ix["ci"][1] is not None and iy["ci"][0] is not None else None]
    if alternative == "greater":
        ci = [ci[0], None]
    elif alternative == "less":
        ci = [None, ci[1]]
    pooled = sorted(list(xs) + list(ys))
    threshold = type7(pooled, q)
    above_x = sum(1 for v in xs if v > threshold)
    above_y = sum(1 for v in ys if v > threshold)
    p = compare_proportions(above_x, len(xs), above_y, len(ys), alternative, confidence)["p_value"]
    return {"estimate": ix["estimate"] - iy["estimate"], "ci": ci, "p_value": p,
            "quantile_x": ix["estimate"], "quantile_y": iy["estimate"]}


# ---------------------------------------------------------------- Kolmogorov-Smirnov, one-sided on a half
def one_sided_ks_p(n, m, dnm):
    """P(max (j n - i m) >= dnm) over a uniformly random lattice path (exact
    rational count)."""
    if dnm <= 0:
        return 1.0
    if n * m > 1_000_000:
        d = dnm / (n * m)
        return min(math.exp(-2 * d * d * n * m / (n + m)), 1.0)
    ways = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if j * n - i * m >= dnm:
                ways[i][j] = 0
            elif i == 0 and j == 0:
                ways[i][j] = 1
            else:
                ways[i][j] = (ways[i - 1][j] if i else 0) + (ways[i][j - 1] if j else 0)
    return float(1 - Fraction(ways[n][m], math.comb(n + m, n)))


def upper_excess(cs, bs):
    """max over distinct values v >= median(baseline) of j*n - i*m (i canary, j baseline at or below v)."""
    n, m = len(cs), len(bs)
    median = type7(bs, 0.5)
    best = 0
    for v in sorted(set(cs) | set(bs)):
        if v >= median:
            i = sum(1 for x in cs if x <= v)
            j = sum(1 for x in bs if x <= v)
            best = max(best, j * n - i * m)
    return best


def lower_excess(cs, bs):
    return upper_excess(sorted(-x for x in cs), sorted(-x for x in bs))


# ---------------------------------------------------------------- judge_canary
DEFAULT_GROUP = "default"
ALTERNATIVE = {"increase": "greater", "decrease": "less", "either": "two-sided"}
BOUNDING = {"increase": "less", "decrease": "greater", "either": "two-sided"}


def metric_defaults(m):
    out = {"kind": "continuous", "compare": "location", "direction": "either", "critical": False,
           "must_have_data": False, "nan_policy": "reject", "outliers": "keep", "dry_run": False}
    out.update(m)
    return out


def judge_min_samples(m):
    if m.get("min_samples") is not None:
        return max(m["min_samples"], 1)
    if m["kind"] == "continuous":
        return 30
    if m["kind"] == "count":
        return 1
    q = m.get("quantile") or 0.99
    return math.ceil(10 / alpha_of_confidence(q))


def clean(m, values):
    kept, nan = [], 0
    for v in values:
        if v is None or not math.isfinite(v):
            nan += 1
            continue
        kept.append(v + 0.0)
    kept.sort()
    removed = 0
    if m["outliers"] == "iqr" and len(kept) >= 4:
        f = m.get("outlier_factor") or 3.0
        q1, q3 = type7(kept, 0.25), type7(kept, 0.75)
        lo, hi = q1 - f * (q3 - q1), q3 + f * (q3 - q1)
        before = len(kept)
        kept = [v for v in kept if lo <= v <= hi]
        removed = before - len(kept)
    return kept, nan, removed


def sign(x):
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def ratio_of(canary, baseline):
    if baseline != 0:
        return canary / baseline, False
    if canary == 0:
        return 1.0, False
    return None, True


def min_p(test, n, m, alternative, confidence):
    """The smallest p-value of the test at sizes n (canary), m (baseline)."""
    if n == 0 or m == 0:
        return 1.0
    sides = 2.0 if alternative == "two-sided" else 1.0
    if test == "location":
        if min(n, m) > 2000:
            return 0.0
        cs, bs = (np.arange(n, dtype=float), np.arange(n, n + m, dtype=float)) if alternative == "less" else \
            (np.arange(m, m + n, dtype=float), np.arange(m, dtype=float))
        return mann_whitney(cs, bs, alternative, confidence)["p_value"]
    if test == "distribution":
        if n * m <= 1_000_000:
            return min(sides / math.comb(n + m, n), 1.0)
        return min(sides * math.exp(-2 * n * m / (n + m)), 1.0)
    if test == "proportions":
        e_c, e_b = (0, m) if alternative == "less" else (n, 0)
        return compare_proportions(e_c, n, e_b, m, alternative, confidence)["p_value"]
    q = test[1]
    total = n + m
    h = (total - 1) * q
    threshold = math.floor(h) + (h - math.floor(h))
    above = max(total - 1 - math.floor(threshold), 0)
    if alternative == "less":
        a_c, a_b = max(above - m, 0), min(above, m)
    else:
        a_c, a_b = min(above, n), max(above - n, 0)
    return compare_proportions(a_c, n, a_b, m, alternative, confidence)["p_value"]


def more_needed(test, n, m, alternative, confidence, alpha):
    n, m = max(n, 1), max(m, 1)
    base = lambda k: -(-k * m // n)  # noqa: E731
    reaches = lambda k: min_p(test, k, base(k), alternative, confidence) <= alpha  # noqa: E731
    hi = n
    while not reaches(hi):
        if hi > 1_000_000_000:
            return None
        hi *= 2
    lo = n
    while lo < hi:
        mid = (lo + hi) // 2
        if reaches(mid):
            hi = mid
        else:
            lo = mid + 1
    return [max(base(lo) - m, 0), lo - n]


def tolerated(m):
    up = m["direction"] in ("increase", "either") and m.get("allowed_increase") is not None \
        and m["allowed_increase"] != 1.0
    down = m["direction"] in ("decrease", "either") and m.get("allowed_decrease") is not None \
        and m["allowed_decrease"] != 1.0
    return down, up


def evaluate(m, data):
    confidence = m.get("confidence") or 0.95
    kind_effect = {"count": "ratio", "quantile": "quantile_difference"}
    effect_kind = kind_effect.get(m["kind"], "ks_distance" if m["compare"] == "distribution" else "shift")
    e = {"no_data": None, "short": None, "test": "none", "statistic": None, "p_value": None,
         "effect_kind": effect_kind, "effect": None, "ci": [None, None], "ratio": None, "unbounded": False,
         "sign": 0.0, "n_baseline": 0.0, "n_canary": 0.0, "removed_nan": 0, "removed_outliers": 0,
         "slo": 0, "slo_side": 0.0, "alpha": alpha_of_confidence(confidence), "warnings": [], "min_p": 0.0,
         "more": "unset", "harm_bounds": [None, None], "bound_estimate": None}
    if data is None:
        e["no_data"] = "no data was given"
        return e
    min_samples = judge_min_samples(m)
    alt = ALTERNATIVE[m["direction"]]
    if m["kind"] == "count":
        evaluate_counts(m, data, e, alt, confidence, min_samples)
    else:
        evaluate_samples(m, data, e, alt, confidence, min_samples)
    if e["unbounded"]:
        e["warnings"].append("zero_baseline")
    return e


def record_reach(e, test, nb, nc, alt, confidence):
    e["min_p"] = min_p(test, nc, nb, alt, confidence)
    if e["min_p"] > e["alpha"]:
        e["more"] = more_needed(test, nc, nb, alt, confidence, e["alpha"])


def evaluate_samples(m, data, e, alt, confidence, min_samples):
    bs, bn, bo = clean(m, data["baseline"])
    cs, cn, co = clean(m, data["canary"])
    e.update(removed_nan=bn + cn, removed_outliers=bo + co, n_baseline=float(len(bs)), n_canary=float(len(cs)))
    if not bs or not cs:
        e["no_data"] = f"{len(bs)} baseline and {len(cs)} canary samples"
        return
    if len(bs) < min_samples or len(cs) < min_samples:
        e["short"] = [len(bs), len(cs), min_samples]
        return
    if len(bs) < 50 or len(cs) < 50:
        e["warnings"].append("few_samples")
    above = sum(1 for v in cs if m.get("max") is not None and v > m["max"])
    below = sum(1 for v in cs if m.get("min") is not None and v < m["min"])
    e["slo"], e["slo_side"] = above + below, (1.0 if above >= below else -1.0)
    down, up = tolerated(m)
    if m["kind"] == "quantile":
        q = m.get("quantile") or 0.99
        needed = math.ceil(10 / alpha_of_confidence(q))
        if len(bs) < needed or len(cs) < needed:
            e["warnings"].append("few_tail_samples")
        r = compare_quantiles(cs, bs, q, alt, confidence)
        e.update(test="quantile_test", p_value=r["p_value"], effect=r["estimate"], ci=r["ci"],
                 sign=sign(r["estimate"]))
        e["ratio"], e["unbounded"] = ratio_of(r["quantile_x"], r["quantile_y"])
        if down or up:
            bounding = compare_quantiles(cs, bs, q, BOUNDING[m["direction"]], confidence)
            bounds_from_difference(e, down, up, bounding["ci"], r["quantile_y"], r["estimate"])
        record_reach(e, ("quantile", q), len(bs), len(cs), alt, confidence)
    elif m["compare"] == "distribution":
        e["ratio"], e["unbounded"] = ratio_of(float(np.mean(cs)), float(np.mean(bs)))
        n, mm = len(cs), len(bs)
        if m["direction"] == "either":
            ks = stats.ks_2samp(cs, bs, method="exact" if n * mm <= 1_000_000 else "asymp")
            e.update(test="kolmogorov_smirnov", statistic=float(ks.statistic), p_value=float(ks.pvalue),
                     effect=float(ks.statistic))
            mw = mann_whitney(cs, bs, alt, confidence)
            e["sign"] = sign(mw["estimate"])
            clear = (mw["ci"][0] is not None and mw["ci"][0] > 0) or (mw["ci"][1] is not None and mw["ci"][1] < 0)
            if not clear:
                spread = lambda v: type7(v, 0.75) - type7(v, 0.25)  # noqa: E731
                e["sign"] = sign(spread(cs) - spread(bs))
                e["warnings"].append("spread_change")
        else:
            dnm = upper_excess(cs, bs) if m["direction"] == "increase" else lower_excess(cs, bs)
            d = dnm / (n * mm)
            e.update(test="kolmogorov_smirnov_" + ("upper" if m["direction"] == "increase" else "lower"),
                     statistic=d, effect=d, p_value=one_sided_ks_p(n, mm, dnm),
                     sign=(1.0 if m["direction"] == "increase" else -1.0) if dnm > 0 else 0.0)
        record_reach(e, "distribution", len(bs), len(cs), alt, confidence)
    else:
        mw = mann_whitney(cs, bs, alt, confidence)
        e["ratio"], e["unbounded"] = ratio_of(float(np.mean(cs)), float(np.mean(bs)))
        e.update(test="mann_whitney", statistic=mw["statistic"], p_value=mw["p_value"], effect=mw["estimate"],
                 ci=mw["ci"], sign=sign(mw["estimate"]))
        if down or up:
            ci = mw["ci"] if m["direction"] == "either" else mann_whitney(cs, bs, BOUNDING[m["direction"]], confidence)["ci"]
            bounds_from_difference(e, down, up, ci, float(np.mean(bs)), mw["estimate"])
        record_reach(e, "location", len(bs), len(cs), alt, confidence)


def bounds_from_difference(e, down, up, ci, centre, estimate):
    if centre <= 0:
        return
    ratio = lambda d, unbounded: unbounded if d is None else (centre + d) / centre  # noqa: E731
    e["harm_bounds"] = [ratio(ci[0], -math.inf) if down else None, ratio(ci[1], math.inf) if up else None]
    e["bound_estimate"] = (centre + estimate) / centre


def evaluate_counts(m, data, e, alt, confidence, min_samples):
    b, c = data["baseline"], data["canary"]
    size = lambda s: s.get("trials", s.get("exposure", 0.0))  # noqa: E731
    e["n_baseline"], e["n_canary"] = float(size(b)), float(size(c))
    if size(b) <= 0 or size(c) <= 0:
        e["no_data"] = "no trials or exposure on one side"
        return
    if ("trials" in b and b["trials"] < min_samples) or ("trials" in c and c["trials"] < min_samples):
        e["short"] = [int(size(b)), int(size(c)), min_samples]
        return
    canary_rate = c["events"] / size(c)
    if m.get("max") is not None:
        e["slo"] += int(canary_rate > m["max"])
        e["slo_side"] = 1.0
    if m.get("min") is not None and canary_rate < m["min"]:
        e["slo"] += 1
        e["slo_side"] = -1.0
    down, up = tolerated(m)
    if "trials" in b:
        test = lambda a: compare_proportions(c["events"], c["trials"], b["events"], b["trials"], a, confidence)  # noqa: E731
        r = test(alt)
        e.update(test=r["method"], p_value=r["p_value"], effect=r["ratio"], ci=r["ci"], sign=sign(r["difference"]))
        record_reach(e, "proportions", int(b["trials"]), int(c["trials"]), alt, confidence)
    else:
        test = lambda a: compare_rates(c["events"], c["exposure"], b["events"], b["exposure"], a, confidence)  # noqa: E731
        r = test(alt)
        e.update(test="conditional_binomial", p_value=r["p_value"], effect=r["ratio"], ci=r["ci"],
                 sign=sign(r["rate_x"] - r["rate_y"]))
    e["ratio"], e["unbounded"] = ratio_of(canary_rate, b["events"] / e["n_baseline"])
    if down or up:
        ci = test(BOUNDING[m["direction"]])["ci"]
        e["harm_bounds"] = [(ci[0] if ci[0] is not None else 0.0) if down else None,
                            (ci[1] if ci[1] is not None else math.inf) if up else None]
        e["bound_estimate"] = e["ratio"]


def reason(code, message, subjects=(), evidence=None):
    r = {"code": code, "message": message, "subjects": sorted(set(subjects))}
    if evidence:
        r["evidence"] = evidence
    return r


def classify(m, e, adjusted):
    name = m["name"]
    critical_failure = False
    if e["no_data"] is not None:
        if m["must_have_data"]:
            cls, critical_failure = "no_data_fail", m["critical"]
            r = reason("no_data_fail", f"{name}: {e['no_data']}, and the metric must have data", [name])
        else:
            cls, r = "no_data", reason("no_data", f"{name}: {e['no_data']}", [name])
    elif e["short"] is not None:
        b, c, needed = e["short"]
        cls = "continue"
        r = reason("too_few_samples",
                   f"{name}: {b} baseline and {c} canary samples, fewer than the {needed} per side it needs "
                   f"before it is tested; keep collecting data", [name],
                   {"more_baseline": max(needed - b, 0), "more_canary": max(needed - c, 0)})
    else:
        cls, critical_failure, r = with_data(m, e, adjusted if adjusted is not None else (e["p_value"] or 1.0))
    tested = e["no_data"] is None and e["short"] is None
    return {
        "classification": cls, "test": e["test"], "statistic": e["statistic"], "p_value": e["p_value"],
        "adjusted_p_value": adjusted if adjusted is not None else e["p_value"], "alpha": e["alpha"],
        "effect_kind": e["effect_kind"], "effect": e["effect"], "ci": e["ci"], "effect_ratio": e["ratio"],
        "direction": m["direction"], "critical": m["critical"], "critical_failure": critical_failure,
        "group": m.get("group") or DEFAULT_GROUP, "n_baseline": e["n_baseline"], "n_canary": e["n_canary"],
        "removed_nan": e["removed_nan"], "removed_outliers": e["removed_outliers"], "slo_violations": e["slo"],
        "warnings": e["warnings"], "min_p_value": e["min_p"] if tested else None, "dry_run": m["dry_run"],
        "reason": r,
    }


def with_data(m, e, p):
    name = m["name"]
    significant = p <= e["alpha"]
    ratio = e["ratio"]
    exceeds_up = lambda bound: e["unbounded"] or (ratio is not None and ratio > bound)  # noqa: E731
    exceeds_down = lambda bound: ratio is not None and ratio < bound  # noqa: E731
    distribution = e["test"].startswith("kolmogorov_smirnov")
    up_bad = m["direction"] in ("increase", "either")
    down_bad = m["direction"] in ("decrease", "either")
    high = significant and e["sign"] > 0 and up_bad and (distribution or exceeds_up(m.get("allowed_increase") or 1.0))
    low = significant and e["sign"] < 0 and down_bad and (distribution or exceeds_down(m.get("allowed_decrease") or 1.0))
    ratio_text = "unbounded (baseline is 0)" if ratio is None else rust_fixed(ratio, 4)
    if high or low:
        if high:
            bound_hit = m.get("critical_increase") is not None and exceeds_up(m["critical_increase"])
        else:
            bound_hit = m.get("critical_decrease") is not None and exceeds_down(m["critical_decrease"])
        cls, code, what = ("high", "significant_increase", "significant increase") if high else \
            ("low", "significant_decrease", "significant decrease")
        beyond = ", beyond the critical bound" if bound_hit else ""
        msg = (f"{name}: {what} ({e['test']}, p = {rust_e3(p)} <= {rust_display(e['alpha'])}), "
               f"canary/baseline ratio {ratio_text}{beyond}")
        return cls, m["critical"] or bound_hit, reason(code, msg, [name])
    limit = m.get("failure_limit") or 0
    if e["slo"] > limit:
        msg = f"{name}: {e['slo']} canary value(s) outside the SLO bounds, more than failure_limit {limit}"
        return ("high" if e["slo_side"] > 0 else "low"), m["critical"], reason("slo_violated", msg, [name])
    if e["more"] != "unset":
        more = e["more"]
        needs = "more than a billion samples" if more is None else \
            f"about {more[1]} more canary and {more[0]} more baseline samples"
        msg = (f"{name}: with {rust_display(e['n_baseline'])} baseline and {rust_display(e['n_canary'])} canary "
               f"samples the {e['test']} cannot give a p-value below {rust_e3(e['min_p'])}, above its level "
               f"{rust_display(e['alpha'])}; it needs {needs}")
        ev = {"min_p_value": e["min_p"]}
        if more is not None:
            ev.update(more_baseline=more[0], more_canary=more[1])
        return "continue", False, reason("unreachable_level", msg, [name], ev)
    wide = interval_too_wide(m, e)
    if wide is not None:
        return "continue", False, wide
    msg = (f"{name}: no significant harmful change ({e['test']}, p = {rust_e3(p)}, level "
           f"{rust_display(e['alpha'])}), canary/baseline ratio {ratio_text}")
    return "pass", False, reason("no_harmful_change", msg, [name])


def interval_too_wide(m, e):
    lower, upper = e["harm_bounds"]
    if upper is not None and m.get("allowed_increase") is not None and upper > m["allowed_increase"]:
        bound, allowed, side = upper, m["allowed_increase"], "an increase"
    elif lower is not None and m.get("allowed_decrease") is not None and lower < m["allowed_decrease"]:
        bound, allowed, side = lower, m["allowed_decrease"], "a decrease"
    else:
        return None
    finite = math.isfinite(bound)
    bound_text = rust_fixed(bound, 4) if finite else "unbounded"
    msg = (f"{m['name']}: the interval of the canary/baseline ratio reaches {bound_text}, so the data cannot yet "
           f"rule out {side} beyond the allowed {rust_display(allowed)}; keep collecting data")
    ev = {"bound": bound if finite else None, "allowed": allowed}
    est = e["bound_estimate"]
    if est is not None and finite:
        reach, room = abs(bound - est), abs(allowed - est)
        right_side = est < allowed if side == "an increase" else est > allowed
        if right_side and room > 0:
            factor = (reach / room) ** 2
            grow = lambda n: int(max(math.ceil(n * factor) - n, 0.0))  # noqa: E731
            ev.update(more_baseline=grow(e["n_baseline"]), more_canary=grow(e["n_canary"]))
    return reason("interval_too_wide", msg, [m["name"]], ev)


def adjust(ps, method):
    n = len(ps)
    if method in (None, "none") or n == 0:
        return list(ps)
    order = sorted(range(n), key=lambda i: (ps[i], i))
    out = [0.0] * n
    if method == "holm":
        running = 0.0
        for rank, i in enumerate(order):
            running = max(running, (n - rank) * ps[i])
            out[i] = min(running, 1.0)
        return out
    adjusted = stats.false_discovery_control(ps, method="bh")
    return [float(v) for v in adjusted]


def group_scores(weights, entries):
    groups = {}
    for group, cls in entries:
        g = groups.setdefault(group, {"score": None, "weight": 0.0, "pass": 0, "fail": 0, "no_data": 0,
                                      "undecided": 0})
        if cls == "pass":
            g["pass"] += 1
        elif cls == "no_data":
            g["no_data"] += 1
        elif cls == "continue":
            g["undecided"] += 1
        else:
            g["fail"] += 1
    for g in groups.values():
        if g["pass"] + g["fail"] > 0:
            g["score"] = 100.0 * g["pass"] / (g["pass"] + g["fail"])
    scored = [n for n, g in groups.items() if g["score"] is not None]
    configured = sum(weights[n] for n in scored if n in weights)
    unweighted = [n for n in scored if n not in weights]
    share = max(100.0 - configured, 0.0) / len(unweighted) if unweighted else 0.0
    for n in scored:
        groups[n]["weight"] = weights.get(n, share)
    total = sum(g["weight"] for g in groups.values())
    score = 0.0
    if total > 0:
        score = sum(g["score"] * g["weight"] for g in groups.values() if g["score"] is not None) / total
        for g in groups.values():
            g["weight"] = 100.0 * g["weight"] / total
    return dict(sorted(groups.items())), score


def judge(config, data):
    """The full expected output of judge_canary(config, data)."""
    metrics = [metric_defaults(m) for m in config["metrics"]]
    thresholds = {"pass": 95.0, "marginal": 75.0}
    thresholds.update({k: float(v) for k, v in config.get("thresholds", {}).items()})
    weights = {k: float(v) for k, v in config.get("groups", {}).items()}
    evals = [evaluate(m, data.get(m["name"])) for m in metrics]
    tested = sorted((m["name"], i, e["p_value"]) for i, (m, e) in enumerate(zip(metrics, evals))
                    if e["no_data"] is None and e["short"] is None and not m["dry_run"] and e["p_value"] is not None)
    adjusted = dict(zip([t[1] for t in tested], adjust([t[2] for t in tested], config.get("correction", "none"))))
    results = {m["name"]: classify(m, e, adjusted.get(i)) for i, (m, e) in enumerate(zip(metrics, evals))}
    return decide(results, thresholds, weights)


def decide(results, t, weights):
    deciding = {n: r for n, r in sorted(results.items()) if not r["dry_run"]}
    is_fail = lambda r: r["classification"] in ("high", "low", "no_data_fail")  # noqa: E731
    names = lambda pred: [n for n, r in deciding.items() if pred(r)]  # noqa: E731
    total = len(deciding)
    failed = names(is_fail)
    critical = names(lambda r: r["critical_failure"] and is_fail(r))
    no_data = names(lambda r: r["classification"] in ("no_data", "no_data_fail"))
    zero = names(lambda r: r["classification"] == "pass" and "zero_baseline" in r["warnings"]
                 and r["direction"] != "decrease")
    undecided = names(lambda r: r["classification"] == "continue")
    dry_failed = [n for n, r in sorted(results.items()) if r["dry_run"] and is_fail(r)]
    groups, score = group_scores(weights, [(r["group"], r["classification"]) for r in deciding.values()])
    forced = "critical_metric_failed" if critical else ("too_many_no_data" if total == 0 or 2 * len(no_data) >= total else None)
    if forced:
        score = 0.0
    lst = ", ".join
    reasons = []
    if forced == "critical_metric_failed":
        decision = "rollback"
        reasons.append(reason(forced, f"critical metric(s) failed: {lst(critical)}; score forced to 0", critical))
    elif forced:
        reasons.append(reason(forced, f"{len(no_data)} of {total} metric(s) have no data ({lst(no_data)}); score "
                                      f"forced to 0 and no decision can be taken", no_data))
        decision = "rollback" if any(f not in no_data for f in failed) else "inconclusive"
    else:
        best = None
        if undecided:
            _, best = group_scores(weights, [(r["group"], "pass" if r["classification"] == "continue"
                                               else r["classification"]) for r in deciding.values()])
        if undecided and not (failed and best < t["marginal"]):
            decision = "continue"
            reasons.append(reason("needs_more_data", f"{lst(undecided)} cannot be judged yet (see each metric's "
                                                     f"reason); keep collecting data", undecided))
        else:
            s = min(score, best) if undecided else score
            if s < t["marginal"]:
                decision = "rollback"
                reasons.append(reason("score_below_marginal", f"score {s:.1f} is below the marginal threshold "
                                                              f"{rust_display(t['marginal'])}", failed))
            elif s < t["pass"]:
                decision = "continue"
                reasons.append(reason("score_marginal", f"score {s:.1f} is marginal (at least "
                                                        f"{rust_display(t['marginal'])}, below "
                                                        f"{rust_display(t['pass'])}); keep collecting data", failed))
            elif zero:
                decision = "continue"
                reasons.append(reason("zero_baseline", f"score {s:.1f} passes, but the baseline of {lst(zero)} is 0 "
                                                       f"while the canary is not, so the increase is unbounded; keep "
                                                       f"collecting data", zero))
            else:
                decision = "promote"
                reasons.append(reason("score_passed", f"score {s:.1f} reaches the pass threshold "
                                                      f"{rust_display(t['pass'])}"))
    if failed and forced != "critical_metric_failed":
        reasons.append(reason("metric_failed", f"failing metric(s): {lst(failed)}", failed))
    if dry_failed:
        reasons.append(reason("dry_run_failed", f"dry-run metric(s) {lst(dry_failed)} would have failed; they do "
                                                f"not count", dry_failed))
    no_data_only = [n for n in no_data if n not in failed]
    if no_data_only and forced is None:
        reasons.append(reason("no_data", f"metric(s) without data, excluded from the score: {lst(no_data_only)}",
                              no_data_only))
    return {"decision": decision, "score": score, "score_forced_to_zero": forced, "thresholds": t,
            "reasons": reasons, "groups": groups, "metrics": dict(sorted(results.items()))}
