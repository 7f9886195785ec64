//! Unit tests of appending and verifying: every check, each way it can fail.

use super::*;
use serde_json::json;

fn entry(i: i64, at: Option<&str>) -> ChangeRecordInput {
    ChangeRecordInput {
        kind: "k".into(),
        at: at.map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().into()),
        inputs: json!({"i": i}),
        outputs: json!(null),
    }
}

fn log(n: i64) -> Vec<ChangeRecord> {
    let mut log: Vec<ChangeRecord> = Vec::new();
    for i in 0..n {
        let next = append_change_record(log.last(), &entry(i, None)).unwrap();
        log.push(next);
    }
    log
}

fn verify(records: &[ChangeRecord], checkpoint: Option<&Checkpoint>) -> ChangeLogVerification {
    verify_change_log(records, checkpoint).unwrap()
}

fn problem(report: &ChangeLogVerification) -> (bool, Option<usize>, Option<&str>) {
    (report.valid, report.first_broken, report.problem.as_deref())
}

/// Re-seals a record after editing it, as a forger able to recompute hashes would.
fn reseal(mut r: ChangeRecord) -> ChangeRecord {
    r.hash = RecordHasher::default().hash(&r);
    r
}

#[test]
fn an_intact_log_verifies_and_hands_back_its_checkpoint() {
    let log = log(3);
    let report = verify(&log, None);
    assert_eq!(problem(&report), (true, None, None));
    assert_eq!(report.records, 3);
    assert_eq!(report.head_hash.as_deref(), Some(log[2].hash.as_str()));
    assert_eq!(report.checkpoint, Some(Checkpoint::of(&log[2])));
    assert_eq!(report.checkpoint.as_ref().map(|c| c.length), Some(3));
    assert_eq!(report.explanation, "all 3 record(s) chain correctly");
}

#[test]
fn an_empty_log_is_valid_without_a_checkpoint_only() {
    let report = verify(&[], None);
    assert_eq!(problem(&report), (true, None, None));
    assert_eq!((report.head_hash, report.checkpoint), (None, None));
    let trusted = Checkpoint::of(&log(1)[0]);
    let report = verify(&[], Some(&trusted));
    assert_eq!(problem(&report), (false, Some(0), Some("truncated")));
    assert_eq!(report.checkpoint, Some(trusted));
}

#[test]
fn reordering_breaks_the_chain() {
    let mut log = log(3);
    log.swap(1, 2);
    assert_eq!(
        problem(&verify(&log, None)),
        (false, Some(1), Some("sequence_mismatch"))
    );
}

#[test]
fn a_record_dropped_from_the_middle_is_named() {
    let mut log = log(4);
    log.remove(2);
    assert_eq!(
        problem(&verify(&log, None)),
        (false, Some(2), Some("sequence_mismatch"))
    );
    // Renumbered to hide the gap, it no longer links to its predecessor.
    log[2].sequence = 2;
    log[2] = reseal(log[2].clone());
    assert_eq!(
        problem(&verify(&log, None)),
        (false, Some(2), Some("previous_hash_mismatch"))
    );
}

#[test]
fn an_edited_record_is_a_hash_mismatch_even_after_a_break() {
    let mut log = log(3);
    log[1].outputs = json!(1);
    let report = verify(&log, None);
    assert_eq!(problem(&report), (false, Some(1), Some("hash_mismatch")));
    // Records after the break are still counted and the head reported.
    assert_eq!(report.records, 3);
    assert_eq!(report.head_hash.as_deref(), Some(log[2].hash.as_str()));
    assert_eq!(report.checkpoint, None);
}

#[test]
fn the_first_record_is_the_genesis_record() {
    let log = log(3);
    // Head cut: the log starts at sequence 1.
    let report = verify(&log[1..], None);
    assert_eq!(problem(&report), (false, Some(0), Some("truncated")));
    assert!(report.explanation.contains("starts at sequence 1"));
    // A sequence-0 record claiming a predecessor.
    let forged = reseal(ChangeRecord {
        previous_hash: Some(log[1].hash.clone()),
        ..log[0].clone()
    });
    assert_eq!(
        problem(&verify(&[forged], None)),
        (false, Some(0), Some("previous_hash_mismatch"))
    );
    // A renumbered genesis without a predecessor is not enough either.
    let renumbered = reseal(ChangeRecord {
        sequence: 5,
        ..log[0].clone()
    });
    assert_eq!(
        problem(&verify(&[renumbered], None)),
        (false, Some(0), Some("truncated"))
    );
}

#[test]
fn a_checkpoint_catches_a_cut_tail() {
    let log = log(5);
    let trusted = Checkpoint::of(&log[3]);
    assert_eq!(problem(&verify(&log, Some(&trusted))), (true, None, None));
    assert_eq!(
        problem(&verify(&log[..4], Some(&trusted))),
        (true, None, None)
    );
    let report = verify(&log[..3], Some(&trusted));
    assert_eq!(problem(&report), (false, Some(3), Some("truncated")));
    assert!(report.explanation.contains("ends at sequence 2"));
    assert_eq!(report.checkpoint, Some(trusted));
}

