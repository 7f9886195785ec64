//! Argument helpers shared by the per-area vector dispatchers.

use rollgate::wire::from_value;
use serde_json::Value;

/// Reads positional argument `i`; a non-empty `name` prefixes error paths
/// (secondary arguments), as the bindings do.
pub fn arg<T: serde::de::DeserializeOwned>(
    input: &[Value],
    i: usize,
    name: &str,
) -> rollgate::Result<T> {
    let value = input.get(i).cloned().unwrap_or(Value::Null);
    from_value(value).map_err(|e| {
        if name.is_empty() {
            e
        } else {
            e.with_path_prefix(name)
        }
    })
}

/// Reads a whole-number argument of at least `min`.
#[allow(dead_code)]
pub fn count(input: &[Value], i: usize, name: &str, min: usize) -> rollgate::Result<usize> {
    let v = input.get(i).and_then(Value::as_f64).unwrap_or(f64::NAN);
    rollgate::ffi::count_arg(name, v, min)
}

/// Serialises a result to JSON.
pub fn out<T: serde::Serialize>(value: rollgate::Result<T>) -> rollgate::Result<Value> {
    value.map(|v| serde_json::to_value(v).expect("results serialise"))
}
