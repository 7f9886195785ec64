//! The stored state of a release: the schedule's waves and steps with what
//! has happened to each, the canary watches, the failure count, the policy
//! the release was started with and a history of the events applied.
//!
//! It is a versioned JSON value with the fingerprint of the plan it belongs
//! to, so that a state saved by one language continues in another and never
//! under another plan.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::escalation::EscalationPolicy;
use crate::change::Timestamp;
use crate::error::{Error, ReleaseError, Result};
use crate::explain::Reason;
use crate::plan::{MigrationPhase, Plan};
use crate::rollout::RollbackPlan;
use crate::verdict::{CanaryConfig, Decision, WatchState};

/// The version of the release-state format this build reads and writes.
pub const RELEASE_STATE_VERSION: u32 = 1;

/// Where a release stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(rename = "ReleaseStatus"))]
pub enum Status {
    /// Nothing to start now: a gap, a closed window or an approval holds the
    /// next steps back (the `wait` actions say until when and why).
    Waiting,
    /// Steps of the current wave are running or to be started.
    Deploying,
    /// The current wave has deployed and bakes: time, samples, checks, verdict.
    Baking,
    /// A person paused the release (or the watch could not decide).
    Paused,
    /// Stopped by a failure or a verdict; a person decides (abort rolls back).
    Halted,
    /// Stopped, and the deployed steps are being undone.
    RollingBack,
    /// Every wave has passed its gate.
    Completed,
    /// Ended without completing (aborted, or rolled back).
    Aborted,
}

impl Status {
    /// Whether nothing can happen to the release any more.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Aborted)
    }

    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::release::Status::RollingBack.as_str(), "rolling_back");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Deploying => "deploying",
            Status::Baking => "baking",
            Status::Paused => "paused",
            Status::Halted => "halted",
            Status::RollingBack => "rolling_back",
            Status::Completed => "completed",
            Status::Aborted => "aborted",
        }
    }
}

/// What has happened to one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Not asked for yet.
    Pending,
    /// A `deploy` action asked for it; no `step_started` yet.
    Requested,
    /// Started, not finished.
    Running,
    /// Finished and succeeded.
    Succeeded,
    /// Failed (or timed out) for good: the release halted on it.
    Failed,
}

/// One step of the release: a service in a region (one instance group of a
/// stateful service), as the schedule planned it, and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepState {
    /// Region id.
    pub region: String,
    /// Service id.
    pub service: String,
    /// `one_box`, `full` or `contract`.
    pub stage: String,
    /// Instance group (stateful services), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Dependency layer inside the region (0 first).
    pub layer: u32,
    /// Planned length of the step in seconds.
    pub duration_seconds: u64,
    /// Whether it can be undone.
    pub reversible: bool,
    /// Migration phase, if the service is a migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationPhase>,
    /// What has happened to it.
    pub status: StepStatus,
    /// Deploy actions issued for it (1 + failed attempts retried).
    pub attempts: u32,
    /// When the last deploy action asked for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<Timestamp>,
    /// When it last started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// When it finished (succeeded or failed for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Timestamp>,
}

impl StepState {
    /// The step's name in actions and reasons: `service@region (stage)`,
    /// with `#group` for an instance group.
    pub fn label(&self) -> String {
        match self.group {
            Some(g) => format!("{}@{} ({} #{g})", self.service, self.region, self.stage),
            None => format!("{}@{} ({})", self.service, self.region, self.stage),
        }
    }

    /// Order of its stage inside a region: one box, full, contract.
    pub(crate) fn stage_rank(&self) -> u8 {
        match self.stage.as_str() {
            "one_box" => 0,
            "full" => 1,
            _ => 2,
        }
    }

    /// Whether it is deployed or being deployed (something to undo).
    pub(crate) fn touched(&self) -> bool {
        matches!(
            self.status,
            StepStatus::Requested | StepStatus::Running | StepStatus::Succeeded
        ) || (self.status == StepStatus::Failed && self.started_at.is_some())
    }
}

