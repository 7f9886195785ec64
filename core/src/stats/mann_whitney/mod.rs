//! Mann-Whitney U (Wilcoxon rank-sum) test with the Hodges-Lehmann shift
//! estimate and its confidence interval, as R's
//! `wilcox.test(x, y, conf.int = TRUE, correct = TRUE)`.
//!
//! Scales to millions of values per side in O((n + m) log(n + m)): the samples
//! are sorted once; the statistic and tie correction come from one walk over
//! them; the estimate and the interval ends are order statistics of the n·m
//! pairwise differences, selected together on the two sorted samples without
//! materialising them. Each difference row `x[i] − y[·]` is sorted, so
//! counting the differences below a value is one two-pointer walk. A
//! deterministic sample of pairs brackets the three ranks (two walks), one
//! point aimed at each rank lands close to it (one walk each), and one walk
//! per rank aimed just above it lists the few differences down to a point
//! aimed just below, from which the rank is selected: eight walks for
//! 1,000,000 values per side, each O(n + m).
//!
//! Large inputs use a second thread: the two samples are sorted side by
//! side, and each walk splits its rows in two. The thread is scoped to the
//! call; if it cannot be started the work runs on the calling thread, with
//! the same result.
//!
//! The folder: `ranks.rs` (U and the ties), `exact.rs` (the exact null
//! distribution), `asymptotic.rs` (the normal approximation and the ranks
//! of its interval ends), `pairs.rs` (walks over the pairwise differences)
//! and `select.rs` (the Hodges-Lehmann selection).

use serde::Serialize;

use super::{bound, check_confidence, check_sample, check_size, sort_pair, Alternative};
use crate::error::{Error, ErrorFamily, Result};

mod asymptotic;
mod exact;
mod pairs;
mod ranks;
mod select;
#[cfg(test)]
mod tests;

use pairs::PairDiffs;
use ranks::RankSummary;
#[cfg(test)]
pub(crate) use select::SplitMix64;

/// Samples smaller than this on both sides, without ties, use the exact null
/// distribution (as R's default `exact = NULL`).
pub const EXACT_LIMIT: usize = 50;

/// Result of [`mann_whitney`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MannWhitney {
    /// U of `x`: the number of pairs with `x > y`, ties counting one half
    /// (R's `W`).
    pub statistic: f64,
    /// P-value for the chosen alternative.
    pub p_value: f64,
    /// Hodges-Lehmann estimate of the shift `x − y`: the median of the n·m
    /// pairwise differences.
    pub estimate: f64,
    /// Confidence interval of the shift; `None` is an unbounded side (one-sided
    /// alternatives).
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// `"exact"` (exact null distribution, no ties, both samples under 50) or
    /// `"asymptotic"` (normal approximation with tie and continuity correction).
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["exact", "asymptotic"])))]
    pub method: &'static str,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
    /// Standardised statistic of the normal approximation (absent for the
    /// exact method).
    pub z: Option<f64>,
    /// Size of `x`.
    pub n_x: usize,
    /// Size of `y`.
    pub n_y: usize,
}

/// Mann-Whitney U test of `x` against `y` with the Hodges-Lehmann estimate of
/// the shift `x − y` and its confidence interval.
///
/// Matches R's `wilcox.test(x, y, alternative, conf.int = TRUE,
/// conf.level = confidence, correct = TRUE)`:
/// - both samples under 50 values and no ties: exact p-value and the exact
///   interval from the quantiles of the U distribution;
/// - otherwise the normal approximation with tie correction and continuity
///   correction; the interval ends are the pairwise differences where the
///   corrected statistic crosses the normal quantile (R finds the same points
///   by `uniroot` with tolerance 1e-4; rollgate returns them exactly).
///
/// The estimate is always the median of the pairwise differences (R's exact
/// branch; R's asymptotic branch approximates it by `uniroot`).
///
/// If every value of both samples is equal, the p-value is 1 (R gives NaN).
///
/// Cost: O((n + m) log(n + m)) time and O(n + m) memory; large samples use a
/// second, call-scoped thread (see the [module docs](self)).
///
/// Errors: `insufficient_data` when a sample is empty, `invalid_sample` for a
/// NaN or infinite value (path `x/i` or `y/i`), `invalid_config` for a
/// confidence outside (0, 1), `invalid_input` (path `x`) when the estimate
/// is beyond the double range (samples near ±1.8e308 of opposite signs).
/// An interval end beyond the double range is unbounded (`None`).
///
/// ```
/// use rollgate::stats::{mann_whitney, Alternative};
/// // Kayenta's published vector: canary vs baseline at 95 %.
/// let r = mann_whitney(&[10.0, 20.0, 30.0, 40.0], &[1.0, 2.0, 3.0, 4.0], Alternative::TwoSided, 0.95).unwrap();
/// assert_eq!(r.statistic, 16.0);
/// assert_eq!(r.estimate, 22.5);
/// assert_eq!(r.method, "exact");
/// ```
pub fn mann_whitney(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    confidence: f64,
) -> Result<MannWhitney> {
    // Sorting needs a copy of each sample anyway.
    mann_whitney_owned(x.to_vec(), y.to_vec(), alternative, confidence)
}