#[test]
fn a_checkpoint_lets_a_part_of_the_log_start_anywhere_up_to_it() {
    let log = log(6);
    let trusted = Checkpoint::of(&log[2]);
    for start in 0..=3 {
        let report = verify(&log[start..], Some(&trusted));
        assert_eq!(problem(&report), (true, None, None), "start {start}");
        assert_eq!(report.checkpoint, Some(Checkpoint::of(&log[5])));
    }
    // Starting past the record after the checkpoint leaves a gap.
    let report = verify(&log[4..], Some(&trusted));
    assert_eq!(problem(&report), (false, Some(0), Some("truncated")));
    assert!(report.explanation.contains("records 3..3 are missing"));
}

#[test]
fn a_log_that_diverges_from_the_checkpoint_is_truncated() {
    let log = log(4);
    let trusted = Checkpoint::of(&log[1]);
    // Another history, hashes recomputed from record 1 on.
    let mut other = vec![log[0].clone()];
    for i in 1..4 {
        let next = append_change_record(other.last(), &entry(100 + i, None)).unwrap();
        other.push(next);
    }
    let report = verify(&other, Some(&trusted));
    assert_eq!(problem(&report), (false, Some(1), Some("truncated")));
    assert!(report.explanation.contains("diverges"));
    // The part after the checkpoint must link to its head.
    let report = verify(&other[2..], Some(&trusted));
    assert_eq!(problem(&report), (false, Some(0), Some("truncated")));
    // The true continuation does.
    assert_eq!(
        problem(&verify(&log[2..], Some(&trusted))),
        (true, None, None)
    );
}

#[test]
fn a_checkpoint_needs_a_record() {
    let err = verify_change_log(
        &[],
        Some(&Checkpoint {
            length: 0,
            head_hash: "x".into(),
        }),
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_input", "checkpoint/length")
    );
}

#[test]
fn time_may_stand_still_but_not_go_back() {
    let t0 = "2026-03-01T10:00:00Z";
    let first = append_change_record(None, &entry(0, Some(t0))).unwrap();
    let same = append_change_record(Some(&first), &entry(1, Some(t0))).unwrap();
    assert_eq!(
        problem(&verify(&[first.clone(), same], None)),
        (true, None, None)
    );
    let err =
        append_change_record(Some(&first), &entry(1, Some("2026-03-01T09:59:59Z"))).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_input", "record/at"));
    // An undated record may follow a dated one and vice versa.
    let undated = append_change_record(Some(&first), &entry(1, None)).unwrap();
    let dated =
        append_change_record(Some(&undated), &entry(2, Some("2026-01-01T00:00:00Z"))).unwrap();
    assert_eq!(
        problem(&verify(&[first.clone(), undated, dated], None)),
        (true, None, None)
    );
    // A forger who backdates and reseals the second record is caught.
    let later =
        append_change_record(Some(&first), &entry(1, Some("2026-03-01T11:00:00Z"))).unwrap();
    let backdated = reseal(ChangeRecord {
        at: Some(
            chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
                .unwrap()
                .into(),
        ),
        ..later
    });
    assert_eq!(
        problem(&verify(&[first, backdated], None)),
        (false, Some(1), Some("time_goes_backwards"))
    );
}

#[test]
fn appending_checks_the_tail_and_numbers_from_it() {
    let first = append_change_record(None, &entry(0, None)).unwrap();
    assert_eq!((first.sequence, first.previous_hash.as_deref()), (0, None));
    let second = append_change_record(Some(&first), &entry(1, None)).unwrap();
    assert_eq!(second.sequence, 1);
    assert_eq!(second.previous_hash.as_deref(), Some(first.hash.as_str()));
    let mut tampered = first.clone();
    tampered.kind = "edited".into();
    let err = append_change_record(Some(&tampered), &entry(1, None)).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("change_record_tampered", "log_tail/hash")
    );
    assert_eq!(err.details()["stored"], json!(first.hash));
}

#[test]
fn the_hash_covers_every_field() {
    let base = append_change_record(None, &entry(0, Some("2026-03-01T10:00:00Z"))).unwrap();
    let edits: [fn(&mut ChangeRecord); 6] = [
        |r| r.sequence = 7,
        |r| r.previous_hash = Some("00".into()),
        |r| r.kind = "other".into(),
        |r| r.at = None,
        |r| r.inputs = json!({"i": 1}),
        |r| r.outputs = json!(false),
    ];
    for edit in edits {
        let mut r = base.clone();
        edit(&mut r);
        assert_ne!(RecordHasher::default().hash(&r), base.hash);
    }
    // The hash is of the documented canonical text.
    let text = r#"{"at":"2026-03-01T10:00:00Z","inputs":{"i":0},"kind":"k","outputs":null,"previous_hash":null,"sequence":0}"#;
    let mut hasher = RecordHasher::default();
    hasher.hash(&base);
    assert_eq!(String::from_utf8(hasher.buffer).unwrap(), text);
    assert_eq!(base.hash, hex(&Sha256::digest(text.as_bytes())));
}
