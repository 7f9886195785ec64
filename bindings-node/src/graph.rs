//! Dependency-graph functions: `orderServices`, `blastRadius`, `scheduleServices`.

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use crate::convert::{arg, count, doc, is_nullish, to_js, OrThrow};

/// Deployment waves, rollback waves and critical path of a plan.
#[napi(ts_args_type = "plan: Plan", ts_return_type = "ServiceOrder")]
pub fn order_services<'env>(env: &'env Env, plan: Unknown<'env>) -> napi::Result<Unknown<'env>> {
    let plan: rollgate::Plan = doc(env, plan)?;
    let result = rollgate::order_services(&plan).or_throw(env)?;
    to_js(env, &result)
}

/// Transitive dependents of the requested services (default: all).
#[napi(
    ts_args_type = "plan: Plan, services?: string[] | null",
    ts_return_type = "BlastRadius"
)]
pub fn blast_radius<'env>(
    env: &'env Env,
    plan: Unknown<'env>,
    services: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let plan: rollgate::Plan = doc(env, plan)?;
    let services: Option<Vec<String>> = match services {
        Some(s) if !is_nullish(&s)? => Some(arg(env, s, "services")?),
        _ => None,
    };
    let result = rollgate::blast_radius(&plan, services.as_deref()).or_throw(env)?;
    to_js(env, &result)
}

/// Schedule with at most `maxParallel` deployments at once.
#[napi(
    ts_args_type = "plan: Plan, maxParallel: number",
    ts_return_type = "ParallelSchedule"
)]
pub fn schedule_services<'env>(
    env: &'env Env,
    plan: Unknown<'env>,
    max_parallel: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let plan: rollgate::Plan = doc(env, plan)?;
    let max_parallel = count(env, max_parallel, "max_parallel", 1)?;
    let result = rollgate::schedule_services(&plan, max_parallel).or_throw(env)?;
    to_js(env, &result)
}
