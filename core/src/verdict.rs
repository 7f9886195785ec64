//! Canary analysis: compares a canary with its baseline metric by metric,
//! classifies each metric with the raw evidence, scores the run the way
//! Kayenta does, and decides: promote, continue, roll back, or inconclusive.
//!
//! The same machinery serves a post-rollback stability check (the window after
//! a rollback as "canary" against the pre-deployment window as "baseline") and
//! the A/B assessment of a feature (treatment as canary, control as baseline).
//!
//! Where rollgate departs from Kayenta (NetflixACAJudge):
//! - count metrics are compared as counts (Fisher's exact / score test, or an
//!   exact Poisson rate test), so a baseline with zero errors against a canary
//!   with errors is detected instead of passing or reporting no data, and a
//!   metric whose ratio is unbounded never lets the canary be promoted;
//! - `compare: distribution` adds a Kolmogorov-Smirnov test that catches a
//!   change of spread or shape a rank test misses;
//! - quantile metrics get a distribution-free interval and a warning below
//!   `10 / (1 − q)` samples (1,000 for a p99);
//! - tests are one-sided in the harmful direction, p-values can be corrected
//!   for testing many metrics (Holm or Benjamini-Hochberg), and every number
//!   behind a classification is in the result;
//! - no random jitter is ever added: constant data is handled exactly.
//!
//! Error guarantees: a metric is classified as failing only when its
//! (adjusted) p-value is below `1 − confidence`; without correction each
//! metric's false-failure rate under no change is at most `1 − confidence`
//! (for the exact and rank tests; asymptotically for the score test), with
//! `holm` the chance that any metric fails falsely is at most that.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{pointer_token, CanaryError, Error, ErrorKind, Result};
use crate::stats::{self, adjust_p_values, quantile::type7, Alternative, Correction};

/// The canary analysis configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
    /// Multiple-comparison correction across the metrics' p-values.
    #[serde(default)]
    pub correction: Correction,
}

/// Score thresholds in percent: at least `pass` promotes, at least
/// `marginal` continues, below rolls back.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
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
    /// Fewest samples per side (or events + trials present for counts) to
    /// test at all (default 1); fewer gives `no_data`.
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
}

/// The canary and baseline data of every metric, keyed by metric name.
pub type CanaryData = BTreeMap<String, MetricData>;

/// One metric's data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricData {
    /// The reference population.
    pub baseline: Sample,
    /// The population under test.
    pub canary: Sample,
}

/// Samples or counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Sample {
    /// Observations; NaN for missing values (JSON `null`).
    Values(Vec<f64>),
    /// Event counts.
    Counts(Counts),
}

/// Event counts over trials (proportion) or over exposure (rate).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Number of events (errors, crashes).
    pub events: f64,
    /// Number of trials (requests); the events are a subset.
    pub trials: Option<f64>,
    /// Exposure (time, traffic share) for a Poisson rate.
    pub exposure: Option<f64>,
}

impl<'de> Deserialize<'de> for Sample {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct SampleVisitor;
        impl<'de> Visitor<'de> for SampleVisitor {
            type Value = Sample;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of numbers (null for missing) or {\"events\", \"trials\"}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Sample, A::Error> {
                crate::wire::read_sample_seq(seq).map(Sample::Values)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Sample, A::Error> {
                Counts::deserialize(de::value::MapAccessDeserializer::new(map)).map(Sample::Counts)
            }
        }
        deserializer.deserialize_any(SampleVisitor)
    }
}

/// Classification of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// No harmful change found.
    Pass,
    /// A harmful increase.
    High,
    /// A harmful decrease.
    Low,
    /// Too little data; excluded from the score.
    NoData,
    /// Too little data for a metric that must have it; counts as a failure.
    NoDataFail,
}

/// A code plus a sentence, naming the metrics involved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Stable machine code, e.g. `metric_failed`.
    pub code: &'static str,
    /// Human sentence.
    pub message: String,
    /// Metrics involved, sorted.
    pub metrics: Vec<String>,
}

