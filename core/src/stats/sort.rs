//! Sorting samples: every two-sample kernel starts from both samples sorted
//! ascending (by `f64::total_cmp`, with `-0.0` read as `0.0`).
//!
//! Samples are sorted by the order-preserving integer images of their values
//! ([`order_key`]): integer comparisons make this about twice as fast as
//! sorting the doubles with `total_cmp`, and the conversions back and forth
//! reuse one allocation. From [`PARALLEL_SORT_MIN`] values in total the two
//! samples are sorted side by side ([`crate::parallel::join_mut`]).

use crate::parallel::join_mut;

/// Total sample size from which [`sort_pair`] uses a second thread: below
/// it, starting a thread costs more than it saves.
pub(crate) const PARALLEL_SORT_MIN: usize = 1 << 16;

/// `values` sorted ascending by `f64::total_cmp`, with `-0.0` read as `0.0`.
pub(crate) fn sorted(values: &[f64]) -> Vec<f64> {
    sort_values(values.iter().map(|&v| v + 0.0).collect())
}

/// [`sorted`] for a sample the caller owns (no copy).
pub(crate) fn sort_values(values: Vec<f64>) -> Vec<f64> {
    let mut keys: Vec<u64> = values.into_iter().map(|v| order_key(v + 0.0)).collect();
    keys.sort_unstable();
    keys.into_iter().map(from_order_key).collect()
}

/// Both samples [`sorted`] (see [`sort_pair`]).
pub(crate) fn sorted_pair(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    sort_pair(x.to_vec(), y.to_vec())
}

/// Both samples sorted, each in its own allocation ([`sort_values`]); from
/// [`PARALLEL_SORT_MIN`] values in total, `y` on a second thread while the
/// calling thread sorts `x`.
pub(crate) fn sort_pair(x: Vec<f64>, mut y: Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    let parallel = x.len() + y.len() >= PARALLEL_SORT_MIN;
    let ((), xs) = join_mut(
        parallel,
        &mut y,
        |y| *y = sort_values(std::mem::take(y)),
        || sort_values(x),
    );
    (xs, y)
}

/// The integer whose unsigned order is `f64::total_cmp` order: flip every
/// bit of a negative value, only the sign bit of a positive one.
pub(crate) fn order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The inverse of [`order_key`].
pub(crate) fn from_order_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::mann_whitney::SplitMix64;

    #[test]
    fn integer_keys_sort_like_total_cmp() {
        let mut values = vec![
            3.5,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::from_bits(1),
            -f64::from_bits(1),
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -2.25,
            1e-300,
            -1e300,
        ];
        let mut rng = SplitMix64(3);
        values.extend(
            (0..2000)
                .map(|_| f64::from_bits(rng.next_u64()))
                .filter(|v| v.is_finite()),
        );
        for &v in &values {
            assert_eq!(from_order_key(order_key(v)).to_bits(), v.to_bits());
        }
        let mut expected: Vec<f64> = values.iter().map(|v| v + 0.0).collect();
        expected.sort_by(f64::total_cmp);
        let got = sorted(&values);
        assert_eq!(
            got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            expected.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        // No negative zero survives.
        assert!(got.iter().all(|v| v.to_bits() != (-0.0f64).to_bits()));
        // Large enough for the two-thread path, then the one-thread path.
        let big: Vec<f64> = (0..PARALLEL_SORT_MIN)
            .map(|_| f64::from_bits(rng.next_u64() >> 2))
            .collect();
        let mut big_sorted = big.clone();
        big_sorted.sort_by(f64::total_cmp);
        let (a, b) = sorted_pair(&big, &values);
        assert_eq!(a, big_sorted);
        assert_eq!(b, got);
        let (a, b) = sorted_pair(&values, &values[..3]);
        assert_eq!(a, got);
        assert_eq!(b, sorted(&values[..3]));
    }

    #[test]
    fn keys_order_extremes() {
        assert!(order_key(-1.0) < order_key(-0.5));
        assert!(order_key(-f64::from_bits(1)) < order_key(0.0));
        assert!(order_key(0.0) < order_key(f64::from_bits(1)));
        assert_eq!(order_key(0.0), 1 << 63);
        assert_eq!(order_key(-0.0), !(1u64 << 63));
    }
}
