//! Release stages: feature flags turned up after the last wave.

use super::*;

/// A canary region and a main region, 10 minutes of deployment each, a
/// 1 hour bake, and the given rollout fields.
fn staged(rollout: &str) -> Result<Schedule> {
    schedule(&format!(
        r#"{{"name": "checkout", "services": [{{"id": "api", "deploy_duration": "10m"}}],
            "regions": [{{"id": "c", "tier": "canary", "traffic_share": 0.05}}, {{"id": "eu", "traffic_share": 0.95}}],
            "rollout": {{"bake_time": "1h", {rollout}}}}}"#
    ))
}

#[test]
fn stages_follow_the_last_gate_each_with_its_own_bake() {
    let s = staged(
        r#""release_stages": [{"flag": "new-checkout", "percentage": 1, "bake_time": "30m"},
            {"flag": "new-checkout", "percentage": 5}, {"flag": "new-checkout", "percentage": 100, "bake_time": "2h"}]"#,
    )
    .unwrap();
    // Waves: c 09:00-09:10, gate 10:10; eu 10:10-10:20, gate 11:20.
    assert_eq!(s.waves.last().unwrap().gate.earliest_pass_seconds, 8400);
    let got: Vec<_> = s
        .release_stages
        .iter()
        .map(|x| {
            (
                x.previous_percentage,
                x.percentage,
                x.start_seconds,
                x.gate.earliest_pass_seconds,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, 1, 8400, 8400 + 1800),
            (1, 5, 10200, 10200 + 3600),
            (5, 100, 13800, 13800 + 7200)
        ]
    );
    assert_eq!(s.total_duration_seconds, 21000);
    assert_eq!(s.finish, "2026-11-24T14:50:00+00:00");
    let first = &s.release_stages[0];
    assert_eq!(first.start, "2026-11-24T11:20:00+00:00");
    assert_eq!(
        first.gate.checks,
        ["alarms_clear", "health", "canary_verdict"]
    );
    assert_eq!(first.reasons[0].code, "flag_stage");
    assert_eq!(first.reasons[0].evidence["to"], 1);
    let gantt = to_mermaid_gantt(&s).unwrap();
    assert!(
        gantt.contains(
            "    section Release stages (feature flags)\n    new-checkout to 1 percent :active, s1, 2026-11-24 11:20:00, 2026-11-24 11:50:00\n"
        ),
        "{gantt}"
    );
}

#[test]
fn the_gap_between_waves_also_separates_stages() {
    let s = staged(
        r#""min_gap_between_waves": "15m", "release_stages": [{"flag": "f", "percentage": 10}, {"flag": "f", "percentage": 50}]"#,
    )
    .unwrap();
    // Waves: c 09:00-09:10 (gate 10:10), gap, eu 10:25-10:35 (gate 11:35).
    let starts: Vec<u64> = s.release_stages.iter().map(|x| x.start_seconds).collect();
    assert_eq!(starts, [9300 + 900, 9300 + 900 + 3600 + 900]);
}

#[test]
fn a_freeze_in_the_plan_calendar_holds_a_stage_back_and_says_why() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "api", "deploy_duration": "10m"}],
            "regions": [{"id": "c", "tier": "canary"}], "calendar": "ops",
            "calendars": {"ops": {"time_zone": "UTC",
                "deny": [{"from": "2026-11-24T10:00:00Z", "to": "2026-11-24T12:00:00Z", "reason": "launch freeze"}]}},
            "rollout": {"bake_time": "1h", "release_stages": [{"flag": "f", "percentage": 50}]}}"#,
    )
    .unwrap();
    // The wave deploys 09:00-09:10 before the freeze and bakes through it;
    // the flag waits from 10:10 until the freeze ends at 12:00.
    let stage = &s.release_stages[0];
    assert_eq!(stage.start, "2026-11-24T12:00:00+00:00");
    assert_eq!(stage.wait_seconds, 6600);
    let codes: Vec<&str> = stage.wait_reasons.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&"deny_window"), "{codes:?}");
    assert!(stage
        .wait_reasons
        .iter()
        .any(|r| r.message.contains("launch freeze")));
    let gantt = to_mermaid_gantt(&s).unwrap();
    assert!(gantt.contains("    wait f :crit, s1_wait, 2026-11-24 10:10:00, 2026-11-24 12:00:00\n"));
}

#[test]
fn without_stages_the_schedule_has_no_release_stages_key() {
    let s = staged(r#""max_failed_steps": 0"#).unwrap();
    assert!(s.release_stages.is_empty());
    let json = serde_json::to_value(&s).unwrap();
    assert!(json.get("release_stages").is_none());
    assert!(!to_mermaid_gantt(&s).unwrap().contains("Release stages"));
}

#[test]
fn bad_stages_are_typed_errors_naming_the_field() {
    let cases = [
        (
            r#"[{"flag": "f", "percentage": 0}]"#,
            "invalid_percentage",
            "/rollout/release_stages/0/percentage",
        ),
        (
            r#"[{"flag": "f", "percentage": 101}]"#,
            "invalid_percentage",
            "/rollout/release_stages/0/percentage",
        ),
        (
            r#"[{"flag": "f", "percentage": 2.5}]"#,
            "invalid_percentage",
            "/rollout/release_stages/0/percentage",
        ),
        (
            r#"[{"flag": "f", "percentage": 5}, {"flag": "g", "percentage": 1}, {"flag": "f", "percentage": 5}]"#,
            "invalid_percentage",
            "/rollout/release_stages/2/percentage",
        ),
        (
            r#"[{"flag": " ", "percentage": 5}]"#,
            "invalid_input",
            "/rollout/release_stages/0/flag",
        ),
        (
            r#"[{"flag": "f", "percentage": 5, "bake": "1h"}]"#,
            "unknown_field",
            "/rollout/release_stages/0/bake",
        ),
    ];
    for (stages, code, path) in cases {
        let err = staged(&format!(r#""release_stages": {stages}"#)).unwrap_err();
        assert_eq!((err.code(), err.path()), (code, path), "{stages}: {err}");
    }
    let err = staged(
        r#""release_stages": [{"flag": "f", "percentage": 50}, {"flag": "f", "percentage": 25}]"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("not increasing: /rollout/release_stages/0 already turns `f` up to 50"),
        "{err}"
    );
}
