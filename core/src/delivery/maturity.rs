//! [`assess_maturity`]: a five-level release-maturity model per practice
//! area, scored from a practice checklist and the measured DORA metrics.
//!
//! # The model
//!
//! Levels: **1 Initial** (ad hoc), **2 Managed** (repeatable), **3 Defined**
//! (standard and automated), **4 Measured** (held to numbers),
//! **5 Optimizing** (improving continuously). An area is at level *L* when
//! every practice of levels 2 to *L* is adopted and every metric gate of
//! those levels holds. Gates use fixed thresholds that stay the same across
//! the DORA reports of 2022–2024: lead time of a week (level 4) and a day
//! (5); deployments weekly (4) and daily (5); change fail rate of 15 % (4,
//! the 2022 High bound) and 5 % (5, the 2023/2024 Elite rate); recovery
//! within a day (4) and an hour (5).
//!
//! | area | 2 Managed | 3 Defined | 4 Measured | 5 Optimizing |
//! |---|---|---|---|---|
//! | release strategy | `release_checklist` | `progressive_delivery` | `automated_canary_analysis`, fail rate ≤ 15 % | `feature_flag_releases`, fail rate ≤ 5 % |
//! | pipeline | `version_control` | `continuous_integration` | `automated_test_gates`, lead time ≤ 1 week | `trunk_based_development`, lead time ≤ 1 day |
//! | environments | `staging_environment` | `infrastructure_as_code` | `environment_parity_checks` | `ephemeral_environments` |
//! | deployment automation | `scripted_deployments` | `push_button_deployments` | `automated_rollback`, weekly deployments | `continuous_deployment`, daily deployments |
//! | observability | `centralized_logging` | `service_dashboards` | `slo_alerting` | `deployment_aware_telemetry` |
//! | governance | `recorded_approvals` | `risk_based_approvals` | `release_windows` | `tamper_evident_audit_trail` |
//! | incident response | `on_call_rotation` | `incident_runbooks` | `blameless_postmortems`, recovery ≤ 1 day | `incidents_linked_to_deployments`, recovery ≤ 1 hour |
//! | continuous improvement | `retrospectives` | `delivery_metrics_tracked` (or metrics given) | `improvement_targets`, a rated tier | `risk_model_calibration`, overall High or better |
//!
//! Without metrics (or without data for a gate) an area stops below the
//! first gated level: a claim of measurement needs the measurement.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::metrics::DeliveryMetrics;
use super::tiers::DoraTier;
use crate::error::{Error, InputError, Result};
use crate::explain::Reason;

/// A practice area of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaturityArea {
    /// How changes reach users: canaries, blue-green, flags.
    ReleaseStrategy,
    /// Build, test and integration.
    Pipeline,
    /// Pre-production and production environments.
    Environments,
    /// How deployments run and roll back.
    DeploymentAutomation,
    /// Logs, metrics and alerts.
    Observability,
    /// Approvals, windows and audit.
    Governance,
    /// On-call, runbooks and post-incident review.
    IncidentResponse,
    /// Measuring and improving delivery.
    ContinuousImprovement,
}

const AREAS: [MaturityArea; 8] = [
    MaturityArea::ReleaseStrategy,
    MaturityArea::Pipeline,
    MaturityArea::Environments,
    MaturityArea::DeploymentAutomation,
    MaturityArea::Observability,
    MaturityArea::Governance,
    MaturityArea::IncidentResponse,
    MaturityArea::ContinuousImprovement,
];

/// A measured condition a level needs besides its practices.
#[derive(Clone, Copy)]
enum Gate {
    None,
    LeadTimeAtMost(f64),
    FrequencyAtLeast(f64),
    FailRateAtMost(f64),
    RecoveryAtMost(f64),
    Rated,
    OverallAtLeast(DoraTier),
}

impl Gate {
    /// The metric the gate reads (empty for none).
    fn metric(self) -> &'static str {
        match self {
            Gate::None => "",
            Gate::LeadTimeAtMost(_) => "lead_time",
            Gate::FrequencyAtLeast(_) => "deployment_frequency",
            Gate::FailRateAtMost(_) => "change_fail_rate",
            Gate::RecoveryAtMost(_) => "recovery_time",
            Gate::Rated | Gate::OverallAtLeast(_) => "tiers",
        }
    }
}

/// One practice of the model.
struct Practice {
    id: &'static str,
    area: MaturityArea,
    level: u8,
    description: &'static str,
    supported_by: &'static [&'static str],
    gate: Gate,
}

const fn practice(
    id: &'static str,
    area: MaturityArea,
    level: u8,
    description: &'static str,
    supported_by: &'static [&'static str],
    gate: Gate,
) -> Practice {
    Practice {
        id,
        area,
        level,
        description,
        supported_by,
        gate,
    }
}