/// The evidence and classification of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricResult {
    /// The classification.
    pub classification: Classification,
    /// Test used: `mann_whitney`, `kolmogorov_smirnov`, `fisher_exact`,
    /// `score`, `conditional_binomial`, `quantile_test`, or `none`.
    pub test: &'static str,
    /// Test statistic (U of the canary, KS distance, ...), if any.
    pub statistic: Option<f64>,
    /// Raw p-value (one-sided in the harmful direction unless `either`).
    pub p_value: Option<f64>,
    /// P-value after the configured correction.
    pub adjusted_p_value: Option<f64>,
    /// Significance level the adjusted p-value is compared with.
    pub alpha: f64,
    /// What `effect` measures: `shift` (Hodges-Lehmann canary − baseline),
    /// `ratio` (counts), `quantile_difference`, `ks_distance`.
    pub effect_kind: &'static str,
    /// Effect estimate.
    pub effect: Option<f64>,
    /// Confidence interval of `effect`; `null` sides are unbounded.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// Canary/baseline ratio of means (continuous), rates (count) or
    /// quantiles; `null` when the baseline is 0.
    pub effect_ratio: Option<f64>,
    /// Harmful direction.
    pub direction: Direction,
    /// Whether the metric is critical.
    pub critical: bool,
    /// Whether the failure is critical (critical metric or critical bound).
    pub critical_failure: bool,
    /// Group of the metric.
    pub group: String,
    /// Baseline size after cleaning (trials for counts).
    pub n_baseline: f64,
    /// Canary size after cleaning (trials for counts).
    pub n_canary: f64,
    /// NaN values removed (baseline + canary).
    pub removed_nan: usize,
    /// Outliers removed (baseline + canary).
    pub removed_outliers: usize,
    /// Canary values outside the SLO bounds `min`/`max`.
    pub slo_violations: usize,
    /// Warning codes: `few_samples`, `few_tail_samples`, `zero_baseline`, ...
    pub warnings: Vec<&'static str>,
    /// Why the metric got its classification.
    pub reason: String,
}

/// Score of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    /// Percentage of passing metrics (`no_data` excluded); `null` when the
    /// group has no classified metric.
    pub score: Option<f64>,
    /// Effective weight in percent.
    pub weight: f64,
    /// Metrics classified `pass`.
    pub pass: usize,
    /// Metrics classified `high`, `low` or `no_data_fail`.
    pub fail: usize,
    /// Metrics classified `no_data`.
    pub no_data: usize,
}

/// The decision about a canary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The canary is good: promote it.
    Promote,
    /// Not decided yet: keep collecting data.
    Continue,
    /// The canary is bad: roll back.
    Rollback,
    /// The data cannot support a decision: a person must look.
    Inconclusive,
}

/// Result of [`judge_canary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanaryVerdict {
    /// The decision.
    pub decision: Decision,
    /// Kayenta-compatible score in percent.
    pub score: f64,
    /// Why the score was forced to 0, if it was.
    pub score_forced_to_zero: Option<&'static str>,
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// Why the decision was taken.
    pub reasons: Vec<Reason>,
    /// Scores per group.
    pub groups: BTreeMap<String, GroupScore>,
    /// Evidence per metric.
    pub metrics: BTreeMap<String, MetricResult>,
}

const DEFAULT_GROUP: &str = "default";

