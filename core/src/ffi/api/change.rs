//! Bodies of the exported functions about a change: its risk and risk
//! models, the strategy to ship it, governance, and the change log.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::{
    Change, ChangeOutcome, ChangeRecord, ChangeRecordInput, Checkpoint, FitOptions,
    GovernancePolicy, Plan, RiskContext, RiskModel, ServiceProfile,
};

pub(super) fn assess_risk<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let change: Change = a.doc(0)?;
    let plan: Option<Plan> = a.opt(1)?;
    let model: Option<RiskModel> = a.opt(2)?;
    let history: Option<Vec<ChangeOutcome>> = a.opt(3)?;
    let context: Option<RiskContext> = a.opt(4)?;
    a.finish(move || {
        crate::assess_risk(
            &change,
            plan.as_ref(),
            model.as_ref(),
            history.as_deref(),
            context.as_ref(),
        )
    })
}

pub(super) fn default_risk_model<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    a.finish(|| Ok(crate::default_risk_model()))
}

pub(super) fn fit_risk_model<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let history: Vec<ChangeOutcome> = a.doc(0)?;
    let options: Option<FitOptions> = a.opt(1)?;
    a.finish(move || crate::fit_risk_model(&history, options.as_ref()))
}

pub(super) fn update_risk_model<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let model: RiskModel = a.doc(0)?;
    let outcomes: Vec<ChangeOutcome> = a.arg(1)?;
    a.finish(move || crate::update_risk_model(&model, &outcomes))
}

pub(super) fn evaluate_risk_model<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let model: RiskModel = a.doc(0)?;
    let history: Vec<ChangeOutcome> = a.arg(1)?;
    a.finish(move || crate::evaluate_risk_model(&model, &history))
}

pub(super) fn recommend_strategy<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let service: ServiceProfile = a.doc(0)?;
    let change: Change = a.arg(1)?;
    let risk: Option<crate::strategy::RiskRef> = a.opt(2)?;
    a.finish(move || crate::recommend_strategy(&service, &change, risk.as_ref()))
}

pub(super) fn evaluate_governance<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let change: Change = a.doc(0)?;
    let policy: GovernancePolicy = a.arg(1)?;
    let risk: crate::strategy::RiskRef = a.arg(2)?;
    a.finish(move || crate::evaluate_governance(&change, &policy, &risk))
}

pub(super) fn append_change_record<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let tail: Option<ChangeRecord> = a.opt(0)?;
    let record: ChangeRecordInput = a.arg(1)?;
    a.finish(move || crate::append_change_record(tail.as_ref(), &record))
}

pub(super) fn verify_change_log<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    // A list is verified one record at a time: memory stays flat for any length.
    let checkpoint: Option<Checkpoint> = a.opt(1)?;
    let mut verifier = crate::changelog::ChangeLogVerifier::new(checkpoint.as_ref())?;
    a.each_doc(0, |record: ChangeRecord| verifier.push(&record))?;
    a.finish(move || Ok(verifier.finish()))
}
