//! Rollback plans and the Gantt chart.

use super::*;

#[test]
fn rollback_plans_order_and_recommend() {
    let s = schedule(
        r#"{"name": "p", "services": [
              {"id": "db", "deploy_duration": "10m", "migration": {"phase": "expand", "reversible": true}},
              {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}],
            "regions": [{"id": "a", "tier": "canary"}, {"id": "b"}, {"id": "c"}],
            "rollout": {"one_box": {"bake_time": "0s"}, "growth_factor": 2}}"#,
    )
    .unwrap();
    // Wave 2 (b and c) starts at 30 minutes; halt at b's full api step.
    // c's api starts with it: not started (only steps that started before
    // the halted one, and the halted step itself, are in flight).
    let halt = HaltedAt::Step {
        region: "b".into(),
        service: "api".into(),
        stage: Some("full".into()),
    };
    let plan = rollback_plan(&s, &halt).unwrap();
    assert_eq!(plan.recommendation, "roll_back");
    assert_eq!(plan.halted_at, "2026-11-24T09:55:00+00:00");
    let undo: Vec<(String, &str, &str, usize)> = plan
        .undo
        .iter()
        .map(|u| {
            (
                format!("{}@{}", u.service, u.region),
                u.stage.as_str(),
                u.state.as_str(),
                u.wave,
            )
        })
        .collect();
    assert_eq!(
        undo.iter()
            .map(|u| (u.0.as_str(), u.1, u.2, u.3))
            .collect::<Vec<_>>(),
        [
            ("api@b", "full", "in_flight", 2),
            ("db@b", "full", "completed", 2),
            ("db@c", "full", "completed", 2),
            ("api@b", "one_box", "completed", 2),
            ("api@c", "one_box", "completed", 2),
            ("db@b", "one_box", "completed", 2),
            ("db@c", "one_box", "completed", 2),
            ("api@a", "full", "completed", 1),
            ("db@a", "full", "completed", 1),
            ("api@a", "one_box", "completed", 1),
            ("db@a", "one_box", "completed", 1),
        ]
    );
    assert_eq!(plan.not_started, 1);
    let codes: Vec<&str> = plan.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["undo_in_reverse_order"]);
    assert_eq!(plan.reasons[0].evidence["steps"], 11);
    assert_eq!(
        plan.reasons[0].message,
        "undo 11 steps, most recent wave first and dependents before what they depend on"
    );
    // A step named without its stage: the first matching one (one box).
    let halt = HaltedAt::Step {
        region: "b".into(),
        service: "api".into(),
        stage: None,
    };
    let plan = rollback_plan(&s, &halt).unwrap();
    assert_eq!(plan.halted_at, "2026-11-24T09:40:00+00:00");
    assert_eq!(plan.undo[0].state, "in_flight");
    assert_eq!(plan.not_started, 5);
    // By time: a step starting exactly then is in flight; one finishing then completed.
    let plan = rollback_plan(&s, &HaltedAt::Time("2026-11-24T09:10:00Z".into())).unwrap();
    let states: Vec<(&str, &str, &str)> = plan
        .undo
        .iter()
        .map(|u| (u.service.as_str(), u.stage.as_str(), u.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("api", "one_box", "in_flight"),
            ("db", "one_box", "completed")
        ]
    );
    let plan = rollback_plan(&s, &HaltedAt::Time("2026-11-24T08:00:00Z".into())).unwrap();
    assert_eq!(plan.recommendation, "nothing_to_undo");
    assert_eq!(plan.not_started, 12);
    assert_eq!(plan.reasons.len(), 1);
    assert_eq!(
        plan.reasons[0].message,
        "no step had started: nothing to undo"
    );
    let err = rollback_plan(
        &s,
        &HaltedAt::Step {
            region: "b".into(),
            service: "api".into(),
            stage: Some("contract".into()),
        },
    )
    .unwrap_err();
    assert_eq!((err.code(), err.path()), ("unknown_step", "halted_at"));
    let mut bad = s.clone();
    bad.start = "soon".into();
    let err = rollback_plan(&bad, &HaltedAt::Time("2026-11-24T08:00:00Z".into())).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_timestamp", "/start"));
}

