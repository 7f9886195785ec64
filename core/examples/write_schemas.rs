//! Writes the JSON Schema of every document to `core/schema/<name>.json` and
//! the list of documents to `core/schema/index.json`:
//! `cargo run -p rollgate --features schema --example write_schemas [DIR]`.
//! `core/schema/generate` runs it, then generates the typings and reference
//! pages from the files.

use std::path::PathBuf;
use std::process::ExitCode;

use rollgate::schema::{Direction, DOCUMENTS};
use serde_json::{json, Value};

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema"));
    let mut index = Vec::new();
    for document in DOCUMENTS {
        let mut files = vec![(format!("{}.json", document.name), document.schema())];
        if document.direction == Direction::Both {
            let output = document.output_schema();
            files.push((format!("{}.output.json", document.name), output));
        }
        for (file, schema) in &files {
            let value = serde_json::to_value(schema).unwrap_or_default();
            if let Err(err) = std::fs::write(dir.join(file), pretty(&value)) {
                eprintln!("cannot write {}: {err}", dir.join(file).display());
                return ExitCode::FAILURE;
            }
        }
        index.push(json!({
            "name": document.name,
            "title": document.title,
            "direction": document.direction.as_str(),
            "files": files.iter().map(|(file, _)| file.clone()).collect::<Vec<_>>(),
            "read_by": document.read_by.iter().map(|(f, p)| json!([f, p])).collect::<Vec<_>>(),
            "returned_by": document.returned_by,
        }));
    }
    if let Err(err) = std::fs::write(dir.join("index.json"), pretty(&json!({"documents": index}))) {
        eprintln!("cannot write the index: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
