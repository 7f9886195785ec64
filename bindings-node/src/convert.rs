//! Conversions at the Node edge: JS values → wire types (read directly by
//! napi's serde deserializer, no JSON text in between), wire types → plain JS
//! objects, and `rollgate::Error` → a JS `Error` carrying `code`, `path` and
//! every structured detail as properties.

use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Status};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::Serialize;

/// Deserializes a `T` while keeping rollgate's typed error (with its path)
/// instead of napi's untyped one: the outer deserialisation always succeeds.
struct Tracked<T>(rollgate::Result<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tracked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Tracked(
            rollgate::wire::from_deserializer(deserializer).map_err(strip_status),
        ))
    }
}

/// napi's errors print as "<status>, <reason>"; keep just the reason so
/// messages match the other languages.
fn strip_status(err: rollgate::Error) -> rollgate::Error {
    match err.kind() {
        rollgate::ErrorKind::Input(rollgate::error::InputError::InvalidInput { message }) => {
            match message.strip_prefix("InvalidArg, ") {
                Some(rest) => {
                    rollgate::Error::invalid_input(err.path(), rest).in_family(err.family())
                }
                None => err,
            }
        }
        _ => err,
    }
}

/// Reads a function's main document (plan, config, ...): error paths point into it.
pub fn doc<T: DeserializeOwned>(env: &Env, value: Unknown<'_>) -> napi::Result<T> {
    read(env, value, "")
}

/// Reads a secondary argument: error paths start with the argument's name.
pub fn arg<T: DeserializeOwned>(env: &Env, value: Unknown<'_>, name: &str) -> napi::Result<T> {
    read(env, value, name)
}

fn read<T: DeserializeOwned>(env: &Env, value: Unknown<'_>, prefix: &str) -> napi::Result<T> {
    read_result(env, value)?
        .map_err(|e| {
            if prefix.is_empty() {
                e
            } else {
                e.with_path_prefix(prefix)
            }
        })
        .or_throw(env)
}

/// Reads a `T`, keeping rollgate's typed error (paths relative to `value`)
/// for the caller to map; the outer error is napi's own failure only.
pub fn read_result<T: DeserializeOwned>(
    env: &Env,
    value: Unknown<'_>,
) -> napi::Result<rollgate::Result<T>> {
    if value.get_type()? == napi::ValueType::Object {
        // Objects and arrays: napi's deserializer, depth-limited so deep
        // nesting cannot overflow the stack and abort the process. Fast path
        // without path tracking; re-read with tracking on error.
        let object = Object::from_unknown(value)?;
        let mut de = napi::De::new(&object);
        if let Ok(parsed) = T::deserialize(rollgate::wire::DepthLimited::new(&mut de)) {
            return Ok(Ok(parsed));
        }
        let mut de = napi::De::new(&object);
        Ok(rollgate::wire::from_deserializer(&mut de).map_err(strip_status))
    } else {
        // Scalars, null and undefined cannot nest.
        let Tracked(result) = env.from_js_value::<Tracked<T>, _>(value)?;
        Ok(result)
    }
}

/// Reads a whole-number argument of at least `min`.
pub fn count(env: &Env, value: Unknown<'_>, name: &str, min: usize) -> napi::Result<usize> {
    let number = match value.get_type()? {
        napi::ValueType::Number => env.from_js_value::<f64, _>(value)?,
        _ => f64::NAN,
    };
    rollgate::wire::count_arg(name, number, min).or_throw(env)
}

/// Whether a JS value is `undefined` or `null`.
pub fn is_nullish(value: &Unknown<'_>) -> napi::Result<bool> {
    Ok(matches!(
        value.get_type()?,
        napi::ValueType::Undefined | napi::ValueType::Null
    ))
}

/// Converts a result to plain JS objects, arrays, strings and numbers.
pub fn to_js<'env, T: Serialize>(env: &'env Env, value: &T) -> napi::Result<Unknown<'env>> {
    env.to_js_value(value)
}

/// Maps a core result's error to a thrown JS `Error`.
pub trait OrThrow<T> {
    /// Turns `Err(rollgate::Error)` into a JS `Error` with `code`, `path` and details.
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for rollgate::Result<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| to_js_error(env, &e))
    }
}

fn to_js_error(env: &Env, err: &rollgate::Error) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut object: Object<'_> =
            env.create_error(napi::Error::new(Status::InvalidArg, err.to_string()))?;
        for (key, value) in err.details() {
            // `message` stays the full sentence (path included), as in Python.
            if key != "message" && key != "name" && key != "stack" {
                object.set_named_property(&key, env.to_js_value(&value)?)?;
            }
        }
        object.set_named_property("family", err.family().as_str())?;
        object.set_named_property("name", "RollgateError")?;
        Ok(napi::Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}
