//! Change-risk, strategy, governance and change-log functions: `assessRisk`,
//! `defaultRiskModel`, `fitRiskModel`, `updateRiskModel`, `evaluateRiskModel`,
//! `recommendStrategy`, `evaluateGovernance`, `appendChangeRecord`,
//! `verifyChangeLog`.

use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue};
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

/// Risk of a change: probability, score, level and each factor's contribution.
#[napi(
    ts_args_type = "change: Change, plan?: Plan | null, model?: RiskModel | null, history?: ChangeOutcome[] | null, context?: RiskContext | null",
    ts_return_type = "RiskAssessment"
)]
pub fn assess_risk<'env>(
    env: &'env Env,
    change: Unknown<'env>,
    plan: Option<Unknown<'env>>,
    model: Option<Unknown<'env>>,
    history: Option<Unknown<'env>>,
    context: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let change: rollgate::Change = doc(env, change)?;
    let plan: Option<rollgate::Plan> = opt(env, plan, "plan")?;
    let model: Option<rollgate::RiskModel> = opt(env, model, "model")?;
    let history: Option<Vec<rollgate::ChangeOutcome>> = opt(env, history, "history")?;
    let context: Option<rollgate::RiskContext> = opt(env, context, "context")?;
    let result = rollgate::assess_risk(
        &change,
        plan.as_ref(),
        model.as_ref(),
        history.as_deref(),
        context.as_ref(),
    )
    .or_throw(env)?;
    to_js(env, &result)
}

/// The shipped default risk model.
#[napi(ts_return_type = "RiskModel")]
pub fn default_risk_model(env: &Env) -> napi::Result<Unknown<'_>> {
    to_js(env, &rollgate::default_risk_model())
}

/// Learns a risk model from `{ change, failed }` outcomes.
#[napi(
    ts_args_type = "history: ChangeOutcome[], options?: FitOptions | null",
    ts_return_type = "RiskModel"
)]
pub fn fit_risk_model<'env>(
    env: &'env Env,
    history: Unknown<'env>,
    options: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let history: Vec<rollgate::ChangeOutcome> = doc(env, history)?;
    let options: Option<rollgate::FitOptions> = opt(env, options, "options")?;
    let result = rollgate::fit_risk_model(&history, options.as_ref()).or_throw(env)?;
    to_js(env, &result)
}

/// Updates a risk model with new outcomes.
#[napi(
    ts_args_type = "model: RiskModel, outcomes: ChangeOutcome[]",
    ts_return_type = "RiskModel"
)]
pub fn update_risk_model<'env>(
    env: &'env Env,
    model: Unknown<'env>,
    outcomes: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let model: rollgate::RiskModel = doc(env, model)?;
    let outcomes: Vec<rollgate::ChangeOutcome> = arg(env, outcomes, "outcomes")?;
    let result = rollgate::update_risk_model(&model, &outcomes).or_throw(env)?;
    to_js(env, &result)
}

/// Brier score, AUC and failures caught vs changes gated of a model on outcomes.
#[napi(
    ts_args_type = "model: RiskModel, history: ChangeOutcome[]",
    ts_return_type = "RiskModelEvaluation"
)]
pub fn evaluate_risk_model<'env>(
    env: &'env Env,
    model: Unknown<'env>,
    history: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let model: rollgate::RiskModel = doc(env, model)?;
    let history: Vec<rollgate::ChangeOutcome> = arg(env, history, "history")?;
    let result = rollgate::evaluate_risk_model(&model, &history).or_throw(env)?;
    to_js(env, &result)
}

/// Canary, blue-green or rolling for a change to a service, with reasons.
#[napi(
    ts_args_type = "service: ServiceProfile, change: Change, risk?: RiskRef | null",
    ts_return_type = "StrategyRecommendation"
)]
pub fn recommend_strategy<'env>(
    env: &'env Env,
    service: Unknown<'env>,
    change: Unknown<'env>,
    risk: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let service: rollgate::ServiceProfile = doc(env, service)?;
    let change: rollgate::Change = arg(env, change, "change")?;
    let risk: Option<rollgate::strategy::RiskRef> = opt(env, risk, "risk")?;
    let result = rollgate::recommend_strategy(&service, &change, risk.as_ref()).or_throw(env)?;
    to_js(env, &result)
}

/// Approvals, segregation of duties, CAB, test depth and compliance evidence.
#[napi(
    ts_args_type = "change: Change, policy: GovernancePolicy, risk: RiskRef",
    ts_return_type = "GovernanceDecision"
)]
pub fn evaluate_governance<'env>(
    env: &'env Env,
    change: Unknown<'env>,
    policy: Unknown<'env>,
    risk: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let change: rollgate::Change = doc(env, change)?;
    let policy: rollgate::GovernancePolicy = arg(env, policy, "policy")?;
    let risk: rollgate::strategy::RiskRef = arg(env, risk, "risk")?;
    let result = rollgate::evaluate_governance(&change, &policy, &risk).or_throw(env)?;
    to_js(env, &result)
}

/// Appends a decision to a hash-chained change log.
#[napi(
    ts_args_type = "logTail: ChangeRecord | null | undefined, record: ChangeRecordInput",
    ts_return_type = "ChangeRecord"
)]
pub fn append_change_record<'env>(
    env: &'env Env,
    log_tail: Option<Unknown<'env>>,
    record: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let tail: Option<rollgate::ChangeRecord> = opt(env, log_tail, "log_tail")?;
    let record: rollgate::ChangeRecordInput = arg(env, record, "record")?;
    let result = rollgate::append_change_record(tail.as_ref(), &record).or_throw(env)?;
    to_js(env, &result)
}

/// Verifies a change log (against a trusted checkpoint when given) and names
/// the first record whose chain breaks. An array is verified one record at a
/// time, so memory stays bounded whatever the log's length.
#[napi(
    ts_args_type = "records: ChangeRecord[], checkpoint?: Checkpoint | null",
    ts_return_type = "ChangeLogVerification"
)]
pub fn verify_change_log<'env>(
    env: &'env Env,
    records: Unknown<'env>,
    checkpoint: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let checkpoint: Option<rollgate::Checkpoint> = opt(env, checkpoint, "checkpoint")?;
    let mut verifier =
        rollgate::changelog::ChangeLogVerifier::new(checkpoint.as_ref()).or_throw(env)?;
    if records.is_array()? {
        let array = Object::from_unknown(records)?;
        for i in 0..array.get_array_length()? {
            let item: Unknown<'_> = array.get_element(i)?;
            let record: rollgate::ChangeRecord = arg(env, item, &format!("/{i}"))?;
            verifier.push(&record);
        }
    } else {
        let records: Vec<rollgate::ChangeRecord> = doc(env, records)?;
        records.iter().for_each(|r| verifier.push(r));
    }
    to_js(env, &verifier.finish())
}
