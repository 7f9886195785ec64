//! Region and policy checks, and their errors.

use super::*;

#[test]
fn region_cycle_reports_a_cycle_through_the_smallest_member() {
    let err = schedule(
        r#"{"name": "p", "services": [], "regions": [
            {"id": "c", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]},
            {"id": "a", "depends_on": ["c"]}, {"id": "d", "depends_on": ["a"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "/regions/2/depends_on/0");
    match err.kind() {
        ErrorKind::Plan(PlanError::RegionCycle { cycle, members }) => {
            assert_eq!(cycle, &["a", "c", "b", "a"]);
            assert_eq!(members, &["a", "b", "c"]);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn self_pair_is_asymmetric_and_self_dependency_a_cycle() {
    let err = schedule(r#"{"name": "p", "services": [], "regions": [{"id": "a", "pair": "a"}]}"#)
        .unwrap_err();
    assert_eq!(err.code(), "asymmetric_pair");
    let err = schedule(
        r#"{"name": "p", "services": [], "regions": [{"id": "b"}, {"id": "a", "depends_on": ["b", "a"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("region_cycle", "/regions/1/depends_on/1")
    );
}

#[test]
fn an_unknown_first_wave_region_is_named_as_the_policy_s() {
    let err = schedule(
        r#"{"name": "p", "services": [], "regions": [{"id": "a"}],
            "rollout": {"first_wave": ["a", "zz"]}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_region", "/rollout/first_wave/1")
    );
    assert_eq!(
        err.message(),
        "`rollout.first_wave` names unknown region `zz`"
    );
    assert_eq!(err.details()["region"], serde_json::Value::Null);
    let err = schedule(r#"{"name": "p", "services": [], "regions": [{"id": "a", "pair": "zz"}]}"#)
        .unwrap_err();
    assert_eq!(err.message(), "region `a` refers to unknown region `zz`");
}

#[test]
fn services_may_not_depend_on_a_contract_migration_nor_have_zero_groups() {
    let err = schedule(
        r#"{"name": "p", "services": [{"id": "drop", "migration": {"phase": "contract"}},
              {"id": "app", "depends_on": ["drop"]}], "regions": [{"id": "a"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("contract_dependency", "/services/1/depends_on/0")
    );
    // A contract migration may depend on another.
    assert!(schedule(
        r#"{"name": "p", "services": [{"id": "d1", "migration": {"phase": "contract"}},
              {"id": "d2", "depends_on": ["d1"], "migration": {"phase": "contract"}}], "regions": [{"id": "a"}]}"#,
    )
    .is_ok());
    let err = schedule(
        r#"{"name": "p", "services": [{"id": "db", "stateful": true, "instance_groups": 0}], "regions": [{"id": "a"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_input", "/services/0/instance_groups")
    );
}

#[test]
fn policy_and_region_checks() {
    let cases = [
        (
            r#""regions": [{"id": "a"}], "rollout": {"growth_factor": 0.99}"#,
            "invalid_input",
            "/rollout/growth_factor",
        ),
        (
            r#""regions": [{"id": "a"}], "rollout": {"max_concurrent_regions": 0}"#,
            "invalid_input",
            "/rollout/max_concurrent_regions",
        ),
        (
            r#""regions": [{"id": "a"}], "rollout": {"max_traffic_per_wave": 0}"#,
            "invalid_traffic_share",
            "/rollout/max_traffic_per_wave",
        ),
        (
            r#""regions": [{"id": "a"}], "rollout": {"max_traffic_per_wave": 1.01}"#,
            "invalid_traffic_share",
            "/rollout/max_traffic_per_wave",
        ),
        (r#""regions": []"#, "invalid_input", "/regions"),
        (
            r#""regions": [{"id": ""}]"#,
            "invalid_input",
            "/regions/0/id",
        ),
        (
            r#""regions": [{"id": "a"}, {"id": "a"}]"#,
            "duplicate_id",
            "/regions/1/id",
        ),
        (
            r#""regions": [{"id": "a", "traffic_share": 1.5}]"#,
            "invalid_traffic_share",
            "/regions/0/traffic_share",
        ),
        (
            r#""regions": [{"id": "a", "traffic_share": 0.6}, {"id": "b", "traffic_share": 0.41}]"#,
            "invalid_traffic_share",
            "/regions",
        ),
        (
            r#""regions": [{"id": "a"}], "calendar": "none""#,
            "unknown_calendar",
            "/calendar",
        ),
        (
            r#""regions": [{"id": "a", "calendar": "none"}], "calendars": {"x": {}}"#,
            "unknown_calendar",
            "/regions/0/calendar",
        ),
        (
            r#""regions": [{"id": "a", "pair": "b"}, {"id": "b", "pair": "c"}, {"id": "c", "pair": "b"}]"#,
            "asymmetric_pair",
            "/regions/0/pair",
        ),
        (
            r#""regions": [{"id": "a", "depends_on": ["x"]}]"#,
            "unknown_region",
            "/regions/0/depends_on/0",
        ),
        (
            r#""regions": [{"id": "a"}], "calendars": {"a/b": {"time_zone": "Nowhere"}}"#,
            "invalid_time_zone",
            "/calendars/a~1b/time_zone",
        ),
    ];
    for (regions, code, path) in cases {
        let err = schedule(&format!(r#"{{"name": "p", "services": [], {regions}}}"#)).unwrap_err();
        assert_eq!((err.code(), err.path()), (code, path), "{regions}");
    }
    // Shares adding up to exactly 1 are fine, as are zero caps on nothing.
    assert!(schedule(r#"{"name": "p", "services": [], "regions": [{"id": "a", "traffic_share": 0.6}, {"id": "b", "traffic_share": 0.4}], "rollout": {"max_traffic_per_wave": 1, "growth_factor": 1}}"#).is_ok());
    // A region's zone, else its calendar's, reports its steps.
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "x", "deploy_duration": 60}],
            "regions": [{"id": "a", "calendar": "tokyo"}, {"id": "b", "calendar": "tokyo", "time_zone": "Europe/Berlin"}],
            "calendars": {"tokyo": {"time_zone": "Asia/Tokyo"}}, "rollout": {"growth_factor": 1}}"#,
    )
    .unwrap();
    assert_eq!(s.waves[0].steps[0].start, "2026-11-24T18:00:00+09:00");
    // An unrestricted calendar never makes a region wait.
    assert!(s.waves.iter().all(|w| w.waits.is_empty()));
    assert_eq!(s.waves[1].steps[0].start, "2026-11-24T10:01:00+01:00");
    assert_eq!(s.waves[1].start, "2026-11-24T09:01:00+00:00");
}

#[test]
fn a_region_cycle_points_at_the_dependency_that_closes_it() {
    let err = schedule(
        r#"{"name": "p", "services": [], "regions": [
            {"id": "x"}, {"id": "a", "depends_on": ["x", "b"]}, {"id": "b", "depends_on": ["a"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "/regions/1/depends_on/1");
    match err.kind() {
        ErrorKind::Plan(PlanError::RegionCycle { cycle, members }) => {
            assert_eq!(cycle, &["a", "b", "a"]);
            assert_eq!(members, &["a", "b"]);
        }
        other => panic!("{other}"),
    }
}
