//! validate: every problem with its path, exit 0 when valid and 5 when not.

use serde_json::json;

use crate::{Dir, Run};

fn problems(run: &Run) -> Vec<(String, String)> {
    run.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_valid_plan_exits_0() {
    let dir = Dir::new("valid");
    let plan = dir.file("plan.yaml", crate::plan::PLAN_YAML);
    let run = dir.run(&["validate", &plan], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json(),
        json!({"kind": "plan", "valid": true, "complete": true, "problems": []})
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn every_problem_of_a_plan_is_reported_with_its_path() {
    let dir = Dir::new("invalid");
    let plan = dir.file(
        "plan.yaml",
        "\
name: 5
services:
  - {id: a, deploy_duration: 1q}
  - {depends_on: [a]}
  - {id: c, depends_on: [b, a], colour: red}
  - {id: d, depends_on: [e]}
  - {id: e, depends_on: [d]}
  - {id: a}
  - 7
rollout: {bake_time: soon}
",
    );
    let run = dir.run(&["validate", &plan], None);
    assert_eq!(run.code, 5, "{}", run.stderr);
    let mut found = problems(&run);
    found.sort();
    let mut expected: Vec<(String, String)> = [
        ("invalid_input", "/name"),
        ("invalid_duration", "/services/0/deploy_duration"),
        ("invalid_input", "/services/1"),
        ("unknown_field", "/services/2/colour"),
        ("unknown_dependency", "/services/2/depends_on/0"),
        ("dependency_cycle", "/services/3/depends_on/0"),
        ("duplicate_id", "/services/5/id"),
        ("invalid_input", "/services/6"),
        ("invalid_duration", "/rollout/bake_time"),
    ]
    .iter()
    .map(|(c, p)| (c.to_string(), p.to_string()))
    .collect();
    expected.sort();
    assert_eq!(found, expected, "{}", run.stdout);
    assert_eq!(run.json()["complete"], true);
    // Each also as one machine-readable line on stderr.
    assert_eq!(run.stderr.lines().count(), expected.len());
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("error: unknown_dependency at /services/2/depends_on/0: ")),
        "{}",
        run.stderr
    );
    let text = dir.run(&["validate", &plan, "--format", "text"], None);
    assert!(
        text.stdout.ends_with(": 9 problem(s), listed on stderr\n"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_missing_required_field_does_not_stop_the_check() {
    let dir = Dir::new("nameless");
    let run = dir.run(
        &["validate", "-"],
        Some(r#"{"services": [{"id": "a", "deploy_duration": "x"}]}"#),
    );
    assert_eq!(run.code, 5);
    let mut found = problems(&run);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "invalid_duration".to_string(),
                "/services/0/deploy_duration".to_string()
            ),
            ("invalid_input".to_string(), String::new())
        ]
    );
    assert!(
        run.stderr
            .contains("error: invalid_input at /: missing field `name`"),
        "{}",
        run.stderr
    );
}

#[test]
fn other_kinds_are_checked_by_their_own_rules() {
    let dir = Dir::new("kinds");
    let calendar = dir.file("calendar.yaml", "time_zone: Mars/Olympus\nallow:\n  - {days: [mon], start: \"25:00\", end: \"17:00\"}\n  - {days: [tue], start: \"09:00\", end: \"17:00\"}\n");
    let run = dir.run(
        &[
            "validate",
            "--kind",
            "calendar",
            &calendar,
            "--start",
            "2026-11-24T10:00:00Z",
        ],
        None,
    );
    assert_eq!(run.code, 5, "{}", run.stderr);
    let found = problems(&run);
    assert!(
        found.contains(&("invalid_time_zone".into(), "/time_zone".into())),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(_, p)| p.starts_with("/allow/0")),
        "{found:?}"
    );

    let policy = dir.file(
        "policy.json",
        r#"{"rules": [{"approvals": 1, "compliance": ["sox", "pci"]}], "colour": 1}"#,
    );
    let run = dir.run(&["validate", "--kind", "policy", &policy], None);
    let mut found = problems(&run);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "unknown_compliance_tag".to_string(),
                "/rules/0/compliance/0".to_string()
            ),
            (
                "unknown_compliance_tag".to_string(),
                "/rules/0/compliance/1".to_string()
            ),
            ("unknown_field".to_string(), "/colour".to_string()),
        ]
    );

    let config = dir.file("canary.json", r#"{"metrics": [{"name": "a", "kind": "sideways"}, {"name": "b", "direction": "increase"}]}"#);
    let run = dir.run(&["validate", "--kind", "canary-config", &config], None);
    assert_eq!(run.code, 5);
    assert!(
        problems(&run)
            .iter()
            .all(|(_, p)| p.starts_with("/metrics/0")),
        "{}",
        run.stdout
    );

    let record = dir.file(
        "record.json",
        r#"{"kind": "risk", "inputs": {}, "outputs": {}}"#,
    );
    assert_eq!(
        dir.run(&["validate", "--kind", "record", &record], None)
            .code,
        0
    );

    // A document that is not YAML at all is one problem, naming the file.
    let broken = dir.file("broken.yaml", "services: [\n");
    let run = dir.run(&["validate", &broken], None);
    assert_eq!(run.code, 5);
    assert_eq!(run.json()["complete"], false);
    assert_eq!(problems(&run)[0].1, broken);
}
