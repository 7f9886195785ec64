//! Conversions at the Python edge: Python objects → wire types (read
//! directly by [`crate::de::PyDe`], no JSON text in between), wire types → Python
//! objects, and `rollgate::Error` → the exception classes of `rollgate.errors`.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads a function's main document (plan, config, ...): error paths point into it.
pub fn doc<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    read(obj, "")
}

/// Reads a secondary argument: error paths start with the argument's name.
pub fn arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    read(obj, name)
}

fn read<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, prefix: &str) -> PyResult<T> {
    // wire::from_fn bounds the nesting depth, so absurdly deep input cannot
    // overflow the stack and abort the interpreter.
    rollgate::wire::from_fn(|| crate::de::PyDe(obj))
        .map_err(|e| {
            if prefix.is_empty() {
                e
            } else {
                e.with_path_prefix(prefix)
            }
        })
        .raise(obj.py())
}

/// Reads a whole-number argument of at least `min`.
pub fn count(obj: &Bound<'_, PyAny>, name: &str, min: usize) -> PyResult<usize> {
    let py = obj.py();
    let value: f64 = if obj.is_instance_of::<pyo3::types::PyBool>() {
        f64::NAN
    } else {
        obj.extract().unwrap_or(f64::NAN)
    };
    rollgate::wire::count_arg(name, value, min).raise(py)
}

/// Converts a result to Python dicts, lists, strings and numbers.
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    crate::ser::to_python(py, value)
        .map(Bound::unbind)
        .map_err(|e| {
            PyRuntimeError::new_err(format!("rollgate: could not convert the result: {e}"))
        })
}

/// Maps a core result's error to the matching Python exception.
pub trait Raise<T> {
    /// Turns `Err(rollgate::Error)` into a `PyErr` of the error's family.
    fn raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> Raise<T> for Result<T, rollgate::Error> {
    fn raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, &e))
    }
}

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_for(family: rollgate::ErrorFamily) -> &'static str {
    match family.as_str() {
        "plan" => "InvalidPlanError",
        "calendar" => "InvalidCalendarError",
        "canary" => "InvalidCanaryError",
        "change" => "InvalidChangeError",
        "delivery" => "InvalidDeliveryError",
        _ => "RollgateError",
    }
}

fn to_pyerr(py: Python<'_>, err: &rollgate::Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = ERRORS.get_or_try_init(py, || {
            PyModule::import(py, "rollgate.errors").map(Bound::unbind)
        })?;
        let class = module.bind(py).getattr(class_for(err.family()))?;
        let details = crate::ser::to_python(py, &err.details())
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        let instance = class.call1((err.to_string(), details))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}
