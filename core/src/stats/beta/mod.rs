//! The regularized incomplete beta function and what is built on it: its
//! inverse, the binomial tails and Student's t distribution.
//!
//! statrs' `beta_reg` panics on an argument outside its domain (a NaN
//! degrees of freedom did, for a sample of magnitude 1e154); here every
//! argument is checked, and a value outside the domain gives NaN, which the
//! kernels never report (their tests pin it).
//!
//! Up to [`STATRS_MAX`] (both parameters), statrs' continued fraction is
//! used unchanged (within 9e-12 of scipy relative to the smaller tail on a
//! grid of a, b in 0.5..3000 and x at 0 to ±8 standard deviations); above,
//! it stops converging (6e-7 at 1e5, 2e-2 at 1e6, p = −208 at 1e12) and
//! [`large`] takes over. Student's t beyond 1e20 degrees of freedom is the
//! normal distribution (relative difference below `t⁴ / (4 df)` ≤ 1e-14
//! wherever the tail is a normal double, |t| < 38).

mod large;
#[cfg(test)]
mod tests;

use super::normal::{norm_cdf, norm_quantile, norm_sf};

/// The largest parameter statrs' `beta_reg` is used for.
const STATRS_MAX: f64 = 3000.0;

/// Degrees of freedom beyond which Student's t is the normal distribution.
const T_NORMAL_DF: f64 = 1e20;

fn is_large(a: f64, b: f64) -> bool {
    a.max(b) > STATRS_MAX
}

/// Both parameters positive and finite (NaN is not).
fn in_domain(a: f64, b: f64) -> bool {
    a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()
}

/// The regularized incomplete beta function `I_x(a, b)` for `a, b > 0` and
/// `x` in [0, 1]; NaN outside that domain (statrs' checked variant, which
/// does not panic).
pub(crate) fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if is_large(a, b) && in_domain(a, b) && (0.0..=1.0).contains(&x) {
        // 1 − x is exact where x is the larger of the two.
        large::ibeta(a, b, x, 1.0 - x)
    } else {
        statrs::function::beta::checked_beta_reg(a, b, x).unwrap_or(f64::NAN)
    }
}

/// `I_x(a, b)` given both `x` and `y = 1 − x`; the smaller of the two is
/// taken as exact (a success probability of 1e-12 keeps its digits).
fn beta_reg_pair(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if is_large(a, b) && in_domain(a, b) {
        large::ibeta(a, b, x, y)
    } else {
        beta_reg(a, b, x)
    }
}

/// The `q` quantile of Beta(a, b), by bisection on the regularized incomplete
/// beta function to full double precision.
pub(crate) fn inverse_beta(q: f64, a: f64, b: f64) -> f64 {
    if is_large(a, b) {
        return inverse_beta_pair(q, a, b).0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The `q` quantile `x` of Beta(a, b) with `1 − x`, each to full relative
/// precision for large parameters (bisection on whichever of the two is
/// below 1/2); for small ones [`inverse_beta`]'s `x` and `1 − x`.
pub(crate) fn inverse_beta_pair(q: f64, a: f64, b: f64) -> (f64, f64) {
    if !is_large(a, b) {
        let x = inverse_beta(q, a, b);
        return (x, 1.0 - x);
    }
    let below_half = beta_reg_pair(a, b, 0.5, 0.5) >= q;
    let (mut lo, mut hi) = (0.0_f64, 0.5_f64);
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        // x = mid (I increasing in it) or y = mid (I decreasing in it).
        let go_up = if below_half {
            beta_reg_pair(a, b, mid, 1.0 - mid) < q
        } else {
            beta_reg_pair(a, b, 1.0 - mid, mid) >= q
        };
        if go_up {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let v = 0.5 * (lo + hi);
    if below_half {
        (v, 1.0 - v)
    } else {
        (1.0 - v, v)
    }
}

/// ln P(X = k) for X ~ Binomial(n, p): Loader's saddle-point form, accurate
/// at any `n` (the lgamma differences lose `eps · n ln n`).
pub(crate) fn ln_binom_pmf(k: u64, n: u64, p: f64) -> f64 {
    if p <= 0.0 {
        return if k == 0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if p >= 1.0 {
        return if k == n { 0.0 } else { f64::NEG_INFINITY };
    }
    large::ln_binom_pmf(k as f64, n as f64, p, 1.0 - p)
}

/// P(X ≤ k) for X ~ Binomial(n, p).
pub(crate) fn pbinom(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        1.0
    } else {
        beta_reg_pair((n - k) as f64, k as f64 + 1.0, 1.0 - p, p)
    }
}

/// P(X ≥ k) for X ~ Binomial(n, p).
pub(crate) fn pbinom_upper(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        1.0
    } else if k > n {
        0.0
    } else {
        beta_reg_pair(k as f64, (n - k + 1) as f64, p, 1.0 - p)
    }
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
    }
    if df > T_NORMAL_DF {
        return norm_cdf(t);
    }
    if is_large(0.5 * df, 0.5) {
        // x = df / (df + t²) is near 1: pass its complement exactly.
        let t2 = t * t;
        let (x, y) = if t2.is_finite() {
            (df / (df + t2), t2 / (df + t2))
        } else {
            (0.0, 1.0)
        };
        let tail = 0.5 * beta_reg_pair(0.5 * df, 0.5, x, y);
        return if t > 0.0 { 1.0 - tail } else { tail };
    }
    let x = df / (df + t * t);
    let tail = 0.5 * beta_reg(0.5 * df, 0.5, x);
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// P(T > t).
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    if df > T_NORMAL_DF {
        return norm_sf(t);
    }
    t_cdf(-t, df)
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_quantile(p: f64, df: f64) -> f64 {
    if df > T_NORMAL_DF {
        return norm_quantile(p);
    }
    let lower = p.min(1.0 - p);
    let t = if is_large(0.5 * df, 0.5) {
        let (x, y) = inverse_beta_pair(2.0 * lower, 0.5 * df, 0.5);
        (df * y / x).sqrt()
    } else {
        let y = inverse_beta(2.0 * lower, 0.5 * df, 0.5);
        (df * (1.0 - y) / y).sqrt()
    };
    if p < 0.5 {
        -t
    } else {
        t
    }
}
