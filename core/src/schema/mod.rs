//! JSON Schemas of every document rollgate reads or writes, derived from the
//! Rust types (`schema` feature, with [`schemars`]).
//!
//! [`DOCUMENTS`] lists each document once: its file name under
//! `core/schema/`, which way it crosses the API, and which function
//! parameters read it and which functions return it. A document that is
//! read ([`Direction::Input`] or [`Direction::Both`]) is described as the
//! reader accepts it: fields with defaults are optional, durations are
//! seconds or strings such as `"1h30m"`, and an object whose type denies
//! unknown fields has `additionalProperties: false`. A document that is only
//! written is described as it is written: every field that is always
//! present is required, durations are whole seconds.
//!
//! `cargo run -p rollgate --features schema --example write_schemas` writes
//! the files; the typings and reference pages are generated from them
//! (`core/schema/README.md`).
//!
//! ```
//! let plan = rollgate::schema::document("plan").unwrap();
//! let schema = serde_json::to_value(plan.schema()).unwrap();
//! assert_eq!(schema["title"], "Plan");
//! assert_eq!(schema["additionalProperties"], false);
//! assert!(plan.read_by.contains(&("order_services", "plan")));
//! ```
//!
//! This file holds the [`Document`] type and its schema generation;
//! `documents` is the [`DOCUMENTS`] table, `custom` the schemas and readers
//! written by hand (error details, the practices, the plan as the release
//! functions read it), and `tidy` turns rustdoc descriptions into plain
//! text.

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};

mod custom;
mod documents;
mod tidy;

pub use custom::{ErrorDetails, Practices};
pub use documents::DOCUMENTS;

use tidy::{tidy_descriptions, tidy_map};

/// Which way a document crosses the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Only read (a plan, a calendar): described as the reader accepts it.
    Input,
    /// Only written (a verdict): described as it is written.
    Output,
    /// Written by one call and read by a later one (a schedule, a watch
    /// state, a risk model, a change record): described as the reader
    /// accepts it; [`Document::output_schema`] describes it as written.
    Both,
}

impl Direction {
    /// `"input"`, `"output"` or `"both"`.
    ///
    /// ```
    /// assert_eq!(rollgate::schema::Direction::Both.as_str(), "both");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
            Direction::Both => "both",
        }
    }
}

/// One document: a file `core/schema/<name>.json`.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    /// The file name without `.json`, snake_case.
    pub name: &'static str,
    /// The type name (the schema's `title`, the name of the generated typing).
    pub title: &'static str,
    /// Which way it crosses the API.
    pub direction: Direction,
    /// The function parameters that read it, as `(function, parameter)`.
    pub read_by: &'static [(&'static str, &'static str)],
    /// The functions that return it.
    pub returned_by: &'static [&'static str],
    /// Generates the root schema with the given generator.
    generate: fn(&mut SchemaGenerator) -> Schema,
    /// Reads a value as the document's type (documents that are read only).
    read: Option<fn(serde_json::Value) -> crate::Result<()>>,
}

impl Document {
    /// The document's schema: as the reader accepts it for an input (or
    /// both-ways) document, as written for an output document.
    ///
    /// ```
    /// let schema = rollgate::schema::document("calendar").unwrap().schema();
    /// assert_eq!(schema.get("title").unwrap(), "CalendarSpec");
    /// ```
    pub fn schema(&self) -> Schema {
        match self.direction {
            Direction::Output => self.output_schema(),
            Direction::Input | Direction::Both => self.input_schema(),
        }
    }

    /// The document as the reader accepts it.
    ///
    /// ```
    /// let schema = rollgate::schema::document("plan").unwrap().input_schema();
    /// assert_eq!(schema.get("required").unwrap(), &serde_json::json!(["name", "services"]));
    /// ```
    pub fn input_schema(&self) -> Schema {
        self.generate_with(SchemaSettings::draft2020_12().for_deserialize())
    }

    /// The document as rollgate writes it.
    ///
    /// ```
    /// let schema = rollgate::schema::document("schedule").unwrap().output_schema();
    /// let required = schema.get("required").unwrap().as_array().unwrap();
    /// assert!(required.iter().any(|field| field == "waves"));
    /// ```
    pub fn output_schema(&self) -> Schema {
        self.generate_with(SchemaSettings::draft2020_12().for_serialize())
    }

    /// Reads `value` with rollgate's own reader for this document, as the
    /// functions that take it do (`None` for a document that is only
    /// written): the schema accepts what this accepts.
    ///
    /// ```
    /// let plan = rollgate::schema::document("plan").unwrap();
    /// let ok = serde_json::json!({"name": "p", "services": [{"id": "a", "deploy_duration": "90s"}]});
    /// assert!(plan.read(ok).unwrap().is_ok());
    /// let bad = serde_json::json!({"name": "p", "services": [], "colour": "red"});
    /// assert_eq!(plan.read(bad).unwrap().unwrap_err().code(), "unknown_field");
    /// ```
    pub fn read(&self, value: serde_json::Value) -> Option<crate::Result<()>> {
        self.read.map(|read| read(value))
    }

    fn generate_with(&self, settings: SchemaSettings) -> Schema {
        let mut generator = settings.into_generator();
        let mut schema = (self.generate)(&mut generator);
        let mut definitions: BTreeMap<_, _> =
            generator.take_definitions(true).into_iter().collect();
        for definition in definitions.values_mut() {
            tidy_descriptions(definition);
        }
        if let Some(object) = schema.as_object_mut() {
            tidy_map(object);
        }
        let meta =
            serde_json::Value::String("https://json-schema.org/draft/2020-12/schema".to_string());
        schema.insert("$schema".into(), meta);
        schema.insert("title".into(), self.title.into());
        if !definitions.is_empty() {
            let definitions = definitions.into_iter().collect();
            schema.insert("$defs".into(), serde_json::Value::Object(definitions));
        }
        schema
    }
}

/// The document named `name` (its file name without `.json`).
///
/// ```
/// assert_eq!(rollgate::schema::document("canary_config").unwrap().title, "CanaryConfig");
/// assert!(rollgate::schema::document("nope").is_none());
/// ```
pub fn document(name: &str) -> Option<&'static Document> {
    DOCUMENTS.iter().find(|d| d.name == name)
}
