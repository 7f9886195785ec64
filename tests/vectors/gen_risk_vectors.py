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
Governance and strategy expectations are worked out by hand from the rules in
the docs and written literally below.
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
contrib = {
    "lines_added": 0.5 * (math.log(100) - 1.0),
    "has_migration": 0.8,
    "weekend": 0.3,  # 2026-11-28 is a Saturday
    "outside_window": 0.7,
    "near_freeze": 0.4 * (1 - 36 / 72),
    "stateful_services": 0.4,
    "transitive_dependents": 0.2 * math.log(1 + 2),  # api, web
    "customer_facing_share": 1.0 * (1 / 4),  # web among db, api, web of 4 services
    "service_failure_history": logit((1 + 1) / (10 + 2)) - logit(0.1),  # db: 1 failure in 2
}
z = -2.0 + sum(contrib.values())
p = sigmoid(z)
ordered = sorted(contrib.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
cases.append({
    "name": "every factor source: change, plan blast radius, history, window",
    "function": "assess_risk",
    "input": [change, plan, model, history, context],
    "expected": {
        "change": "CHG-1", "log_odds": z, "probability": p, "score": round(p * 100),
        "level": level(p), "baseline": -2.0,
        "factors": [{"code": c, "contribution": v} for c, v in ordered],
        "not_assessed": [],
    },
})
z2 = -2.0 + contrib["lines_added"] + 0.8 + 0.3
p2 = sigmoid(z2)
cases.append({
    "name": "without plan, history or context those factors are left out",
    "function": "assess_risk",
    "input": [change, None, model],
    "expected": {
        "log_odds": z2, "probability": p2, "level": level(p2),
        "not_assessed": [
            {"code": "outside_window", "reason": "no_window"},
            {"code": "near_freeze", "reason": "no_window"},
            {"code": "stateful_services", "reason": "no_plan"},
            {"code": "transitive_dependents", "reason": "no_plan"},
            {"code": "customer_facing_share", "reason": "no_plan"},
            {"code": "service_failure_history", "reason": "no_history"},
        ],
    },
})
cases.append({
    "name": "default model is used without a model",
    "function": "assess_risk",
    "input": [{"id": "c", "author": "a", "services": []}],
    "expected": {"change": "c"},
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
              "error_fields": {"factor": "moon_phase"}})
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

hist = [outcome(0, True), outcome(1, False), outcome(2, False), outcome(3, False)]
cases.append({
    "name": "intercept only: baseline is the logit of the failure rate",
    "function": "fit_risk_model",
    "input": [hist, {"factors": [], "l2": 0}],
    "expected": {"baseline": math.log(1 / 3), "history_prior": {"alpha": 2.5, "beta": 7.5},
                 "training": {"changes": 4, "failures": 1}},
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
    "expected": {"baseline": logit(1 / 6) + w * center,
                 "weights": [{"code": "is_fix", "weight": w, "center": center}] + [{}] * 9},
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
cases.append({"name": "update counts the new outcomes", "function": "update_risk_model",
              "input": [dict(emodel, training={"changes": 5, "failures": 3}), ehist[:2]],
              "expected": {"training": {"changes": 7, "failures": 5}}})
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
req_codes = ["approvals", "approval_role", "cab_review", "test_depth",
             "ticket_link", "approvals", "artifact_promoted", "runbook_reviewed"]
g.append({
    "name": "high-risk SOX change with everything in place; the author's approval is ignored",
    "function": "evaluate_governance",
    "input": [base, policy, {"level": "high"}],
    "expected": {"allowed": True, "approvers": ["bo", "cy"], "missing": [], "violations": [],
                 "required": [{"code": c} for c in req_codes],
                 "notes": [{"code": "self_approval_ignored", "subject": "ana"}]},
})
g.append({
    "name": "rebuilt artifact is a violation",
    "function": "evaluate_governance",
    "input": [dict(base, promotions=[{"environment": "staging", "digest": "sha256:aa"},
                                     {"environment": "production", "digest": "sha256:bb"}]),
              policy, {"level": "high"}],
    "expected": {"allowed": False, "missing": [{"code": "artifact_promoted", "subject": "sox"}],
                 "violations": [{"code": "artifact_rebuilt", "subject": "sha256:bb"}]},
})
g.append({
    "name": "the author never satisfies a role",
    "function": "evaluate_governance",
    "input": [dict(base, approvals=[base["approvals"][0], base["approvals"][2],
                                    {"by": "eve", "role": "peer", "at": "2026-03-01T12:00:00Z"}]),
              policy, {"level": "critical"}],
    "expected": {"allowed": False, "approvers": ["cy", "eve"],
                 "missing": [{"code": "approval_role", "subject": "sre"}]},
})
g.append({
    "name": "the deployer may not be the sole approver",
    "function": "evaluate_governance",
    "input": [dict(base, compliance=[], approvals=[{"by": "dan", "role": "peer", "at": "2026-03-01T10:00:00Z"}]),
              policy, {"level": "low"}],
    "expected": {"allowed": False, "missing": [], "approvers": ["dan"],
                 "violations": [{"code": "deployer_sole_approver", "subject": "dan"}]},
})
g.append({
    "name": "a standard change needing no approval may be approved by its deployer alone",
    "function": "evaluate_governance",
    "input": [dict(base, change_type="standard", compliance=[],
                   approvals=[{"by": "dan", "role": "peer", "at": "2026-03-01T10:00:00Z"}]),
              {"rules": [{"change_types": ["normal"], "approvals": 1}]}, {"level": "low"}],
    "expected": {"allowed": True, "required": [], "violations": [], "approvers": ["dan"]},
})
g.append({
    "name": "emergency change proceeds with a review due 48h after the planned start",
    "function": "evaluate_governance",
    "input": [dict(base, change_type="emergency", approvals=[], compliance=[],
                   planned_start="2026-03-02T10:00:00Z"), policy, {"level": "high"}],
    "expected": {"allowed": True, "missing": [], "violations": [],
                 "deferred": [{"code": "approvals"}, {"code": "approval_role"}, {"code": "cab_review"}],
                 "post_implementation_review_due": "2026-03-04T10:00:00Z"},
})
g.append({
    "name": "HIPAA downtime notice given too late and no scan",
    "function": "evaluate_governance",
    "input": [dict(base, compliance=["hipaa"], expected_downtime="30m",
                   planned_start="2026-03-05T02:00:00Z", customers_notified_at="2026-03-04T02:00:00Z"),
              policy, {"level": "low"}],
    "expected": {"allowed": False,
                 "missing": [{"code": "downtime_notice", "subject": "hipaa"},
                             {"code": "security_scan_passed", "subject": "hipaa"}]},
})
g.append({"name": "unknown compliance tag on the change", "function": "evaluate_governance",
          "input": [dict(base, compliance=["sox", "pci"]), policy, {"level": "low"}],
          "error_code": "unknown_compliance_tag", "error_path": "/compliance/1",
          "error_fields": {"tag": "pci", "known": ["hipaa", "sox"]}})
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
plain = {"id": "c", "author": "a", "services": ["api"]}
g.append({
    "name": "high risk with routing and good metrics: canary with a flag",
    "function": "recommend_strategy",
    "input": [{"id": "api", "traffic_routing": True, "metric_quality": "good", "spare_capacity": 0.2},
              plain, {"level": "high"}],
    "expected": {"strategy": "canary", "feature_flag": True, "risk_level": "high",
                 "options": [{"strategy": "canary", "feasible": True, "score": 4},
                             {"strategy": "blue_green", "feasible": False, "score": -1},
                             {"strategy": "rolling", "feasible": True, "score": 0}]},
})
g.append({
    "name": "stateful database with a migration and no routing: rolling",
    "function": "recommend_strategy",
    "input": [{"id": "api", "stateful": True},
              dict(plain, kind="schema", has_migration=True), {"level": "low"}],
    "expected": {"strategy": "rolling", "feature_flag": False,
                 "options": [{"feasible": False}, {"feasible": False}, {"feasible": True, "score": 0}]},
})
g.append({
    "name": "spare capacity without routing: blue-green",
    "function": "recommend_strategy",
    "input": [{"id": "api", "spare_capacity": 1.0, "metric_quality": "poor"}, plain, {"level": "medium"}],
    "expected": {"strategy": "blue_green", "feature_flag": False,
                 "options": [{"feasible": False, "score": -1}, {"feasible": True, "score": 2},
                             {"feasible": True, "score": -1}]},
})
g.append({
    "name": "rolling too slow for the required rollback",
    "function": "recommend_strategy",
    "input": [{"id": "api", "max_rollback_time": "5m", "deploy_duration": "20m"}, plain, {"level": "low"}],
    "expected": {"strategy": "rolling",
                 "options": [{}, {}, {"score": -2, "reasons_against": [
                     {"code": "always_possible"}, {"code": "rollback_too_slow", "points": -3}]}]},
})
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
          "error_fields": {"stored": h1}})
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
