use super::*;

fn scripts() -> Vec<MigrationScript> {
    crate::wire::from_value(serde_json::json!([
        {"version": "1", "checksum": "c1", "phase": "expand"},
        {"version": "2", "checksum": "c2", "phase": "expand"},
        {"version": "3", "checksum": "c3", "phase": "contract"},
        {"version": "4", "checksum": "c4", "phase": "expand"}
    ]))
    .unwrap()
}

fn histories(json: serde_json::Value) -> Vec<MigrationHistory> {
    crate::wire::from_value(json).unwrap()
}

fn codes(e: &EnvironmentMigrations) -> Vec<(String, Vec<String>)> {
    e.problems
        .iter()
        .map(|r| (r.code.clone(), r.subjects.clone()))
        .collect()
}

#[test]
fn reports_every_problem_kind() {
    let h = histories(serde_json::json!([
        {"environment": "staging", "applied": [
            {"version": "1", "checksum": "c1"}, {"version": "3", "checksum": "c3"}]},
        {"environment": "prod", "applied": [
            {"version": "1", "checksum": "old"}, {"version": "2", "checksum": "c2"},
            {"version": "1.5", "checksum": "x"}]}
    ]));
    let plan = plan_migrations(&scripts(), &h).unwrap();
    assert!(!plan.valid);
    let staging = &plan.environments[0];
    assert_eq!(staging.applied, ["1", "3"]);
    assert_eq!(staging.pending, ["2", "4"]);
    let s = |a: &str, b: &str| (a.to_string(), vec![b.to_string(), "staging".to_string()]);
    assert_eq!(
        codes(staging),
        [s("gap", "2"), s("contract_before_expand", "3")]
    );
    let prod = &plan.environments[1];
    let p = |code: &str, v: &str| (code.to_string(), vec![v.to_string(), "prod".to_string()]);
    assert_eq!(
        codes(prod),
        [
            p("checksum_mismatch", "1"),
            p("not_applied_upstream", "2"),
            p("missing_script", "1.5")
        ]
    );
    assert_eq!(prod.pending, ["3", "4"]);
}

#[test]
fn contracts_wait_for_their_expands_everywhere() {
    let h = histories(serde_json::json!([
        {"environment": "dev", "applied": [{"version": "1", "checksum": "c1"}, {"version": "2", "checksum": "c2"}]},
        {"environment": "staging", "applied": [{"version": "1", "checksum": "c1"}]},
        {"environment": "prod"}
    ]));
    let plan = plan_migrations(&scripts(), &h).unwrap();
    let steps: Vec<(u32, &str, &str)> = plan
        .steps
        .iter()
        .map(|s| (s.round, s.environment.as_str(), s.version.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (1, "staging", "2"),
            (1, "prod", "1"),
            (1, "prod", "2"),
            (2, "dev", "3"),
            (2, "dev", "4"),
            (2, "staging", "3"),
            (2, "staging", "4"),
            (2, "prod", "3"),
            (2, "prod", "4"),
        ]
    );
}

#[test]
fn versions_must_read_and_be_unique() {
    let mut s = scripts();
    s[3].version = "1.0".into();
    let err = plan_migrations(&s, &[]).unwrap_err();
    assert_eq!((err.code(), err.path()), ("duplicate_id", "/3/version"));
    s[3].version = "four".into();
    let err = plan_migrations(&s, &[]).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_input", "/3/version"));
    let h = histories(serde_json::json!([{"environment": "a", "applied": [
        {"version": "1", "checksum": "c1"}, {"version": "V1", "checksum": "c1"}]}]));
    let err = plan_migrations(&scripts(), &h).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("duplicate_id", "environments/0/applied/1/version")
    );
    let h = histories(serde_json::json!([{"environment": "a"}, {"environment": "a"}]));
    let err = plan_migrations(&scripts(), &h).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("duplicate_id", "environments/1/environment")
    );
}
