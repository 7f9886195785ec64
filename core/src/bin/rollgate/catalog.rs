//! `rollgate schema [NAME]`: the JSON Schemas of rollgate's documents, as
//! committed in `core/schema/` and embedded in the binary (`schemas.rs`), so
//! that the command line needs no schema generator: the list of documents,
//! or one document's schema.

use std::fmt::Write;

use serde_json::{json, Value};

use crate::fail::{Exit, Fail};
use crate::schemas::{FILES, INDEX};
use crate::Done;

/// The list of documents (`name` absent) or the schema of `name`: a document
/// name from the list, or for a document written and read back
/// `<name>.output` (the document as rollgate writes it); a trailing `.json`
/// is allowed. An unknown name is invalid input naming it.
pub fn run(name: Option<&str>) -> Result<Done, Fail> {
    let documents = documents()?;
    match name {
        None => Ok(list(documents)),
        Some(name) => show(&documents, name),
    }
}

/// The `documents` of the embedded `index.json`.
fn documents() -> Result<Vec<Value>, Fail> {
    let index = parse(INDEX, "index.json")?;
    match index.get("documents") {
        Some(Value::Array(documents)) => Ok(documents.clone()),
        _ => Err(internal("the embedded index.json has no `documents` list")),
    }
}

fn parse(text: &str, file: &str) -> Result<Value, Fail> {
    serde_json::from_str(text)
        .map_err(|e| internal(&format!("the embedded {file} is not JSON: {e}")))
}

fn internal(message: &str) -> Fail {
    Fail::engine(&rollgate::Error::internal(message))
}

fn text_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Every document's name, direction and title, in the index's order.
fn list(documents: Vec<Value>) -> Done {
    let rows: Vec<[&str; 3]> = documents
        .iter()
        .map(|d| {
            [
                text_of(d, "name"),
                text_of(d, "direction"),
                text_of(d, "title"),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r.get(i).map_or(0, |s| s.len())).max();
    let (name_width, direction_width) = (width(0).unwrap_or(0), width(1).unwrap_or(0));
    let mut text = String::new();
    for [name, direction, title] in &rows {
        let _ = writeln!(
            text,
            "{name:name_width$}  {direction:direction_width$}  {title}"
        );
    }
    let value = rows
        .iter()
        .map(|[name, direction, title]| {
            json!({"name": name, "direction": direction, "title": title})
        })
        .collect();
    Done {
        value: Value::Array(value),
        exit: Exit::Ok,
        text,
        errors: Vec::new(),
    }
}

/// One schema, by document name.
fn show(documents: &[Value], name: &str) -> Result<Done, Fail> {
    let key = name.strip_suffix(".json").unwrap_or(name);
    let Some((_, text)) = FILES.iter().find(|(file, _)| *file == key) else {
        return Err(Fail {
            code: "invalid_input".into(),
            path: name.into(),
            message: format!("no document named `{name}` (`rollgate schema` lists them)"),
            exit: Exit::Invalid,
        });
    };
    let schema = parse(text, &format!("{key}.json"))?;
    let document = key.strip_suffix(".output").unwrap_or(key);
    let direction = documents
        .iter()
        .find(|d| text_of(d, "name") == document)
        .map_or("", |d| text_of(d, "direction"));
    let summary = summary(&schema, key, direction);
    Ok(Done {
        value: schema,
        exit: Exit::Ok,
        text: summary,
        errors: Vec::new(),
    })
}

/// `--format text`: the title, what the document is (or what it is a list
/// of), and its top-level fields (required ones marked), each with the first
/// sentence of its description.
fn summary(schema: &Value, key: &str, direction: &str) -> String {
    let mut out = format!("{} ({direction}, {key}.json)\n", text_of(schema, "title"));
    let description = text_of(schema, "description");
    if !description.is_empty() {
        let _ = writeln!(out, "{description}");
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
    if let Some(item) = schema
        .get("items")
        .and_then(|items| items.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|reference| reference.rsplit('/').next())
    {
        let _ = writeln!(out, "a list of {item}");
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        out.push_str("fields:\n");
        for (field, property) in properties {
            let mark = if required.contains(&field.as_str()) {
                " (required)"
            } else {
                ""
            };
            let about = text_of(property, "description");
            let first = about.split(". ").next().unwrap_or_default();
            let _ = writeln!(out, "  {field}{mark}: {}", first.trim_end_matches('.'));
        }
    }
    let page = key.strip_suffix(".output").unwrap_or(key);
    let _ = write!(out, "reference: core/schema/reference/{page}.md");
    out
}
