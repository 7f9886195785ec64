//! The release controller: a pure function over a stored state that drives
//! a release from its first wave to done or rolled back.
//!
//! A deploy tool that embeds rollgate no longer writes the controller that
//! Argo Rollouts, Flagger and Spinnaker each hard-wire (wait for the bake,
//! poll metrics, open the next wave, respect windows, count failures, halt,
//! roll back, escalate, record). It calls
//!
//! ```text
//! let mut state = start_release(&plan, start, options)?;      // store it (JSON)
//! loop:
//!     let update = advance_release(&plan, &state, &events_since_last_call, now)?;
//!     state = update.state;                                   // store it
//!     carry out update.actions (deploy, run_checks, wait, roll_back, escalate, done)
//!     append update.record to the change log
//! ```
//!
//! # How a call decides
//!
//! 1. **The state is checked**: its version and the plan's fingerprint
//!    (`incompatible_state` otherwise); `now` may not be earlier than the
//!    state's last time (`invalid_timestamp`).
//! 2. **Events are applied** in time order (stable for equal times):
//!    `step_started` / `step_finished` (a success after the step's timeout
//!    counts as failed), `metrics` (each deployed region of a watched wave
//!    has its own canary watch; a `rollback` verdict halts; an
//!    `inconclusive` one pauses the release for a person, whose `resume`
//!    accepts the wave), `check`, `approval`, `pause` / `resume`, `abort`
//!    (rolls back what was deployed), `rollback_finished`. A pause or abort
//!    of a release that is already halted or rolling back changes nothing
//!    (an earlier event of the same call may have stopped it).
//! 3. **Timeouts**: a step not finished by its start (or its request) plus
//!    the plan's `timeout` has failed at `now`.
//! 4. **Failures**: every failed attempt (step failure, timeout, failed
//!    check) counts; a failed step is retried while the count stays within
//!    `max_failed_steps`, and the release halts once it exceeds it.
//! 5. **Halts**: a halt computes the [`rollback_plan`](crate::rollback_plan)
//!    for the actual position (the schedule rebuilt from what happened:
//!    finished steps are `completed`, requested or running ones
//!    `in_flight`). It rolls back at once (`rolling_back`, a `roll_back`
//!    action) for a `rollback` verdict, an escalation rule with
//!    `auto_rollback`, an abort, or when the release's `auto_rollback` is on
//!    (the default); otherwise it is `halted` until a person aborts.
//! 6. **Progress**: the current wave opens once the previous gate has
//!    passed plus `min_gap_between_waves` (and an approval, for waves that
//!    need one). Inside each region its steps go batch by batch in the
//!    schedule's dependency order (one box, then the full stage after the
//!    one-box bake, then contract migrations; instance groups one after
//!    another); a batch starts only when the region's calendar allows the
//!    whole batch at `now`, else the region waits for the calendar's next
//!    allowed start, with the calendar's reasons. Regions of a wave deploy
//!    together up to `max_concurrent_regions`. Waves are the schedule's, so
//!    pairs, region dependencies and traffic caps hold throughout: a wave
//!    opens only after the previous one has passed its gate.
//! 7. **Gate**: after its last step, a wave bakes `bake_time` from the
//!    actual finish, collects `min_bake_samples` metric batches, passes its
//!    checks in every region (`run_checks` asks for them once) and, for a
//!    canary-gated wave, a `promote` verdict from every region's watch
//!    (or, without an analysis configuration, a passed `canary_verdict`
//!    check). Then the next wave is re-timed from now.
//! 8. **Release stages** of the plan (feature flags turned up after the
//!    last wave, see [`schedule_rollout`](crate::schedule_rollout)) are not
//!    driven here: when the last wave passes its gate the release
//!    completes with a `release_stages_left` reason naming them.
//! 9. **Escalation** rules are checked after every watch update and at a
//!    halt; each fires once per region.
//!
//! Every decision is a [`Reason`](crate::explain::Reason) in `reasons`; the
//! codes are in the table of [`explain`](crate::explain). The `record` is
//! the call's decision for [`append_change_record`](crate::append_change_record).
//!
//! # Layout
//!
//! `state` (the stored value) · `events` (events, actions, the result) ·
//! `escalation` (rules) · `run` (one call: failing, halting, escalating,
//! the actual schedule) · `apply` (events) · `progress` (waves, steps,
//! gates) · `notify` (templates) · `readiness` (go / no-go).

