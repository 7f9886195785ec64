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
//! two threads, scoped to the call (`crate::parallel`); when a thread
//! cannot be started the calling thread does the work. Results never depend
//! on it.
//!
//! The folder: one file per kernel (`mann_whitney/` is a folder of its own),
//! `normal.rs` for the normal distribution's tails and quantile, `beta.rs`
//! for the incomplete beta function and the binomial and t distributions
//! built on it, `sort.rs` for the sorting every two-sample kernel starts
//! with.

use serde::{Deserialize, Serialize};

use crate::error::{CanaryError, Error, Result};

mod beta;
pub mod ks;
pub mod mann_whitney;
pub mod multiple;
mod normal;
pub mod proportions;
pub mod quantile;
pub mod sequential;
mod sort;
pub mod welch;

pub use ks::{ks_test, KsTest};
pub use mann_whitney::{mann_whitney, mann_whitney_owned, MannWhitney};
pub use multiple::{adjust_p_values, Correction};
pub use proportions::{compare_proportions, compare_rates, ProportionTest, RateTest};
pub use quantile::{compare_quantiles, quantile_ci, QuantileComparison, QuantileInterval};
pub use sequential::{sequential_count_test, SequentialLook, SequentialTest};
pub use welch::{welch_t_test, WelchTest};

pub(crate) use normal::{norm_cdf, norm_quantile, norm_sf};
pub(crate) use sort::{sort_pair, sort_values, sorted, sorted_pair};

/// The alternative hypothesis of a test, about `x` relative to `y`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
