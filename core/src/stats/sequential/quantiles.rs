//! The quantile test: a confidence sequence for a quantile of each arm,
//! from a beta-binomial mixture on the number of values below it (Howard &
//! Ramdas 2022 construct quantile sequences from such Bernoulli mixtures),
//! read off a fixed-bin [`Histogram`].
//!
//! At the true q-quantile ξ, the number of values at or below ξ among n is
//! Binomial(n, q). With the prior θ ~ Beta(c·q, c·(1 − q)) on that share,
//! `M(k) = B(c q + k, c (1 − q) + n − k) / B(c q, c (1 − q)) / (q^k (1 − q)^{n−k})`
//! is a test martingale at ξ, so with probability at least 1 − α the count
//! `k` at ξ stays in `{k : M(k) < 1/α}` at every look; `ln M` is convex in
//! `k`, the set is a range `[k_lo, k_hi]`, and ξ lies between the values of
//! ranks `k_lo` and `k_hi + 1`. The histogram widens those two order
//! statistics to their bins' edges: the bounds are exact to one bin
//! (at most 0.78 %), never narrower than the exact ones.
//!
//! Two arms are compared through their intervals, each at level α/2: the
//! canary's q-quantile exceeds `r` times the baseline's when the canary's
//! lower bound exceeds `r` times the baseline's upper bound.

use super::counts::ln_beta;
use super::histogram::{Histogram, Ranks};

/// The mixture of a quantile test: the quantile level and the prior's
/// concentration `c`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct QuantileMixture {
    /// The quantile level q in (0, 1).
    pub(crate) quantile: f64,
    /// The prior's concentration `c`.
    pub(crate) concentration: f64,
}

/// One arm's ranks and the mixture's `ln M` over them.
struct Arm<'a> {
    ranks: Ranks<'a>,
    n: u64,
    mixture: QuantileMixture,
    /// The `k` where `ln M` is smallest.
    k_min: u64,
}

impl<'a> Arm<'a> {
    fn new(histogram: &'a Histogram, mixture: QuantileMixture) -> Self {
        let n = histogram.n;
        let mut arm = Arm {
            ranks: histogram.ranks(),
            n,
            mixture,
            k_min: 0,
        };
        // ln M is convex with its minimum near q·n: walk to it.
        let mut k = ((mixture.quantile * n as f64).round() as u64).min(n);
        while k < n && arm.ln_m(k + 1) < arm.ln_m(k) {
            k += 1;
        }
        while k > 0 && arm.ln_m(k - 1) < arm.ln_m(k) {
            k -= 1;
        }
        arm.k_min = k;
        arm
    }

    fn ln_m(&self, k: u64) -> f64 {
        let QuantileMixture {
            quantile: q,
            concentration: c,
        } = self.mixture;
        let (k, rest) = (k as f64, (self.n - k.min(self.n)) as f64);
        ln_beta(c * q + k, c * (1.0 - q) + rest)
            - ln_beta(c * q, c * (1.0 - q))
            - k * q.ln()
            - rest * (-q).ln_1p()
    }

