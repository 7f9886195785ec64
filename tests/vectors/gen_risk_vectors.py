#!/usr/bin/env python3
"""Regenerates tests/vectors/risk.json and governance.json.

Expected numbers are computed here from the documented formulas with Python's
math and hashlib, independently of the Rust implementation:
  log_odds = baseline + sum(weight * (feature - center)),
  p = 1 / (1 + exp(-log_odds)); features: ln(1 + count) for counts, 0/1 flags,
  Beta-binomial posterior mean (alpha + f) / (alpha + beta + n) for a
  service's history, near_freeze = clamp(1 - s / 72h, 0, 1);
  Brier = mean (p - y)^2, AUC by pair counting, caught-vs-gated by sorting;
  change-log hashes = sha256(json.dumps(content, sort_keys=True, separators=(",", ":"))).
Governance and strategy expectations follow the rules in the docs, re-stated
below in Python (requirements, points table, message templates) rather than
taken from the Rust output; every `expected` lists the complete result, as
the runners match exactly.
"""
import hashlib
import json
import math
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def level(p):
    return "critical" if p >= 0.5 else "high" if p >= 0.3 else "medium" if p >= 0.1 else "low"


def logit(p):
    return math.log(p / (1 - p))


def reason(code, message, subjects=(), evidence=None):
    """The shared Reason shape: subjects sorted without repeats, evidence
    omitted when empty."""
    r = {"code": code, "message": message, "subjects": sorted(set(subjects))}
    if evidence:
        r["evidence"] = dict(sorted(evidence.items()))
    return r


def explain(what, c):
    if c > 0:
        return f"{what}: raises the log-odds of failure by {c:.3f}"
    if c < 0:
        return f"{what}: lowers the log-odds of failure by {-c:.3f}"
    return f"{what}: no effect on the log-odds of failure"


def factor(code, what, value, feature, weight, center=0.0, subjects=()):
    c = weight * (feature - center)
    return dict(reason(code, explain(what, c), subjects), value=value, feature=feature, weight=weight,
                contribution=c)


def by_size(factors):
    return sorted(factors, key=lambda f: (-abs(f["contribution"]), f["code"]))


# Canonical factor order (core/src/risk/factors.rs) and why a factor is left
# out when its input is missing.
FACTORS = ["lines_added", "lines_deleted", "lines_before", "files_changed", "directories_changed",
           "subsystems_changed", "entropy", "is_fix", "prior_developers", "prior_changes",
           "author_experience", "author_recent_experience", "author_subsystem_experience",
           "kind_config", "kind_schema", "kind_infrastructure", "has_migration", "irreversible",
           "emergency", "feature_flag", "tests_failed", "no_test_evidence", "coverage_gap",
           "security_scan_failed", "weekend", "off_hours", "slow_rollback", "peak", "outside_window",
           "near_freeze", "stateful_services", "transitive_dependents", "customer_facing_share",
           "traffic_exposed", "service_failure_history", "author_service_experience"]
CAUSES = {"no_plan": "no plan given", "no_history": "no outcome history given",
          "no_window": "no release-window status or calendar given",
          "no_planned_start": "the change has no planned start", "no_peak_hours": "no peak hours given",
          "no_test_data": "the change records no tests", "no_coverage": "the change records no test coverage",
          "no_security_scan": "the change records no security scan",
          "no_strategy": "the change names no release strategy"}


def not_assessed(missing):
    """missing: (factor code, cause) in canonical order -> one reason per cause."""
    groups = {}
    for code, cause in missing:
        groups.setdefault(cause, []).append(code)
    return [reason(cause, f"{CAUSES[cause]}: {', '.join(codes)} not assessed", codes)
            for cause, codes in groups.items()]


def assessment(change_id, baseline, factors, missing, levels):
    z = baseline + sum(f["contribution"] for f in by_size(factors))
    p = sigmoid(z)
    lv = ("critical" if p >= levels["critical"] else "high" if p >= levels["high"]
          else "medium" if p >= levels["medium"] else "low")
    return {"change": change_id, "probability": p, "score": round(p * 100), "level": lv, "log_odds": z,
            "baseline": baseline, "factors": by_size(factors), "not_assessed": not_assessed(missing)}


cases = []

