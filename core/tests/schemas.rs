//! The JSON Schemas hold to rollgate's readers and writers, checked with an
//! independent validator (the `jsonschema` crate):
//!
//! - every document argument of every case in `tests/vectors/*.json` that
//!   rollgate accepts is accepted by its schema, and every one rejected as an
//!   unknown field or an unreadable duration or timestamp is rejected;
//! - every result of those cases (run again through the binding layer) and
//!   every error's details match their output schemas, and a document that
//!   is written and read back (a schedule, a watch state, a release state)
//!   also matches the schema it is read with; a release scenario runs as its
//!   calls, each `advance_release` with the state the previous one wrote;
//! - an extra field put into any object of any accepted document is
//!   rejected by the schema exactly when the reader rejects it;
//! - the duration and timestamp grammars accept and reject the same strings
//!   as their readers, but for the few differences the schemas' own
//!   descriptions state.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use jsonschema::Validator;
use rollgate::ffi::{call, function, Failure, JsonHost};
use rollgate::schema::{Direction, Document, DOCUMENTS};
use serde_json::{json, Value};

fn validator(schema: &Value) -> Validator {
    jsonschema::draft202012::new(schema).expect("a valid draft 2020-12 schema")
}

thread_local! {
    /// Validators by document name and contract, built once per test thread.
    static VALIDATORS: RefCell<HashMap<(&'static str, bool), Rc<Validator>>> =
        RefCell::new(HashMap::new());
}

fn cached(document: &'static Document, input: bool) -> Rc<Validator> {
    VALIDATORS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let entry = cache.entry((document.name, input)).or_insert_with(|| {
            let schema = if input {
                document.input_schema()
            } else {
                document.output_schema()
            };
            Rc::new(validator(&serde_json::to_value(schema).unwrap()))
        });
        Rc::clone(entry)
    })
}

fn input_validator(document: &'static Document) -> Rc<Validator> {
    cached(document, true)
}

fn output_validator(document: &'static Document) -> Rc<Validator> {
    cached(document, false)
}

/// Every case of every vector file, with the file name.
fn cases() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for case in file["cases"].as_array().unwrap() {
            let label = format!("{name}: {}", case["name"]);
            match case.get("scenario") {
                Some(scenario) => out.extend(scenario_calls(&label, scenario)),
                None => out.push((label, case.clone())),
            }
        }
    }
    assert!(out.len() > 300, "the vectors are where they should be");
    out
}

/// A scenario case (`tests/vectors/release.json`) as the calls it makes:
/// `start_release`, then each `advance_release` with the state the previous
/// call returned (a failed call leaves it as it was), each as a plain case.
fn scenario_calls(label: &str, scenario: &Value) -> Vec<(String, Value)> {
    let plan = &scenario["plan"];
    let options = scenario.get("options").cloned().unwrap_or(Value::Null);
    let start = vec![plan.clone(), scenario["start"].clone(), options];
    let mut state = run("start_release", &start).unwrap();
    let mut out = vec![(
        format!("{label} (start)"),
        json!({"function": "start_release", "input": start, "expected": "a state"}),
    )];
    for (i, call) in scenario["calls"].as_array().unwrap().iter().enumerate() {
        let input = vec![
            plan.clone(),
            state.clone(),
            call["events"].clone(),
            call["now"].clone(),
        ];
        let mut case = json!({"function": "advance_release", "input": input});
        match call.get("error_code") {
            Some(code) => {
                case["error_code"] = code.clone();
                if let Some(path) = call.get("error_path") {
                    case["error_path"] = path.clone();
                }
            }
            None => case["expected"] = json!("an update"),
        }
        if let Ok(update) = run("advance_release", &input) {
            state = update["state"].clone();
        }
        out.push((format!("{label} (call {i})"), case));
    }
    out
}

/// The documents a call reads: `(argument index, document)`.
fn read_documents(name: &str) -> Vec<(usize, &'static Document)> {
    let f = function(name).unwrap_or_else(|| panic!("unknown function {name}"));
    let mut out = Vec::new();
    for (i, param) in f.params.iter().enumerate() {
        for document in DOCUMENTS {
            if document.read_by.contains(&(name, param.name)) {
                out.push((i, document));
            }
        }
    }
    out
}

fn run(name: &str, input: &[Value]) -> Result<Value, rollgate::Error> {
    let args: Vec<&Value> = input.iter().collect();
    match call(&JsonHost::new(), function(name).unwrap(), &args) {
        Ok(value) => Ok(value),
        Err(Failure::Error(err, _)) => Err(err),
        Err(Failure::Host(never)) => match never {},
    }
}

