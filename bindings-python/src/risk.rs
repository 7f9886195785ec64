//! Change-risk, strategy, governance and change-log functions.

use pyo3::prelude::*;
use serde::de::DeserializeOwned;

use crate::convert::{arg, doc, to_py, Raise};

/// Reads an optional secondary argument: `None` (or absent) means absent.
fn opt<T: DeserializeOwned>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    match obj {
        Some(o) if !o.is_none() => Ok(Some(arg(o, name)?)),
        _ => Ok(None),
    }
}

/// Risk of a change: probability, score, level and each factor's contribution.
#[pyfunction]
#[pyo3(signature = (change, plan = None, model = None, history = None, context = None))]
fn assess_risk(
    py: Python<'_>,
    change: &Bound<'_, PyAny>,
    plan: Option<&Bound<'_, PyAny>>,
    model: Option<&Bound<'_, PyAny>>,
    history: Option<&Bound<'_, PyAny>>,
    context: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let change: rollgate::Change = doc(change)?;
    let plan: Option<rollgate::Plan> = opt(plan, "plan")?;
    let model: Option<rollgate::RiskModel> = opt(model, "model")?;
    let history: Option<Vec<rollgate::ChangeOutcome>> = opt(history, "history")?;
    let context: Option<rollgate::RiskContext> = opt(context, "context")?;
    let result = py
        .detach(|| {
            rollgate::assess_risk(
                &change,
                plan.as_ref(),
                model.as_ref(),
                history.as_deref(),
                context.as_ref(),
            )
        })
        .raise(py)?;
    to_py(py, &result)
}

/// The shipped default risk model.
#[pyfunction]
fn default_risk_model(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &rollgate::default_risk_model())
}

/// Learns a risk model from `{"change", "failed"}` outcomes.
#[pyfunction]
#[pyo3(signature = (history, options = None))]
fn fit_risk_model(
    py: Python<'_>,
    history: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let history: Vec<rollgate::ChangeOutcome> = doc(history)?;
    let options: Option<rollgate::FitOptions> = opt(options, "options")?;
    let result = py
        .detach(|| rollgate::fit_risk_model(&history, options.as_ref()))
        .raise(py)?;
    to_py(py, &result)
}

/// Updates a risk model with new outcomes.
#[pyfunction]
fn update_risk_model(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    outcomes: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let model: rollgate::RiskModel = doc(model)?;
    let outcomes: Vec<rollgate::ChangeOutcome> = arg(outcomes, "outcomes")?;
    let result = py
        .detach(|| rollgate::update_risk_model(&model, &outcomes))
        .raise(py)?;
    to_py(py, &result)
}

/// Brier score, AUC and failures caught vs changes gated of a model on outcomes.
#[pyfunction]
fn evaluate_risk_model(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    history: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let model: rollgate::RiskModel = doc(model)?;
    let history: Vec<rollgate::ChangeOutcome> = arg(history, "history")?;
    let result = py
        .detach(|| rollgate::evaluate_risk_model(&model, &history))
        .raise(py)?;
    to_py(py, &result)
}

/// Canary, blue-green or rolling for a change to a service, with reasons.
#[pyfunction]
#[pyo3(signature = (service, change, risk = None))]
fn recommend_strategy(
    py: Python<'_>,
    service: &Bound<'_, PyAny>,
    change: &Bound<'_, PyAny>,
    risk: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let service: rollgate::ServiceProfile = doc(service)?;
    let change: rollgate::Change = arg(change, "change")?;
    let risk: Option<rollgate::strategy::RiskRef> = opt(risk, "risk")?;
    let result = py
        .detach(|| rollgate::recommend_strategy(&service, &change, risk.as_ref()))
        .raise(py)?;
    to_py(py, &result)
}

/// Approvals, segregation of duties, CAB, test depth and compliance evidence.
#[pyfunction]
fn evaluate_governance(
    py: Python<'_>,
    change: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    risk: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let change: rollgate::Change = doc(change)?;
    let policy: rollgate::GovernancePolicy = arg(policy, "policy")?;
    let risk: rollgate::strategy::RiskRef = arg(risk, "risk")?;
    let result = py
        .detach(|| rollgate::evaluate_governance(&change, &policy, &risk))
        .raise(py)?;
    to_py(py, &result)
}

/// Appends a decision to a hash-chained change log.
#[pyfunction]
#[pyo3(signature = (log_tail, record))]
fn append_change_record(
    py: Python<'_>,
    log_tail: Option<&Bound<'_, PyAny>>,
    record: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let tail: Option<rollgate::ChangeRecord> = opt(log_tail, "log_tail")?;
    let record: rollgate::ChangeRecordInput = arg(record, "record")?;
    let result = py
        .detach(|| rollgate::append_change_record(tail.as_ref(), &record))
        .raise(py)?;
    to_py(py, &result)
}

/// Verifies a change log (against a trusted checkpoint when given) and names
/// the first record whose chain breaks. A list is verified one record at a
/// time, so memory stays bounded whatever the log's length.
#[pyfunction]
#[pyo3(signature = (records, checkpoint = None))]
fn verify_change_log(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    checkpoint: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let checkpoint: Option<rollgate::Checkpoint> = opt(checkpoint, "checkpoint")?;
    let mut verifier =
        rollgate::changelog::ChangeLogVerifier::new(checkpoint.as_ref()).raise(py)?;
    match records.cast::<pyo3::types::PyList>() {
        Ok(list) => {
            for (i, item) in list.iter().enumerate() {
                let record: rollgate::ChangeRecord = arg(&item, &format!("/{i}"))?;
                verifier.push(&record);
            }
        }
        Err(_) => {
            let records: Vec<rollgate::ChangeRecord> = doc(records)?;
            records.iter().for_each(|r| verifier.push(r));
        }
    }
    to_py(py, &verifier.finish())
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess_risk, m)?)?;
    m.add_function(wrap_pyfunction!(default_risk_model, m)?)?;
    m.add_function(wrap_pyfunction!(fit_risk_model, m)?)?;
    m.add_function(wrap_pyfunction!(update_risk_model, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_risk_model, m)?)?;
    m.add_function(wrap_pyfunction!(recommend_strategy, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_governance, m)?)?;
    m.add_function(wrap_pyfunction!(append_change_record, m)?)?;
    m.add_function(wrap_pyfunction!(verify_change_log, m)?)?;
    Ok(())
}
