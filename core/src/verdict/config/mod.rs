//! The canary configuration: which metrics to compare, how (kind,
//! comparison, harmful direction, tolerances, data cleaning), the score
//! thresholds and group weights, and its validation.
//!
//! This file holds the types as they are read and written; `read` turns
//! wire errors met while reading canary input into canary errors,
//! `validate` checks what the types alone cannot (ranges, unique names,
//! group weights), and `defaults` derives the settings a metric leaves
//! unset (its fewest samples, its significance level).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::Correction;

mod defaults;
mod read;
#[cfg(test)]
mod tests;
mod validate;

pub(crate) use defaults::alpha_of_confidence;
pub use read::{as_canary_error, parse_config};
pub(crate) use validate::{invalid, validate_config};

/// The canary analysis configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CanaryConfig {
    /// The metrics to compare; names must be unique.
    pub metrics: Vec<MetricConfig>,
    /// Weights of metric groups in percent. Groups without a weight share the
    /// rest of 100 equally; weights that do not add up to 100 are scaled.
    #[serde(default)]
    pub groups: BTreeMap<String, f64>,
    /// Score thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Multiple-comparison correction across the metrics' p-values (for
    /// [`judge_canary`](super::judge_canary); the watch always holds the
    /// run's false-rollback rate at its `alpha`).
    #[serde(default)]
    pub correction: Correction,
    /// How a canary watch tests and decides ([`start_canary_watch`](super::start_canary_watch));
    /// ignored by `judge_canary`. Defaults when absent.
    #[serde(default)]
    pub watch: Option<super::watch::WatchConfig>,
}

/// Score thresholds in percent: at least `pass` promotes, at least
/// `marginal` continues, below rolls back.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Lowest passing score (default 95).
    #[serde(default = "default_pass")]
    pub pass: f64,
    /// Lowest marginal score (default 75).
    #[serde(default = "default_marginal")]
    pub marginal: f64,
}

fn default_pass() -> f64 {
    95.0
}
fn default_marginal() -> f64 {
    75.0
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            pass: default_pass(),
            marginal: default_marginal(),
        }
    }
}

/// What kind of data a metric holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// Samples of a continuous quantity (latency, CPU); compared by
    /// Mann-Whitney (location) or Kolmogorov-Smirnov (distribution).
    #[default]
    Continuous,
    /// Event counts: `{events, trials}` (proportions) or `{events, exposure}`
    /// (Poisson rates).
    Count,
    /// Samples compared at one quantile (`quantile`, default 0.99).
    Quantile,
}

/// What a continuous comparison looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// A shift of location (Mann-Whitney U, Hodges-Lehmann estimate).
    #[default]
    Location,
    /// Any change of distribution, spread included (Kolmogorov-Smirnov).
    Distribution,
}

/// Which change of a metric is harmful.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// An increase is bad (latency, errors).
    Increase,
    /// A decrease is bad (throughput, success rate).
    Decrease,
    /// Both are bad.
    #[default]
    Either,
}

/// What to do with NaN or infinite samples (JSON `null` counts as NaN).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NanPolicy {
    /// Reject the input with `invalid_sample`.
    #[default]
    Reject,
    /// Drop them (the count is reported).
    Remove,
}

/// Outlier handling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outliers {
    /// Keep every sample.
    #[default]
    Keep,
    /// Drop samples outside `[Q1 − f·IQR, Q3 + f·IQR]` of their own sample,
    /// `f = outlier_factor` (default 3.0, as Kayenta).
    Iqr,
}

/// One metric's configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricConfig {
    /// Unique name; keys the data.
    pub name: String,
    /// Kind of data (default `continuous`).
    #[serde(default)]
    pub kind: MetricKind,
    /// Location or distribution comparison (default `location`).
    #[serde(default)]
    pub compare: Compare,
    /// Harmful direction (default `either`).
    #[serde(default)]
    pub direction: Direction,
    /// Largest harmless ratio canary/baseline for an increase (default 1.0:
    /// any significant increase fails).
    pub allowed_increase: Option<f64>,
    /// Smallest harmless ratio canary/baseline for a decrease (default 1.0).
    pub allowed_decrease: Option<f64>,
    /// A significant increase beyond this ratio is a critical failure.
    pub critical_increase: Option<f64>,
    /// A significant decrease below this ratio is a critical failure.
    pub critical_decrease: Option<f64>,
    /// A failure of this metric forces the score to 0.
    #[serde(default)]
    pub critical: bool,
    /// Missing data is a failure (`no_data_fail`) rather than `no_data`.
    #[serde(default)]
    pub must_have_data: bool,
    /// Group for weighted scoring (default `"default"`).
    pub group: Option<String>,
    /// NaN handling (default `reject`).
    #[serde(default)]
    pub nan_policy: NanPolicy,
    /// Outlier handling (default `keep`).
    #[serde(default)]
    pub outliers: Outliers,
    /// IQR factor for `outliers: iqr` (default 3.0).
    pub outlier_factor: Option<f64>,
    /// Fewest samples per side before the metric is tested at all; fewer is
    /// `continue` with the number still needed (none at all is `no_data`).
    /// Defaults: 30 for `continuous` metrics, `⌈10 / (1 − q)⌉` for a
    /// quantile `q` (1,000 for a p99, the size below which high percentiles
    /// are known to be brittle), 1 trial for counts (the exact tests are
    /// valid at any size, and a metric whose test cannot reach its level yet
    /// is `continue` anyway). In a watch: the fewest samples per arm before
    /// the metric's test may decide (default 30 for means, none otherwise).
    pub min_samples: Option<usize>,
    /// Confidence level of this metric's test and interval (default 0.95).
    pub confidence: Option<f64>,
    /// Quantile level for `kind: quantile` (default 0.99).
    pub quantile: Option<f64>,
    /// Absolute upper bound on the canary (SLO): each canary sample (or the
    /// canary's rate for counts) above it is a failure.
    pub max: Option<f64>,
    /// Absolute lower bound on the canary.
    pub min: Option<f64>,
    /// SLO failures tolerated before the metric fails (Argo `failureLimit`,
    /// default 0).
    pub failure_limit: Option<usize>,
    /// Evaluate and report the metric with its own classification, but never
    /// let it decide: no weight in the score, the correction or the
    /// decision (for trying a new metric before trusting it).
    #[serde(default)]
    pub dry_run: bool,
}
