//! What an update of a canary watch returns: the run's decision with its
//! reasons and, per metric, the evidence behind it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::state::WatchState;
use crate::explain::Reason;
use crate::verdict::config::Direction;
use crate::verdict::Decision;

/// Result of [`update_canary_watch`](super::update_canary_watch): the state
/// to store for the next update, and the verdict at this look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WatchUpdate {
    /// The new state; pass it to the next update.
    pub state: WatchState,
    /// The verdict after this batch.
    pub verdict: WatchVerdict,
}

/// The decision of a canary watch at one look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WatchVerdict {
    /// `rollback`, `promote`, `continue` or `inconclusive`.
    pub decision: Decision,
    /// Why, for the person who must act on it.
    pub reasons: Vec<Reason>,
    /// The run's false-rollback level (`watch.alpha`).
    pub alpha: f64,
    /// Number of updates so far.
    pub looks: u64,
    /// Seconds from the first update to this one.
    pub elapsed_seconds: u64,
    /// Whether the bake (`min_duration` and `min_samples`) is complete.
    pub bake_complete: bool,
    /// Kayenta's score in percent, counting metrics that show harm as
    /// failing and the others as passing (`no_data` excluded).
    pub score: f64,
    /// The evidence per metric, by name.
    pub metrics: BTreeMap<String, WatchMetric>,
}

/// What a metric shows so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricVerdict {
    /// Harm beyond the allowed effect is shown.
    Rollback,
    /// Harm beyond the allowed effect is ruled out.
    Promote,
    /// Neither yet.
    Continue,
    /// No data yet.
    NoData,
}

/// One metric's evidence at a look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WatchMetric {
    /// What the metric shows.
    pub verdict: MetricVerdict,
    /// `dirichlet_multinomial`, `normal_mixture` or `quantile_sequence`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["dirichlet_multinomial", "normal_mixture", "quantile_sequence"])))]
    pub test: &'static str,
    /// Reported with its own verdict but never deciding.
    pub dry_run: bool,
    /// Whether its failure alone rolls back.
    pub critical: bool,
    /// The harmful direction.
    pub direction: Direction,
    /// Its share of the run's level (`alpha` over the deciding metrics).
    pub alpha: f64,
    /// The anytime-valid p-value of "no harm beyond the allowed effect"
    /// (smallest so far; 1 before the test has run).
    pub p_value: f64,
    /// The confidence sequence of the canary/baseline ratio (rate, mean or
    /// quantile) at level `alpha`, valid at any stopping time; `null` above
    /// is unbounded.
    #[serde(with = "super::state::interval")]
    #[cfg_attr(feature = "schema", schemars(with = "[Option<f64>; 2]"))]
    pub ci: [f64; 2],
    /// `rate_ratio`, `mean_ratio` or `quantile_ratio`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["rate_ratio", "mean_ratio", "quantile_ratio"])))]
    pub effect_kind: &'static str,
    /// The ratio's estimate at this look.
    pub effect: Option<f64>,
    /// The quantile the numbers are about (quantile tests; for a
    /// distribution, the one with the strongest evidence).
    pub quantile: Option<f64>,
    /// The mixture's evidence against equal arms at this look (counts: the
    /// Dirichlet-multinomial Bayes factor; means: Λ).
    pub bayes_factor: Option<f64>,
    /// The allowed effect: the largest harmless ratio (`null` when an
    /// increase is not harmful) and the smallest (`null` when a decrease is
    /// not harmful).
    #[serde(serialize_with = "crate::stats::as_list")]
    pub allowed: [Option<f64>; 2],
    /// The baseline arm.
    pub baseline: ArmSummary,
    /// The canary arm.
    pub canary: ArmSummary,
    /// Why, for the person who must act on it.
    pub reasons: Vec<Reason>,
}

/// One arm of a metric so far.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArmSummary {
    /// Samples seen (for counts: trials or exposure, 0 if not given).
    pub samples: f64,
    /// Events seen (counts only).
    pub events: Option<f64>,
    /// The arm's estimate: rate (counts with trials or exposure), mean, or
    /// quantile (the middle of its histogram bin).
    pub estimate: Option<f64>,
}
