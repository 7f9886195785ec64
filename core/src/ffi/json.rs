//! `serde_json::Value` as a host: the Rust side of the binding layer, used by
//! the doc examples and tests of this module, and by Rust callers that hold
//! JSON (the same reading rules and limits as Python and Node).

use std::borrow::Cow;
use std::convert::Infallible;
use std::marker::PhantomData;

use serde_json::{Map, Number, Value};

use super::host::{Fault, Host, HostValue, Kind, Read};

impl<'a> HostValue for &'a Value {
    type Cause = Infallible;
    type Key = &'a String;
    type Entries = std::iter::Map<
        serde_json::map::Iter<'a>,
        fn((&'a String, &'a Value)) -> Read<(&'a String, Read<&'a Value, Infallible>), Infallible>,
    >;

    fn kind(&self) -> Read<Kind<'_>, Infallible> {
        Ok(match self {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Kind::Int(i),
                (None, Some(u)) => Kind::UInt(u),
                _ => Kind::Number(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Kind::Str(Cow::Borrowed(s)),
            Value::Array(items) => Kind::List(items.len()),
            Value::Object(map) => Kind::Map(map.len()),
        })
    }

    fn is_null(&self) -> Read<bool, Infallible> {
        Ok(Value::is_null(self))
    }

    fn key_kind<'k>(key: &'k &'a String) -> Read<Kind<'k>, Infallible> {
        Ok(Kind::Str(Cow::Borrowed(key.as_str())))
    }

    fn element(&self, i: usize) -> Read<Self, Infallible> {
        self.as_array()
            .and_then(|items| items.get(i))
            .ok_or_else(|| Fault::new(format!("element {i} is missing")))
    }

    fn entries(&self) -> Read<Self::Entries, Infallible> {
        match self {
            Value::Object(map) => Ok(map.iter().map(|(k, v)| Ok((k, Ok(v))))),
            _ => Err(Fault::new("not an object")),
        }
    }

    fn numbers(&self) -> Read<Vec<f64>, Infallible> {
        Err(Fault::new("JSON has no numeric buffers"))
    }
}

/// Builds results as `serde_json::Value` (NaN and infinities become `null`,
/// as in JSON text); its arguments are `&'a Value`s.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonHost<'a>(PhantomData<&'a Value>);

impl JsonHost<'_> {
    /// The JSON host.
    ///
    /// ```
    /// let out = rollgate::ffi::to_host(&rollgate::ffi::JsonHost::new(), &[1.5, f64::NAN]).unwrap();
    /// assert_eq!(out, serde_json::json!([1.5, null]));
    /// ```
    pub fn new() -> Self {
        JsonHost(PhantomData)
    }
}

impl<'a> Host for JsonHost<'a> {
    type Value = &'a Value;
    type Cause = Infallible;
    type Out = Value;
    type Map = Map<String, Value>;
    type Error = Infallible;

    fn detach<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        f()
    }

    fn null(&self) -> Result<Value, Infallible> {
        Ok(Value::Null)
    }

    fn bool(&self, v: bool) -> Result<Value, Infallible> {
        Ok(Value::Bool(v))
    }

    fn int(&self, v: i128) -> Result<Value, Infallible> {
        Ok(match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => Value::from(i),
            (_, Ok(u)) => Value::from(u),
            _ => Number::from_f64(v as f64).map_or(Value::Null, Value::Number),
        })
    }

    fn float(&self, v: f64) -> Result<Value, Infallible> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn str(&self, v: &str) -> Result<Value, Infallible> {
        Ok(Value::String(v.to_string()))
    }

    fn list(&self, items: Vec<Value>) -> Result<Value, Infallible> {
        Ok(Value::Array(items))
    }

    fn map(&self, _len: usize) -> Result<Self::Map, Infallible> {
        Ok(Map::new())
    }

    fn set(&self, map: &mut Self::Map, key: Value, value: Value) -> Result<(), Infallible> {
        let key = match key {
            Value::String(s) => s,
            other => other.to_string(),
        };
        map.insert(key, value);
        Ok(())
    }

    fn finish(&self, map: Self::Map) -> Result<Value, Infallible> {
        Ok(Value::Object(map))
    }
}