const DAY: f64 = 86_400.0;
/// The practice that measured metrics stand in for.
const METRICS_TRACKED: &str = "delivery_metrics_tracked";

use Gate as G;
use MaturityArea as A;

// One line per practice reads as the table in the module docs.
#[rustfmt::skip]
const MODEL: [Practice; 32] = [
    practice("release_checklist", A::ReleaseStrategy, 2, "release by a written, repeatable procedure in dependency order", &["order_services"], G::None),
    practice("progressive_delivery", A::ReleaseStrategy, 3, "roll out progressively: canary or blue-green, region by region with bake times", &["recommend_strategy", "schedule_rollout"], G::None),
    practice("automated_canary_analysis", A::ReleaseStrategy, 4, "promote or roll back canaries on statistical evidence", &["judge_canary"], G::FailRateAtMost(0.15)),
    practice("feature_flag_releases", A::ReleaseStrategy, 5, "decouple deployment from release with percentage rollouts of feature flags", &["flag_enabled", "flag_exposure"], G::FailRateAtMost(0.05)),
    practice("version_control", A::Pipeline, 2, "keep all code and configuration in version control", &[], G::None),
    practice("continuous_integration", A::Pipeline, 3, "build and test every commit automatically", &[], G::None),
    practice("automated_test_gates", A::Pipeline, 4, "let test and scan evidence gate promotion automatically", &["evaluate_governance"], G::LeadTimeAtMost(7.0 * DAY)),
    practice("trunk_based_development", A::Pipeline, 5, "merge short-lived branches into trunk at least daily", &[], G::LeadTimeAtMost(DAY)),
    practice("staging_environment", A::Environments, 2, "test in a pre-production environment shaped like production", &[], G::None),
    practice("infrastructure_as_code", A::Environments, 3, "create environments from code", &[], G::None),
    practice("environment_parity_checks", A::Environments, 4, "check parity between environments before promotion", &[], G::None),
    practice("ephemeral_environments", A::Environments, 5, "give each change a short-lived environment, torn down automatically", &[], G::None),
    practice("scripted_deployments", A::DeploymentAutomation, 2, "deploy with a script, never by hand", &[], G::None),
    practice("push_button_deployments", A::DeploymentAutomation, 3, "make any deployment one automated action, ordered by dependencies", &["order_services", "schedule_services"], G::None),
    practice("automated_rollback", A::DeploymentAutomation, 4, "roll back failed deployments automatically, in reverse dependency order", &["rollback_plan"], G::FrequencyAtLeast(1.0 / 7.0)),
    practice("continuous_deployment", A::DeploymentAutomation, 5, "deploy every change that passes the pipeline to production", &[], G::FrequencyAtLeast(1.0)),
    practice("centralized_logging", A::Observability, 2, "collect every service's logs in one place", &[], G::None),
    practice("service_dashboards", A::Observability, 3, "show each service's latency, traffic, errors and saturation on dashboards", &[], G::None),
    practice("slo_alerting", A::Observability, 4, "alert on service-level objectives", &[], G::None),
    practice("deployment_aware_telemetry", A::Observability, 5, "compare every release's telemetry with its baseline", &["judge_canary", "compare_quantiles"], G::None),
    practice("recorded_approvals", A::Governance, 2, "record who approved each change", &["evaluate_governance"], G::None),
    practice("risk_based_approvals", A::Governance, 3, "scale approvals to each change's assessed risk", &["assess_risk", "evaluate_governance"], G::None),
    practice("release_windows", A::Governance, 4, "deploy only inside release windows, honouring freezes", &["check_window", "next_window"], G::None),
    practice("tamper_evident_audit_trail", A::Governance, 5, "keep every release decision in a hash-chained log", &["append_change_record", "verify_change_log"], G::None),
    practice("on_call_rotation", A::IncidentResponse, 2, "keep an on-call rotation for every production service", &[], G::None),
    practice("incident_runbooks", A::IncidentResponse, 3, "write runbooks for known failure modes", &[], G::None),
    practice("blameless_postmortems", A::IncidentResponse, 4, "review incidents blamelessly and track their actions", &[], G::RecoveryAtMost(DAY)),
    practice("incidents_linked_to_deployments", A::IncidentResponse, 5, "link every incident to the deployments that caused it", &["dora_metrics"], G::RecoveryAtMost(3600.0)),
    practice("retrospectives", A::ContinuousImprovement, 2, "hold regular retrospectives", &[], G::None),
    practice(METRICS_TRACKED, A::ContinuousImprovement, 3, "measure the DORA metrics continuously", &["dora_metrics"], G::None),
    practice("improvement_targets", A::ContinuousImprovement, 4, "set and review targets on the delivery metrics", &["dora_metrics"], G::Rated),
    practice("risk_model_calibration", A::ContinuousImprovement, 5, "recalibrate change-risk models on your own outcomes", &["fit_risk_model", "update_risk_model"], G::OverallAtLeast(DoraTier::High)),
];

