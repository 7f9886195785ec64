//! Release strategy choice: canary, blue-green or rolling, optionally behind
//! a feature flag, with the reasons for and against each.
//!
//! Each strategy collects reasons; a *blocking* reason makes it infeasible
//! (a canary needs traffic routing and metrics, blue-green needs a full
//! second copy of capacity), the others add or subtract points. The feasible
//! strategy with the most points wins; ties go to canary, then blue-green,
//! then rolling (the order of decreasing exposure control). Rolling is always
//! feasible.
//!
//! In the data flow (change + history → risk → strategy, governance →
//! readiness) strategy reads the change and a risk level only; governance
//! does not depend on it.
//!
//! Reasons are [`Reason`]s whose `evidence` holds `points` (for: positive,
//! against: zero or negative) and `blocking`; the option's `score` and
//! `feasible` are their typed sums. Codes are listed in [`crate::explain`].

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeKind, Checked, Strategy};
use crate::error::{ChangeError, Error, PlanError, Result};
use crate::explain::Reason;
use crate::risk::{RiskInputs, RiskLevel};
use crate::wire::DurationSecs;

/// Kept here too for callers that named it `rollgate::strategy::RiskRef`;
/// it lives in [`crate::risk`], below both strategy and governance.
pub use crate::risk::RiskRef;

/// What the strategy choice needs to know about a service.
///
/// ```
/// let s: rollgate::ServiceProfile = rollgate::wire::from_json(
///     r#"{"id": "api", "traffic_routing": true, "metric_quality": "good"}"#).unwrap();
/// assert_eq!(s.spare_capacity, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceProfile {
    /// Service id.
    pub id: String,
    /// Whether it holds state (database, queue, cache of record).
    #[serde(default)]
    pub stateful: bool,
    /// Whether other services or versions share its schema.
    #[serde(default)]
    pub schema_coupled: bool,
    /// Spare capacity as a share of the current fleet (1.0: a full second copy fits).
    #[serde(default)]
    pub spare_capacity: f64,
    /// Whether traffic can be split by percentage (load balancer weights, mesh).
    #[serde(default)]
    pub traffic_routing: bool,
    /// Quality of the health metrics a canary would be judged on.
    #[serde(default)]
    pub metric_quality: MetricQuality,
    /// How fast a bad release must be undone at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rollback_time: Option<DurationSecs>,
    /// How long a full rolling replacement takes (a rolling rollback takes as long).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_duration: Option<DurationSecs>,
}

/// Quality of a service's health metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricQuality {
    /// No usable metrics.
    #[default]
    None,
    /// Noisy or sparse metrics.
    Poor,
    /// Metrics that can tell a regression from noise.
    Good,
}

/// One strategy weighed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StrategyOption {
    /// The strategy.
    pub strategy: Strategy,
    /// False when a blocking reason applies.
    pub feasible: bool,
    /// Sum of the points of the reasons that do not block.
    pub score: i32,
    /// Reasons with positive points.
    pub reasons_for: Vec<Reason>,
    /// Reasons with zero or negative points, blocking ones included.
    pub reasons_against: Vec<Reason>,
}

/// The recommended strategy with the weighing of every option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StrategyRecommendation {
    /// Service id.
    pub service: String,
    /// Change id.
    pub change: String,
    /// The risk level planned for.
    pub risk_level: RiskLevel,
    /// The recommended strategy.
    pub strategy: Strategy,
    /// Whether to (keep) release(ing) the change behind a feature flag.
    pub feature_flag: bool,
    /// Why the flag is or is not recommended.
    pub feature_flag_reason: Reason,
    /// Canary, blue-green and rolling, in that order.
    pub options: Vec<StrategyOption>,
}

/// A weighed reason: `points` and `blocking` as its evidence.
fn reason(code: &str, points: i32, blocking: bool, message: impl Into<String>) -> Reason {
    Reason::new(code, message)
        .with_evidence("points", points)
        .with_evidence("blocking", blocking)
}

fn points(r: &Reason) -> i32 {
    r.evidence
        .get("points")
        .and_then(serde_json::Value::as_i64)
        .and_then(|p| i32::try_from(p).ok())
        .unwrap_or(0)
}

fn blocking(r: &Reason) -> bool {
    r.evidence.get("blocking") == Some(&serde_json::Value::Bool(true))
}

