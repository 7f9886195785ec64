//! judge and watch: promote 0, rollback 1, continue 3, inconclusive 4.

use serde_json::json;

use crate::{error_line, Dir};

const CONFIG_YAML: &str = "\
metrics:
  - {name: errors, kind: count, direction: increase, critical: true}
watch: {alpha: 0.05, min_duration: 10m, min_samples: 500, max_duration: 2h}
";

fn counts(base: (u32, u32), canary: (u32, u32)) -> String {
    json!({"errors": {"baseline": {"events": base.0, "trials": base.1}, "canary": {"events": canary.0, "trials": canary.1}}})
        .to_string()
}

#[test]
fn judge_exit_codes_follow_the_decision() {
    let dir = Dir::new("judge");
    let config = dir.file("canary.yaml", CONFIG_YAML);
    let good = dir.file("good.json", &counts((1, 100_000), (2, 100_000)));
    let bad = dir.file("bad.json", &counts((1, 10_000), (300, 10_000)));
    let run = dir.run(&["judge", &config, &good], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["decision"], "promote");
    let run = dir.run(&["judge", &config, &bad, "--format", "text"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("decision: rollback"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- [critical_metric_failed] "),
        "{}",
        run.stdout
    );
    // Data on standard input.
    let run = dir.run(
        &["judge", &config, "-"],
        Some(&counts((1, 10_000), (300, 10_000))),
    );
    assert_eq!(
        (run.code, run.json()["decision"].as_str()),
        (1, Some("rollback"))
    );
    // A sample that is not a count: the canary family's code, at its path.
    let wrong = dir.file("wrong.json", r#"{"errors": {"baseline": {"events": -1, "trials": 10}, "canary": {"events": 1, "trials": 10}}}"#);
    let run = dir.run(&["judge", &config, &wrong], None);
    assert_eq!(run.code, 5);
    let (code, path, _) = error_line(&run);
    assert_eq!(code, "invalid_count");
    assert!(path.starts_with("data/errors"), "{path}");
}

#[test]
fn watch_keeps_its_state_in_a_file_between_polls() {
    let dir = Dir::new("watch");
    let config = dir.file("canary.yaml", CONFIG_YAML);
    let state = dir.path("state.json");
    let quiet = dir.file(
        "quiet.json",
        r#"{"errors": {"baseline": {"events": 2}, "canary": {"events": 2}}}"#,
    );
    let loud = dir.file(
        "loud.json",
        r#"{"errors": {"baseline": {"events": 1}, "canary": {"events": 40}}}"#,
    );
    let watch = |batch: &str, at: &str, format: &str| {
        dir.run(
            &[
                "watch", &config, "--state", &state, "--batch", batch, "--at", at, "--format",
                format,
            ],
            None,
        )
    };

    // First poll: no state file yet, so the watch starts; too early to decide.
    let run = watch(&quiet, "2026-11-26T10:00:00Z", "text");
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("decision: continue"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("state started in"), "{}", run.stdout);
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(stored["looks"], 1);

    // Second poll reads it: 40 canary errors against 1 roll back.
    let run = watch(&loud, "2026-11-26T10:01:00Z", "json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let verdict = run.json();
    assert_eq!(
        (verdict["decision"].as_str(), verdict["looks"].as_u64()),
        (Some("rollback"), Some(2))
    );
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(stored["looks"], 2);

    // A batch older than the last one is invalid input; the state is left as it was.
    let before = std::fs::read_to_string(&state).unwrap();
    let run = watch(&quiet, "2026-11-26T10:00:30Z", "json");
    assert_eq!(run.code, 5);
    assert_eq!(error_line(&run).0, "invalid_timestamp");
    assert_eq!(std::fs::read_to_string(&state).unwrap(), before);
}

#[test]
fn watch_past_its_max_duration_is_inconclusive() {
    let dir = Dir::new("watch-late");
    let config = dir.file("canary.yaml", CONFIG_YAML);
    let state = dir.path("state.json");
    let quiet = dir.file(
        "quiet.json",
        r#"{"errors": {"baseline": {"events": 2}, "canary": {"events": 2}}}"#,
    );
    for (at, code) in [("2026-11-26T10:00:00Z", 3), ("2026-11-26T13:00:00Z", 4)] {
        let run = dir.run(
            &[
                "watch", &config, "--state", &state, "--batch", &quiet, "--at", at,
            ],
            None,
        );
        assert_eq!(run.code, code, "{}{}", run.stdout, run.stderr);
    }
    let garbage = dir.file("garbage.json", r#"{"version": 999}"#);
    let run = dir.run(
        &[
            "watch",
            &config,
            "--state",
            &garbage,
            "--batch",
            &quiet,
            "--at",
            "2026-11-26T14:00:00Z",
        ],
        None,
    );
    assert_eq!(
        (run.code, error_line(&run).0.as_str()),
        (5, "incompatible_state")
    );
}
