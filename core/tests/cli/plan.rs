//! order, blast, schedule, rollout, rollback, gantt, window.

use serde_json::json;

use crate::{error_line, Dir};

pub const PLAN_YAML: &str = "\
name: checkout
services:
  - {id: postgres, deploy_duration: 10m, stateful: true}
  - {id: payments, depends_on: [postgres], deploy_duration: 4m}
  - {id: storefront, depends_on: [payments], deploy_duration: 3m, customer_facing: true}
";

const REGIONS_YAML: &str = "\
name: checkout
services:
  - {id: db, deploy_duration: 10m}
  - {id: api, depends_on: [db], deploy_duration: 5m}
regions:
  - {id: us-east, traffic_share: 0.5, pair: us-west}
  - {id: us-west, traffic_share: 0.3, pair: us-east}
  - {id: eu-canary, traffic_share: 0.05, tier: canary}
rollout: {bake_time: 1h}
";

const CALENDAR_YAML: &str = "\
time_zone: Europe/Berlin
allow:
  - {days: [mon, tue, wed, thu], start: \"09:00\", end: \"17:00\"}
deny:
  - {from: \"2026-12-20T00:00:00+01:00\", to: \"2027-01-04T00:00:00+01:00\", reason: year-end freeze}
";

#[test]
fn order_reads_yaml_and_stdin_and_prints_canonical_json() {
    let dir = Dir::new("order");
    let plan = dir.file("plan.yaml", PLAN_YAML);
    let run = dir.run(&["order", &plan], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    assert_eq!(
        out["waves"],
        json!([["postgres"], ["payments"], ["storefront"]])
    );
    assert_eq!(
        out["rollback_waves"],
        json!([["storefront"], ["payments"], ["postgres"]])
    );
    assert_eq!(out["critical_path"]["makespan_seconds"], 17 * 60);
    // Canonical: one line, keys sorted, the same bytes as the library's canonical form.
    assert_eq!(
        run.stdout,
        format!("{}\n", rollgate::changelog::canonical_json(&out))
    );
    // The same plan as JSON on standard input gives the same bytes.
    let as_json = serde_json::to_string(&plan_json()).unwrap();
    let stdin = dir.run(&["order", "-"], Some(&as_json));
    assert_eq!((stdin.code, &stdin.stdout), (0, &run.stdout));
    // Pretty: same keys and order, indented.
    let pretty = dir.run(&["order", &plan, "--pretty"], None);
    assert!(
        pretty.stdout.starts_with("{\n  \"critical_path\": {\n"),
        "{}",
        pretty.stdout
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&pretty.stdout).unwrap(),
        out
    );
    let text = dir.run(&["order", &plan, "--format", "text"], None);
    assert!(
        text.stdout
            .contains("  1. postgres\n  2. payments\n  3. storefront\n"),
        "{}",
        text.stdout
    );
    assert!(text
        .stdout
        .contains("critical path: postgres -> payments -> storefront (1020 s)"));
    assert!(!text.stdout.contains("findings"), "{}", text.stdout);
}

#[test]
fn order_text_names_services_without_a_deploy_duration() {
    let dir = Dir::new("order-untimed");
    let plan = dir.file(
        "plan.json",
        r#"{"name": "p", "services": [{"id": "db", "deploy_duration": "5m"}, {"id": "api", "depends_on": ["db"]}]}"#,
    );
    let run = dir.run(&["order", &plan], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["findings"][0]["subjects"], json!(["api"]));
    let text = dir.run(&["order", &plan, "--format", "text"], None);
    assert!(
        text.stdout.contains(
            "findings:\n  - [zero_deploy_duration] api has no deploy_duration (or 0): its deployments take no time in these timings (api)\n"
        ),
        "{}",
        text.stdout
    );
}

/// [`PLAN_YAML`] as JSON, written out by hand.
fn plan_json() -> serde_json::Value {
    json!({"name": "checkout", "services": [
        {"id": "postgres", "deploy_duration": "10m", "stateful": true},
        {"id": "payments", "depends_on": ["postgres"], "deploy_duration": "4m"},
        {"id": "storefront", "depends_on": ["payments"], "deploy_duration": "3m", "customer_facing": true}]})
}

#[test]
fn an_invalid_plan_exits_5_with_code_and_path_on_stderr() {
    let dir = Dir::new("order-bad");
    let plan = dir.file(
        "plan.json",
        r#"{"name": "p", "services": [{"id": "a"}, {"id": "b"}, {"id": "c", "deploy_duration": "5x"}]}"#,
    );
    let run = dir.run(&["order", &plan], None);
    assert_eq!(run.code, 5);
    assert_eq!(run.stdout, "");
    let (code, path, message) = error_line(&run);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("invalid_duration", "/services/2/deploy_duration")
    );
    assert!(message.starts_with("invalid duration \"5x\""), "{message}");
    let cycle = dir.file(
        "cycle.json",
        r#"{"name": "p", "services": [{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]}]}"#,
    );
    let run = dir.run(&["order", &cycle], None);
    assert_eq!(run.code, 5);
    assert_eq!(error_line(&run).0, "dependency_cycle");
}

#[test]
fn blast_reports_the_requested_services() {
    let dir = Dir::new("blast");
    let plan = dir.file("plan.yaml", PLAN_YAML);
    let run = dir.run(&["blast", &plan, "--service", "postgres"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    assert_eq!(
        out["services"][0]["dependents"],
        json!(["payments", "storefront"])
    );
    assert_eq!(out["services"][0]["customer_facing_dependents"], 1);
    let unknown = dir.run(&["blast", &plan, "--service", "nope"], None);
    assert_eq!(
        (unknown.code, error_line(&unknown).0.as_str()),
        (5, "unknown_service")
    );
    let text = dir.run(&["blast", &plan, "--format", "text"], None);
    assert!(text
        .stdout
        .contains("postgres: 2 dependent(s), 1 customer-facing: payments, storefront"));
}

#[test]
fn schedule_respects_max_parallel_and_checks_it() {
    let dir = Dir::new("schedule");
    let plan = dir.file("plan.yaml", PLAN_YAML);
    let run = dir.run(&["schedule", &plan, "--max-parallel", "2"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["makespan_seconds"], 1020);
    let zero = dir.run(&["schedule", &plan, "--max-parallel", "0"], None);
    assert_eq!(zero.code, 5);
    assert_eq!(error_line(&zero).0, "invalid_input");
    assert_eq!(error_line(&zero).1, "max_parallel");
    assert_eq!(
        dir.run(&["schedule", &plan, "--max-parallel", "two"], None)
            .code,
        2
    );
}

#[test]
fn rollout_rollback_and_gantt_chain_through_files_and_stdin() {
    let dir = Dir::new("rollout");
    let plan = dir.file("plan.yaml", REGIONS_YAML);
    let run = dir.run(&["rollout", &plan, "--start", "2026-11-24T09:00:00Z"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schedule = run.json();
    let waves: Vec<_> = schedule["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["regions"].clone())
        .collect();
    assert_eq!(
        waves,
        [json!(["eu-canary"]), json!(["us-west"]), json!(["us-east"])]
    );
    let text = dir.run(
        &[
            "rollout",
            &plan,
            "--start",
            "2026-11-24T09:00:00Z",
            "--format",
            "text",
        ],
        None,
    );
    assert!(text.stdout.contains("[pair_separated]"), "{}", text.stdout);
    let bad = dir.run(&["rollout", &plan, "--start", "tomorrow"], None);
    assert_eq!(error_line(&bad).0, "invalid_timestamp");

    // The schedule on standard input.
    let gantt = dir.run(&["gantt", "-"], Some(&run.stdout));
    assert_eq!(gantt.code, 0, "{}", gantt.stderr);
    assert!(gantt.json().as_str().unwrap().starts_with("gantt\n"));
    let gantt_text = dir.run(&["gantt", "-", "--format", "text"], Some(&run.stdout));
    assert!(gantt_text
        .stdout
        .starts_with("gantt\n    title checkout rollout"));

    let saved = dir.file("schedule.json", &run.stdout);
    let back = dir.run(&["rollback", &saved, "--step", "us-west/api"], None);
    assert_eq!(back.code, 0, "{}", back.stderr);
    let back = back.json();
    assert_eq!(back["recommendation"], "roll_back");
    let first = &back["undo"][0];
    assert_eq!(
        (&first["region"], &first["service"], &first["state"]),
        (&json!("us-west"), &json!("api"), &json!("in_flight"))
    );
    let unknown = dir.run(&["rollback", &saved, "--step", "mars/api"], None);
    assert_eq!(
        (unknown.code, error_line(&unknown).0.as_str()),
        (5, "unknown_step")
    );
    assert_eq!(
        dir.run(&["rollback", &saved, "--step", "no-slash"], None)
            .code,
        2
    );
    assert_eq!(dir.run(&["rollback", &saved], None).code, 2);
}

#[test]
fn window_exits_0_when_allowed_and_1_when_not() {
    let dir = Dir::new("window");
    let calendar = dir.file("calendar.yaml", CALENDAR_YAML);
    let open = dir.run(
        &[
            "window",
            &calendar,
            "--at",
            "2026-11-24T10:00:00+01:00",
            "--duration",
            "45m",
        ],
        None,
    );
    assert_eq!(open.code, 0, "{}", open.stderr);
    assert_eq!(open.json()["allowed"], true);
    let frozen = dir.run(
        &[
            "window",
            &calendar,
            "--at",
            "2026-12-22T10:00:00+01:00",
            "--duration",
            "45m",
            "--format",
            "text",
        ],
        None,
    );
    assert_eq!(frozen.code, 1);
    assert!(
        frozen
            .stdout
            .starts_with("allowed: no; next allowed start: 2027-01-04T09:00:00+01:00\n"),
        "{}",
        frozen.stdout
    );
    assert!(
        frozen
            .stdout
            .contains("- [deny_window] deny window deny/0 (year-end freeze)"),
        "{}",
        frozen.stdout
    );
    let next = dir.run(
        &[
            "window",
            &calendar,
            "--at",
            "2026-12-22T10:00:00+01:00",
            "--duration",
            "45m",
            "--next",
        ],
        None,
    );
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_eq!(
        next.json(),
        json!({"start": "2027-01-04T09:00:00+01:00", "end": "2027-01-04T09:45:00+01:00"})
    );
    let bad = dir.run(
        &[
            "window",
            &calendar,
            "--at",
            "2026-11-24T10:00:00+01:00",
            "--duration",
            "soon",
        ],
        None,
    );
    assert_eq!(bad.code, 5);
    assert_eq!(error_line(&bad).0, "invalid_duration");
    assert_eq!(error_line(&bad).1, "duration");
}
