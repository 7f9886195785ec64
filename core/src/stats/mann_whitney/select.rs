//! The Hodges-Lehmann selection: order statistics of the n·m pairwise
//! differences (the median and the interval ends), found together without
//! materialising the differences.
//!
//! For each rank `k` the search keeps a bracket `a < answer ≤ b` with
//! `F(a) ≤ k < F(b)`, where `F(t)` counts the differences at or below `t`
//! (one O(n + m) walk, [`PairDiffs::count_many`]). A deterministic sample of
//! pairs gives the first brackets; then two points aimed just below and just
//! above rank `k` by interpolation of `F` narrow it (falling back to
//! bisection when that stops paying off), until at most
//! [`PairDiffs::band_limit`] differences remain, which are listed in one
//! pass and selected directly.

use super::pairs::{PairDiffs, PIVOT_CANDIDATES};

/// A small deterministic pseudo-random generator (splitmix64), used only to
/// sample pairs; results never depend on its values, only running time does.
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
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

/// A rank's bracket: `F(a) = fa ≤ k < fb = F(b)`.
#[derive(Clone, Copy)]
struct Bracket {
    a: f64,
    fa: u64,
    b: f64,
    fb: u64,
}

/// The state of one [`PairDiffs::select_many`] call.
struct Search<'p, 'a> {
    pairs: &'p PairDiffs<'a>,
    /// n·m.
    total: u64,
    /// Points `(t, F(t))` counted so far.
    known: Vec<(f64, u64)>,
    /// The distinct ranks sought, ascending.
    order: Vec<u64>,
    /// Each rank's value, once known.
    answers: Vec<Option<f64>>,
    /// Each rank's bracket width at its previous probe (`u64::MAX` after
    /// the first aimed point).
    previous: Vec<Option<u64>>,
    /// Listed bands `((lo, hi), the differences in (lo, hi])`.
    listed: Vec<((f64, f64), Vec<f64>)>,
    /// Points to count next round.
    proposals: Vec<f64>,
    /// Bands to list next round.
    requests: Vec<(f64, f64)>,
    /// Brackets stalled on a run of equal differences.
    pivots: Vec<(f64, f64)>,
    /// Scratch for [`PairDiffs::band`]: each row's first column at or
    /// below the band's top.
    first: Vec<usize>,
}

impl PairDiffs<'_> {
    /// The `k`-th smallest difference (0-based) for each `k` of `ks` (each
    /// below n·m), found together: counts made for one rank bracket the
    /// others, and the counts of one round run together (see the [module
    /// docs](self)). Each count is one O(n + m) walk.
    pub(crate) fn select_many(&self, ks: &[u64]) -> Vec<f64> {
        if let Some(all) = &self.small {
            return ks
                .iter()
                .map(|&k| all.get(k as usize).copied().unwrap_or(f64::NAN))
                .collect();
        }
        let mut search = Search::new(self, ks);
        search.propose_from_sample();
        loop {
            search.count_and_list();
            if !search.plan_round() {
                break;
            }
        }
        search.select_in_bands();
        search.results(ks)
    }
}

impl<'p, 'a> Search<'p, 'a> {
    fn new(pairs: &'p PairDiffs<'a>, ks: &[u64]) -> Self {
        let total = pairs.len();
        let first = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        // F(below the lowest) = 0, F(highest) = total.
        let known = vec![
            (f64::next_down(first(pairs.x) - last(pairs.y)), 0),
            (last(pairs.x) - first(pairs.y), total),
        ];
        let mut order: Vec<u64> = ks.to_vec();
        order.sort_unstable();
        order.dedup();
        Search {
            pairs,
            total,
            known,
            answers: vec![None; order.len()],
            previous: vec![None; order.len()],
            order,
            listed: Vec::new(),
            proposals: Vec::new(),
            requests: Vec::new(),
            pivots: Vec::new(),
            first: Vec::new(),
        }
    }

    /// The tightest bracket of rank `k` among the known points.
    fn bracket(&self, k: u64) -> Bracket {
        let mut lo = (f64::NEG_INFINITY, 0u64);
        let mut hi = (f64::INFINITY, self.total);
        for &(t, ft) in &self.known {
            if ft <= k && t > lo.0 {
                lo = (t, ft);
            } else if ft > k && t < hi.0 {
                hi = (t, ft);
            }
        }
        Bracket {
            a: lo.0,
            fa: lo.1,
            b: hi.0,
            fb: hi.1,
        }
    }