#[test]
fn irreversible_migrations_mean_rolling_forward() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "m2", "deploy_duration": "1m", "migration": {"phase": "expand"}},
              {"id": "m1", "deploy_duration": "1m", "migration": {"phase": "expand"}}],
            "regions": [{"id": "a"}]}"#,
    )
    .unwrap();
    let plan = rollback_plan(&s, &HaltedAt::Time("2026-11-24T10:00:00Z".into())).unwrap();
    assert_eq!(plan.recommendation, "roll_forward");
    assert!(plan.undo.is_empty());
    assert_eq!(plan.cannot_undo.len(), 2);
    let reasons: Vec<(&str, &[String])> = plan
        .reasons
        .iter()
        .map(|r| (r.code.as_str(), &r.subjects[..]))
        .collect();
    assert_eq!(
        reasons,
        [
            ("irreversible_migration", &["m1".to_string()][..]),
            ("irreversible_migration", &["m2".to_string()][..])
        ]
    );
    assert_eq!(
        plan.reasons[0].message,
        "migration m1 cannot be undone: roll forward with a fix instead of rolling it back"
    );
}

#[test]
fn gantt_draws_waits_regions_and_bakes() {
    let plan = Plan::from_json(
        r#"{"name": "shop: eu", "services": [{"id": "api", "deploy_duration": "30m"}],
            "regions": [{"id": "eu-1", "tier": "canary", "calendar": "biz", "time_zone": "Europe/Berlin"}, {"id": "us#2"}],
            "calendars": {"biz": {"allow": [{"start": "09:00", "end": "17:00"}]}},
            "rollout": {"bake_time": "1h"}}"#,
    )
    .unwrap();
    let start = crate::window::parse_timestamp("start", "2026-11-24T16:45:00Z").unwrap();
    let s = schedule_rollout(&plan, start).unwrap();
    let gantt = to_mermaid_gantt(&s).unwrap();
    assert_eq!(
        gantt,
        "gantt\n    title shop_ eu rollout (UTC)\n    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat %m-%d %H:%M\n\
         \x20   section Wave 1\n\
         \x20   wait eu-1 :crit, w1_wait0, 2026-11-24 16:45:00, 2026-11-25 09:00:00\n\
         \x20   eu-1 :w1_eu_1, 2026-11-25 09:00:00, 2026-11-25 09:30:00\n\
         \x20   bake :active, w1_bake, 2026-11-25 09:30:00, 2026-11-25 10:30:00\n\
         \x20   section Wave 2\n\
         \x20   us_2 :w2_us_2, 2026-11-25 10:30:00, 2026-11-25 11:00:00\n\
         \x20   bake :active, w2_bake, 2026-11-25 11:00:00, 2026-11-25 12:00:00\n"
    );
    let mut bad = s.clone();
    bad.waves[0].waits[0].from = "yesterday".into();
    let err = to_mermaid_gantt(&bad).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_timestamp", "/waves"));
}

#[test]
fn gantt_labels_the_contract_phase_and_omits_a_zero_bake() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "app", "deploy_duration": "5m"},
              {"id": "drop", "deploy_duration": "1m", "migration": {"phase": "contract"}}],
            "regions": [{"id": "a"}]}"#,
    )
    .unwrap();
    let gantt = to_mermaid_gantt(&s).unwrap();
    assert!(gantt.contains("    section Wave 1\n    a :w1_a, 2026-11-24 09:00:00, 2026-11-24 09:05:00\n    section Wave 2 (contract migrations)\n"));
    assert!(gantt.ends_with("    a :w2_a, 2026-11-24 09:05:00, 2026-11-24 09:06:00\n"));
    assert!(!gantt.contains("bake"));
}
