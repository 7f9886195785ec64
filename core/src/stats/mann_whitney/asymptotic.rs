//! The normal approximation of U with tie and continuity correction, and the
//! ranks of the interval ends where R's `wdiff` changes sign.

use super::ranks::RankSummary;
use super::{sign, RankTest};
use crate::stats::{norm_cdf, norm_quantile, norm_sf, Alternative};

/// The asymptotic test of `U` for sizes `n`, `m` (R's `wilcox.test` with
/// `exact = FALSE, correct = TRUE`) and the ranks of its interval ends.
pub(super) fn test(
    n: usize,
    m: usize,
    ranks: &RankSummary,
    alternative: Alternative,
    alpha: f64,
) -> RankTest {
    let nm = (n as f64) * (m as f64);
    let big_n = (n + m) as f64;
    let sigma_for = |tie_sum: f64| {
        let v = (nm / 12.0) * ((big_n + 1.0) - tie_sum / (big_n * (big_n - 1.0)));
        v.max(0.0).sqrt()
    };
    let sigma = sigma_for(ranks.tie_sum);
    let dz = ranks.u_x - nm / 2.0;
    let correction = match alternative {
        Alternative::TwoSided => 0.5 * sign(dz),
        Alternative::Greater => 0.5,
        Alternative::Less => -0.5,
    };
    let (z, p_value) = if sigma > 0.0 {
        let z = (dz - correction) / sigma;
        let p = match alternative {
            Alternative::TwoSided => (2.0 * norm_cdf(z).min(norm_sf(z))).min(1.0),
            Alternative::Greater => norm_sf(z),
            Alternative::Less => norm_cdf(z),
        };
        (Some(z), p)
    } else {
        // Every value identical: no evidence of any shift.
        (None, 1.0)
    };
    // Between two consecutive pairwise differences there are no ties
    // across the samples, so the interval's statistic uses the
    // within-sample ties only.
    let sigma_ci = sigma_for(ranks.within_tie_sum);
    let root = |zq: f64| Some(crossing_rank(nm, sigma_ci, zq, alternative));
    let ci_ranks = match alternative {
        Alternative::TwoSided => [
            root(norm_quantile(1.0 - alpha / 2.0)),
            root(norm_quantile(alpha / 2.0)),
        ],
        Alternative::Greater => [root(norm_quantile(1.0 - alpha)), None],
        Alternative::Less => [None, root(norm_quantile(alpha))],
    };
    RankTest {
        p_value,
        z,
        ci_ranks,
        method: "asymptotic",
    }
}

/// The 0-based rank of the pairwise difference where R's
/// `wdiff(d, zq) = (dz − correction) / sigma − zq` changes sign.
///
/// For `d` strictly between two consecutive differences, `U(d)` is the number
/// of differences above `d`. `g(U) = (U − nm/2 − corr(U)) / sigma − zq` is
/// non-decreasing in `U`; with `U0` the largest integer with `g(U0) < 0`, the
/// root is the `(nm − U0)`-th smallest difference (clamped to the range, as R
/// returns `mumin`/`mumax` when there is no sign change).
fn crossing_rank(nm: f64, sigma: f64, zq: f64, alternative: Alternative) -> u64 {
    let g = |u: f64| {
        let dz = u - nm / 2.0;
        let corr = match alternative {
            Alternative::TwoSided => 0.5 * sign(dz),
            Alternative::Greater => 0.5,
            Alternative::Less => -0.5,
        };
        (dz - corr) / sigma - zq
    };
    // Binary search for the largest U in [0, nm] with g(U) < 0.
    let total = nm as u64;
    if g(0.0) >= 0.0 {
        return total.saturating_sub(1); // U0 = -1: the largest difference
    }
    let (mut lo, mut hi) = (0u64, total); // g(lo) < 0; search the last such
    if g(total as f64) < 0.0 {
        lo = total;
    } else {
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if g(mid as f64) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
    }
    // k (1-based) = nm − U0, clamped to [1, nm].
    let k = total.saturating_sub(lo).max(1);
    k - 1
}
