//! Mann-Whitney U (Wilcoxon rank-sum) test with the Hodges-Lehmann shift
//! estimate and its confidence interval, as R's
//! `wilcox.test(x, y, conf.int = TRUE, correct = TRUE)`.
//!
//! Scales to millions of values per side in O((n + m) log(n + m)): the samples
//! are sorted once; the statistic and tie correction come from one merge; the
//! estimate and the interval are order statistics of the n·m pairwise
//! differences, selected on the two sorted samples without materialising them
//! (each difference row `x[i] − y[·]` is sorted, so counting the differences
//! below a value is a two-pointer walk, and a deterministic sample of the
//! remaining candidates brackets the wanted rank in a few rounds).

use serde::Serialize;

use super::{
    bound, check_confidence, check_sample, check_size, norm_cdf, norm_quantile, norm_sf, sorted,
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
    check_size(x, 1, "x")?;
    check_size(y, 1, "y")?;
    check_sample(x, "x")?;
    check_sample(y, "y")?;
    check_confidence(confidence, "confidence")?;
    let xs = sorted(x);
    let ys = sorted(y);
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
    let ranks = RankSummary::of(xs, ys);
    let u = ranks.u_x;
    let alpha = 1.0 - confidence;
    let pairs = PairDiffs::new(xs, ys);
    let estimate = pairs.median();

    let exact = !force_asymptotic && n < EXACT_LIMIT && m < EXACT_LIMIT && !ranks.has_ties;
    if exact {
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
        let total = pairs.len();
        // R: qu <- qwilcox(alpha/2 or alpha); if (qu == 0) qu <- 1; ql <- nm - qu;
        // interval c(diffs[qu], diffs[ql + 1]) (1-based).
        let q = |p: f64| dist.quantile(p).max(1);
        let ci = match alternative {
            Alternative::TwoSided => {
                let qu = q(alpha / 2.0);
                let ql = total - qu;
                [
                    Some(pairs.select(qu - 1)),
                    Some(pairs.select(ql.min(total - 1))),
                ]
            }
            Alternative::Greater => [Some(pairs.select(q(alpha) - 1)), None],
            Alternative::Less => {
                let ql = total - q(alpha);
                [None, Some(pairs.select(ql.min(total - 1)))]
            }
        };
        return MannWhitney {
            statistic: u,
            p_value,
            estimate,
            ci,
            method: "exact",
            alternative,
            confidence,
            z: None,
            n_x: n,
            n_y: m,
        };
    }

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

    // Between two consecutive pairwise differences there are no ties across
    // the samples, so the interval's statistic uses the within-sample ties only.
    let sigma_ci = variance(ranks.within_tie_sum);
    let root = |zq: f64, alt: Alternative| -> f64 {
        let k = crossing_rank(nm, sigma_ci, zq, alt);
        pairs.select(k)
    };
    let ci = match alternative {
        Alternative::TwoSided => [
            Some(root(norm_quantile(1.0 - alpha / 2.0), alternative)),
            Some(root(norm_quantile(alpha / 2.0), alternative)),
        ],
        Alternative::Greater => [Some(root(norm_quantile(1.0 - alpha), alternative)), None],
        Alternative::Less => [None, Some(root(norm_quantile(alpha), alternative))],
    };
    MannWhitney {
        statistic: u,
        p_value,
        estimate,
        ci: [ci[0].and_then(bound), ci[1].and_then(bound)],
        method: "asymptotic",
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
    fn of(xs: &[f64], ys: &[f64]) -> Self {
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
/// sorted matrix: row `i`, column `a` holds `x[i] − y[m − 1 − a]`, which is
/// non-decreasing along rows and columns (IEEE subtraction is monotone).
pub(crate) struct PairDiffs<'a> {
    x: &'a [f64],
    y: &'a [f64],
    /// All differences, sorted, when there are few enough of them.
    small: Option<Vec<f64>>,
    /// Points `(t, number of differences ≤ t)` counted so far.
    known: std::cell::RefCell<Vec<(f64, u64)>>,
}

/// Up to this many differences are materialised and sorted outright.
const DIRECT_LIMIT: u64 = 1 << 16;
/// Size of the deterministic sample of pairs that gives the first bracket.
const SAMPLE: usize = 1 << 14;
/// A bracket with at most this many differences is listed and selected.
const BAND: u64 = 1 << 17;

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
            known: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn len(&self) -> u64 {
        self.x.len() as u64 * self.y.len() as u64
    }

    /// The median of the differences (mean of the two middle ones for an
    /// even count).
    pub(crate) fn median(&self) -> f64 {
        let total = self.len();
        if total == 0 {
            return f64::NAN;
        }
        if total % 2 == 1 {
            self.select(total / 2)
        } else {
            let (a, b) = self.select_pair(total / 2 - 1);
            0.5 * (a + b)
        }
    }

    /// The `k`-th (0-based) and `k + 1`-th smallest differences.
    fn select_pair(&self, k: u64) -> (f64, f64) {
        if let Some(all) = &self.small {
            let at = |i: u64| all.get(i as usize).copied().unwrap_or(f64::NAN);
            return (at(k), at(k + 1));
        }
        let (a, next) = self.select_with_next(k);
        match next {
            Some(b) => (a, b),
            None => (a, self.select(k + 1)),
        }
    }

    /// The number of differences `≤ t` (or `< t` when `strict`), by one
    /// two-pointer walk: for each `x[i]`, the differences `x[i] − y[j]`
    /// decrease in `j`, and the first `j` where they drop to `t` moves right
    /// as `x[i]` grows.
    fn count(&self, t: f64, strict: bool) -> u64 {
        // Four independent merges over four blocks of rows, interleaved so
        // that their dependency chains (load, subtract, compare, advance)
        // overlap; each step is free of data-dependent branches.
        const LANES: usize = 4;
        let (n, m) = (self.x.len(), self.y.len());
        let outside = |d: f64| if strict { d >= t } else { d > t };
        let chunk = n.div_ceil(LANES).max(1);
        let mut row = [0usize; LANES];
        let mut end = [0usize; LANES];
        let mut col = [0usize; LANES];
        for (k, ((r, e), c)) in row
            .iter_mut()
            .zip(end.iter_mut())
            .zip(col.iter_mut())
            .enumerate()
        {
            *r = (k * chunk).min(n);
            *e = ((k + 1) * chunk).min(n);
            if let Some(&xs) = self.x.get(*r) {
                // First column whose difference is inside (differences
                // decrease along y).
                *c = self.y.partition_point(|&yj| outside(xs - yj));
            }
        }
        let mut total = [0u64; LANES];
        loop {
            let mut any = false;
            for (((r, e), c), tot) in row
                .iter_mut()
                .zip(end.iter())
                .zip(col.iter_mut())
                .zip(total.iter_mut())
            {
                if *r < *e && *c < m {
                    any = true;
                    let d = self.x.get(*r).copied().unwrap_or(f64::NAN)
                        - self.y.get(*c).copied().unwrap_or(f64::NAN);
                    let step_y = usize::from(outside(d));
                    *tot += ((1 - step_y) * (m - *c)) as u64;
                    *c += step_y;
                    *r += 1 - step_y;
                }
            }
            if !any {
                break;
            }
        }
        total.iter().sum()
    }

    /// Every difference in `(a, b]`, in one two-pointer walk.
    fn band(&self, a: f64, b: f64, capacity: usize) -> Vec<f64> {
        let m = self.y.len();
        let (mut pa, mut pb) = (0usize, 0usize); // first j with diff <= a, <= b
        let mut out = Vec::with_capacity(capacity);
        for &xi in self.x {
            while pb < m && self.y.get(pb).is_some_and(|yj| xi - yj > b) {
                pb += 1;
            }
            if pa < pb {
                pa = pb;
            }
            while pa < m && self.y.get(pa).is_some_and(|yj| xi - yj > a) {
                pa += 1;
            }
            if let Some(ys) = self.y.get(pb..pa) {
                out.extend(ys.iter().map(|yj| xi - yj));
            }
        }
        out
    }

    /// The `k`-th smallest difference (0-based), `k < n·m`.
    pub(crate) fn select(&self, k: u64) -> f64 {
        if let Some(all) = &self.small {
            return all.get(k as usize).copied().unwrap_or(f64::NAN);
        }
        self.select_with_next(k).0
    }

    /// The `k`-th smallest difference and, when it is known without another
    /// search, the `k + 1`-th.
    ///
    /// Keeps a bracket `a < answer ≤ b` with `F(a) ≤ k < F(b)`, `F(t)` the
    /// number of differences `≤ t`. A deterministic sample of pairs gives
    /// the first bracket; then two points aimed just below and just above
    /// rank `k` by interpolation of `F` narrow it (falling back to
    /// bisection), until at most `BAND` differences remain, which are
    /// listed in one walk and selected directly. Each step costs one
    /// O(n + m) count.
    fn select_with_next(&self, k: u64) -> (f64, Option<f64>) {
        // Counts made by earlier searches bracket later ones: the interval
        // ends lie close to the median.
        let mut known = self.known.take();
        let out = self.select_known(k, &mut known);
        self.known.replace(known);
        out
    }

    /// The search itself, with the list of `(t, F(t))` points counted so far.
    fn select_known(&self, k: u64, known: &mut Vec<(f64, u64)>) -> (f64, Option<f64>) {
        let n = self.x.len();
        let m = self.y.len();
        let total = self.len();
        let first = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        let (lowest, highest) = (first(self.x) - last(self.y), last(self.x) - first(self.y));
        // F(below lowest) = 0 and F(highest) = total.
        let mut a = next_down(lowest);
        let mut fa = 0u64;
        let mut b = highest;
        let mut fb = total;
        for &(t, ft) in known.iter() {
            if ft <= k && t > a {
                a = t;
                fa = ft;
            } else if ft > k && t < b {
                b = t;
                fb = ft;
            }
        }

        // A deterministic uniform sample of pairs brackets rank k.
        let mut rng = SplitMix64(0x5EED_CA9A_7E57_0001 ^ k);
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
        let p = (k as f64 + 0.5) / total as f64;
        let delta = 3.5 * (s * p * (1.0 - p)).sqrt() + 1.0;
        let guesses = [
            sample
                .get(((p * s - delta).floor().max(0.0)) as usize)
                .copied(),
            sample.get(((p * s + delta).ceil()) as usize).copied(),
        ];
        let mut update = |t: f64, a: &mut f64, fa: &mut u64, b: &mut f64, fb: &mut u64| {
            if t > *a && t < *b {
                let ft = self.count(t, false);
                known.push((t, ft));
                if ft <= k {
                    *a = t;
                    *fa = ft;
                } else {
                    *b = t;
                    *fb = ft;
                }
            }
        };
        if fb - fa > BAND {
            for t in guesses.into_iter().flatten() {
                update(t, &mut a, &mut fa, &mut b, &mut fb);
            }
        }

        let margin = (BAND / 4) as f64;
        let mut bisect = false;
        while fb - fa > BAND {
            let width = fb - fa;
            if bisect {
                let mid = 0.5 * (a + b);
                if mid <= a || mid >= b {
                    // a and b are adjacent doubles: the answer is b.
                    return (b, None);
                }
                update(mid, &mut a, &mut fa, &mut b, &mut fb);
            } else {
                let at = |rank: f64| {
                    let frac = (rank - fa as f64) / (fb - fa) as f64;
                    a + (b - a) * frac.clamp(0.0, 1.0)
                };
                let lo = at(k as f64 + 0.5 - margin);
                let hi = at(k as f64 + 0.5 + margin);
                update(lo, &mut a, &mut fa, &mut b, &mut fb);
                update(hi, &mut a, &mut fa, &mut b, &mut fb);
            }
            let shrunk = fb - fa;
            if shrunk == width {
                // No progress: a run of equal differences? If every
                // difference below b counts at most k, the answer is b.
                if self.count(b, true) <= k {
                    return (b, None);
                }
            }
            // Fall back to bisection when interpolation stops paying off.
            bisect = shrunk * 2 > width;
        }
        let mut band = self.band(a, b, (fb - fa) as usize);
        let r = (k - fa) as usize;
        if band.is_empty() {
            return (b, None);
        }
        let r = r.min(band.len() - 1);
        let (_, v, rest) = band.select_nth_unstable_by(r, f64::total_cmp);
        let value = *v;
        let next = rest.iter().copied().min_by(f64::total_cmp);
        (value, next)
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
            let (xs, ys) = (sorted(&x), sorted(&y));
            let mut pairs = PairDiffs::new(&xs, &ys);
            pairs.small = None; // exercise the selection itself
            let all = brute(&xs, &ys);
            for k in [
                0,
                1,
                all.len() / 40,
                all.len() / 3,
                all.len() / 2,
                all.len() - 2,
                all.len() - 1,
            ] {
                let k = k.min(all.len() - 1);
                assert_eq!(pairs.select(k as u64), all[k], "case {case} k {k}");
                if k + 1 < all.len() {
                    assert_eq!(
                        pairs.select_pair(k as u64),
                        (all[k], all[k + 1]),
                        "pair {case} {k}"
                    );
                }
            }
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
