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

use serde::Serialize;

use super::{
    bound, check_confidence, check_sample, check_size, norm_cdf, norm_quantile, norm_sf, sort_pair,
    Alternative, SplitMix64,
};
use crate::error::Result;

/// Samples smaller than this on both sides, without ties, use the exact null
/// distribution (as R's default `exact = NULL`).
pub const EXACT_LIMIT: usize = 50;

/// Result of [`mann_whitney`].
#[derive(Debug, Clone, PartialEq, Serialize)]
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
/// confidence outside (0, 1).
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
    Ok(mann_whitney_sorted(
        &xs,
        &ys,
        alternative,
        confidence,
        false,
    ))
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
    let n = xs.len();
    let m = ys.len();
    let nm = (n as f64) * (m as f64);
    let pairs = PairDiffs::new(xs, ys);
    let ranks = RankSummary::of(&pairs);
    let u = ranks.u_x;
    let alpha = 1.0 - confidence;
    let total = pairs.len();
    // The estimate and the interval ends are order statistics of the
    // differences: find their ranks first, then select them together.
    let median = pairs.median_ranks();

    let exact = !force_asymptotic && n < EXACT_LIMIT && m < EXACT_LIMIT && !ranks.has_ties;
    let (p_value, z, ci_ranks, method) = if exact {
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
        (p_value, None, ci_ranks, "exact")
    } else {
        let big_n = (n + m) as f64;
        let variance = |tie_sum: f64| {
            let v = (nm / 12.0) * ((big_n + 1.0) - tie_sum / (big_n * (big_n - 1.0)));
            v.max(0.0).sqrt()
        };
        let sigma = variance(ranks.tie_sum);
        let dz = u - nm / 2.0;
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
        let sigma_ci = variance(ranks.within_tie_sum);
        let root = |zq: f64| Some(crossing_rank(nm, sigma_ci, zq, alternative));
        let ci_ranks = match alternative {
            Alternative::TwoSided => [
                root(norm_quantile(1.0 - alpha / 2.0)),
                root(norm_quantile(alpha / 2.0)),
            ],
            Alternative::Greater => [root(norm_quantile(1.0 - alpha)), None],
            Alternative::Less => [None, root(norm_quantile(alpha))],
        };
        (p_value, z, ci_ranks, "asymptotic")
    };

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
    let ci = if exact {
        ci
    } else {
        [ci[0].and_then(bound), ci[1].and_then(bound)]
    };
    MannWhitney {
        statistic: u,
        p_value,
        estimate,
        ci,
        method,
        alternative,
        confidence,
        z,
        n_x: n,
        n_y: m,
    }
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

/// Rank-sum statistic and tie structure of two sorted samples.
struct RankSummary {
    /// U of x: pairs with x > y plus half the ties.
    u_x: f64,
    /// Σ (t³ − t) over tie groups of the combined sample.
    tie_sum: f64,
    /// Σ (t³ − t) over tie groups within x plus those within y.
    within_tie_sum: f64,
    /// Whether any two values of the combined sample are equal.
    has_ties: bool,
}

