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
//!
//! # Layout
//!
//! A run flows through the files in order: [`config`](CanaryConfig) (what
//! to compare and how, validated once), `data` (samples and counts, cleaned),
//! `evaluate` (each metric's test and raw evidence), `classify` (pass, high,
//! low, no data), `score` (Kayenta's weighted group score) and `decide` (the
//! decision and its [`Reason`](crate::explain::Reason)s).

mod classify;
mod config;
mod data;
mod decide;
mod evaluate;
mod score;
pub mod watch;

use std::collections::BTreeMap;

pub use classify::{Classification, MetricResult};
pub use config::{
    as_canary_error, parse_config, CanaryConfig, Compare, Direction, MetricConfig, MetricKind,
    NanPolicy, Outliers, Thresholds,
};
pub use data::{parse_data, CanaryData, Counts, MetricData, Sample};
pub use decide::{CanaryVerdict, Decision};
pub use score::GroupScore;
pub use watch::{
    start_canary_watch, update_canary_watch, WatchConfig, WatchState, WatchUpdate, WatchVerdict,
};

use crate::error::{pointer_token, CanaryError, Error, Result};
use crate::stats::adjust_p_values;

/// The group of a metric that names none.
pub(crate) const DEFAULT_GROUP: &str = "default";

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
    config::validate_config(config)?;
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
    let mut evaluated: Vec<(usize, evaluate::Evaluation)> =
        Vec::with_capacity(config.metrics.len());
    for (index, metric) in config.metrics.iter().enumerate() {
        let eval = evaluate::evaluate(metric, data.get(&metric.name))?;
        evaluated.push((index, eval));
    }

    // Phase 2: multiple-comparison correction over the tested deciding
    // metrics, in name order so that the result does not depend on the
    // config's order. Dry-run metrics keep their raw p-values.
    let mut tested: Vec<(String, usize, f64)> = evaluated
        .iter()
        .filter_map(|(i, e)| {
            let metric = config.metrics.get(*i)?;
            let tested = e.no_data.is_none() && e.short.is_none() && !metric.dry_run;
            e.p_value
                .filter(|_| tested)
                .map(|p| (metric.name.clone(), *i, p))
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
        let result = classify::classify(metric, eval, adjusted_by_index.get(&index).copied());
        metrics.insert(metric.name.clone(), result);
    }
    Ok(decide::score_and_decide(config, metrics))
}