# ---------------------------------------------------------------- assess_risk
model = {
    "baseline": -2.0,
    "weights": [
        {"code": "lines_added", "weight": 0.5, "center": 1.0},
        {"code": "has_migration", "weight": 0.8},
        {"code": "weekend", "weight": 0.3},
        {"code": "outside_window", "weight": 0.7},
        {"code": "near_freeze", "weight": 0.4},
        {"code": "stateful_services", "weight": 0.4},
        {"code": "transitive_dependents", "weight": 0.2},
        {"code": "customer_facing_share", "weight": 1.0},
        {"code": "service_failure_history", "weight": 1.0},
    ],
    "levels": {"medium": 0.1, "high": 0.3, "critical": 0.5},
    "history_prior": {"alpha": 1.0, "beta": 9.0},
}
plan = {
    "name": "shop",
    "services": [
        {"id": "db", "stateful": True},
        {"id": "api", "depends_on": ["db"]},
        {"id": "web", "depends_on": ["api"], "customer_facing": True},
        {"id": "batch"},
    ],
}
change = {
    "id": "CHG-1", "author": "ana", "services": ["db"], "lines_added": 99,
    "has_migration": True, "planned_start": "2026-11-28T10:00:00+01:00",
}
history = [
    {"change": {"id": "h1", "author": "bo", "services": ["db"]}, "failed": True},
    {"change": {"id": "h2", "author": "bo", "services": ["db", "api"]}, "failed": False},
    {"change": {"id": "h3", "author": "bo", "services": ["api"]}, "failed": True},
]
context = {"window": {"allowed": False, "seconds_to_next_freeze": 36 * 3600}}
LEVELS = model["levels"]
# 2026-11-28 is a Saturday; db has 1 failure in 2 changes (h1, h2); api and
# web depend on db; web (customer facing) is 1 of 4 services.
post = (1 + 1) / (10 + 2)
full = [
    factor("lines_added", "99 lines added", 99, math.log(100), 0.5, 1.0),
    factor("has_migration", "carrying a data migration", 1, 1, 0.8),
    factor("weekend", "planned on a weekend (local time)", 1, 1, 0.3),
    factor("outside_window", "outside an allowed release window", 1, 1, 0.7),
    factor("near_freeze", "36.0 h before the next freeze", 36 * 3600, 1 - 36 / 72, 0.4),
    factor("stateful_services", "touches stateful services (db)", 1, 1, 0.4, subjects=["db"]),
    factor("transitive_dependents", "2 services depend on the touched ones", 2, math.log(3), 0.2),
    factor("customer_facing_share", "1 of 4 services affected are customer facing", 0.25, 0.25, 1.0),
    factor("service_failure_history",
           f"`db` had 1 failure(s) in 2 change(s): posterior failure rate {post * 100:.1f}% vs prior 10.0%",
           post, logit(post) - logit(0.1), 1.0, subjects=["db"]),
]
cases.append({
    "name": "every factor source: change, plan blast radius, history, window",
    "function": "assess_risk",
    "input": [change, plan, model, history, context],
    "expected": assessment("CHG-1", -2.0, full, [], LEVELS),
})
cases.append({
    "name": "without plan, history or context those factors are left out",
    "function": "assess_risk",
    "input": [change, None, model],
    "expected": assessment("CHG-1", -2.0, full[:3], [
        ("outside_window", "no_window"), ("near_freeze", "no_window"),
        ("stateful_services", "no_plan"), ("transitive_dependents", "no_plan"),
        ("customer_facing_share", "no_plan"), ("service_failure_history", "no_history")], LEVELS),
})
# The shipped default model on a change that says nothing about itself:
# every count is 0 and every flag off; the rest lacks its input.
defaults = json.loads((HERE.parents[1] / "core/src/risk/defaults.json").read_text())
weights = {w["code"]: w for w in defaults["weights"]}
bare_phrases = {
    "lines_added": "0 lines added", "lines_deleted": "0 lines deleted",
    "lines_before": "0 lines in the touched files before the change", "files_changed": "0 files changed",
    "entropy": "spread over files (entropy 0.00 bits)", "is_fix": "not a defect fix",
    "kind_config": "not a configuration change", "kind_schema": "not a schema change",
    "kind_infrastructure": "not an infrastructure change", "has_migration": "not carrying a data migration",
    "irreversible": "not irreversible", "emergency": "not an emergency change",
    "feature_flag": "not behind a feature flag",
}
bare_missing = {"tests_failed": "no_test_data", "no_test_evidence": "no_test_data", "coverage_gap": "no_coverage",
                "security_scan_failed": "no_security_scan", "weekend": "no_planned_start",
                "off_hours": "no_planned_start", "slow_rollback": "no_strategy", "peak": "no_peak_hours",
                "outside_window": "no_window", "near_freeze": "no_window", "stateful_services": "no_plan",
                "transitive_dependents": "no_plan", "customer_facing_share": "no_plan",
                "traffic_exposed": "no_plan", "service_failure_history": "no_history",
                "author_service_experience": "no_history"}
bare_factors, bare_out = [], []
for code in FACTORS:
    if code not in weights:
        continue
    w = weights[code]
    if code in bare_phrases:
        bare_factors.append(factor(code, bare_phrases[code], 0, 0, w["weight"], w.get("center", 0.0)))
    else:
        bare_out.append((code, bare_missing[code]))
cases.append({
    "name": "default model is used without a model",
    "function": "assess_risk",
    "input": [{"id": "c", "author": "a", "services": []}],
    "expected": assessment("c", defaults["baseline"], bare_factors, bare_out, defaults["levels"]),
})
for name, bad, code, path in [
    ("unknown service in the plan", dict(change, services=["db", "ghost"]), "unknown_service", "/services/1"),
    ("negative size", dict(change, lines_deleted=-1), "negative_size", "/lines_deleted"),
    ("approval before creation", dict(change, created_at="2026-11-20T10:00:00Z",
        approvals=[{"by": "bo", "role": "peer", "at": "2026-11-19T10:00:00Z"}]), "approval_before_creation", "/approvals/0/at"),
    ("unknown field in the change", dict(change, colour="red"), "unknown_field", "/colour"),
]:
    cases.append({"name": name, "function": "assess_risk", "input": [bad, plan, model],
                  "error_code": code, "error_path": path})
cases.append({"name": "unknown factor in the model", "function": "assess_risk",
              "input": [change, None, dict(model, weights=[{"code": "moon_phase", "weight": 1}])],
              "error_code": "unknown_risk_factor", "error_path": "model/weights/0/code",
              "error_fields": {"code": "unknown_risk_factor", "path": "model/weights/0/code",
                               "factor": "moon_phase"}})
cases.append({"name": "level thresholds out of order", "function": "assess_risk",
              "input": [change, None, dict(model, levels={"medium": 0.5, "high": 0.3, "critical": 0.9})],
              "error_code": "invalid_input", "error_path": "model/levels"})
cases.append({"name": "plan errors point into the plan argument", "function": "assess_risk",
              "input": [change, {"name": "p", "services": [{"id": "db", "depends_on": ["db"]}]}],
              "error_code": "self_dependency", "error_path": "plan/services/0/depends_on/0"})
cases.append({"name": "negative size in history", "function": "assess_risk",
              "input": [change, None, None, [{"change": dict(change, files_changed=-2), "failed": True}]],
              "error_code": "negative_size", "error_path": "history/0/change/files_changed"})

# ---------------------------------------------------------------- fit_risk_model
def outcome(i, failed, **kw):
    c = {"id": f"f{i}", "author": "a", "services": ["s"]}
    c.update(kw)
    return {"change": c, "failed": failed}