/// Judges a canary against its baseline.
///
/// `config` is the main document (error paths start with `/`); `data` maps
/// metric names to `{baseline, canary}` (error paths start with `data/`).
///
/// Errors (`canary` family): `invalid_config` (duplicate metric, confidence
/// outside (0, 1), bad thresholds or weights), `unknown_metric` (data for a
/// metric the config does not name), `invalid_sample` (NaN/inf under
/// `nan_policy: reject`, with metric and index), `invalid_count`.
///
/// ```
/// use rollgate::verdict::{judge_canary, CanaryConfig, CanaryData, Decision};
/// let config: CanaryConfig = rollgate::wire::from_json(r#"{
///   "metrics": [{"name": "latency", "direction": "increase"},
///               {"name": "errors", "kind": "count", "direction": "increase"}]
/// }"#)?;
/// let data: CanaryData = rollgate::wire::from_json(r#"{
///   "latency": {"baseline": [10, 11, 12, 13, 14, 15], "canary": [10.5, 11, 12, 13, 14.5, 15]},
///   "errors": {"baseline": {"events": 0, "trials": 10000}, "canary": {"events": 9, "trials": 10000}}
/// }"#)?;
/// let verdict = judge_canary(&config, &data)?;
/// assert_eq!(verdict.decision, Decision::Rollback);
/// assert_eq!(verdict.metrics["errors"].classification, rollgate::verdict::Classification::High);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn judge_canary(config: &CanaryConfig, data: &CanaryData) -> Result<CanaryVerdict> {
    validate_config(config)?;
    for name in data.keys() {
        if !config.metrics.iter().any(|m| &m.name == name) {
            return Err(Error::new(
                format!("data/{}", pointer_token(name)),
                CanaryError::UnknownMetric {
                    metric: name.clone(),
                },
            ));
        }
    }

    // Phase 1: per-metric tests.
    let mut evaluated: Vec<(usize, Evaluation)> = Vec::with_capacity(config.metrics.len());
    for (index, metric) in config.metrics.iter().enumerate() {
        let eval = evaluate(metric, data.get(&metric.name))?;
        evaluated.push((index, eval));
    }

    // Phase 2: multiple-comparison correction over the tested metrics, in
    // name order so that the result does not depend on the config's order.
    let mut tested: Vec<(String, usize, f64)> = evaluated
        .iter()
        .filter_map(|(i, e)| {
            let metric = config.metrics.get(*i)?;
            e.p_value.map(|p| (metric.name.clone(), *i, p))
        })
        .collect();
    tested.sort_by(|a, b| a.0.cmp(&b.0));
    let raw: Vec<f64> = tested.iter().map(|t| t.2).collect();
    let adjusted = adjust_p_values(&raw, config.correction)?;
    let mut adjusted_by_index = BTreeMap::new();
    for ((_, i, _), adj) in tested.iter().zip(adjusted) {
        adjusted_by_index.insert(*i, adj);
    }

    // Phase 3: classification.
    let mut metrics = BTreeMap::new();
    for (index, eval) in evaluated {
        let Some(metric) = config.metrics.get(index) else {
            continue;
        };
        let result = classify(metric, eval, adjusted_by_index.get(&index).copied());
        metrics.insert(metric.name.clone(), result);
    }
    Ok(score_and_decide(config, metrics))
}

fn invalid(path: String, message: String) -> Error {
    Error::invalid_config(path, message)
}

