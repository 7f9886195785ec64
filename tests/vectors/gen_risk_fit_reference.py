#!/usr/bin/env python3
"""Regenerates tests/vectors/risk_fit_reference.json: fit_risk_model against
scikit-learn's LogisticRegression (newton-cholesky, C = 1) on 300 synthetic
changes (the generator of benches/risk_peer.py).

Same objective on both sides: sum of log-losses + 1/2 sum (w_j * sd_j)^2,
intercept unpenalised, i.e. ridge on standardised features; sklearn's
coefficients are divided by the standard deviations (population) to get
rollgate's per-unit weights, and its intercept (at the feature means) is
rollgate's baseline. Requires numpy and scikit-learn.
"""
import json
import math
import pathlib
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benches"))
from risk_peer import history  # noqa: E402

FACTORS = ["lines_added", "lines_deleted", "lines_before", "files_changed", "entropy", "is_fix"]

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
(HERE / "risk_fit_reference.json").write_text(json.dumps({"cases": [case]}) + "\n")
print("wrote", HERE / "risk_fit_reference.json", "failures:", int(y.sum()))
