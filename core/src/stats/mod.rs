//! Numeric kernels of canary analysis: rank tests, proportions and rates,
//! Welch's t-test, distribution tests, quantile intervals and multiple-testing
//! corrections.
//!
//! Every kernel checks its input (finite samples, sane counts, a confidence
//! strictly between 0 and 1) and returns an [`Error`] of the
//! `canary` family naming the argument at fault (`x/3`, `trials_y`,
//! `confidence`). Results are plain serde values; an unbounded side of an
//! interval is `None` (JSON `null`).
//!
//! Each kernel states which reference implementation it matches (R or scipy);
//! the shared vectors in `tests/vectors/stats.json` pin the numbers.
//!
//! Two-sample kernels sort large samples (65,536 values or more in total) on
//! two threads, scoped to the call; when a thread cannot be started the
//! calling thread does the work. Results never depend on it.

use serde::{Deserialize, Serialize};

use crate::error::{CanaryError, Error, Result};

pub mod ks;
pub mod mann_whitney;
pub mod multiple;
pub mod proportions;
pub mod quantile;
pub mod sequential;
pub mod welch;

pub use ks::{ks_test, KsTest};
pub use mann_whitney::{mann_whitney, mann_whitney_owned, MannWhitney};
pub use multiple::{adjust_p_values, Correction};
pub use proportions::{compare_proportions, compare_rates, ProportionTest, RateTest};
pub use quantile::{compare_quantiles, quantile_ci, QuantileComparison, QuantileInterval};
pub use sequential::{sequential_count_test, SequentialLook, SequentialTest};
pub use welch::{welch_t_test, WelchTest};

/// The alternative hypothesis of a test, about `x` relative to `y`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// `x` differs from `y` in either direction.
    #[default]
    TwoSided,
    /// `x` is larger than `y`.
    Greater,
    /// `x` is smaller than `y`.
    Less,
}

impl Alternative {
    /// Parses `"two-sided"` (also `"two_sided"`), `"greater"` or `"less"`;
    /// errors are `invalid_config` at `path`.
    ///
    /// ```
    /// use rollgate::stats::Alternative;
    /// assert_eq!(Alternative::parse("less", "alternative").unwrap(), Alternative::Less);
    /// assert_eq!(Alternative::parse("sideways", "alternative").unwrap_err().code(), "invalid_config");
    /// ```
    pub fn parse(text: &str, path: &str) -> Result<Self> {
        match text {
            "two-sided" | "two_sided" => Ok(Alternative::TwoSided),
            "greater" => Ok(Alternative::Greater),
            "less" => Ok(Alternative::Less),
            other => Err(Error::invalid_config(
                path.to_string(),
                format!(
                    "alternative must be \"two-sided\", \"greater\" or \"less\", got {other:?}"
                ),
            )),
        }
    }
}

/// Checks a confidence level: strictly between 0 and 1.
pub(crate) fn check_confidence(confidence: f64, path: &str) -> Result<()> {
    if confidence.is_finite() && confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid_config(
            path.to_string(),
            format!("confidence must be strictly between 0 and 1, got {confidence}"),
        ))
    }
}

/// Checks that every value of a sample is finite; `name` is the argument
/// (the error path is `name/index`).
pub(crate) fn check_sample(values: &[f64], name: &str) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(index) => Err(Error::new(
            format!("{name}/{index}"),
            CanaryError::InvalidSample {
                metric: None,
                index,
                value: values
                    .get(index)
                    .map(|v| format_non_finite(*v))
                    .unwrap_or_default(),
            },
        )),
    }
}

/// Checks that a sample has at least `needed` values.
pub(crate) fn check_size(values: &[f64], needed: usize, name: &str) -> Result<()> {
    if values.len() >= needed {
        Ok(())
    } else {
        Err(Error::new(
            name.to_string(),
            CanaryError::InsufficientData {
                needed,
                got: values.len(),
            },
        ))
    }
}

/// `"NaN"`, `"inf"` or `"-inf"`.
pub(crate) fn format_non_finite(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

/// Serialises a fixed-size array as a list (a tuple would become a Python
/// tuple, not a list, in the bindings).
pub(crate) fn as_list<S: serde::Serializer, T: Serialize>(
    values: &[T; 2],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter())
}