/// Recommends how to release a change to a service.
///
/// `risk` is the level to plan for (e.g. the result of
/// [`assess_risk`](crate::assess_risk)); when absent, the change is assessed
/// with the default model from the change alone. The change must touch the
/// service (`unknown_service`, path `/id`, otherwise); change errors have
/// paths starting with `change`; a negative or non-finite spare capacity is
/// `negative_size` at `/spare_capacity`.
///
/// ```
/// let service: rollgate::ServiceProfile = rollgate::wire::from_json(
///     r#"{"id": "api", "traffic_routing": true, "metric_quality": "good", "spare_capacity": 0.2}"#).unwrap();
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": ["api"]}"#).unwrap();
/// let risk = rollgate::RiskRef { level: rollgate::RiskLevel::High };
/// let rec = rollgate::recommend_strategy(&service, &change, Some(&risk)).unwrap();
/// assert_eq!(rec.strategy, rollgate::Strategy::Canary);
/// assert!(!rec.options[1].feasible); // blue-green: not enough spare capacity
/// assert_eq!(rec.options[1].reasons_against[0].code, "insufficient_capacity");
/// ```
pub fn recommend_strategy(
    service: &ServiceProfile,
    change: &Change,
    risk: Option<&RiskRef>,
) -> Result<StrategyRecommendation> {
    let change = Checked::new(change, "change")?;
    let level = match risk {
        Some(r) => r.level,
        None => {
            RiskInputs::new(None, None, None, None)?
                .assess(change)?
                .level
        }
    };
    recommend(service, change, level)
}

/// [`recommend_strategy`] for a checked change at a known risk level.
///
/// ```
/// use rollgate::change::Checked;
/// let service: rollgate::ServiceProfile = rollgate::wire::from_json(r#"{"id": "db", "stateful": true}"#).unwrap();
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{"id": "c", "author": "a", "services": ["db"]}"#).unwrap();
/// let rec = rollgate::strategy::recommend(&service, Checked::new(&change, "change").unwrap(), rollgate::RiskLevel::Low).unwrap();
/// assert_eq!(rec.strategy, rollgate::Strategy::Rolling);
/// ```
pub fn recommend(
    service: &ServiceProfile,
    change: Checked<'_, Change>,
    level: RiskLevel,
) -> Result<StrategyRecommendation> {
    if !change.services.contains(&service.id) {
        return Err(Error::new(
            "/id",
            PlanError::UnknownService {
                service: service.id.clone(),
            },
        ));
    }
    if !service.spare_capacity.is_finite() || service.spare_capacity < 0.0 {
        return Err(Error::new(
            "/spare_capacity",
            ChangeError::NegativeSize {
                field: "spare_capacity".into(),
                value: service.spare_capacity,
            },
        ));
    }
    let weighing = Weighing {
        service,
        level,
        schema: change.has_migration || change.kind == ChangeKind::Schema || service.schema_coupled,
    };
    let options: Vec<StrategyOption> = [
        (Strategy::Canary, weighing.canary()),
        (Strategy::BlueGreen, weighing.blue_green()),
        (Strategy::Rolling, weighing.rolling()),
    ]
    .into_iter()
    .map(|(strategy, reasons)| option(strategy, reasons))
    .collect();
    let strategy = best(&options);
    let (feature_flag, feature_flag_reason) = flag(&change, level, strategy);
    Ok(StrategyRecommendation {
        service: service.id.clone(),
        change: change.id.clone(),
        risk_level: level,
        strategy,
        feature_flag,
        feature_flag_reason,
        options,
    })
}

/// A strategy with its reasons sorted into for and against.
fn option(strategy: Strategy, reasons: Vec<Reason>) -> StrategyOption {
    let feasible = !reasons.iter().any(blocking);
    let score = reasons.iter().filter(|r| !blocking(r)).map(points).sum();
    let (reasons_for, reasons_against) = reasons.into_iter().partition(|r| points(r) > 0);
    StrategyOption {
        strategy,
        feasible,
        score,
        reasons_for,
        reasons_against,
    }
}

/// The first feasible option with the highest score (options are in
/// preference order); rolling when none is feasible.
fn best(options: &[StrategyOption]) -> Strategy {
    options
        .iter()
        .filter(|o| o.feasible)
        .fold(None::<&StrategyOption>, |best, o| match best {
            Some(b) if b.score >= o.score => Some(b),
            _ => Some(o),
        })
        .map_or(Strategy::Rolling, |o| o.strategy)
}

/// What the weighing of every strategy looks at.
struct Weighing<'a> {
    service: &'a ServiceProfile,
    level: RiskLevel,
    /// The change or the service couples old and new versions through a schema.
    schema: bool,
}

