//! Dependency-graph functions: `order_services`, `blast_radius`, `schedule_services`.

use pyo3::prelude::*;

use crate::convert::{arg, count, doc, to_py, Raise};

/// Deployment waves, rollback waves and critical path of a plan.
#[pyfunction]
fn order_services(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let plan: rollgate::Plan = doc(plan)?;
    let result = py.detach(|| rollgate::order_services(&plan)).raise(py)?;
    to_py(py, &result)
}

/// Transitive dependents of the requested services (default: all).
#[pyfunction]
#[pyo3(signature = (plan, services = None))]
fn blast_radius(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    services: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let plan: rollgate::Plan = doc(plan)?;
    let services: Option<Vec<String>> = match services {
        Some(s) if !s.is_none() => Some(arg(s, "services")?),
        _ => None,
    };
    let result = py
        .detach(|| rollgate::blast_radius(&plan, services.as_deref()))
        .raise(py)?;
    to_py(py, &result)
}

/// Schedule with at most `max_parallel` deployments at once.
#[pyfunction]
fn schedule_services(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    max_parallel: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let plan: rollgate::Plan = doc(plan)?;
    let max_parallel = count(max_parallel, "max_parallel", 1)?;
    let result = py
        .detach(|| rollgate::schedule_services(&plan, max_parallel))
        .raise(py)?;
    to_py(py, &result)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(order_services, m)?)?;
    m.add_function(wrap_pyfunction!(blast_radius, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_services, m)?)?;
    Ok(())
}
