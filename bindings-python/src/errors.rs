//! `rollgate::Error` as the exception classes of `rollgate.errors`: one class
//! per error family, with `code`, `path` and every detail as attributes, and
//! the caller's own exception (if it caused the error) as `__cause__`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

use crate::host::PyHost;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_for(family: rollgate::ErrorFamily) -> &'static str {
    match family.as_str() {
        "plan" => "InvalidPlanError",
        "calendar" => "InvalidCalendarError",
        "canary" => "InvalidCanaryError",
        "change" => "InvalidChangeError",
        "release" => "InvalidReleaseError",
        "delivery" => "InvalidDeliveryError",
        "environment" => "InvalidEnvironmentError",
        "internal" => "InternalError",
        _ => "RollgateError",
    }
}

/// The exception for `err`, with `cause` as its `__cause__`.
pub fn to_pyerr(py: Python<'_>, err: &rollgate::Error, cause: Option<PyErr>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = ERRORS.get_or_try_init(py, || {
            PyModule::import(py, "rollgate.errors").map(Bound::unbind)
        })?;
        let class = module.bind(py).getattr(class_for(err.family()))?;
        let details =
            rollgate::ffi::to_host(&PyHost::new(py), &err.details()).map_err(|e| match e {
                rollgate::ffi::BuildError::Host(e) => e,
                other => pyo3::exceptions::PyRuntimeError::new_err(other.to_string()),
            })?;
        let exception = PyErr::from_value(class.call1((err.to_string(), details))?);
        exception.set_cause(py, cause);
        Ok(exception)
    };
    build().unwrap_or_else(|e| e)
}
