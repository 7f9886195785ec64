//! Change risk: an explainable additive model on the log-odds scale.
//!
//! `log_odds = baseline + Σ contribution`, one contribution per factor,
//! `contribution = weight · (feature − center)`, and the probability of
//! failure is the logistic function of the log-odds. The `center` of a factor
//! is its typical value in the training data, so the baseline is the log-odds
//! of a typical change and a positive contribution means "riskier than
//! typical because of this".
//!
//! Factors come from four sources:
//! - the change itself (size, diffusion, history of the touched files, author
//!   experience, kind, migration, reversibility, evidence, timing, the chosen
//!   strategy's rollback speed) — these are the ones [`fit_risk_model`] learns;
//! - the plan, when given: blast radius through
//!   [`ServiceGraph::blast_radius`](crate::ServiceGraph::blast_radius),
//!   statefulness, customer-facing share;
//! - the outcome history, when given: each touched service's change-failure
//!   rate as a Beta-binomial posterior, and the author's track record on the
//!   touched services;
//! - the caller's context, when given: the release-window status (see
//!   [`WindowStatus`]) and peak hours.
//!
//! Factors whose input is absent are left out and listed in `not_assessed`.
//! Without a model the shipped defaults ([`default_risk_model`]) are used;
//! their provenance is documented in `core/src/risk_defaults.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::change::{validate_history, Change, ChangeKind, ChangeOutcome, ChangeType, Strategy};
use crate::error::{ChangeError, Error, PlanError, Result};
use crate::graph::ServiceGraph;
use crate::plan::Plan;

/// The shipped default model (JSON), fitted and documented by
/// `core/examples/fit_defaults.rs`.
const DEFAULT_MODEL_JSON: &str = include_str!("risk_defaults.json");

/// Where a factor's input comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Change,
    Plan,
    History,
    Context,
}

/// Every factor code this version knows, in canonical order, with its source.
const FACTORS: &[(&str, Source)] = &[
    ("lines_added", Source::Change),
    ("lines_deleted", Source::Change),
    ("lines_before", Source::Change),
    ("files_changed", Source::Change),
    ("directories_changed", Source::Change),
    ("subsystems_changed", Source::Change),
    ("entropy", Source::Change),
    ("is_fix", Source::Change),
    ("prior_developers", Source::Change),
    ("prior_changes", Source::Change),
    ("author_experience", Source::Change),
    ("author_recent_experience", Source::Change),
    ("author_subsystem_experience", Source::Change),
    ("kind_config", Source::Change),
    ("kind_schema", Source::Change),
    ("kind_infrastructure", Source::Change),
    ("has_migration", Source::Change),
    ("irreversible", Source::Change),
    ("emergency", Source::Change),
    ("feature_flag", Source::Change),
    ("tests_failed", Source::Change),
    ("no_test_evidence", Source::Change),
    ("coverage_gap", Source::Change),
    ("security_scan_failed", Source::Change),
    ("weekend", Source::Change),
    ("off_hours", Source::Change),
    ("slow_rollback", Source::Change),
    ("peak", Source::Context),
    ("outside_window", Source::Context),
    ("near_freeze", Source::Context),
    ("stateful_services", Source::Plan),
    ("transitive_dependents", Source::Plan),
    ("customer_facing_share", Source::Plan),
    ("traffic_exposed", Source::Plan),
    ("service_failure_history", Source::History),
    ("author_service_experience", Source::History),
];

/// A freeze this close (or closer) counts fully for `near_freeze`; the factor
/// falls linearly to 0 at this distance.
pub const NEAR_FREEZE_HORIZON_SECS: f64 = 72.0 * 3600.0;

fn source_of(code: &str) -> Option<Source> {
    FACTORS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
}

/// The factor codes [`fit_risk_model`] can learn: those computed from the
/// change alone.
///
/// ```
/// assert!(rollgate::risk::fittable_factors().contains(&"lines_added"));
/// assert!(!rollgate::risk::fittable_factors().contains(&"transitive_dependents"));
/// ```
pub fn fittable_factors() -> Vec<&'static str> {
    FACTORS
        .iter()
        .filter(|(_, s)| *s == Source::Change)
        .map(|(c, _)| *c)
        .collect()
}

/// Risk level, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Below the `medium` threshold.
    Low,
    /// At least `medium`.
    Medium,
    /// At least `high`.
    High,
    /// At least `critical`.
    Critical,
}

impl RiskLevel {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::RiskLevel::High.as_str(), "high");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }
}

/// Probability thresholds of the risk levels: a change is `medium` from
/// `medium` on, and so on. Must satisfy `0 < medium < high < critical < 1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelThresholds {
    /// Lowest probability of a `medium` change.
    pub medium: f64,
    /// Lowest probability of a `high` change.
    pub high: f64,
    /// Lowest probability of a `critical` change.
    pub critical: f64,
}

/// Beta prior of a service's change-failure rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BetaPrior {
    /// Pseudo-failures (> 0).
    pub alpha: f64,
    /// Pseudo-successes (> 0).
    pub beta: f64,
}

/// The weight of one factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorWeight {
    /// Factor code (see the module docs).
    pub code: String,
    /// Change in log-odds per unit of the factor's feature.
    pub weight: f64,
    /// Typical feature value; contributions are measured from it.
    #[serde(default)]
    pub center: f64,
    /// Precision (inverse variance) of the weight, used as the prior by
    /// [`update_risk_model`]; 0 means unknown.
    #[serde(default)]
    pub precision: f64,
    /// Where the weight comes from (`fitted: ...`, `prior: ...`).
    #[serde(default)]
    pub provenance: String,
}

/// What a model was trained on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    /// Outcomes learned from.
    pub changes: usize,
    /// Failures among them.
    pub failures: usize,
    /// Free-form description of the data.
    #[serde(default)]
    pub source: String,
}

/// A risk model: baseline, factor weights and level thresholds. Plain data;
/// [`fit_risk_model`] and [`update_risk_model`] produce it, [`assess_risk`]
/// takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskModel {
    /// Format version (1).
    #[serde(default = "one")]
    pub version: u32,
    /// Log-odds of failure of a change whose factors all sit at their centers.
    pub baseline: f64,
    /// Precision of the baseline (0: unknown).
    #[serde(default)]
    pub baseline_precision: f64,
    /// Factor weights; factors without a weight are not assessed.
    pub weights: Vec<FactorWeight>,
    /// Level thresholds on the probability.
    pub levels: LevelThresholds,
    /// Prior of each service's change-failure rate.
    pub history_prior: BetaPrior,
    /// What the model was trained on.
    #[serde(default)]
    pub training: TrainingSummary,
}

fn one() -> u32 {
    1
}

/// Release-window status of the change's planned start, filled by the caller
/// from a calendar check (rollgate's release calendars, or any other).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowStatus {
    /// Whether the planned start lies inside an allowed window (`false` gives
    /// the `outside_window` factor).
    pub allowed: bool,
    /// Seconds from the planned start to the next freeze, `null` when none is
    /// scheduled; within [`NEAR_FREEZE_HORIZON_SECS`] it gives `near_freeze`.
    #[serde(default)]
    pub seconds_to_next_freeze: Option<f64>,
}

/// A range of local hours `[start_hour, end_hour)`; wraps past midnight when
/// `start_hour > end_hour`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HourRange {
    /// First hour inside (0–23).
    pub start_hour: u32,
    /// First hour after (0–24).
    pub end_hour: u32,
}

impl HourRange {
    fn contains(&self, hour: u32) -> bool {
        if self.start_hour <= self.end_hour {
            hour >= self.start_hour && hour < self.end_hour
        } else {
            hour >= self.start_hour || hour < self.end_hour
        }
    }
}

