//! The canonical wire format: reading any serde source with exact error paths,
//! and the value types shared by every document: durations
//! ([`DurationSecs`]), instants ([`time::Timestamp`], read by the one strict
//! RFC 3339 reader [`time::parse_timestamp`]), the nesting-depth limit
//! ([`DepthLimited`]) and samples of observations ([`Samples`]).
//!
//! Bindings hand their host-language values to [`from_deserializer`] through a
//! serde `Deserializer` over those values (the Python binding's own reader,
//! napi's serde support for Node), so the same document is read — and
//! rejected — the same way in every language.

use serde::de::{Deserialize, Deserializer};

use crate::error::{pointer_token, Error, ErrorFamily, ErrorKind, InputError, Result};

mod depth;
mod duration;
mod sample;
#[cfg(feature = "schema")]
pub mod schema;
pub mod time;
pub use depth::{DepthLimited, MAX_DEPTH};
pub use duration::{DurationSecs, MAX_DURATION_SECS};
pub(crate) use sample::read_seq as read_sample_seq;
pub use sample::Samples;

thread_local! {
    /// The structured form of the last value that failed to deserialise on
    /// this thread with an error of its own kind (a duration, a timestamp):
    /// serde errors carry only a message, so such a value's deserializer
    /// leaves `(message, kind)` here ([`fail_with`]) and
    /// [`from_deserializer`] picks it up when the error it receives carries
    /// that very message, instead of parsing message text.
    static STRUCTURED_FAILURE: std::cell::RefCell<Option<(String, ErrorKind)>> =
        const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The family of the innermost document (a calendar inside a plan) that
    /// a failure passed through, with that failure's message: set by
    /// [`fail_in_family`], applied by [`from_deserializer`] to a generic
    /// input error carrying that very message.
    static FAILURE_FAMILY: std::cell::RefCell<Option<(String, ErrorFamily)>> =
        const { std::cell::RefCell::new(None) };
}

/// Attributes a failure to read a nested document to `family` (a calendar's
/// wrong type or unknown field is a calendar error, even inside a plan); the
/// innermost document wins. Call it on the result of the document's
/// `Deserialize`.
pub(crate) fn fail_in_family<T, E: serde::de::Error>(
    family: ErrorFamily,
    result: std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    if let Err(error) = &result {
        FAILURE_FAMILY.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.is_none() {
                *slot = Some((error.to_string(), family));
            }
        });
    }
    result
}

/// A serde error for a value whose failure has a kind of its own; see
/// [`STRUCTURED_FAILURE`].
pub(crate) fn fail_with<E: serde::de::Error>(kind: impl Into<ErrorKind>) -> E {
    let kind = kind.into();
    let message = kind.to_string();
    let error = E::custom(&message);
    STRUCTURED_FAILURE.with(|slot| *slot.borrow_mut() = Some((message, kind)));
    error
}

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
    STRUCTURED_FAILURE.with(|slot| slot.borrow_mut().take());
    FAILURE_FAMILY.with(|slot| slot.borrow_mut().take());
    serde_path_to_error::deserialize(DepthLimited::new(deserializer)).map_err(|err| {
        let path = pointer(err.path());
        let message = err.inner().to_string();
        let family = FAILURE_FAMILY.with(|slot| slot.borrow_mut().take());
        let error = classify(path, message.clone());
        match family {
            Some((text, family)) if message.contains(&text) => error.in_family(family),
            _ => error,
        }
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
    de.end().map_err(|e| {
        Error::invalid_input(
            String::new(),
            format!("trailing characters after the JSON document: {e}"),
        )
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
    let structured = STRUCTURED_FAILURE.with(|slot| slot.borrow_mut().take());
    if let Some((text, kind)) = structured {
        // Deserializers may add a prefix (napi) or a position (serde_json).
        if message.contains(&text) {
            return Error::new(path, kind);
        }
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
            return Error::new(
                path,
                InputError::UnknownField {
                    field: field.to_string(),
                    expected,
                },
            );
        }
    }
    Error::invalid_input(path, strip_position(&message).to_string())
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
