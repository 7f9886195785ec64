//! Unit tests of the release controller; scenarios run as shared vectors
//! (`tests/vectors/release.json`) and properties in `core/tests/release_props.rs`.

use crate::release::{advance_release, parse_events, Status};

/// Drives a one-region release with the given `rollout` section to its end.
fn complete(rollout: &str) -> crate::release::ReleaseUpdate {
    let plan = crate::Plan::from_json(&format!(
        r#"{{"name": "shop", "services": [{{"id": "api", "deploy_duration": "5m"}}],
            "regions": [{{"id": "eu", "traffic_share": 1.0}}], "rollout": {rollout}}}"#
    ))
    .unwrap();
    let t = |s: &str| crate::window::parse_timestamp("t", s).unwrap();
    let state = crate::start_release(&plan, t("2026-11-24T09:00:00Z"), None).unwrap();
    let first = advance_release(&plan, &state, &[], t("2026-11-24T09:00:00Z")).unwrap();
    let events = parse_events(serde_json::json!([
        {"type": "step_started", "region": "eu", "service": "api", "at": "2026-11-24T09:00:10Z"},
        {"type": "step_finished", "region": "eu", "service": "api", "outcome": "succeeded", "at": "2026-11-24T09:05:00Z"},
        {"type": "check", "check": "alarms_clear", "passed": true},
        {"type": "check", "check": "health", "passed": true},
        {"type": "check", "check": "smoke", "passed": true}]))
    .unwrap();
    let last = advance_release(&plan, &first.state, &events, t("2026-11-24T09:06:00Z")).unwrap();
    assert_eq!(last.status, Status::Completed);
    last
}

#[test]
fn a_completed_release_names_the_release_stages_it_leaves_to_the_caller() {
    let last = complete(
        r#"{"release_stages": [{"flag": "new-api", "percentage": 5}, {"flag": "new-api", "percentage": 100}]}"#,
    );
    let left = last
        .reasons
        .iter()
        .find(|r| r.code == "release_stages_left")
        .expect("a release_stages_left reason");
    assert_eq!(left.subjects, ["new-api"]);
    assert!(
        left.message.contains("new-api 5% -> new-api 100%"),
        "{}",
        left.message
    );
    let plain = complete("{}");
    assert!(plain
        .reasons
        .iter()
        .all(|r| r.code != "release_stages_left"));
}