/// Optional context of a risk assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskContext {
    /// Release-window status from a calendar check. When absent, it is
    /// derived from `calendar` (or else the plan's default calendar) at the
    /// change's `planned_start` for its `planned_duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowStatus>,
    /// A release calendar (the shape [`check_window`](crate::check_window)
    /// takes) to check the planned start against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<crate::window::CalendarSpec>,
    /// Business hours in the planned start's local time (default 8–18);
    /// a start outside them on a weekday is `off_hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<HourRange>,
    /// Peak-traffic hours in local time; a start inside one is `peak`.
    #[serde(default)]
    pub peak_hours: Vec<HourRange>,
}

/// One factor's part in an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskFactor {
    /// Factor code.
    pub code: String,
    /// The measured input (e.g. lines added, 0/1 for a flag).
    pub value: f64,
    /// The feature on the model's scale (e.g. ln(1 + lines added)).
    pub feature: f64,
    /// The model's weight.
    pub weight: f64,
    /// `weight · (feature − center)`, in log-odds.
    pub contribution: f64,
    /// A human sentence.
    pub explanation: String,
}

/// A factor that could not be assessed for lack of input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAssessed {
    /// Factor code.
    pub code: String,
    /// Why (`no_plan`, `no_history`, `no_window`, `no_planned_start`, ...).
    pub reason: String,
}

/// The risk of one change, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessment {
    /// The change's id.
    pub change: String,
    /// Probability of failure, `1 / (1 + exp(−log_odds))`.
    pub probability: f64,
    /// `round(100 · probability)`.
    pub score: u32,
    /// Level from the model's thresholds.
    pub level: RiskLevel,
    /// Log-odds of failure: `baseline` plus every factor's contribution.
    pub log_odds: f64,
    /// The model's baseline log-odds (a typical change).
    pub baseline: f64,
    /// Contributions, largest absolute first (ties by code).
    pub factors: Vec<RiskFactor>,
    /// Factors of the model left out for lack of input, by code.
    pub not_assessed: Vec<NotAssessed>,
}

/// The shipped default model, fitted on public just-in-time defect data with
/// operational factors set as documented priors (see `core/src/risk_defaults.md`).
///
/// ```
/// let model = rollgate::default_risk_model();
/// assert!(model.weights.iter().any(|w| w.code == "lines_added"));
/// ```
pub fn default_risk_model() -> RiskModel {
    match serde_json::from_str::<RiskModel>(DEFAULT_MODEL_JSON) {
        Ok(model) => model,
        // The embedded file is checked by a unit test; this fallback only
        // keeps the engine from aborting should it ever be broken.
        Err(_) => RiskModel {
            version: 1,
            baseline: -2.0,
            baseline_precision: 0.0,
            weights: Vec::new(),
            levels: LevelThresholds {
                medium: 0.15,
                high: 0.3,
                critical: 0.5,
            },
            history_prior: BetaPrior {
                alpha: 1.5,
                beta: 8.5,
            },
            training: TrainingSummary::default(),
        },
    }
}

impl RiskModel {
    /// Checks the model: known, unique factor codes (`unknown_risk_factor`,
    /// `duplicate_id`), finite numbers, thresholds with
    /// `0 < medium < high < critical < 1` and a positive history prior
    /// (`invalid_input`). `prefix` is prepended to paths.
    ///
    /// ```
    /// let mut model = rollgate::default_risk_model();
    /// assert!(model.validate("model").is_ok());
    /// model.levels.high = 0.01;
    /// assert_eq!(model.validate("model").unwrap_err().path(), "model/levels");
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let bad = |path: String, message: String| Err(Error::invalid_input(path, message));
        if !self.baseline.is_finite() || !self.baseline_precision.is_finite() {
            return bad(
                format!("{prefix}/baseline"),
                "baseline must be finite".into(),
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, w) in self.weights.iter().enumerate() {
            if source_of(&w.code).is_none() {
                return Err(Error::new(
                    format!("{prefix}/weights/{i}/code"),
                    ChangeError::UnknownRiskFactor {
                        factor: w.code.clone(),
                    },
                ));
            }
            if let Some(first) = seen.insert(&w.code, i) {
                return Err(Error::new(
                    format!("{prefix}/weights/{i}/code"),
                    PlanError::DuplicateId {
                        id: w.code.clone(),
                        first_path: format!("{prefix}/weights/{first}/code"),
                    },
                ));
            }
            if !(w.weight.is_finite() && w.center.is_finite() && w.precision.is_finite())
                || w.precision < 0.0
            {
                return bad(
                    format!("{prefix}/weights/{i}"),
                    format!(
                        "weight, center and precision of `{}` must be finite (precision ≥ 0)",
                        w.code
                    ),
                );
            }
        }
        let l = self.levels;
        if !(0.0 < l.medium && l.medium < l.high && l.high < l.critical && l.critical < 1.0) {
            return bad(
                format!("{prefix}/levels"),
                format!(
                    "thresholds must satisfy 0 < medium < high < critical < 1, got {} / {} / {}",
                    l.medium, l.high, l.critical
                ),
            );
        }
        let p = self.history_prior;
        if !(p.alpha > 0.0 && p.beta > 0.0 && p.alpha.is_finite() && p.beta.is_finite()) {
            return bad(
                format!("{prefix}/history_prior"),
                "alpha and beta must be finite and positive".into(),
            );
        }
        Ok(())
    }

    fn weight(&self, code: &str) -> Option<&FactorWeight> {
        self.weights.iter().find(|w| w.code == code)
    }