/// Where a wave stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WaveStatus {
    /// Not started.
    Pending,
    /// Started; steps to run.
    Deploying,
    /// Every step succeeded; the gate is being checked.
    Baking,
    /// The gate passed.
    Passed,
}

/// A gate check seen for a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    /// Whether it passed.
    pub passed: bool,
    /// When it was reported.
    pub at: Timestamp,
}

/// One wave of the release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaveState {
    /// 1-based position.
    pub number: usize,
    /// `regions`, or `contract` for the final contract-migration phase.
    pub kind: String,
    /// The wave's regions, sorted.
    pub regions: Vec<String>,
    /// Sum of their traffic shares.
    pub traffic_share: f64,
    /// Where it stands.
    pub status: WaveStatus,
    /// The steps, in the schedule's order.
    pub steps: Vec<StepState>,
    /// Bake after the last step.
    pub bake_seconds: u64,
    /// Metric batches the bake must collect.
    pub min_bake_samples: u64,
    /// Checks that must pass in every region of the wave.
    pub checks: Vec<String>,
    /// When the wave started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// When its last step succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployed_at: Option<Timestamp>,
    /// When its gate passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_at: Option<Timestamp>,
    /// Metric batches received during the bake (from its regions).
    pub bake_samples: u64,
    /// Gate checks seen: check name → region → result.
    #[serde(default)]
    pub check_results: BTreeMap<String, BTreeMap<String, CheckResult>>,
    /// Whether the `run_checks` action was issued for this bake.
    pub checks_requested: bool,
    /// Who approved the wave's start (when approval is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Who accepted an inconclusive verdict by resuming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_accepted_by: Option<String>,
}

impl WaveState {
    /// Whether the wave's gate waits for a canary verdict.
    pub(crate) fn needs_verdict(&self) -> bool {
        self.checks.iter().any(|c| c == "canary_verdict")
    }
}

/// A canary watch of one region, with its latest decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionWatch {
    /// The watch's stored state.
    pub state: WatchState,
    /// The decision at the last batch (`null` before any).
    pub decision: Option<Decision>,
    /// The canary's estimate per metric at the last batch (rates, means or
    /// quantiles), for absolute escalation thresholds.
    #[serde(default)]
    pub estimates: BTreeMap<String, f64>,
}

/// Why and how a release stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Halt {
    /// When.
    pub at: Timestamp,
    /// Why (the reasons of the call that halted it).
    pub reasons: Vec<Reason>,
    /// Whether the rollback was started without a person.
    pub automatic: bool,
    /// What to undo, computed from the actual position at the halt.
    pub rollback: RollbackPlan,
}

/// A pause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pause {
    /// Who paused (`rollgate` when the watch could not decide).
    pub by: String,
    /// Why.
    pub why: String,
    /// When.
    pub at: Timestamp,
}

/// One entry of the history: an event applied or a decision taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When.
    pub at: Timestamp,
    /// The event's type, or the decision (`wave_started`, `gate_passed`,
    /// `halted`, `completed`, ...).
    pub what: String,
    /// What it was about (steps, regions, people).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
}

/// The stored state of a release between [`advance_release`](super::advance_release)
/// calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseState {
    /// The format's version ([`RELEASE_STATE_VERSION`]).
    pub version: u32,
    /// Hex of the first 8 bytes of the SHA-256 of the plan's canonical JSON.
    pub fingerprint: String,
    /// The plan's name.
    pub release: String,
    /// When the release started.
    pub started_at: Timestamp,
    /// The latest time the release has seen (a call's `now`); events and
    /// later calls may not be earlier.
    pub last_at: Timestamp,
    /// Where it stands.
    pub status: Status,
    /// The waves, in order.
    pub waves: Vec<WaveState>,
    /// Step attempts that failed or timed out so far.
    pub failed_steps: u32,
    /// Failures tolerated before the release halts.
    pub max_failed_steps: u32,
    /// A step not finished this long after it started (or was requested)
    /// has failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_timeout_seconds: Option<u64>,
    /// Gap between a wave's gate and the next wave.
    pub min_gap_seconds: u64,
    /// One-box bake before the full stage of a region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_box_bake_seconds: Option<u64>,
    /// Most regions deploying at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_regions: Option<u32>,
    /// The canary-watch configuration (`null`: canary verdicts come from
    /// `check` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<CanaryConfig>,
    /// Whether every wave (not only canary-gated ones) is watched.
    pub watch_all_waves: bool,
    /// Watches by region.
    #[serde(default)]
    pub watches: BTreeMap<String, RegionWatch>,
    /// The escalation policy.
    pub escalation: EscalationPolicy,
    /// Escalations already raised (`rule` or `rule@region`), so each fires once.
    #[serde(default)]
    pub escalated: Vec<String>,
    /// Wave numbers that need an `approval` event before they start.
    #[serde(default)]
    pub approval_waves: Vec<usize>,
    /// Whether a halt rolls back without a person.
    pub auto_rollback: bool,
    /// The current pause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<Pause>,
    /// The halt, once halted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halt: Option<Halt>,
    /// Events applied and decisions taken (metric batches are summed in the
    /// watches and counted per wave, not listed).
    pub history: Vec<HistoryEntry>,
}

