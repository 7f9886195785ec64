//! The errors of the binding layer: [`Failure`], what a call returns instead
//! of a result; [`guard`], which turns a panic into a typed `internal_error`;
//! and the helpers that give binding arguments their error codes.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{Error, Result};

/// A call that did not produce a result.
#[derive(Debug)]
pub enum Failure<C, E> {
    /// The input could not be evaluated (or the engine failed): the error, and
    /// the host exception behind it when the caller's own code raised one.
    Error(Error, Option<C>),
    /// The host failed while building the result (out of memory).
    Host(E),
}

impl<C, E> From<Error> for Failure<C, E> {
    fn from(err: Error) -> Self {
        Failure::Error(err, None)
    }
}

/// Turns a generic wire error (unknown field, wrong type) met while reading
/// a canary argument into the canary family's `invalid_config`, keeping its
/// path and message, with `prefix` (the argument's name) before the path.
///
/// ```
/// let err = rollgate::wire::from_json::<Vec<f64>>(r#"["a"]"#).unwrap_err();
/// let err = rollgate::ffi::as_canary_error(err, "x");
/// assert_eq!((err.code(), err.path()), ("invalid_config", "x/0"));
/// ```
pub fn as_canary_error(err: Error, prefix: &str) -> Error {
    crate::verdict::as_canary_error(err, prefix)
}

/// Checks a count argument given as a number (as JavaScript and loosely typed
/// callers pass it; anything but a number is NaN here): it must be a whole
/// number of at least `min`. Errors are `invalid_input` with `name` as path.
///
/// ```
/// assert_eq!(rollgate::ffi::count_arg("max_parallel", 3.0, 1).unwrap(), 3);
/// let err = rollgate::ffi::count_arg("max_parallel", 0.0, 1).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_input", "max_parallel"));
/// assert!(rollgate::ffi::count_arg("max_parallel", 1.5, 1).is_err());
/// ```
pub fn count_arg(name: &str, value: f64, min: usize) -> Result<usize> {
    if !value.is_finite() || value.fract() != 0.0 || value < min as f64 || value > u32::MAX as f64 {
        return Err(Error::invalid_input(
            name,
            format!("{name} must be a whole number of at least {min}, got {value}"),
        ));
    }
    // Integral and in range: exact.
    Ok(value as usize)
}

/// Runs `f`; a panic inside it becomes `internal_error` instead of unwinding
/// into the host (where Node aborts the process and Python raises a
/// `BaseException`). The last line of defence, not the plan: the engine
/// itself is written not to panic.
///
/// ```
/// assert_eq!(rollgate::ffi::guard(|| 2 + 2).unwrap(), 4);
/// let err = rollgate::ffi::guard(|| Vec::<u8>::new()[std::hint::black_box(0)]).unwrap_err();
/// assert_eq!(err.code(), "internal_error");
/// ```
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        Error::internal(format!(
            "rollgate failed on this input ({}); please report it",
            panic_message(payload.as_ref())
        ))
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a panic"
    }
}
