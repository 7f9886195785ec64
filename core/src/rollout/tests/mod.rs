//! Unit tests of the rollout schedule, by part: region checks, wave
//! formation, steps and waits, rollback plans and the Gantt chart.

mod checks;
mod flag_stages;
mod rollback;
mod steps;
mod waves;

pub(super) use super::*;
pub(super) use crate::error::{ErrorKind, PlanError};
pub(super) use crate::{Plan, Result};

pub(super) fn schedule(json: &str) -> Result<Schedule> {
    let plan = Plan::from_json(json)?;
    let start = crate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
    schedule_rollout(&plan, start)
}

pub(super) fn waves(s: &Schedule) -> Vec<Vec<String>> {
    s.waves.iter().map(|w| w.regions.clone()).collect()
}

pub(super) fn codes(w: &Wave) -> Vec<&str> {
    w.reasons.iter().map(|r| r.code.as_str()).collect()
}