fn validate_config(config: &CanaryConfig) -> Result<()> {
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

/// The outcome of a metric's test before classification.
#[derive(Debug, Default)]
struct Evaluation {
    no_data: Option<String>,
    test: &'static str,
    statistic: Option<f64>,
    p_value: Option<f64>,
    effect_kind: &'static str,
    effect: Option<f64>,
    ci: [Option<f64>; 2],
    /// Canary/baseline ratio; `None` with `unbounded` when the baseline is 0.
    ratio: Option<f64>,
    unbounded: bool,
    /// Sign of the estimated change: +1 increase, −1 decrease, 0 none.
    sign: f64,
    n_baseline: f64,
    n_canary: f64,
    removed_nan: usize,
    removed_outliers: usize,
    slo_violations: usize,
    slo_side: f64,
    alpha: f64,
    warnings: Vec<&'static str>,
}

fn alternative_for(direction: Direction) -> Alternative {
    match direction {
        Direction::Increase => Alternative::Greater,
        Direction::Decrease => Alternative::Less,
        Direction::Either => Alternative::TwoSided,
    }
}

fn data_path(metric: &str, side: &str) -> String {
    format!("data/{}/{side}", pointer_token(metric))
}

/// Applies the NaN policy and outlier rule to one side's values.
fn clean(metric: &MetricConfig, values: &[f64], side: &str) -> Result<(Vec<f64>, usize, usize)> {
    let mut removed_nan = 0;
    let mut kept = Vec::with_capacity(values.len());
    for (index, &v) in values.iter().enumerate() {
        if v.is_finite() {
            kept.push(v + 0.0);
        } else if metric.nan_policy == NanPolicy::Remove {
            removed_nan += 1;
        } else {
            return Err(Error::new(
                format!("{}/{index}", data_path(&metric.name, side)),
                CanaryError::InvalidSample {
                    metric: Some(metric.name.clone()),
                    index,
                    value: stats::format_non_finite(v),
                },
            ));
        }
    }
    let mut kept = stats::sort_values(kept);
    let mut removed_outliers = 0;
    if metric.outliers == Outliers::Iqr && kept.len() >= 4 {
        let factor = metric.outlier_factor.unwrap_or(3.0);
        let q1 = type7(&kept, 0.25);
        let q3 = type7(&kept, 0.75);
        let iqr = q3 - q1;
        let (lo, hi) = (q1 - factor * iqr, q3 + factor * iqr);
        let before = kept.len();
        kept.retain(|&v| v >= lo && v <= hi);
        removed_outliers = before - kept.len();
    }
    Ok((kept, removed_nan, removed_outliers))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn ratio_of(canary: f64, baseline: f64) -> (Option<f64>, bool) {
    if baseline != 0.0 {
        (Some(canary / baseline), false)
    } else if canary == 0.0 {
        (Some(1.0), false)
    } else {
        (None, true)
    }
}

fn evaluate(metric: &MetricConfig, data: Option<&MetricData>) -> Result<Evaluation> {
    let confidence = metric.confidence.unwrap_or(0.95);
    let mut eval = Evaluation {
        alpha: 1.0 - confidence,
        test: "none",
        effect_kind: match (metric.kind, metric.compare) {
            (MetricKind::Count, _) => "ratio",
            (MetricKind::Quantile, _) => "quantile_difference",
            (MetricKind::Continuous, Compare::Distribution) => "ks_distance",
            (MetricKind::Continuous, Compare::Location) => "shift",
        },
        ..Evaluation::default()
    };
    let Some(data) = data else {
        eval.no_data = Some("no data was given".into());
        return Ok(eval);
    };
    let alternative = alternative_for(metric.direction);
    let min_samples = metric.min_samples.unwrap_or(1).max(1);
    match (metric.kind, &data.baseline, &data.canary) {
        (MetricKind::Count, Sample::Counts(b), Sample::Counts(c)) => {
            evaluate_counts(metric, b, c, alternative, confidence, min_samples, &mut eval)?;
        }
        (MetricKind::Count, _, _) => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                format!(
                    "metric `{}` is a count metric: give {{\"events\", \"trials\"}} or {{\"events\", \"exposure\"}} for baseline and canary",
                    metric.name
                ),
            ))
        }
        (_, Sample::Values(b), Sample::Values(c)) => {
            let (bs, bn, bo) = clean(metric, b, "baseline")?;
            let (cs, cn, co) = clean(metric, c, "canary")?;
            eval.removed_nan = bn + cn;
            eval.removed_outliers = bo + co;
            eval.n_baseline = bs.len() as f64;
            eval.n_canary = cs.len() as f64;
            if bs.len() < min_samples || cs.len() < min_samples {
                eval.no_data = Some(format!(
                    "{} baseline and {} canary samples, fewer than min_samples {min_samples}",
                    bs.len(),
                    cs.len()
                ));
                return Ok(eval);
            }
            if bs.len() < 50 || cs.len() < 50 {
                eval.warnings.push("few_samples");
            }
            // SLO bounds on the canary's samples.
            let (violations, side) = slo_count(metric, &cs);
            eval.slo_violations = violations;
            eval.slo_side = side;
            if metric.kind == MetricKind::Quantile {
                let q = metric.quantile.unwrap_or(0.99);
                let needed = (10.0 / (1.0 - q)).ceil();
                if (bs.len() as f64) < needed || (cs.len() as f64) < needed {
                    eval.warnings.push("few_tail_samples");
                }
                let r = stats::quantile::compare_sorted(&cs, &bs, q, alternative, confidence);
                eval.test = "quantile_test";
                eval.p_value = Some(r.p_value);
                eval.effect = Some(r.estimate);
                eval.ci = r.ci;
                let (ratio, unbounded) = ratio_of(r.quantile_x, r.quantile_y);
                eval.ratio = ratio;
                eval.unbounded = unbounded;
                eval.sign = crate::stats::mann_whitney::sign(r.estimate);
            } else {
                let mw = stats::mann_whitney::mann_whitney_sorted(
                    &cs,
                    &bs,
                    alternative,
                    confidence,
                    false,
                );
                let (ratio, unbounded) = ratio_of(mean(&cs), mean(&bs));
                eval.ratio = ratio;
                eval.unbounded = unbounded;
                eval.sign = crate::stats::mann_whitney::sign(mw.estimate);
                if metric.compare == Compare::Distribution {
                    let ks = stats::ks::ks_sorted(&cs, &bs);
                    eval.test = "kolmogorov_smirnov";
                    eval.statistic = Some(ks.statistic);
                    eval.p_value = Some(ks.p_value);
                    eval.effect = Some(ks.statistic);
                    eval.ci = [None, None];
                    // Which way did it change? Location if the shift is
                    // clear, else spread.
                    let location_clear = mw.ci[0].is_some_and(|l| l > 0.0)
                        || mw.ci[1].is_some_and(|h| h < 0.0);
                    if !location_clear {
                        let spread = |v: &[f64]| type7(v, 0.75) - type7(v, 0.25);
                        let (sc, sb) = (spread(&cs), spread(&bs));
                        eval.sign = crate::stats::mann_whitney::sign(sc - sb);
                        eval.warnings.push("spread_change");
                    }
                } else {
                    eval.test = "mann_whitney";
                    eval.statistic = Some(mw.statistic);
                    eval.p_value = Some(mw.p_value);
                    eval.effect = Some(mw.estimate);
                    eval.ci = mw.ci;
                }
            }
        }
        _ => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                format!(
                    "metric `{}` takes lists of samples for baseline and canary",
                    metric.name
                ),
            ))
        }
    }
    if eval.unbounded {
        eval.warnings.push("zero_baseline");
    }
    Ok(eval)
}

