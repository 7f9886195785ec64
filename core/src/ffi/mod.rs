//! What the Python and Node bindings alone need; not part of the documented
//! API (hidden from the docs, and free to change between releases).
//!
//! A binding implements two small traits for its host language —
//! [`HostValue`] (what a value is, its elements and entries) and [`Host`]
//! (building result values) — and exports every entry of [`FUNCTIONS`] by
//! calling [`call`]. Everything between lives here, once: the reading rules
//! (numbers, strings, holes, caller exceptions: `de.rs`), the [`limits`],
//! the error paths and families of each argument (`args.rs`), the function
//! table and bodies (`api/`), the result conversion (`ser.rs`) and the panic
//! guard (`error.rs`). So the same input gives the same result, or the same error
//! code and path, in Python and Node by construction; [`JsonHost`] runs the
//! same layer on `serde_json::Value` in Rust.
//!
//! ```
//! use rollgate::ffi::{call, function, JsonHost};
//! let plan = serde_json::json!({"name": "p", "services": [{"id": "db"}, {"id": "api", "depends_on": ["db"]}]});
//! let out = call(&JsonHost::new(), function("order_services").unwrap(), &[&plan]).unwrap();
//! assert_eq!(out["waves"], serde_json::json!([["db"], ["api"]]));
//! ```

mod api;
mod args;
mod de;
mod error;
mod host;
mod json;
pub mod limits;
mod ser;

pub use api::{Api, Function, DEBUG_FUNCTIONS, FUNCTIONS};
pub use args::{Outcome, Param, TestOptions};
pub use error::{as_canary_error, count_arg, guard, Failure};
pub use host::{Fault, Host, HostValue, Kind, Read};
pub use json::JsonHost;
pub use limits::{MAX_DEPTH, MAX_ITEMS, MAX_VALUES};
pub use ser::{to_host, Error as BuildError};

/// Calls `function` with the host's argument values, one per parameter
/// (absent ones as the host's null; missing trailing ones are absent too).
/// A panic anywhere inside becomes `internal_error` instead of unwinding
/// into the host.
///
/// ```
/// use rollgate::ffi::{call, function, Failure, JsonHost};
/// let x = serde_json::json!([1, 2, "three"]);
/// let y = serde_json::json!([4, 5]);
/// let Err(Failure::Error(err, _)) = call(&JsonHost::new(), function("mann_whitney").unwrap(), &[&x, &y]) else { panic!() };
/// assert_eq!((err.code(), err.path()), ("invalid_sample", "x/2"));
/// ```
pub fn call<H: Host>(host: &H, function: &Function, values: &[H::Value]) -> Outcome<H> {
    guard(|| api::run(host, function, values)).unwrap_or_else(|err| Err(Failure::from(err)))
}

/// The exported function named `name` (snake_case), debug-only ones included.
///
/// ```
/// assert_eq!(rollgate::ffi::function("order_services").unwrap().params[0].name, "plan");
/// assert!(rollgate::ffi::function("orderServices").is_none());
/// ```
pub fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .iter()
        .chain(DEBUG_FUNCTIONS)
        .find(|f| f.name == name)
}

#[cfg(test)]
mod tests;
