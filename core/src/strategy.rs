//! Release strategy choice: canary, blue-green or rolling, optionally behind
//! a feature flag, with the reasons for and against each.
//!
//! Each strategy collects reasons; a *blocking* reason makes it infeasible
//! (a canary needs traffic routing and metrics, blue-green needs a full
//! second copy of capacity), the others add or subtract points. The feasible
//! strategy with the most points wins; ties go to canary, then blue-green,
//! then rolling (the order of decreasing exposure control). Rolling is always
//! feasible.

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeKind, Strategy};
use crate::error::{ChangeError, Error, PlanError, Result};
use crate::risk::{assess_risk, RiskLevel};
use crate::wire::DurationSecs;

/// What the strategy choice needs to know about a service.
///
/// ```
/// let s: rollgate::ServiceProfile = rollgate::wire::from_json(
///     r#"{"id": "api", "traffic_routing": true, "metric_quality": "good"}"#).unwrap();
/// assert_eq!(s.spare_capacity, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The risk level to plan for: any object with a `level` field, such as the
/// result of [`assess_risk`] (other fields are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRef {
    /// The level.
    pub level: RiskLevel,
}

/// A reason for or against a strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyReason {
    /// Machine code, e.g. `no_traffic_routing`.
    pub code: String,
    /// Points: positive for, negative against.
    pub points: i32,
    /// Whether it rules the strategy out.
    pub blocking: bool,
    /// A human sentence.
    pub explanation: String,
}

/// One strategy weighed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyOption {
    /// The strategy.
    pub strategy: Strategy,
    /// False when a blocking reason applies.
    pub feasible: bool,
    /// Sum of the reasons' points.
    pub score: i32,
    /// Reasons with positive points.
    pub reasons_for: Vec<StrategyReason>,
    /// Reasons with zero or negative points, blocking ones included.
    pub reasons_against: Vec<StrategyReason>,
}

/// The recommended strategy with the weighing of every option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub feature_flag_reason: String,
    /// Canary, blue-green and rolling, in that order.
    pub options: Vec<StrategyOption>,
}

fn reason(code: &str, points: i32, blocking: bool, explanation: String) -> StrategyReason {
    StrategyReason {
        code: code.into(),
        points,
        blocking,
        explanation,
    }
}