fn slo_count(metric: &MetricConfig, canary: &[f64]) -> (usize, f64) {
    let above = metric
        .max
        .map_or(0, |max| canary.iter().filter(|&&v| v > max).count());
    let below = metric
        .min
        .map_or(0, |min| canary.iter().filter(|&&v| v < min).count());
    (above + below, if above >= below { 1.0 } else { -1.0 })
}

fn evaluate_counts(
    metric: &MetricConfig,
    baseline: &Counts,
    canary: &Counts,
    alternative: Alternative,
    confidence: f64,
    min_samples: usize,
    eval: &mut Evaluation,
) -> Result<()> {
    let read = |c: &Counts, side: &str| -> Result<(f64, Option<f64>, Option<f64>)> {
        let base = data_path(&metric.name, side);
        let events =
            stats::proportions::check_count(c.events, &format!("{base}/events"), false)? as f64;
        match (c.trials, c.exposure) {
            (Some(t), None) => {
                let trials =
                    stats::proportions::check_count(t, &format!("{base}/trials"), false)? as f64;
                if events > trials {
                    return Err(Error::new(
                        format!("{base}/events"),
                        CanaryError::InvalidCount {
                            value: c.events.to_string(),
                            reason: format!("events exceed trials ({t})"),
                        },
                    ));
                }
                Ok((events, Some(trials), None))
            }
            (None, Some(e)) => {
                if !(e.is_finite() && e >= 0.0) {
                    return Err(Error::new(
                        format!("{base}/exposure"),
                        CanaryError::InvalidCount {
                            value: e.to_string(),
                            reason: "exposure must be finite and >= 0".into(),
                        },
                    ));
                }
                Ok((events, None, Some(e)))
            }
            _ => Err(invalid(
                base,
                "counts need exactly one of `trials` and `exposure`".into(),
            )),
        }
    };
    let (be, bt, bx) = read(baseline, "baseline")?;
    let (ce, ct, cx) = read(canary, "canary")?;
    let size = |t: Option<f64>, x: Option<f64>| t.or(x).unwrap_or(0.0);
    eval.n_baseline = size(bt, bx);
    eval.n_canary = size(ct, cx);
    let min = min_samples as f64;
    let empty = |t: Option<f64>, x: Option<f64>| match (t, x) {
        (Some(t), _) => t < min,
        (_, Some(x)) => x <= 0.0,
        _ => true,
    };
    if empty(bt, bx) || empty(ct, cx) {
        eval.no_data = Some("no trials or exposure on one side".into());
        return Ok(());
    }
    let canary_rate = ce / size(ct, cx);
    if let Some(max) = metric.max {
        eval.slo_violations += usize::from(canary_rate > max);
        eval.slo_side = 1.0;
    }
    if let Some(min) = metric.min {
        if canary_rate < min {
            eval.slo_violations += 1;
            eval.slo_side = -1.0;
        }
    }
    match (bt, ct, bx, cx) {
        (Some(bt), Some(ct), _, _) => {
            let r = stats::compare_proportions(ce, ct, be, bt, alternative, confidence)?;
            eval.test = r.method;
            eval.p_value = Some(r.p_value);
            eval.effect = r.ratio;
            eval.ci = r.ci;
            eval.sign = crate::stats::mann_whitney::sign(r.difference);
        }
        (_, _, Some(bx), Some(cx)) => {
            let r = stats::compare_rates(ce, cx, be, bx, alternative, confidence)?;
            eval.test = r.method;
            eval.p_value = Some(r.p_value);
            eval.effect = r.ratio;
            eval.ci = r.ci;
            eval.sign = crate::stats::mann_whitney::sign(r.rate_x - r.rate_y);
        }
        _ => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                "baseline and canary must both use `trials` or both `exposure`".into(),
            ))
        }
    }
    let (ratio, unbounded) = ratio_of(canary_rate, be / eval.n_baseline);
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    Ok(())
}