    /// The level of a probability under this model's thresholds.
    ///
    /// ```
    /// let model = rollgate::default_risk_model();
    /// assert_eq!(model.level_of(0.99), rollgate::RiskLevel::Critical);
    /// assert_eq!(model.level_of(0.0), rollgate::RiskLevel::Low);
    /// ```
    pub fn level_of(&self, probability: f64) -> RiskLevel {
        if probability >= self.levels.critical {
            RiskLevel::Critical
        } else if probability >= self.levels.high {
            RiskLevel::High
        } else if probability >= self.levels.medium {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }
}

/// A factor's measured value, its feature on the model scale and a phrase
/// describing it.
struct Measured {
    value: f64,
    feature: f64,
    what: Phrase,
}

/// A factor's description, rendered only when an explanation is needed
/// (fitting and evaluation never render it).
enum Phrase {
    Text(String),
    Count(f64, &'static str),
    Flag(bool, &'static str),
    Entropy(f64),
}

impl From<String> for Phrase {
    fn from(text: String) -> Self {
        Phrase::Text(text)
    }
}

impl Phrase {
    fn render(&self) -> String {
        match self {
            Phrase::Text(t) => t.clone(),
            Phrase::Count(v, what) => format!("{} {what}", trim_number(*v)),
            Phrase::Flag(true, what) => (*what).to_string(),
            Phrase::Flag(false, what) => format!("not {what}"),
            Phrase::Entropy(e) => format!("spread over files (entropy {e:.2} bits)"),
        }
    }
}

fn flag(on: bool, what: &'static str) -> Option<Measured> {
    Some(Measured {
        value: if on { 1.0 } else { 0.0 },
        feature: if on { 1.0 } else { 0.0 },
        what: Phrase::Flag(on, what),
    })
}

fn count(value: f64, what: &'static str) -> Option<Measured> {
    Some(Measured {
        value,
        feature: value.ln_1p(),
        what: Phrase::Count(value, what),
    })
}

fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Why a factor of the change itself cannot be measured (None: it can).
fn change_factor(
    change: &Change,
    code: &str,
    ctx: &RiskContext,
) -> Result<Option<Measured>, &'static str> {
    let c = change;
    let m = match code {
        "lines_added" => count(c.lines_added, "lines added"),
        "lines_deleted" => count(c.lines_deleted, "lines deleted"),
        "lines_before" => count(
            c.lines_before,
            "lines in the touched files before the change",
        ),
        "files_changed" => count(c.files_changed, "files changed"),
        "directories_changed" => count(c.directories_changed, "directories changed"),
        "subsystems_changed" => count(c.subsystems_changed, "subsystems changed"),
        "entropy" => Some(Measured {
            value: c.entropy,
            feature: c.entropy,
            what: Phrase::Entropy(c.entropy),
        }),
        "is_fix" => flag(c.is_fix, "a defect fix"),
        "prior_developers" => count(c.prior_developers, "developers changed these files before"),
        "prior_changes" => count(c.prior_changes, "earlier changes to these files"),
        "author_experience" => count(c.author_experience, "earlier changes by the author"),
        "author_recent_experience" => count(
            c.author_recent_experience,
            "recent (age-weighted) changes by the author",
        ),
        "author_subsystem_experience" => count(
            c.author_subsystem_experience,
            "earlier changes by the author in these subsystems",
        ),
        "kind_config" => flag(c.kind == ChangeKind::Config, "a configuration change"),
        "kind_schema" => flag(c.kind == ChangeKind::Schema, "a schema change"),
        "kind_infrastructure" => flag(
            c.kind == ChangeKind::Infrastructure,
            "an infrastructure change",
        ),
        "has_migration" => flag(c.has_migration, "carrying a data migration"),
        "irreversible" => flag(!c.reversible, "irreversible"),
        "emergency" => flag(
            c.change_type == ChangeType::Emergency,
            "an emergency change",
        ),
        "feature_flag" => flag(c.behind_feature_flag, "behind a feature flag"),
        "tests_failed" | "no_test_evidence" => {
            let Some(tests) = c.tests.as_ref() else {
                return Err("no_test_data");
            };
            if code == "tests_failed" {
                flag(!tests.suites_failed.is_empty(), "with failing test suites")
            } else {
                flag(
                    tests.suites_passed.is_empty(),
                    "without a passing test suite",
                )
            }
        }
        "coverage_gap" => match c.tests.as_ref().and_then(|t| t.coverage) {
            Some(cov) => Some(Measured {
                value: cov,
                feature: 1.0 - cov,
                what: Phrase::Text(format!("test coverage {:.0}%", cov * 100.0)),
            }),
            None => return Err("no_coverage"),
        },
        "security_scan_failed" => {
            let Some(scan) = c.security_scan.as_ref() else {
                return Err("no_security_scan");
            };
            flag(
                !scan.passed || scan.critical > 0,
                "failing its security scan (or with critical findings)",
            )
        }
        "weekend" | "off_hours" => {
            let Some(start) = c.planned_start else {
                return Err("no_planned_start");
            };
            let weekend = matches!(start.weekday(), Weekday::Sat | Weekday::Sun);
            if code == "weekend" {
                flag(weekend, "planned on a weekend (local time)")
            } else {
                let hours = ctx.business_hours.unwrap_or(HourRange {
                    start_hour: 8,
                    end_hour: 18,
                });
                let on = !weekend && !hours.contains(start.hour());
                let text = format!(
                    "planned {} business hours ({:02}:{:02} local)",
                    if on { "outside" } else { "within" },
                    start.hour(),
                    start.minute()
                );
                Some(Measured {
                    value: if on { 1.0 } else { 0.0 },
                    feature: if on { 1.0 } else { 0.0 },
                    what: Phrase::Text(text),
                })
            }
        }
        "slow_rollback" => {
            let Some(strategy) = c.strategy else {
                return Err("no_strategy");
            };
            let value = match strategy {
                Strategy::Canary | Strategy::BlueGreen => 0.0,
                Strategy::Rolling => 0.5,
                Strategy::Recreate => 1.0,
            };
            Some(Measured {
                value,
                feature: value,
                what: Phrase::Text(format!(
                    "released by {} (rollback speed)",
                    strategy.as_str()
                )),
            })
        }
        _ => None,
    };
    Ok(m)
}

fn context_factor(
    change: &Change,
    code: &str,
    ctx: Option<&RiskContext>,
) -> Result<Option<Measured>, &'static str> {
    match code {
        "peak" => {
            let Some(ctx) = ctx.filter(|c| !c.peak_hours.is_empty()) else {
                return Err("no_peak_hours");
            };
            let Some(start) = change.planned_start else {
                return Err("no_planned_start");
            };
            let hour = start.hour();
            Ok(flag(
                ctx.peak_hours.iter().any(|r| r.contains(hour)),
                "planned in peak hours",
            ))
        }
        "outside_window" | "near_freeze" => {
            let Some(window) = ctx.and_then(|c| c.window) else {
                return Err("no_window");
            };
            if code == "outside_window" {
                return Ok(flag(!window.allowed, "outside an allowed release window"));
            }
            let Some(secs) = window.seconds_to_next_freeze else {
                return Ok(Some(Measured {
                    value: 0.0,
                    feature: 0.0,
                    what: Phrase::Text("no freeze scheduled".into()),
                }));
            };
            let duration = change.planned_duration.map_or(0.0, |d| d.as_secs() as f64);
            let feature = if secs <= duration {
                1.0
            } else {
                (1.0 - secs / NEAR_FREEZE_HORIZON_SECS).clamp(0.0, 1.0)
            };
            Ok(Some(Measured {
                value: secs,
                feature,
                what: Phrase::Text(format!("{:.1} h before the next freeze", secs / 3600.0)),
            }))
        }
        _ => Ok(None),
    }
}

/// Blast-radius and statefulness measures of the touched services.
struct PlanMeasures {
    stateful: Vec<String>,
    dependents: usize,
    customer_facing: usize,
    exposed: usize,
    total: usize,
}

fn plan_measures(change: &Change, plan: &Plan) -> Result<PlanMeasures> {
    let graph = ServiceGraph::new(plan).map_err(|e| e.with_path_prefix("plan"))?;
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for (i, id) in change.services.iter().enumerate() {
        if graph.index_of(id).is_none() {
            return Err(Error::new(
                format!("/services/{i}"),
                PlanError::UnknownService {
                    service: id.clone(),
                },
            ));
        }
        touched.insert(id);
    }
    let list: Vec<String> = touched.iter().map(|s| s.to_string()).collect();
    let radius = graph.blast_radius(Some(&list))?;
    let by_id: HashMap<&str, &crate::plan::Service> =
        plan.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut affected: BTreeSet<&str> = touched.clone();
    let mut dependents: BTreeSet<&str> = BTreeSet::new();
    for blast in &radius.services {
        for d in &blast.dependents {
            if !touched.contains(d.as_str()) {
                dependents.insert(d);
            }
            affected.insert(d);
        }
    }
    let customer_facing = affected
        .iter()
        .filter(|id| by_id.get(*id).is_some_and(|s| s.customer_facing))
        .count();
    let stateful = touched
        .iter()
        .filter(|id| by_id.get(*id).is_some_and(|s| s.stateful))
        .map(|s| s.to_string())
        .collect();
    Ok(PlanMeasures {
        stateful,
        dependents: dependents.len(),
        customer_facing,
        exposed: affected.len(),
        total: plan.services.len(),
    })
}

fn plan_factor(code: &str, m: &PlanMeasures) -> Option<Measured> {
    let share = |k: usize| {
        if m.total == 0 {
            0.0
        } else {
            k as f64 / m.total as f64
        }
    };
    match code {
        "stateful_services" => {
            let on = !m.stateful.is_empty();
            Some(Measured {
                value: if on { 1.0 } else { 0.0 },
                feature: if on { 1.0 } else { 0.0 },
                what: if on {
                    Phrase::Text(format!(
                        "touches stateful services ({})",
                        m.stateful.join(", ")
                    ))
                } else {
                    Phrase::Text("touches no stateful service".into())
                },
            })
        }
        "transitive_dependents" => {
            count(m.dependents as f64, "services depend on the touched ones")
        }
        "customer_facing_share" => {
            let s = share(m.customer_facing);
            Some(Measured {
                value: s,
                feature: s,
                what: format!(
                    "{} of {} services affected are customer facing",
                    m.customer_facing, m.total
                )
                .into(),
            })
        }
        "traffic_exposed" => {
            let s = share(m.exposed);
            Some(Measured {
                value: s,
                feature: s,
                what: format!(
                    "{:.0}% of the plan's services affected (touched or dependent)",
                    s * 100.0
                )
                .into(),
            })
        }
        _ => None,
    }
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Posterior mean of a service's change-failure rate under a Beta prior.
///
/// ```
/// let prior = rollgate::risk::BetaPrior { alpha: 1.0, beta: 9.0 };
/// // 1 failure in 2 changes: far from 50 %.
/// assert!((rollgate::risk::posterior_failure_rate(prior, 1, 2) - 2.0 / 12.0).abs() < 1e-12);
/// ```
pub fn posterior_failure_rate(prior: BetaPrior, failures: usize, changes: usize) -> f64 {
    (prior.alpha + failures as f64) / (prior.alpha + prior.beta + changes as f64)
}

fn history_factor(
    code: &str,
    change: &Change,
    history: &[ChangeOutcome],
    prior: BetaPrior,
) -> Option<Measured> {
    let relevant = history.iter().filter(|r| r.change.id != change.id);
    match code {
        "service_failure_history" => {
            let services: BTreeSet<&str> = change.services.iter().map(String::as_str).collect();
            if services.is_empty() {
                return None;
            }
            let mut tally: BTreeMap<&str, (usize, usize)> =
                services.iter().map(|s| (*s, (0, 0))).collect();
            for r in relevant {
                let touched: BTreeSet<&str> =
                    r.change.services.iter().map(String::as_str).collect();
                for s in touched {
                    if let Some(t) = tally.get_mut(s) {
                        t.0 += 1;
                        if r.failed {
                            t.1 += 1;
                        }
                    }
                }
            }
            let prior_mean = prior.alpha / (prior.alpha + prior.beta);
            // The worst service decides; ties go to the smallest id (BTreeMap order).
            let mut best: Option<(f64, &str, usize, usize, f64)> = None;
            for (s, (n, f)) in tally {
                let post = posterior_failure_rate(prior, f, n);
                let v = logit(post) - logit(prior_mean);
                if best.is_none_or(|b| v > b.0) {
                    best = Some((v, s, n, f, post));
                }
            }
            best.map(|(v, s, n, f, post)| Measured {
                value: post,
                feature: v,
                what: format!(
                    "`{s}` had {f} failure(s) in {n} change(s): posterior failure rate {:.1}% vs prior {:.1}%",
                    post * 100.0,
                    prior_mean * 100.0
                )
                .into(),
            })
        }
        "author_service_experience" => {
            let services: BTreeSet<&str> = change.services.iter().map(String::as_str).collect();
            let k = relevant
                .filter(|r| {
                    !r.failed
                        && r.change.author == change.author
                        && r.change
                            .services
                            .iter()
                            .any(|s| services.contains(s.as_str()))
                })
                .count();
            let value = k as f64;
            Some(Measured {
                value,
                feature: value.ln_1p(),
                what: Phrase::Text(format!(
                    "{k} successful earlier change(s) by `{}` to these services",
                    change.author
                )),
            })
        }
        _ => None,
    }
}

fn explain(what: &str, contribution: f64) -> String {
    if contribution > 0.0 {
        format!("{what}: raises the log-odds of failure by {contribution:.3}")
    } else if contribution < 0.0 {
        format!(
            "{what}: lowers the log-odds of failure by {:.3}",
            -contribution
        )
    } else {
        format!("{what}: no effect on the log-odds of failure")
    }
}

/// Assesses the risk of a change.
///
/// - `plan`: when given, the change's services must be in it
///   (`unknown_service`, path `/services/i`) and blast-radius and statefulness
///   factors are assessed; otherwise they are left out.
/// - `model`: the default model ([`default_risk_model`]) when absent.
/// - `history`: outcomes of earlier changes; gives the touched services'
///   change-failure history (Beta-binomial posterior, the worst service
///   counts) and the author's track record on them (successful changes only,
///   so a failure can never lower the risk). Records with the change's own id
///   are ignored.
/// - `context`: release-window status ([`WindowStatus`], from a calendar
///   check), business and peak hours.
///
/// Errors: invalid change (`negative_size`, `approval_before_creation`,
/// `invalid_input`), invalid plan, invalid model (`unknown_risk_factor`, ...).
///
/// ```
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{
///     "id": "CHG-7", "author": "ana", "services": ["db"],
///     "lines_added": 800, "files_changed": 30, "has_migration": true
/// }"#).unwrap();
/// let risk = rollgate::assess_risk(&change, None, None, None, None).unwrap();
/// let sum: f64 = risk.baseline + risk.factors.iter().map(|f| f.contribution).sum::<f64>();
/// assert!((sum - risk.log_odds).abs() < 1e-12);
/// assert!(risk.probability > 0.0 && risk.probability < 1.0);
/// assert!(risk.not_assessed.iter().any(|n| n.reason == "no_plan"));
/// ```
pub fn assess_risk(
    change: &Change,
    plan: Option<&Plan>,
    model: Option<&RiskModel>,
    history: Option<&[ChangeOutcome]>,
    context: Option<&RiskContext>,
) -> Result<RiskAssessment> {
    change.validate("")?;
    let default;
    let model = match model {
        Some(m) => {
            m.validate("model")?;
            m
        }
        None => {
            default = default_risk_model();
            &default
        }
    };
    if let Some(h) = history {
        validate_history(h, "history")?;
    }
    if let Some(ctx) = context {
        validate_context(ctx)?;
    }
    let measures = match plan {
        Some(p) => Some(plan_measures(change, p)?),
        None => None,
    };
    let derived;
    let context = match derive_window(change, plan, context)? {
        Some(window) => {
            let mut ctx = context.cloned().unwrap_or_default();
            ctx.window = Some(window);
            derived = ctx;
            Some(&derived)
        }
        None => context,
    };
    Ok(assess_validated(
        change,
        measures.as_ref(),
        model,
        history,
        context,
    ))
}

fn validate_context(ctx: &RiskContext) -> Result<()> {
    let ranges = ctx
        .business_hours
        .iter()
        .map(|r| (r, "context/business_hours".to_string()))
        .chain(
            ctx.peak_hours
                .iter()
                .enumerate()
                .map(|(i, r)| (r, format!("context/peak_hours/{i}"))),
        );
    for (r, path) in ranges {
        if r.start_hour > 23 || r.end_hour > 24 {
            return Err(Error::invalid_input(
                path,
                format!(
                    "hours must lie in 0..=23 (start) and 0..=24 (end), got {}..{}",
                    r.start_hour, r.end_hour
                ),
            ));
        }
    }
    if let Some(w) = ctx.window {
        if let Some(s) = w.seconds_to_next_freeze {
            if !s.is_finite() || s < 0.0 {
                return Err(Error::invalid_input(
                    "context/window/seconds_to_next_freeze",
                    format!("must be a finite number of seconds ≥ 0, got {s}"),
                ));
            }
        }
    }
    Ok(())
}

/// The release-window status of the change's planned start, from the
/// context's calendar or else the plan's default calendar, when the context
/// does not give one and the change has a planned start.
fn derive_window(
    change: &Change,
    plan: Option<&Plan>,
    context: Option<&RiskContext>,
) -> Result<Option<WindowStatus>> {
    if context.is_some_and(|c| c.window.is_some()) {
        return Ok(None);
    }
    let Some(start) = change.planned_start else {
        return Ok(None);
    };
    let spec = match context.and_then(|c| c.calendar.as_ref()) {
        Some(spec) => Some((spec, "context/calendar".to_string())),
        None => plan.and_then(|p| {
            let id = p.calendar.as_ref()?;
            let spec = p.calendars.get(id)?;
            Some((
                spec,
                format!("plan/calendars/{}", crate::error::pointer_token(id)),
            ))
        }),
    };
    let Some((spec, path)) = spec else {
        return Ok(None);
    };
    let calendar = crate::window::Calendar::new(spec).map_err(|e| e.with_path_prefix(&path))?;
    let duration = change.planned_duration.unwrap_or_default();
    let check = calendar.check_window(*start, duration);
    let to_freeze = calendar
        .time_until_next_deny(*start)
        .map(|d| d.as_secs() as f64);
    Ok(Some(WindowStatus {
        allowed: check.allowed,
        seconds_to_next_freeze: to_freeze,
    }))
}

fn assess_validated(
    change: &Change,
    measures: Option<&PlanMeasures>,
    model: &RiskModel,
    history: Option<&[ChangeOutcome]>,
    context: Option<&RiskContext>,
) -> RiskAssessment {
    let empty_ctx = RiskContext::default();
    let mut factors = Vec::new();
    let mut not_assessed = Vec::new();
    for &(code, source) in FACTORS {
        let Some(w) = model.weight(code) else {
            continue;
        };
        let measured: Result<Option<Measured>, &'static str> = match source {
            Source::Change => change_factor(change, code, context.unwrap_or(&empty_ctx)),
            Source::Context => context_factor(change, code, context),
            Source::Plan => match measures {
                Some(m) => Ok(plan_factor(code, m)),
                None => Err("no_plan"),
            },
            Source::History => match history {
                Some(h) => Ok(history_factor(code, change, h, model.history_prior)),
                None => Err("no_history"),
            },
        };
        match measured {
            Ok(Some(m)) => {
                let contribution = w.weight * (m.feature - w.center);
                factors.push(RiskFactor {
                    code: code.to_string(),
                    value: m.value,
                    feature: m.feature,
                    weight: w.weight,
                    contribution,
                    explanation: explain(&m.what.render(), contribution),
                });
            }
            Ok(None) => not_assessed.push(NotAssessed {
                code: code.to_string(),
                reason: "not_applicable".into(),
            }),
            Err(reason) => not_assessed.push(NotAssessed {
                code: code.to_string(),
                reason: reason.into(),
            }),
        }
    }
    factors.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then_with(|| a.code.cmp(&b.code))
    });
    let log_odds = factors
        .iter()
        .fold(model.baseline, |acc, f| acc + f.contribution);
    let probability = sigmoid(log_odds);
    RiskAssessment {
        change: change.id.clone(),
        probability,
        score: (probability * 100.0).round().clamp(0.0, 100.0) as u32,
        level: model.level_of(probability),
        log_odds,
        baseline: model.baseline,
        factors,
        not_assessed,
    }
}

