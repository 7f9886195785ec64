//! The penalised Newton (IRLS) solve shared by fitting and updating, and the
//! logistic link.

/// `ln(p / (1 − p))`.
pub(super) fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// `1 / (1 + e^−z)`, computed without overflow for either sign.
pub(super) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The data and Gaussian prior of a penalised logistic regression:
/// minimise `Σ logloss + ½ Σ_j p_j (β_j − m_j)²` over `β = (b, w)`, the
/// intercept `b` and the weights `w` of centred features.
pub(super) struct Problem<'a> {
    /// Row-major `n × d` features.
    pub x: &'a [f64],
    /// Outcomes, one per row.
    pub y: &'a [bool],
    /// Features per row.
    pub d: usize,
    /// Prior means, intercept first (length `d + 1`).
    pub mean: Vec<f64>,
    /// Prior precisions, intercept first (length `d + 1`).
    pub precision: Vec<f64>,
}

/// The solution: intercept, weights and the data's Hessian diagonal at it
/// (the Laplace approximation's precision gain, taken at the mode).
#[derive(Debug)]
pub(super) struct Solve {
    pub intercept: f64,
    pub weights: Vec<f64>,
    pub hessian_diag: Vec<f64>,
    pub intercept_hessian: f64,
}

/// `v[i]`, or 0 out of range (sizes are consistent by construction).
pub(super) fn at(v: &[f64], i: usize) -> f64 {
    v.get(i).copied().unwrap_or(0.0)
}

impl Problem<'_> {
    fn rows(&self) -> impl Iterator<Item = (&[f64], bool)> + '_ {
        let d = self.d;
        self.y
            .iter()
            .enumerate()
            .map(move |(i, &yi)| (self.x.get(i * d..(i + 1) * d).unwrap_or(&[]), yi))
    }

    /// The linear predictor `b + w · row`.
    fn eta(beta: &[f64], row: &[f64]) -> f64 {
        row.iter()
            .zip(beta.iter().skip(1))
            .fold(at(beta, 0), |acc, (x, b)| acc + x * b)
    }

    /// The penalised negative log-likelihood.
    fn objective(&self, beta: &[f64]) -> f64 {
        let mut total = 0.0;
        for (row, yi) in self.rows() {
            let z = Self::eta(beta, row);
            // log(1 + e^z) − y z, computed stably.
            let l = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            total += l - if yi { z } else { 0.0 };
        }
        for ((b, m), p) in beta.iter().zip(&self.mean).zip(&self.precision) {
            total += 0.5 * p * (b - m) * (b - m);
        }
        total
    }

    /// The data part of the Hessian's diagonal, `Σ p (1 − p) x_j²` (with
    /// `x_0 = 1`), at `beta`.
    fn data_diagonal(&self, beta: &[f64]) -> Vec<f64> {
        let mut diag = vec![0.0; self.d + 1];
        for (row, _) in self.rows() {
            let p = sigmoid(Self::eta(beta, row));
            let wgt = p * (1.0 - p);
            let (first, rest) = diag.split_at_mut(1);
            first.iter_mut().for_each(|d| *d += wgt);
            for (d, x) in rest.iter_mut().zip(row) {
                *d += wgt * x * x;
            }
        }
        diag
    }

    /// Gradient and full Hessian (row-major `k × k`) of the objective.
    fn derivatives(&self, beta: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let k = self.d + 1;
        let mut grad = vec![0.0; k];
        let mut hess = vec![0.0; k * k];
        let mut row1 = vec![1.0; k];
        for (row, yi) in self.rows() {
            let p = sigmoid(Self::eta(beta, row));
            let r = p - if yi { 1.0 } else { 0.0 };
            let wgt = p * (1.0 - p);
            for (dst, src) in row1.iter_mut().skip(1).zip(row) {
                *dst = *src;
            }
            // Lower triangle only; mirrored below.
            for (a, (&xa, g)) in row1.iter().zip(grad.iter_mut()).enumerate() {
                *g += r * xa;
                let wa = wgt * xa;
                let lower = hess.get_mut(a * k..a * k + a + 1).unwrap_or(&mut []);
                for (h, &xb) in lower.iter_mut().zip(&row1) {
                    *h += wa * xb;
                }
            }
        }
        for a in 0..k {
            for b in 0..a {
                let v = at(&hess, a * k + b);
                if let Some(h) = hess.get_mut(b * k + a) {
                    *h = v;
                }
            }
            let p = at(&self.precision, a);
            if let Some(h) = hess.get_mut(a * k + a) {
                *h += p + 1e-10;
            }
            if let Some(g) = grad.get_mut(a) {
                *g += p * (at(beta, a) - at(&self.mean, a));
            }
        }
        (grad, hess)
    }

    /// Newton's method with step halving from the prior mean, at most
    /// `max_iterations` steps. Deterministic: fixed summation order.
    pub fn solve(&self, max_iterations: u32) -> Solve {
        let k = self.d + 1;
        let mut beta = self.mean.clone();
        beta.resize(k, 0.0);
        let mut current = self.objective(&beta);
        for _ in 0..max_iterations {
            let (grad, hess) = self.derivatives(&beta);
            let Some(step) = cholesky_solve(&hess, &grad, k) else {
                break;
            };
            let mut scale = 1.0;
            let mut improved = false;
            for _ in 0..30 {
                let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - scale * s).collect();
                let value = self.objective(&trial);
                if value.is_finite() && value <= current {
                    beta = trial;
                    improved = current - value > 1e-12 * (1.0 + value.abs());
                    current = value;
                    break;
                }
                scale *= 0.5;
            }
            let size = step.iter().fold(0.0_f64, |m, s| m.max((s * scale).abs()));
            if !improved || size < 1e-10 {
                break;
            }
        }
        let data_diag = self.data_diagonal(&beta);
        Solve {
            intercept: at(&beta, 0),
            weights: beta.iter().skip(1).copied().collect(),
            hessian_diag: data_diag.iter().skip(1).copied().collect(),
            intercept_hessian: at(&data_diag, 0),
        }
    }
}

