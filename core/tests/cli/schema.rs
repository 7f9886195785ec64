//! schema: the list of documents, one document's schema, an unknown name.

use serde_json::{json, Value};

use crate::{error_line, Dir};

/// A committed file of core/schema, parsed.
fn committed(file: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn without_a_name_it_lists_every_document_of_the_index() {
    let dir = Dir::new("schema-list");
    let run = dir.run(&["schema"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: Vec<Value> = committed("index.json")["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!({"name": d["name"], "direction": d["direction"], "title": d["title"]}))
        .collect();
    assert!(expected.len() > 70, "{} documents", expected.len());
    assert_eq!(run.json(), Value::Array(expected));
    assert!(run
        .json()
        .as_array()
        .unwrap()
        .contains(&json!({"name": "release_state", "direction": "both", "title": "ReleaseState"})));

    let text = dir.run(&["schema", "--format", "text"], None);
    assert_eq!(text.code, 0);
    let plan = text
        .stdout
        .lines()
        .find(|l| l.starts_with("plan "))
        .unwrap();
    assert_eq!(
        plan.split_whitespace().collect::<Vec<_>>(),
        ["plan", "input", "Plan"]
    );
    // Aligned columns: every direction starts in the same column.
    let columns: Vec<usize> = text
        .stdout
        .lines()
        .map(|l| {
            let name_end = l.find(' ').unwrap();
            name_end + l[name_end..].find(|c: char| c != ' ').unwrap()
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", text.stdout);
}

#[test]
fn with_a_name_it_prints_that_schema_as_committed() {
    let dir = Dir::new("schema-show");
    for (name, file) in [
        ("plan", "plan.json"),
        ("release_events", "release_events.json"),
        ("release_state.output", "release_state.output.json"),
        ("dora_report.json", "dora_report.json"),
    ] {
        let run = dir.run(&["schema", name], None);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        // Canonical JSON, as every result (`0.0` is written `0`).
        let expected = rollgate::changelog::canonical_json(&committed(file));
        assert_eq!(run.stdout.trim_end(), expected, "{name}");
    }
    let text = dir.run(&["schema", "plan", "--format", "text"], None);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.starts_with("Plan (input, plan.json)\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("  name (required): "),
        "{}",
        text.stdout
    );
    assert!(text
        .stdout
        .contains("reference: core/schema/reference/plan.md"));
}

#[test]
fn an_unknown_name_is_invalid_input_naming_it() {
    let dir = Dir::new("schema-unknown");
    for name in ["release_plan", "plan.output"] {
        let run = dir.run(&["schema", name], None);
        assert_eq!(run.code, 5, "{name}: {}", run.stdout);
        assert_eq!(run.stdout, "");
        let (code, path, message) = error_line(&run);
        assert_eq!((code.as_str(), path.as_str()), ("invalid_input", name));
        assert!(message.contains(&format!("`{name}`")), "{message}");
    }
}