/// The log-odds [`assess_risk`] gives a change without plan, history or
/// context, without building explanations (same terms, same summation order).
fn change_log_odds(change: &Change, model: &RiskModel) -> f64 {
    let ctx = RiskContext::default();
    let mut terms: Vec<(f64, &str)> = Vec::new();
    for &(code, source) in FACTORS {
        if source != Source::Change {
            continue;
        }
        let Some(w) = model.weight(code) else {
            continue;
        };
        if let Ok(Some(m)) = change_factor(change, code, &ctx) {
            terms.push((w.weight * (m.feature - w.center), code));
        }
    }
    terms.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then_with(|| a.1.cmp(b.1)));
    terms.iter().fold(model.baseline, |acc, t| acc + t.0)
}

/// Options of [`fit_risk_model`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// L2 penalty on the standardised weights (default 1.0): the prior
    /// precision of weight j is `l2 · var(feature j)`.
    #[serde(default = "default_l2")]
    pub l2: f64,
    /// `"defaults"` (the default) shrinks weights towards the shipped
    /// defaults; `"zero"` towards 0 (plain ridge logistic regression).
    #[serde(default)]
    pub prior: PriorKind,
    /// Factors to learn (default: every [`fittable_factors`] code); the
    /// others keep the prior model's weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<String>>,
    /// Newton iterations at most (default 100).
    #[serde(default = "default_iterations")]
    pub max_iterations: u32,
    /// Strength (pseudo-changes) of the services' failure-rate prior, whose
    /// mean is the history's failure rate (default 10).
    #[serde(default = "default_strength")]
    pub history_prior_strength: f64,
    /// Description stored in the model's `training.source`.
    #[serde(default)]
    pub source: String,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            l2: default_l2(),
            prior: PriorKind::Defaults,
            factors: None,
            max_iterations: default_iterations(),
            history_prior_strength: default_strength(),
            source: String::new(),
        }
    }
}