CHANGE_FACTORS = FACTORS[:27]
kept_defaults = [weights[c] for c in FACTORS if c in weights and c not in CHANGE_FACTORS]


def fitted_model(baseline, baseline_precision, fitted, changes, failures, strength=10.0):
    """A fit_risk_model result: the fitted weights, then the shipped defaults
    of the factors fitting never learns (plan, history, context)."""
    rate = failures / changes
    return {"version": 1, "baseline": baseline, "baseline_precision": baseline_precision,
            "weights": fitted + kept_defaults, "levels": defaults["levels"],
            "history_prior": {"alpha": strength * rate, "beta": strength * (1 - rate)},
            "training": {"changes": changes, "failures": failures, "source": ""}}


hist = [outcome(0, True), outcome(1, False), outcome(2, False), outcome(3, False)]
cases.append({
    "name": "intercept only: baseline is the logit of the failure rate",
    "function": "fit_risk_model",
    "input": [hist, {"factors": [], "l2": 0}],
    # Fisher information of the intercept at the MLE: n p (1 - p).
    "expected": fitted_model(math.log(1 / 3), 4 * 0.25 * 0.75, [], 4, 1),
    "tolerance": 1e-8,
})
# One binary predictor: the MLE is the log odds ratio (l2 = 0).
hist2 = ([outcome(i, i < 2, is_fix=True) for i in range(4)]
         + [outcome(10 + i, i < 1, is_fix=False) for i in range(6)])
w = logit(0.5) - logit(1 / 6)
center = 0.4
cases.append({
    "name": "one binary factor: weight is the log odds ratio",
    "function": "fit_risk_model",
    "input": [hist2, {"factors": ["is_fix"], "l2": 0, "prior": "zero"}],
    # Fitted probabilities 1/2 (is_fix) and 1/6; precision sum p (1 - p) x^2
    # with x centred at 0.4 (the l2 = 0 prior adds nothing).
    "expected": fitted_model(
        logit(1 / 6) + w * center, 4 * 0.25 + 6 * (5 / 36),
        [{"code": "is_fix", "weight": w, "center": center,
          "precision": 4 * 0.25 * 0.6 ** 2 + 6 * (5 / 36) * 0.4 ** 2,
          "provenance": "fitted: 10 changes, 3 failures"}], 10, 3),
    "tolerance": 1e-6,
})
cases.append({"name": "one class only", "function": "fit_risk_model", "input": [[outcome(0, False)]],
              "error_code": "insufficient_history", "error_path": ""})
cases.append({"name": "non-fittable factor", "function": "fit_risk_model",
              "input": [hist, {"factors": ["transitive_dependents"]}],
              "error_code": "unknown_risk_factor", "error_path": "options/factors/0"})
cases.append({"name": "negative size in history to fit", "function": "fit_risk_model",
              "input": [[outcome(0, True, lines_added=-5)]],
              "error_code": "negative_size", "error_path": "/0/change/lines_added"})

# ---------------------------------------------------------------- evaluate_risk_model
emodel = {"baseline": 0.0, "weights": [{"code": "is_fix", "weight": math.log(3)},
                                        {"code": "has_migration", "weight": math.log(3)}],
          "levels": {"medium": 0.1, "high": 0.3, "critical": 0.5},
          "history_prior": {"alpha": 1, "beta": 9}}
ev = [
    ("a", True, True, True), ("b", True, False, True), ("c", False, True, False),
    ("d", False, False, False), ("e", False, False, True),
]
ehist = [{"change": {"id": i, "author": "x", "services": [], "is_fix": f, "has_migration": m}, "failed": y}
         for i, f, m, y in ev]
probs = [sigmoid(math.log(3) * (f + m)) for _, f, m, _ in ev]
ys = [y for *_, y in ev]
brier = sum((p - y) ** 2 for p, y in zip(probs, ys)) / 5
pos = [p for p, y in zip(probs, ys) if y]
neg = [p for p, y in zip(probs, ys) if not y]
auc = sum(1 if a > b else 0.5 if a == b else 0 for a in pos for b in neg) / (len(pos) * len(neg))
order = sorted(zip(probs, [i for i, *_ in ev], ys), key=lambda t: (-t[0], t[1]))
curve = []
for share in (0.05, 0.10, 0.20, 0.50):
    g = math.ceil(share * 5 - 1e-9)
    caught = sum(1 for t in order[:g] if t[2])
    curve.append({"gated_share": share, "gated": g, "caught": caught, "caught_share": caught / 3,
                  "lift": caught / 3 / share})
cases.append({
    "name": "Brier, AUC with ties and caught-vs-gated on five changes",
    "function": "evaluate_risk_model",
    "input": [emodel, ehist],
    "expected": {"changes": 5, "failures": 3, "failure_rate": 0.6, "brier": brier,
                 "brier_reference": 0.24, "brier_skill": 1 - brier / 0.24, "auc": auc,
                 "mean_probability": sum(probs) / 5,
                 "log_loss": -sum(math.log(p if y else 1 - p) for p, y in zip(probs, ys)) / 5,
                 "caught_vs_gated": curve},
})
cases.append({"name": "evaluate needs outcomes", "function": "evaluate_risk_model",
              "input": [emodel, []], "error_code": "insufficient_history", "error_path": "history"})