/// Recommends how to release a change to a service.
///
/// `risk` is the level to plan for (e.g. the result of [`assess_risk`]); when
/// absent, the change is assessed with the default model from the change
/// alone. The change must touch the service (`unknown_service`, path
/// `/id`, otherwise); change errors have paths starting with `change`.
///
/// ```
/// let service: rollgate::ServiceProfile = rollgate::wire::from_json(
///     r#"{"id": "api", "traffic_routing": true, "metric_quality": "good", "spare_capacity": 0.2}"#).unwrap();
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": ["api"]}"#).unwrap();
/// let risk = rollgate::strategy::RiskRef { level: rollgate::RiskLevel::High };
/// let rec = rollgate::recommend_strategy(&service, &change, Some(&risk)).unwrap();
/// assert_eq!(rec.strategy, rollgate::Strategy::Canary);
/// assert!(!rec.options[1].feasible); // blue-green: not enough spare capacity
/// ```
pub fn recommend_strategy(
    service: &ServiceProfile,
    change: &Change,
    risk: Option<&RiskRef>,
) -> Result<StrategyRecommendation> {
    change.validate("change")?;
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
    let level = match risk {
        Some(r) => r.level,
        None => assess_risk(change, None, None, None, None)?.level,
    };
    let high = level >= RiskLevel::High;
    let schema =
        change.has_migration || change.kind == ChangeKind::Schema || service.schema_coupled;

    let mut canary = Vec::new();
    if service.traffic_routing {
        canary.push(reason(
            "fast_rollback",
            1,
            false,
            "traffic shifts back to the old version at once".into(),
        ));
    } else {
        canary.push(reason(
            "no_traffic_routing",
            -1,
            true,
            format!("`{}` cannot split traffic by percentage", service.id),
        ));
    }
    match service.metric_quality {
        MetricQuality::Good => canary.push(reason(
            "good_metrics",
            1,
            false,
            "health metrics can tell a regression from noise".into(),
        )),
        MetricQuality::Poor => canary.push(reason(
            "poor_metrics",
            -2,
            false,
            "noisy metrics make the canary verdict unreliable".into(),
        )),
        MetricQuality::None => canary.push(reason(
            "no_metrics",
            -1,
            true,
            "without health metrics a canary cannot be judged".into(),
        )),
    }
    match level {
        RiskLevel::High | RiskLevel::Critical => canary.push(reason(
            "limits_exposure",
            2,
            false,
            format!(
                "{} risk: expose a small share of traffic first",
                level.as_str()
            ),
        )),
        RiskLevel::Medium => canary.push(reason(
            "limits_exposure",
            1,
            false,
            "medium risk: a small first slice limits the damage".into(),
        )),
        RiskLevel::Low => {}
    }
    if service.stateful {
        canary.push(reason(
            "shared_state",
            -1,
            false,
            "both versions write the same state during the canary".into(),
        ));
    }
    if schema {
        canary.push(reason("mixed_versions_schema", -1, false, "old and new versions run together: the schema change must be backward compatible (expand/contract)".into()));
    }

    let mut blue_green = Vec::new();
    if service.spare_capacity >= 1.0 {
        blue_green.push(reason(
            "instant_switch_back",
            2,
            false,
            "the old environment stays ready; rollback is one switch".into(),
        ));
    } else {
        blue_green.push(reason(
            "insufficient_capacity",
            -1,
            true,
            format!(
                "needs a full second copy (spare capacity {:.0}% < 100%)",
                service.spare_capacity * 100.0
            ),
        ));
    }
    if service.stateful {
        blue_green.push(reason(
            "duplicated_state",
            -2,
            false,
            "state must be replicated or shared between the two environments".into(),
        ));
    }
    if schema {
        blue_green.push(reason(
            "migration_outlives_switch",
            -1,
            false,
            "switching back does not undo the schema change".into(),
        ));
    }
    if high {
        blue_green.push(reason(
            "full_exposure",
            -1,
            false,
            "all traffic moves at once, so every user meets a bad release".into(),
        ));
    }

    let mut rolling = Vec::new();
    rolling.push(reason(
        "always_possible",
        0,
        false,
        "needs no traffic routing and little spare capacity".into(),
    ));
    if service.spare_capacity < 1.0 {
        rolling.push(reason(
            "little_capacity_needed",
            1,
            false,
            "replaces instances in batches within the current fleet".into(),
        ));
    }
    if service.stateful {
        rolling.push(reason(
            "suits_stateful",
            1,
            false,
            "replica by replica, as stateful services are usually upgraded".into(),
        ));
    }
    if schema {
        rolling.push(reason(
            "mixed_versions_schema",
            -1,
            false,
            "old and new versions run together until the roll completes".into(),
        ));
    }
    match (service.max_rollback_time, service.deploy_duration) {
        (Some(max), Some(d)) if d > max => rolling.push(reason(
            "rollback_too_slow",
            -3,
            false,
            format!(
                "a rolling rollback takes {}s, more than the {}s allowed",
                d.as_secs(),
                max.as_secs()
            ),
        )),
        (Some(max), None) => rolling.push(reason(
            "rollback_speed_unknown",
            -1,
            false,
            format!(
                "a rolling rollback must finish within {}s but the deploy duration is unknown",
                max.as_secs()
            ),
        )),
        _ => rolling.push(reason(
            "slow_rollback",
            -1,
            false,
            "undoing it takes another full roll".into(),
        )),
    }
    if high && service.metric_quality == MetricQuality::None {
        rolling.push(reason(
            "unwatched_exposure",
            -1,
            false,
            "exposure grows batch by batch without metrics to stop it".into(),
        ));
    }

    let options: Vec<StrategyOption> = [
        (Strategy::Canary, canary),
        (Strategy::BlueGreen, blue_green),
        (Strategy::Rolling, rolling),
    ]
    .into_iter()
    .map(|(strategy, reasons)| {
        let feasible = !reasons.iter().any(|r| r.blocking);
        let score = reasons
            .iter()
            .filter(|r| !r.blocking)
            .map(|r| r.points)
            .sum();
        let (reasons_for, reasons_against) = reasons.into_iter().partition(|r| r.points > 0);
        StrategyOption {
            strategy,
            feasible,
            score,
            reasons_for,
            reasons_against,
        }
    })
    .collect();
    // First feasible option with the highest score (options are in preference order).
    let strategy = options
        .iter()
        .filter(|o| o.feasible)
        .fold(None::<&StrategyOption>, |best, o| match best {
            Some(b) if b.score >= o.score => Some(b),
            _ => Some(o),
        })
        .map_or(Strategy::Rolling, |o| o.strategy);

    let flaggable = matches!(change.kind, ChangeKind::Feature | ChangeKind::Fix);
    let (feature_flag, feature_flag_reason) = if change.behind_feature_flag {
        (
            true,
            "the change is already behind a feature flag: deploy dark, then release by flag"
                .to_string(),
        )
    } else if !flaggable {
        (
            false,
            "schema, configuration and infrastructure changes cannot be hidden behind a flag"
                .to_string(),
        )
    } else if high {
        (true, format!("{} risk: decouple deploy from release so the behaviour can be switched off without a rollback", level.as_str()))
    } else if strategy == Strategy::Rolling && level >= RiskLevel::Medium {
        (
            true,
            "rolling gives slow rollback: a flag offers an instant off switch".to_string(),
        )
    } else {
        (
            false,
            format!(
                "{} risk with {}: a flag is optional",
                level.as_str(),
                strategy.as_str()
            ),
        )
    };

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
