//! An append-only, hash-chained decision log.
//!
//! Each record holds the inputs and outputs of a decision, the SHA-256 of the
//! previous record and its own SHA-256, computed over the record's canonical
//! JSON (see [`canonical_json`]). Changing any byte of any record, removing
//! or reordering records breaks the chain, and [`verify_change_log`] names
//! the first record where it breaks.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::change::Timestamp;
use crate::error::{ChangeError, Error, Result};

/// A decision to append to the log.
///
/// ```
/// let entry: rollgate::ChangeRecordInput = rollgate::wire::from_json(
///     r#"{"kind": "governance", "inputs": {"change": "c1"}, "outputs": {"allowed": true}}"#).unwrap();
/// assert_eq!(entry.kind, "governance");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRecordInput {
    /// What was decided (`risk`, `governance`, `deployment`, ...).
    #[serde(default)]
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

/// Result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLogVerification {
    /// Whether the whole chain holds.
    pub valid: bool,
    /// Records checked.
    pub records: usize,
    /// Index (in the given list) of the first record whose chain breaks.
    pub first_broken: Option<usize>,
    /// Why it breaks: `hash_mismatch`, `previous_hash_mismatch`,
    /// `sequence_mismatch` or `time_goes_backwards`.
    pub problem: Option<String>,
    /// A human sentence.
    pub explanation: String,
    /// Hash of the last record (the head to keep elsewhere), when any.
    pub head_hash: Option<String>,
}

/// The canonical JSON of a value: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, strings escaped as serde_json does, integers and
/// integral floats below 2^53 written as integers (so `1` and `1.0` hash the
/// same, whichever language produced them), other numbers in Rust's shortest
/// round-trip form.
///
/// ```
/// let v = serde_json::json!({"b": [1.0, 2.5], "a": "x"});
/// assert_eq!(rollgate::changelog::canonical_json(&v), r#"{"a":"x","b":[1,2.5]}"#);
/// ```
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                    out.push_str(&format!("{f:.0}"));
                } else {
                    out.push_str(&format!("{f}"));
                }
            }
        }
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*key).clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(*key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// Re-reads canonical JSON as a value (numbers normalised).
fn canonical_value(value: &Value) -> Value {
    serde_json::from_str(&canonical_json(value)).unwrap_or(Value::Null)
}

fn record_hash(r: &ChangeRecord) -> String {
    let content = serde_json::json!({
        "sequence": r.sequence,
        "previous_hash": r.previous_hash,
        "kind": r.kind,
        "at": r.at,
        "inputs": r.inputs,
        "outputs": r.outputs,
    });
    let digest = Sha256::digest(canonical_json(&content).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
/// assert!(rollgate::verify_change_log(&[first, second]).valid);
/// ```
pub fn append_change_record(
    log_tail: Option<&ChangeRecord>,
    record: &ChangeRecordInput,
) -> Result<ChangeRecord> {
    if let Some(tail) = log_tail {
        let computed = record_hash(tail);
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
    out.hash = record_hash(&out);
    Ok(out)
}

/// Verifies a log (or a contiguous part of one): every record's hash matches
/// its content, links to its predecessor's hash, and sequences count up by
/// one with non-decreasing times. A log starting at sequence 0 must have no
/// previous hash. A broken chain is a finding (`valid: false`), not an error.
///
/// ```
/// let first = rollgate::append_change_record(None, &rollgate::wire::from_json(
///     r#"{"inputs": 1, "outputs": 2}"#).unwrap()).unwrap();
/// let mut forged = first.clone();
/// forged.outputs = serde_json::json!(3);
/// let report = rollgate::verify_change_log(&[forged]);
/// assert_eq!((report.valid, report.first_broken), (false, Some(0)));
/// assert_eq!(report.problem.as_deref(), Some("hash_mismatch"));
/// ```
pub fn verify_change_log(records: &[ChangeRecord]) -> ChangeLogVerification {
    let broken = |i: usize, problem: &str, explanation: String| ChangeLogVerification {
        valid: false,
        records: records.len(),
        first_broken: Some(i),
        problem: Some(problem.into()),
        explanation,
        head_hash: records.last().map(|r| r.hash.clone()),
    };
    let mut previous: Option<&ChangeRecord> = None;
    for (i, r) in records.iter().enumerate() {
        let computed = record_hash(r);
        if computed != r.hash {
            return broken(
                i,
                "hash_mismatch",
                format!(
                    "record {i} (sequence {}) stores hash {} but its content hashes to {computed}",
                    r.sequence, r.hash
                ),
            );
        }
        match previous {
            Some(p) => {
                if r.sequence != p.sequence.saturating_add(1) {
                    return broken(
                        i,
                        "sequence_mismatch",
                        format!(
                            "record {i} has sequence {} after sequence {}",
                            r.sequence, p.sequence
                        ),
                    );
                }
                if r.previous_hash.as_deref() != Some(p.hash.as_str()) {
                    return broken(
                        i,
                        "previous_hash_mismatch",
                        format!("record {i} does not link to the hash of record {}", i - 1),
                    );
                }
                if let (Some(a), Some(b)) = (p.at, r.at) {
                    if b < a {
                        return broken(
                            i,
                            "time_goes_backwards",
                            format!("record {i} is dated before record {}", i - 1),
                        );
                    }
                }
            }
            None => {
                if r.sequence == 0 && r.previous_hash.is_some() {
                    return broken(
                        i,
                        "previous_hash_mismatch",
                        "the first record (sequence 0) must not link to a previous hash".into(),
                    );
                }
            }
        }
        previous = Some(r);
    }
    ChangeLogVerification {
        valid: true,
        records: records.len(),
        first_broken: None,
        problem: None,
        explanation: format!("all {} record(s) chain correctly", records.len()),
        head_hash: records.last().map(|r| r.hash.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sha256_of_empty_object_matches_known_digest() {
        // echo -n '{}' | sha256sum
        let digest = Sha256::digest(canonical_json(&json!({})).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn canonical_numbers_and_escapes() {
        let v = json!({"z": 1e300, "a": "q\"\u{1}", "m": [0.1, -0.0, 3.0]});
        assert_eq!(
            canonical_json(&v),
            format!(
                "{{\"a\":\"q\\\"\\u0001\",\"m\":[0.1,-0,3],\"z\":{}}}",
                format_args!("{}", 1e300)
            )
        );
    }

    #[test]
    fn reordering_breaks_the_chain() {
        let mut log = Vec::new();
        for i in 0..3 {
            let input = ChangeRecordInput {
                kind: "k".into(),
                at: None,
                inputs: json!(i),
                outputs: json!(null),
            };
            let next = append_change_record(log.last(), &input).unwrap();
            log.push(next);
        }
        assert!(verify_change_log(&log).valid);
        log.swap(1, 2);
        let report = verify_change_log(&log);
        assert_eq!(report.first_broken, Some(1));
        assert_eq!(report.problem.as_deref(), Some("sequence_mismatch"));
    }
}