impl ReleaseState {
    /// The step with this name.
    pub(crate) fn step_mut(&mut self, at: (usize, usize)) -> Option<&mut StepState> {
        self.waves.get_mut(at.0).and_then(|w| w.steps.get_mut(at.1))
    }

    /// Position of the current wave: the first that has not passed.
    pub(crate) fn current_wave(&self) -> Option<usize> {
        self.waves
            .iter()
            .position(|w| w.status != WaveStatus::Passed)
    }

    /// The number of the current wave (the first that has not passed its
    /// gate); `None` once every wave has passed.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}], "regions": [{"id": "eu"}]}"#)?;
    /// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
    /// let state = rollgate::start_release(&plan, start, None)?;
    /// assert_eq!(state.current_wave_number(), Some(1));
    /// # Ok::<(), rollgate::Error>(())
    /// ```
    pub fn current_wave_number(&self) -> Option<usize> {
        self.current_wave().map(|w| w + 1)
    }
}

/// The fingerprint of a plan: hex of the first 8 bytes of the SHA-256 of
/// its canonical JSON.
pub(crate) fn fingerprint(plan: &Plan) -> String {
    let value = serde_json::to_value(plan).unwrap_or(serde_json::Value::Null);
    let text = crate::changelog::canonical_json(&value);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Checks that `state` can continue under `plan`.
pub(crate) fn check(state: &ReleaseState, plan: &Plan) -> Result<()> {
    if state.version != RELEASE_STATE_VERSION {
        return Err(Error::new(
            "state/version",
            ReleaseError::IncompatibleState {
                message: format!(
                    "state version {} is not the version this build reads ({RELEASE_STATE_VERSION})",
                    state.version
                ),
            },
        ));
    }
    let expected = fingerprint(plan);
    if state.fingerprint != expected {
        return Err(Error::new(
            "state/fingerprint",
            ReleaseError::IncompatibleState {
                message: format!(
                    "the state belongs to another plan (fingerprint {}, this plan's is {expected})",
                    state.fingerprint
                ),
            },
        ));
    }
    Ok(())
}

/// Reads a stored release state from any serde source; a value that is not
/// a state (wrong type, unknown field) is `incompatible_state` with a path
/// starting with `state`.
///
/// ```
/// let err = rollgate::release::parse_state(serde_json::json!({"version": "one"})).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("incompatible_state", "state/version"));
/// ```
pub fn parse_state(value: serde_json::Value) -> Result<ReleaseState> {
    crate::wire::from_value(value).map_err(as_state_error)
}

/// Turns a wire error met while reading a stored release state into
/// `incompatible_state` under `state`.
pub(crate) fn as_state_error(err: Error) -> Error {
    match err.kind() {
        crate::error::ErrorKind::Input(_) | crate::error::ErrorKind::Calendar(_) => Error::new(
            err.path(),
            ReleaseError::IncompatibleState {
                message: err.message(),
            },
        )
        .with_path_prefix("state"),
        _ => err.with_path_prefix("state"),
    }
}
