//! A histogram of non-negative values over fixed log-linear bins: the state
//! of a quantile test, whose size depends on the spread of the values, not
//! on how many there are.
//!
//! A value's bin is the top 19 bits of its IEEE 754 representation (sign,
//! exponent and the 7 leading mantissa bits): 128 bins per doubling, each
//! at most 1/128 of its lower edge wide (0.78 %; at least 0.39 %). The bin
//! is computed from the bits alone, so every platform and language puts a
//! value in the same bin. Latencies from 1 ms to 100 s span 17 doublings:
//! at most 2,176 bins, however many samples.

use serde::{Deserialize, Serialize};

/// How many low bits of a value's representation a bin ignores.
const DROPPED_BITS: u32 = 45;

/// The bin of a finite value `≥ 0`.
pub(crate) fn bin_of(value: f64) -> u32 {
    // Non-negative doubles order like their bit patterns; +0.0 for −0.0.
    ((value + 0.0).to_bits() >> DROPPED_BITS) as u32
}

/// The smallest value of a bin.
pub(crate) fn lower_edge(bin: u32) -> f64 {
    f64::from_bits(u64::from(bin) << DROPPED_BITS)
}

/// The smallest value of the next bin (every value of the bin is below it).
pub(crate) fn upper_edge(bin: u32) -> f64 {
    f64::from_bits((u64::from(bin) + 1) << DROPPED_BITS)
}

/// Counts of values per bin, bins ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Histogram {
    /// Number of values.
    pub n: u64,
    /// `[bin, count]` pairs, bins strictly ascending, counts positive.
    pub bins: Vec<[u64; 2]>,
}

impl Histogram {
    /// Adds finite values `≥ 0`.
    pub(crate) fn add(&mut self, values: &[f64]) {
        if values.is_empty() {
            return;
        }
        let mut keys: Vec<u32> = values.iter().map(|&v| bin_of(v)).collect();
        keys.sort_unstable();
        let mut batch: Vec<[u64; 2]> = Vec::new();
        for key in keys {
            match batch.last_mut() {
                Some([bin, count]) if *bin == u64::from(key) => *count += 1,
                _ => batch.push([u64::from(key), 1]),
            }
        }
        self.merge_bins(&batch);
    }

    /// Adds another histogram's counts.
    pub(crate) fn merge(&mut self, other: &Histogram) {
        self.merge_bins(&other.bins);
    }

    fn merge_bins(&mut self, other: &[[u64; 2]]) {
        let mut merged = Vec::with_capacity(self.bins.len() + other.len());
        let (mut a, mut b) = (self.bins.iter().peekable(), other.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x[0] == y[0] => {
                    let sum = [x[0], x[1] + y[1]];
                    a.next();
                    b.next();
                    sum
                }
                (Some(x), Some(y)) if x[0] < y[0] => {
                    let x = **x;
                    a.next();
                    x
                }
                (_, Some(y)) => {
                    let y = **y;
                    b.next();
                    y
                }
                (Some(x), None) => {
                    let x = **x;
                    a.next();
                    x
                }
                (None, None) => break,
            };
            merged.push(next);
        }
        self.n = merged.iter().map(|[_, c]| c).sum();
        self.bins = merged;
    }

    /// Whether the bins are strictly ascending, valid bin numbers, with
    /// positive counts adding up to `n`.
    pub(crate) fn is_consistent(&self) -> bool {
        let ascending = self.bins.windows(2).all(|w| match w {
            [a, b] => a[0] < b[0],
            _ => true,
        });
        let valid = self
            .bins
            .iter()
            .all(|[bin, count]| *count > 0 && *bin < (1 << (64 - DROPPED_BITS - 1)));
        let total = self
            .bins
            .iter()
            .try_fold(0u64, |acc, [_, c]| acc.checked_add(*c));
        ascending && valid && total == Some(self.n)
    }

    /// The ranks of the histogram: for the value of rank `k` (1-based,
    /// `1 ≤ k ≤ n`), its bin.
    pub(crate) fn ranks(&self) -> Ranks<'_> {
        let mut ends = Vec::with_capacity(self.bins.len());
        let mut total = 0u64;
        for [_, c] in &self.bins {
            total += c;
            ends.push(total);
        }
        Ranks {
            histogram: self,
            ends,
        }
    }
}

/// Rank queries on a [`Histogram`].
pub(crate) struct Ranks<'a> {
    histogram: &'a Histogram,
    /// The rank of the last value of each bin.
    ends: Vec<u64>,
}

