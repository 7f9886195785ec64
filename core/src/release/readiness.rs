//! Go / no-go before a release starts: the risk assessment, the governance
//! findings, the calendar at the planned start and the recommended
//! strategy, combined into one answer with its reasons.

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeOutcome, Strategy, Timestamp};
use crate::error::{Error, Result};
use crate::explain::Reason;
use crate::governance::{evaluate_governance, GovernancePolicy};
use crate::plan::Plan;
use crate::risk::{assess_risk, RiskContext, RiskLevel, RiskModel, RiskRef, WindowStatus};
use crate::strategy::{recommend_strategy, ServiceProfile};

/// What a readiness evaluation takes besides the plan and the change; all
/// optional but the start (here or as the change's `planned_start`).
///
/// ```
/// let context: rollgate::release::ReadinessContext = rollgate::wire::from_json(
///     r#"{"start": "2026-11-24T09:00:00Z", "block_at": "high"}"#)?;
/// assert_eq!(context.block_at, Some(rollgate::RiskLevel::High));
/// # Ok::<(), rollgate::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReadinessContext {
    /// The planned start (default: the change's `planned_start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The risk model (default: the shipped one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<RiskModel>,
    /// Outcomes of earlier changes, for the risk assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ChangeOutcome>>,
    /// The risk assessment's context (business and peak hours, ...); its
    /// window status defaults to the schedule's at the planned start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_context: Option<RiskContext>,
    /// The governance policy (absent: governance is not evaluated, which
    /// the reasons say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<GovernancePolicy>,
    /// The service the strategy is chosen for (absent: no strategy check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceProfile>,
    /// Risk from which the release may not start (default `critical`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_at: Option<RiskLevel>,
    /// Risk from which it starts only with conditions (default `high`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions_at: Option<RiskLevel>,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadinessDecision {
    /// Nothing stands in the way.
    Go,
    /// It may start once the conditions are met (or accepted).
    GoWithConditions,
    /// It may not start: see the blocking findings.
    NoGo,
}

/// The result of [`evaluate_release_readiness`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReleaseReadiness {
    /// The change's id.
    pub change: String,
    /// The release (plan name).
    pub release: String,
    /// The planned start.
    pub start: Timestamp,
    /// `go`, `go_with_conditions` or `no_go`.
    pub decision: ReadinessDecision,
    /// Findings that forbid the start.
    pub blocking: Vec<Reason>,
    /// Findings to meet before (or accept at) the start.
    pub conditions: Vec<Reason>,
    /// Everything weighed, blocking and conditions included.
    pub reasons: Vec<Reason>,
    /// The risk level.
    pub risk_level: RiskLevel,
    /// The risk score (0–100).
    pub risk_score: u32,
    /// Whether governance allows the change (`null`: no policy given).
    pub governance_allowed: Option<bool>,
    /// The recommended strategy (`null`: no service given).
    pub strategy: Option<Strategy>,
    /// When the schedule, started at `start`, would finish.
    pub planned_finish: String,
}