def map_fit(rows, ys, mean, prec, iterations=100):
    """Penalised logistic regression by Newton's method (pure Python):
    minimise sum logloss + 1/2 sum prec_j (b_j - mean_j)^2 over b = (b0, w).
    Returns b and the data Hessian diagonal at b."""
    k = len(mean)
    b = list(mean)
    for _ in range(iterations):
        g = [prec[j] * (b[j] - mean[j]) for j in range(k)]
        h = [[prec[i] if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y in zip(rows, ys):
            xr = [1.0] + x
            q = sigmoid(sum(bi * xi for bi, xi in zip(b, xr)))
            for i in range(k):
                g[i] += (q - y) * xr[i]
                for j in range(k):
                    h[i][j] += q * (1 - q) * xr[i] * xr[j]
        # Solve h s = g (Gaussian elimination; h is positive definite).
        m = [row[:] + [gi] for row, gi in zip(h, g)]
        for i in range(k):
            for r in range(i + 1, k):
                f = m[r][i] / m[i][i]
                m[r] = [a - f * c for a, c in zip(m[r], m[i])]
        step = [0.0] * k
        for i in reversed(range(k)):
            step[i] = (m[i][k] - sum(m[i][j] * step[j] for j in range(i + 1, k))) / m[i][i]
        b = [bi - si for bi, si in zip(b, step)]
        if max(abs(si) for si in step) < 1e-14:
            break
    diag = [0.0] * k
    for x, y in zip(rows, ys):
        xr = [1.0] + x
        q = sigmoid(sum(bi * xi for bi, xi in zip(b, xr)))
        for i in range(k):
            diag[i] += q * (1 - q) * xr[i] ** 2
    return b, diag


umodel = dict(emodel, baseline_precision=1.0,
              weights=[{"code": "is_fix", "weight": math.log(3), "precision": 1.0},
                       {"code": "has_migration", "weight": math.log(3), "precision": 1.0}],
              training={"changes": 5, "failures": 3})
ub, udiag = map_fit([[float(f), float(m)] for _, f, m, _ in ev], [float(y) for *_, y in ev],
                    [0.0, math.log(3), math.log(3)], [1.0, 1.0, 1.0])
cases.append({"name": "update: the model is the prior of a MAP fit on the new outcomes",
              "function": "update_risk_model",
              "input": [umodel, ehist],
              "expected": {"version": 1, "baseline": ub[0], "baseline_precision": 1.0 + udiag[0],
                           "weights": [{"code": c, "weight": ub[j + 1], "center": 0.0,
                                        "precision": 1.0 + udiag[j + 1],
                                        "provenance": "; updated with 5 outcomes"}
                                       for j, c in enumerate(["is_fix", "has_migration"])],
                           "levels": emodel["levels"], "history_prior": {"alpha": 1.0, "beta": 9.0},
                           "training": {"changes": 10, "failures": 6, "source": ""}},
              "tolerance": 1e-9})
cases.append({"name": "update needs outcomes", "function": "update_risk_model",
              "input": [emodel, []], "error_code": "insufficient_history", "error_path": "outcomes"})

(HERE / "risk.json").write_text(json.dumps({"cases": cases}, indent=1) + "\n")

# ================================================================ governance.json
g = []
policy = {
    "rules": [
        {"levels": ["high", "critical"], "approvals": 2, "roles": ["sre"], "cab": True, "test_depth": "integration"},
        {"approvals": 1},
    ],
    "compliance": {
        "sox": {"evidence": ["ticket_link", "approvals", "artifact_promoted", "runbook_reviewed"]},
        "hipaa": {"evidence": ["security_scan_passed", "downtime_notice"]},
    },
    "emergency_review_within": "48h",
}
base = {
    "id": "CHG-9", "author": "ana", "services": ["api"], "deployer": "dan",
    "created_at": "2026-03-01T09:00:00Z",
    "approvals": [
        {"by": "ana", "role": "sre", "at": "2026-03-01T10:00:00Z"},
        {"by": "bo", "role": "sre", "at": "2026-03-01T11:00:00Z"},
        {"by": "cy", "role": "cab", "at": "2026-03-01T12:00:00Z"},
    ],
    "tests": {"suites_passed": ["unit", "integration"], "depth": "integration"},
    "links": {"tickets": ["JIRA-1"]},
    "promotions": [
        {"environment": "staging", "digest": "sha256:aa"},
        {"environment": "production", "digest": "sha256:aa"},
    ],
    "runbook": {"reviewer": "bo"},
    "compliance": ["sox"],
}

# The governance rules of core/src/governance, re-stated: every matching rule
# applies (largest count, all roles, any CAB, deepest tests); the author never
# counts; evidence per compliance tag; the deployer may not be the sole
# approver; an emergency change defers what is missing to its review.
DEPTHS = ["none", "unit", "integration", "end_to_end"]
EVIDENCE = ["ticket_link", "approvals", "security_scan_passed", "artifact_promoted", "runbook_reviewed",
            "downtime_notice", "test_evidence"]
DESCRIBE = {"ticket_link": "a ticket link", "approvals": "an independent approval",
            "security_scan_passed": "a passed security scan",
            "artifact_promoted": "the artifact promoted, not rebuilt",
            "runbook_reviewed": "a runbook reviewed by someone other than its author",
            "downtime_notice": "customers notified ahead of downtime", "test_evidence": "passing tests"}


def seconds(d):
    return int(d[:-1]) * {"s": 1, "m": 60, "h": 3600}[d[-1]]


def ts(t):
    import datetime
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))