/// A finite value or `None` for an unbounded side.
pub(crate) fn bound(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// The complementary error function to close to double precision (statrs'
/// `erfc` is good to about 1e-10 relative, too coarse for p-values checked
/// at 1e-9 against scipy): a positive-term series of erf below 2.5, the
/// continued fraction of erfc above.
pub(crate) fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    let two_over_sqrt_pi = std::f64::consts::FRAC_2_SQRT_PI;
    if x < 2.5 {
        // erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1·3···(2n+1)).
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        let mut n = 0.0;
        while term > 1e-17 * sum {
            n += 1.0;
            term *= 2.0 * x2 / (2.0 * n + 1.0);
            sum += term;
        }
        return 1.0 - two_over_sqrt_pi * (-x2).exp() * sum;
    }
    if x > 27.3 {
        return 0.0;
    }
    // erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
    // evaluated by the modified Lentz method.
    let tiny = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..500 {
        let a = 0.5 * f64::from(k);
        d = x + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = x + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    0.5 * two_over_sqrt_pi * (-x * x).exp() / f
}

/// The standard normal distribution's lower tail P(Z ≤ z).
pub(crate) fn norm_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The standard normal distribution's upper tail P(Z > z).
pub(crate) fn norm_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The standard normal quantile for `p` in (0, 1): statrs' inverse, polished
/// by Newton steps on the accurate cdf.
pub(crate) fn norm_quantile(p: f64) -> f64 {
    let mut q = -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
    for _ in 0..2 {
        let density = (-0.5 * q * q).exp() / (2.0 * std::f64::consts::PI).sqrt();
        if density <= 0.0 || !q.is_finite() {
            break;
        }
        let err = if p < 0.5 {
            norm_cdf(q) - p
        } else {
            (1.0 - p) - norm_sf(q)
        };
        q -= err / density;
    }
    q
}

/// `values` sorted ascending by `f64::total_cmp`, with `-0.0` read as `0.0`.
///
/// Sorts the order-preserving integer images of the values (see
/// [`order_key`]): integer comparisons make this about twice as fast as
/// sorting the doubles with `total_cmp`, and the conversions back and forth
/// reuse one allocation.
pub(crate) fn sorted(values: &[f64]) -> Vec<f64> {
    sort_values(values.iter().map(|&v| v + 0.0).collect())
}

/// [`sorted`] for a sample the caller owns (no copy).
pub(crate) fn sort_values(values: Vec<f64>) -> Vec<f64> {
    let mut keys: Vec<u64> = values.into_iter().map(|v| order_key(v + 0.0)).collect();
    keys.sort_unstable();
    keys.into_iter().map(from_order_key).collect()
}

/// Both samples [`sorted`]; large samples are sorted on two threads (see
/// [`sort_pair`]).
pub(crate) fn sorted_pair(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    sort_pair(x.to_vec(), y.to_vec())
}

/// Both samples sorted, each in its own allocation ([`sort_values`]).
///
/// From [`PARALLEL_SORT_MIN`] values in total, `y` is sorted on a scoped
/// worker thread while the calling thread sorts `x`. If the thread cannot be
/// started, the calling thread sorts both: the result is the same either way.
pub(crate) fn sort_pair(x: Vec<f64>, mut y: Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    if x.len() + y.len() < PARALLEL_SORT_MIN {
        return (sort_values(x), sort_values(y));
    }
    let slot = &mut y;
    let outcome = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("rollgate-sort".into())
            .spawn_scoped(scope, move || *slot = sort_values(std::mem::take(slot)));
        match worker {
            // The closure never ran: `y` is untouched.
            Err(_) => Err(x),
            Ok(handle) => {
                let xs = sort_values(x);
                Ok((xs, handle.join()))
            }
        }
    });
    match outcome {
        Err(x) => (sort_values(x), sort_values(y)),
        Ok((xs, Ok(()))) => (xs, y),
        // A panic in the worker is raised here, as it would have been had
        // this thread done the sorting (sorting does not panic).
        Ok((_, Err(payload))) => std::panic::resume_unwind(payload),
    }
}

/// Total sample size from which [`sorted_pair`] uses a second thread: below
/// it, starting a thread costs more than it saves.
pub(crate) const PARALLEL_SORT_MIN: usize = 1 << 16;

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

/// A small deterministic pseudo-random generator (splitmix64), used only to
/// pick pivots; results never depend on its values, only running time does.
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Large enough for the two-thread path.
        let big: Vec<f64> = (0..PARALLEL_SORT_MIN)
            .map(|_| f64::from_bits(rng.next_u64() >> 2))
            .collect();
        let (a, b) = sorted_pair(&big, &values);
        assert_eq!(a, sorted(&big));
        assert_eq!(b, got);
    }

    #[test]
    fn normal_helpers_are_consistent() {
        let c = norm_cdf(1.959963984540054);
        assert!((c - 0.975).abs() < 1e-15, "{c}");
        assert!((norm_quantile(0.975) - 1.959963984540054).abs() < 1e-13);
        assert!((norm_sf(-1.0) - norm_cdf(1.0)).abs() < 1e-16);
        // scipy.stats.norm.sf
        for (z, want) in [
            (1.0, 0.15865525393145707),
            (1.96, 0.024997895148220435),
            (3.0, 0.0013498980316300933),
            (5.0, 2.866515718791933e-07),
            (8.0, 6.22096057427174e-16),
            (20.0, 2.7536241186061556e-89),
        ] {
            let got = norm_sf(z);
            assert!(((got - want) / want).abs() < 1e-13, "{z}: {got} vs {want}");
        }
    }
}
