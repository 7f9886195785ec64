//! The U statistic and the tie structure of two sorted samples.

use super::pairs::PairDiffs;

/// Rank-sum statistic and tie structure of two sorted samples.
pub(super) struct RankSummary {
    /// U of x: pairs with x > y plus half the ties.
    pub(super) u_x: f64,
    /// Σ (t³ − t) over tie groups of the combined sample.
    pub(super) tie_sum: f64,
    /// Σ (t³ − t) over tie groups within x plus those within y.
    pub(super) within_tie_sum: f64,
    /// Whether any two values of the combined sample are equal.
    pub(super) has_ties: bool,
}

impl RankSummary {
    pub(super) fn of(pairs: &PairDiffs<'_>) -> Self {
        let (xs, ys) = (pairs.x, pairs.y);
        // Without ties (the common case for measured latencies) U is the
        // number of differences above 0, counted by one branch-free walk.
        let tied_within = |v: &[f64]| v.iter().zip(v.iter().skip(1)).any(|(a, b)| a == b);
        if !tied_within(xs) && !tied_within(ys) {
            let halves = pairs.on_halves(&mut [], |rows, _| {
                PairDiffs::walk::<false, true>(rows, ys, 0.0, &mut [])
            });
            if !halves.iter().any(|w| w.equal) {
                return RankSummary {
                    u_x: halves.iter().map(|w| w.above).sum::<u64>() as f64,
                    tie_sum: 0.0,
                    within_tie_sum: 0.0,
                    has_ties: false,
                };
            }
        }
        Self::merged(xs, ys)
    }

    /// The general case: one merge of the two samples, tie group by tie group.
    pub(super) fn merged(xs: &[f64], ys: &[f64]) -> Self {
        let cube = |t: f64| t * t * t - t;
        let (mut i, mut j) = (0usize, 0usize);
        let mut u = 0.0;
        let mut tie_sum = 0.0;
        let mut within = 0.0;
        let mut has_ties = false;
        loop {
            let v = match (xs.get(i), ys.get(j)) {
                (Some(&a), Some(&b)) => a.min(b),
                (Some(&a), None) => a,
                (None, Some(&b)) => b,
                (None, None) => break,
            };
            let i0 = i;
            while xs.get(i).is_some_and(|&a| a == v) {
                i += 1;
            }
            let j0 = j;
            while ys.get(j).is_some_and(|&b| b == v) {
                j += 1;
            }
            let cx = (i - i0) as f64;
            let cy = (j - j0) as f64;
            // x values equal to v beat the j0 smaller y values and tie cy.
            u += cx * (j0 as f64) + 0.5 * cx * cy;
            let t = cx + cy;
            if t > 1.0 {
                has_ties = true;
                tie_sum += cube(t);
                within += cube(cx) + cube(cy);
            }
        }
        RankSummary {
            u_x: u,
            tie_sum,
            within_tie_sum: within,
            has_ties,
        }
    }
}
