//! What to undo when a rollout halts: completed and in-flight steps in
//! reverse order, and what cannot be undone.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use chrono::TimeZone;
use serde::{Deserialize, Serialize};

use super::schedule::Schedule;
use super::steps::Step;
use crate::error::{Error, PlanError, Result};
use crate::explain::Reason;
use crate::wire::time::parse_timestamp;

/// Where a rollout halted: a step (`{"region", "service"}`, optionally
/// `"stage"`) or an RFC 3339 time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum HaltedAt {
    /// The step that failed: it and the steps running with it are in flight.
    #[cfg_attr(feature = "schema", schemars(title = "HaltedAtStep"))]
    Step {
        /// Region id.
        region: String,
        /// Service id.
        service: String,
        /// `one_box`, `full` or `contract` (default: the first matching step).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
    },
    /// A time: steps running then are in flight, finished ones completed.
    Time(String),
}

impl HaltedAt {
    /// Whether `step` is the step named (never for a time).
    fn names(&self, step: &Step) -> bool {
        match self {
            HaltedAt::Step {
                region,
                service,
                stage,
            } => {
                &step.region == region
                    && &step.service == service
                    && stage.as_ref().is_none_or(|s| s == &step.stage)
            }
            HaltedAt::Time(_) => false,
        }
    }
}

/// What to undo after a halt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RollbackPlan {
    /// The halt time (RFC 3339, offset of the schedule start).
    pub halted_at: String,
    /// `roll_back`, `roll_forward` (something cannot be undone) or
    /// `nothing_to_undo`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["roll_back", "roll_forward", "nothing_to_undo"])))]
    pub recommendation: String,
    /// Steps to undo, in order: most recent wave first, then stage (full
    /// before one box), then reverse dependency order, then region, service.
    pub undo: Vec<UndoStep>,
    /// Completed or in-flight steps that cannot be undone.
    pub cannot_undo: Vec<UndoStep>,
    /// Steps that had not started (nothing to do).
    pub not_started: usize,
    /// Why this recommendation: `irreversible_migration` (subject: the
    /// migration's service), `undo_in_reverse_order`, `nothing_started`.
    pub reasons: Vec<Reason>,
}

/// A step in a [`RollbackPlan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UndoStep {
    /// Service id.
    pub service: String,
    /// Region id.
    pub region: String,
    /// Stage of the step.
    pub stage: String,
    /// Wave number.
    pub wave: usize,
    /// `completed` or `in_flight`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["completed", "in_flight"])))]
    pub state: String,
    /// Instance group of a stateful service's step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
}

fn stage_rank(stage: &str) -> u8 {
    match stage {
        "one_box" => 0,
        "full" => 1,
        _ => 2,
    }
}

/// Seconds from the schedule start to the halt: the time given, or the
/// earliest start of the step named.
fn halt_offset(schedule: &Schedule, halted_at: &HaltedAt, t0: i64) -> Result<i64> {
    match halted_at {
        HaltedAt::Time(text) => Ok(parse_timestamp("halted_at", text)?.timestamp() - t0),
        HaltedAt::Step {
            region, service, ..
        } => schedule
            .waves
            .iter()
            .flat_map(|w| w.steps.iter())
            .filter(|s| halted_at.names(s))
            .map(|s| s.start_seconds as i64)
            .min()
            .ok_or_else(|| {
                Error::new(
                    "halted_at",
                    PlanError::UnknownStep {
                        region: region.clone(),
                        service: service.clone(),
                    },
                )
            }),
    }
}

