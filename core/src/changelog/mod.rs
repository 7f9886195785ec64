//! An append-only, hash-chained decision log.
//!
//! Each record holds the inputs and outputs of a decision, the SHA-256 of the
//! previous record and its own SHA-256, computed over the record's canonical
//! JSON (see [`canonical_json`]). Changing any byte of any record, removing
//! or reordering records breaks the chain, and [`verify_change_log`] names
//! the first record where it breaks; cutting records from either end is
//! caught against a [`Checkpoint`] (and from the start without one, since a
//! log must begin with its genesis record).
//!
//! - `canonical`: the canonical JSON text hashes are computed over, and why
//!   it is not RFC 8785;
//! - `verify`: [`verify_change_log`] and the streaming [`ChangeLogVerifier`].

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::change::Timestamp;
use crate::error::{ChangeError, Error, Result};

mod canonical;
mod verify;

pub use canonical::canonical_json;
use canonical::{write_canonical, write_string};
pub use verify::{verify_change_log, ChangeLogVerification, ChangeLogVerifier, Checkpoint};

/// A decision to append to the log.
///
/// ```
/// let entry: rollgate::ChangeRecordInput = rollgate::wire::from_json(
///     r#"{"kind": "governance", "inputs": {"change": "c1"}, "outputs": {"allowed": true}}"#).unwrap();
/// assert_eq!(entry.kind, "governance");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeRecordInput {
    /// What was decided (`risk`, `governance`, `deployment`, ...).
    // Always written, but a record rollgate writes (an access decision's, a
    // release update's) is passed back to `append_change_record` as is: the
    // schema keeps one shape, the reader's, so that the typings do too.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(skip_serializing_if = "String::is_empty"))]
    pub kind: String,
    /// When it was decided (records must not go back in time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// The decision's inputs (any JSON).
    pub inputs: Value,
    /// The decision's outputs (any JSON).
    pub outputs: Value,
}

/// One record of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeRecord {
    /// Position in the log, from 0.
    pub sequence: u64,
    /// Hash of the previous record; `null` for the first.
    pub previous_hash: Option<String>,
    /// What was decided.
    #[serde(default)]
    pub kind: String,
    /// When it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// The decision's inputs, canonicalised.
    pub inputs: Value,
    /// The decision's outputs, canonicalised.
    pub outputs: Value,
    /// Lower-case hex SHA-256 of the canonical JSON of every other field.
    pub hash: String,
}

/// Computes record hashes into one reused buffer: the canonical JSON of a
/// record is written straight from its fields, never through an
/// intermediate `Value` or a copy of its inputs and outputs.
#[derive(Debug, Default)]
pub(crate) struct RecordHasher {
    buffer: Vec<u8>,
}

impl RecordHasher {
    /// Lower-case hex SHA-256 of the canonical JSON of every field of `r`
    /// but `hash`: `{"at","inputs","kind","outputs","previous_hash","sequence"}`
    /// in that (sorted) order, `at` and `previous_hash` `null` when absent.
    pub(crate) fn hash(&mut self, r: &ChangeRecord) -> String {
        let out = &mut self.buffer;
        out.clear();
        out.extend_from_slice(b"{\"at\":");
        match &r.at {
            // A timestamp serialises as its RFC 3339 string.
            Some(at) => {
                let _ = serde_json::to_writer(&mut *out, at);
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"inputs\":");
        write_canonical(&r.inputs, out);
        out.extend_from_slice(b",\"kind\":");
        write_string(&r.kind, out);
        out.extend_from_slice(b",\"outputs\":");
        write_canonical(&r.outputs, out);
        out.extend_from_slice(b",\"previous_hash\":");
        match &r.previous_hash {
            Some(h) => write_string(h, out),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"sequence\":");
        out.extend_from_slice(r.sequence.to_string().as_bytes());
        out.push(b'}');
        hex(&Sha256::digest(out.as_slice()))
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing into a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Re-reads canonical JSON as a value (numbers normalised).
fn canonical_value(value: &Value) -> Value {
    serde_json::from_str(&canonical_json(value)).unwrap_or(Value::Null)
}

/// Appends a decision after `log_tail` (the last record, `None` for an empty
/// log) and returns the new record.
///
/// Errors: `change_record_tampered` (path `log_tail/hash`) when the tail's
/// stored hash does not match its content; `invalid_input` (path `record/at`)
/// when the record is older than the tail.
///
/// ```
/// let first = rollgate::append_change_record(None, &rollgate::wire::from_json(
///     r#"{"kind": "risk", "inputs": {"change": "c1"}, "outputs": {"level": "low"}}"#).unwrap()).unwrap();
/// let second = rollgate::append_change_record(Some(&first), &rollgate::wire::from_json(
///     r#"{"kind": "governance", "inputs": {"change": "c1"}, "outputs": {"allowed": true}}"#).unwrap()).unwrap();
/// assert_eq!(second.sequence, 1);
/// assert_eq!(second.previous_hash.as_deref(), Some(first.hash.as_str()));
/// assert!(rollgate::verify_change_log(&[first, second], None).unwrap().valid);
/// ```
pub fn append_change_record(
    log_tail: Option<&ChangeRecord>,
    record: &ChangeRecordInput,
) -> Result<ChangeRecord> {
    if let Some(tail) = log_tail {
        let computed = RecordHasher::default().hash(tail);
        if computed != tail.hash {
            return Err(Error::new(
                "log_tail/hash",
                ChangeError::ChangeRecordTampered {
                    stored: tail.hash.clone(),
                    computed,
                },
            ));
        }
        if let (Some(prev), Some(now)) = (tail.at, record.at) {
            if now < prev {
                return Err(Error::invalid_input(
                    "record/at",
                    format!(
                        "record time {} is before the previous record's {}",
                        now.to_rfc3339(),
                        prev.to_rfc3339()
                    ),
                ));
            }
        }
    }
    let mut out = ChangeRecord {
        sequence: log_tail.map_or(0, |t| t.sequence.saturating_add(1)),
        previous_hash: log_tail.map(|t| t.hash.clone()),
        kind: record.kind.clone(),
        at: record.at,
        inputs: canonical_value(&record.inputs),
        outputs: canonical_value(&record.outputs),
        hash: String::new(),
    };
    out.hash = RecordHasher::default().hash(&out);
    Ok(out)
}

#[cfg(test)]
mod tests;
