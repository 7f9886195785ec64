//! Delivery-performance and feature-flag functions: `doraMetrics`,
//! `assessMaturity`, `flagBucket`, `flagEnabled`, `flagExposure`.

use std::collections::BTreeMap;

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::de::DeserializeOwned;

use crate::convert::{arg, doc, is_nullish, to_js, OrThrow};

/// Reads an optional secondary argument: `undefined` or `null` means absent.
fn opt<T: DeserializeOwned>(
    env: &Env,
    value: Option<Unknown<'_>>,
    name: &str,
) -> napi::Result<Option<T>> {
    match value {
        Some(v) if !is_nullish(&v)? => Ok(Some(arg(env, v, name)?)),
        _ => Ok(None),
    }
}

/// DORA keys and rework rate of deployment and incident records, with tiers.
#[napi(
    ts_args_type = "deployments: Deployment[], incidents: Incident[], options?: DoraOptions | null, plan?: Plan | null",
    ts_return_type = "DoraReport"
)]
pub fn dora_metrics<'env>(
    env: &'env Env,
    deployments: Unknown<'env>,
    incidents: Unknown<'env>,
    options: Option<Unknown<'env>>,
    plan: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let deployments: Vec<rollgate::Deployment> = doc(env, deployments)?;
    let incidents: Vec<rollgate::Incident> = arg(env, incidents, "incidents")?;
    let options: Option<rollgate::DoraOptions> = opt(env, options, "options")?;
    let plan: Option<rollgate::Plan> = opt(env, plan, "plan")?;
    let result = rollgate::dora_metrics(&deployments, &incidents, options.as_ref(), plan.as_ref())
        .or_throw(env)?;
    to_js(env, &result)
}

/// Maturity level 1-5 per practice area, with evidence and next practices.
#[napi(
    ts_args_type = "metrics: DeliveryMetrics | null | undefined, practices: Record<string, boolean>",
    ts_return_type = "MaturityAssessment"
)]
pub fn assess_maturity<'env>(
    env: &'env Env,
    metrics: Option<Unknown<'env>>,
    practices: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let metrics: Option<rollgate::DeliveryMetrics> = match metrics {
        Some(m) if !is_nullish(&m)? => Some(doc(env, m)?),
        _ => None,
    };
    let practices: BTreeMap<String, bool> = arg(env, practices, "practices")?;
    let result = rollgate::assess_maturity(metrics.as_ref(), &practices).or_throw(env)?;
    to_js(env, &result)
}

/// A unit's bucket: Unleash 1-100, flagd 0-99.
#[napi(
    ts_args_type = "flagKey: string, unitId: string, algorithm?: FlagAlgorithm | null",
    ts_return_type = "number"
)]
pub fn flag_bucket<'env>(
    env: &'env Env,
    flag_key: Unknown<'env>,
    unit_id: Unknown<'env>,
    algorithm: Option<Unknown<'env>>,
) -> napi::Result<u32> {
    let flag_key: String = arg(env, flag_key, "flag_key")?;
    let unit_id: String = arg(env, unit_id, "unit_id")?;
    let algorithm = match opt::<String>(env, algorithm, "algorithm")? {
        Some(a) => rollgate::FlagAlgorithm::parse(&a, "algorithm").or_throw(env)?,
        None => rollgate::FlagAlgorithm::default(),
    };
    Ok(rollgate::flag_bucket(&flag_key, &unit_id, algorithm))
}

/// Whether a unit gets a flag and which variant, as Unleash or flagd decides.
#[napi(
    ts_args_type = "flag: Flag, unitId: string",
    ts_return_type = "FlagDecision"
)]
pub fn flag_enabled<'env>(
    env: &'env Env,
    flag: Unknown<'env>,
    unit_id: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let flag: rollgate::Flag = doc(env, flag)?;
    let unit_id: String = arg(env, unit_id, "unit_id")?;
    let result = rollgate::flag_enabled(&flag, &unit_id).or_throw(env)?;
    to_js(env, &result)
}

/// How many units of a population see a flag and each variant.
#[napi(
    ts_args_type = "flag: Flag, population: string[] | PopulationCount",
    ts_return_type = "FlagExposure"
)]
pub fn flag_exposure<'env>(
    env: &'env Env,
    flag: Unknown<'env>,
    population: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let flag: rollgate::Flag = doc(env, flag)?;
    let population: rollgate::Population = arg(env, population, "population")?;
    let result = rollgate::flag_exposure(&flag, &population).or_throw(env)?;
    to_js(env, &result)
}
