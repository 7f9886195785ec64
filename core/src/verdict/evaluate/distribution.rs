//! The one-sided distribution comparison of `compare: distribution`: is the
//! canary's distribution shifted the harmful way where it matters?
//!
//! For `direction: increase` the statistic is the largest excess of the
//! baseline's empirical distribution function over the canary's,
//! `D⁺ = max (F_b(x) − F_c(x))`, taken only at `x` at or above the
//! baseline's median: the canary has more of its mass above `x` there,
//! i.e. its upper quantiles are higher. A canary whose spread shrank (its
//! lower quantiles rose, its upper ones fell) does not count as an
//! increase. `decrease` mirrors it on the lower half. The p-value is the
//! one-sided Kolmogorov-Smirnov tail `P(D⁺ ≥ d)` of the unrestricted
//! statistic (exact lattice-path count for `n·m ≤ 10⁶`, Smirnov's limit
//! `exp(−2 d² n m / (n + m))` above), which bounds the restricted one: the
//! test keeps its level.

use crate::stats::quantile::type7;

/// Exact p-values up to this `n·m` (the lattice recursion costs O(n·m)).
const EXACT_LIMIT: u64 = 1_000_000;

/// The one-sided statistic for an increase: `D⁺·n·m` (an integer) over the
/// values at or above the baseline's median, for sorted `canary` (n values)
/// and `baseline` (m values).
pub(super) fn upper_excess(canary: &[f64], baseline: &[f64]) -> i128 {
    let (n, m) = (canary.len() as i128, baseline.len() as i128);
    let median = type7(baseline, 0.5);
    let (mut i, mut j) = (0usize, 0usize);
    let mut best: i128 = 0;
    loop {
        let v = match (canary.get(i), baseline.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => break,
        };
        while canary.get(i).is_some_and(|&a| a == v) {
            i += 1;
        }
        while baseline.get(j).is_some_and(|&b| b == v) {
            j += 1;
        }
        // F_b(v) − F_c(v) = j/m − i/n, scaled by n·m.
        if v >= median {
            best = best.max(j as i128 * n - i as i128 * m);
        }
    }
    best
}

/// The one-sided statistic for a decrease: the mirror image of
/// [`upper_excess`] (values negated), over the baseline's lower half.
pub(super) fn lower_excess(canary: &[f64], baseline: &[f64]) -> i128 {
    let flip = |v: &[f64]| v.iter().rev().map(|x| -x).collect::<Vec<_>>();
    upper_excess(&flip(canary), &flip(baseline))
}

/// `P(D⁺ ≥ d)` for sizes `n` (canary) and `m` (baseline), `dnm = d·n·m`:
/// one minus the chance that a uniformly random lattice path from (0, 0) to
/// (n, m) keeps `j·n − i·m < dnm` at every point.
pub(super) fn one_sided_p(n: usize, m: usize, dnm: i128) -> f64 {
    if dnm <= 0 {
        return 1.0;
    }
    if (n as u64) * (m as u64) > EXACT_LIMIT {
        let d = dnm as f64 / (n as f64 * m as f64);
        return (-2.0 * d * d * (n as f64 * m as f64) / (n + m) as f64)
            .exp()
            .min(1.0);
    }
    let (nu, mu) = (n as i128, m as i128);
    let inside = |i: usize, j: usize| (j as i128) * nu - (i as i128) * mu < dnm;
    // q[j] for the current i: the chance that a uniform path to (i, j) stays inside.
    let mut q = vec![0.0_f64; m + 1];
    for i in 0..=n {
        for j in 0..=m {
            let value = if i == 0 && j == 0 {
                1.0
            } else if !inside(i, j) {
                0.0
            } else {
                let total = (i + j) as f64;
                let from_canary = if i > 0 {
                    q.get(j).copied().unwrap_or(0.0) * i as f64 / total
                } else {
                    0.0
                };
                let from_baseline = if j > 0 {
                    q.get(j - 1).copied().unwrap_or(0.0) * j as f64 / total
                } else {
                    0.0
                };
                from_canary + from_baseline
            };
            if let Some(slot) = q.get_mut(j) {
                *slot = value;
            }
        }
    }
    (1.0 - q.get(m).copied().unwrap_or(0.0)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_up_counts_a_narrower_spread_does_not() {
        let base: Vec<f64> = (0..100).map(f64::from).collect();
        let up: Vec<f64> = base.iter().map(|v| v + 20.0).collect();
        assert_eq!(upper_excess(&up, &base), 20 * 100);
        assert_eq!(lower_excess(&up, &base), 0);
        // Same centre, half the spread: lower quantiles up, upper ones down.
        let narrow: Vec<f64> = base.iter().map(|v| 49.5 + (v - 49.5) / 2.0).collect();
        assert_eq!(upper_excess(&narrow, &base), 0);
        assert!(lower_excess(&narrow, &base) == 0);
        // Twice the spread: the upper half is higher, the lower half lower.
        let wide: Vec<f64> = base.iter().map(|v| 49.5 + (v - 49.5) * 2.0).collect();
        assert!(upper_excess(&wide, &base) > 0 && lower_excess(&wide, &base) > 0);
    }

    #[test]
    fn p_values_are_the_one_sided_lattice_tail() {
        // All canary values above the baseline's: D⁺ = 1, P = 1 / C(n + m, n).
        assert!((one_sided_p(3, 3, 9) - 1.0 / 20.0).abs() < 1e-15);
        assert!((one_sided_p(4, 5, 20) - 1.0 / 126.0).abs() < 1e-15);
        assert_eq!(one_sided_p(4, 5, 0), 1.0);
        // scipy.stats.ks_2samp([4, 5, 6], [1, 2, 3, 7], alternative="less",
        // method="exact"): D = 0.75, p = 4/35.
        assert!(
            (one_sided_p(3, 4, 9) - 4.0 / 35.0).abs() < 1e-15,
            "{}",
            one_sided_p(3, 4, 9)
        );
        // Smirnov's limit above 10⁶ pairs.
        let p = one_sided_p(2000, 1000, 2000 * 1000 / 20);
        assert!((p - (-2.0_f64 * 0.0025 * 2000.0 * 1000.0 / 3000.0).exp()).abs() < 1e-15);
    }
}
