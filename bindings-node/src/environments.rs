//! Environment functions: `checkParity`, `checkPromotion`, `planMigrations`,
//! `evaluateAccess`, `teardownCandidates`, `isolationPlan`.

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::de::DeserializeOwned;

use crate::convert::{arg, doc, is_nullish, to_js, OrThrow};

/// Reads an optional secondary argument: `undefined` or `null` means the default.
fn opt<T: DeserializeOwned + Default>(
    env: &Env,
    value: Option<Unknown<'_>>,
    name: &str,
) -> napi::Result<T> {
    match value {
        Some(v) if !is_nullish(&v)? => arg(env, v, name),
        _ => Ok(T::default()),
    }
}

/// What differs between each environment of a promotion path and the next.
#[napi(
    ts_args_type = "environments: EnvironmentSpec[], promotionPath: string[], rules?: ParityRules | null",
    ts_return_type = "ParityReport"
)]
pub fn check_parity<'env>(
    env: &'env Env,
    environments: Unknown<'env>,
    promotion_path: Unknown<'env>,
    rules: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let environments: Vec<rollgate::EnvironmentSpec> = doc(env, environments)?;
    let path: Vec<String> = arg(env, promotion_path, "promotion_path")?;
    let rules: rollgate::ParityRules = opt(env, rules, "rules")?;
    let result = rollgate::check_parity(&environments, &path, &rules).or_throw(env)?;
    to_js(env, &result)
}

/// Whether one artifact travelled the promotion path as the rules require.
#[napi(
    ts_args_type = "promotionPath: string[], deployments: Deployment[], artifact: Artifact, rules?: PromotionRules | null",
    ts_return_type = "PromotionCheck"
)]
pub fn check_promotion<'env>(
    env: &'env Env,
    promotion_path: Unknown<'env>,
    deployments: Unknown<'env>,
    artifact: Unknown<'env>,
    rules: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let path: Vec<String> = arg(env, promotion_path, "promotion_path")?;
    let deployments: Vec<rollgate::Deployment> = arg(env, deployments, "deployments")?;
    let artifact: rollgate::Artifact = arg(env, artifact, "artifact")?;
    let rules: rollgate::PromotionRules = opt(env, rules, "rules")?;
    let result = rollgate::check_promotion(&path, &deployments, &artifact, &rules).or_throw(env)?;
    to_js(env, &result)
}

/// Flyway-style validation of migration histories and the order to apply.
#[napi(
    ts_args_type = "migrations: MigrationScript[], environments: MigrationHistory[]",
    ts_return_type = "MigrationPlan"
)]
pub fn plan_migrations<'env>(
    env: &'env Env,
    migrations: Unknown<'env>,
    environments: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let migrations: Vec<rollgate::MigrationScript> = doc(env, migrations)?;
    let environments: Vec<rollgate::MigrationHistory> = arg(env, environments, "environments")?;
    let result = rollgate::plan_migrations(&migrations, &environments).or_throw(env)?;
    to_js(env, &result)
}

/// Grant, needs_approval or deny for a just-in-time access request.
#[napi(
    ts_args_type = "request: AccessRequest, policy: AccessPolicy, now: Timestamp",
    ts_return_type = "AccessDecision"
)]
pub fn evaluate_access<'env>(
    env: &'env Env,
    request: Unknown<'env>,
    policy: Unknown<'env>,
    now: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let request: rollgate::AccessRequest = doc(env, request)?;
    let policy: rollgate::AccessPolicy = arg(env, policy, "policy")?;
    let now: rollgate::Timestamp = arg(env, now, "now")?;
    let result = rollgate::evaluate_access(&request, &policy, now).or_throw(env)?;
    to_js(env, &result)
}

/// Which environments to tear down, when, and what that saves.
#[napi(
    ts_args_type = "environments: EnvironmentSpec[], policy: TeardownPolicy | null | undefined, now: Timestamp",
    ts_return_type = "TeardownPlan"
)]
pub fn teardown_candidates<'env>(
    env: &'env Env,
    environments: Unknown<'env>,
    policy: Option<Unknown<'env>>,
    now: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let environments: Vec<rollgate::EnvironmentSpec> = doc(env, environments)?;
    let policy: rollgate::TeardownPolicy = opt(env, policy, "policy")?;
    let now: rollgate::Timestamp = arg(env, now, "now")?;
    let result = rollgate::teardown_candidates(&environments, &policy, now).or_throw(env)?;
    to_js(env, &result)
}

/// What an isolated test environment for some services must bring along.
#[napi(
    ts_args_type = "plan: Plan, services: string[], options?: IsolationOptions | null",
    ts_return_type = "IsolationPlan"
)]
pub fn isolation_plan<'env>(
    env: &'env Env,
    plan: Unknown<'env>,
    services: Unknown<'env>,
    options: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let plan: rollgate::Plan = doc(env, plan)?;
    let services: Vec<String> = arg(env, services, "services")?;
    let options: rollgate::IsolationOptions = opt(env, options, "options")?;
    let result = rollgate::isolation_plan(&plan, &services, &options).or_throw(env)?;
    to_js(env, &result)
}
