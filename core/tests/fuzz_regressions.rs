//! Minimal reproducers of what fuzzing found (`core/fuzz/README.md` lists
//! every finding, the target and the input that found it). Each test failed
//! before the fix it names.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::json;

/// json_text: an unknown key holding a backtick was cut at the backtick when
/// the serde message was parsed — wrong field name, a bogus extra path
/// segment (`/services/0/de`ploy/de`) and a garbled `expected` list.
#[test]
fn unknown_field_named_with_a_backtick() {
    let err =
        rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "de`ploy": 1}]}"#)
            .unwrap_err();
    assert_eq!(err.code(), "unknown_field");
    assert_eq!(err.path(), "/services/0/de`ploy");
    let details = err.details();
    assert_eq!(details["field"], "de`ploy");
    let expected = details["expected"].as_array().unwrap();
    assert!(expected.contains(&json!("deploy_duration")), "{expected:?}");
    assert!(
        expected.iter().all(|e| !e.as_str().unwrap().is_empty()),
        "{expected:?}"
    );
}
