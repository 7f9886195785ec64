//! Verifying a log, whole or streamed, against an optional trusted checkpoint.

use serde::{Deserialize, Serialize};

use super::{ChangeRecord, RecordHasher};
use crate::change::Timestamp;
use crate::error::{Error, Result};

/// What a verifier trusted of a log before: its length and the hash of its
/// last record, as in a Certificate Transparency checkpoint (tree size and
/// root hash). Keep it somewhere the log's writer cannot change.
///
/// The checkpoint of a log is `{length: last.sequence + 1, head_hash:
/// last.hash}` of its last record ([`Checkpoint::of`]); every successful
/// verification returns the next one to keep.
///
/// ```
/// let first = rollgate::append_change_record(None, &rollgate::wire::from_json(
///     r#"{"inputs": {"change": "c1"}, "outputs": {"level": "low"}}"#).unwrap()).unwrap();
/// let trusted = rollgate::Checkpoint::of(&first);
/// assert_eq!(trusted.length, 1);
/// // Later: the log must still hold the trusted record and may have grown.
/// let second = rollgate::append_change_record(Some(&first), &rollgate::wire::from_json(
///     r#"{"inputs": {"change": "c1"}, "outputs": {"allowed": true}}"#).unwrap()).unwrap();
/// let report = rollgate::verify_change_log(&[first.clone(), second.clone()], Some(&trusted)).unwrap();
/// assert!(report.valid);
/// assert_eq!(report.checkpoint, Some(rollgate::Checkpoint::of(&second)));
/// // Only the records after the checkpoint may be given, too.
/// assert!(rollgate::verify_change_log(&[second], Some(&trusted)).unwrap().valid);
/// // A log cut back to nothing no longer covers the checkpoint.
/// let report = rollgate::verify_change_log(&[], Some(&trusted)).unwrap();
/// assert_eq!(report.problem.as_deref(), Some("truncated"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Records in the trusted log (at least 1): the last trusted record's
    /// `sequence + 1`.
    pub length: u64,
    /// The `hash` of the last trusted record.
    pub head_hash: String,
}

impl Checkpoint {
    /// The checkpoint of a log whose last record is `last`.
    ///
    /// ```
    /// let first = rollgate::append_change_record(None, &rollgate::wire::from_json(
    ///     r#"{"inputs": 1, "outputs": 2}"#).unwrap()).unwrap();
    /// let checkpoint = rollgate::Checkpoint::of(&first);
    /// assert_eq!((checkpoint.length, checkpoint.head_hash), (1, first.hash));
    /// ```
    pub fn of(last: &ChangeRecord) -> Checkpoint {
        Checkpoint {
            length: last.sequence.saturating_add(1),
            head_hash: last.hash.clone(),
        }
    }
}

/// Result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeLogVerification {
    /// Whether the whole chain holds (and covers the checkpoint, when given).
    pub valid: bool,
    /// Records checked.
    pub records: usize,
    /// Index (in the given list) of the first record whose chain breaks; for
    /// a log that ends before the checkpoint, the number of records given
    /// (where the missing ones would start).
    pub first_broken: Option<usize>,
    /// Why it breaks: `hash_mismatch`, `previous_hash_mismatch`,
    /// `sequence_mismatch`, `time_goes_backwards` or `truncated` (the log
    /// does not start with its genesis record and no checkpoint vouches for
    /// its start, or it is shorter than the checkpoint, or it diverges from it).
    pub problem: Option<String>,
    /// A human sentence.
    pub explanation: String,
    /// Hash of the last record (the head to keep elsewhere), when any.
    pub head_hash: Option<String>,
    /// The checkpoint to keep for the next verification: that of the last
    /// record, when the log is valid and not empty (else the one given, if any).
    pub checkpoint: Option<Checkpoint>,
}

/// Where the chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Break {
    index: usize,
    problem: &'static str,
    explanation: String,
}

fn broke(index: usize, problem: &'static str, explanation: String) -> Result<(), Break> {
    Err(Break {
        index,
        problem,
        explanation,
    })
}

/// The last record checked, as much of it as the next one needs.
#[derive(Debug, Clone)]
struct Link {
    sequence: u64,
    hash: String,
    at: Option<Timestamp>,
}