/// Every practice of the model as `(id, level, description)`, in the
/// table's order: the keys [`assess_maturity`] accepts (the JSON Schema of
/// its `practices` lists them).
#[cfg(feature = "schema")]
pub(crate) fn practice_ids() -> impl Iterator<Item = (&'static str, u8, &'static str)> {
    MODEL.iter().map(|p| (p.id, p.level, p.description))
}

/// The maturity of one practice area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AreaMaturity {
    /// The area.
    pub area: MaturityArea,
    /// Its level, 1–5.
    pub level: u8,
    /// The level's name: Initial, Managed, Defined, Measured, Optimizing.
    pub name: String,
    /// Why: each level met, what blocks the next one, practices adopted ahead.
    pub evidence: Vec<Reason>,
    /// The practices to adopt next (none at level 5).
    pub next_practices: Vec<NextPractice>,
}

/// A practice to adopt next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NextPractice {
    /// The practice's id (a key of the checklist).
    pub practice: String,
    /// The level it belongs to.
    pub level: u8,
    /// What to do.
    pub description: String,
    /// The rollgate functions that support it (empty where none does).
    pub supported_by: Vec<String>,
}

/// The maturity of every area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaturityAssessment {
    /// One entry per area, in the model's order.
    pub areas: Vec<AreaMaturity>,
    /// About the assessment as a whole (e.g. no metrics given).
    pub reasons: Vec<Reason>,
}

fn level_name(level: u8) -> &'static str {
    match level {
        1 => "Initial",
        2 => "Managed",
        3 => "Defined",
        4 => "Measured",
        _ => "Optimizing",
    }
}

