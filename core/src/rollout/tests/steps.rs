//! Steps, stages, waits and findings.

use super::*;

#[test]
fn empty_service_list_still_orders_regions() {
    let s = schedule(
        r#"{"name": "p", "services": [], "regions": [{"id": "a"}, {"id": "b"}],
            "rollout": {"bake_time": "10m"}}"#,
    )
    .unwrap();
    assert_eq!(s.waves.len(), 2);
    assert_eq!(s.total_duration_seconds, 1200);
    assert!(s.findings.is_empty());
    assert!(to_mermaid_gantt(&s)
        .unwrap()
        .contains("bake :active, w2_bake"));
}

#[test]
fn missing_deploy_durations_are_a_finding() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "b"}, {"id": "a", "deploy_duration": 0}, {"id": "c", "deploy_duration": 60}],
            "regions": [{"id": "r"}]}"#,
    )
    .unwrap();
    assert_eq!(s.findings.len(), 1);
    let f = &s.findings[0];
    assert_eq!(f.code, "zero_deploy_duration");
    assert_eq!(f.subjects, ["a", "b"]);
    assert_eq!(
        f.message,
        "a, b have no deploy_duration (or 0): their steps take no time in this schedule"
    );
    let s =
        schedule(r#"{"name": "p", "services": [{"id": "b"}], "regions": [{"id": "r"}]}"#).unwrap();
    assert_eq!(
        s.findings[0].message,
        "b has no deploy_duration (or 0): its steps take no time in this schedule"
    );
}

#[test]
fn timeouts_are_a_finding_with_the_limit_as_evidence() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "db", "deploy_duration": "10m", "stateful": true},
                                      {"id": "api", "deploy_duration": "10m"}, {"id": "web", "deploy_duration": "5m"}],
            "regions": [{"id": "r"}], "rollout": {"timeout": "10m", "drain_time": "1m", "max_failed_steps": 2}}"#,
    )
    .unwrap();
    let f = &s.findings[0];
    assert_eq!(
        (f.code.as_str(), &f.subjects[..]),
        ("step_exceeds_timeout", &["db".to_string()][..])
    );
    assert_eq!(f.evidence["timeout_seconds"], 600);
    assert_eq!(
        f.message,
        "planned steps of db take longer than the 600 s step timeout and would always count as failed"
    );
    assert_eq!(
        s.halt_rule,
        HaltRule {
            max_failed_steps: 2,
            step_timeout_seconds: Some(600)
        }
    );
}

#[test]
fn a_rollout_wait_across_a_freeze_names_the_freeze() {
    // Issue 13: Friday 18 December is outside the allow windows; Monday is
    // inside the year-end freeze: the wait names both.
    let plan = Plan::from_json(
        r#"{"name": "p", "services": [{"id": "api", "deploy_duration": "10m"}],
            "regions": [{"id": "us", "calendar": "nyc"}],
            "calendars": {"nyc": {"time_zone": "America/New_York",
               "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
               "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"}]}}}"#,
    )
    .unwrap();
    let start = crate::window::parse_timestamp("start", "2026-12-18T10:00:00-05:00").unwrap();
    let s = schedule_rollout(&plan, start).unwrap();
    let wait = &s.waves[0].waits[0];
    assert_eq!(
        (wait.from.as_str(), wait.until.as_str()),
        ("2026-12-18T10:00:00-05:00", "2027-01-04T09:00:00-05:00")
    );
    let got: Vec<(&str, &[String])> = wait
        .reasons
        .iter()
        .map(|r| (r.code.as_str(), &r.subjects[..]))
        .collect();
    assert_eq!(
        got,
        [
            ("outside_allow", &[][..]),
            ("deny_window", &["deny/0".to_string()][..])
        ]
    );
    assert_eq!(wait.seconds, 16 * 86_400 + 23 * 3600);
}

#[test]
fn one_box_stateful_and_contract_stages() {
    let s = schedule(
        r#"{"name": "p", "services": [
              {"id": "db", "deploy_duration": "10m", "stateful": true, "instance_groups": 2},
              {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"},
              {"id": "drop", "depends_on": ["api"], "deploy_duration": "1m", "migration": {"phase": "contract"}}],
            "regions": [{"id": "a", "tier": "canary"}, {"id": "b"}],
            "rollout": {"one_box": {"bake_time": "10m"}, "drain_time": "2m", "bake_time": "1h", "min_gap_between_waves": "5m", "min_bake_samples": 7}}"#,
    )
    .unwrap();
    let w = &s.waves[0];
    type Row<'a> = (&'a str, &'a str, Option<u32>, u64, u64, u64);
    let steps: Vec<Row> = w
        .steps
        .iter()
        .map(|st| {
            (
                st.service.as_str(),
                st.stage.as_str(),
                st.group,
                st.start_seconds,
                st.finish_seconds,
                st.drain_seconds,
            )
        })
        .collect();
    // One box: db one group (12m), api 5m; bake 10m; full: db 2 groups, api.
    assert_eq!(
        steps,
        [
            ("db", "one_box", Some(1), 0, 720, 120),
            ("api", "one_box", None, 720, 1020, 0),
            ("db", "full", Some(1), 1620, 2340, 120),
            ("db", "full", Some(2), 2340, 3060, 120),
            ("api", "full", None, 3060, 3360, 0),
        ]
    );
    assert_eq!(w.steps[2].layer, 0);
    assert_eq!(w.steps[4].layer, 1);
    assert_eq!(w.gate.earliest_pass_seconds, 3360 + 3600);
    assert_eq!(w.gate.min_bake_samples, 7);
    assert_eq!(w.gate.earliest_pass, "2026-11-24T10:56:00+00:00");
    assert_eq!(s.waves[1].start_seconds, 3360 + 3600 + 300);
    let contract = s.waves.last().unwrap();
    assert_eq!(contract.kind, "contract");
    assert_eq!(contract.regions, ["a", "b"]);
    assert_eq!(codes(contract), ["contract_phase"]);
    assert_eq!(contract.reasons[0].subjects, ["a", "b"]);
    assert_eq!(contract.gate.checks, ["alarms_clear", "health", "smoke"]);
    assert!(contract
        .steps
        .iter()
        .all(|st| st.stage == "contract" && !st.reversible));
    assert_eq!(
        contract.start_seconds,
        s.waves[1].gate.earliest_pass_seconds + 300
    );
    assert_eq!(
        s.total_duration_seconds,
        contract.gate.earliest_pass_seconds
    );
    assert_eq!(s.finish, contract.gate.earliest_pass);
}

#[test]
fn steps_omit_a_zero_drain_and_an_absent_group_on_the_wire() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "db", "deploy_duration": "1m", "stateful": true},
              {"id": "api", "deploy_duration": "1m", "migration": {"phase": "expand", "reversible": true}}],
            "regions": [{"id": "a"}], "rollout": {"drain_time": "30s"}}"#,
    )
    .unwrap();
    let steps = serde_json::to_value(&s.waves[0].steps).unwrap();
    assert_eq!(steps[0]["service"], "api");
    assert!(steps[0].get("drain_seconds").is_none() && steps[0].get("group").is_none());
    assert_eq!(steps[0]["migration"], "expand");
    assert_eq!(steps[1]["drain_seconds"], 30);
    assert_eq!(steps[1]["group"], 1);
    assert!(steps[1].get("migration").is_none());
    let back: Schedule = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}
