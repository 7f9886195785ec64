//! Vector dispatch for the change-risk, strategy, governance and change-log
//! functions. Argument names (error-path prefixes) match the bindings.

use serde_json::Value;

use crate::common::{arg, out};

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "assess_risk" => (|| {
            let change: rollgate::Change = arg(input, 0, "")?;
            let plan: Option<rollgate::Plan> = arg(input, 1, "plan")?;
            let model: Option<rollgate::RiskModel> = arg(input, 2, "model")?;
            let history: Option<Vec<rollgate::ChangeOutcome>> = arg(input, 3, "history")?;
            let context: Option<rollgate::RiskContext> = arg(input, 4, "context")?;
            out(rollgate::assess_risk(
                &change,
                plan.as_ref(),
                model.as_ref(),
                history.as_deref(),
                context.as_ref(),
            ))
        })(),
        "fit_risk_model" => (|| {
            let history: Vec<rollgate::ChangeOutcome> = arg(input, 0, "")?;
            let options: Option<rollgate::FitOptions> = arg(input, 1, "options")?;
            out(rollgate::fit_risk_model(&history, options.as_ref()))
        })(),
        "update_risk_model" => (|| {
            let model: rollgate::RiskModel = arg(input, 0, "")?;
            let outcomes: Vec<rollgate::ChangeOutcome> = arg(input, 1, "outcomes")?;
            out(rollgate::update_risk_model(&model, &outcomes))
        })(),
        "evaluate_risk_model" => (|| {
            let model: rollgate::RiskModel = arg(input, 0, "")?;
            let history: Vec<rollgate::ChangeOutcome> = arg(input, 1, "history")?;
            out(rollgate::evaluate_risk_model(&model, &history))
        })(),
        "recommend_strategy" => (|| {
            let service: rollgate::ServiceProfile = arg(input, 0, "")?;
            let change: rollgate::Change = arg(input, 1, "change")?;
            let risk: Option<rollgate::strategy::RiskRef> = arg(input, 2, "risk")?;
            out(rollgate::recommend_strategy(
                &service,
                &change,
                risk.as_ref(),
            ))
        })(),
        "evaluate_governance" => (|| {
            let change: rollgate::Change = arg(input, 0, "")?;
            let policy: rollgate::GovernancePolicy = arg(input, 1, "policy")?;
            let risk: rollgate::strategy::RiskRef = arg(input, 2, "risk")?;
            out(rollgate::evaluate_governance(&change, &policy, &risk))
        })(),
        "append_change_record" => (|| {
            let tail: Option<rollgate::ChangeRecord> = arg(input, 0, "log_tail")?;
            let record: rollgate::ChangeRecordInput = arg(input, 1, "record")?;
            out(rollgate::append_change_record(tail.as_ref(), &record))
        })(),
        "verify_change_log" => (|| {
            let records: Vec<rollgate::ChangeRecord> = arg(input, 0, "")?;
            let checkpoint: Option<rollgate::Checkpoint> = arg(input, 1, "checkpoint")?;
            out(rollgate::verify_change_log(&records, checkpoint.as_ref()))
        })(),
        _ => return None,
    };
    Some(result)
}
