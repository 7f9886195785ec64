//! The canonical wire format: reading any serde source with exact error paths,
//! and the value types shared by every part of it (durations).
//!
//! Bindings hand their host-language values to [`from_deserializer`] through a
//! serde `Deserializer` over those values (pythonize for Python, napi's serde
//! support for Node), so the same document is read — and rejected — the same
//! way in every language.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::error::{pointer_token, Error, Result};

mod depth;
pub use depth::{DepthLimited, MAX_DEPTH};

/// Marker that custom deserialisation errors start with, so that
/// [`from_deserializer`] can turn them into the right [`Error`] variant.
const TAG_DURATION: &str = "\u{1}invalid_duration\u{1}";

/// Reads a `T` from any serde deserializer, turning a failure into an
/// [`Error`] whose path is the JSON pointer of the offending value.
///
/// Unknown fields give `unknown_field`, unreadable durations give
/// `invalid_duration`, anything else `invalid_input` — including a document
/// nested deeper than [`MAX_DEPTH`] levels, which is rejected before anything
/// recursive can overflow the stack of the host process.
///
/// ```
/// use rollgate::{wire, Plan};
/// let mut de = serde_json::Deserializer::from_str(r#"{"name": "p", "services": [{"id": "a", "colour": 1}]}"#);
/// let err = wire::from_deserializer::<Plan, _>(&mut de).unwrap_err();
/// assert_eq!(err.code(), "unknown_field");
/// assert_eq!(err.path(), "/services/0/colour");
/// ```
pub fn from_deserializer<'de, T, D>(deserializer: D) -> Result<T>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    serde_path_to_error::deserialize(DepthLimited::new(deserializer)).map_err(|err| {
        let path = pointer(err.path());
        let message = err.inner().to_string();
        classify(path, message)
    })
}

/// Reads a `T` from a deserializer that `make` creates, twice if need be:
/// the first pass runs without path tracking (no per-key bookkeeping, the
/// fast path for valid input); only if it fails does a second pass over a
/// fresh deserializer find the path of the error, as [`from_deserializer`].
/// `make` must create deserializers over the same, unchanged data.
///
/// ```
/// let doc = serde_json::json!({"name": "p", "services": [{"id": "a", "deploy_duration": "x"}]});
/// let err = rollgate::wire::from_fn::<rollgate::Plan, _, _>(|| &doc).unwrap_err();
/// assert_eq!(err.path(), "/services/0/deploy_duration");
/// ```
pub fn from_fn<'de, T, D, F>(make: F) -> Result<T>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    F: Fn() -> D,
{
    match T::deserialize(DepthLimited::new(make())) {
        Ok(value) => Ok(value),
        Err(_) => from_deserializer(make()),
    }
}

/// Reads a `T` from JSON text; see [`from_deserializer`].
///
/// ```
/// let d: rollgate::DurationSecs = rollgate::wire::from_json(r#""1h30m""#).unwrap();
/// assert_eq!(d.as_secs(), 5400);
/// ```
pub fn from_json<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T> {
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    // DepthLimited bounds the nesting (at MAX_DEPTH, as for host values).
    de.disable_recursion_limit();
    let value = from_deserializer(&mut de)?;
    de.end().map_err(|e| Error::InvalidInput {
        path: String::new(),
        message: format!("trailing characters after the JSON document: {e}"),
    })?;
    Ok(value)
}

/// Reads a `T` from a `serde_json::Value`; see [`from_deserializer`].
///
/// ```
/// let d: rollgate::DurationSecs = rollgate::wire::from_value(serde_json::json!(90)).unwrap();
/// assert_eq!(d.as_secs(), 90);
/// ```
pub fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    from_deserializer(value)
}

