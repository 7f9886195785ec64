//! Samples of observations, as every canary input and statistical kernel
//! reads them: a list of numbers, `null` for a missing value (read as NaN).
//! A value that is not a number is the canary family's `invalid_sample` at
//! its index, not a generic type error, so a caller learns which observation
//! to fix whatever the language it came from.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Unexpected, Visitor};

use crate::error::CanaryError;

/// A sample read by the rule above: numbers, NaN where the input held `null`.
///
/// ```
/// use rollgate::wire::{from_json, Samples};
/// let Samples(x) = from_json(r#"[1, 2.5, null]"#).unwrap();
/// assert!(x[2].is_nan());
/// let err = from_json::<Samples>(r#"[1, "2"]"#).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_sample", "/1"));
/// assert_eq!(err.to_string(), r#"/1: sample 1 is not a number (string "2")"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Samples(pub Vec<f64>);

impl<'de> de::Deserialize<'de> for Samples {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Samples;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of numbers (null for missing)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Samples, A::Error> {
                read_seq(seq).map(Samples)
            }
        }
        deserializer.deserialize_seq(List)
    }
}

/// Reads the rest of `seq` as sample values.
pub(crate) fn read_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<f64>, A::Error> {
    // A size hint from the host is bounded by the reader's limits.
    let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
    while let Some(v) = seq.next_element_seed(SampleValue { index: out.len() })? {
        out.push(v);
    }
    Ok(out)
}

/// One value of a sample, at `index`.
#[derive(Debug, Clone, Copy)]
struct SampleValue {
    index: usize,
}

impl SampleValue {
    fn reject<E: de::Error>(self, what: Unexpected<'_>) -> E {
        super::fail_with(CanaryError::InvalidSample {
            metric: None,
            index: self.index,
            value: format!("not a number ({what})"),
        })
    }
}

impl<'de> DeserializeSeed<'de> for SampleValue {
    type Value = f64;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for SampleValue {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or null for a missing value")
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Err(self.reject(Unexpected::Bool(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        Err(self.reject(Unexpected::Str(v)))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<f64, E> {
        Err(self.reject(Unexpected::Bytes(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<f64, A::Error> {
        Err(self.reject(Unexpected::Seq))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _map: A) -> Result<f64, A::Error> {
        Err(self.reject(Unexpected::Map))
    }
}

#[cfg(test)]
mod tests {
    use super::Samples;

    #[test]
    fn numbers_and_nulls_are_read_anything_else_is_an_invalid_sample() {
        let Samples(v) = crate::wire::from_json(r#"[1, 2.5, null, -3]"#).unwrap();
        assert_eq!(v.len(), 4);
        assert!(v[2].is_nan());
        assert_eq!((v[0], v[1], v[3]), (1.0, 2.5, -3.0));
        for (json, index, value) in [
            (r#"[1, "a"]"#, 1, r#"not a number (string "a")"#),
            (r#"[true]"#, 0, "not a number (boolean `true`)"),
            (r#"[1, 2, [3]]"#, 2, "not a number (sequence)"),
            (r#"[{"x": 1}]"#, 0, "not a number (map)"),
        ] {
            let err = crate::wire::from_json::<Samples>(json).unwrap_err();
            assert_eq!(err.code(), "invalid_sample", "{json}");
            assert_eq!(err.path(), format!("/{index}"), "{json}");
            assert_eq!(err.details()["value"], value, "{json}");
            assert_eq!(err.details()["index"], index, "{json}");
        }
        let err = crate::wire::from_json::<Samples>(r#""abc""#).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }
}