/// Whether a gate holds, and the measurement in words: `None` when the
/// metric it needs is not measured.
fn gate_holds(gate: Gate, m: Option<&DeliveryMetrics>) -> Option<(bool, String)> {
    if let Gate::None = gate {
        return Some((true, String::new()));
    }
    let m = m?;
    let recovery = m
        .recovery
        .median_seconds
        .or(m.recovery.median_restore_seconds);
    let hours = |s: f64| format!("{} h", round3(s / 3600.0));
    match gate {
        Gate::None => Some((true, String::new())),
        Gate::LeadTimeAtMost(limit) => m.lead_time.median_seconds.map(|v| {
            let text = format!("median lead time {} (limit {})", hours(v), hours(limit));
            (v <= limit, text)
        }),
        Gate::FrequencyAtLeast(limit) => m.deployment_frequency.per_day.map(|v| {
            let text = format!("{} deployments a day (needs {})", round3(v), round3(limit));
            (v >= limit, text)
        }),
        Gate::FailRateAtMost(limit) => m.change_fail_rate.rate.map(|v| {
            let text = format!(
                "change fail rate {} % (limit {} %)",
                round3(v * 100.0),
                round3(limit * 100.0)
            );
            (v <= limit, text)
        }),
        Gate::RecoveryAtMost(limit) => recovery.map(|v| {
            let text = format!("recovery time {} (limit {})", hours(v), hours(limit));
            (v <= limit, text)
        }),
        Gate::Rated => m
            .tiers
            .overall
            .map(|t| (true, format!("overall DORA tier {t:?}"))),
        Gate::OverallAtLeast(tier) => m.tiers.overall.map(|t| {
            let text = format!("overall DORA tier {t:?} (needs {tier:?} or better)");
            (t <= tier, text)
        }),
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The maturity level (1–5) of each practice area, with the evidence and the
/// practices to adopt next, each naming the rollgate functions that support
/// it. `metrics` is a [`DeliveryMetrics`] from
/// [`dora_metrics`](crate::dora_metrics) (its totals or one group's);
/// `practices` maps practice ids (see the module table) to whether they are
/// adopted; missing ids count as not adopted.
///
/// Errors: `unknown_field` at `practices/<id>` for an id the model does not
/// know, listing the known ones.
///
/// ```
/// use std::collections::BTreeMap;
/// let practices: BTreeMap<String, bool> = [("release_checklist", true), ("progressive_delivery", true)]
///     .into_iter().map(|(k, v)| (k.to_string(), v)).collect();
/// let assessment = rollgate::assess_maturity(None, &practices)?;
/// let release = &assessment.areas[0];
/// assert_eq!((release.level, release.name.as_str()), (3, "Defined"));
/// assert_eq!(release.next_practices[0].practice, "automated_canary_analysis");
/// assert_eq!(release.next_practices[0].supported_by, ["judge_canary"]);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn assess_maturity(
    metrics: Option<&DeliveryMetrics>,
    practices: &BTreeMap<String, bool>,
) -> Result<MaturityAssessment> {
    for id in practices.keys() {
        if !MODEL.iter().any(|p| p.id == id) {
            let mut expected: Vec<String> = MODEL.iter().map(|p| p.id.to_string()).collect();
            expected.sort_unstable();
            return Err(Error::new(
                format!("practices/{}", crate::error::pointer_token(id)),
                InputError::UnknownField {
                    field: id.clone(),
                    expected,
                },
            )
            .in_family(crate::ErrorFamily::Delivery));
        }
    }
    let adopted = |p: &Practice| {
        practices.get(p.id).copied().unwrap_or(false)
            || (p.id == METRICS_TRACKED && metrics.is_some())
    };
    let mut reasons = Vec::new();
    if metrics.is_none() {
        reasons.push(Reason::new(
            "maturity_without_metrics",
            "no delivery metrics given: levels that need a measurement stay unreached",
        ));
    }
    let areas = AREAS
        .iter()
        .map(|area| assess_area(*area, metrics, &adopted))
        .collect();
    Ok(MaturityAssessment { areas, reasons })
}

fn assess_area(
    area: MaturityArea,
    metrics: Option<&DeliveryMetrics>,
    adopted: &dyn Fn(&Practice) -> bool,
) -> AreaMaturity {
    let of_level = |level: u8| {
        MODEL
            .iter()
            .filter(move |p| p.area == area && p.level == level)
    };
    let mut level = 1u8;
    let mut evidence = Vec::new();
    for next in 2..=5u8 {
        let missing: Vec<&str> = of_level(next)
            .filter(|p| !adopted(p))
            .map(|p| p.id)
            .collect();
        let mut blocked = !missing.is_empty();
        if blocked {
            evidence.push(
                Reason::new(
                    "practice_missing",
                    format!(
                        "level {next} ({}) needs {}",
                        level_name(next),
                        missing.join(", ")
                    ),
                )
                .with_subjects(missing.iter().copied())
                .with_evidence("level", next),
            );
        }
        for p in of_level(next) {
            blocked |= !gate_evidence(p, next, metrics, &mut evidence);
        }
        if blocked {
            break;
        }
        let ids: Vec<&str> = of_level(next).map(|p| p.id).collect();
        evidence.push(
            Reason::new(
                "maturity_level_met",
                format!(
                    "level {next} ({}): {} adopted",
                    level_name(next),
                    ids.join(", ")
                ),
            )
            .with_subjects(ids)
            .with_evidence("level", next),
        );
        level = next;
    }
    let ahead: Vec<&str> = MODEL
        .iter()
        .filter(|p| p.area == area && p.level > level + 1 && adopted(p))
        .map(|p| p.id)
        .collect();
    if !ahead.is_empty() {
        evidence.push(
            Reason::new(
                "practice_ahead",
                format!(
                    "{} adopted, but level {} is not reached yet",
                    ahead.join(", "),
                    level + 1
                ),
            )
            .with_subjects(ahead),
        );
    }
    AreaMaturity {
        area,
        level,
        name: level_name(level).to_string(),
        evidence,
        next_practices: next_practices(area, level, adopted),
    }
}

/// Adds the evidence of one practice's metric gate at level `level`;
/// false when the gate blocks the level (unmet or not measured).
fn gate_evidence(
    p: &Practice,
    level: u8,
    metrics: Option<&DeliveryMetrics>,
    evidence: &mut Vec<Reason>,
) -> bool {
    let metric = p.gate.metric();
    let (code, message) = match gate_holds(p.gate, metrics) {
        Some((true, _)) if metric.is_empty() => return true,
        Some((true, text)) => ("metric_met", format!("level {level}: {text}")),
        Some((false, text)) => (
            "metric_below",
            format!("level {level} needs better: {text}"),
        ),
        None => (
            "metric_missing",
            format!(
                "level {level} ({}) needs {metric}, which was not measured",
                level_name(level)
            ),
        ),
    };
    evidence.push(
        Reason::new(code, message)
            .with_subjects([metric])
            .with_evidence("level", level),
    );
    code == "metric_met"
}

/// The practices of the lowest level above `level` that are not adopted.
fn next_practices(
    area: MaturityArea,
    level: u8,
    adopted: &dyn Fn(&Practice) -> bool,
) -> Vec<NextPractice> {
    (level + 1..=5)
        .map(|l| {
            MODEL
                .iter()
                .filter(|p| p.area == area && p.level == l && !adopted(p))
                .map(|p| NextPractice {
                    practice: p.id.to_string(),
                    level: l,
                    description: p.description.to_string(),
                    supported_by: p.supported_by.iter().map(|s| s.to_string()).collect(),
                })
                .collect::<Vec<_>>()
        })
        .find(|missing| !missing.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