/// Verifies a log one record at a time in constant memory, so that a log of
/// any length can be streamed from a file or a host-language list without
/// holding it whole. [`verify_change_log`] is this over a slice.
///
/// ```
/// use rollgate::changelog::ChangeLogVerifier;
/// let mut tail = None;
/// let mut verifier = ChangeLogVerifier::new(None).unwrap();
/// for i in 0..1000 {
///     let entry = rollgate::wire::from_value(serde_json::json!({"inputs": i, "outputs": null})).unwrap();
///     let record = rollgate::append_change_record(tail.as_ref(), &entry).unwrap();
///     verifier.push(&record);
///     tail = Some(record);
/// }
/// let report = verifier.finish();
/// assert!(report.valid && report.records == 1000);
/// ```
#[derive(Debug)]
pub struct ChangeLogVerifier {
    checkpoint: Option<Checkpoint>,
    seen: usize,
    previous: Option<Link>,
    covered: bool,
    failure: Option<Break>,
    head: Option<(u64, String)>,
    hasher: RecordHasher,
}

impl ChangeLogVerifier {
    /// A verifier for a log, starting from `checkpoint` when given.
    ///
    /// Errors: `invalid_input` (path `checkpoint/length`) for a checkpoint of
    /// length 0: a checkpoint names a record that was trusted.
    ///
    /// ```
    /// let bad = rollgate::Checkpoint { length: 0, head_hash: String::new() };
    /// let err = rollgate::changelog::ChangeLogVerifier::new(Some(&bad)).unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("invalid_input", "checkpoint/length"));
    /// ```
    pub fn new(checkpoint: Option<&Checkpoint>) -> Result<Self> {
        if checkpoint.is_some_and(|c| c.length == 0) {
            return Err(Error::invalid_input(
                "checkpoint/length",
                "a checkpoint covers at least one record (length = last sequence + 1)",
            ));
        }
        Ok(ChangeLogVerifier {
            checkpoint: checkpoint.cloned(),
            seen: 0,
            previous: None,
            covered: false,
            failure: None,
            head: None,
            hasher: RecordHasher::default(),
        })
    }

    /// Checks the next record; after the first break the rest are only counted.
    pub fn push(&mut self, record: &ChangeRecord) {
        let index = self.seen;
        self.seen += 1;
        self.head = Some((record.sequence, record.hash.clone()));
        if self.failure.is_none() {
            if let Err(b) = self.check(index, record) {
                self.failure = Some(b);
            }
        }
    }

    fn check(&mut self, i: usize, r: &ChangeRecord) -> Result<(), Break> {
        let computed = self.hasher.hash(r);
        if computed != r.hash {
            return broke(
                i,
                "hash_mismatch",
                format!(
                    "record {i} (sequence {}) stores hash {} but its content hashes to {computed}",
                    r.sequence, r.hash
                ),
            );
        }
        match self.previous.take() {
            Some(p) => check_link(i, &p, r)?,
            None => self.check_start(r)?,
        }
        if let Some(c) = &self.checkpoint {
            if r.sequence.checked_add(1) == Some(c.length) {
                if r.hash != c.head_hash {
                    return broke(
                        i,
                        "truncated",
                        format!(
                            "record {i} (sequence {}) has hash {}, not the checkpoint's {}: the log diverges from the one trusted",
                            r.sequence, r.hash, c.head_hash
                        ),
                    );
                }
                self.covered = true;
            }
        }
        self.previous = Some(Link {
            sequence: r.sequence,
            hash: r.hash.clone(),
            at: r.at,
        });
        Ok(())
    }

    /// The first record: the genesis record, or a record the checkpoint vouches for.
    fn check_start(&mut self, r: &ChangeRecord) -> Result<(), Break> {
        if r.sequence == 0 {
            if r.previous_hash.is_some() {
                return broke(
                    0,
                    "previous_hash_mismatch",
                    "the first record (sequence 0) must not link to a previous hash".into(),
                );
            }
            return Ok(());
        }
        let Some(c) = &self.checkpoint else {
            return broke(
                0,
                "truncated",
                format!(
                    "the log starts at sequence {}, not with its genesis record (sequence 0): records are missing from its start; give a checkpoint to verify part of a log",
                    r.sequence
                ),
            );
        };
        if r.sequence > c.length {
            return broke(
                0,
                "truncated",
                format!(
                    "the log starts at sequence {} but the checkpoint ends at sequence {}: records {}..{} are missing",
                    r.sequence,
                    c.length - 1,
                    c.length,
                    r.sequence - 1
                ),
            );
        }
        if r.sequence == c.length {
            if r.previous_hash.as_deref() != Some(c.head_hash.as_str()) {
                return broke(
                    0,
                    "truncated",
                    format!(
                        "record 0 (sequence {}) does not link to the checkpoint's head {}: the log diverges from the one trusted",
                        r.sequence, c.head_hash
                    ),
                );
            }
            self.covered = true;
        }
        Ok(())
    }