fn messages(validator: &Validator, value: &Value) -> String {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn every_document_in_the_vectors_matches_its_schema() {
    let (mut accepted, mut rejected) = (0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for (label, case) in cases() {
        let function = case["function"].as_str().unwrap();
        let input = case["input"].as_array().unwrap();
        let params = function_params(function);
        for (i, document) in read_documents(function) {
            let Some(value) = input.get(i).filter(|v| !v.is_null()) else {
                continue;
            };
            let schema = input_validator(document);
            if case.get("expected").is_some() {
                assert!(
                    schema.is_valid(value),
                    "{label}: argument `{}` fails the {} schema: {}",
                    params[i],
                    document.name,
                    messages(&schema, value)
                );
                accepted += 1;
                seen.insert(document.name);
                continue;
            }
            // A reading failure inside this argument must fail its schema.
            let code = case["error_code"].as_str().unwrap();
            let Some(path) = case["error_path"].as_str() else {
                continue;
            };
            let in_this_argument = if i == 0 {
                path.starts_with('/') || path.is_empty()
            } else {
                path == params[i] || path.starts_with(&format!("{}/", params[i]))
            };
            let reading = [
                "unknown_field",
                "invalid_duration",
                "invalid_timestamp",
                "invalid_event",
                "incompatible_state",
            ];
            if in_this_argument
                && reading.contains(&code)
                && document.read(value.clone()).is_some_and(|r| r.is_err())
            {
                assert!(
                    !schema.is_valid(value),
                    "{label}: the {} schema accepts what the reader rejects ({code} at {path})",
                    document.name
                );
                rejected += 1;
            }
        }
    }
    assert!(
        accepted > 250 && rejected >= 5,
        "checked {accepted} accepted and {rejected} rejected documents"
    );
    let unread: Vec<_> = DOCUMENTS
        .iter()
        .filter(|d| !d.read_by.is_empty() && !seen.contains(d.name))
        .map(|d| d.name)
        .collect();
    assert!(unread.is_empty(), "no vector reads {unread:?}");
}

fn function_params(name: &str) -> Vec<&'static str> {
    function(name)
        .unwrap()
        .params
        .iter()
        .map(|p| p.name)
        .collect()
}

#[test]
fn every_result_and_error_matches_its_output_schema() {
    let error = output_validator(rollgate::schema::document("error").unwrap());
    let (mut results, mut errors) = (0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for (label, case) in cases() {
        let name = case["function"].as_str().unwrap();
        let input = case["input"].as_array().unwrap();
        match run(name, input) {
            Ok(result) => {
                for document in DOCUMENTS.iter().filter(|d| d.returned_by.contains(&name)) {
                    let written = output_validator(document);
                    assert!(
                        written.is_valid(&result),
                        "{label}: the result fails the {} output schema: {}",
                        document.name,
                        messages(&written, &result)
                    );
                    if document.direction == Direction::Both {
                        let read = input_validator(document);
                        assert!(
                            read.is_valid(&result),
                            "{label}: {} written but not readable: {}",
                            document.name,
                            messages(&read, &result)
                        );
                    }
                    results += 1;
                    seen.insert(document.name);
                }
            }
            Err(err) => {
                let details = Value::Object(err.details());
                assert!(
                    error.is_valid(&details),
                    "{label}: {details} fails the error schema: {}",
                    messages(&error, &details)
                );
                errors += 1;
            }
        }
    }
    assert!(
        results > 200 && errors > 100,
        "checked {results} results and {errors} errors"
    );
    let unwritten: Vec<_> = DOCUMENTS
        .iter()
        .filter(|d| !d.returned_by.is_empty() && !seen.contains(d.name))
        .map(|d| d.name)
        .collect();
    assert!(unwritten.is_empty(), "no vector returns {unwritten:?}");
}

/// JSON pointers of every object inside `value`.
fn object_paths(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(path.clone());
            for (key, item) in map {
                object_paths(
                    item,
                    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                object_paths(item, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn an_extra_field_fails_the_schema_exactly_where_it_fails_the_reader() {
    let (mut denied, mut allowed) = (0, 0);
    for (label, case) in cases() {
        if case.get("expected").is_none() {
            continue;
        }
        let function = case["function"].as_str().unwrap();
        let input = case["input"].as_array().unwrap();
        for (i, document) in read_documents(function) {
            let Some(value) = input.get(i).filter(|v| !v.is_null()) else {
                continue;
            };
            let schema = input_validator(document);
            let mut paths = Vec::new();
            object_paths(value, String::new(), &mut paths);
            for path in paths {
                let mut changed = value.clone();
                changed
                    .pointer_mut(&path)
                    .and_then(Value::as_object_mut)
                    .unwrap()
                    .insert("zz_extra".into(), json!("x"));
                let reader = document.read(changed.clone()).unwrap().is_ok();
                assert_eq!(
                    schema.is_valid(&changed),
                    reader,
                    "{label}: an extra field at `{path}` of {}: reader accepts: {reader}",
                    document.name
                );
                if reader {
                    allowed += 1;
                } else {
                    denied += 1;
                }
            }
        }
    }
    assert!(
        denied > 1000 && allowed > 10,
        "{denied} denied, {allowed} allowed"
    );
}

/// A validator of one definition of a document's input schema.
fn definition(document: &str, name: &str) -> Validator {
    let mut schema =
        serde_json::to_value(rollgate::schema::document(document).unwrap().input_schema()).unwrap();
    let object = schema.as_object_mut().unwrap();
    object.retain(|key, _| key == "$defs" || key == "$schema");
    object.insert("$ref".into(), json!(format!("#/$defs/{name}")));
    validator(&schema)
}

#[test]
fn durations_match_their_reader() {
    let schema = definition("plan", "Duration");
    let reads = |v: &Value| rollgate::wire::from_value::<rollgate::DurationSecs>(v.clone()).is_ok();
    let max = rollgate::wire::MAX_DURATION_SECS;
    let agree = [
        json!(0),
        json!(90),
        json!(90.0),
        json!(max),
        json!(max + 1),
        json!(-1),
        json!(1.5),
        json!(null),
        json!(true),
        json!([90]),
        json!("90"),
        json!(" 90 "),
        json!("90s"),
        json!("1h30m"),
        json!("1.5h"),
        json!("1.5m"),
        json!("2d"),
        json!("1d2h3m4s"),
        json!(".5m"),
        json!("1.m"),
        json!("0s"),
        json!(""),
        json!("   "),
        json!("s"),
        json!("5x"),
        json!("1e3"),
        json!("1e3s"),
        json!("-5s"),
        json!("1h 30m"),
        json!("1..5h"),
        json!("."),
        json!("1h30"),
        json!("ten minutes"),
        json!("１s"),
    ];
    for value in &agree {
        assert_eq!(schema.is_valid(value), reads(value), "{value}");
    }
    // What the grammar cannot say, the description does: whole seconds, the maximum.
    for value in [json!("1.5s"), json!("0.1s"), json!("40000d")] {
        assert!(schema.is_valid(&value) && !reads(&value), "{value}");
    }
}

#[test]
fn timestamps_match_their_reader() {
    let schema = definition("change", "Timestamp");
    let reads = |v: &Value| rollgate::wire::from_value::<rollgate::Timestamp>(v.clone()).is_ok();
    let agree = [
        "2026-03-08T09:00:00-04:00",
        "2026-03-08T09:00:00Z",
        "2026-03-08t09:00:00z",
        "2026-03-08T09:00:00.123456789+01:00",
        "2026-12-31T23:59:59+23:59",
        "2026-03-08 09:00:00Z",
        "2026-03-08T09:00:00",
        "2026-03-08T09:00:00+0400",
        "2026-03-08T09:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z",
        "2026-01-01T00:00:00+24:00",
        "2026-01-01T00:00:00.Z",
        " 2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z ",
        "tomorrow",
        "",
    ];
    for text in agree {
        let value = json!(text);
        assert_eq!(schema.is_valid(&value), reads(&value), "{text}");
    }
    assert!(!schema.is_valid(&json!(1_772_974_800)) && !reads(&json!(1_772_974_800)));
    // The day is checked against its month by the reader alone (as the
    // description says).
    let value = json!("2026-02-30T00:00:00Z");
    assert!(schema.is_valid(&value) && !reads(&value));
}

#[test]
fn every_document_is_listed_once_and_names_real_functions() {
    let mut names: Vec<_> = DOCUMENTS.iter().map(|d| d.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), DOCUMENTS.len());
    for document in DOCUMENTS {
        for (f, p) in document.read_by {
            assert!(
                function_params(f).contains(p),
                "{}: {f}({p})",
                document.name
            );
        }
        for f in document.returned_by {
            assert!(function(f).is_some(), "{}: {f}", document.name);
        }
        assert_eq!(
            document.read(json!(null)).is_none(),
            document.direction == Direction::Output
        );
    }
    // Every exported function's main result has a document, but for text,
    // plain lists and the debug-only panic.
    for f in rollgate::ffi::FUNCTIONS {
        let covered = DOCUMENTS.iter().any(|d| d.returned_by.contains(&f.name));
        let plain = [
            "to_mermaid_gantt",
            "adjust_p_values",
            "render_notification",
            "flag_bucket",
        ]
        .contains(&f.name);
        assert!(
            covered || plain,
            "{} returns no documented document",
            f.name
        );
    }
}

/// The JSON examples of the README marked `<!-- schema: NAME -->` are valid
/// documents: for their schema and for rollgate's reader.
#[test]
fn the_readme_examples_match_their_schemas() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let mut checked = 0;
    for (i, part) in readme.split("<!-- schema: ").enumerate().skip(1) {
        let (name, rest) = part.split_once(" -->").unwrap();
        let block = rest
            .split("```json\n")
            .nth(1)
            .unwrap()
            .split("\n```")
            .next()
            .unwrap();
        let value: Value =
            serde_json::from_str(block).unwrap_or_else(|e| panic!("example {i}: {e}"));
        let document = rollgate::schema::document(name).unwrap();
        let schema = input_validator(document);
        assert!(
            schema.is_valid(&value),
            "{name}: {}",
            messages(&schema, &value)
        );
        document.read(value).unwrap().unwrap();
        checked += 1;
    }
    assert!(checked >= 3, "{checked} README examples");
}
