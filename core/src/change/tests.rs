//! Unit tests of the change model and its checks.

use super::*;
use crate::wire::from_json;

#[test]
fn defaults_are_conservative() {
    let c: Change = from_json(r#"{"id": "c", "author": "a", "services": ["x"]}"#).unwrap();
    assert!(c.reversible);
    assert_eq!(c.kind, ChangeKind::Feature);
    assert!(c.validate("").is_ok());
}

#[test]
fn approval_before_creation_is_rejected() {
    let c: Change = from_json(
        r#"{"id": "c", "author": "a", "services": [], "created_at": "2026-01-02T10:00:00Z",
            "approvals": [{"by": "b", "role": "peer", "at": "2026-01-02T11:00:00+02:00"}]}"#,
    )
    .unwrap();
    let err = c.validate("").unwrap_err();
    assert_eq!(err.code(), "approval_before_creation");
    assert_eq!(err.path(), "/approvals/0/at");
}

fn with(field: &str, value: serde_json::Value) -> Change {
    let mut doc = serde_json::json!({"id": "c", "author": "a", "services": []});
    doc[field] = value;
    crate::wire::from_value(doc).unwrap()
}

#[test]
fn every_size_must_be_finite_and_not_negative() {
    for (field, _) in with("id", "c".into()).sizes() {
        assert!(with(field, 0.0.into()).validate("").is_ok(), "{field} = 0");
        let err = with(field, (-0.5).into()).validate("p").unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("negative_size", format!("p/{field}").as_str())
        );
        let mut c = with(field, 1.0.into());
        c.author_subsystem_experience = 0.0;
        c.lines_added = if field == "lines_added" {
            f64::INFINITY
        } else {
            0.0
        };
        assert_eq!(c.validate("").is_err(), field == "lines_added");
    }
    let mut c = with("id", "c".into());
    c.entropy = f64::NAN;
    assert_eq!(c.validate("").unwrap_err().path(), "/entropy");
}

#[test]
fn coverage_bounds_are_inclusive() {
    for (coverage, ok) in [(0.0, true), (1.0, true), (-0.01, false), (1.01, false)] {
        let c = with("tests", serde_json::json!({"coverage": coverage}));
        assert_eq!(c.validate("").is_ok(), ok, "coverage {coverage}");
    }
}

#[test]
fn an_approval_at_creation_time_is_fine() {
    let mut c = with("created_at", "2026-01-02T10:00:00Z".into());
    c.approvals = crate::wire::from_value(serde_json::json!([
        {"by": "b", "role": "peer", "at": "2026-01-02T12:00:00+02:00"},
        {"by": "d", "role": "peer", "at": "2026-01-02T09:59:59Z"}]))
    .unwrap();
    let err = c.validate("").unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("approval_before_creation", "/approvals/1/at")
    );
}

#[test]
fn a_history_is_checked_record_by_record() {
    let ok = ChangeOutcome {
        change: with("id", "c".into()),
        failed: false,
    };
    let bad = ChangeOutcome {
        change: with("lines_deleted", (-1.0).into()),
        failed: true,
    };
    let history = [ok.clone(), ok, bad];
    let err = Checked::new(&history[..], "history").unwrap_err();
    assert_eq!(err.path(), "history/2/change/lines_deleted");
    let checked = Checked::new(&history[..2], "history").unwrap();
    assert_eq!(checked.len(), 2);
    assert!(format!("{checked:?}").starts_with("Checked(["));
}

#[test]
fn wire_names() {
    assert_eq!(
        [
            ChangeType::Standard,
            ChangeType::Normal,
            ChangeType::Emergency
        ]
        .map(ChangeType::as_str),
        ["standard", "normal", "emergency"]
    );
    assert_eq!(
        [
            Strategy::Canary,
            Strategy::BlueGreen,
            Strategy::Rolling,
            Strategy::Recreate
        ]
        .map(Strategy::as_str),
        ["canary", "blue_green", "rolling", "recreate"]
    );
    assert_eq!(
        [
            TestDepth::None,
            TestDepth::Unit,
            TestDepth::Integration,
            TestDepth::EndToEnd
        ]
        .map(TestDepth::as_str),
        ["none", "unit", "integration", "end_to_end"]
    );
}

#[test]
fn coverage_out_of_range() {
    let c: Change =
        from_json(r#"{"id": "c", "author": "a", "services": [], "tests": {"coverage": 1.5}}"#)
            .unwrap();
    assert_eq!(c.validate("").unwrap_err().path(), "/tests/coverage");
}