def evidence_check(kind, c, approvers, violations):
    if kind == "ticket_link":
        t = c.get("links", {}).get("tickets", [])
        return (True, f"linked to {t[0]}") if t else (False, "no ticket linked")
    if kind == "approvals":
        return bool(approvers), f"{len(approvers)} independent approver(s)"
    if kind == "security_scan_passed":
        scan = c.get("security_scan")
        if scan is None:
            return False, "no scan recorded"
        if scan["passed"] and scan.get("critical", 0) == 0:
            return True, "scan passed"
        return False, f"scan did not pass ({scan.get('critical', 0)} critical, {scan.get('high', 0)} high)"
    if kind == "artifact_promoted":
        passed = [p["digest"] for p in c.get("promotions", []) if p["environment"] == "staging" and p.get("passed", True)]
        prod = [p["digest"] for p in c.get("promotions", []) if p["environment"] == "production"]
        if not passed or not prod:
            return False, "needs a passing `staging` and a `production` promotion record"
        rebuilt = [d for d in prod if d not in passed]
        if not rebuilt:
            return True, "`production` digest passed `staging`"
        violations.append(reason("artifact_rebuilt", f"`production` digest {', '.join(rebuilt)} never passed "
                                 "`staging`: the artifact was rebuilt, not promoted", rebuilt))
        return False, "production digest differs from the one that passed"
    if kind == "runbook_reviewed":
        rb = c.get("runbook")
        if rb is None:
            return False, "no runbook review recorded"
        author = rb.get("author", c["author"])
        return (False, f"reviewed by its own author `{author}`") if rb["reviewer"] == author \
            else (True, f"reviewed by `{rb['reviewer']}`")
    if kind == "downtime_notice":
        down = seconds(c["expected_downtime"]) if "expected_downtime" in c else 0
        if down == 0:
            return True, "no customer-facing downtime expected"
        lead = int((ts(c["planned_start"]) - ts(c["customers_notified_at"])).total_seconds())
        need = 72 * 3600
        return lead >= need, f"notified {lead}s ahead, {need}s required"
    raise ValueError(kind)


def governance(c, pol, level):
    tags = set(c.get("compliance", []))
    ctype = c.get("change_type", "normal")
    count, roles, cab, depth = 0, set(), False, "none"
    for rule in pol.get("rules", []):
        if ((not rule.get("levels") or level in rule["levels"])
                and (not rule.get("change_types") or ctype in rule["change_types"])
                and (not rule.get("compliance") or tags & set(rule["compliance"]))):
            count = max(count, rule.get("approvals", 0))
            roles |= set(rule.get("roles", []))
            cab = cab or rule.get("cab", False)
            depth = max(depth, rule.get("test_depth", "none"), key=DEPTHS.index)
    held = {}
    for a in c.get("approvals", []):
        if a["by"] != c["author"]:
            held.setdefault(a["by"], set()).add(a["role"])
    approvers = sorted(held)
    has = lambda role: any(role in r for r in held.values())  # noqa: E731
    required, missing, violations = [], [], []

    def require(r, met):
        required.append(r)
        if not met:
            missing.append(r)

    if count:
        require(reason("approvals", f"{count} independent approval(s) needed, {len(approvers)} given",
                       evidence={"required": count, "given": len(approvers)}), len(approvers) >= count)
    for role in sorted(roles):
        require(reason("approval_role", f"an independent approver in role `{role}` is needed", [role]), has(role))
    if cab:
        require(reason("cab_review", "the change-advisory board (role `cab`) must approve", ["cab"]), has("cab"))
    if depth != "none":
        got = c.get("tests", {}).get("depth", "none")
        require(reason("test_depth", f"tests to depth `{depth}` needed, `{got}` recorded",
                       evidence={"required": depth, "recorded": got}), DEPTHS.index(got) >= DEPTHS.index(depth))
    asked = {}
    for tag in sorted(tags):
        for e in pol["compliance"][tag].get("evidence", []):
            asked.setdefault(e, []).append(tag)
    for kind in sorted(asked, key=EVIDENCE.index):
        met, detail = evidence_check(kind, c, approvers, violations)
        by = ",".join(asked[kind])
        require(reason(kind, f"{DESCRIBE[kind]} (required by {by}): {detail}", asked[kind]), met)
    if (count or roles or cab or "approvals" in asked) and c.get("deployer") and approvers == [c["deployer"]]:
        violations.append(reason("deployer_sole_approver",
                                 f"`{c['deployer']}` deploys the change and is its only independent approver",
                                 [c["deployer"]]))
    notes = []
    if any(a["by"] == c["author"] for a in c.get("approvals", [])):
        notes.append(reason("self_approval_ignored",
                            f"`{c['author']}` wrote the change, so their approval does not count", [c["author"]]))
    out = {"change": c["id"], "risk_level": level, "change_type": ctype}
    deferred = []
    if ctype == "emergency":
        deferred, missing = missing, []
        within = seconds(pol.get("emergency_review_within", "72h"))
        start = c.get("planned_start", c.get("created_at"))
        import datetime
        due = (ts(start) + datetime.timedelta(seconds=within)).isoformat()
        # The wire form writes UTC as "Z"; the sentence uses RFC 3339's "+00:00".
        wire = due.replace("+00:00", "Z")
        out["post_implementation_review_due"] = wire
        required.append(reason("post_implementation_review",
                               f"emergency change: post-implementation review due by {due}",
                               evidence={"due": wire, "within_seconds": within}))
    key = lambda r: (r["code"], r["subjects"], r["message"])  # noqa: E731
    out.update({"allowed": not missing and not violations, "required": required, "missing": sorted(missing, key=key),
                "deferred": deferred, "violations": sorted(violations, key=key), "notes": notes,
                "approvers": approvers})
    return out


def gov_case(name, c, pol, level, checks):
    """A governance case; `checks` are the hand-worked facts the result must show."""
    expected = governance(c, pol, level)
    for k, v in checks.items():
        assert expected[k] == v if not isinstance(v, list) or not v or not isinstance(v[0], dict) \
            else [{kk: r[kk] for kk in x} for r, x in zip(expected[k], v)] == v, (name, k, expected[k])
    g.append({"name": name, "function": "evaluate_governance", "input": [c, pol, {"level": level}],
              "expected": expected})


req_codes = ["approvals", "approval_role", "cab_review", "test_depth",
             "ticket_link", "approvals", "artifact_promoted", "runbook_reviewed"]
gov_case("high-risk SOX change with everything in place; the author's approval is ignored",
         base, policy, "high",
         {"allowed": True, "approvers": ["bo", "cy"], "missing": [], "violations": [],
          "required": [{"code": c} for c in req_codes],
          "notes": [{"code": "self_approval_ignored", "subjects": ["ana"]}]})
