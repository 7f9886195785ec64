//! Python bindings of rollgate: every function of `rollgate::ffi::FUNCTIONS`
//! as a Python function of the native module, reading its arguments in place
//! ([`host`]) and raising `rollgate.errors` exceptions ([`errors`]). No
//! decision logic, and no per-function code: names, parameters, bodies,
//! reading rules and the panic guard are the core's, shared with Node.

mod errors;
mod host;

use std::ffi::CString;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyTuple};
use rollgate::ffi::{Failure, Function};

use crate::host::{Obj, PyHost};

/// Binds Python's positional and keyword arguments to `f`'s parameters, as
/// a `def` with these parameters would (absent optional ones are `None`).
fn bind<'py>(
    f: &Function,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Obj<'py>>> {
    let py = args.py();
    let name = f.name;
    if args.len() > f.params.len() {
        return Err(PyTypeError::new_err(format!(
            "{name}() takes at most {} arguments ({} given)",
            f.params.len(),
            args.len()
        )));
    }
    let mut slots: Vec<Option<Bound<'py, PyAny>>> = args.iter().map(Some).collect();
    slots.resize(f.params.len(), None);
    for (key, value) in kwargs.into_iter().flatten() {
        let key: String = key.extract()?;
        let slot = f
            .params
            .iter()
            .zip(slots.iter_mut())
            .find(|(p, _)| p.name == key)
            .map(|(_, slot)| slot)
            .ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "{name}() got an unexpected keyword argument '{key}'"
                ))
            })?;
        if slot.replace(value).is_some() {
            return Err(PyTypeError::new_err(format!(
                "{name}() got multiple values for argument '{key}'"
            )));
        }
    }
    f.params
        .iter()
        .zip(slots)
        .map(|(p, slot)| match (slot, p.default) {
            (Some(value), _) => Ok(Obj(value)),
            (None, Some(_)) => Ok(Obj(py.None().into_bound(py))),
            (None, None) => Err(PyTypeError::new_err(format!(
                "{name}() missing required argument '{}'",
                p.name
            ))),
        })
        .collect()
}

/// Calls `f` from Python: arguments in, result or exception out.
fn call<'py>(
    f: &Function,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = args.py();
    let values = bind(f, args, kwargs)?;
    rollgate::ffi::call(&PyHost::new(py), f, &values).map_err(|failure| match failure {
        Failure::Error(err, cause) => errors::to_pyerr(py, &err, cause),
        Failure::Host(err) => err,
    })
}

/// `name(params)\n--\n\ndoc`: CPython reads the signature from it.
fn doc(f: &Function) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match p.default {
            Some("null") => format!("{}=None", p.name),
            Some(default) => format!("{}={default}", p.name),
            None => p.name.to_string(),
        })
        .collect();
    format!("{}({})\n--\n\n{}", f.name, params.join(", "), f.help())
}

/// The native module; the public API is re-exported by the `rollgate` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let functions = rollgate::ffi::FUNCTIONS
        .iter()
        .chain(rollgate::ffi::DEBUG_FUNCTIONS);
    for f in functions {
        // CPython keeps pointers to a function's name and doc for as long as
        // the function lives: made once per import, they live as long.
        let name = Box::leak(CString::new(f.name)?.into_boxed_c_str());
        let doc = Box::leak(CString::new(doc(f))?.into_boxed_c_str());
        let function = PyCFunction::new_closure(py, Some(name), Some(doc), move |args, kwargs| {
            call(f, args, kwargs).map(Bound::unbind)
        })?;
        function.setattr("__module__", "rollgate")?;
        m.add(f.name, function)?;
    }
    Ok(())
}