impl RankSummary {
    fn of(pairs: &PairDiffs<'_>) -> Self {
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
    fn merged(xs: &[f64], ys: &[f64]) -> Self {
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

/// The exact null distribution of U for sizes `n`, `m` without ties.
struct UDistribution {
    /// P(U = u) for u = 0..=n·m.
    pmf: Vec<f64>,
}

impl UDistribution {
    fn new(n: usize, m: usize) -> Self {
        // p[i][j](u): probability that U = u for sizes i, j. The largest of
        // the i + j values is an x with probability i/(i+j) (adding j to U),
        // else a y.
        // Keep one row per i for the current j.
        let mut rows: Vec<Vec<f64>> = (0..=n).map(|_| vec![1.0]).collect(); // j = 0: U = 0
        for j in 1..=m {
            let mut prev_i: Vec<f64> = vec![1.0]; // i = 0: U = 0
            let mut new_rows = Vec::with_capacity(n + 1);
            new_rows.push(prev_i.clone());
            for i in 1..=n {
                let size = i * j + 1;
                let mut row = vec![0.0; size];
                let wx = i as f64 / (i + j) as f64;
                let wy = j as f64 / (i + j) as f64;
                // From (i − 1, j): U increases by j.
                for (u, p) in prev_i.iter().enumerate() {
                    if let Some(slot) = row.get_mut(u + j) {
                        *slot += wx * p;
                    }
                }
                // From (i, j − 1): U unchanged.
                if let Some(left) = rows.get(i) {
                    for (slot, p) in row.iter_mut().zip(left) {
                        *slot += wy * p;
                    }
                }
                new_rows.push(row.clone());
                prev_i = row;
            }
            rows = new_rows;
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

/// The n·m pairwise differences `x[i] − y[j]` of two sorted samples, as a
/// sorted matrix: row `i` holds `x[i] − y[j]`, which decreases along `j`
/// (IEEE subtraction is monotone), and every column increases along `i`.
pub(crate) struct PairDiffs<'a> {
    x: &'a [f64],
    y: &'a [f64],
    /// All differences, sorted, when there are few enough of them.
    small: Option<Vec<f64>>,
    /// Brackets with at most this many differences are listed ([`BAND`];
    /// tests lower it to run every stage of the search on small inputs).
    band_limit: u64,
    /// Rows from which walks run on two threads ([`PARALLEL_ROWS`]; tests
    /// lower it).
    parallel_rows: usize,
}

/// Up to this many differences are materialised and sorted outright.
const DIRECT_LIMIT: u64 = 1 << 16;
/// Size of the deterministic sample of pairs that gives the first brackets.
const SAMPLE: usize = 1 << 14;
/// A bracket with at most this many differences is listed and selected.
const BAND: u64 = 1 << 17;
/// Blocks of rows walked in lockstep by one count, so that their dependency
/// chains (load, subtract, compare, advance) overlap.
const LANES: usize = 8;
/// Differences listed to choose a pivot when the search stalls on ties.
const PIVOT_CANDIDATES: usize = 1 << 12;
/// Rows from which the counts of one round run on two threads.
const PARALLEL_ROWS: usize = 1 << 15;

/// The state of one block of rows in [`PairDiffs::walk`].
#[derive(Clone, Copy, Default)]
struct Lane {
    /// Current row.
    i: usize,
    /// Current column: the differences of row `i` left of it are above `t`.
    j: usize,
    /// Steps until every row of the block is done.
    steps: usize,
    /// Differences above `t` in the rows done so far.
    above: u64,
    /// Whether a difference equal to `t` was met.
    equal: bool,
}

/// What the search does next for one rank.
enum Probe {
    /// The rank's value is known.
    Answer(f64),
    /// Count the differences at or below this point.
    Count(f64),
    /// Count the differences at or below `.1` and list those above `.0`.
    List(f64, f64),
    /// Count at a difference in `(.0, .1]` and just below it.
    Pivot(f64, f64),
}

/// Result of one [`PairDiffs::walk`].
#[derive(Clone, Copy)]
struct Walk {
    /// Differences `x[i] − y[j] > t`.
    above: u64,
    /// Whether some difference equals `t`.
    equal: bool,
}

impl<'a> PairDiffs<'a> {
    pub(crate) fn new(x: &'a [f64], y: &'a [f64]) -> Self {
        let total = x.len() as u64 * y.len() as u64;
        let small = (total <= DIRECT_LIMIT).then(|| {
            let mut all: Vec<f64> = x
                .iter()
                .flat_map(|a| y.iter().map(move |b| a - b))
                .collect();
            all.sort_unstable_by(f64::total_cmp);
            all
        });
        PairDiffs {
            x,
            y,
            small,
            band_limit: BAND,
            parallel_rows: PARALLEL_ROWS,
        }
    }

    fn len(&self) -> u64 {
        self.x.len() as u64 * self.y.len() as u64
    }

    /// The 0-based ranks whose mean is the median of the differences (one
    /// rank twice for an odd count).
    pub(crate) fn median_ranks(&self) -> [u64; 2] {
        let total = self.len();
        if total % 2 == 1 {
            [total / 2; 2]
        } else {
            [(total / 2).saturating_sub(1), total / 2]
        }
    }

    /// One two-pointer walk for the threshold `t`: in each row the column
    /// moves right while the difference is above `t`, and the first column
    /// at or below `t` moves right as `x[i]` grows. [`LANES`] blocks of rows
    /// are walked in lockstep, each step free of data-dependent branches;
    /// each block's step count is known in advance (its rows plus the
    /// columns its pointer crosses). With `RECORD`, `record[i]` receives row
    /// `i`'s first column at or below `t`. With `EQUAL`, the result tells
    /// whether some difference equals `t` (a third slower, so only when
    /// asked).
    fn walk<const RECORD: bool, const EQUAL: bool>(
        x: &[f64],
        y: &[f64],
        t: f64,
        record: &mut [usize],
    ) -> Walk {
        let n = x.len();
        let first = |a: f64| y.partition_point(|&b| a - b > t);
        let chunk = n.div_ceil(LANES).max(1);
        let mut lanes = [Lane::default(); LANES];
        for (k, lane) in lanes.iter_mut().enumerate() {
            let (start, end) = ((k * chunk).min(n), ((k + 1) * chunk).min(n));
            if let (Some(&a), Some(&z)) = (x.get(start), x.get(end.wrapping_sub(1))) {
                if start < end {
                    let (js, je) = (first(a), first(z));
                    *lane = Lane {
                        i: start,
                        j: js,
                        steps: (end - start) + (je - js),
                        above: 0,
                        equal: false,
                    };
                }
            }
        }
        let mut step = |lane: &mut Lane| {
            let a = x.get(lane.i).copied().unwrap_or(0.0);
            // Past the last column nothing is above t: the row is done.
            let b = y.get(lane.j).copied().unwrap_or(f64::INFINITY);
            let d = a - b;
            let done = usize::from(d <= t);
            if RECORD {
                // Rewritten until the row is done, then final.
                if let Some(slot) = record.get_mut(lane.i) {
                    *slot = lane.j;
                }
            }
            if EQUAL {
                lane.equal |= d == t;
            }
            lane.above += (done * lane.j) as u64;
            lane.i += done;
            lane.j += 1 - done;
        };
        let common = lanes.iter().map(|l| l.steps).min().unwrap_or(0);
        for _ in 0..common {
            for lane in lanes.iter_mut() {
                step(lane);
            }
        }
        for lane in lanes.iter_mut() {
            for _ in common..lane.steps {
                step(lane);
            }
        }
        Walk {
            above: lanes.iter().map(|l| l.above).sum(),
            equal: lanes.iter().any(|l| l.equal),
        }
    }

    /// Runs `work` on the two halves of the rows (with the matching halves
    /// of `scratch`), the upper half on a scoped worker thread when there
    /// are at least [`PARALLEL_ROWS`] rows; all rows at once otherwise. If the
    /// thread cannot be started or fails, this thread does its half: the
    /// result is the same either way.
    fn on_halves<R: Send>(
        &self,
        scratch: &mut [usize],
        work: impl Fn(&[f64], &mut [usize]) -> R + Sync,
    ) -> Vec<R> {
        let n = self.x.len();
        if n < self.parallel_rows.max(2) {
            return vec![work(self.x, scratch)];
        }
        let (low_rows, high_rows) = self.x.split_at(n / 2);
        let (low_scratch, high_scratch) = scratch.split_at_mut((n / 2).min(scratch.len()));
        let work = &work;
        let (low, high) = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("rollgate-rows".into())
                .spawn_scoped(scope, || work(high_rows, high_scratch));
            let low = work(low_rows, low_scratch);
            (low, worker.ok().and_then(|handle| handle.join().ok()))
        });
        let high = match high {
            Some(high) => high,
            None => {
                let (_, high_scratch) = scratch.split_at_mut((n / 2).min(scratch.len()));
                work(high_rows, high_scratch)
            }
        };
        vec![low, high]
    }

    /// `F(t)`, the number of differences `≤ t`, for each threshold.
    fn count_many(&self, ts: &[f64]) -> Vec<u64> {
        let above = self.on_halves(&mut [], |rows, _| {
            ts.iter()
                .map(|&t| Self::walk::<false, false>(rows, self.y, t, &mut []).above)
                .collect::<Vec<u64>>()
        });
        let total = self.len();
        (0..ts.len())
            .map(|i| total - above.iter().filter_map(|half| half.get(i)).sum::<u64>())
            .collect()
    }

    /// `F(b)` and the differences in `(a, b]`: all of them (`true`), or the
    /// first `cap` in row order when there are more (`false`). A walk for
    /// `b` records each row's first column at or below `b` in `first` (one
    /// slot per row, reused between calls); the row's differences from
    /// there on that are still above `a` belong to the band (a short scan,
    /// usually empty).
    fn band(&self, a: f64, b: f64, cap: usize, first: &mut Vec<usize>) -> (u64, Vec<f64>, bool) {
        first.resize(self.x.len(), 0);
        let halves = self.on_halves(first, |rows, first| {
            let above = Self::walk::<true, false>(rows, self.y, b, first).above;
            let mut out = Vec::new();
            for (&xi, &from) in rows.iter().zip(first.iter()) {
                let mut j = from;
                while let Some(&yj) = self.y.get(j) {
                    let d = xi - yj;
                    if d <= a {
                        break;
                    }
                    if out.len() == cap {
                        return (above, out, false);
                    }
                    out.push(d);
                    j += 1;
                }
            }
            (above, out, true)
        });
        let f_b = self.len() - halves.iter().map(|h| h.0).sum::<u64>();
        let mut band = Vec::new();
        let mut complete = true;
        for (_, part, whole) in halves {
            complete &= whole;
            band.extend(part);
        }
        if band.len() > cap {
            band.truncate(cap);
            complete = false;
        }
        (f_b, band, complete)
    }

    /// The `k`-th smallest difference (0-based) for each `k` of `ks` (each
    /// below n·m), found together: counts made for one rank bracket the
    /// others, and the counts of one round run together.
    ///
    /// For each rank the search keeps a bracket `a < answer ≤ b` with
    /// `F(a) ≤ k < F(b)`. A deterministic sample of pairs gives the first
    /// brackets; then two points aimed just below and just above rank `k`
    /// by interpolation of `F` narrow it (falling back to bisection when
    /// that stops paying off), until at most [`BAND`] differences remain,
    /// which are listed in one pass and selected directly. Each count is one
    /// O(n + m) walk.
    pub(crate) fn select_many(&self, ks: &[u64]) -> Vec<f64> {
        if let Some(all) = &self.small {
            return ks
                .iter()
                .map(|&k| all.get(k as usize).copied().unwrap_or(f64::NAN))
                .collect();
        }
        let (n, m) = (self.x.len(), self.y.len());
        let total = self.len();
        let first = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        // Points (t, F(t)): F(below the lowest) = 0, F(highest) = total.
        let mut known: Vec<(f64, u64)> = vec![
            (next_down(first(self.x) - last(self.y)), 0),
            (last(self.x) - first(self.y), total),
        ];
        let bracket = |known: &[(f64, u64)], k: u64| {
            let mut lo = (f64::NEG_INFINITY, 0u64);
            let mut hi = (f64::INFINITY, total);
            for &(t, ft) in known {
                if ft <= k && t > lo.0 {
                    lo = (t, ft);
                } else if ft > k && t < hi.0 {
                    hi = (t, ft);
                }
            }
            (lo, hi)
        };

        // A deterministic uniform sample of pairs brackets every rank; the
        // brackets of nearby ranks are merged so that a cluster of ranks
        // (an estimate and its interval ends) costs two counts.
        let mut rng = SplitMix64(0x5EED_CA9A_7E57_0001);
        let mut sample: Vec<f64> = (0..SAMPLE)
            .map(|_| {
                let i = rng.below(n as u64) as usize;
                let j = rng.below(m as u64) as usize;
                self.x.get(i).copied().unwrap_or(f64::NAN)
                    - self.y.get(j).copied().unwrap_or(f64::NAN)
            })
            .collect();
        sample.sort_unstable_by(f64::total_cmp);
        let s = SAMPLE as f64;
        let mut order: Vec<u64> = ks.to_vec();
        order.sort_unstable();
        order.dedup();
        // None is an open end: below the lowest or above the highest.
        let overlaps = |upper: Option<f64>, lower: Option<f64>| match (upper, lower) {
            (Some(u), Some(l)) => l <= u,
            _ => true,
        };
        let mut spans: Vec<(Option<f64>, Option<f64>)> = Vec::new();
        for &k in &order {
            let p = (k as f64 + 0.5) / total as f64;
            let delta = 3.5 * (s * p * (1.0 - p)).sqrt() + 1.0;
            let lo = sample
                .get(((p * s - delta).floor().max(0.0)) as usize)
                .copied();
            let lo = lo.filter(|_| p * s - delta >= 0.0);
            let hi = sample.get(((p * s + delta).ceil()) as usize).copied();
            match spans.last_mut() {
                Some(span) if overlaps(span.1, lo) => {
                    span.1 = match (span.1, hi) {
                        (Some(p), Some(q)) => Some(p.max(q)),
                        _ => None,
                    };
                }
                _ => spans.push((lo, hi)),
            }
        }
        let mut proposals: Vec<f64> = spans.iter().flat_map(|&(a, b)| [a, b]).flatten().collect();
        // A value drawn more than once is probably a run of equal
        // differences (rounded data): counting just below it too often
        // settles the ranks inside the run at once.
        let drawn = |t: f64| {
            let from = sample.partition_point(|&v| v < t);
            sample.get(from + 1).is_some_and(|&v| v == t)
        };
        let runs: Vec<f64> = proposals
            .iter()
            .filter(|&&t| drawn(t))
            .map(|&t| next_down(t))
            .collect();
        proposals.extend(runs);

        let mut answers: Vec<Option<f64>> = vec![None; order.len()];
        let mut previous: Vec<Option<u64>> = vec![None; order.len()];
        let margin = (self.band_limit / 4) as f64;
        // Listed bands `((lo, hi), the differences in (lo, hi])`, and the
        // bands to list next round.
        let mut listed: Vec<((f64, f64), Vec<f64>)> = Vec::new();
        let mut requests: Vec<(f64, f64)> = Vec::new();
        let mut pivots: Vec<(f64, f64)> = Vec::new();
        let mut first = Vec::new();
        loop {
            proposals.sort_unstable_by(f64::total_cmp);
            proposals.dedup();
            if !proposals.is_empty() {
                let counts = self.count_many(&proposals);
                known.extend(proposals.iter().copied().zip(counts));
                proposals.clear();
            }
            for (lo, hi) in requests.drain(..) {
                let (f_hi, band, complete) =
                    self.band(lo, hi, 2 * self.band_limit as usize, &mut first);
                known.push((hi, f_hi));
                if complete {
                    known.push((lo, f_hi - band.len() as u64));
                    listed.push(((lo, hi), band));
                }
            }
            for (lo, hi) in pivots.drain(..) {
                // Stalled on a run of equal differences: count at a real
                // difference of the bracket (the median of the first few
                // listed) and just below it. Either it is the answer, or the
                // bracket loses at least that value's run.
                let (_, mut some, _) = self.band(lo, hi, PIVOT_CANDIDATES, &mut first);
                let middle = some.len() / 2;
                if let Some((_, &mut d, _)) =
                    (!some.is_empty()).then(|| some.select_nth_unstable_by(middle, f64::total_cmp))
                {
                    let points = [next_down(d), d];
                    let counts = self.count_many(&points);
                    known.extend(points.into_iter().zip(counts));
                }
            }
            // The last rank that proposed points, and its bracket.
            let mut leader: Option<(u64, f64, f64)> = None;
            for ((&k, answer), prev) in order
                .iter()
                .zip(answers.iter_mut())
                .zip(previous.iter_mut())
            {
                if answer.is_some() {
                    continue;
                }
                let ((a, fa), (b, fb)) = bracket(&known, k);
                let width = fb - fa;
                if width <= self.band_limit
                    || listed.iter().any(|((lo, hi), _)| *lo <= a && b <= *hi)
                {
                    continue;
                }
                // A rank next to one that shares its bracket (the two middle
                // ranks of an even count) is served by that one's points.
                if leader
                    .is_some_and(|(lk, la, lb)| la == a && lb == b && k - lk < self.band_limit / 8)
                {
                    continue;
                }
                let action = 'decide: {
                    if next_down(b) <= a {
                        // No double between a and b: the answer is b.
                        break 'decide Probe::Answer(b);
                    }
                    let bisect = match *prev {
                        Some(before) if before == width => {
                            // No progress: a run of equal differences.
                            *prev = Some(width);
                            break 'decide Probe::Pivot(a, b);
                        }
                        Some(before) => width * 2 > before,
                        None => false,
                    };
                    // The first time, aim one point at the rank itself: it
                    // lands close, and the counts of nearby ranks then give
                    // the local slope for the two points aimed around it
                    // next round.
                    let first_aim = prev.is_none();
                    *prev = Some(if first_aim { u64::MAX } else { width });
                    let inside = |t: f64| t > a && t < b;
                    let mid = 0.5 * (a + b);
                    let at = |rank: f64| {
                        let frac = (rank - fa as f64) / (fb - fa) as f64;
                        a + (b - a) * frac.clamp(0.0, 1.0)
                    };
                    if bisect || (first_aim && !inside(at(k as f64 + 0.5))) {
                        if inside(mid) {
                            Probe::Count(mid)
                        } else {
                            // a and b are adjacent doubles: the answer is b.
                            Probe::Answer(b)
                        }
                    } else if first_aim {
                        Probe::Count(at(k as f64 + 0.5))
                    } else {
                        // Two points aimed around the rank, and the
                        // differences between them listed in the same walk
                        // (given up if there are too many): when they
                        // bracket the rank, the search is over.
                        let lo = Some(at(k as f64 + 0.5 - margin)).filter(|&t| inside(t));
                        let hi = Some(at(k as f64 + 0.5 + margin)).filter(|&t| inside(t));
                        Probe::List(lo.unwrap_or(a), hi.unwrap_or(b))
                    }
                };
                match action {
                    Probe::Answer(value) => *answer = Some(value),
                    Probe::Count(t) => {
                        proposals.push(t);
                        leader = Some((k, a, b));
                    }
                    Probe::List(lo, hi) => {
                        requests.push((lo, hi));
                        leader = Some((k, a, b));
                    }
                    Probe::Pivot(lo, hi) => {
                        if !pivots.contains(&(lo, hi)) {
                            pivots.push((lo, hi));
                        }
                        leader = Some((k, a, b));
                    }
                }
            }
            if proposals.is_empty() && requests.is_empty() && pivots.is_empty() {
                break;
            }
        }

        // Select each remaining rank within a listed band that covers its
        // bracket, listing the bracket if none does. Every rank left here
        // has at most `band_limit` differences in its bracket: the loop
        // above only ends when no rank needs another probe.
        for (&k, answer) in order.iter().zip(answers.iter_mut()) {
            if answer.is_some() {
                continue;
            }
            let ((a, fa), (b, _)) = bracket(&known, k);
            let index = match listed.iter().position(|((lo, hi), _)| *lo <= a && b <= *hi) {
                Some(index) => index,
                None => {
                    let (_, band, _) = self.band(a, b, 2 * self.band_limit as usize, &mut first);
                    listed.push(((a, b), band));
                    listed.len() - 1
                }
            };
            let Some(((lo, hi), band)) = listed.get_mut(index) else {
                continue;
            };
            let mut inside: Vec<f64>;
            let values: &mut [f64] = if (*lo, *hi) == (a, b) {
                band
            } else {
                inside = band.iter().copied().filter(|&d| d > a && d <= b).collect();
                &mut inside
            };
            let r = ((k - fa) as usize).min(values.len().saturating_sub(1));
            *answer = Some(if values.is_empty() {
                b
            } else {
                *values.select_nth_unstable_by(r, f64::total_cmp).1
            });
        }
        ks.iter()
            .map(|k| {
                order
                    .binary_search(k)
                    .ok()
                    .and_then(|i| answers.get(i).copied().flatten())
                    // A bracket end found by halving may be -0.0; no
                    // difference of the (normalised) samples is.
                    .map_or(f64::NAN, |v| v + 0.0)
            })
            .collect()
    }
}

/// The largest double below `v`.
fn next_down(v: f64) -> f64 {
    if v.is_nan() || v == f64::NEG_INFINITY {
        return v;
    }
    if v == 0.0 {
        return -f64::from_bits(1);
    }
    let bits = v.to_bits();
    f64::from_bits(if v > 0.0 { bits - 1 } else { bits + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(x: &[f64], y: &[f64]) -> Vec<f64> {
        let mut d: Vec<f64> = x
            .iter()
            .flat_map(|a| y.iter().map(move |b| a - b))
            .collect();
        d.sort_by(f64::total_cmp);
        d
    }

    #[test]
    fn kayenta_vector() {
        let r = mann_whitney(
            &[10.0, 20.0, 30.0, 40.0],
            &[1.0, 2.0, 3.0, 4.0],
            Alternative::TwoSided,
            0.95,
        )
        .unwrap();
        assert_eq!(r.estimate, 22.5);
        // Kayenta forces the normal approximation.
        let a = mann_whitney_sorted(
            &[10.0, 20.0, 30.0, 40.0],
            &[1.0, 2.0, 3.0, 4.0],
            Alternative::TwoSided,
            0.95,
            true,
        );
        assert_eq!(a.ci, [Some(6.0), Some(39.0)]);
        assert_eq!(a.estimate, 22.5);
    }

    #[test]
    fn selection_matches_brute_force() {
        let mut rng = SplitMix64(7);
        for case in 0..24 {
            let (n, m) = if case < 4 {
                // Large enough to run the interpolation steps.
                (600 + case * 37, 700 - case * 41)
            } else {
                (1 + (rng.below(300) as usize), 1 + (rng.below(400) as usize))
            };
            let levels = if case % 3 == 0 { 5 } else { 1_000_000 };
            let x: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64).collect();
            let y: Vec<f64> = (0..m).map(|_| rng.below(levels) as f64 * 0.5).collect();
            let (xs, ys) = crate::stats::sorted_pair(&x, &y);
            let mut pairs = PairDiffs::new(&xs, &ys);
            pairs.small = None; // exercise the selection itself
            if case % 2 == 1 {
                pairs.band_limit = 32; // and every stage of it
            }
            let all = brute(&xs, &ys);
            let last = all.len() - 1;
            let ks: Vec<u64> = [
                0,
                1,
                last / 40,
                last / 3,
                last / 2,
                last / 2 + 1,
                last - 1,
                last,
            ]
            .iter()
            .map(|&k| k.min(last) as u64)
            .collect();
            // Together, and each alone (a different search path).
            let together = pairs.select_many(&ks);
            for (&k, &v) in ks.iter().zip(&together) {
                assert_eq!(v, all[k as usize], "case {case} k {k}");
                assert_eq!(
                    pairs.select_many(&[k]),
                    vec![all[k as usize]],
                    "case {case} k {k}"
                );
            }
        }
    }

    #[test]
    fn large_selection_matches_brute_force() {
        // Big enough for every stage: sample brackets, one aimed point,
        // listed bands and, with ties, bisection.
        let mut rng = SplitMix64(5);
        for (levels, parallel_rows) in [
            (u64::MAX >> 11, 64),
            (50, 64),
            (u64::MAX >> 11, PARALLEL_ROWS),
        ] {
            let x: Vec<f64> = (0..2500)
                .map(|_| (rng.below(levels) as f64).sqrt())
                .collect();
            let y: Vec<f64> = (0..1800)
                .map(|_| (rng.below(levels) as f64).sqrt() * 1.1)
                .collect();
            let (xs, ys) = crate::stats::sorted_pair(&x, &y);
            let mut pairs = PairDiffs::new(&xs, &ys);
            let all = brute(&xs, &ys);
            let last = all.len() as u64 - 1;
            pairs.band_limit = 64;
            pairs.parallel_rows = parallel_rows;
            let mid = last / 2;
            let ks = [
                0,
                77,
                mid - 3_000_000 / 100,
                mid,
                mid + 1,
                mid + 17_000,
                last - 5,
                last,
            ];
            let got = pairs.select_many(&ks);
            for (&k, &v) in ks.iter().zip(&got) {
                assert_eq!(v, all[k as usize], "levels {levels} k {k}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Any samples (few levels for ties, extremes, mixed signs), any
        /// ranks, every stage forced small: the same order statistics as
        /// sorting all the differences.
        #[test]
        fn selection_is_exact_on_arbitrary_samples(
            x in proptest::collection::vec(-6i32..6, 1..120),
            y in proptest::collection::vec(-6i32..6, 1..120),
            scale in proptest::sample::select(vec![1.0, 0.1, 1e-300, 1e300, 3.7]),
            picks in proptest::collection::vec(0.0f64..1.0, 1..6),
            band_limit in 1u64..40,
        ) {
            let x: Vec<f64> = x.iter().map(|&v| f64::from(v) * scale).collect();
            let y: Vec<f64> = y.iter().map(|&v| f64::from(v) * scale * 0.75).collect();
            let (xs, ys) = crate::stats::sorted_pair(&x, &y);
            let all = brute(&xs, &ys);
            let mut pairs = PairDiffs::new(&xs, &ys);
            pairs.small = None;
            pairs.band_limit = band_limit;
            pairs.parallel_rows = 16;
            let last = all.len() - 1;
            let ks: Vec<u64> = picks.iter().map(|p| (p * last as f64).round() as u64).collect();
            let got = pairs.select_many(&ks);
            for (&k, &v) in ks.iter().zip(&got) {
                proptest::prop_assert_eq!(v.to_bits(), all[k as usize].to_bits(), "k {}", k);
            }
        }
    }

    #[test]
    fn untied_walk_agrees_with_the_merge() {
        let mut rng = SplitMix64(11);
        for case in 0..40 {
            let n = 1 + rng.below(500) as usize;
            let m = 1 + rng.below(500) as usize;
            // Few levels give ties across and within; many give none.
            let levels = if case % 2 == 0 { 1 << 40 } else { 20 };
            let x: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64 - 7.0).collect();
            let y: Vec<f64> = (0..m).map(|_| rng.below(levels) as f64).collect();
            let (xs, ys) = crate::stats::sorted_pair(&x, &y);
            let mut pairs = PairDiffs::new(&xs, &ys);
            pairs.parallel_rows = if case % 4 < 2 { 8 } else { PARALLEL_ROWS };
            let fast = RankSummary::of(&pairs);
            let slow = RankSummary::merged(&xs, &ys);
            assert_eq!(fast.u_x, slow.u_x, "case {case}");
            assert_eq!(fast.has_ties, slow.has_ties, "case {case}");
            assert_eq!(fast.tie_sum, slow.tie_sum, "case {case}");
            let brute: f64 = x
                .iter()
                .flat_map(|a| {
                    y.iter()
                        .map(move |b| (a > b) as u8 as f64 + 0.5 * (a == b) as u8 as f64)
                })
                .sum();
            assert_eq!(fast.u_x, brute, "case {case}");
        }
    }

    #[test]
    fn exact_distribution_sums_to_one_and_is_symmetric() {
        let d = UDistribution::new(4, 6);
        assert!((d.pmf.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        for u in 0..=24 {
            assert!((d.pmf[u] - d.pmf[24 - u]).abs() < 1e-15);
        }
        // 1 / C(10, 4) for the extreme.
        assert!((d.pmf[0] - 1.0 / 210.0).abs() < 1e-16);
    }

    #[test]
    fn rejects_bad_input() {
        let e = mann_whitney(&[1.0, f64::NAN], &[1.0], Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "x/1"));
        let e = mann_whitney(&[], &[1.0], Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let e = mann_whitney(&[1.0], &[1.0], Alternative::TwoSided, 1.0).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_config", "confidence"));
    }

    #[test]
    fn constant_data_is_not_a_shift() {
        let r = mann_whitney(&[5.0; 60], &[5.0; 60], Alternative::TwoSided, 0.95).unwrap();
        assert_eq!(r.p_value, 1.0);
        assert_eq!(r.ci, [Some(0.0), Some(0.0)]);
    }
}