gov_case("rebuilt artifact is a violation",
         dict(base, promotions=[{"environment": "staging", "digest": "sha256:aa"},
                                {"environment": "production", "digest": "sha256:bb"}]), policy, "high",
         {"allowed": False, "missing": [{"code": "artifact_promoted", "subjects": ["sox"]}],
          "violations": [{"code": "artifact_rebuilt", "subjects": ["sha256:bb"]}]})
gov_case("the author never satisfies a role",
         dict(base, approvals=[base["approvals"][0], base["approvals"][2],
                               {"by": "eve", "role": "peer", "at": "2026-03-01T12:00:00Z"}]), policy, "critical",
         {"allowed": False, "approvers": ["cy", "eve"], "missing": [{"code": "approval_role", "subjects": ["sre"]}]})
gov_case("the deployer may not be the sole approver",
         dict(base, compliance=[], approvals=[{"by": "dan", "role": "peer", "at": "2026-03-01T10:00:00Z"}]),
         policy, "low",
         {"allowed": False, "missing": [], "approvers": ["dan"],
          "violations": [{"code": "deployer_sole_approver", "subjects": ["dan"]}]})
gov_case("a standard change needing no approval may be approved by its deployer alone",
         dict(base, change_type="standard", compliance=[],
              approvals=[{"by": "dan", "role": "peer", "at": "2026-03-01T10:00:00Z"}]),
         {"rules": [{"change_types": ["normal"], "approvals": 1}]}, "low",
         {"allowed": True, "required": [], "violations": [], "approvers": ["dan"]})
gov_case("emergency change proceeds with a review due 48h after the planned start",
         dict(base, change_type="emergency", approvals=[], compliance=[], planned_start="2026-03-02T10:00:00Z"),
         policy, "high",
         {"allowed": True, "missing": [], "violations": [],
          "deferred": [{"code": "approvals"}, {"code": "approval_role"}, {"code": "cab_review"}],
          "post_implementation_review_due": "2026-03-04T10:00:00Z"})
gov_case("HIPAA downtime notice given too late and no scan",
         dict(base, compliance=["hipaa"], expected_downtime="30m",
              planned_start="2026-03-05T02:00:00Z", customers_notified_at="2026-03-04T02:00:00Z"), policy, "low",
         {"allowed": False, "missing": [{"code": "downtime_notice", "subjects": ["hipaa"]},
                                         {"code": "security_scan_passed", "subjects": ["hipaa"]}]})
g.append({"name": "unknown compliance tag on the change", "function": "evaluate_governance",
          "input": [dict(base, compliance=["sox", "pci"]), policy, {"level": "low"}],
          "error_code": "unknown_compliance_tag", "error_path": "/compliance/1",
          "error_fields": {"code": "unknown_compliance_tag", "path": "/compliance/1", "tag": "pci",
                           "known": ["hipaa", "sox"]}})
g.append({"name": "unknown compliance tag in a policy rule", "function": "evaluate_governance",
          "input": [base, dict(policy, rules=[{"compliance": ["gdpr"], "approvals": 1}]), {"level": "low"}],
          "error_code": "unknown_compliance_tag", "error_path": "policy/rules/0/compliance/0"})
g.append({"name": "approval before creation", "function": "evaluate_governance",
          "input": [dict(base, approvals=[{"by": "bo", "role": "sre", "at": "2026-02-28T10:00:00Z"}]),
                    policy, {"level": "low"}],
          "error_code": "approval_before_creation", "error_path": "/approvals/0/at"})
g.append({"name": "unknown risk level", "function": "evaluate_governance",
          "input": [base, policy, {"level": "apocalyptic"}],
          "error_code": "invalid_input", "error_path": "risk/level"})

# ---------------------------------------------------------------- recommend_strategy
# The points table of core/src/strategy.rs, re-stated.
def weighed(code, pts, blocking, message, subjects=()):
    return reason(code, message, subjects, {"points": pts, "blocking": blocking})


