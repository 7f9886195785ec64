//! The canary configuration: which metrics to compare, how (kind,
//! comparison, harmful direction, tolerances, data cleaning), the score
//! thresholds and group weights, and its validation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::DEFAULT_GROUP;
use crate::error::{pointer_token, CanaryError, Error, ErrorKind, Result};
use crate::stats::{self, Correction};

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

impl MetricConfig {
    /// The fewest samples per side before `judge_canary` tests the metric
    /// (see [`MetricConfig::min_samples`]).
    pub(crate) fn judge_min_samples(&self) -> usize {
        let default = match self.kind {
            MetricKind::Continuous => 30,
            MetricKind::Count => 1,
            MetricKind::Quantile => {
                let q = self.quantile.unwrap_or(0.99);
                (10.0 / (1.0 - q)).ceil().min(1e9) as usize
            }
        };
        self.min_samples.unwrap_or(default).max(1)
    }

    /// The significance level: `1 − confidence` (default 0.05), taken as the
    /// decimal the configuration states ([`alpha_of_confidence`]).
    pub(crate) fn alpha(&self) -> f64 {
        alpha_of_confidence(self.confidence.unwrap_or(0.95))
    }
}

/// `1 − confidence` as the decimal it is meant to be: 0.05 for a confidence
/// of 0.95, not the 0.050000000000000044 of floating-point subtraction
/// (0.95 is not exactly representable). The confidence's shortest decimal
/// form (what the configuration said) is complemented digit by digit and
/// read back, so that a p-value of exactly 0.05 is significant at 0.95 as
/// exactly as 0.10 is at 0.90. `confidence` must be in (0, 1).
pub(crate) fn alpha_of_confidence(confidence: f64) -> f64 {
    // Rust's shortest round-trip form of a value in (0, 1) is "0.d₁…d_k"
    // with d_k ≠ 0, and 1 − 0.d₁…d_k = 0.(9 − d₁)…(9 − d_{k−1})(10 − d_k):
    // no borrow reaches past a digit.
    let text = format!("{confidence}");
    let digits = match text.strip_prefix("0.") {
        Some(d) if !d.is_empty() && !d.ends_with('0') && d.bytes().all(|b| b.is_ascii_digit()) => d,
        _ => return 1.0 - confidence,
    };
    let last = digits.len() - 1;
    let complement: String = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = b - b'0';
            char::from(b'0' + if i == last { 10 - d } else { 9 - d })
        })
        .collect();
    format!("0.{complement}")
        .parse()
        .unwrap_or(1.0 - confidence)
}

pub(crate) fn invalid(path: String, message: String) -> Error {
    Error::invalid_config(path, message)
}