fn classify(metric: &MetricConfig, eval: Evaluation, adjusted: Option<f64>) -> MetricResult {
    let group = metric.group.clone().unwrap_or_else(|| DEFAULT_GROUP.into());
    let mut critical_failure = false;
    let (classification, reason) = if let Some(why) = &eval.no_data {
        if metric.must_have_data {
            critical_failure = metric.critical;
            (
                Classification::NoDataFail,
                format!("{}: {why}, and the metric must have data", metric.name),
            )
        } else {
            (Classification::NoData, format!("{}: {why}", metric.name))
        }
    } else {
        let p = adjusted.or(eval.p_value).unwrap_or(1.0);
        let significant = p < eval.alpha;
        let ratio = eval.ratio;
        let exceeds_up = |bound: f64| eval.unbounded || ratio.is_some_and(|r| r > bound);
        let exceeds_down = |bound: f64| ratio.is_some_and(|r| r < bound);
        let distribution = eval.test == "kolmogorov_smirnov";
        let up_bad = matches!(metric.direction, Direction::Increase | Direction::Either);
        let down_bad = matches!(metric.direction, Direction::Decrease | Direction::Either);
        let high = significant
            && eval.sign > 0.0
            && up_bad
            && (distribution || exceeds_up(metric.allowed_increase.unwrap_or(1.0)));
        let low = significant
            && eval.sign < 0.0
            && down_bad
            && (distribution || exceeds_down(metric.allowed_decrease.unwrap_or(1.0)));
        let ratio_text = match ratio {
            Some(r) => format!("{r:.4}"),
            None => "unbounded (baseline is 0)".into(),
        };
        let slo_limit = metric.failure_limit.unwrap_or(0);
        if high || low {
            let bound_hit = if high {
                metric.critical_increase.is_some_and(exceeds_up)
            } else {
                metric.critical_decrease.is_some_and(exceeds_down)
            };
            critical_failure = metric.critical || bound_hit;
            (
                if high {
                    Classification::High
                } else {
                    Classification::Low
                },
                format!(
                    "{}: {} ({}, p = {p:.3e} < {:.3}), canary/baseline ratio {ratio_text}{}",
                    metric.name,
                    if high {
                        "significant increase"
                    } else {
                        "significant decrease"
                    },
                    eval.test,
                    eval.alpha,
                    if bound_hit {
                        ", beyond the critical bound"
                    } else {
                        ""
                    }
                ),
            )
        } else if eval.slo_violations > slo_limit {
            critical_failure = metric.critical;
            (
                if eval.slo_side > 0.0 { Classification::High } else { Classification::Low },
                format!(
                    "{}: {} canary value(s) outside the SLO bounds, more than failure_limit {slo_limit}",
                    metric.name, eval.slo_violations
                ),
            )
        } else {
            (
                Classification::Pass,
                format!(
                    "{}: no significant harmful change ({}, p = {p:.3e}, level {:.3}), canary/baseline ratio {ratio_text}",
                    metric.name, eval.test, eval.alpha
                ),
            )
        }
    };
    MetricResult {
        classification,
        test: eval.test,
        statistic: eval.statistic,
        p_value: eval.p_value,
        adjusted_p_value: adjusted.or(eval.p_value),
        alpha: eval.alpha,
        effect_kind: eval.effect_kind,
        effect: eval.effect,
        ci: eval.ci,
        effect_ratio: eval.ratio,
        direction: metric.direction,
        critical: metric.critical,
        critical_failure,
        group,
        n_baseline: eval.n_baseline,
        n_canary: eval.n_canary,
        removed_nan: eval.removed_nan,
        removed_outliers: eval.removed_outliers,
        slo_violations: eval.slo_violations,
        warnings: eval.warnings,
        reason,
    }
}

