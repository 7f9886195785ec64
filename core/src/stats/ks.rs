//! Two-sample Kolmogorov-Smirnov test: catches a change of spread or shape
//! that a location test (Mann-Whitney, t-test) misses.

use serde::Serialize;

use super::{check_sample, check_size, sorted_pair};
use crate::error::Result;

/// Exact p-values are computed when `n·m` is at most this (the lattice-path
/// recursion costs O(n·m)); larger samples use the asymptotic distribution.
pub const KS_EXACT_LIMIT: u64 = 1_000_000;

/// Result of [`ks_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KsTest {
    /// D = sup |F_x − F_y|, the largest distance between the empirical
    /// distribution functions.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The first (smallest) value where the largest distance is reached.
    pub location: f64,
    /// `F_x − F_y` at `location`: negative when `x` lies to the right there.
    pub signed_statistic: f64,
    /// `"exact"` or `"asymptotic"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["exact", "asymptotic"])))]
    pub method: &'static str,
    /// Size of `x`.
    pub n_x: usize,
    /// Size of `y`.
    pub n_y: usize,
}

/// Two-sample two-sided Kolmogorov-Smirnov test, as scipy's
/// `ks_2samp(x, y, method = "exact")` when `n·m ≤ 1,000,000` (exact
/// lattice-path probability, ties allowed in the statistic) and the limiting
/// Kolmogorov distribution `kstwobign.sf(D·sqrt(n·m/(n+m)))` above.
///
/// ```
/// use rollgate::stats::ks_test;
/// let r = ks_test(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap();
/// assert_eq!(r.statistic, 1.0);
/// assert!((r.p_value - 0.1).abs() < 1e-12); // 2 / C(6, 3)
/// ```
pub fn ks_test(x: &[f64], y: &[f64]) -> Result<KsTest> {
    check_size(x, 1, "x")?;
    check_size(y, 1, "y")?;
    check_sample(x, "x")?;
    check_sample(y, "y")?;
    let (xs, ys) = sorted_pair(x, y);
    Ok(ks_sorted(&xs, &ys))
}

pub(crate) fn ks_sorted(xs: &[f64], ys: &[f64]) -> KsTest {
    let (n, m) = (xs.len(), ys.len());
    let (nu, mu) = (n as i128, m as i128);
    // D·n·m = max |i·m − j·n| over the steps of the merged samples.
    let (mut i, mut j) = (0usize, 0usize);
    let mut best: i128 = 0;
    let mut signed: i128 = 0;
    // The first value where the distance is largest: the smallest value when
    // the samples never differ (D = 0).
    let mut location = match (xs.first(), ys.first()) {
        (Some(&a), Some(&b)) => a.min(b),
        (Some(&a), None) | (None, Some(&a)) => a,
        (None, None) => 0.0,
    };
    loop {
        let v = match (xs.get(i), ys.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => break,
        };
        while xs.get(i).is_some_and(|&a| a == v) {
            i += 1;
        }
        while ys.get(j).is_some_and(|&b| b == v) {
            j += 1;
        }
        let d = i as i128 * mu - j as i128 * nu;
        if d.abs() > best {
            best = d.abs();
            signed = d;
            location = v;
        }
    }
    let nm = (n as f64) * (m as f64);
    let statistic = best as f64 / nm;
    let (p_value, method) = if (n as u64) * (m as u64) <= KS_EXACT_LIMIT {
        (exact_p(n, m, best), "exact")
    } else {
        let en = nm / (n + m) as f64;
        (kolmogorov_sf(en.sqrt() * statistic), "asymptotic")
    };
    KsTest {
        statistic,
        p_value,
        location,
        signed_statistic: signed as f64 / nm,
        method,
        n_x: n,
        n_y: m,
    }
}

/// P(D ≥ d) for sizes n, m where `dnm = d·n·m`: one minus the probability
/// that a uniformly random lattice path from (0, 0) to (n, m) stays strictly
/// inside |i·m − j·n| < dnm.
fn exact_p(n: usize, m: usize, dnm: i128) -> f64 {
    if dnm == 0 {
        return 1.0;
    }
    let (nu, mu) = (n as i128, m as i128);
    let inside = |i: usize, j: usize| (i as i128 * mu - j as i128 * nu).abs() < dnm;
    // q[j] for the current i: probability that a uniform path to (i, j) stays inside.
    let mut q = vec![0.0_f64; m + 1];
    for i in 0..=n {
        for j in 0..=m {
            let value = if i == 0 && j == 0 {
                1.0
            } else if !inside(i, j) {
                0.0
            } else {
                let total = (i + j) as f64;
                let from_left = if i > 0 {
                    q.get(j).copied().unwrap_or(0.0)
                } else {
                    0.0
                };
                let from_below = if j > 0 {
                    q.get(j - 1).copied().unwrap_or(0.0)
                } else {
                    0.0
                };
                (i as f64 / total) * from_left + (j as f64 / total) * from_below
            };
            if let Some(slot) = q.get_mut(j) {
                *slot = value;
            }
        }
    }
    (1.0 - q.get(m).copied().unwrap_or(0.0)).clamp(0.0, 1.0)
}

/// Survival function of the limiting Kolmogorov distribution.
pub(crate) fn kolmogorov_sf(lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    if lambda < 1.0 {
        // 1 − sqrt(2π)/λ Σ exp(−(2k−1)²π²/(8λ²)) converges fast for small λ.
        let c = std::f64::consts::PI * std::f64::consts::PI / (8.0 * lambda * lambda);
        let mut s = 0.0;
        for k in 1..=20 {
            let o = (2 * k - 1) as f64;
            s += (-o * o * c).exp();
        }
        return (1.0 - (2.0 * std::f64::consts::PI).sqrt() / lambda * s).clamp(0.0, 1.0);
    }
    let mut s = 0.0;
    for k in 1..=100 {
        let kf = k as f64;
        let term = (-2.0 * kf * kf * lambda * lambda).exp();
        s += if k % 2 == 1 { term } else { -term };
        if term < 1e-300 {
            break;
        }
    }
    (2.0 * s).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kolmogorov_series_agree_at_the_switch() {
        let a = kolmogorov_sf(1.0 - 1e-12);
        let b = kolmogorov_sf(1.0);
        assert!((a - b).abs() < 1e-10, "{a} {b}");
        assert!((kolmogorov_sf(1.3580986393225507) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn identical_samples_have_their_distance_at_the_smallest_value() {
        // Found by the extreme-input property test: NaN (JSON null) before.
        let r = ks_test(&[1.0], &[1.0]).unwrap();
        assert_eq!((r.statistic, r.p_value, r.location), (0.0, 1.0, 1.0));
        let r = ks_test(&[3.0, 2.0, 2.0], &[2.0, 3.0, 2.0]).unwrap();
        assert_eq!(
            (r.statistic, r.location, r.signed_statistic),
            (0.0, 2.0, 0.0)
        );
    }

    #[test]
    fn spread_change_is_detected() {
        let x: Vec<f64> = (0..300).map(|i| (i as f64 - 149.5) / 50.0).collect();
        let y: Vec<f64> = x.iter().map(|v| v * 2.0).collect();
        let r = ks_test(&y, &x).unwrap();
        assert!(r.p_value < 1e-4, "{r:?}");
    }
}