def strategy(svc, c, level):
    high = level in ("high", "critical")
    schema = c.get("has_migration", False) or c.get("kind") == "schema" or svc.get("schema_coupled", False)
    spare, stateful, quality = svc.get("spare_capacity", 0.0), svc.get("stateful", False), svc.get("metric_quality", "none")
    canary = [weighed("fast_rollback", 1, False, "traffic shifts back to the old version at once")
              if svc.get("traffic_routing") else
              weighed("no_traffic_routing", -1, True, f"`{svc['id']}` cannot split traffic by percentage", [svc["id"]])]
    canary.append({"good": weighed("good_metrics", 1, False, "health metrics can tell a regression from noise"),
                   "poor": weighed("poor_metrics", -2, False, "noisy metrics make the canary verdict unreliable"),
                   "none": weighed("no_metrics", -1, True, "without health metrics a canary cannot be judged")}[quality])
    if high:
        canary.append(weighed("limits_exposure", 2, False, f"{level} risk: expose a small share of traffic first"))
    elif level == "medium":
        canary.append(weighed("limits_exposure", 1, False, "medium risk: a small first slice limits the damage"))
    if stateful:
        canary.append(weighed("shared_state", -1, False, "both versions write the same state during the canary"))
    if schema:
        canary.append(weighed("mixed_versions_schema", -1, False, "old and new versions run together: the schema "
                              "change must be backward compatible (expand/contract)"))
    bg = [weighed("instant_switch_back", 2, False, "the old environment stays ready; rollback is one switch")
          if spare >= 1 else
          weighed("insufficient_capacity", -1, True, f"needs a full second copy (spare capacity {spare * 100:.0f}% < 100%)")]
    if stateful:
        bg.append(weighed("duplicated_state", -2, False, "state must be replicated or shared between the two environments"))
    if schema:
        bg.append(weighed("migration_outlives_switch", -1, False, "switching back does not undo the schema change"))
    if high:
        bg.append(weighed("full_exposure", -1, False, "all traffic moves at once, so every user meets a bad release"))
    rolling = [weighed("always_possible", 0, False, "needs no traffic routing and little spare capacity")]
    if spare < 1:
        rolling.append(weighed("little_capacity_needed", 1, False, "replaces instances in batches within the current fleet"))
    if stateful:
        rolling.append(weighed("suits_stateful", 1, False, "replica by replica, as stateful services are usually upgraded"))
    if schema:
        rolling.append(weighed("mixed_versions_schema", -1, False, "old and new versions run together until the roll completes"))
    mx, dd = svc.get("max_rollback_time"), svc.get("deploy_duration")
    if mx and dd and seconds(dd) > seconds(mx):
        rolling.append(weighed("rollback_too_slow", -3, False, f"a rolling rollback takes {seconds(dd)}s, more than the {seconds(mx)}s allowed"))
    elif mx and not dd:
        rolling.append(weighed("rollback_speed_unknown", -1, False, f"a rolling rollback must finish within {seconds(mx)}s but the deploy duration is unknown"))
    else:
        rolling.append(weighed("slow_rollback", -1, False, "undoing it takes another full roll"))
    if high and quality == "none":
        rolling.append(weighed("unwatched_exposure", -1, False, "exposure grows batch by batch without metrics to stop it"))
    options = []
    for name, rs in (("canary", canary), ("blue_green", bg), ("rolling", rolling)):
        options.append({"strategy": name, "feasible": not any(r["evidence"]["blocking"] for r in rs),
                        "score": sum(r["evidence"]["points"] for r in rs if not r["evidence"]["blocking"]),
                        "reasons_for": [r for r in rs if r["evidence"]["points"] > 0],
                        "reasons_against": [r for r in rs if r["evidence"]["points"] <= 0]})
    best = None
    for o in options:
        if o["feasible"] and (best is None or o["score"] > best["score"]):
            best = o
    chosen = best["strategy"] if best else "rolling"
    kind = c.get("kind", "feature")
    if c.get("behind_feature_flag"):
        flag = (True, reason("flag_in_place", "the change is already behind a feature flag: deploy dark, then release by flag"))
    elif kind not in ("feature", "fix"):
        flag = (False, reason("flag_impossible", "schema, configuration and infrastructure changes cannot be hidden behind a flag"))
    elif high:
        flag = (True, reason("flag_for_risk", f"{level} risk: decouple deploy from release so the behaviour can be switched off without a rollback"))
    elif chosen == "rolling" and level == "medium":
        flag = (True, reason("flag_for_slow_rollback", "rolling gives slow rollback: a flag offers an instant off switch"))
    else:
        flag = (False, reason("flag_optional", f"{level} risk with {chosen}: a flag is optional"))
    return {"service": svc["id"], "change": c["id"], "risk_level": level, "strategy": chosen,
            "feature_flag": flag[0], "feature_flag_reason": flag[1], "options": options}


def strategy_case(name, svc, c, level, checks, give_level=True):
    expected = strategy(svc, c, level)
    for k, v in checks.items():
        if k == "options":
            for o, want in zip(expected["options"], v):
                for kk, vv in want.items():
                    got = o[kk] if kk != "reasons_against" else [
                        {x: (r[x] if x != "points" else r["evidence"]["points"]) for x in w} for r, w in zip(o[kk], vv)]
                    assert got == vv, (name, kk, got)
        else:
            assert expected[k] == v, (name, k, expected[k])
    g.append({"name": name, "function": "recommend_strategy",
              "input": [svc, c, {"level": level}] if give_level else [svc, c], "expected": expected})


plain = {"id": "c", "author": "a", "services": ["api"]}
strategy_case("high risk with routing and good metrics: canary with a flag",
              {"id": "api", "traffic_routing": True, "metric_quality": "good", "spare_capacity": 0.2}, plain, "high",
              {"strategy": "canary", "feature_flag": True, "risk_level": "high",
               "options": [{"strategy": "canary", "feasible": True, "score": 4},
                           {"strategy": "blue_green", "feasible": False, "score": -1},
                           {"strategy": "rolling", "feasible": True, "score": 0}]})
strategy_case("stateful database with a migration and no routing: rolling",
              {"id": "api", "stateful": True}, dict(plain, kind="schema", has_migration=True), "low",
              {"strategy": "rolling", "feature_flag": False,
               "options": [{"feasible": False}, {"feasible": False}, {"feasible": True, "score": 0}]})
strategy_case("spare capacity without routing: blue-green",
              {"id": "api", "spare_capacity": 1.0, "metric_quality": "poor"}, plain, "medium",
              {"strategy": "blue_green", "feature_flag": False,
               "options": [{"feasible": False, "score": -1}, {"feasible": True, "score": 2},
                           {"feasible": True, "score": -1}]})
strategy_case("rolling too slow for the required rollback",
              {"id": "api", "max_rollback_time": "5m", "deploy_duration": "20m"}, plain, "low",
              {"strategy": "rolling",
               "options": [{}, {}, {"score": -2, "reasons_against": [
                   {"code": "always_possible"}, {"code": "rollback_too_slow", "points": -3}]}]})
strategy_case("without a risk level the default model assesses the change (low); blue-green outscores a feasible canary",
              {"id": "api", "traffic_routing": True, "metric_quality": "poor", "spare_capacity": 1.5}, plain, "low",
              {"strategy": "blue_green", "feature_flag": False,
               "options": [{"feasible": True, "score": -1}, {"feasible": True, "score": 2}, {"score": -1}]},
              give_level=False)
g.append({"name": "change does not touch the service", "function": "recommend_strategy",
          "input": [{"id": "db"}, plain], "error_code": "unknown_service", "error_path": "/id"})
g.append({"name": "negative size in the change", "function": "recommend_strategy",
          "input": [{"id": "api"}, dict(plain, lines_added=-1)],
          "error_code": "negative_size", "error_path": "change/lines_added"})
g.append({"name": "negative spare capacity", "function": "recommend_strategy",
          "input": [{"id": "api", "spare_capacity": -0.5}, plain],
          "error_code": "negative_size", "error_path": "/spare_capacity"})