pub(crate) fn validate_config(config: &CanaryConfig) -> Result<()> {
    let t = config.thresholds;
    if !(t.pass.is_finite() && t.marginal.is_finite())
        || t.marginal < 0.0
        || t.pass > 100.0
        || t.marginal > t.pass
    {
        return Err(invalid(
            "/thresholds".into(),
            format!(
                "thresholds must satisfy 0 <= marginal <= pass <= 100, got pass {} and marginal {}",
                t.pass, t.marginal
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    let mut groups_used = BTreeSet::new();
    for (i, m) in config.metrics.iter().enumerate() {
        let at = |field: &str| format!("/metrics/{i}/{field}");
        if m.name.is_empty() {
            return Err(invalid(at("name"), "metric name must not be empty".into()));
        }
        if let Some(first) = seen.insert(m.name.clone(), i) {
            return Err(invalid(
                at("name"),
                format!(
                    "duplicate metric `{}` (already at /metrics/{first})",
                    m.name
                ),
            ));
        }
        if let Some(c) = m.confidence {
            stats::check_confidence(c, &at("confidence"))?;
        }
        if let Some(q) = m.quantile {
            if !(q.is_finite() && q > 0.0 && q < 1.0) {
                return Err(invalid(
                    at("quantile"),
                    format!("quantile must be strictly between 0 and 1, got {q}"),
                ));
            }
        }
        for (field, value) in [
            ("allowed_increase", m.allowed_increase),
            ("allowed_decrease", m.allowed_decrease),
            ("critical_increase", m.critical_increase),
            ("critical_decrease", m.critical_decrease),
            ("outlier_factor", m.outlier_factor),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(invalid(
                        at(field),
                        format!("{field} must be a finite ratio >= 0, got {v}"),
                    ));
                }
            }
        }
        for (field, value) in [("min", m.min), ("max", m.max)] {
            if value.is_some_and(|v| !v.is_finite()) {
                return Err(invalid(at(field), format!("{field} must be finite")));
            }
        }
        if m.kind == MetricKind::Count && m.compare == Compare::Distribution {
            return Err(invalid(
                at("compare"),
                "count metrics cannot be compared as distributions".into(),
            ));
        }
        groups_used.insert(m.group.clone().unwrap_or_else(|| DEFAULT_GROUP.into()));
    }
    let mut total = 0.0;
    for (name, weight) in &config.groups {
        let path = format!("/groups/{}", pointer_token(name));
        if !(weight.is_finite() && *weight >= 0.0) {
            return Err(invalid(
                path,
                format!("group weight must be >= 0, got {weight}"),
            ));
        }
        if !groups_used.contains(name) {
            return Err(invalid(
                path,
                format!("no metric belongs to group `{name}`"),
            ));
        }
        total += weight;
    }
    if total > 100.0 + 1e-9 {
        return Err(invalid(
            "/groups".into(),
            format!("group weights add up to {total}, more than 100"),
        ));
    }
    Ok(())
}

/// Reads a canary configuration from any serde source; malformed input is
/// `invalid_config` with the path of the offending value.
///
/// ```
/// let v = serde_json::json!({"metrics": [{"name": "cpu", "colour": 1}]});
/// let err = rollgate::verdict::parse_config(v).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_config", "/metrics/0/colour"));
/// ```
pub fn parse_config(value: serde_json::Value) -> Result<CanaryConfig> {
    crate::wire::from_value(value).map_err(|e| as_canary_error(e, ""))
}

/// Turns a generic wire error (unknown field, wrong type) met while reading
/// canary input into the canary family's `invalid_config`, keeping its path
/// and message; `prefix` is the argument name for secondary arguments.
///
/// A value of a sample that is not a number is `invalid_sample`; inside canary
/// data (`/<metric>/baseline/<index>`) it names its metric.
pub fn as_canary_error(err: Error, prefix: &str) -> Error {
    let err = match err.kind() {
        ErrorKind::Input(_) => Error::invalid_config(err.path(), err.message()),
        ErrorKind::Canary(CanaryError::InvalidSample {
            metric: None,
            index,
            value,
        }) if prefix == "data" => match sample_metric(err.path()) {
            Some(metric) => Error::new(
                err.path(),
                CanaryError::InvalidSample {
                    metric: Some(metric),
                    index: *index,
                    value: value.clone(),
                },
            ),
            None => err,
        },
        _ => err,
    };
    if prefix.is_empty() {
        err
    } else {
        err.with_path_prefix(prefix)
    }
}

/// The metric of a path `/<metric>/baseline|canary/<index>` into canary data.
fn sample_metric(path: &str) -> Option<String> {
    let mut tokens = path.strip_prefix('/')?.rsplitn(3, '/');
    let (_index, side, metric) = (tokens.next()?, tokens.next()?, tokens.next()?);
    ((side == "baseline" || side == "canary") && !metric.contains('/'))
        .then(|| metric.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(config: serde_json::Value) -> Result<()> {
        validate_config(&parse_config(config)?)
    }

    fn fails_at(config: serde_json::Value, path: &str) {
        let err = check(config).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_config", path), "{err}");
    }

    #[test]
    fn defaults_are_kayentas() {
        let config = parse_config(json!({"metrics": [{"name": "a"}]})).unwrap();
        assert_eq!(
            config.thresholds,
            Thresholds {
                pass: 95.0,
                marginal: 75.0
            }
        );
        assert_eq!(config.correction, Correction::None);
        let m = &config.metrics[0];
        assert_eq!(
            (m.kind, m.compare, m.direction),
            (MetricKind::Continuous, Compare::Location, Direction::Either)
        );
        assert_eq!(
            (m.nan_policy, m.outliers),
            (NanPolicy::Reject, Outliers::Keep)
        );
        assert!(check(json!({"metrics": [{"name": "a"}]})).is_ok());
    }

    #[test]
    fn alpha_is_the_decimal_complement_of_the_confidence() {
        assert_eq!(1.0 - 0.95, 0.050000000000000044);
        for (confidence, alpha) in [
            (0.95, 0.05),
            (0.9, 0.1),
            (0.99, 0.01),
            (0.999, 0.001),
            (0.975, 0.025),
            (0.5, 0.5),
            (0.1234, 0.8766),
            (0.9999999999999999, 1e-16),
            (1e-20, 0.99999999999999999999),
        ] {
            assert_eq!(alpha_of_confidence(confidence), alpha, "{confidence}");
        }
    }

    #[test]
    fn min_samples_defaults_by_kind() {
        let m = |v: serde_json::Value| -> MetricConfig { crate::wire::from_value(v).unwrap() };
        assert_eq!(m(json!({"name": "a"})).judge_min_samples(), 30);
        assert_eq!(
            m(json!({"name": "a", "kind": "count"})).judge_min_samples(),
            1
        );
        assert_eq!(
            m(json!({"name": "a", "kind": "quantile"})).judge_min_samples(),
            1000
        );
        assert_eq!(
            m(json!({"name": "a", "kind": "quantile", "quantile": 0.95})).judge_min_samples(),
            200
        );
        assert_eq!(
            m(json!({"name": "a", "min_samples": 0})).judge_min_samples(),
            1
        );
        assert_eq!(
            m(json!({"name": "a", "min_samples": 7})).judge_min_samples(),
            7
        );
        assert_eq!(m(json!({"name": "a", "confidence": 0.9})).alpha(), 0.1);
        assert_eq!(m(json!({"name": "a"})).alpha(), 0.05);
    }

    #[test]
    fn thresholds_must_be_ordered_within_0_and_100() {
        for (pass, marginal) in [(95.0, 96.0), (101.0, 75.0), (95.0, -1.0)] {
            fails_at(
                json!({"metrics": [], "thresholds": {"pass": pass, "marginal": marginal}}),
                "/thresholds",
            );
        }
        assert!(
            check(json!({"metrics": [], "thresholds": {"pass": 100, "marginal": 100}})).is_ok()
        );
        assert!(check(json!({"metrics": [], "thresholds": {"pass": 0, "marginal": 0}})).is_ok());
    }

    #[test]
    fn metric_fields_are_checked_with_their_path() {
        fails_at(json!({"metrics": [{"name": ""}]}), "/metrics/0/name");
        fails_at(
            json!({"metrics": [{"name": "a"}, {"name": "a"}]}),
            "/metrics/1/name",
        );
        fails_at(
            json!({"metrics": [{"name": "a", "confidence": 1.0}]}),
            "/metrics/0/confidence",
        );
        fails_at(
            json!({"metrics": [{"name": "a", "quantile": 0.0}]}),
            "/metrics/0/quantile",
        );
        fails_at(
            json!({"metrics": [{"name": "a", "quantile": 1.0}]}),
            "/metrics/0/quantile",
        );
        for field in [
            "allowed_increase",
            "allowed_decrease",
            "critical_increase",
            "critical_decrease",
            "outlier_factor",
        ] {
            fails_at(
                json!({"metrics": [{"name": "a", field: -0.5}]}),
                &format!("/metrics/0/{field}"),
            );
            assert!(
                check(json!({"metrics": [{"name": "a", field: 0.0}]})).is_ok(),
                "{field}"
            );
        }
        fails_at(
            json!({"metrics": [{"name": "a", "kind": "count", "compare": "distribution"}]}),
            "/metrics/0/compare",
        );
        assert!(check(
            json!({"metrics": [{"name": "a", "kind": "quantile", "compare": "distribution"}]})
        )
        .is_ok());
    }

    #[test]
    fn non_finite_bounds_are_rejected() {
        let mut config = parse_config(json!({"metrics": [{"name": "a"}]})).unwrap();
        config.metrics[0].max = Some(f64::INFINITY);
        let err = validate_config(&config).unwrap_err();
        assert_eq!(err.path(), "/metrics/0/max");
        config.metrics[0].max = Some(1.0);
        config.metrics[0].min = Some(f64::NAN);
        assert_eq!(
            validate_config(&config).unwrap_err().path(),
            "/metrics/0/min"
        );
        config.metrics[0].min = Some(-1.0);
        config.thresholds.pass = f64::NAN;
        assert_eq!(validate_config(&config).unwrap_err().path(), "/thresholds");
    }

    #[test]
    fn group_weights_name_used_groups_and_add_up_to_at_most_100() {
        let metrics = json!([{"name": "a", "group": "x/y"}, {"name": "b"}]);
        fails_at(
            json!({"metrics": metrics, "groups": {"x/y": -1}}),
            "/groups/x~1y",
        );
        fails_at(
            json!({"metrics": metrics, "groups": {"z": 10}}),
            "/groups/z",
        );
        fails_at(
            json!({"metrics": metrics, "groups": {"x/y": 60, "default": 41}}),
            "/groups",
        );
        assert!(check(json!({"metrics": metrics, "groups": {"x/y": 60, "default": 40}})).is_ok());
    }

    #[test]
    fn wire_errors_become_canary_errors_with_their_path() {
        let err = parse_config(json!({"metrics": [{"name": "a", "kind": "gauge"}]})).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_config", "/metrics/0/kind")
        );
        assert_eq!(err.family(), crate::ErrorFamily::Canary);
        let err = as_canary_error(Error::invalid_input("a/1", "bad"), "data");
        assert_eq!(
            (err.code(), err.path(), err.message().as_str()),
            ("invalid_config", "data/a/1", "bad")
        );
        let own = Error::new(
            "x",
            crate::error::CanaryError::UnknownMetric { metric: "m".into() },
        );
        assert_eq!(as_canary_error(own.clone(), ""), own);
    }
}