fn names(
    metrics: &BTreeMap<String, MetricResult>,
    pred: impl Fn(&MetricResult) -> bool,
) -> Vec<String> {
    metrics
        .iter()
        .filter(|(_, m)| pred(m))
        .map(|(n, _)| n.clone())
        .collect()
}

fn score_and_decide(
    config: &CanaryConfig,
    metrics: BTreeMap<String, MetricResult>,
) -> CanaryVerdict {
    let is_fail = |c: Classification| {
        matches!(
            c,
            Classification::High | Classification::Low | Classification::NoDataFail
        )
    };
    // Group tallies.
    let mut groups: BTreeMap<String, GroupScore> = BTreeMap::new();
    for m in metrics.values() {
        let g = groups.entry(m.group.clone()).or_insert(GroupScore {
            score: None,
            weight: 0.0,
            pass: 0,
            fail: 0,
            no_data: 0,
        });
        match m.classification {
            Classification::Pass => g.pass += 1,
            Classification::NoData => g.no_data += 1,
            _ => g.fail += 1,
        }
    }
    for g in groups.values_mut() {
        let counted = g.pass + g.fail;
        if counted > 0 {
            g.score = Some(100.0 * g.pass as f64 / counted as f64);
        }
    }
    // Weights: configured ones, the rest of 100 shared by the others; only
    // groups with a score take part, and weights are scaled to 100.
    let configured: f64 = groups
        .iter()
        .filter(|(n, g)| g.score.is_some() && config.groups.contains_key(*n))
        .filter_map(|(n, _)| config.groups.get(n))
        .sum();
    let unweighted = groups
        .iter()
        .filter(|(n, g)| g.score.is_some() && !config.groups.contains_key(*n))
        .count();
    let share = if unweighted > 0 {
        (100.0 - configured).max(0.0) / unweighted as f64
    } else {
        0.0
    };
    for (name, g) in groups.iter_mut() {
        if g.score.is_some() {
            g.weight = config.groups.get(name).copied().unwrap_or(share);
        }
    }
    let total_weight: f64 = groups.values().map(|g| g.weight).sum();
    let mut score = if total_weight > 0.0 {
        groups
            .values()
            .filter_map(|g| g.score.map(|s| s * g.weight))
            .sum::<f64>()
            / total_weight
    } else {
        0.0
    };
    for g in groups.values_mut() {
        if total_weight > 0.0 {
            g.weight = 100.0 * g.weight / total_weight;
        }
    }

    let mut reasons = Vec::new();
    let failed = names(&metrics, |m| is_fail(m.classification));
    let critical = names(&metrics, |m| {
        m.critical_failure && is_fail(m.classification)
    });
    let no_data = names(&metrics, |m| {
        matches!(
            m.classification,
            Classification::NoData | Classification::NoDataFail
        )
    });
    let zero_baseline = names(&metrics, |m| {
        m.classification == Classification::Pass
            && m.warnings.contains(&"zero_baseline")
            && !matches!(m.direction, Direction::Decrease)
    });
    let total = metrics.len();
    let mut forced = None;
    if !critical.is_empty() {
        forced = Some("critical_metric_failed");
        score = 0.0;
    } else if total == 0 || 2 * no_data.len() >= total {
        forced = Some("too_many_no_data");
        score = 0.0;
    }
    let t = config.thresholds;
    let list = |v: &[String]| v.join(", ");
    let decision = if let Some(code) = forced {
        if code == "critical_metric_failed" {
            reasons.push(Reason {
                code,
                message: format!(
                    "critical metric(s) failed: {}; score forced to 0",
                    list(&critical)
                ),
                metrics: critical.clone(),
            });
            Decision::Rollback
        } else {
            reasons.push(Reason {
                code,
                message: format!(
                    "{} of {total} metric(s) have no data ({}); score forced to 0 and no decision can be taken",
                    no_data.len(),
                    list(&no_data)
                ),
                metrics: no_data.clone(),
            });
            if failed.iter().any(|f| !no_data.contains(f)) {
                Decision::Rollback
            } else {
                Decision::Inconclusive
            }
        }
    } else if score < t.marginal {
        reasons.push(Reason {
            code: "score_below_marginal",
            message: format!(
                "score {score:.1} is below the marginal threshold {}",
                t.marginal
            ),
            metrics: failed.clone(),
        });
        Decision::Rollback
    } else if score < t.pass {
        reasons.push(Reason {
            code: "score_marginal",
            message: format!(
                "score {score:.1} is marginal (at least {}, below {}); keep collecting data",
                t.marginal, t.pass
            ),
            metrics: failed.clone(),
        });
        Decision::Continue
    } else if !zero_baseline.is_empty() {
        reasons.push(Reason {
            code: "zero_baseline",
            message: format!(
                "score {score:.1} passes, but the baseline of {} is 0 while the canary is not, so the increase is unbounded; keep collecting data",
                list(&zero_baseline)
            ),
            metrics: zero_baseline.clone(),
        });
        Decision::Continue
    } else {
        reasons.push(Reason {
            code: "score_passed",
            message: format!("score {score:.1} reaches the pass threshold {}", t.pass),
            metrics: Vec::new(),
        });
        Decision::Promote
    };
    if !failed.is_empty() && forced != Some("critical_metric_failed") {
        reasons.push(Reason {
            code: "metric_failed",
            message: format!("failing metric(s): {}", list(&failed)),
            metrics: failed.clone(),
        });
    }
    let no_data_only: Vec<String> = no_data
        .iter()
        .filter(|n| !failed.contains(n))
        .cloned()
        .collect();
    if !no_data_only.is_empty() && forced.is_none() {
        reasons.push(Reason {
            code: "no_data",
            message: format!(
                "metric(s) without data, excluded from the score: {}",
                list(&no_data_only)
            ),
            metrics: no_data_only,
        });
    }
    CanaryVerdict {
        decision,
        score,
        score_forced_to_zero: forced,
        thresholds: t,
        reasons,
        groups,
        metrics,
    }
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

/// Reads canary data from any serde source; malformed input is
/// `invalid_config` with a path starting with `data/`.
///
/// ```
/// let v = serde_json::json!({"cpu": {"baseline": [1, 2], "canary": "x"}});
/// let err = rollgate::verdict::parse_data(v).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_config", "data/cpu/canary"));
/// ```
pub fn parse_data(value: serde_json::Value) -> Result<CanaryData> {
    crate::wire::from_value(value).map_err(|e| as_canary_error(e, "data"))
}

/// Turns a generic wire error (unknown field, wrong type) met while reading
/// canary input into the canary family's `invalid_config`, keeping its path
/// and message; `prefix` is the argument name for secondary arguments.
/// A value of a sample that is not a number is `invalid_sample`; inside canary
/// data (`/<metric>/baseline/<index>`) it names its metric.
pub(crate) fn as_canary_error(err: Error, prefix: &str) -> Error {
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
