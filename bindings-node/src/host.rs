//! JavaScript values as a rollgate host: what a value is (read in place, no
//! JSON in between) and how results are built. The rules — numbers,
//! strings, holes, limits, errors — are `rollgate::ffi`'s, shared with
//! Python: every JS number is an `f64` (an integer only when it is exactly
//! one), results hold numbers, never BigInts.

use std::borrow::Cow;

use napi::sys::{self, ValueType as T};
use rollgate::ffi::{Fault, Host, HostValue, Kind, Read};

use crate::raw::{Failed, Js, Make};

/// A failed Node-API call as a fault; a thrown exception becomes its cause.
fn fault(failed: Failed) -> Fault<Js> {
    match failed {
        Failed::Threw(exception) => Fault::raised(describe(exception), exception),
        Failed::Status(status) => {
            Fault::new(format!("Node-API could not read it (status {status})"))
        }
    }
}

/// A thrown value's `message` (for an `Error`), else its type.
pub fn describe(value: Js) -> String {
    let message = value
        .get_named(c"message")
        .ok()
        .and_then(|m| m.string().ok().flatten());
    match message {
        Some(m) => format!("an exception: {m}"),
        None => "an exception".into(),
    }
}

/// One JavaScript value handed to rollgate.
#[derive(Clone, Copy)]
pub struct Value(pub Js);

fn text(value: Js) -> Read<Kind<'static>, Js> {
    match value.string().map_err(fault)? {
        Some(s) => Ok(Kind::Str(Cow::Owned(s))),
        None => Err(Fault::new(
            "a string that is not valid Unicode (it holds a lone surrogate)",
        )),
    }
}

impl HostValue for Value {
    type Cause = Js;
    type Key = Value;
    type Entries = Entries;

    fn kind(&self) -> Read<Kind<'_>, Js> {
        let js = self.0;
        Ok(match js.type_of().map_err(fault)? {
            T::napi_undefined | T::napi_null => Kind::Null,
            T::napi_boolean => Kind::Bool(js.boolean().map_err(fault)?),
            T::napi_number => Kind::Number(js.double().map_err(fault)?),
            T::napi_string => return text(js),
            T::napi_bigint => match js.bigint().map_err(fault)? {
                Ok(Ok(i)) => Kind::Int(i),
                Ok(Err(u)) => Kind::UInt(u),
                // Beyond 64 bits: the nearest float, as for a Python int.
                Err(digits) => match digits.parse::<f64>() {
                    Ok(v) if v.is_finite() => Kind::Number(v),
                    _ => return Err(Fault::new("an integer too large for a number")),
                },
            },
            T::napi_object if js.is_array().map_err(fault)? => {
                Kind::List(js.array_len().map_err(fault)? as usize)
            }
            T::napi_object if js.is_typedarray().map_err(fault)? => {
                let (kind, len, _) = js.typedarray().map_err(fault)?;
                match kind {
                    sys::TypedarrayType::int8_array
                    | sys::TypedarrayType::uint8_array
                    | sys::TypedarrayType::uint8_clamped_array => {
                        Kind::Other("a byte array".into())
                    }
                    _ => Kind::Numbers(len),
                }
            }
            // Entries are counted as they are read.
            T::napi_object => Kind::Map(0),
            T::napi_function => Kind::Other("function".into()),
            T::napi_symbol => Kind::Other("symbol".into()),
            other => Kind::Other(format!("JavaScript type {other}")),
        })
    }

    fn is_null(&self) -> Read<bool, Js> {
        let t = self.0.type_of().map_err(fault)?;
        Ok(t == T::napi_undefined || t == T::napi_null)
    }

    fn key_kind(key: &Value) -> Read<Kind<'_>, Js> {
        text(key.0)
    }

    fn element(&self, i: usize) -> Read<Value, Js> {
        let i = u32::try_from(i).map_err(|_| Fault::new("an index beyond 2^32"))?;
        let item = self.0.element(i).map_err(fault)?;
        if item.type_of().map_err(fault)? == T::napi_undefined
            && !self.0.has_element(i).map_err(fault)?
        {
            return Err(Fault::new(
                "a hole: the array is sparse (use null for a missing value)",
            ));
        }
        Ok(Value(item))
    }

    fn entries(&self) -> Read<Entries, Js> {
        let keys = self.0.keys().map_err(fault)?;
        let len = keys.array_len().map_err(fault)?;
        Ok(Entries {
            object: self.0,
            keys,
            next: 0,
            len,
        })
    }

    fn numbers(&self) -> Read<Vec<f64>, Js> {
        self.0
            .typedarray_numbers()
            .map_err(fault)?
            .ok_or_else(|| Fault::new("not a numeric typed array"))
    }
}

/// The own enumerable string-keyed entries of an object, each value read
/// when its turn comes (so a throwing getter is that entry's fault).
pub struct Entries {
    object: Js,
    keys: Js,
    next: u32,
    len: u32,
}

impl Iterator for Entries {
    type Item = Read<(Value, Read<Value, Js>), Js>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.len {
            return None;
        }
        let i = self.next;
        self.next += 1;
        Some(self.keys.element(i).map_err(fault).map(|key| {
            let value = self.object.get(key).map(Value).map_err(fault);
            (Value(key), value)
        }))
    }
}

/// Building results in the environment of the current call.
pub struct NodeHost(pub Make);

/// A failed Node-API call while building a result.
#[derive(Debug)]
pub struct BuildError(pub i32);

fn built(failed: Failed) -> BuildError {
    match failed {
        Failed::Status(status) => BuildError(status),
        Failed::Threw(_) => BuildError(sys::Status::napi_pending_exception),
    }
}

impl Host for NodeHost {
    type Value = Value;
    type Cause = Js;
    type Out = Js;
    type Map = Js;
    type Error = BuildError;

    fn detach<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        f()
    }

    fn null(&self) -> Result<Js, BuildError> {
        self.0.null().map_err(built)
    }

    fn bool(&self, v: bool) -> Result<Js, BuildError> {
        self.0.boolean(v).map_err(built)
    }

    fn int(&self, v: i128) -> Result<Js, BuildError> {
        // A JS number (exact up to 2^53), never a BigInt: results must
        // survive JSON.stringify.
        self.0.number(v as f64).map_err(built)
    }

    fn float(&self, v: f64) -> Result<Js, BuildError> {
        self.0.number(v).map_err(built)
    }

    fn str(&self, v: &str) -> Result<Js, BuildError> {
        self.0.string(v).map_err(built)
    }

    fn list(&self, items: Vec<Js>) -> Result<Js, BuildError> {
        self.0.array(&items).map_err(built)
    }

    fn map(&self, _len: usize) -> Result<Js, BuildError> {
        self.0.object().map_err(built)
    }

    fn set(&self, map: &mut Js, key: Js, value: Js) -> Result<(), BuildError> {
        self.0.set(*map, key, value).map_err(built)
    }

    fn finish(&self, map: Js) -> Result<Js, BuildError> {
        Ok(map)
    }
}
