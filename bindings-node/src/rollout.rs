//! Multi-region rollout functions: `scheduleRollout`, `rollbackPlan`,
//! `toMermaidGantt`.

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use crate::convert::{arg, doc, to_js, OrThrow};
use crate::window::time;

/// The multi-region rollout schedule of a plan starting at `start` (RFC 3339).
#[napi(
    ts_args_type = "plan: Plan, start: string",
    ts_return_type = "Schedule"
)]
pub fn schedule_rollout<'env>(
    env: &'env Env,
    plan: Unknown<'env>,
    start: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let plan: rollgate::Plan = doc(env, plan)?;
    let start = time(env, start, "start")?;
    let result = rollgate::schedule_rollout(&plan, start).or_throw(env)?;
    to_js(env, &result)
}

/// What to undo when a rollout halts at a step or a time.
#[napi(
    ts_args_type = "schedule: Schedule, haltedAt: HaltedAt",
    ts_return_type = "RollbackPlan"
)]
pub fn rollback_plan<'env>(
    env: &'env Env,
    schedule: Unknown<'env>,
    halted_at: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let schedule: rollgate::Schedule = doc(env, schedule)?;
    let halted_at: rollgate::HaltedAt = arg(env, halted_at, "halted_at")?;
    let result = rollgate::rollback_plan(&schedule, &halted_at).or_throw(env)?;
    to_js(env, &result)
}

/// Mermaid Gantt text of a schedule.
#[napi(ts_args_type = "schedule: Schedule", ts_return_type = "string")]
pub fn to_mermaid_gantt(env: &Env, schedule: Unknown<'_>) -> napi::Result<String> {
    let schedule: rollgate::Schedule = doc(env, schedule)?;
    rollgate::to_mermaid_gantt(&schedule).or_throw(env)
}