impl Ranks<'_> {
    /// The index of the bin holding the value of rank `k` (1-based), if any.
    pub(crate) fn bin_index(&self, k: u64) -> Option<usize> {
        if k == 0 || k > self.histogram.n {
            return None;
        }
        Some(self.ends.partition_point(|&end| end < k))
    }

    /// The bin number at an index.
    pub(crate) fn bin(&self, index: usize) -> Option<u32> {
        self.histogram.bins.get(index).map(|[bin, _]| *bin as u32)
    }

    /// The ranks of the first and last values of the bin at `index`.
    pub(crate) fn rank_span(&self, index: usize) -> Option<(u64, u64)> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(i) => self.ends.get(i).copied()? + 1,
            None => 1,
        };
        Some((start, end))
    }

    /// The number of bins.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The lower edge of the bin holding rank `k`; 0 below rank 1.
    pub(crate) fn lower_at(&self, k: u64) -> f64 {
        self.bin_index(k)
            .and_then(|i| self.bin(i))
            .map_or(0.0, lower_edge)
    }

    /// The upper edge of the bin holding rank `k`; infinite above rank n.
    pub(crate) fn upper_at(&self, k: u64) -> f64 {
        self.bin_index(k)
            .and_then(|i| self.bin(i))
            .map_or(f64::INFINITY, upper_edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_log_linear_and_ordered() {
        for v in [0.0, 1e-300, 0.5, 1.0, 1.5, 3.0, 12.34, 1e6, 1.7e308] {
            let bin = bin_of(v);
            assert!(lower_edge(bin) <= v && v < upper_edge(bin), "{v}");
        }
        assert_eq!(bin_of(-0.0), bin_of(0.0));
        // 128 bins per doubling.
        assert_eq!(bin_of(2.0) - bin_of(1.0), 128);
        assert_eq!(lower_edge(bin_of(1.0)), 1.0);
        assert_eq!(upper_edge(bin_of(1.0)), 1.0 + 1.0 / 128.0);
        let width =
            |v: f64| (upper_edge(bin_of(v)) - lower_edge(bin_of(v))) / lower_edge(bin_of(v));
        assert!(width(1.0) <= 1.0 / 128.0 && width(1.99) >= 1.0 / 256.0);
    }

    #[test]
    fn adding_in_pieces_equals_adding_at_once() {
        let values: Vec<f64> = (0..500).map(|i| f64::from(i * 7919 % 1000) / 7.0).collect();
        let mut whole = Histogram::default();
        whole.add(&values);
        let mut pieces = Histogram::default();
        for chunk in values.chunks(37) {
            pieces.add(chunk);
        }
        let mut other = Histogram::default();
        other.add(&values[..100]);
        let mut rest = Histogram::default();
        rest.add(&values[100..]);
        other.merge(&rest);
        assert_eq!(whole, pieces);
        assert_eq!(whole, other);
        assert_eq!(whole.n, 500);
        assert!(whole.is_consistent());
    }

    #[test]
    fn ranks_find_their_bins() {
        let mut h = Histogram::default();
        h.add(&[1.0, 1.0, 2.0, 4.0, 4.0, 4.0]);
        assert_eq!(
            h.bins,
            [
                [u64::from(bin_of(1.0)), 2],
                [u64::from(bin_of(2.0)), 1],
                [u64::from(bin_of(4.0)), 3]
            ]
        );
        let r = h.ranks();
        assert_eq!(
            (
                r.bin_index(0),
                r.bin_index(1),
                r.bin_index(2),
                r.bin_index(3),
                r.bin_index(6),
                r.bin_index(7)
            ),
            (None, Some(0), Some(0), Some(1), Some(2), None)
        );
        assert_eq!(r.rank_span(2), Some((4, 6)));
        assert_eq!(r.rank_span(0), Some((1, 2)));
        assert_eq!(
            (r.lower_at(0), r.lower_at(3), r.upper_at(7)),
            (0.0, 2.0, f64::INFINITY)
        );
        assert_eq!(r.upper_at(1), upper_edge(bin_of(1.0)));
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn inconsistent_histograms_are_recognised() {
        let ok = Histogram {
            n: 3,
            bins: vec![[5, 1], [9, 2]],
        };
        assert!(ok.is_consistent());
        for bad in [
            Histogram {
                n: 4,
                bins: vec![[5, 1], [9, 2]],
            },
            Histogram {
                n: 3,
                bins: vec![[9, 1], [5, 2]],
            },
            Histogram {
                n: 3,
                bins: vec![[5, 3], [9, 0]],
            },
            Histogram {
                n: 3,
                bins: vec![[5, 1], [5, 2]],
            },
            Histogram {
                n: 1,
                bins: vec![[1 << 20, 1]],
            },
            Histogram {
                n: 0,
                bins: vec![[1, u64::MAX], [2, 1]],
            },
        ] {
            assert!(!bad.is_consistent(), "{bad:?}");
        }
    }
}