mod apply;
mod escalation;
mod events;
mod notify;
mod progress;
mod readiness;
mod run;
mod state;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use escalation::{EscalationPolicy, EscalationRule};
pub use events::{parse_events, Action, Event, Outcome, ReleaseUpdate, StepRef};
pub use notify::{render_notification, DOWNTIME_TEMPLATE, INCIDENT_TEMPLATE};
pub use readiness::{
    evaluate_release_readiness, ReadinessContext, ReadinessDecision, ReleaseReadiness,
};
pub use state::{
    parse_state, CheckResult, Halt, HistoryEntry, Pause, RegionWatch, ReleaseState, Status,
    StepState, StepStatus, WaveState, WaveStatus, RELEASE_STATE_VERSION,
};

use crate::change::Timestamp;
use crate::changelog::ChangeRecordInput;
use crate::error::{CalendarError, Error, Result};
use crate::plan::Plan;
use crate::verdict::CanaryConfig;
use run::{Ctx, Run};

/// Options of a release (each overrides the plan's `rollout` section).
///
/// ```
/// let options: rollgate::release::ReleaseOptions = rollgate::wire::from_json(
///     r#"{"approval_waves": [2], "auto_rollback": false}"#)?;
/// assert_eq!(options.approval_waves, Some(vec![2]));
/// # Ok::<(), rollgate::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseOptions {
    /// The canary-watch configuration (default: the plan's `rollout.analysis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<CanaryConfig>,
    /// The escalation policy (default: the plan's `rollout.escalation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationPolicy>,
    /// Watch every wave's regions, not only canary-gated waves (a `rollback`
    /// verdict anywhere halts; only canary-gated waves wait for `promote`).
    #[serde(default)]
    pub watch_all_waves: bool,
    /// Wave numbers that need an `approval` event before they start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_waves: Option<Vec<usize>>,
    /// Whether a halt rolls back without a person (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rollback: Option<bool>,
}

