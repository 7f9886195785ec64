//! risk, strategy, govern, log append, log verify.

use crate::{error_line, Dir};

const CHANGE_YAML: &str = "\
id: CHG-1
author: ana
services: [api]
deployer: bo
lines_added: 1200
files_changed: 30
approvals:
  - {by: ana, role: peer, at: \"2026-03-02T10:00:00Z\"}
  - {by: bo, role: peer, at: \"2026-03-02T11:00:00Z\"}
";

#[test]
fn risk_reports_factors_and_fails_on_a_level() {
    let dir = Dir::new("risk");
    let change = dir.file("change.yaml", CHANGE_YAML);
    let run = dir.run(&["risk", &change], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let risk = run.json();
    let level = risk["level"].as_str().unwrap().to_string();
    assert!(!risk["factors"].as_array().unwrap().is_empty());
    // --fail-on: exit 1 at or above the level, 0 below.
    assert_eq!(
        dir.run(&["risk", &change, "--fail-on", &level], None).code,
        1
    );
    assert_eq!(
        dir.run(&["risk", &change, "--fail-on", "low"], None).code,
        1
    );
    if level != "critical" {
        assert_eq!(
            dir.run(&["risk", &change, "--fail-on", "critical"], None)
                .code,
            0
        );
    }
    let text = dir.run(&["risk", &change, "--format", "text"], None);
    assert!(
        text.stdout.starts_with(&format!("risk: {level} (score ")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("- [no_plan] no plan given"),
        "{}",
        text.stdout
    );
    let negative = dir.file(
        "neg.json",
        r#"{"id": "c", "author": "a", "services": ["x"], "lines_added": -5}"#,
    );
    let run = dir.run(&["risk", &negative], None);
    assert_eq!(run.code, 5);
    let (code, path, _) = error_line(&run);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("negative_size", "/lines_added")
    );
}

#[test]
fn strategy_takes_the_risk_output_as_its_risk() {
    let dir = Dir::new("strategy");
    let change = dir.file("change.yaml", CHANGE_YAML);
    let risk = dir.run(&["risk", &change], None);
    let risk = dir.file("risk.json", &risk.stdout);
    let service = dir.file("service.json", r#"{"id": "api", "traffic_routing": true}"#);
    let run = dir.run(
        &["strategy", &service, "--change", &change, "--risk", &risk],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    assert_eq!(out["options"].as_array().unwrap().len(), 3);
    let text = dir.run(
        &[
            "strategy", &service, "--change", &change, "--format", "text",
        ],
        None,
    );
    assert_eq!(text.code, 0);
    assert!(text.stdout.starts_with("strategy: "), "{}", text.stdout);
    assert!(text.stdout.contains("canary (score "), "{}", text.stdout);
    let bad = dir.file("bad.json", r#"{"id": "api", "spare_capacity": "lots"}"#);
    let run = dir.run(&["strategy", &bad, "--change", &change], None);
    assert_eq!(
        (run.code, error_line(&run).1.as_str()),
        (5, "/spare_capacity")
    );
}

#[test]
fn govern_exits_1_when_denied_and_0_when_allowed() {
    let dir = Dir::new("govern");
    let change = dir.file("change.yaml", CHANGE_YAML);
    let policy = dir.file("policy.json", r#"{"rules": [{"approvals": 1}]}"#);
    let run = dir.run(
        &[
            "govern",
            &change,
            "--policy",
            &policy,
            "--risk-level",
            "low",
            "--format",
            "text",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("allowed: no (change CHG-1, risk low, approvers: bo)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  - [deployer_sole_approver] "),
        "{}",
        run.stdout
    );
    let other = dir.file(
        "other.yaml",
        &CHANGE_YAML.replace("deployer: bo", "deployer: cy"),
    );
    let run = dir.run(
        &["govern", &other, "--policy", &policy, "--risk-level", "low"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["allowed"], true);
    let bad = dir.file(
        "bad.json",
        r#"{"rules": [{"approvals": 1, "compliance": ["sox"]}]}"#,
    );
    let run = dir.run(
        &["govern", &other, "--policy", &bad, "--risk-level", "low"],
        None,
    );
    let (code, path, _) = error_line(&run);
    assert_eq!(
        (run.code, code.as_str(), path.as_str()),
        (5, "unknown_compliance_tag", "policy/rules/0/compliance/0")
    );
    assert_eq!(
        dir.run(&["govern", &other, "--policy", &policy], None).code,
        2
    );
}

#[test]
fn log_append_chains_records_and_verify_catches_tampering() {
    let dir = Dir::new("log");
    let log = dir.path("decisions.jsonl");
    let record = dir.file("record.yaml", "kind: risk\nat: \"2026-03-02T12:00:00Z\"\ninputs: {change: CHG-1}\noutputs: {level: high}\n");
    let first = dir.run(&["log", "append", &record, "--log", &log], None);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.json()["sequence"], 0);
    let second = dir.run(
        &["log", "append", "-", "--log", &log],
        Some(r#"{"kind": "deploy", "inputs": {}, "outputs": {"ok": true}}"#),
    );
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.json()["previous_hash"], first.json()["hash"]);
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);

    let run = dir.run(&["log", "verify", &log, "--format", "text"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("valid: yes (2 record(s))"),
        "{}",
        run.stdout
    );
    let checkpoint = dir.file(
        "checkpoint.json",
        &dir.run(&["log", "verify", &log], None).json()["checkpoint"].to_string(),
    );

    std::fs::write(
        &log,
        std::fs::read_to_string(&log)
            .unwrap()
            .replace("\"high\"", "\"low\""),
    )
    .unwrap();
    let run = dir.run(&["log", "verify", &log], None);
    assert_eq!(run.code, 1);
    assert_eq!(
        (
            run.json()["first_broken"].as_u64(),
            run.json()["problem"].as_str()
        ),
        (Some(0), Some("hash_mismatch"))
    );

    // Cutting the log back is caught against the checkpoint.
    let short = dir.file(
        "short.jsonl",
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    );
    let run = dir.run(
        &["log", "verify", &short, "--checkpoint", &checkpoint],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stdout);

    let broken = dir.file("broken.jsonl", "{\"sequence\": \n");
    let run = dir.run(&["log", "verify", &broken], None);
    assert_eq!(
        (run.code, error_line(&run).0.as_str()),
        (5, "invalid_input")
    );
}