fn default_l2() -> f64 {
    1.0
}
fn default_iterations() -> u32 {
    100
}
fn default_strength() -> f64 {
    10.0
}

/// What fitted weights are shrunk towards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorKind {
    /// The shipped default weights.
    #[default]
    Defaults,
    /// Zero.
    Zero,
}

/// Feature matrix of the fittable factors: row-major, `None` replaced by the
/// column's center later.
fn feature_rows(history: &[ChangeOutcome], codes: &[&str]) -> Vec<Vec<Option<f64>>> {
    let ctx = RiskContext::default();
    history
        .iter()
        .map(|r| {
            codes
                .iter()
                .map(|code| match change_factor(&r.change, code, &ctx) {
                    Ok(Some(m)) => Some(m.feature),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The penalised Newton (IRLS) solve shared by fit and update. Minimises
/// `Σ logloss + ½ Σ_j p_j (w_j − m_j)² + ½ p_0 (b − m_0)²` over the intercept
/// `b` and weights `w` of centred features. Returns `(b, w, data Hessian
/// diagonal)`. Deterministic: fixed summation order, step halving.
struct Solve {
    intercept: f64,
    weights: Vec<f64>,
    hessian_diag: Vec<f64>,
    intercept_hessian: f64,
}

#[allow(clippy::too_many_arguments)]
fn newton(
    x: &[f64],
    y: &[bool],
    d: usize,
    prior_mean: &[f64],
    prior_prec: &[f64],
    intercept_mean: f64,
    intercept_prec: f64,
    max_iterations: u32,
) -> Solve {
    let n = y.len();
    let k = d + 1;
    let mut beta = vec![0.0; k];
    if let Some(b0) = beta.first_mut() {
        *b0 = intercept_mean;
    }
    for (bj, mj) in beta.iter_mut().skip(1).zip(prior_mean) {
        *bj = *mj;
    }
    let pm: Vec<f64> = std::iter::once(intercept_mean)
        .chain(prior_mean.iter().copied())
        .collect();
    let pp: Vec<f64> = std::iter::once(intercept_prec)
        .chain(prior_prec.iter().copied())
        .collect();
    let objective = |beta: &[f64]| -> f64 {
        let mut total = 0.0;
        for (i, &yi) in y.iter().enumerate() {
            let row = x.get(i * d..(i + 1) * d).unwrap_or(&[]);
            let z = eta(beta, row);
            // log(1 + e^z) − y z, computed stably.
            let l = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            total += l - if yi { z } else { 0.0 };
        }
        for j in 0..k {
            let (b, m, p) = (at(beta, j), at(&pm, j), at(&pp, j));
            total += 0.5 * p * (b - m) * (b - m);
        }
        total
    };
    let mut current = objective(&beta);
    let mut hess = vec![0.0; k * k];
    let mut grad = vec![0.0; k];
    let mut data_diag = vec![0.0; k];
    for _ in 0..max_iterations {
        hess.iter_mut().for_each(|h| *h = 0.0);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut row1 = vec![0.0; k];
        for (i, &yi) in y.iter().enumerate() {
            let row = x.get(i * d..(i + 1) * d).unwrap_or(&[]);
            let z = eta(&beta, row);
            let p = sigmoid(z);
            let r = p - if yi { 1.0 } else { 0.0 };
            let wgt = p * (1.0 - p);
            if let Some(first) = row1.first_mut() {
                *first = 1.0;
            }
            for (dst, src) in row1.iter_mut().skip(1).zip(row) {
                *dst = *src;
            }
            for a in 0..k {
                let xa = at(&row1, a);
                if let Some(g) = grad.get_mut(a) {
                    *g += r * xa;
                }
                let wa = wgt * xa;
                for b in 0..=a {
                    if let Some(h) = hess.get_mut(a * k + b) {
                        *h += wa * at(&row1, b);
                    }
                }
            }
        }
        for a in 0..k {
            if let Some(dd) = data_diag.get_mut(a) {
                *dd = at(&hess, a * k + a);
            }
            for b in 0..a {
                let v = at(&hess, a * k + b);
                if let Some(h) = hess.get_mut(b * k + a) {
                    *h = v;
                }
            }
            let p = at(&pp, a);
            if let Some(h) = hess.get_mut(a * k + a) {
                *h += p + 1e-10;
            }
            if let Some(g) = grad.get_mut(a) {
                *g += p * (at(&beta, a) - at(&pm, a));
            }
        }
        let Some(step) = cholesky_solve(&hess, &grad, k) else {
            break;
        };
        let mut scale = 1.0;
        let mut improved = false;
        for _ in 0..30 {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - scale * s).collect();
            let value = objective(&trial);
            if value.is_finite() && value <= current {
                beta = trial;
                let gain = current - value;
                current = value;
                improved = gain > 1e-12 * (1.0 + current.abs());
                break;
            }
            scale *= 0.5;
        }
        let size = step.iter().fold(0.0_f64, |m, s| m.max((s * scale).abs()));
        if !improved || size < 1e-10 {
            break;
        }
    }
    let _ = n;
    Solve {
        intercept: at(&beta, 0),
        weights: beta.iter().skip(1).copied().collect(),
        hessian_diag: data_diag.iter().skip(1).copied().collect(),
        intercept_hessian: at(&data_diag, 0),
    }
}

fn at(v: &[f64], i: usize) -> f64 {
    v.get(i).copied().unwrap_or(0.0)
}

fn eta(beta: &[f64], row: &[f64]) -> f64 {
    row.iter()
        .zip(beta.iter().skip(1))
        .fold(at(beta, 0), |acc, (x, b)| acc + x * b)
}

/// Solves `A s = g` for symmetric positive definite `A` (row-major, k×k).
fn cholesky_solve(a: &[f64], g: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let mut sum = at(a, i * k + j);
            for p in 0..j {
                sum -= at(&l, i * k + p) * at(&l, j * k + p);
            }
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                *l.get_mut(i * k + i)? = sum.sqrt();
            } else {
                *l.get_mut(i * k + j)? = sum / at(&l, j * k + j);
            }
        }
    }
    let mut z = vec![0.0; k];
    for i in 0..k {
        let mut sum = at(g, i);
        for p in 0..i {
            sum -= at(&l, i * k + p) * at(&z, p);
        }
        *z.get_mut(i)? = sum / at(&l, i * k + i);
    }
    let mut s = vec![0.0; k];
    for i in (0..k).rev() {
        let mut sum = at(&z, i);
        for p in i + 1..k {
            sum -= at(&l, p * k + i) * at(&s, p);
        }
        *s.get_mut(i)? = sum / at(&l, i * k + i);
    }
    Some(s)
}

fn history_counts(history: &[ChangeOutcome]) -> (usize, usize) {
    (history.len(), history.iter().filter(|r| r.failed).count())
}

/// Learns a risk model from post-implementation outcomes by deterministic
/// regularised (L2, MAP) logistic regression, solved by Newton's method
/// (IRLS) with step halving.
///
/// Only factors computed from the change alone are learned (see
/// [`fittable_factors`]); plan, history and context factors keep the prior
/// model's weights. Each feature is centred on its training mean (missing
/// values, such as unknown coverage, count as the mean). The prior precision
/// of a weight is `l2 · var(feature)` (ridge on standardised features); the
/// stored `precision` is the prior plus the data's Hessian diagonal (a
/// diagonal Laplace approximation) so that [`update_risk_model`] can continue
/// from it. Level thresholds come from the prior model; the services'
/// failure-rate prior gets the history's failure rate as its mean.
///
/// Errors: `insufficient_history` (path `""`) when the history is empty
/// or holds only one class; invalid changes (paths `/i/change/...`);
/// `unknown_risk_factor` for an unknown or non-fittable code in
/// `options.factors`.
///
/// ```
/// let mut history = Vec::new();
/// for i in 0..40 {
///     let big = i % 2 == 0;
///     let change: rollgate::Change = rollgate::wire::from_value(serde_json::json!({
///         "id": format!("c{i}"), "author": "ana", "services": ["api"],
///         "lines_added": if big { 900 } else { 10 }, "files_changed": 3
///     })).unwrap();
///     history.push(rollgate::ChangeOutcome { change, failed: big && i % 4 == 0 || i == 1 });
/// }
/// let model = rollgate::fit_risk_model(&history, None).unwrap();
/// let w = model.weights.iter().find(|w| w.code == "lines_added").unwrap();
/// assert!(w.weight > 0.0);
/// ```
pub fn fit_risk_model(
    history: &[ChangeOutcome],
    options: Option<&FitOptions>,
) -> Result<RiskModel> {
    let default_options = FitOptions::default();
    let options = options.unwrap_or(&default_options);
    validate_history(history, "")?;
    let (n, failures) = history_counts(history);
    if n == 0 || failures == 0 || failures == n {
        return Err(Error::new(
            String::new(),
            ChangeError::InsufficientHistory {
                changes: n,
                failures,
                message: "fitting needs at least one failed and one successful change".into(),
            },
        ));
    }
    if !(options.l2.is_finite() && options.l2 >= 0.0) {
        return Err(Error::invalid_input(
            "options/l2",
            format!("l2 must be a finite number ≥ 0, got {}", options.l2),
        ));
    }
    if !(options.history_prior_strength.is_finite() && options.history_prior_strength > 0.0) {
        return Err(Error::invalid_input(
            "options/history_prior_strength",
            format!(
                "must be a finite number > 0, got {}",
                options.history_prior_strength
            ),
        ));
    }
    let fittable = fittable_factors();
    let codes: Vec<&str> = match &options.factors {
        None => fittable.clone(),
        Some(list) => {
            let mut out = Vec::new();
            for (i, c) in list.iter().enumerate() {
                match fittable.iter().find(|f| **f == c.as_str()) {
                    Some(f) => {
                        if !out.contains(f) {
                            out.push(*f);
                        }
                    }
                    None => {
                        return Err(Error::new(
                            format!("options/factors/{i}"),
                            ChangeError::UnknownRiskFactor { factor: c.clone() },
                        ))
                    }
                }
            }
            // Canonical order, whatever order the caller listed.
            out.sort_by_key(|c| fittable.iter().position(|f| f == c));
            out
        }
    };
    let defaults = default_risk_model();
    let d = codes.len();
    let rows = feature_rows(history, &codes);
    let mut centers = vec![0.0; d];
    let mut variances = vec![0.0; d];
    for (j, c) in centers.iter_mut().enumerate() {
        let (sum, k) = rows
            .iter()
            .filter_map(|r| r.get(j).copied().flatten())
            .fold((0.0, 0usize), |(s, k), v| (s + v, k + 1));
        *c = if k == 0 { 0.0 } else { sum / k as f64 };
    }
    let mut x = Vec::with_capacity(n * d);
    for r in &rows {
        for j in 0..d {
            let c = at(&centers, j);
            let v = r.get(j).copied().flatten().unwrap_or(c) - c;
            x.push(v);
            if let Some(var) = variances.get_mut(j) {
                *var += v * v;
            }
        }
    }
    variances.iter_mut().for_each(|v| *v /= n as f64);
    let prior_mean: Vec<f64> = codes
        .iter()
        .map(|c| match options.prior {
            PriorKind::Zero => 0.0,
            PriorKind::Defaults => defaults.weight(c).map_or(0.0, |w| w.weight),
        })
        .collect();
    let prior_prec: Vec<f64> = variances.iter().map(|v| options.l2 * v.max(1e-9)).collect();
    let y: Vec<bool> = history.iter().map(|r| r.failed).collect();
    let rate = failures as f64 / n as f64;
    // A feature without variation carries no information: it keeps its
    // prior weight and stays out of the Newton solve (cost grows with the
    // square of the number of active features).
    let active: Vec<usize> = (0..d).filter(|&j| at(&variances, j) > 1e-12).collect();
    let da = active.len();
    let mut xa = Vec::with_capacity(n * da);
    for i in 0..n {
        for &j in &active {
            xa.push(at(&x, i * d + j));
        }
    }
    let pick = |v: &[f64]| -> Vec<f64> { active.iter().map(|&j| at(v, j)).collect() };
    let solve = newton(
        &xa,
        &y,
        da,
        &pick(&prior_mean),
        &pick(&prior_prec),
        logit(rate),
        0.0,
        options.max_iterations,
    );
    let mut weights: Vec<FactorWeight> = codes
        .iter()
        .enumerate()
        .map(|(j, c)| match active.iter().position(|&a| a == j) {
            Some(k) => FactorWeight {
                code: c.to_string(),
                weight: at(&solve.weights, k),
                center: at(&centers, j),
                precision: at(&prior_prec, j) + at(&solve.hessian_diag, k),
                provenance: format!("fitted: {n} changes, {failures} failures"),
            },
            None => FactorWeight {
                code: c.to_string(),
                weight: at(&prior_mean, j),
                center: at(&centers, j),
                precision: at(&prior_prec, j),
                provenance: format!(
                    "prior kept: no variation in {n} changes{}",
                    match options.prior {
                        PriorKind::Zero => " (prior 0)",
                        PriorKind::Defaults => " (prior: shipped default)",
                    }
                ),
            },
        })
        .collect();
    for w in &defaults.weights {
        if !codes.contains(&w.code.as_str()) && source_of(&w.code) != Some(Source::Change) {
            weights.push(w.clone());
        }
    }
    weights.sort_by_key(|w| FACTORS.iter().position(|(c, _)| *c == w.code));
    Ok(RiskModel {
        version: 1,
        baseline: solve.intercept,
        baseline_precision: solve.intercept_hessian,
        weights,
        levels: defaults.levels,
        history_prior: BetaPrior {
            alpha: options.history_prior_strength * rate,
            beta: options.history_prior_strength * (1.0 - rate),
        },
        training: TrainingSummary {
            changes: n,
            failures,
            source: options.source.clone(),
        },
    })
}

/// Updates a model with new outcomes (incremental learning): the model's
/// weights and precisions are the Gaussian prior of a MAP fit on `outcomes`
/// (the same Newton solve as [`fit_risk_model`]); centers stay fixed.
/// Only the model's change factors are updated. Precisions grow by the new
/// data's Hessian diagonal, so each update counts less as evidence piles up.
/// Weights with precision 0 are treated as weakly known (precision 1e-6).
///
/// Errors: invalid model or changes; `insufficient_history` when `outcomes`
/// is empty.
///
/// ```
/// let model = rollgate::default_risk_model();
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": ["api"], "lines_added": 5000}"#).unwrap();
/// let before = rollgate::assess_risk(&change, None, Some(&model), None, None).unwrap();
/// let outcomes = vec![rollgate::ChangeOutcome { change: change.clone(), failed: true }; 50];
/// let updated = rollgate::update_risk_model(&model, &outcomes).unwrap();
/// let after = rollgate::assess_risk(&change, None, Some(&updated), None, None).unwrap();
/// assert!(after.probability > before.probability);
/// ```
pub fn update_risk_model(model: &RiskModel, outcomes: &[ChangeOutcome]) -> Result<RiskModel> {
    model.validate("")?;
    validate_history(outcomes, "outcomes")?;
    let (n, failures) = history_counts(outcomes);
    if n == 0 {
        return Err(Error::new(
            "outcomes",
            ChangeError::InsufficientHistory {
                changes: 0,
                failures: 0,
                message: "updating needs at least one outcome".into(),
            },
        ));
    }
    let learned: Vec<&FactorWeight> = model
        .weights
        .iter()
        .filter(|w| source_of(&w.code) == Some(Source::Change))
        .collect();
    let codes: Vec<&str> = learned.iter().map(|w| w.code.as_str()).collect();
    let d = codes.len();
    let rows = feature_rows(outcomes, &codes);
    let mut x = Vec::with_capacity(n * d);
    for r in &rows {
        for (j, w) in learned.iter().enumerate() {
            x.push(r.get(j).copied().flatten().unwrap_or(w.center) - w.center);
        }
    }
    let prior_mean: Vec<f64> = learned.iter().map(|w| w.weight).collect();
    let prior_prec: Vec<f64> = learned.iter().map(|w| w.precision.max(1e-6)).collect();
    let y: Vec<bool> = outcomes.iter().map(|r| r.failed).collect();
    let solve = newton(
        &x,
        &y,
        d,
        &prior_mean,
        &prior_prec,
        model.baseline,
        model.baseline_precision.max(1e-6),
        100,
    );
    let mut out = model.clone();
    for w in out.weights.iter_mut() {
        if let Some(j) = codes.iter().position(|c| *c == w.code) {
            w.weight = at(&solve.weights, j);
            w.precision = at(&prior_prec, j) + at(&solve.hessian_diag, j);
            w.provenance = format!("{}; updated with {n} outcomes", w.provenance);
        }
    }
    out.baseline = solve.intercept;
    out.baseline_precision = model.baseline_precision + solve.intercept_hessian;
    out.training.changes += n;
    out.training.failures += failures;
    Ok(out)
}

/// One point of the "share of failures caught vs share of changes gated" curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatePoint {
    /// Share of changes gated (the riskiest first).
    pub gated_share: f64,
    /// Changes gated: `ceil(gated_share · changes)`.
    pub gated: usize,
    /// Failures among the gated changes.
    pub caught: usize,
    /// `caught / failures` (0 when there are no failures).
    pub caught_share: f64,
    /// `caught_share / gated_share`: how much better than gating at random.
    pub lift: f64,
}