/// Solves `A s = g` for symmetric positive definite `A` (row-major, `k × k`)
/// by nalgebra's Cholesky factorisation; `None` when `A` is not positive
/// definite (or not finite). The matrices are small (one row per factor,
/// at most 37), so the solve costs little next to building the Hessian:
/// `benches/benches/risk.rs` times the fit with it.
fn cholesky_solve(a: &[f64], g: &[f64], k: usize) -> Option<Vec<f64>> {
    if a.len() != k * k || g.len() != k || a.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let matrix = nalgebra::DMatrix::from_row_slice(k, k, a);
    let factor = nalgebra::linalg::Cholesky::new(matrix)?;
    let step = factor.solve(&nalgebra::DVector::from_column_slice(g));
    step.iter()
        .all(|s| s.is_finite())
        .then(|| step.iter().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intercept_only_gives_the_logit_of_the_rate() {
        let y = [true, false, false, false];
        let problem = Problem {
            x: &[],
            y: &y,
            d: 0,
            mean: vec![0.0],
            precision: vec![0.0],
        };
        let s = problem.solve(50);
        assert!((s.intercept - (1.0f64 / 3.0).ln()).abs() < 1e-9);
        // Hessian at the optimum: n p (1 − p) = 4 · 1/4 · 3/4.
        assert!((s.intercept_hessian - 0.75).abs() < 1e-12, "{s:?}");
        assert!(s.weights.is_empty());
    }

    #[test]
    fn one_binary_feature_gives_the_log_odds_ratio_and_its_hessian() {
        // 2 of 4 fail with x = 1, 1 of 6 with x = 0; x centred at 0.4.
        let raw = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let x: Vec<f64> = raw.iter().map(|v| v - 0.4).collect();
        let y = [
            true, true, false, false, true, false, false, false, false, false,
        ];
        let problem = Problem {
            x: &x,
            y: &y,
            d: 1,
            mean: vec![0.0, 0.0],
            precision: vec![0.0, 0.0],
        };
        let s = problem.solve(100);
        let w = logit(0.5) - logit(1.0 / 6.0);
        assert!((s.weights[0] - w).abs() < 1e-9, "{}", s.weights[0]);
        assert!((s.intercept - (logit(1.0 / 6.0) + 0.4 * w)).abs() < 1e-9);
        // Σ p(1 − p) x² at the optimum.
        let h = 4.0 * 0.25 * 0.36 + 6.0 * (5.0 / 36.0) * 0.16;
        assert!((s.hessian_diag[0] - h).abs() < 1e-9);
    }

    #[test]
    fn a_strong_prior_holds_the_weight() {
        let x = [0.5, -0.5, 0.5, -0.5];
        let y = [true, false, true, false];
        let problem = Problem {
            x: &x,
            y: &y,
            d: 1,
            mean: vec![0.0, 0.3],
            precision: vec![0.0, 1e9],
        };
        assert!((problem.solve(100).weights[0] - 0.3).abs() < 1e-6);
        // No iterations: the prior mean itself.
        assert_eq!(problem.solve(0).weights[0], 0.3);
    }

    #[test]
    fn the_solve_refuses_what_is_not_positive_definite() {
        assert_eq!(
            cholesky_solve(&[4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 2),
            Some(vec![0.5, 0.0])
        );
        assert_eq!(cholesky_solve(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0], 2), None);
        assert_eq!(cholesky_solve(&[f64::NAN], &[1.0], 1), None);
        assert_eq!(cholesky_solve(&[1.0], &[1.0, 2.0], 1), None);
        assert_eq!(sigmoid(-800.0), 0.0);
        assert_eq!(sigmoid(800.0), 1.0);
        assert!((sigmoid(logit(0.2)) - 0.2).abs() < 1e-15);
    }
}
