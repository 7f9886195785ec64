//! Environment functions: parity, promotion, migrations, access, teardown
//! and isolation.

use pyo3::prelude::*;
use serde::de::DeserializeOwned;

use crate::convert::{arg, doc, to_py, Raise};

/// Reads an optional secondary argument: `None` (or absent) means the default.
fn opt<T: DeserializeOwned + Default>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<T> {
    match obj {
        Some(o) if !o.is_none() => arg(o, name),
        _ => Ok(T::default()),
    }
}

/// What differs between each environment of a promotion path and the next.
#[pyfunction]
#[pyo3(signature = (environments, promotion_path, rules = None))]
fn check_parity(
    py: Python<'_>,
    environments: &Bound<'_, PyAny>,
    promotion_path: &Bound<'_, PyAny>,
    rules: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let environments: Vec<rollgate::EnvironmentSpec> = doc(environments)?;
    let path: Vec<String> = arg(promotion_path, "promotion_path")?;
    let rules: rollgate::ParityRules = opt(rules, "rules")?;
    let result = py
        .detach(|| rollgate::check_parity(&environments, &path, &rules))
        .raise(py)?;
    to_py(py, &result)
}

/// Whether one artifact travelled the promotion path as the rules require.
#[pyfunction]
#[pyo3(signature = (promotion_path, deployments, artifact, rules = None))]
fn check_promotion(
    py: Python<'_>,
    promotion_path: &Bound<'_, PyAny>,
    deployments: &Bound<'_, PyAny>,
    artifact: &Bound<'_, PyAny>,
    rules: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let path: Vec<String> = arg(promotion_path, "promotion_path")?;
    let deployments: Vec<rollgate::Deployment> = arg(deployments, "deployments")?;
    let artifact: rollgate::Artifact = arg(artifact, "artifact")?;
    let rules: rollgate::PromotionRules = opt(rules, "rules")?;
    let result = py
        .detach(|| rollgate::check_promotion(&path, &deployments, &artifact, &rules))
        .raise(py)?;
    to_py(py, &result)
}

/// Flyway-style validation of migration histories and the order to apply.
#[pyfunction]
fn plan_migrations(
    py: Python<'_>,
    migrations: &Bound<'_, PyAny>,
    environments: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let migrations: Vec<rollgate::MigrationScript> = doc(migrations)?;
    let environments: Vec<rollgate::MigrationHistory> = arg(environments, "environments")?;
    let result = py
        .detach(|| rollgate::plan_migrations(&migrations, &environments))
        .raise(py)?;
    to_py(py, &result)
}

/// Grant, needs_approval or deny for a just-in-time access request.
#[pyfunction]
fn evaluate_access(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let request: rollgate::AccessRequest = doc(request)?;
    let policy: rollgate::AccessPolicy = arg(policy, "policy")?;
    let now: rollgate::Timestamp = arg(now, "now")?;
    let result = rollgate::evaluate_access(&request, &policy, now).raise(py)?;
    to_py(py, &result)
}

/// Which environments to tear down, when, and what that saves.
#[pyfunction]
fn teardown_candidates(
    py: Python<'_>,
    environments: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let environments: Vec<rollgate::EnvironmentSpec> = doc(environments)?;
    let policy: rollgate::TeardownPolicy = opt(policy, "policy")?;
    let now: rollgate::Timestamp = arg(now, "now")?;
    let result = py
        .detach(|| rollgate::teardown_candidates(&environments, &policy, now))
        .raise(py)?;
    to_py(py, &result)
}

/// What an isolated test environment for some services must bring along.
#[pyfunction]
#[pyo3(signature = (plan, services, options = None))]
fn isolation_plan(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    services: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let plan: rollgate::Plan = doc(plan)?;
    let services: Vec<String> = arg(services, "services")?;
    let options: rollgate::IsolationOptions = opt(options, "options")?;
    let result = py
        .detach(|| rollgate::isolation_plan(&plan, &services, &options))
        .raise(py)?;
    to_py(py, &result)
}

/// Adds this module's functions to the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_parity, m)?)?;
    m.add_function(wrap_pyfunction!(check_promotion, m)?)?;
    m.add_function(wrap_pyfunction!(plan_migrations, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_access, m)?)?;
    m.add_function(wrap_pyfunction!(teardown_candidates, m)?)?;
    m.add_function(wrap_pyfunction!(isolation_plan, m)?)?;
    Ok(())
}
