//! Vector dispatch for the release controller (`start_release`,
//! `advance_release`, `render_notification`, `evaluate_release_readiness`),
//! and the scenario form of a case.
//!
//! A scenario case is `{"name", "scenario": {"plan", "start", "options"?,
//! "calls": [call, ...]}}`: the runner starts the release, then makes each
//! call `{"events", "now", "expected" | "error_code", "error_path"?}` with
//! the state the previous call returned (a failed call leaves it as it
//! was). `expected` is matched against `{"status", "actions",
//! "reason_codes"}` of the call's result (`reason_codes`: the codes of its
//! `reasons`, in order); the state and record are checked by the property
//! and binding tests.

use serde_json::{json, Value};

use crate::common::{arg, out};
use crate::window::time;

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "start_release" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let start = time(input, 1, "start")?;
            let options: Option<rollgate::release::ReleaseOptions> = arg(input, 2, "options")?;
            out(rollgate::start_release(&plan, start, options.as_ref()))
        })(),
        "advance_release" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let state =
                rollgate::release::parse_state(input.get(1).cloned().unwrap_or(Value::Null))?;
            let events =
                rollgate::release::parse_events(input.get(2).cloned().unwrap_or(Value::Null))?;
            let now = time(input, 3, "now")?;
            out(rollgate::advance_release(&plan, &state, &events, now))
        })(),
        "render_notification" => (|| {
            let template: String = arg(input, 0, "template")?;
            let context = input.get(1).cloned().unwrap_or(Value::Null);
            out(rollgate::render_notification(&template, &context))
        })(),
        "evaluate_release_readiness" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let change: rollgate::Change = arg(input, 1, "change")?;
            let context: Option<rollgate::release::ReadinessContext> = arg(input, 2, "context")?;
            out(rollgate::evaluate_release_readiness(
                &plan,
                &change,
                &context.unwrap_or_default(),
            ))
        })(),
        _ => return None,
    };
    Some(result)
}

/// The part of an `advance_release` result a scenario checks.
pub fn projection(result: &Value) -> Value {
    let codes: Vec<Value> = result["reasons"]
        .as_array()
        .map(|r| r.iter().map(|x| x["code"].clone()).collect())
        .unwrap_or_default();
    json!({"status": result["status"], "actions": result["actions"], "reason_codes": codes})
}

/// Runs a scenario; each step's outcome (`Ok(projection)` or the error) in order.
pub fn scenario(s: &Value) -> rollgate::Result<Vec<rollgate::Result<Value>>> {
    let plan = s["plan"].clone();
    let mut state = call(
        "start_release",
        &[
            plan.clone(),
            s["start"].clone(),
            s.get("options").cloned().unwrap_or(Value::Null),
        ],
    )
    .expect("start_release is dispatched")?;
    let mut outcomes = Vec::new();
    for c in s["calls"].as_array().expect("calls is a list") {
        let input = [
            plan.clone(),
            state.clone(),
            c["events"].clone(),
            c["now"].clone(),
        ];
        match call("advance_release", &input).expect("advance_release is dispatched") {
            Ok(result) => {
                outcomes.push(Ok(projection(&result)));
                state = result["state"].clone();
            }
            Err(err) => outcomes.push(Err(err)),
        }
    }
    Ok(outcomes)
}
