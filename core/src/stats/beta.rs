//! The regularized incomplete beta function and what is built on it: its
//! inverse, the binomial tails and Student's t distribution.
//!
//! statrs' `beta_reg` panics on an argument outside its domain (a NaN
//! degrees of freedom did, for a sample of magnitude 1e154); here every
//! argument is checked, and a value outside the domain gives NaN, which the
//! kernels never report (their tests pin it).

/// The regularized incomplete beta function `I_x(a, b)` for `a, b > 0` and
/// `x` in [0, 1]; NaN outside that domain (statrs' checked variant, which
/// does not panic).
pub(crate) fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    statrs::function::beta::checked_beta_reg(a, b, x).unwrap_or(f64::NAN)
}

/// The `q` quantile of Beta(a, b), by bisection on the regularized incomplete
/// beta function to full double precision.
pub(crate) fn inverse_beta(q: f64, a: f64, b: f64) -> f64 {
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

/// P(X ≤ k) for X ~ Binomial(n, p).
pub(crate) fn pbinom(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        1.0
    } else {
        beta_reg((n - k) as f64, k as f64 + 1.0, 1.0 - p)
    }
}

/// P(X ≥ k) for X ~ Binomial(n, p).
pub(crate) fn pbinom_upper(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        1.0
    } else if k > n {
        0.0
    } else {
        beta_reg(k as f64, (n - k + 1) as f64, p)
    }
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
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
    t_cdf(-t, df)
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_quantile(p: f64, df: f64) -> f64 {
    let lower = p.min(1.0 - p);
    let y = inverse_beta(2.0 * lower, 0.5 * df, 0.5);
    let t = (df * (1.0 - y) / y).sqrt();
    if p < 0.5 {
        -t
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_inverts_cdf() {
        for df in [1.0, 2.5, 10.0, 300.0] {
            for p in [0.01, 0.2, 0.975] {
                let t = t_quantile(p, df);
                assert!((t_cdf(t, df) - p).abs() < 1e-13, "df {df} p {p}");
            }
        }
    }

    #[test]
    fn out_of_domain_arguments_give_nan_instead_of_panicking() {
        assert!(beta_reg(f64::NAN, 0.5, 0.5).is_nan());
        assert!(beta_reg(1.0, 0.5, f64::NAN).is_nan());
        assert!(beta_reg(0.0, 0.5, 0.5).is_nan());
        assert!(beta_reg(1.0, 0.5, 1.5).is_nan());
        assert!((beta_reg(1.0, 1.0, 0.25) - 0.25).abs() < 1e-15);
        assert!(t_cdf(1.0, f64::NAN).is_nan());
        assert_eq!(t_cdf(f64::INFINITY, 3.0), 1.0);
        assert_eq!(t_cdf(f64::NEG_INFINITY, 3.0), 0.0);
    }

    #[test]
    fn binomial_tails_match_hand_computation() {
        // Binomial(4, 1/2): P(X ≤ 1) = 5/16, P(X ≥ 3) = 5/16.
        assert!((pbinom(1, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
        assert!((pbinom_upper(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
        assert_eq!(pbinom(4, 4, 0.3), 1.0);
        assert_eq!(pbinom_upper(0, 4, 0.3), 1.0);
        assert_eq!(pbinom_upper(5, 4, 0.3), 0.0);
        // Beta(2, 2) median is 1/2; its 0.15625 quantile is 1/4.
        assert!((inverse_beta(0.5, 2.0, 2.0) - 0.5).abs() < 1e-15);
        assert!((inverse_beta(0.15625, 2.0, 2.0) - 0.25).abs() < 1e-15);
    }
}
