//! Runs the shared cross-language vectors in `tests/vectors/*.json` against
//! the Rust API. The Python and Node suites run the same files.
//!
//! A vector file is `{"cases": [case, ...]}`; a case is
//! `{"name", "function", "input": [positional args...], "expected" | "error_code", "error_path"?, "tolerance"?}`.
//! Object keys `expected` lists must match, lists must have equal length,
//! numbers match within `tolerance` (relative, default 1e-9; absolute below
//! 1e-300). In a file with `"exact": true` (or a case with `"exact": true`)
//! an object may hold no key that `expected` does not list, so a vector pins
//! the whole documented shape; elsewhere `expected` is matched as a subset.
//! `error_fields` is always a subset of the error's details.
//!
//! A case with `"scenario"` in place of `function`/`input` drives a release
//! through several `advance_release` calls (see `release.rs` for its form).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

mod common;
mod delivery;
mod environments;
mod graph;
mod release;
mod risk;
mod rollout;
mod verdict;
mod window;

use serde_json::{json, Value};

/// Calls a public function by its snake_case name with positional JSON args,
/// the way the Python and Node bindings do. Each area's module answers for
/// its own functions.
fn call(function: &str, input: &[Value]) -> rollgate::Result<Value> {
    graph::call(function, input)
        .or_else(|| window::call(function, input))
        .or_else(|| rollout::call(function, input))
        .or_else(|| verdict::call(function, input))
        .or_else(|| risk::call(function, input))
        .or_else(|| release::call(function, input))
        .or_else(|| environments::call(function, input))
        .or_else(|| delivery::call(function, input))
        .unwrap_or_else(|| panic!("vector names unknown function {function}"))
}

fn matches(
    expected: &Value,
    actual: &Value,
    tol: f64,
    exact: bool,
    at: &str,
) -> Result<(), String> {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            let scale = e.abs().max(a.abs());
            if e == a || (e - a).abs() <= tol * scale || (scale < 1e-300 && (e - a).abs() < 1e-300)
            {
                Ok(())
            } else {
                Err(format!("{at}: expected {e}, got {a}"))
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a
                    .get(k)
                    .ok_or_else(|| format!("{at}/{k}: missing in {actual}"))?;
                matches(ev, av, tol, exact, &format!("{at}/{k}"))?;
            }
            if exact {
                if let Some(extra) = a.keys().find(|k| !e.contains_key(*k)) {
                    return Err(format!("{at}/{extra}: not in the expected value"));
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{at}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, tol, exact, &format!("{at}/{i}"))?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at}: expected {e}, got {a}")),
    }
}

#[test]
fn shared_vectors() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count_cases = 0;
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let file_exact = doc.get("exact").and_then(Value::as_bool).unwrap_or(false);
        for case in doc["cases"].as_array().unwrap() {
            count_cases += 1;
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                case["name"]
            );
            if let Some(s) = case.get("scenario") {
                let exact = case
                    .get("exact")
                    .and_then(Value::as_bool)
                    .unwrap_or(file_exact);
                failures.extend(run_scenario(&name, s, exact));
                continue;
            }
            let function = case["function"].as_str().unwrap();
            let input = case["input"].as_array().unwrap();
            let tol = case
                .get("tolerance")
                .and_then(Value::as_f64)
                .unwrap_or(1e-9);
            let exact = case
                .get("exact")
                .and_then(Value::as_bool)
                .unwrap_or(file_exact);
            match (call(function, input), case.get("error_code")) {
                (Ok(actual), None) => {
                    if let Err(msg) = matches(&case["expected"], &actual, tol, exact, "") {
                        failures.push(format!("{name}: {msg}"));
                    }
                }
                (Ok(actual), Some(code)) => {
                    failures.push(format!("{name}: expected error {code}, got {actual}"))
                }
                (Err(err), Some(code)) => {
                    let details = Value::Object(err.details());
                    if json!(err.code()) != *code {
                        failures.push(format!("{name}: expected error {code}, got {err}"));
                    } else if let Some(path) = case.get("error_path") {
                        if json!(err.path()) != *path {
                            failures
                                .push(format!("{name}: expected path {path}, got {}", err.path()));
                        }
                    }
                    if let Some(fields) = case.get("error_fields") {
                        if let Err(msg) = matches(fields, &details, tol, false, "") {
                            failures.push(format!("{name}: error fields: {msg}"));
                        }
                    }
                }
                (Err(err), None) => failures.push(format!("{name}: unexpected error {err}")),
            }
        }
    }
    assert!(count_cases > 0, "no vectors found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {count_cases} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs a scenario case; its failures.
fn run_scenario(name: &str, s: &Value, exact: bool) -> Vec<String> {
    let outcomes = match release::scenario(s) {
        Ok(o) => o,
        Err(err) => return vec![format!("{name}: start_release failed: {err}")],
    };
    let mut failures = Vec::new();
    for (i, (c, outcome)) in s["calls"]
        .as_array()
        .unwrap()
        .iter()
        .zip(outcomes)
        .enumerate()
    {
        let at = format!("{name} call {i}");
        match (outcome, c.get("error_code")) {
            (Ok(actual), None) => {
                if let Err(msg) = matches(&c["expected"], &actual, 1e-9, exact, "") {
                    failures.push(format!("{at}: {msg}"));
                }
            }
            (Ok(actual), Some(code)) => {
                failures.push(format!("{at}: expected error {code}, got {actual}"))
            }
            (Err(err), Some(code)) => {
                if json!(err.code()) != *code {
                    failures.push(format!("{at}: expected error {code}, got {err}"));
                } else if let Some(path) = c.get("error_path") {
                    if json!(err.path()) != *path {
                        failures.push(format!("{at}: expected path {path}, got {}", err.path()));
                    }
                }
            }
            (Err(err), None) => failures.push(format!("{at}: unexpected error {err}")),
        }
    }
    failures
}

#[test]
fn exact_matching_rejects_keys_the_vector_does_not_list() {
    let expected = json!({"a": 1, "b": [{"c": 2}]});
    let actual = json!({"a": 1, "b": [{"c": 2, "d": 3}]});
    assert!(matches(&expected, &actual, 1e-9, false, "").is_ok());
    let err = matches(&expected, &actual, 1e-9, true, "").unwrap_err();
    assert_eq!(err, "/b/0/d: not in the expected value");
    assert!(matches(&actual, &actual, 1e-9, true, "").is_ok());
}
