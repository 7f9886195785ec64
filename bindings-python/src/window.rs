//! Release-calendar functions: `check_window`, `next_window`.

use pyo3::prelude::*;

use crate::convert::{arg, doc, to_py, Raise};

/// Reads an RFC 3339 timestamp argument; errors carry the argument's name.
pub fn time(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<chrono::DateTime<chrono::FixedOffset>> {
    let text: String = arg(obj, name)?;
    rollgate::window::parse_timestamp(name, &text).raise(obj.py())
}

/// Whether a deployment of `duration` may start at `at` under `calendar`.
#[pyfunction]
fn check_window(
    py: Python<'_>,
    calendar: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
    duration: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let calendar: rollgate::CalendarSpec = doc(calendar)?;
    let at = time(at, "at")?;
    let duration: rollgate::DurationSecs = arg(duration, "duration")?;
    let result = py
        .detach(|| rollgate::check_window(&calendar, at, duration))
        .raise(py)?;
    to_py(py, &result)
}

/// Earliest start at or after `after` where a deployment of `duration` fits.
#[pyfunction]
#[pyo3(signature = (calendar, after, duration, horizon = None))]
fn next_window(
    py: Python<'_>,
    calendar: &Bound<'_, PyAny>,
    after: &Bound<'_, PyAny>,
    duration: &Bound<'_, PyAny>,
    horizon: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let calendar: rollgate::CalendarSpec = doc(calendar)?;
    let after = time(after, "after")?;
    let duration: rollgate::DurationSecs = arg(duration, "duration")?;
    let horizon = match horizon {
        Some(h) if !h.is_none() => arg(h, "horizon")?,
        _ => rollgate::window::DEFAULT_HORIZON,
    };
    let result = py
        .detach(|| rollgate::next_window(&calendar, after, duration, horizon))
        .raise(py)?;
    to_py(py, &result)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_window, m)?)?;
    m.add_function(wrap_pyfunction!(next_window, m)?)?;
    Ok(())
}