    /// `[k_lo, k_hi]`: the counts below the quantile still plausible at
    /// level `alpha`.
    fn range(&self, alpha: f64) -> (u64, u64) {
        let threshold = -alpha.ln();
        if self.ln_m(self.k_min) >= threshold {
            return (0, self.n);
        }
        // Smallest k ≤ k_min inside (ln M decreases up to k_min).
        let (mut lo, mut hi) = (0, self.k_min);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.ln_m(mid) < threshold {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let k_lo = lo;
        // Largest k ≥ k_min inside.
        let (mut lo, mut hi) = (self.k_min, self.n);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.ln_m(mid) < threshold {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        (k_lo, lo)
    }

    /// The interval for the quantile at level `alpha`: lower edge of the
    /// bin of rank `k_lo`, upper edge of the bin of rank `k_hi + 1`.
    fn interval(&self, alpha: f64) -> [f64; 2] {
        let (k_lo, k_hi) = self.range(alpha);
        [self.ranks.lower_at(k_lo), self.ranks.upper_at(k_hi + 1)]
    }

    /// The level from which `k_lo ≥ j` (1 ≤ j ≤ k_min): `1 / M(j − 1)`.
    fn level_lower_at_least(&self, j: u64) -> f64 {
        (-self.ln_m(j - 1)).exp()
    }

    /// The level from which `k_hi ≤ j` (k_min ≤ j < n): `1 / M(j + 1)`.
    fn level_upper_at_most(&self, j: u64) -> f64 {
        (-self.ln_m(j + 1)).exp()
    }
}

impl QuantileMixture {
    /// The confidence sequence for the quantile of one arm at level `alpha`;
    /// `[0, ∞]` without values.
    pub(crate) fn interval(&self, histogram: &Histogram, alpha: f64) -> [f64; 2] {
        Arm::new(histogram, *self).interval(alpha)
    }

    /// The smallest level α at which the intervals (each at α/2) show the
    /// quantile of `high` above `factor` times the quantile of `low`: the
    /// anytime-valid p-value of "`ξ_high ≤ factor · ξ_low`" (1 if none).
    ///
    /// The intervals move in steps, so the level is found exactly: for each
    /// bin of `low` that could hold its upper bound, the fewest ranks of
    /// `high` whose lower bound clears it, and the level at which both
    /// bounds are reached.
    pub(crate) fn p_exceeds(&self, high: &Histogram, low: &Histogram, factor: f64) -> f64 {
        let (h, l) = (Arm::new(high, *self), Arm::new(low, *self));
        let mut best = f64::INFINITY;
        for index in 0..l.ranks.len() {
            let (Some((_, last)), Some(bin)) = (l.ranks.rank_span(index), l.ranks.bin(index))
            else {
                continue;
            };
            // k_hi ≤ last − 1 puts low's upper bound at this bin's upper edge.
            if last == 0 || last - 1 < l.k_min || last > l.n {
                continue;
            }
            let bound = factor * super::histogram::upper_edge(bin);
            let level_low = l.level_upper_at_most(last - 1);
            if level_low >= best {
                continue;
            }
            // The first bin of `high` whose lower edge clears the bound.
            let Some(j) = first_rank_above(&h, bound) else {
                continue;
            };
            if j > h.k_min {
                continue;
            }
            let level = h.level_lower_at_least(j).max(level_low);
            best = best.min(level);
        }
        (2.0 * best).min(1.0)
    }
}

/// The rank of the first value of the first bin of `arm` whose lower edge
/// is above `bound`.
fn first_rank_above(arm: &Arm<'_>, bound: f64) -> Option<u64> {
    // Lower edges ascend with the bin index: binary search.
    let above = |i: usize| {
        arm.ranks
            .bin(i)
            .is_some_and(|b| super::histogram::lower_edge(b) > bound)
    };
    let (mut lo, mut hi) = (0, arm.ranks.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if above(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    arm.ranks.rank_span(lo).map(|(first, _)| first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(values: &[f64]) -> Histogram {
        let mut h = Histogram::default();
        h.add(values);
        h
    }

    const P99: QuantileMixture = QuantileMixture {
        quantile: 0.99,
        concentration: 396.0,
    };

    #[test]
    fn without_enough_values_the_upper_bound_is_open() {
        let h = hist(&(1..=100).map(f64::from).collect::<Vec<_>>());
        let [lo, hi] = P99.interval(&h, 0.05);
        assert!(hi.is_infinite() && lo > 0.0 && lo < 99.0, "{lo} {hi}");
        assert_eq!(
            P99.interval(&Histogram::default(), 0.05),
            [0.0, f64::INFINITY]
        );
    }

    #[test]
    fn the_interval_covers_the_sample_quantile_and_narrows() {
        let values: Vec<f64> = (1..=20_000).map(|i| f64::from(i) / 100.0).collect();
        let [lo, hi] = P99.interval(&hist(&values), 0.05);
        assert!(lo < 198.0 && 198.0 < hi && hi < 200.01, "{lo} {hi}");
        // Widened to whole bins (1/128 of a doubling)...
        assert!(lo == 197.0 && hi == 199.0, "{lo} {hi}");
        // ... the ranks narrow as values come in: the share of ranks still
        // plausible for the p99 falls like sqrt(ln n / n).
        let share = |n: usize| {
            let h = hist(&values[..n]);
            let (k_lo, k_hi) = Arm::new(&h, P99).range(0.05);
            assert!(k_lo as f64 <= 0.99 * n as f64 && 0.99 * n as f64 <= k_hi as f64);
            (k_hi - k_lo) as f64 / n as f64
        };
        assert!(share(20_000) < 0.6 * share(5_000));
    }

    #[test]
    fn p_exceeds_matches_the_intervals_at_its_level() {
        let base: Vec<f64> = (1..=20_000).map(|i| f64::from(i % 1000) + 1.0).collect();
        let slow: Vec<f64> = base
            .iter()
            .map(|v| if *v > 950.0 { v * 1.5 } else { *v })
            .collect();
        let (b, c) = (hist(&base), hist(&slow));
        let p = P99.p_exceeds(&c, &b, 1.0);
        assert!(p < 1e-3, "{p}");
        // At level p (α/2 per arm) the canary's lower bound clears the baseline's upper bound ...
        let shown =
            |alpha: f64| P99.interval(&c, alpha / 2.0)[0] > P99.interval(&b, alpha / 2.0)[1];
        assert!(shown(p * (1.0 + 1e-9)));
        // ... and not below it.
        assert!(!shown(p * (1.0 - 1e-6)));
        // Nothing is shown the other way, nor against itself.
        assert_eq!(P99.p_exceeds(&b, &c, 1.0), 1.0);
        assert_eq!(P99.p_exceeds(&b, &b, 1.0), 1.0);
        assert_eq!(P99.p_exceeds(&c, &b, 2.0), 1.0);
    }
}
