//! Whether a test could have shown harm at the sample sizes it has: the
//! smallest p-value any data of these sizes could give, and how many more
//! samples would bring it to the level. A metric whose test cannot reach
//! its level is `continue`, never `pass` (no verdict without evidence): a
//! p99 compared on 200 samples per side cannot give a p-value below 0.06,
//! however much slower the canary is.

use statrs::function::factorial::ln_binomial;

use crate::stats::{self, Alternative};

/// Which test, for the smallest p-value it can give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reachable {
    /// Mann-Whitney.
    Location,
    /// The one-sided (or, for `either`, two-sided) Kolmogorov-Smirnov test.
    Distribution,
    /// The quantile test at this level.
    Quantile(f64),
    /// Two proportions (events over trials).
    Proportions,
}

/// Beyond this many samples on the smaller side, Mann-Whitney reaches any
/// level a configuration can state (its extreme p-value underflows).
const ALWAYS: u64 = 2_000;

/// The smallest p-value of `test` at sizes `n` (canary) and `m` (baseline):
/// its p-value on the most extreme data of those sizes (every canary value
/// beyond every baseline value in the harmful direction).
pub(super) fn min_p(
    test: Reachable,
    n: u64,
    m: u64,
    alternative: Alternative,
    confidence: f64,
) -> f64 {
    if n == 0 || m == 0 {
        return 1.0;
    }
    let sides = if alternative == Alternative::TwoSided {
        2.0
    } else {
        1.0
    };
    match test {
        Reachable::Location => {
            if n.min(m) > ALWAYS {
                return 0.0;
            }
            // Canary values all above (or, for `less`, all below) the baseline's.
            let (cs, bs) = extreme(n, m, alternative);
            stats::mann_whitney::mann_whitney_sorted(&cs, &bs, alternative, confidence, false)
                .p_value
        }
        Reachable::Distribution => {
            let ln_paths = ln_binomial(n + m, n);
            if n * m <= 1_000_000 {
                (sides * (-ln_paths).exp()).min(1.0)
            } else {
                let (nf, mf) = (n as f64, m as f64);
                (sides * (-2.0 * nf * mf / (nf + mf)).exp()).min(1.0)
            }
        }
        Reachable::Quantile(q) => {
            // The test counts the values above the pooled type-7 quantile; on
            // the distinct values 0..N the threshold is (N − 1)·q, and the
            // most extreme data puts the values above it in the canary (or,
            // for `less`, the canary's values all at the bottom).
            let total = n + m;
            let h = (total - 1) as f64 * q;
            let threshold = h.floor() + (h - h.floor());
            let above = (total - 1).saturating_sub(threshold.floor() as u64);
            let (a_c, a_b) = if alternative == Alternative::Less {
                (above.saturating_sub(m), above.min(m))
            } else {
                (above.min(n), above.saturating_sub(n))
            };
            stats::compare_proportions(
                a_c as f64,
                n as f64,
                a_b as f64,
                m as f64,
                alternative,
                confidence,
            )
            .map_or(1.0, |r| r.p_value)
        }
        Reachable::Proportions => {
            // All canary trials failing and no baseline one (or the reverse).
            let (e_c, e_b) = if alternative == Alternative::Less {
                (0.0, m as f64)
            } else {
                (n as f64, 0.0)
            };
            stats::compare_proportions(e_c, n as f64, e_b, m as f64, alternative, confidence)
                .map_or(1.0, |r| r.p_value)
        }
    }
}

/// Sorted samples of sizes `n` (canary) and `m` (baseline) as far apart as
/// possible in the direction of `alternative`.
fn extreme(n: u64, m: u64, alternative: Alternative) -> (Vec<f64>, Vec<f64>) {
    let range = |from: u64, count: u64| (from..from + count).map(|v| v as f64).collect::<Vec<_>>();
    if alternative == Alternative::Less {
        (range(0, n), range(n, m))
    } else {
        (range(m, n), range(0, m))
    }
}

/// How many more samples (`[baseline, canary]`) the test needs before it
/// can reach `alpha`, growing both sides in proportion; `None` beyond a
/// billion samples.
pub(super) fn more_needed(
    test: Reachable,
    n: u64,
    m: u64,
    alternative: Alternative,
    confidence: f64,
    alpha: f64,
) -> Option<[u64; 2]> {
    let n = n.max(1);
    let m = m.max(1);
    let baseline_for = |k: u64| (u128::from(k) * u128::from(m)).div_ceil(u128::from(n)) as u64;
    let reaches = |k: u64| min_p(test, k, baseline_for(k), alternative, confidence) <= alpha;
    let mut hi = n;
    while !reaches(hi) {
        if hi > 1_000_000_000 {
            return None;
        }
        hi *= 2;
    }
    let mut lo = n;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some([baseline_for(lo).saturating_sub(m), lo - n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_p99_on_200_samples_cannot_reach_5_percent() {
        // The case: the smallest reachable p is about 0.06.
        let p = min_p(
            Reachable::Quantile(0.99),
            200,
            200,
            Alternative::Greater,
            0.95,
        );
        assert!((0.05..0.07).contains(&p), "{p}");
        let [more_b, more_c] = more_needed(
            Reachable::Quantile(0.99),
            200,
            200,
            Alternative::Greater,
            0.95,
            0.05,
        )
        .unwrap();
        assert_eq!(more_b, more_c);
        let grown = 200 + more_c;
        assert!(
            min_p(
                Reachable::Quantile(0.99),
                grown,
                grown,
                Alternative::Greater,
                0.95
            ) <= 0.05
        );
        assert!(
            min_p(
                Reachable::Quantile(0.99),
                grown - 1,
                grown - 1,
                Alternative::Greater,
                0.95
            ) > 0.05
        );
    }

    #[test]
    fn rank_tests_reach_their_level_from_a_few_samples() {
        // Exact Mann-Whitney, 3 against 3: 1 / C(6, 3) = 0.05.
        assert!(
            (min_p(Reachable::Location, 3, 3, Alternative::Greater, 0.95) - 0.05).abs() < 1e-15
        );
        assert!((min_p(Reachable::Location, 3, 3, Alternative::Less, 0.95) - 0.05).abs() < 1e-15);
        assert!(
            (min_p(Reachable::Location, 3, 3, Alternative::TwoSided, 0.95) - 0.1).abs() < 1e-15
        );
        assert!(
            (min_p(Reachable::Distribution, 3, 3, Alternative::Greater, 0.95) - 0.05).abs() < 1e-15
        );
        assert_eq!(
            more_needed(Reachable::Location, 2, 2, Alternative::Greater, 0.95, 0.05),
            Some([1, 1])
        );
        assert_eq!(
            more_needed(Reachable::Location, 3, 3, Alternative::Greater, 0.95, 0.05),
            Some([0, 0])
        );
        assert_eq!(
            min_p(Reachable::Location, 0, 3, Alternative::Greater, 0.95),
            1.0
        );
        assert_eq!(
            min_p(Reachable::Location, 5000, 5000, Alternative::Greater, 0.95),
            0.0
        );
    }

    #[test]
    fn proportions_reach_their_level_when_events_could_show_it() {
        // One trial each: Fisher's p of [[1, 0], [0, 1]] is 0.5.
        assert_eq!(
            min_p(Reachable::Proportions, 1, 1, Alternative::Greater, 0.95),
            0.5
        );
        assert!(min_p(Reachable::Proportions, 100, 100, Alternative::Less, 0.95) < 1e-10);
    }
}
