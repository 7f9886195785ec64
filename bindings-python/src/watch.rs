//! The canary watch: `start_canary_watch`, `update_canary_watch`.
//!
//! Samples in a batch may be numpy arrays (or any float64/int64 buffer),
//! read without a per-element Python loop; the update itself runs with the
//! GIL released.

use pyo3::prelude::*;
use rollgate::verdict::watch::{as_state_error, WatchState};
use rollgate::verdict::{as_canary_error, CanaryConfig, CanaryData};

use crate::convert::{to_py, Raise};

/// Reads a value through serde, mapping the wire's errors with `map`.
fn read<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    map: impl FnOnce(rollgate::Error) -> rollgate::Error,
) -> PyResult<T> {
    rollgate::wire::from_fn(|| crate::de::PyDe(obj))
        .map_err(map)
        .raise(obj.py())
}

fn config(obj: &Bound<'_, PyAny>) -> PyResult<CanaryConfig> {
    read(obj, |e| as_canary_error(e, ""))
}

/// Starts watching a canary: the empty state to store and pass to
/// `update_canary_watch` with each batch.
#[pyfunction]
fn start_canary_watch(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let config = self::config(config)?;
    let state = rollgate::verdict::start_canary_watch(&config).raise(py)?;
    to_py(py, &state)
}

/// Adds one batch (this interval's samples or counts per metric) at time
/// `at` and decides: `{"state", "verdict"}`.
#[pyfunction]
fn update_canary_watch(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    state: &Bound<'_, PyAny>,
    batch: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = self::config(config)?;
    let state: WatchState = read(state, as_state_error)?;
    // Samples as numpy arrays are read like `judge_canary`'s data.
    let batch: CanaryData = crate::verdict::canary_data_at(batch, "batch")?;
    let at = crate::window::time(at, "at")?;
    let result = py
        .detach(|| rollgate::verdict::update_canary_watch(&config, &state, &batch, at))
        .raise(py)?;
    to_py(py, &result)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(start_canary_watch, m)?)?;
    m.add_function(wrap_pyfunction!(update_canary_watch, m)?)?;
    Ok(())
}