    /// The verification of every record pushed.
    pub fn finish(self) -> ChangeLogVerification {
        let head_hash = self.head.as_ref().map(|(_, h)| h.clone());
        let failure = match (self.failure, &self.checkpoint) {
            (Some(b), _) => Some(b),
            (None, Some(c)) if !self.covered => Some(Break {
                index: self.seen,
                problem: "truncated",
                explanation: match &self.head {
                    Some((last, _)) => format!(
                        "the log ends at sequence {last} but the checkpoint covers {} record(s): records were cut from its end",
                        c.length
                    ),
                    None => format!(
                        "the log is empty but the checkpoint covers {} record(s)",
                        c.length
                    ),
                },
            }),
            (None, _) => None,
        };
        match failure {
            Some(b) => ChangeLogVerification {
                valid: false,
                records: self.seen,
                first_broken: Some(b.index),
                problem: Some(b.problem.to_string()),
                explanation: b.explanation,
                head_hash,
                checkpoint: self.checkpoint,
            },
            None => ChangeLogVerification {
                valid: true,
                records: self.seen,
                first_broken: None,
                problem: None,
                explanation: format!("all {} record(s) chain correctly", self.seen),
                checkpoint: match self.head {
                    Some((sequence, hash)) => Some(Checkpoint {
                        length: sequence.saturating_add(1),
                        head_hash: hash,
                    }),
                    None => self.checkpoint,
                },
                head_hash,
            },
        }
    }
}

/// A record after the first: one more in sequence, linked to its
/// predecessor's hash, not dated before it.
fn check_link(i: usize, p: &Link, r: &ChangeRecord) -> Result<(), Break> {
    if Some(r.sequence) != p.sequence.checked_add(1) {
        return broke(
            i,
            "sequence_mismatch",
            format!(
                "record {i} has sequence {} after sequence {}",
                r.sequence, p.sequence
            ),
        );
    }
    if r.previous_hash.as_deref() != Some(p.hash.as_str()) {
        return broke(
            i,
            "previous_hash_mismatch",
            format!(
                "record {i} does not link to the hash of record {}",
                i.saturating_sub(1)
            ),
        );
    }
    if let (Some(a), Some(b)) = (p.at, r.at) {
        if b < a {
            return broke(
                i,
                "time_goes_backwards",
                format!("record {i} is dated before record {}", i.saturating_sub(1)),
            );
        }
    }
    Ok(())
}

/// Verifies a log (or, given a `checkpoint`, the part of it from the
/// checkpoint on): every record's hash matches its content, links to its
/// predecessor's hash, and sequences count up by one with non-decreasing
/// times. A broken chain is a finding (`valid: false`), not an error.
///
/// Truncation (following Certificate Transparency): a hash chain alone
/// cannot show that records were cut from it, so
/// - without a checkpoint, the first record must be the genesis record
///   (sequence 0, no previous hash), else the log is `truncated`: records
///   were cut from its start (cuts from its end need a checkpoint);
/// - with a checkpoint `{length, head_hash}` kept from an earlier
///   verification, the records may start anywhere up to `length` (the
///   record at sequence `length` must link to `head_hash`), the record at
///   sequence `length − 1`, when given, must have hash `head_hash`, and the
///   log must reach it: a log that is shorter or diverges is `truncated`.
///
/// Errors: a checkpoint of length 0 (`invalid_input`, path `checkpoint/length`).
///
/// ```
/// let first = rollgate::append_change_record(None, &rollgate::wire::from_json(
///     r#"{"inputs": 1, "outputs": 2}"#).unwrap()).unwrap();
/// let mut forged = first.clone();
/// forged.outputs = serde_json::json!(3);
/// let report = rollgate::verify_change_log(&[forged], None).unwrap();
/// assert_eq!((report.valid, report.first_broken), (false, Some(0)));
/// assert_eq!(report.problem.as_deref(), Some("hash_mismatch"));
/// ```
pub fn verify_change_log(
    records: &[ChangeRecord],
    checkpoint: Option<&Checkpoint>,
) -> Result<ChangeLogVerification> {
    let mut verifier = ChangeLogVerifier::new(checkpoint)?;
    for record in records {
        verifier.push(record);
    }
    Ok(verifier.finish())
}