# ---------------------------------------------------------------- change log
def record_hash(sequence, previous, kind, at, inputs, outputs):
    content = {"sequence": sequence, "previous_hash": previous, "kind": kind, "at": at,
               "inputs": inputs, "outputs": outputs}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()

inp1 = {"change": "CHG-9", "level": "high"}
out1 = {"allowed": True}
h1 = record_hash(0, None, "governance", "2026-03-01T12:00:00Z", inp1, out1)
r1 = {"sequence": 0, "previous_hash": None, "kind": "governance", "at": "2026-03-01T12:00:00Z",
      "inputs": inp1, "outputs": out1, "hash": h1}
inp2 = {"change": "CHG-9", "score": 41}
out2 = {"deployed": True, "ratio": 0.25}
h2 = record_hash(1, h1, "deployment", None, inp2, out2)
r2 = {"sequence": 1, "previous_hash": h1, "kind": "deployment", "inputs": inp2, "outputs": out2, "hash": h2}
g.append({"name": "first record: sequence 0, no previous hash, SHA-256 of canonical JSON",
          "function": "append_change_record",
          "input": [None, {"kind": "governance", "at": "2026-03-01T12:00:00Z",
                           "inputs": {"level": "high", "change": "CHG-9"}, "outputs": {"allowed": True}}],
          "expected": r1})
g.append({"name": "second record links to the first; 41.0 is written as 41",
          "function": "append_change_record",
          "input": [r1, {"kind": "deployment", "inputs": {"score": 41.0, "change": "CHG-9"}, "outputs": out2}],
          "expected": r2})
g.append({"name": "appending after a tampered tail is refused", "function": "append_change_record",
          "input": [dict(r1, outputs={"allowed": False}), {"inputs": {}, "outputs": {}}],
          "error_code": "change_record_tampered", "error_path": "log_tail/hash",
          "error_fields": {"code": "change_record_tampered", "path": "log_tail/hash", "stored": h1,
                           "computed": record_hash(0, None, "governance", "2026-03-01T12:00:00Z", inp1,
                                                   {"allowed": False})}})
h3 = record_hash(2, h2, "", None, {}, {})
r3 = {"sequence": 2, "previous_hash": h2, "kind": "", "inputs": {}, "outputs": {}, "hash": h3}


def verification(n, head, broken=None, problem=None, explanation=None, checkpoint=None):
    """The complete verify_change_log result; a valid log hands back the
    checkpoint of its last record."""
    return {"valid": broken is None and problem is None, "records": n, "first_broken": broken,
            "problem": problem,
            "explanation": explanation if explanation is not None else f"all {n} record(s) chain correctly",
            "head_hash": head, "checkpoint": checkpoint}


g.append({"name": "an intact chain verifies and returns its checkpoint", "function": "verify_change_log",
          "input": [[r1, r2, r3]],
          "expected": verification(3, h3, checkpoint={"length": 3, "head_hash": h3})})
g.append({"name": "an empty log without a checkpoint is valid", "function": "verify_change_log",
          "input": [[]], "expected": verification(0, None)})
g.append({"name": "an edited record is named", "function": "verify_change_log",
          "input": [[r1, dict(r2, outputs={"deployed": False, "ratio": 0.25})]],
          "expected": verification(2, h2, 1, "hash_mismatch",
                                   f"record 1 (sequence 1) stores hash {h2} but its content hashes to "
                                   + record_hash(1, h1, "deployment", None, inp2, {"deployed": False, "ratio": 0.25}))})
g.append({"name": "a log cut from its start is truncated without a checkpoint", "function": "verify_change_log",
          "input": [[r2, r3]],
          "expected": verification(2, h3, 0, "truncated",
                                   "the log starts at sequence 1, not with its genesis record (sequence 0): records "
                                   "are missing from its start; give a checkpoint to verify part of a log")})
g.append({"name": "the part of a log after a trusted checkpoint verifies", "function": "verify_change_log",
          "input": [[r2, r3], {"length": 1, "head_hash": h1}],
          "expected": verification(2, h3, checkpoint={"length": 3, "head_hash": h3})})
g.append({"name": "a log cut from its end is truncated against the checkpoint", "function": "verify_change_log",
          "input": [[r1, r2], {"length": 3, "head_hash": h3}],
          "expected": verification(2, h2, 2, "truncated",
                                   "the log ends at sequence 1 but the checkpoint covers 3 record(s): records were "
                                   "cut from its end", checkpoint={"length": 3, "head_hash": h3})})
g.append({"name": "a log that diverges from the checkpoint is truncated", "function": "verify_change_log",
          "input": [[r1, r2], {"length": 2, "head_hash": h1}],
          "expected": verification(2, h2, 1, "truncated",
                                   f"record 1 (sequence 1) has hash {h2}, not the checkpoint's {h1}: the log "
                                   "diverges from the one trusted", checkpoint={"length": 2, "head_hash": h1})})
g.append({"name": "a first record that claims a predecessor", "function": "verify_change_log",
          "input": [[r1, r1]],
          "expected": verification(2, h1, 1, "sequence_mismatch", "record 1 has sequence 0 after sequence 0")})
g.append({"name": "a malformed record is an error", "function": "verify_change_log",
          "input": [[dict(r1, sequence=-1)]], "error_code": "invalid_input", "error_path": "/0/sequence"})
g.append({"name": "a checkpoint covers at least one record", "function": "verify_change_log",
          "input": [[r1], {"length": 0, "head_hash": h1}], "error_code": "invalid_input",
          "error_path": "checkpoint/length"})
g.append({"name": "a malformed checkpoint is an error naming it", "function": "verify_change_log",
          "input": [[r1], {"length": 1}], "error_code": "invalid_input", "error_path": "checkpoint"})

(HERE / "governance.json").write_text(json.dumps({"cases": g}, indent=1) + "\n")
print(len(cases), "risk cases,", len(g), "governance cases")