/// Starts a release of `plan` at `start`: the schedule's waves and steps
/// (from [`schedule_rollout`](crate::schedule_rollout)), all pending, with
/// the analysis configuration, escalation policy and options resolved.
///
/// Errors: every `schedule_rollout` error; `invalid_config` for the
/// analysis (paths under `/rollout/analysis`, or `options/analysis`);
/// `invalid_input` / `duplicate_id` for the escalation policy (under
/// `/rollout/escalation` or `options/escalation`); `invalid_input` for an
/// approval wave the schedule does not have.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "shop",
///   "services": [{"id": "api", "deploy_duration": "5m"}],
///   "regions": [{"id": "canary", "tier": "canary", "traffic_share": 0.05}, {"id": "eu", "traffic_share": 0.95}],
///   "rollout": {"bake_time": "30m"}}"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let state = rollgate::start_release(&plan, start, None)?;
/// assert_eq!(state.waves.len(), 2);
/// assert_eq!(state.status, rollgate::release::Status::Waiting);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn start_release(
    plan: &Plan,
    start: DateTime<FixedOffset>,
    options: Option<&ReleaseOptions>,
) -> Result<ReleaseState> {
    let schedule = crate::schedule_rollout(plan, start)?;
    let options = options.cloned().unwrap_or_default();
    let policy = plan.rollout.clone().unwrap_or_default();
    let analysis = match (options.analysis, &policy.analysis) {
        (Some(a), _) => Some(check_analysis(a, "options/analysis")?),
        (None, Some(v)) => {
            let a: CanaryConfig = crate::wire::from_value(v.clone())
                .map_err(|e| crate::verdict::as_canary_error(e, "/rollout/analysis"))?;
            Some(check_analysis(a, "/rollout/analysis")?)
        }
        (None, None) => None,
    };
    let escalation = match (options.escalation, &policy.escalation) {
        (Some(e), _) => {
            e.validate("options/escalation")?;
            e
        }
        (None, Some(v)) => {
            let e: EscalationPolicy = crate::wire::from_value(v.clone())
                .map_err(|e| e.with_path_prefix("/rollout/escalation"))?;
            e.validate("/rollout/escalation")?;
            e
        }
        (None, None) => EscalationPolicy::default(),
    };
    let approval_waves = options.approval_waves.unwrap_or_default();
    for (i, n) in approval_waves.iter().enumerate() {
        if *n == 0 || *n > schedule.waves.len() {
            return Err(Error::invalid_input(
                format!("options/approval_waves/{i}"),
                format!(
                    "the schedule has waves 1 to {}, not {n}",
                    schedule.waves.len()
                ),
            ));
        }
    }
    let waves = schedule.waves.iter().map(wave_state).collect();
    let at = Timestamp(start);
    Ok(ReleaseState {
        version: RELEASE_STATE_VERSION,
        fingerprint: state::fingerprint(plan),
        release: plan.name.clone(),
        started_at: at,
        last_at: at,
        status: Status::Waiting,
        waves,
        failed_steps: 0,
        max_failed_steps: policy.max_failed_steps,
        step_timeout_seconds: policy.timeout.map(|t| t.as_secs()),
        min_gap_seconds: policy.min_gap_between_waves.as_secs(),
        one_box_bake_seconds: policy.one_box.as_ref().map(|o| o.bake_time.as_secs()),
        max_concurrent_regions: policy.max_concurrent_regions,
        analysis,
        watch_all_waves: options.watch_all_waves,
        watches: Default::default(),
        escalation,
        escalated: Vec::new(),
        approval_waves,
        auto_rollback: options.auto_rollback.unwrap_or(true),
        paused: None,
        halt: None,
        history: vec![HistoryEntry {
            at,
            what: "started".into(),
            subjects: Vec::new(),
        }],
    })
}

/// A canary configuration a watch can start with.
fn check_analysis(config: CanaryConfig, prefix: &str) -> Result<CanaryConfig> {
    crate::start_canary_watch(&config).map_err(|e| e.with_path_prefix(prefix))?;
    Ok(config)
}

fn wave_state(w: &crate::rollout::Wave) -> WaveState {
    WaveState {
        number: w.number,
        kind: w.kind.clone(),
        regions: w.regions.clone(),
        traffic_share: w.traffic_share,
        status: WaveStatus::Pending,
        steps: w
            .steps
            .iter()
            .map(|s| StepState {
                region: s.region.clone(),
                service: s.service.clone(),
                stage: s.stage.clone(),
                group: s.group,
                layer: s.layer,
                duration_seconds: s.finish_seconds.saturating_sub(s.start_seconds),
                reversible: s.reversible,
                migration: s.migration,
                status: StepStatus::Pending,
                attempts: 0,
                requested_at: None,
                started_at: None,
                finished_at: None,
            })
            .collect(),
        bake_seconds: w.gate.bake_seconds,
        min_bake_samples: w.gate.min_bake_samples,
        checks: w.gate.checks.clone(),
        started_at: None,
        deployed_at: None,
        passed_at: None,
        bake_samples: 0,
        check_results: Default::default(),
        checks_requested: false,
        approved_by: None,
        verdict_accepted_by: None,
    }
}

