//! The exact null distribution of U (no ties, both samples under
//! [`EXACT_LIMIT`](super::EXACT_LIMIT)): p-values and the ranks of the
//! interval ends, as R's `pwilcox` and `qwilcox`.

use super::RankTest;
use crate::stats::Alternative;

/// The exact test of `u` for sizes `n`, `m` (R's `wilcox.test` with
/// `exact = TRUE`) and the ranks of its interval ends.
pub(super) fn test(n: usize, m: usize, u: f64, alternative: Alternative, alpha: f64) -> RankTest {
    let nm = (n as f64) * (m as f64);
    let total = n as u64 * m as u64;
    let dist = UDistribution::new(n, m);
    let p_value = match alternative {
        Alternative::TwoSided => {
            let p = if u > nm / 2.0 {
                dist.sf_ge(u)
            } else {
                dist.cdf(u)
            };
            (2.0 * p).min(1.0)
        }
        Alternative::Greater => dist.sf_ge(u),
        Alternative::Less => dist.cdf(u),
    };
    // R: qu <- qwilcox(alpha/2 or alpha); if (qu == 0) qu <- 1; ql <- nm - qu;
    // interval c(diffs[qu], diffs[ql + 1]) (1-based).
    let q = |p: f64| dist.quantile(p).max(1);
    let top = |ql: u64| ql.min(total - 1);
    let ci_ranks = match alternative {
        Alternative::TwoSided => {
            let qu = q(alpha / 2.0);
            [Some(qu - 1), Some(top(total - qu))]
        }
        Alternative::Greater => [Some(q(alpha) - 1), None],
        Alternative::Less => [None, Some(top(total - q(alpha)))],
    };
    RankTest {
        p_value,
        z: None,
        ci_ranks,
        method: "exact",
    }
}

/// The exact null distribution of U for sizes `n`, `m` without ties.
pub(super) struct UDistribution {
    /// P(U = u) for u = 0..=n·m.
    pub(super) pmf: Vec<f64>,
}

impl UDistribution {
    pub(super) fn new(n: usize, m: usize) -> Self {
        // p[i][j](u): probability that U = u for sizes i, j. The largest of
        // the i + j values is an x with probability i/(i+j) (adding j to U),
        // else a y. `rows[i]` holds p[i][j − 1] and becomes p[i][j] in
        // place, from p[i − 1][j] (already updated) and itself.
        let mut rows: Vec<Vec<f64>> = (0..=n).map(|_| vec![1.0]).collect(); // j = 0: U = 0
        for j in 1..=m {
            for i in 1..=n {
                let (done, rest) = rows.split_at_mut(i);
                let (Some(prev), Some(row)) = (done.last(), rest.first_mut()) else {
                    continue;
                };
                let wx = i as f64 / (i + j) as f64;
                let wy = j as f64 / (i + j) as f64;
                let old_len = row.len();
                row.resize(i * j + 1, 0.0);
                for (u, slot) in row.iter_mut().enumerate() {
                    // From (i − 1, j): U increases by j. From (i, j − 1): U
                    // unchanged.
                    let from_x = u.checked_sub(j).and_then(|v| prev.get(v)).map(|p| wx * p);
                    let from_y = (u < old_len).then_some(wy * *slot);
                    *slot = match (from_x, from_y) {
                        (Some(a), Some(b)) => a + b,
                        (Some(a), None) => a,
                        (None, Some(b)) => b,
                        (None, None) => 0.0,
                    };
                }
            }
        }
        UDistribution {
            pmf: rows.pop().unwrap_or_else(|| vec![1.0]),
        }
    }

    /// P(U ≤ u).
    fn cdf(&self, u: f64) -> f64 {
        let k = u.floor();
        if k < 0.0 {
            return 0.0;
        }
        self.pmf.iter().take(k as usize + 1).sum::<f64>().min(1.0)
    }

    /// P(U ≥ u).
    fn sf_ge(&self, u: f64) -> f64 {
        let k = u.ceil().max(0.0) as usize;
        self.pmf.iter().skip(k).sum::<f64>().min(1.0)
    }

    /// R's `qwilcox(p)`: the smallest q with P(U ≤ q) ≥ p.
    fn quantile(&self, p: f64) -> u64 {
        let mut acc = 0.0;
        for (q, v) in self.pmf.iter().enumerate() {
            acc += v;
            // R's qwilcox compares with a fuzz against rounding: p − 10 eps.
            if acc >= p - 10.0 * f64::EPSILON {
                return q as u64;
            }
        }
        self.pmf.len().saturating_sub(1) as u64
    }
}