/// What to undo when a rollout halts at `halted_at` (a step or a time).
///
/// Steps that finished at or before the halt are `completed`; steps running
/// at the halt are `in_flight` (for a time: started at or before it and not
/// finished; for a step reference: the step itself and the steps that
/// started before it and had not finished); later steps had not started. Completed and in-flight steps are undone most recent wave first,
/// then full stage before one box, then in reverse dependency order (higher
/// layer first), then by region and service id. Irreversible migrations are
/// not undone: they are listed in `cannot_undo`, and the recommendation
/// becomes `roll_forward`.
///
/// Errors: `unknown_step` (path `halted_at`) for a step not in the schedule;
/// `invalid_timestamp` for a bad time (path `halted_at`) or schedule start
/// (path `/start`).
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p",
///   "services": [{"id": "db", "deploy_duration": "10m", "migration": {"phase": "expand"}},
///                {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}],
///   "regions": [{"id": "a", "tier": "canary"}, {"id": "b"}]}"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let schedule = rollgate::schedule_rollout(&plan, start)?;
/// let halt = rollgate::HaltedAt::Step { region: "b".into(), service: "api".into(), stage: None };
/// let rollback = rollgate::rollback_plan(&schedule, &halt)?;
/// let undo: Vec<_> = rollback.undo.iter().map(|s| format!("{}@{}", s.service, s.region)).collect();
/// assert_eq!(undo, ["api@b", "api@a"]);
/// assert_eq!(rollback.recommendation, "roll_forward"); // the irreversible db migration
/// assert_eq!(rollback.cannot_undo.len(), 2);
/// assert_eq!(rollback.reasons[0].subjects, ["db"]);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn rollback_plan(schedule: &Schedule, halted_at: &HaltedAt) -> Result<RollbackPlan> {
    let start = parse_timestamp("/start", &schedule.start)?;
    let t0 = start.timestamp();
    let h = halt_offset(schedule, halted_at, t0)?;
    let by_time = matches!(halted_at, HaltedAt::Time(_));
    let mut touched: Vec<(usize, &Step, &str)> = Vec::new();
    let mut not_started = 0;
    for w in &schedule.waves {
        for s in &w.steps {
            let (st, fi) = (s.start_seconds as i64, s.finish_seconds as i64);
            let is_halted = st == h && halted_at.names(s);
            if fi <= h && !is_halted {
                touched.push((w.number, s, "completed"));
            } else if st < h || is_halted || (st == h && by_time) {
                touched.push((w.number, s, "in_flight"));
            } else {
                not_started += 1;
            }
        }
    }
    // Most recent wave, later stage, higher layer, later start first.
    touched.sort_by(|a, b| {
        let key = |(wave, s, _): &(usize, &Step, &str)| {
            (
                Reverse(*wave),
                Reverse(stage_rank(&s.stage)),
                Reverse(s.layer),
                Reverse(s.start_seconds),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| (&a.1.region, &a.1.service).cmp(&(&b.1.region, &b.1.service)))
    });
    let (mut undo, mut cannot_undo) = (Vec::new(), Vec::new());
    let mut irreversible: BTreeSet<&str> = BTreeSet::new();
    for (wave, s, state) in touched {
        let item = UndoStep {
            service: s.service.clone(),
            region: s.region.clone(),
            stage: s.stage.clone(),
            wave,
            state: state.to_string(),
            group: s.group,
        };
        if s.reversible {
            undo.push(item);
        } else {
            irreversible.insert(&s.service);
            cannot_undo.push(item);
        }
    }
    let (recommendation, reasons) = recommend(&undo, &cannot_undo, &irreversible);
    let halted = start
        .offset()
        .timestamp_opt(t0 + h, 0)
        .single()
        .map_or_else(|| (t0 + h).to_string(), |d| d.to_rfc3339());
    Ok(RollbackPlan {
        halted_at: halted,
        recommendation: recommendation.into(),
        undo,
        cannot_undo,
        not_started,
        reasons,
    })
}

/// The recommendation and its reasons: roll forward past irreversible
/// migrations, else roll back what started, else nothing to undo.
fn recommend(
    undo: &[UndoStep],
    cannot_undo: &[UndoStep],
    irreversible: &BTreeSet<&str>,
) -> (&'static str, Vec<Reason>) {
    let mut reasons: Vec<Reason> = irreversible
        .iter()
        .map(|service| {
            Reason::new(
                "irreversible_migration",
                format!(
                    "migration {service} cannot be undone: roll forward with a fix instead of rolling it back"
                ),
            )
            .with_subjects([*service])
        })
        .collect();
    let recommendation = if !cannot_undo.is_empty() {
        "roll_forward"
    } else if undo.is_empty() {
        reasons.push(Reason::new(
            "nothing_started",
            "no step had started: nothing to undo",
        ));
        "nothing_to_undo"
    } else {
        "roll_back"
    };
    if !undo.is_empty() {
        reasons.push(
            Reason::new(
                "undo_in_reverse_order",
                format!(
                    "undo {} steps, most recent wave first and dependents before what they depend on",
                    undo.len()
                ),
            )
            .with_evidence("steps", undo.len()),
        );
    }
    (recommendation, reasons)
}
