#!/usr/bin/env python3
"""Regenerates tests/vectors/risk_fit_reference.json: fit_risk_model against
scikit-learn's LogisticRegression (newton-cholesky, C = 1) on 300 synthetic
changes (the generator of benches/risk_peer.py).

Same objective on both sides: sum of log-losses + 1/2 sum (w_j * sd_j)^2,
intercept unpenalised, i.e. ridge on standardised features; sklearn's
coefficients are divided by the standard deviations (population) to get
rollgate's per-unit weights, and its intercept (at the feature means) is
rollgate's baseline. Requires numpy and scikit-learn.

`--complete` leaves scikit-learn's numbers as they are and fills in the rest
of the fitted model from them in pure Python (no scikit-learn needed): each
precision is the prior's, l2 * var(feature), plus the Fisher information
sum p (1 - p) (x - mean)^2 at the reference solution; the baseline's is
sum p (1 - p); the kept weights, levels and prior come from the shipped
defaults (core/src/risk/defaults.json) and the failure rate.
"""
import json
import math
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent

FACTORS = ["lines_added", "lines_deleted", "lines_before", "files_changed", "entropy", "is_fix"]


def complete(case):
    """Fills every key of the fitted model from the reference solution."""
    h, options = case["input"]
    rows = [[math.log1p(r["change"]["lines_added"]), math.log1p(r["change"]["lines_deleted"]),
             math.log1p(r["change"]["lines_before"]), math.log1p(r["change"]["files_changed"]),
             r["change"]["entropy"], 1.0 if r["change"]["is_fix"] else 0.0] for r in h]
    ys = [r["failed"] for r in h]
    exp = case["expected"]
    fitted = exp["weights"][:len(FACTORS)]
    n, k = len(rows), sum(ys)
    means = [sum(r[j] for r in rows) / n for j in range(len(FACTORS))]
    var = [sum((r[j] - means[j]) ** 2 for r in rows) / n for j in range(len(FACTORS))]
    ps = [1 / (1 + math.exp(-(exp["baseline"] + sum(w["weight"] * (x - w["center"]) for w, x in zip(fitted, r)))))
          for r in rows]
    for j, w in enumerate(fitted):
        w["precision"] = options["l2"] * var[j] + sum(p * (1 - p) * (r[j] - means[j]) ** 2 for p, r in zip(ps, rows))
        w["provenance"] = f"fitted: {n} changes, {k} failures"
    defaults = json.loads((HERE.parents[1] / "core/src/risk/defaults.json").read_text())
    kept = [w for w in defaults["weights"] if w["code"] in (
        "peak", "outside_window", "near_freeze", "stateful_services", "transitive_dependents",
        "customer_facing_share", "traffic_exposed", "service_failure_history", "author_service_experience")]
    exp.update({"version": 1, "baseline_precision": sum(p * (1 - p) for p in ps), "weights": fitted + kept,
                "levels": defaults["levels"],
                "history_prior": {"alpha": 10 * k / n, "beta": 10 * (1 - k / n)},
                "training": {"changes": n, "failures": k, "source": ""}})
    return case


if "--complete" in sys.argv:
    path = HERE / "risk_fit_reference.json"
    doc = json.loads(path.read_text())
    doc["cases"] = [complete(c) for c in doc["cases"]]
    path.write_text(json.dumps(doc) + "\n")
    sys.exit(0)

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

sys.path.insert(0, str(HERE.parents[1] / "benches"))
from risk_peer import history  # noqa: E402

h = history(300, 7)
c = [r["change"] for r in h]
x = np.array([[math.log1p(r["lines_added"]), math.log1p(r["lines_deleted"]), math.log1p(r["lines_before"]),
               math.log1p(r["files_changed"]), r["entropy"], 1.0 if r["is_fix"] else 0.0] for r in c])
y = np.array([r["failed"] for r in h])
mean, sd = x.mean(axis=0), x.std(axis=0)
fit = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit((x - mean) / sd, y)
weights = fit.coef_[0] / sd
expected = {
    "baseline": float(fit.intercept_[0]),
    "weights": [{"code": f, "weight": float(w), "center": float(m)} for f, w, m in zip(FACTORS, weights, mean)]
    + [{}] * 9,
    "training": {"changes": 300, "failures": int(y.sum())},
}
case = {
    "name": "ridge logistic regression agrees with scikit-learn (newton-cholesky, C = 1) on 300 changes",
    "function": "fit_risk_model",
    "input": [h, {"prior": "zero", "l2": 1.0, "factors": FACTORS}],
    "expected": expected,
    "tolerance": 1e-6,
}
(HERE / "risk_fit_reference.json").write_text(json.dumps({"cases": [complete(case)]}) + "\n")
print("wrote", HERE / "risk_fit_reference.json", "failures:", int(y.sum()))
