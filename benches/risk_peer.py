#!/usr/bin/env python3
"""Times scikit-learn's logistic regression on the same 100,000 synthetic
changes as benches/benches/risk.rs (same LCG generator, same features), and
rollgate.fit_risk_model called from Python on the same records.

Usage: .venv/bin/python benches/risk_peer.py   (needs numpy, scikit-learn and
the rollgate extension built with `maturin develop --release`).

The peer gets a ready numpy matrix of the six transformed features; rollgate
is timed from the change records (it builds the features itself), so the
comparison favours the peer.
"""
from __future__ import annotations

import math
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

import rollgate

MASK = (1 << 64) - 1


def history(n: int, seed: int) -> list[dict]:
    state = seed

    def uniform() -> float:
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        return (state >> 11) / float(1 << 53)

    out = []
    for i in range(n):
        la = math.floor(math.exp(8 * uniform()) - 1)
        ld = math.floor(math.exp(6 * uniform()) - 1)
        lt = math.floor(math.exp(11 * uniform()))
        nf = 1 + math.floor(math.exp(4 * uniform()) - 1)
        entropy = 3 * uniform()
        fix = uniform() < 0.15
        z = (-2 + 0.4 * (math.log1p(la) - 3) - 0.05 * (math.log1p(ld) - 2) + 0.1 * (math.log1p(lt) - 7)
             + 0.3 * (math.log1p(nf) - 1) - 0.1 * (entropy - 1) + (0.2 if fix else 0.0))
        failed = uniform() < 1 / (1 + math.exp(-z))
        out.append({"change": {"id": f"c{i}", "author": f"dev{i % 97}", "services": [f"svc{i % 50}"],
                               "lines_added": la, "lines_deleted": ld, "lines_before": lt,
                               "files_changed": nf, "entropy": entropy, "is_fix": fix},
                    "failed": failed})
    return out


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    h = history(100_000, 42)
    c = [r["change"] for r in h]
    x = np.array([[math.log1p(r["lines_added"]), math.log1p(r["lines_deleted"]), math.log1p(r["lines_before"]),
                   math.log1p(r["files_changed"]), r["entropy"], 1.0 if r["is_fix"] else 0.0] for r in c])
    y = np.array([r["failed"] for r in h])
    xs = (x - x.mean(axis=0)) / x.std(axis=0)
    six = {"prior": "zero", "l2": 1.0,
           "factors": ["lines_added", "lines_deleted", "lines_before", "files_changed", "entropy", "is_fix"]}
    model = rollgate.fit_risk_model(h, six)
    # Same objective: ridge 1/2·sum(w_std^2) on standardised features, intercept free -> C = 1.
    for solver in ("lbfgs", "newton-cholesky"):
        peer = LogisticRegression(C=1.0, solver=solver, tol=1e-10, max_iter=1000)
        t_peer = best_of(lambda: peer.fit(xs, y))
        print(f"sklearn {solver}: {t_peer * 1e3:.1f} ms (matrix prebuilt)")
    peer = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-10, max_iter=1000).fit(xs, y)
    ours = {w["code"]: w["weight"] for w in model["weights"] if w["code"] in six["factors"]}
    theirs = dict(zip(six["factors"], peer.coef_[0] / x.std(axis=0)))
    print("max |weight difference| vs sklearn:", max(abs(ours[k] - theirs[k]) for k in ours))
    t_ours = best_of(lambda: rollgate.fit_risk_model(h, six))
    print(f"rollgate.fit_risk_model from Python dicts (6 factors, incl. conversion): {t_ours * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