/// Quality of a risk model on given outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskModelEvaluation {
    /// Outcomes evaluated.
    pub changes: usize,
    /// Failures among them.
    pub failures: usize,
    /// `failures / changes`.
    pub failure_rate: f64,
    /// Mean predicted probability.
    pub mean_probability: f64,
    /// Mean squared error of the probability (lower is better).
    pub brier: f64,
    /// Brier score of always predicting the observed failure rate.
    pub brier_reference: f64,
    /// `1 − brier / brier_reference` (> 0: better than the base rate).
    pub brier_skill: f64,
    /// Mean negative log-likelihood.
    pub log_loss: f64,
    /// Area under the ROC curve (ties count one half); `null` with one class only.
    pub auc: Option<f64>,
    /// Failures caught when gating the riskiest 5, 10, 20 and 50 % of changes.
    pub caught_vs_gated: Vec<GatePoint>,
}

/// Evaluates a model on outcomes, assessing each change from the change
/// alone (no plan, history or context). Changes are ranked by probability,
/// highest first, ties by change id, then input position.
///
/// Errors: invalid model or changes; `insufficient_history` when empty.
///
/// ```
/// let model = rollgate::default_risk_model();
/// let big: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "big", "author": "a", "services": [], "lines_added": 5000, "files_changed": 80}"#).unwrap();
/// let small: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "small", "author": "a", "services": [], "lines_added": 2, "files_changed": 1}"#).unwrap();
/// let history = vec![
///     rollgate::ChangeOutcome { change: big, failed: true },
///     rollgate::ChangeOutcome { change: small, failed: false },
/// ];
/// let report = rollgate::evaluate_risk_model(&model, &history).unwrap();
/// assert_eq!(report.auc, Some(1.0));
/// assert_eq!(report.caught_vs_gated[3].caught, 1);
/// ```
pub fn evaluate_risk_model(
    model: &RiskModel,
    history: &[ChangeOutcome],
) -> Result<RiskModelEvaluation> {
    model.validate("")?;
    validate_history(history, "history")?;
    let (n, failures) = history_counts(history);
    if n == 0 {
        return Err(Error::new(
            "history",
            ChangeError::InsufficientHistory {
                changes: 0,
                failures: 0,
                message: "evaluation needs at least one outcome".into(),
            },
        ));
    }
    let scored: Vec<(f64, &str, usize, bool)> = history
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = sigmoid(change_log_odds(&r.change, model));
            (p, r.change.id.as_str(), i, r.failed)
        })
        .collect();
    Ok(evaluate_scores(scored, n, failures))
}