/// Checks a count argument given as a number (as JavaScript and loosely typed
/// callers pass it): it must be a whole number of at least `min`.
///
/// Errors are `invalid_input` with `name` as the path.
///
/// ```
/// assert_eq!(rollgate::wire::count_arg("max_parallel", 3.0, 1).unwrap(), 3);
/// let err = rollgate::wire::count_arg("max_parallel", 0.0, 1).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_input", "max_parallel"));
/// assert!(rollgate::wire::count_arg("max_parallel", 1.5, 1).is_err());
/// ```
pub fn count_arg(name: &str, value: f64, min: usize) -> Result<usize> {
    if !value.is_finite() || value.fract() != 0.0 || value < min as f64 || value > u32::MAX as f64 {
        return Err(Error::InvalidInput {
            path: name.to_string(),
            message: format!("{name} must be a whole number of at least {min}, got {value}"),
        });
    }
    // Integral and in range: exact.
    Ok(value as usize)
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&pointer_token(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&pointer_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn classify(path: String, message: String) -> Error {
    if let Some(at) = message.find(TAG_DURATION) {
        let rest = message.get(at + TAG_DURATION.len()..).unwrap_or("");
        let (value, reason) = rest.split_once(TAG_DURATION).unwrap_or((rest, ""));
        return Error::InvalidDuration {
            path,
            value: value.to_string(),
            reason: reason.to_string(),
        };
    }
    // serde's derive reports: "unknown field `x`, expected one of `a`, `b`"
    // (or "expected `a`", or "there are no fields"); some deserializers put a
    // prefix of their own before it.
    const UNKNOWN: &str = "unknown field `";
    if let Some(at) = message.find(UNKNOWN) {
        let rest = message.get(at + UNKNOWN.len()..).unwrap_or("");
        // The field may hold backticks itself: it ends where serde goes on.
        let end = ["`, expected ", "`, there are no fields"]
            .iter()
            .find_map(|s| rest.rfind(s))
            .or_else(|| rest.find('`'));
        if let Some((field, tail)) = end.and_then(|i| Some((rest.get(..i)?, rest.get(i + 1..)?))) {
            let expected = tail
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s.to_string())
                .collect();
            // Some deserializers (pythonize) already report the key in the path.
            let token = pointer_token(field);
            let path = if path.ends_with(&format!("/{token}")) {
                path
            } else {
                format!("{path}/{token}")
            };
            return Error::UnknownField {
                path,
                field: field.to_string(),
                expected,
            };
        }
    }
    Error::InvalidInput {
        path,
        message: strip_position(&message).to_string(),
    }
}

/// Drops serde_json's " at line L column C" suffix: the path says where, and
/// messages stay identical whichever language the document came from.
fn strip_position(message: &str) -> &str {
    if let Some(at) = message.rfind(" at line ") {
        let tail = message.get(at + " at line ".len()..).unwrap_or("");
        let mut words = tail.split(' ');
        let is_position = matches!(
            (words.next(), words.next(), words.next(), words.next()),
            (Some(l), Some("column"), Some(c), None)
                if l.chars().all(|ch| ch.is_ascii_digit()) && c.chars().all(|ch| ch.is_ascii_digit())
        );
        if is_position {
            return message.get(..at).unwrap_or(message);
        }
    }
    message
}

/// A non-negative whole number of seconds.
///
/// On input it accepts a number of seconds (`90`, `90.0`) or a human string of
/// one or more `<number><unit>` parts with units `d`, `h`, `m`, `s` (`"90s"`,
/// `"1h30m"`, `"2d"`, `"1.5h"`); a bare numeric string (`"90"`) means seconds.
/// The total must be a whole number of seconds. On output it is the number of
/// seconds.
///
/// ```
/// use rollgate::DurationSecs;
/// assert_eq!("1h30m".parse::<DurationSecs>().unwrap().as_secs(), 5400);
/// assert_eq!("1.5m".parse::<DurationSecs>().unwrap().as_secs(), 90);
/// assert!("ten minutes".parse::<DurationSecs>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DurationSecs(pub u64);

/// The longest accepted duration: 100 years, far beyond any release plan and
/// far below overflow when durations are added up.
pub const MAX_DURATION_SECS: u64 = 100 * 366 * 86_400;

impl DurationSecs {
    /// The duration in seconds.
    ///
    /// ```
    /// assert_eq!(rollgate::DurationSecs(42).as_secs(), 42);
    /// ```
    pub fn as_secs(self) -> u64 {
        self.0
    }

    fn from_f64(seconds: f64) -> std::result::Result<Self, String> {
        if !seconds.is_finite() || seconds < 0.0 {
            return Err("must be a finite, non-negative number of seconds".into());
        }
        if seconds.fract() != 0.0 {
            return Err("must be a whole number of seconds".into());
        }
        if seconds > MAX_DURATION_SECS as f64 {
            return Err(format!("must be at most {MAX_DURATION_SECS} seconds"));
        }
        // In range and integral: the conversion is exact.
        Ok(DurationSecs(seconds as u64))
    }
}

impl std::str::FromStr for DurationSecs {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let s = text.trim();
        if s.is_empty() {
            return Err("is empty".into());
        }
        if let Ok(seconds) = s.parse::<f64>() {
            if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return Self::from_f64(seconds);
            }
        }
        let mut total = 0.0_f64;
        let mut number = String::new();
        let mut parts = 0;
        for c in s.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let unit = match c {
                'd' => 86_400.0,
                'h' => 3_600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => {
                    return Err(format!(
                        "unexpected character `{c}` (use units d, h, m, s, e.g. \"1h30m\")"
                    ))
                }
            };
            let value: f64 = number
                .parse()
                .map_err(|_| format!("expected a number before unit `{c}`"))?;
            total += value * unit;
            number.clear();
            parts += 1;
        }
        if !number.is_empty() {
            return Err(format!("number `{number}` has no unit (use d, h, m, s)"));
        }
        if parts == 0 {
            return Err("has no parts".into());
        }
        // Round away representation noise such as 0.1h = 359.99999 s.
        let rounded = (total * 1e6).round() / 1e6;
        Self::from_f64(rounded)
    }
}

