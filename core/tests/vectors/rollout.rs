//! Vector dispatch for the multi-region rollout functions.

use serde_json::Value;

use crate::common::{arg, out};
use crate::window::time;

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "schedule_rollout" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let start = time(input, 1, "start")?;
            out(rollgate::schedule_rollout(&plan, start))
        })(),
        "rollback_plan" => (|| {
            let schedule: rollgate::Schedule = arg(input, 0, "")?;
            let halted_at: rollgate::HaltedAt = arg(input, 1, "halted_at")?;
            out(rollgate::rollback_plan(&schedule, &halted_at))
        })(),
        "to_mermaid_gantt" => (|| {
            let schedule: rollgate::Schedule = arg(input, 0, "")?;
            out(rollgate::to_mermaid_gantt(&schedule))
        })(),
        _ => return None,
    };
    Some(result)
}