fn evaluate_scores(
    mut scored: Vec<(f64, &str, usize, bool)>,
    n: usize,
    failures: usize,
) -> RiskModelEvaluation {
    let nf = n as f64;
    let rate = failures as f64 / nf;
    let mut brier = 0.0;
    let mut log_loss = 0.0;
    let mut mean_p = 0.0;
    for &(p, _, _, y) in &scored {
        let t = if y { 1.0 } else { 0.0 };
        brier += (p - t) * (p - t);
        let q = p.clamp(1e-15, 1.0 - 1e-15);
        log_loss -= if y { q.ln() } else { (1.0 - q).ln() };
        mean_p += p;
    }
    brier /= nf;
    log_loss /= nf;
    mean_p /= nf;
    let brier_reference = rate * (1.0 - rate);
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    // AUC by ranks with ties averaged (Mann–Whitney U).
    let successes = n - failures;
    let auc = if failures == 0 || successes == 0 {
        None
    } else {
        let mut u = 0.0;
        let mut negatives_below = successes as f64;
        let mut i = 0;
        while i < scored.len() {
            let p = scored.get(i).map_or(0.0, |s| s.0);
            let mut j = i;
            let (mut pos, mut neg) = (0.0, 0.0);
            while let Some(s) = scored.get(j).filter(|s| s.0 == p) {
                if s.3 {
                    pos += 1.0;
                } else {
                    neg += 1.0;
                }
                j += 1;
            }
            negatives_below -= neg;
            u += pos * (negatives_below + 0.5 * neg);
            i = j;
        }
        Some(u / (failures as f64 * successes as f64))
    };
    let caught_vs_gated = [0.05, 0.10, 0.20, 0.50]
        .iter()
        .map(|&share| {
            let gated = ((share * nf) - 1e-9).ceil().max(0.0) as usize;
            let caught = scored.iter().take(gated).filter(|s| s.3).count();
            let caught_share = if failures == 0 {
                0.0
            } else {
                caught as f64 / failures as f64
            };
            GatePoint {
                gated_share: share,
                gated,
                caught,
                caught_share,
                lift: caught_share / share,
            }
        })
        .collect();
    RiskModelEvaluation {
        changes: n,
        failures,
        failure_rate: rate,
        mean_probability: mean_p,
        brier,
        brier_reference,
        brier_skill: if brier_reference > 0.0 {
            1.0 - brier / brier_reference
        } else {
            0.0
        },
        log_loss,
        auc,
        caught_vs_gated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::from_value;
    use serde_json::json;

    fn change(v: serde_json::Value) -> Change {
        from_value(v).unwrap()
    }

    #[test]
    fn embedded_defaults_parse_and_validate() {
        let model: RiskModel = serde_json::from_str(DEFAULT_MODEL_JSON).unwrap();
        model.validate("").unwrap();
        assert!(!model.training.source.is_empty());
        for w in &model.weights {
            assert!(!w.provenance.is_empty(), "{} lacks provenance", w.code);
        }
    }

    #[test]
    fn baseline_plus_contributions_is_log_odds() {
        let c = change(
            json!({"id": "c", "author": "a", "services": ["x"], "lines_added": 50,
            "planned_start": "2026-11-28T23:00:00+01:00", "strategy": "recreate"}),
        );
        let ctx = RiskContext {
            window: Some(WindowStatus {
                allowed: false,
                seconds_to_next_freeze: Some(3600.0),
            }),
            ..Default::default()
        };
        let r = assess_risk(&c, None, None, Some(&[]), Some(&ctx)).unwrap();
        let sum = r.factors.iter().fold(r.baseline, |a, f| a + f.contribution);
        assert_eq!(sum, r.log_odds);
        let weekend = r.factors.iter().find(|f| f.code == "weekend").unwrap();
        assert_eq!(weekend.value, 1.0);
        let freeze = r.factors.iter().find(|f| f.code == "near_freeze").unwrap();
        assert!((freeze.feature - (1.0 - 1.0 / 72.0)).abs() < 1e-12);
    }

    #[test]
    fn fast_log_odds_matches_assessment() {
        let model = default_risk_model();
        let c = change(
            json!({"id": "c", "author": "a", "services": [], "lines_added": 321,
            "files_changed": 7, "entropy": 1.7, "is_fix": true, "kind": "schema",
            "tests": {"suites_passed": ["u"], "coverage": 0.4}, "strategy": "rolling",
            "planned_start": "2026-11-28T23:00:00+01:00"}),
        );
        let full = assess_risk(&c, None, Some(&model), None, None).unwrap();
        assert_eq!(change_log_odds(&c, &model), full.log_odds);
    }

    #[test]
    fn auc_with_ties() {
        let s = vec![
            (0.5, "a", 0, true),
            (0.5, "b", 1, false),
            (0.1, "c", 2, false),
        ];
        let e = evaluate_scores(s, 3, 1);
        assert_eq!(e.auc, Some(0.75));
    }

    #[test]
    fn newton_matches_closed_form_intercept() {
        // Intercept only: the MLE is logit of the rate.
        let y = vec![true, false, false, false];
        let s = newton(&[], &y, 0, &[], &[], 0.0, 0.0, 50);
        assert!((s.intercept - (1.0f64 / 3.0).ln()).abs() < 1e-9);
    }
}
