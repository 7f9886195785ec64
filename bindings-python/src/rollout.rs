//! Multi-region rollout functions: `schedule_rollout`, `rollback_plan`,
//! `to_mermaid_gantt`.

use pyo3::prelude::*;

use crate::convert::{arg, doc, to_py, Raise};
use crate::window::time;

/// The multi-region rollout schedule of a plan starting at `start`.
#[pyfunction]
fn schedule_rollout(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    start: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let plan: rollgate::Plan = doc(plan)?;
    let start = time(start, "start")?;
    let result = py
        .detach(|| rollgate::schedule_rollout(&plan, start))
        .raise(py)?;
    to_py(py, &result)
}

/// What to undo when a rollout halts at a step or a time.
#[pyfunction]
fn rollback_plan(
    py: Python<'_>,
    schedule: &Bound<'_, PyAny>,
    halted_at: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let schedule: rollgate::Schedule = doc(schedule)?;
    let halted_at: rollgate::HaltedAt = arg(halted_at, "halted_at")?;
    let result = py
        .detach(|| rollgate::rollback_plan(&schedule, &halted_at))
        .raise(py)?;
    to_py(py, &result)
}

/// Mermaid Gantt text of a schedule.
#[pyfunction]
fn to_mermaid_gantt(py: Python<'_>, schedule: &Bound<'_, PyAny>) -> PyResult<String> {
    let schedule: rollgate::Schedule = doc(schedule)?;
    py.detach(|| rollgate::to_mermaid_gantt(&schedule))
        .raise(py)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(schedule_rollout, m)?)?;
    m.add_function(wrap_pyfunction!(rollback_plan, m)?)?;
    m.add_function(wrap_pyfunction!(to_mermaid_gantt, m)?)?;
    Ok(())
}
