//! The n·m pairwise differences of two sorted samples, never materialised
//! (except for tiny samples): counting the differences at or below a value
//! is one O(n + m) two-pointer walk, and the differences between two values
//! can be listed in the same walk.

use crate::parallel::join_mut;

/// The n·m pairwise differences `x[i] − y[j]` of two sorted samples, as a
/// sorted matrix: row `i` holds `x[i] − y[j]`, which decreases along `j`
/// (IEEE subtraction is monotone), and every column increases along `i`.
pub(crate) struct PairDiffs<'a> {
    pub(super) x: &'a [f64],
    pub(super) y: &'a [f64],
    /// All differences, sorted, when there are few enough of them.
    pub(super) small: Option<Vec<f64>>,
    /// Brackets with at most this many differences are listed ([`BAND`];
    /// tests lower it to run every stage of the search on small inputs).
    pub(super) band_limit: u64,
    /// Rows from which walks run on two threads ([`PARALLEL_ROWS`]; tests
    /// lower it).
    pub(super) parallel_rows: usize,
    /// Size of the deterministic sample of pairs that gives the first
    /// brackets ([`SAMPLE`]).
    pub(super) sample: usize,
}

// Sizes chosen by measurement (CPU time per call, `perf stat`, 2026-11-27):
// with the former fixed sizes (all n·m ≤ 65,536 differences sorted, a
// 16,384-pair sample, bands of 131,072) the fixed cost dominated from 200 to
// 10,000 values per side: 200 vs 200 took 1.57 ms, now 0.04 ms; 1,000 vs
// 1,000 2.1 ms, now 0.09 ms. Sorting all differences only beats the walks
// below about 32 x 32 (50 x 50: 70 µs sorted, 19 µs walked).

/// Up to this many differences are materialised and sorted outright.
const DIRECT_LIMIT: u64 = 1 << 10;
/// A bracket with at most this many differences is listed and selected:
/// a quarter of n + m (listing costs about one walk), within these bounds.
pub(super) const BAND: u64 = 1 << 17;
/// The smallest band limit.
const MIN_BAND: u64 = 64;
/// Size of the deterministic sample of pairs that gives the first
/// brackets: an eighth of n + m, within these bounds.
const SAMPLE: usize = 1 << 14;
/// The smallest sample.
const MIN_SAMPLE: usize = 64;
/// Blocks of rows walked in lockstep by one count, so that their dependency
/// chains (load, subtract, compare, advance) overlap.
const LANES: usize = 8;
/// Differences listed to choose a pivot when the search stalls on ties.
pub(super) const PIVOT_CANDIDATES: usize = 1 << 12;
/// Rows from which the counts of one round run on two threads.
pub(super) const PARALLEL_ROWS: usize = 1 << 15;

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

/// Result of one [`PairDiffs::walk`].
#[derive(Clone, Copy)]
pub(super) struct Walk {
    /// Differences `x[i] − y[j] > t`.
    pub(super) above: u64,
    /// Whether some difference equals `t`.
    pub(super) equal: bool,
}

impl<'a> PairDiffs<'a> {
    pub(crate) fn new(x: &'a [f64], y: &'a [f64]) -> Self {
        let total = x.len() as u64 * y.len() as u64;
        let size = x.len() + y.len();
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
            band_limit: (size as u64 / 4).clamp(MIN_BAND, BAND),
            parallel_rows: PARALLEL_ROWS,
            sample: (size / 8).clamp(MIN_SAMPLE, SAMPLE),
        }
    }

    pub(super) fn len(&self) -> u64 {
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
    pub(super) fn walk<const RECORD: bool, const EQUAL: bool>(
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
    /// of `scratch`), the upper half on a second thread
    /// ([`join_mut`]) when there are at least [`PARALLEL_ROWS`] rows; all
    /// rows at once otherwise. The result is the same either way.
    pub(super) fn on_halves<R: Send>(
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
        let (high, low) = join_mut(
            true,
            high_scratch,
            |high_scratch| work(high_rows, high_scratch),
            || work(low_rows, low_scratch),
        );
        vec![low, high]
    }

    /// `F(t)`, the number of differences `≤ t`, for each threshold.
    pub(super) fn count_many(&self, ts: &[f64]) -> Vec<u64> {
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
    pub(super) fn band(
        &self,
        a: f64,
        b: f64,
        cap: usize,
        first: &mut Vec<usize>,
    ) -> (u64, Vec<f64>, bool) {
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
}
