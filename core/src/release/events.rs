//! What the caller reports (events) and what the controller asks for
//! (actions), both tagged by `type`, and the result of one call.

use serde::{Deserialize, Serialize};

use super::state::{ReleaseState, Status};
use crate::change::Timestamp;
use crate::changelog::ChangeRecordInput;
use crate::error::{Error, ReleaseError, Result};
use crate::explain::Reason;
use crate::rollout::RollbackPlan;
use crate::verdict::CanaryData;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(rename = "StepOutcome"))]
pub enum Outcome {
    /// It deployed.
    Succeeded,
    /// It did not.
    Failed,
}

/// Something that happened since the last call. Every event may carry `at`
/// (RFC 3339; default: the call's `now`), which may not be earlier than the
/// state's last time nor later than `now`. A step is named by `region`,
/// `service` and optionally `stage` (`one_box`, `full`, `contract`; default:
/// the first matching step in the schedule's order) and `group` (an instance
/// group of a stateful service).
///
/// ```
/// let events: Vec<rollgate::release::Event> = rollgate::wire::from_json(r#"[
///   {"type": "step_started", "region": "eu", "service": "api", "at": "2026-11-24T09:00:00Z"},
///   {"type": "step_finished", "region": "eu", "service": "api", "outcome": "succeeded"},
///   {"type": "pause", "by": "ana", "why": "investigating"}
/// ]"#)?;
/// assert_eq!(events.len(), 3);
/// # Ok::<(), rollgate::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "ReleaseEvent"))]
pub enum Event {
    /// A step started.
    #[cfg_attr(feature = "schema", schemars(title = "StepStartedEvent"))]
    StepStarted {
        /// Region id.
        region: String,
        /// Service id.
        service: String,
        /// Stage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// Instance group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<u32>,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
    /// A step finished.
    #[cfg_attr(feature = "schema", schemars(title = "StepFinishedEvent"))]
    StepFinished {
        /// Region id.
        region: String,
        /// Service id.
        service: String,
        /// Stage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// Instance group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<u32>,
        /// `succeeded` or `failed`.
        outcome: Outcome,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
        /// Anything the deploy tool wants kept with it (not interpreted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<serde_json::Value>,
    },
    /// A batch of canary metrics from a region: the new samples or counts
    /// of the interval (the shape `update_canary_watch` takes).
    #[cfg_attr(feature = "schema", schemars(title = "MetricsEvent"))]
    Metrics {
        /// Region id.
        region: String,
        /// When the batch was taken.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
        /// Metric name → `{baseline, canary}`.
        batch: CanaryData,
    },
    /// A gate check's result (`smoke`, `health`, `alarms_clear`, or
    /// `canary_verdict` when the release has no analysis configuration).
    #[cfg_attr(feature = "schema", schemars(title = "CheckEvent"))]
    Check {
        /// The check's name.
        check: String,
        /// The region (default: every region of the current wave).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        /// Whether it passed.
        passed: bool,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
        /// Anything the checker wants kept with it (not interpreted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<serde_json::Value>,
    },
    /// An approval to start a wave.
    #[cfg_attr(feature = "schema", schemars(title = "ApprovalEvent"))]
    Approval {
        /// Who approved.
        by: String,
        /// The wave approved (default: the next wave that needs one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wave: Option<usize>,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
    /// A person pauses the release.
    #[cfg_attr(feature = "schema", schemars(title = "PauseEvent"))]
    Pause {
        /// Who.
        by: String,
        /// Why.
        #[serde(default)]
        why: String,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
    /// A person resumes a paused release (accepting an inconclusive verdict
    /// when that paused it).
    #[cfg_attr(feature = "schema", schemars(title = "ResumeEvent"))]
    Resume {
        /// Who.
        by: String,
        /// Why.
        #[serde(default)]
        why: String,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
    /// A person aborts the release: what was deployed is rolled back.
    #[cfg_attr(feature = "schema", schemars(title = "AbortEvent"))]
    Abort {
        /// Who.
        by: String,
        /// Why.
        #[serde(default)]
        why: String,
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
    /// The rollback asked for is done: the release ends as `aborted`.
    #[cfg_attr(feature = "schema", schemars(title = "RollbackFinishedEvent"))]
    RollbackFinished {
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<Timestamp>,
    },
}

impl Event {
    /// The event's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::StepStarted { .. } => "step_started",
            Event::StepFinished { .. } => "step_finished",
            Event::Metrics { .. } => "metrics",
            Event::Check { .. } => "check",
            Event::Approval { .. } => "approval",
            Event::Pause { .. } => "pause",
            Event::Resume { .. } => "resume",
            Event::Abort { .. } => "abort",
            Event::RollbackFinished { .. } => "rollback_finished",
        }
    }

    /// The event's time, if given.
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            Event::StepStarted { at, .. }
            | Event::StepFinished { at, .. }
            | Event::Metrics { at, .. }
            | Event::Check { at, .. }
            | Event::Approval { at, .. }
            | Event::Pause { at, .. }
            | Event::Resume { at, .. }
            | Event::Abort { at, .. }
            | Event::RollbackFinished { at } => *at,
        }
    }
}

/// Reads events from any serde source: a malformed event is
/// `invalid_event` (a bad time `invalid_timestamp`, a bad batch
/// `invalid_config`), with paths starting with `events`.
///
/// ```
/// let err = rollgate::release::parse_events(serde_json::json!([{"type": "teleport"}])).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_event", "events/0/type"));
/// ```
pub fn parse_events(value: serde_json::Value) -> Result<Vec<Event>> {
    let serde_json::Value::Array(items) = value else {
        return Err(Error::new(
            "events",
            ReleaseError::InvalidEvent {
                event: String::new(),
                message: "events must be a list".into(),
            },
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let kind = item
                .get("type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string();
            crate::wire::from_value::<Event>(item).map_err(|e| as_event_error(e, i, &kind))
        })
        .collect()
}

/// A wire error inside event `i` as the release family reports it.
fn as_event_error(err: Error, i: usize, kind: &str) -> Error {
    let prefix = format!("events/{i}");
    match err.kind() {
        crate::error::ErrorKind::Input(_) => Error::new(
            err.path(),
            ReleaseError::InvalidEvent {
                event: kind.to_string(),
                message: err.message(),
            },
        )
        .with_path_prefix(&prefix),
        _ => err.with_path_prefix(&prefix),
    }
}

/// A step named in a `deploy` action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepRef {
    /// Region id.
    pub region: String,
    /// Service id.
    pub service: String,
    /// Stage.
    pub stage: String,
    /// Instance group of a stateful service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Dependency layer inside the region.
    pub layer: u32,
    /// 1 for the first try, more for a retry after a tolerated failure.
    pub attempt: u32,
}

/// What the caller must do now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "ReleaseAction"))]
pub enum Action {
    /// Start these steps (in dependency order within each region).
    #[cfg_attr(feature = "schema", schemars(title = "DeployAction"))]
    Deploy {
        /// The wave.
        wave: usize,
        /// The steps, by region, stage, layer, service, group.
        steps: Vec<StepRef>,
    },
    /// Run these gate checks in these regions and report them as `check` events.
    #[cfg_attr(feature = "schema", schemars(title = "RunChecksAction"))]
    RunChecks {
        /// The wave.
        wave: usize,
        /// Check names.
        checks: Vec<String>,
        /// Regions.
        regions: Vec<String>,
    },
    /// Nothing to start until `until` (or until the event the reason names).
    #[cfg_attr(feature = "schema", schemars(title = "WaitAction"))]
    Wait {
        /// When the wait ends (`null`: when an event arrives).
        until: Option<Timestamp>,
        /// `bake`, `min_samples`, `checks`, `canary_verdict`,
        /// `window_closed`, `min_gap`, `approval_required`.
        reason: String,
        /// The regions that wait (empty: the release).
        regions: Vec<String>,
        /// Why, in detail (for `window_closed`: the calendar's reasons).
        reasons: Vec<Reason>,
    },
    /// Undo what was deployed, in this order.
    #[cfg_attr(feature = "schema", schemars(title = "RollBackAction"))]
    RollBack {
        /// Whether the controller rolls back on its own (a verdict, a rule,
        /// the failure limit) rather than on a person's abort.
        automatic: bool,
        /// The rollback plan for the position at the halt.
        plan: RollbackPlan,
    },
    /// Raise an incident and notify people.
    #[cfg_attr(feature = "schema", schemars(title = "EscalateAction"))]
    Escalate {
        /// The release (plan name).
        release: String,
        /// Severity.
        severity: String,
        /// The rule that fired.
        rule: String,
        /// The regions concerned (empty: the release).
        regions: Vec<String>,
        /// Services deployed (or deploying) in those regions.
        services: Vec<String>,
        /// Why the rule fired.
        evidence: Vec<Reason>,
        /// Whom to notify.
        notify: Vec<String>,
        /// Whether the release rolls back without a person (the rule asks
        /// for it, the watch decided `rollback`, or the release halts with
        /// `auto_rollback` on).
        auto_rollback: bool,
        /// The steps to undo (`service@region`), when the release rolls back.
        rollback_steps: Vec<String>,
    },
    /// The release is complete.
    #[cfg_attr(feature = "schema", schemars(title = "DoneAction"))]
    Done {
        /// The release (plan name).
        release: String,
        /// When its last gate passed.
        finished_at: Timestamp,
    },
}

impl Action {
    /// The action's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Deploy { .. } => "deploy",
            Action::RunChecks { .. } => "run_checks",
            Action::Wait { .. } => "wait",
            Action::RollBack { .. } => "roll_back",
            Action::Escalate { .. } => "escalate",
            Action::Done { .. } => "done",
        }
    }
}

/// The result of [`advance_release`](super::advance_release).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReleaseUpdate {
    /// The new state: store it and pass it to the next call.
    pub state: ReleaseState,
    /// Where the release stands.
    pub status: Status,
    /// What to do now.
    pub actions: Vec<Action>,
    /// Why: every decision of this call.
    pub reasons: Vec<Reason>,
    /// This call's decision in the shape
    /// [`append_change_record`](crate::append_change_record) takes.
    pub record: ChangeRecordInput,
}