impl fmt::Display for DurationSecs {
    /// Formats as a human string such as `1h30m` (`0s` for zero).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for DurationSecs {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for DurationSecs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct DurationVisitor;

        fn fail<E: de::Error>(value: String, reason: String) -> E {
            E::custom(format!("{TAG_DURATION}{value}{TAG_DURATION}{reason}"))
        }

        impl Visitor<'_> for DurationVisitor {
            type Value = DurationSecs;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration: seconds as a number, or a string like \"90s\" or \"1h30m\"",
                )
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v as f64).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v as f64).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<DurationSecs, E> {
                v.parse().map_err(|r| fail(format!("\"{v}\""), r))
            }

            fn visit_unit<E: de::Error>(self) -> std::result::Result<DurationSecs, E> {
                Err(fail(
                    "null".into(),
                    "expected seconds or a string like \"90s\"".into(),
                ))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<DurationSecs, E> {
                Err(fail(
                    v.to_string(),
                    "expected seconds or a string like \"90s\"".into(),
                ))
            }
        }

        deserializer.deserialize_any(DurationVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_human_durations() {
        for (text, secs) in [
            ("0s", 0),
            ("90s", 90),
            ("1h30m", 5400),
            ("2d", 172_800),
            ("1.5h", 5400),
            ("90", 90),
            (" 5m ", 300),
            ("1d2h3m4s", 93_784),
        ] {
            assert_eq!(
                text.parse::<DurationSecs>(),
                Ok(DurationSecs(secs)),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_bad_durations() {
        for text in ["", "abc", "5", "5x", "m", "1.5s", "-5s", "1e3s", "10"] {
            let parsed = text.parse::<DurationSecs>();
            if text == "10" {
                assert!(parsed.is_ok());
            } else if text == "5" {
                assert_eq!(parsed, Ok(DurationSecs(5)));
            } else {
                assert!(parsed.is_err(), "{text} parsed as {parsed:?}");
            }
        }
    }

    #[test]
    fn displays_round_trip() {
        for secs in [0, 1, 59, 60, 3599, 3600, 5400, 86_400, 93_784] {
            let text = DurationSecs(secs).to_string();
            assert_eq!(text.parse::<DurationSecs>(), Ok(DurationSecs(secs)));
        }
    }

    #[test]
    fn duration_errors_carry_value_and_path() {
        let err = from_json::<Vec<DurationSecs>>(r#"["5s", "5 parsecs"]"#).unwrap_err();
        assert_eq!(err.code(), "invalid_duration");
        assert_eq!(err.path(), "/1");
        let err = from_json::<Vec<DurationSecs>>("[-3]").unwrap_err();
        assert_eq!(err.code(), "invalid_duration");
    }
}
