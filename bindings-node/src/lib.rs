//! Node bindings of rollgate: every function of `rollgate::ffi::FUNCTIONS`
//! exported in camelCase, reading its arguments in place ([`host`]) and
//! throwing `Error`s with `code`, `path` and every detail. No decision
//! logic, and no per-function code: names, parameters, bodies, reading rules
//! and the panic guard are the core's, shared with Python. The public
//! typings live in `index.d.ts` and `types/`.

mod host;
mod raw;

use std::ffi::c_void;

use napi::bindgen_prelude::Object;
use napi::sys;
use napi::{Env, JsValue};
use napi_derive::napi;
use rollgate::ffi::{Failure, Function};

use crate::host::{NodeHost, Value};
use crate::raw::{Failed, Js, Make};

/// The most parameters any exported function has, and then some.
const MAX_ARGS: usize = 8;

/// `snake_case` → `camelCase`.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The JS `Error` for `err`: `code`, `path`, `family`, every detail, and the
/// caller's own exception (if it caused the error) as `cause`.
fn to_js_error(make: Make, err: &rollgate::Error, cause: Option<Js>) -> Result<Js, Failed> {
    let error = make.error(err.code(), &err.to_string())?;
    for (key, value) in err.details() {
        // `message` stays the full sentence (path included), as in Python.
        if key != "message" && key != "name" && key != "stack" {
            let value = rollgate::ffi::to_host(&NodeHost(make), &value)
                .map_err(|_| Failed::Status(sys::Status::napi_generic_failure))?;
            make.set(error, make.string(&key)?, value)?;
        }
    }
    make.set(
        error,
        make.string("family")?,
        make.string(err.family().as_str())?,
    )?;
    make.set(error, make.string("name")?, make.string("RollgateError")?)?;
    if let Some(cause) = cause {
        make.set(error, make.string("cause")?, cause)?;
    }
    Ok(error)
}

/// Throws `err` (or, if even that fails, whatever exception is pending).
fn throw(make: Make, err: &rollgate::Error, cause: Option<Js>) -> sys::napi_value {
    match to_js_error(make, err, cause) {
        Ok(error) | Err(Failed::Threw(error)) => make.throw(error),
        Err(Failed::Status(_)) => {}
    }
    std::ptr::null_mut()
}

/// Runs the function whose [`Function`] is the callback's data.
fn run(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let make = Make(env);
    let (mut args, data) = match raw::arguments::<MAX_ARGS>(env, info) {
        Ok(found) => found,
        Err(_) => return throw(make, &rollgate::Error::internal("no arguments"), None),
    };
    let Some(f) = rollgate::ffi::FUNCTIONS
        .iter()
        .chain(rollgate::ffi::DEBUG_FUNCTIONS)
        .find(|f| std::ptr::eq(*f, data.cast_const().cast::<Function>()))
    else {
        return throw(make, &rollgate::Error::internal("unknown function"), None);
    };
    // Missing arguments are `undefined`, extra ones ignored, as in JS.
    args.truncate(f.params.len());
    while args.len() < f.params.len() {
        match make.undefined() {
            Ok(undefined) => args.push(undefined),
            Err(_) => return throw(make, &rollgate::Error::internal("no undefined"), None),
        }
    }
    let values: Vec<Value> = args.into_iter().map(Value).collect();
    match rollgate::ffi::call(&NodeHost(make), f, &values) {
        Ok(out) => out.raw,
        Err(Failure::Error(err, cause)) => throw(make, &err, cause),
        Err(Failure::Host(e)) => throw(
            make,
            &rollgate::Error::internal(format!(
                "Node-API failed building the result (status {})",
                e.0
            )),
            None,
        ),
    }
}

/// The callback of every exported function. A panic must not unwind out of
/// it (that aborts Node): it becomes `internal_error`.
extern "C" fn callback(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    rollgate::ffi::guard(|| run(env, info)).unwrap_or_else(|err| throw(Make(env), &err, None))
}

/// Exports every function of the table.
#[napi(module_exports)]
pub fn init(exports: Object<'_>, env: Env) -> napi::Result<()> {
    let make = Make(env.raw());
    let exports = exports.raw();
    for f in rollgate::ffi::FUNCTIONS
        .iter()
        .chain(rollgate::ffi::DEBUG_FUNCTIONS)
    {
        let data = std::ptr::from_ref(f).cast_mut().cast::<c_void>();
        let name = camel(f.name);
        let function = make
            .function(&name, Some(callback), data)
            .map_err(|_| napi::Error::from_reason(format!("cannot create {name}")))?;
        make.set(
            Js {
                env: env.raw(),
                raw: exports,
            },
            make.string(&name)
                .map_err(|_| napi::Error::from_reason("cannot name"))?,
            function,
        )
        .map_err(|_| napi::Error::from_reason(format!("cannot export {name}")))?;
    }
    Ok(())
}