    /// The first points to count: a deterministic uniform sample of pairs
    /// brackets every rank; the brackets of nearby ranks are merged so that
    /// a cluster of ranks (an estimate and its interval ends) costs two
    /// counts.
    fn propose_from_sample(&mut self) {
        let (x, y) = (self.pairs.x, self.pairs.y);
        let mut rng = SplitMix64(0x5EED_CA9A_7E57_0001);
        let mut sample: Vec<f64> = (0..self.pairs.sample)
            .map(|_| {
                let i = rng.below(x.len() as u64) as usize;
                let j = rng.below(y.len() as u64) as usize;
                x.get(i).copied().unwrap_or(f64::NAN) - y.get(j).copied().unwrap_or(f64::NAN)
            })
            .collect();
        sample.sort_unstable_by(f64::total_cmp);
        let s = self.pairs.sample as f64;
        // None is an open end: below the lowest or above the highest.
        let overlaps = |upper: Option<f64>, lower: Option<f64>| match (upper, lower) {
            (Some(u), Some(l)) => l <= u,
            _ => true,
        };
        let mut spans: Vec<(Option<f64>, Option<f64>)> = Vec::new();
        for &k in &self.order {
            let p = (k as f64 + 0.5) / self.total as f64;
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
        self.proposals = spans.iter().flat_map(|&(a, b)| [a, b]).flatten().collect();
        // A value drawn more than once is probably a run of equal
        // differences (rounded data): counting just below it too often
        // settles the ranks inside the run at once.
        let drawn = |t: f64| {
            let from = sample.partition_point(|&v| v < t);
            sample.get(from + 1).is_some_and(|&v| v == t)
        };
        let runs: Vec<f64> = self
            .proposals
            .iter()
            .filter(|&&t| drawn(t))
            .map(|&t| f64::next_down(t))
            .collect();
        self.proposals.extend(runs);
    }

    /// Counts the proposed points, lists the requested bands and pivots the
    /// stalled brackets: one round of walks.
    fn count_and_list(&mut self) {
        let pairs = self.pairs;
        self.proposals.sort_unstable_by(f64::total_cmp);
        self.proposals.dedup();
        if !self.proposals.is_empty() {
            let counts = pairs.count_many(&self.proposals);
            self.known
                .extend(self.proposals.iter().copied().zip(counts));
            self.proposals.clear();
        }
        let cap = 2 * pairs.band_limit as usize;
        for (lo, hi) in std::mem::take(&mut self.requests) {
            let (f_hi, band, complete) = pairs.band(lo, hi, cap, &mut self.first);
            self.known.push((hi, f_hi));
            if complete {
                self.known.push((lo, f_hi - band.len() as u64));
                self.listed.push(((lo, hi), band));
            }
        }
        for (lo, hi) in std::mem::take(&mut self.pivots) {
            // Stalled on a run of equal differences: count at a real
            // difference of the bracket (the median of the first few
            // listed) and just below it. Either it is the answer, or the
            // bracket loses at least that value's run.
            let (_, mut some, _) = pairs.band(lo, hi, PIVOT_CANDIDATES, &mut self.first);
            let middle = some.len() / 2;
            if let Some((_, &mut d, _)) =
                (!some.is_empty()).then(|| some.select_nth_unstable_by(middle, f64::total_cmp))
            {
                let points = [f64::next_down(d), d];
                let counts = pairs.count_many(&points);
                self.known.extend(points.into_iter().zip(counts));
            }
        }
    }

    /// Decides the next probe of every open rank; false when none needs
    /// one (every open rank's bracket is small enough to list).
    fn plan_round(&mut self) -> bool {
        let band_limit = self.pairs.band_limit;
        let margin = (band_limit / 4) as f64;
        // The last rank that proposed points, and its bracket.
        let mut leader: Option<(u64, f64, f64)> = None;
        for index in 0..self.order.len() {
            let (Some(&k), Some(None)) = (self.order.get(index), self.answers.get(index)) else {
                continue;
            };
            let br = self.bracket(k);
            let (a, b) = (br.a, br.b);
            if br.fb - br.fa <= band_limit
                || self.listed.iter().any(|((lo, hi), _)| *lo <= a && b <= *hi)
            {
                continue;
            }
            // A rank next to one that shares its bracket (the two middle
            // ranks of an even count) is served by that one's points.
            if leader.is_some_and(|(lk, la, lb)| la == a && lb == b && k - lk < band_limit / 8) {
                continue;
            }
            let Some(prev) = self.previous.get_mut(index) else {
                continue;
            };
            match decide(br, k, prev, margin) {
                Probe::Answer(value) => {
                    if let Some(answer) = self.answers.get_mut(index) {
                        *answer = Some(value);
                    }
                    continue;
                }
                Probe::Count(t) => self.proposals.push(t),
                Probe::List(lo, hi) => self.requests.push((lo, hi)),
                Probe::Pivot(lo, hi) => {
                    if !self.pivots.contains(&(lo, hi)) {
                        self.pivots.push((lo, hi));
                    }
                }
            }
            leader = Some((k, a, b));
        }
        !(self.proposals.is_empty() && self.requests.is_empty() && self.pivots.is_empty())
    }

    /// Selects each remaining rank within a listed band that covers its
    /// bracket, listing the bracket if none does. Every rank left here has
    /// at most `band_limit` differences in its bracket: the rounds only end
    /// when no rank needs another probe.
    fn select_in_bands(&mut self) {
        let cap = 2 * self.pairs.band_limit as usize;
        for index in 0..self.order.len() {
            let (Some(&k), Some(None)) = (self.order.get(index), self.answers.get(index)) else {
                continue;
            };
            let Bracket { a, fa, b, .. } = self.bracket(k);
            let covering = self
                .listed
                .iter()
                .position(|((lo, hi), _)| *lo <= a && b <= *hi);
            let listed = match covering {
                Some(index) => index,
                None => {
                    let (_, band, _) = self.pairs.band(a, b, cap, &mut self.first);
                    self.listed.push(((a, b), band));
                    self.listed.len() - 1
                }
            };
            let Some(((lo, hi), band)) = self.listed.get_mut(listed) else {
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
            let value = if values.is_empty() {
                b
            } else {
                *values.select_nth_unstable_by(r, f64::total_cmp).1
            };
            if let Some(answer) = self.answers.get_mut(index) {
                *answer = Some(value);
            }
        }
    }

    /// The answers in the order of `ks`.
    fn results(&self, ks: &[u64]) -> Vec<f64> {
        ks.iter()
            .map(|k| {
                self.order
                    .binary_search(k)
                    .ok()
                    .and_then(|i| self.answers.get(i).copied().flatten())
                    // A bracket end found by halving may be -0.0; no
                    // difference of the (normalised) samples is.
                    .map_or(f64::NAN, |v| v + 0.0)
            })
            .collect()
    }
}

/// The next probe for rank `k` in bracket `br`; `prev` is the bracket width
/// at the rank's previous probe, updated here.
fn decide(br: Bracket, k: u64, prev: &mut Option<u64>, margin: f64) -> Probe {
    let Bracket { a, fa, b, fb } = br;
    let width = fb - fa;
    if f64::next_down(b) <= a {
        // No double between a and b: the answer is b.
        return Probe::Answer(b);
    }
    let bisect = match *prev {
        Some(before) if before == width => {
            // No progress: a run of equal differences.
            *prev = Some(width);
            return Probe::Pivot(a, b);
        }
        Some(before) => width.saturating_mul(2) > before,
        None => false,
    };
    // The first time, aim one point at the rank itself: it lands close, and
    // the counts of nearby ranks then give the local slope for the two
    // points aimed around it next round.
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
        // Two points aimed around the rank, and the differences between
        // them listed in the same walk (given up if there are too many):
        // when they bracket the rank, the search is over.
        let lo = Some(at(k as f64 + 0.5 - margin)).filter(|&t| inside(t));
        let hi = Some(at(k as f64 + 0.5 + margin)).filter(|&t| inside(t));
        Probe::List(lo.unwrap_or(a), hi.unwrap_or(b))
    }
}