/// Advances a release: applies the events since the last call, then
/// decides what to do at `now` (see the [module documentation](self)).
/// Pure: `state` is not changed, the new state is in the result.
///
/// Errors: `incompatible_state` (path `state/...`) for a state of another
/// plan or version; `invalid_timestamp` for a `now` (path `now`) or an event
/// time (`events/i/at`) earlier than the state's last time, or an event
/// later than `now`; `unknown_step` (`events/i`) for an event naming a step
/// or region the release does not have; `invalid_event` (`events/i`) for an
/// event that is impossible in the release's state (finishing a step that
/// never started, resuming a release that is not paused, any event after
/// the release ended); the canary watch's errors for a bad batch (under
/// `events/i/batch`).
///
/// ```
/// use rollgate::release::{advance_release, Action, Status};
/// let plan = rollgate::Plan::from_json(r#"{"name": "shop",
///   "services": [{"id": "api", "deploy_duration": "5m"}],
///   "regions": [{"id": "eu", "traffic_share": 1.0}]}"#)?;
/// let t = |s: &str| rollgate::window::parse_timestamp("t", s);
/// let state = rollgate::start_release(&plan, t("2026-11-24T09:00:00Z")?, None)?;
/// let first = advance_release(&plan, &state, &[], t("2026-11-24T09:00:00Z")?)?;
/// assert_eq!(first.status, Status::Deploying);
/// assert!(matches!(&first.actions[0], Action::Deploy { steps, .. } if steps[0].service == "api"));
/// let events = rollgate::release::parse_events(serde_json::json!([
///     {"type": "step_started", "region": "eu", "service": "api", "at": "2026-11-24T09:00:10Z"},
///     {"type": "step_finished", "region": "eu", "service": "api", "outcome": "succeeded", "at": "2026-11-24T09:05:00Z"},
///     {"type": "check", "check": "alarms_clear", "passed": true},
///     {"type": "check", "check": "health", "passed": true},
///     {"type": "check", "check": "smoke", "passed": true}]))?;
/// let last = advance_release(&plan, &first.state, &events, t("2026-11-24T09:06:00Z")?)?;
/// assert_eq!(last.status, Status::Completed);
/// assert_eq!(last.actions[0].kind(), "done");
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn advance_release(
    plan: &Plan,
    state: &ReleaseState,
    events: &[Event],
    now: DateTime<FixedOffset>,
) -> Result<ReleaseUpdate> {
    state::check(state, plan)?;
    let now = Timestamp(now);
    let since = state.last_at;
    if now < since {
        return Err(Error::new(
            "now",
            CalendarError::InvalidTimestamp {
                value: now.to_rfc3339(),
                message: format!(
                    "now is earlier than the release's last time ({})",
                    since.to_rfc3339()
                ),
            },
        ));
    }
    let ctx = Ctx::new(plan, now)?;
    let mut run = Run {
        s: state.clone(),
        actions: Vec::new(),
        reasons: Vec::new(),
    };
    let mut timed = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        timed.push((run.event_time(&ctx, since, i, e)?, i, e));
    }
    timed.sort_by_key(|(at, i, _)| (*at, *i));
    for (at, i, e) in timed {
        run.apply(&ctx, i, e, at)?;
    }
    if run.active() {
        run.timeouts(&ctx)?;
    }
    run.progress(&ctx)?;
    run.s.last_at = now;
    let Run {
        s,
        actions,
        reasons,
    } = run;
    let record = record(state, events, now, &s, &actions, &reasons);
    Ok(ReleaseUpdate {
        status: s.status,
        state: s,
        actions,
        reasons,
        record,
    })
}

/// The call's decision for the change log: a digest of the inputs (state,
/// events, now), the status, actions and reasons.
fn record(
    before: &ReleaseState,
    events: &[Event],
    now: Timestamp,
    after: &ReleaseState,
    actions: &[Action],
    reasons: &[crate::explain::Reason],
) -> ChangeRecordInput {
    use sha2::{Digest, Sha256};
    let inputs = serde_json::json!({"state": before, "events": events, "now": now});
    let digest = Sha256::digest(crate::changelog::canonical_json(&inputs).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    ChangeRecordInput {
        kind: "release".into(),
        at: Some(now),
        inputs: serde_json::json!({
            "release": after.release,
            "fingerprint": after.fingerprint,
            "inputs_digest": hex,
            "events": events.len(),
            "now": now,
        }),
        outputs: serde_json::json!({
            "status": after.status,
            "actions": actions,
            "reasons": reasons,
            "failed_steps": after.failed_steps,
        }),
    }
}