/// One answer before a release starts: `go`, `go_with_conditions` (the
/// conditions) or `no_go` (the blocking findings).
///
/// - **Risk**: [`assess_risk`] of the change against the plan (window
///   status: the schedule's at the planned start, unless the context gives
///   one). At `block_at` or above (default `critical`): blocking
///   `risk_too_high`; at `conditions_at` or above (default `high`): the
///   condition `risk_elevated`.
/// - **Governance** ([`evaluate_governance`] at that risk): violations
///   block; missing requirements are conditions (their own codes).
/// - **Calendar**: when the first wave cannot start at the planned start,
///   the condition `window_closed_at_start` (evidence: when it can, and the
///   calendar's reasons as subjects).
/// - **Strategy** ([`recommend_strategy`], when a service is given): a
///   declared strategy other than the recommended one is the condition
///   `strategy_differs`; a recommended feature flag that is not in place is
///   `feature_flag_recommended`.
///
/// Errors: those of [`schedule_rollout`](crate::schedule_rollout),
/// `assess_risk`, `evaluate_governance` and `recommend_strategy`;
/// `invalid_input` (path `context/start`) when neither the context nor the
/// change gives a start.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "shop",
///   "services": [{"id": "api", "deploy_duration": "5m"}], "regions": [{"id": "eu"}]}"#)?;
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{"id": "CHG-1", "author": "ana",
///   "services": ["api"], "lines_added": 20, "planned_start": "2026-11-24T10:00:00Z"}"#)?;
/// let ready = rollgate::evaluate_release_readiness(&plan, &change, &Default::default())?;
/// assert_eq!(ready.decision, rollgate::release::ReadinessDecision::Go);
/// assert!(ready.reasons.iter().any(|r| r.code == "no_governance_policy"));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn evaluate_release_readiness(
    plan: &Plan,
    change: &Change,
    context: &ReadinessContext,
) -> Result<ReleaseReadiness> {
    let Some(start) = context.start.or(change.planned_start) else {
        return Err(Error::invalid_input(
            "context/start",
            "a planned start is needed: give `start` or the change's `planned_start`",
        ));
    };
    let schedule = crate::schedule_rollout(plan, *start)?;
    let (mut blocking, mut conditions, mut notes) = (Vec::new(), Vec::new(), Vec::new());

    let closed = schedule.waves.first().and_then(|w| {
        w.waits.iter().find(|x| {
            crate::wire::time::parse_timestamp("", &x.from)
                .is_ok_and(|f| f.timestamp() == start.timestamp())
        })
    });
    match closed {
        Some(wait) => conditions.push(
            Reason::new(
                "window_closed_at_start",
                format!(
                    "{} may not deploy at the planned start: the window opens at {}",
                    wait.region, wait.until
                ),
            )
            .with_subjects(
                wait.reasons
                    .iter()
                    .map(|r| r.code.clone())
                    .chain([wait.region.clone()]),
            )
            .with_evidence("until", wait.until.clone()),
        ),
        None => notes.push(Reason::new(
            "window_open_at_start",
            "the first wave may start at the planned start",
        )),
    }

    let mut change = change.clone();
    change.planned_start.get_or_insert(start);
    let mut risk_context = context.risk_context.clone().unwrap_or_default();
    if risk_context.window.is_none() && risk_context.calendar.is_none() {
        risk_context.window = Some(WindowStatus {
            allowed: closed.is_none(),
            seconds_to_next_freeze: None,
        });
    }
    let risk = assess_risk(
        &change,
        Some(plan),
        context.model.as_ref(),
        context.history.as_deref(),
        Some(&risk_context),
    )?;
    let level = risk.level;
    let block_at = context.block_at.unwrap_or(RiskLevel::Critical);
    let conditions_at = context.conditions_at.unwrap_or(RiskLevel::High);
    let risk_reason = |code: &str, what: &str| {
        Reason::new(
            code,
            format!("risk is {} (score {}){what}", level.as_str(), risk.score),
        )
        .with_evidence("score", risk.score)
        .with_evidence("level", level.as_str())
    };
    if level >= block_at {
        blocking.push(risk_reason(
            "risk_too_high",
            &format!(", at or above {}", block_at.as_str()),
        ));
    } else if level >= conditions_at {
        conditions.push(risk_reason(
            "risk_elevated",
            &format!(", at or above {}: watch closely", conditions_at.as_str()),
        ));
    } else {
        notes.push(risk_reason("risk_acceptable", ""));
    }

    let governance_allowed = match &context.policy {
        Some(policy) => {
            let g = evaluate_governance(&change, policy, &RiskRef { level })?;
            blocking.extend(g.violations.iter().cloned());
            conditions.extend(g.missing.iter().cloned());
            if g.allowed {
                notes.push(Reason::new(
                    "governance_allowed",
                    "governance allows the change",
                ));
            }
            Some(g.allowed)
        }
        None => {
            notes.push(Reason::new(
                "no_governance_policy",
                "no governance policy given: approvals and evidence not checked",
            ));
            None
        }
    };

    let strategy = match &context.service {
        Some(service) => {
            let rec = recommend_strategy(service, &change, Some(&RiskRef { level }))?;
            let chosen = rec.strategy;
            if let Some(declared) = change.strategy.filter(|d| *d != chosen) {
                conditions.push(
                    Reason::new(
                        "strategy_differs",
                        format!(
                            "the change declares {} but {} is recommended",
                            declared.as_str(),
                            chosen.as_str()
                        ),
                    )
                    .with_subjects([service.id.clone()])
                    .with_evidence("recommended", chosen.as_str()),
                );
            } else {
                notes.push(
                    Reason::new(
                        "recommended_strategy",
                        format!("{} is recommended for {}", chosen.as_str(), service.id),
                    )
                    .with_subjects([service.id.clone()]),
                );
            }
            if rec.feature_flag && !change.behind_feature_flag {
                conditions.push(
                    Reason::new(
                        "feature_flag_recommended",
                        rec.feature_flag_reason.message.clone(),
                    )
                    .with_subjects([service.id.clone()]),
                );
            }
            Some(chosen)
        }
        None => None,
    };

    let decision = if !blocking.is_empty() {
        ReadinessDecision::NoGo
    } else if !conditions.is_empty() {
        ReadinessDecision::GoWithConditions
    } else {
        ReadinessDecision::Go
    };
    let reasons = blocking
        .iter()
        .chain(&conditions)
        .chain(&notes)
        .cloned()
        .collect();
    Ok(ReleaseReadiness {
        change: change.id.clone(),
        release: plan.name.clone(),
        start,
        decision,
        blocking,
        conditions,
        reasons,
        risk_level: level,
        risk_score: risk.score,
        governance_allowed,
        strategy,
        planned_finish: schedule.finish,
    })
}