/// [`mann_whitney`] taking ownership of the samples, which are then sorted
/// in their own allocations instead of copies: for callers that built the
/// vectors for this call (the Python and Node bindings do), it saves a copy
/// of each sample. Same checks, errors and result.
///
/// ```
/// use rollgate::stats::{mann_whitney, mann_whitney_owned, Alternative};
/// let (x, y) = (vec![10.0, 20.0, 30.0, 40.0], vec![1.0, 2.0, 3.0, 4.0]);
/// let borrowed = mann_whitney(&x, &y, Alternative::TwoSided, 0.95).unwrap();
/// let owned = mann_whitney_owned(x, y, Alternative::TwoSided, 0.95).unwrap();
/// assert_eq!(owned, borrowed);
/// ```
pub fn mann_whitney_owned(
    x: Vec<f64>,
    y: Vec<f64>,
    alternative: Alternative,
    confidence: f64,
) -> Result<MannWhitney> {
    check_size(&x, 1, "x")?;
    check_size(&y, 1, "y")?;
    check_sample(&x, "x")?;
    check_sample(&y, "y")?;
    check_confidence(confidence, "confidence")?;
    let (xs, ys) = sort_pair(x, y);
    let result = mann_whitney_sorted(&xs, &ys, alternative, confidence, false);
    if !result.estimate.is_finite() {
        return Err(difference_overflow(&xs, &ys));
    }
    Ok(result)
}

/// The error for samples whose pairwise differences leave the double range
/// (the estimate is one of them, or the mean of two).
fn difference_overflow(xs: &[f64], ys: &[f64]) -> Error {
    let (lo, hi) = (
        |v: &[f64]| v.first().copied(),
        |v: &[f64]| v.last().copied(),
    );
    Error::invalid_input(
        "x",
        format!(
            "the shift between x (from {:?} to {:?}) and y (from {:?} to {:?}) exceeds the double range",
            lo(xs).unwrap_or(0.0),
            hi(xs).unwrap_or(0.0),
            lo(ys).unwrap_or(0.0),
            hi(ys).unwrap_or(0.0)
        ),
    )
    .in_family(ErrorFamily::Canary)
}

/// The p-value of a rank test and the 0-based ranks of its interval ends
/// among the pairwise differences (`None`: unbounded side).
struct RankTest {
    p_value: f64,
    z: Option<f64>,
    ci_ranks: [Option<u64>; 2],
    method: &'static str,
}

/// [`mann_whitney`] on samples already sorted ascending and checked finite;
/// `force_asymptotic` selects the normal approximation whatever the sizes (as
/// Kayenta's `exact = FALSE`).
pub(crate) fn mann_whitney_sorted(
    xs: &[f64],
    ys: &[f64],
    alternative: Alternative,
    confidence: f64,
    force_asymptotic: bool,
) -> MannWhitney {
    let (n, m) = (xs.len(), ys.len());
    let pairs = PairDiffs::new(xs, ys);
    let ranks = RankSummary::of(&pairs);
    let alpha = 1.0 - confidence;
    let exact = !force_asymptotic && n < EXACT_LIMIT && m < EXACT_LIMIT && !ranks.has_ties;
    let test = if exact {
        exact::test(n, m, ranks.u_x, alternative, alpha)
    } else {
        asymptotic::test(n, m, &ranks, alternative, alpha)
    };
    let (estimate, ci) = estimate_and_interval(&pairs, test.ci_ranks);
    // An end beyond the double range (a difference that overflowed) is
    // unbounded.
    let ci = [ci[0].and_then(bound), ci[1].and_then(bound)];
    MannWhitney {
        statistic: ranks.u_x,
        p_value: test.p_value,
        estimate,
        ci,
        method: test.method,
        alternative,
        confidence,
        z: test.z,
        n_x: n,
        n_y: m,
    }
}

/// The median of the pairwise differences and the differences at the
/// interval's ranks, selected together.
fn estimate_and_interval(
    pairs: &PairDiffs<'_>,
    ci_ranks: [Option<u64>; 2],
) -> (f64, [Option<f64>; 2]) {
    let median = pairs.median_ranks();
    let mut wanted = median.to_vec();
    wanted.extend(ci_ranks.iter().flatten());
    let values = pairs.select_many(&wanted);
    let value = |i: usize| values.get(i).copied().unwrap_or(f64::NAN);
    let estimate = if median[0] == median[1] {
        value(0)
    } else {
        0.5 * (value(0) + value(1))
    };
    let mut next = 2;
    let mut ci = [None, None];
    for (end, rank) in ci.iter_mut().zip(ci_ranks) {
        if rank.is_some() {
            *end = Some(value(next));
            next += 1;
        }
    }
    (estimate, ci)
}

/// -1, 0 or 1 by the sign of `v` (0 for zero and NaN, unlike `f64::signum`).
pub(crate) fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}