impl Weighing<'_> {
    fn high(&self) -> bool {
        self.level >= RiskLevel::High
    }

    fn canary(&self) -> Vec<Reason> {
        let s = self.service;
        let mut out = vec![if s.traffic_routing {
            reason(
                "fast_rollback",
                1,
                false,
                "traffic shifts back to the old version at once",
            )
        } else {
            reason(
                "no_traffic_routing",
                -1,
                true,
                format!("`{}` cannot split traffic by percentage", s.id),
            )
            .with_subjects([s.id.as_str()])
        }];
        out.push(match s.metric_quality {
            MetricQuality::Good => reason(
                "good_metrics",
                1,
                false,
                "health metrics can tell a regression from noise",
            ),
            MetricQuality::Poor => reason(
                "poor_metrics",
                -2,
                false,
                "noisy metrics make the canary verdict unreliable",
            ),
            MetricQuality::None => reason(
                "no_metrics",
                -1,
                true,
                "without health metrics a canary cannot be judged",
            ),
        });
        match self.level {
            RiskLevel::High | RiskLevel::Critical => out.push(reason(
                "limits_exposure",
                2,
                false,
                format!(
                    "{} risk: expose a small share of traffic first",
                    self.level.as_str()
                ),
            )),
            RiskLevel::Medium => out.push(reason(
                "limits_exposure",
                1,
                false,
                "medium risk: a small first slice limits the damage",
            )),
            RiskLevel::Low => {}
        }
        if s.stateful {
            out.push(reason(
                "shared_state",
                -1,
                false,
                "both versions write the same state during the canary",
            ));
        }
        if self.schema {
            out.push(reason("mixed_versions_schema", -1, false, "old and new versions run together: the schema change must be backward compatible (expand/contract)"));
        }
        out
    }

    fn blue_green(&self) -> Vec<Reason> {
        let s = self.service;
        let mut out = vec![if s.spare_capacity >= 1.0 {
            reason(
                "instant_switch_back",
                2,
                false,
                "the old environment stays ready; rollback is one switch",
            )
        } else {
            reason(
                "insufficient_capacity",
                -1,
                true,
                format!(
                    "needs a full second copy (spare capacity {:.0}% < 100%)",
                    s.spare_capacity * 100.0
                ),
            )
        }];
        if s.stateful {
            out.push(reason(
                "duplicated_state",
                -2,
                false,
                "state must be replicated or shared between the two environments",
            ));
        }
        if self.schema {
            out.push(reason(
                "migration_outlives_switch",
                -1,
                false,
                "switching back does not undo the schema change",
            ));
        }
        if self.high() {
            out.push(reason(
                "full_exposure",
                -1,
                false,
                "all traffic moves at once, so every user meets a bad release",
            ));
        }
        out
    }

    fn rolling(&self) -> Vec<Reason> {
        let s = self.service;
        let mut out = vec![reason(
            "always_possible",
            0,
            false,
            "needs no traffic routing and little spare capacity",
        )];
        if s.spare_capacity < 1.0 {
            out.push(reason(
                "little_capacity_needed",
                1,
                false,
                "replaces instances in batches within the current fleet",
            ));
        }
        if s.stateful {
            out.push(reason(
                "suits_stateful",
                1,
                false,
                "replica by replica, as stateful services are usually upgraded",
            ));
        }
        if self.schema {
            out.push(reason(
                "mixed_versions_schema",
                -1,
                false,
                "old and new versions run together until the roll completes",
            ));
        }
        out.push(match (s.max_rollback_time, s.deploy_duration) {
            (Some(max), Some(d)) if d > max => reason(
                "rollback_too_slow",
                -3,
                false,
                format!(
                    "a rolling rollback takes {}s, more than the {}s allowed",
                    d.as_secs(),
                    max.as_secs()
                ),
            ),
            (Some(max), None) => reason(
                "rollback_speed_unknown",
                -1,
                false,
                format!(
                    "a rolling rollback must finish within {}s but the deploy duration is unknown",
                    max.as_secs()
                ),
            ),
            _ => reason(
                "slow_rollback",
                -1,
                false,
                "undoing it takes another full roll",
            ),
        });
        if self.high() && s.metric_quality == MetricQuality::None {
            out.push(reason(
                "unwatched_exposure",
                -1,
                false,
                "exposure grows batch by batch without metrics to stop it",
            ));
        }
        out
    }
}

/// Whether to release behind a feature flag, and why.
fn flag(change: &Change, level: RiskLevel, strategy: Strategy) -> (bool, Reason) {
    let flaggable = matches!(change.kind, ChangeKind::Feature | ChangeKind::Fix);
    if change.behind_feature_flag {
        (
            true,
            Reason::new(
                "flag_in_place",
                "the change is already behind a feature flag: deploy dark, then release by flag",
            ),
        )
    } else if !flaggable {
        (
            false,
            Reason::new(
                "flag_impossible",
                "schema, configuration and infrastructure changes cannot be hidden behind a flag",
            ),
        )
    } else if level >= RiskLevel::High {
        (true, Reason::new("flag_for_risk", format!("{} risk: decouple deploy from release so the behaviour can be switched off without a rollback", level.as_str())))
    } else if strategy == Strategy::Rolling && level >= RiskLevel::Medium {
        (
            true,
            Reason::new(
                "flag_for_slow_rollback",
                "rolling gives slow rollback: a flag offers an instant off switch",
            ),
        )
    } else {
        (
            false,
            Reason::new(
                "flag_optional",
                format!(
                    "{} risk with {}: a flag is optional",
                    level.as_str(),
                    strategy.as_str()
                ),
            ),
        )
    }
}

#[cfg(test)]
mod tests;
