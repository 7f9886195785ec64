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

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::changelog::{ChangeLogVerification, ChangeRecord, ChangeRecordInput, Checkpoint};
use crate::delivery::{
    DeliveryMetrics, Deployment, DoraOptions, DoraReport, Flag, FlagDecision, FlagExposure,
    Incident, MaturityAssessment, Population,
};
use crate::environments::{
    AccessDecision, AccessPolicy, AccessRequest, Artifact, EnvironmentSpec, IsolationOptions,
    IsolationPlan, MigrationHistory, MigrationPlan, MigrationScript, ParityReport, ParityRules,
    PromotionCheck, PromotionDeployment, PromotionRules, TeardownPlan, TeardownPolicy,
};
use crate::governance::{GovernanceDecision, GovernancePolicy};
use crate::graph::{BlastRadius, ParallelSchedule, ServiceOrder};
use crate::release::{
    Event, ReadinessContext, ReleaseOptions, ReleaseReadiness, ReleaseState, ReleaseUpdate,
};
use crate::risk::{FitOptions, RiskAssessment, RiskContext, RiskModel, RiskModelEvaluation};
use crate::rollout::{HaltedAt, RollbackPlan, Schedule};
use crate::stats::{
    KsTest, MannWhitney, ProportionTest, QuantileComparison, QuantileInterval, RateTest,
    SequentialTest, WelchTest,
};
use crate::strategy::{RiskRef, ServiceProfile, StrategyRecommendation};
use crate::verdict::{
    CanaryConfig, CanaryData, CanaryVerdict, WatchConfig, WatchState, WatchUpdate,
};
use crate::window::{CalendarSpec, WindowCheck, WindowSlot};
use crate::{Change, ChangeOutcome, Plan};

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

/// Rewrites every `description` from rustdoc to plain text a JSON user
/// reads: code examples dropped, intra-doc links reduced to their text,
/// wrapped lines joined (paragraphs and list items kept).
fn tidy_descriptions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => tidy_map(map),
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

fn tidy_map(map: &mut serde_json::Map<String, serde_json::Value>) {
    for (key, item) in map.iter_mut() {
        match item {
            serde_json::Value::String(text) if key == "description" => *text = plain_text(text),
            _ => tidy_descriptions(item),
        }
    }
}

fn plain_text(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let starts_item = line.starts_with("- ") || line.starts_with("* ");
        if line.is_empty() || starts_item {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let text = paragraphs.join("\n");
    strip_links(&text).trim_end_matches(':').trim().to_string()
}

/// `[`x`](path)` and `[`x`]` become `` `x` ``; `[text](path)` becomes `text`.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find(']') else {
            out.push('[');
            rest = after;
            continue;
        };
        let label = after.get(..close).unwrap_or("");
        let tail = after.get(close + 1..).unwrap_or("");
        let is_link_label = !label.is_empty() && !label.contains('[');
        if is_link_label && tail.starts_with('(') {
            if let Some(end) = tail.find(')') {
                out.push_str(label);
                rest = tail.get(end + 1..).unwrap_or("");
                continue;
            }
        }
        if is_link_label && label.starts_with('`') && label.ends_with('`') {
            out.push_str(label);
            rest = tail;
            continue;
        }
        out.push('[');
        rest = after;
    }
    out.push_str(rest);
    out
}

fn root<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.root_schema_for::<T>()
}

fn read_as<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> crate::Result<()> {
    crate::wire::from_value::<T>(value).map(drop)
}

macro_rules! document {
    ($name:literal, $ty:ty, $title:literal, $direction:ident,
     read_by: [$(($f:literal, $p:literal)),* $(,)?], returned_by: [$($r:literal),* $(,)?],
     read_with: $read:path) => {
        Document {
            name: $name,
            title: $title,
            direction: Direction::$direction,
            read_by: &[$(($f, $p)),*],
            returned_by: &[$($r),*],
            generate: root::<$ty>,
            read: Some($read),
        }
    };
    (@read Output, $ty:ty) => { None };
    (@read $direction:ident, $ty:ty) => { Some(read_as::<$ty>) };
    ($name:literal, $ty:ty, $title:literal, $direction:ident,
     read_by: [$(($f:literal, $p:literal)),* $(,)?], returned_by: [$($r:literal),* $(,)?]) => {
        Document {
            name: $name,
            title: $title,
            direction: Direction::$direction,
            read_by: &[$(($f, $p)),*],
            returned_by: &[$($r),*],
            generate: root::<$ty>,
            read: document!(@read $direction, $ty),
        }
    };
}

/// Every document, in data-flow order. To add one: derive
/// `schemars::JsonSchema` on its types behind the `schema` feature, add a
/// line here, and rerun `core/schema/generate` (see `core/schema/README.md`).
pub const DOCUMENTS: &[Document] = &[
    document!("plan", Plan, "Plan", Input,
        read_by: [("order_services", "plan"), ("blast_radius", "plan"), ("schedule_services", "plan"),
                  ("schedule_rollout", "plan"), ("assess_risk", "plan"), ("start_release", "plan"),
                  ("advance_release", "plan"), ("evaluate_release_readiness", "plan"),
                  ("isolation_plan", "plan"), ("dora_metrics", "plan")],
        returned_by: [], read_with: read_plan),
    document!("calendar", CalendarSpec, "CalendarSpec", Input,
        read_by: [("check_window", "calendar"), ("next_window", "calendar")], returned_by: []),
    document!("service_order", ServiceOrder, "ServiceOrder", Output,
        read_by: [], returned_by: ["order_services"]),
    document!("blast_radius", BlastRadius, "BlastRadius", Output,
        read_by: [], returned_by: ["blast_radius"]),
    document!("parallel_schedule", ParallelSchedule, "ParallelSchedule", Output,
        read_by: [], returned_by: ["schedule_services"]),
    document!("window_check", WindowCheck, "WindowCheck", Output,
        read_by: [], returned_by: ["check_window"]),
    document!("window_slot", WindowSlot, "WindowSlot", Output,
        read_by: [], returned_by: ["next_window"]),
    document!("schedule", Schedule, "Schedule", Both,
        read_by: [("rollback_plan", "schedule"), ("to_mermaid_gantt", "schedule")],
        returned_by: ["schedule_rollout"]),
    document!("halted_at", HaltedAt, "HaltedAt", Input,
        read_by: [("rollback_plan", "halted_at")], returned_by: []),
    document!("rollback_plan", RollbackPlan, "RollbackPlan", Output,
        read_by: [], returned_by: ["rollback_plan"]),
    document!("canary_config", CanaryConfig, "CanaryConfig", Input,
        read_by: [("judge_canary", "config"), ("start_canary_watch", "config"),
                  ("update_canary_watch", "config")],
        returned_by: []),
    document!("canary_data", CanaryData, "CanaryData", Input,
        read_by: [("judge_canary", "data"), ("update_canary_watch", "batch")], returned_by: []),
    document!("canary_verdict", CanaryVerdict, "CanaryVerdict", Output,
        read_by: [], returned_by: ["judge_canary"]),
    document!("watch_config", WatchConfig, "WatchConfig", Input,
        read_by: [], returned_by: []),
    document!("watch_state", WatchState, "WatchState", Both,
        read_by: [("update_canary_watch", "state")], returned_by: ["start_canary_watch"]),
    document!("watch_update", WatchUpdate, "WatchUpdate", Output,
        read_by: [], returned_by: ["update_canary_watch"]),
    document!("mann_whitney", MannWhitney, "MannWhitney", Output,
        read_by: [], returned_by: ["mann_whitney"]),
    document!("welch_t_test", WelchTest, "WelchTest", Output,
        read_by: [], returned_by: ["welch_t_test"]),
    document!("ks_test", KsTest, "KsTest", Output, read_by: [], returned_by: ["ks_test"]),
    document!("proportion_test", ProportionTest, "ProportionTest", Output,
        read_by: [], returned_by: ["compare_proportions"]),
    document!("rate_test", RateTest, "RateTest", Output,
        read_by: [], returned_by: ["compare_rates"]),
    document!("quantile_interval", QuantileInterval, "QuantileInterval", Output,
        read_by: [], returned_by: ["quantile_ci"]),
    document!("quantile_comparison", QuantileComparison, "QuantileComparison", Output,
        read_by: [], returned_by: ["compare_quantiles"]),
    document!("sequential_test", SequentialTest, "SequentialTest", Output,
        read_by: [], returned_by: ["sequential_count_test"]),
    document!("change", Change, "Change", Input,
        read_by: [("assess_risk", "change"), ("recommend_strategy", "change"),
                  ("evaluate_governance", "change"), ("evaluate_release_readiness", "change")],
        returned_by: []),
    document!("change_history", Vec<ChangeOutcome>, "ChangeHistory", Input,
        read_by: [("assess_risk", "history"), ("fit_risk_model", "history"),
                  ("update_risk_model", "outcomes"), ("evaluate_risk_model", "history")],
        returned_by: []),
    document!("risk_context", RiskContext, "RiskContext", Input,
        read_by: [("assess_risk", "context")], returned_by: []),
    document!("risk_model", RiskModel, "RiskModel", Both,
        read_by: [("assess_risk", "model"), ("update_risk_model", "model"),
                  ("evaluate_risk_model", "model")],
        returned_by: ["default_risk_model", "fit_risk_model", "update_risk_model"]),
    document!("fit_options", FitOptions, "FitOptions", Input,
        read_by: [("fit_risk_model", "options")], returned_by: []),
    document!("risk_assessment", RiskAssessment, "RiskAssessment", Output,
        read_by: [], returned_by: ["assess_risk"]),
    document!("risk_model_evaluation", RiskModelEvaluation, "RiskModelEvaluation", Output,
        read_by: [], returned_by: ["evaluate_risk_model"]),
    document!("risk_ref", RiskRef, "RiskRef", Input,
        read_by: [("recommend_strategy", "risk"), ("evaluate_governance", "risk")],
        returned_by: []),
    document!("service_profile", ServiceProfile, "ServiceProfile", Input,
        read_by: [("recommend_strategy", "service")], returned_by: []),
    document!("strategy_recommendation", StrategyRecommendation, "StrategyRecommendation", Output,
        read_by: [], returned_by: ["recommend_strategy"]),
    document!("governance_policy", GovernancePolicy, "GovernancePolicy", Input,
        read_by: [("evaluate_governance", "policy")], returned_by: []),
    document!("governance_decision", GovernanceDecision, "GovernanceDecision", Output,
        read_by: [], returned_by: ["evaluate_governance"]),
    document!("change_record_input", ChangeRecordInput, "ChangeRecordInput", Input,
        read_by: [("append_change_record", "record")], returned_by: []),
    document!("change_record", ChangeRecord, "ChangeRecord", Both,
        read_by: [("append_change_record", "log_tail")], returned_by: ["append_change_record"]),
    document!("change_log", Vec<ChangeRecord>, "ChangeLog", Input,
        read_by: [("verify_change_log", "records")], returned_by: []),
    document!("checkpoint", Checkpoint, "Checkpoint", Both,
        read_by: [("verify_change_log", "checkpoint")], returned_by: []),
    document!("change_log_verification", ChangeLogVerification, "ChangeLogVerification", Output,
        read_by: [], returned_by: ["verify_change_log"]),
    document!("release_options", ReleaseOptions, "ReleaseOptions", Input,
        read_by: [("start_release", "options")], returned_by: []),
    document!("release_state", ReleaseState, "ReleaseState", Both,
        read_by: [("advance_release", "state")], returned_by: ["start_release"]),
    document!("release_events", Vec<Event>, "ReleaseEvents", Input,
        read_by: [("advance_release", "events")], returned_by: []),
    document!("release_update", ReleaseUpdate, "ReleaseUpdate", Output,
        read_by: [], returned_by: ["advance_release"]),
    document!("readiness_context", ReadinessContext, "ReadinessContext", Input,
        read_by: [("evaluate_release_readiness", "context")], returned_by: []),
    document!("release_readiness", ReleaseReadiness, "ReleaseReadiness", Output,
        read_by: [], returned_by: ["evaluate_release_readiness"]),
    document!("environments", Vec<EnvironmentSpec>, "Environments", Input,
        read_by: [("check_parity", "environments"), ("teardown_candidates", "environments")],
        returned_by: []),
    document!("parity_rules", ParityRules, "ParityRules", Input,
        read_by: [("check_parity", "rules")], returned_by: []),
    document!("parity_report", ParityReport, "ParityReport", Output,
        read_by: [], returned_by: ["check_parity"]),
    document!("promotion_deployments", Vec<PromotionDeployment>, "PromotionDeployments", Input,
        read_by: [("check_promotion", "deployments")], returned_by: []),
    document!("artifact", Artifact, "Artifact", Input,
        read_by: [("check_promotion", "artifact")], returned_by: []),
    document!("promotion_rules", PromotionRules, "PromotionRules", Input,
        read_by: [("check_promotion", "rules")], returned_by: []),
    document!("promotion_check", PromotionCheck, "PromotionCheck", Output,
        read_by: [], returned_by: ["check_promotion"]),
    document!("migration_scripts", Vec<MigrationScript>, "MigrationScripts", Input,
        read_by: [("plan_migrations", "migrations")], returned_by: []),
    document!("migration_histories", Vec<MigrationHistory>, "MigrationHistories", Input,
        read_by: [("plan_migrations", "environments")], returned_by: []),
    document!("migration_plan", MigrationPlan, "MigrationPlan", Output,
        read_by: [], returned_by: ["plan_migrations"]),
    document!("access_request", AccessRequest, "AccessRequest", Input,
        read_by: [("evaluate_access", "request")], returned_by: []),
    document!("access_policy", AccessPolicy, "AccessPolicy", Input,
        read_by: [("evaluate_access", "policy")], returned_by: []),
    document!("access_decision", AccessDecision, "AccessDecision", Output,
        read_by: [], returned_by: ["evaluate_access"]),
    document!("teardown_policy", TeardownPolicy, "TeardownPolicy", Input,
        read_by: [("teardown_candidates", "policy")], returned_by: []),
    document!("teardown_plan", TeardownPlan, "TeardownPlan", Output,
        read_by: [], returned_by: ["teardown_candidates"]),
    document!("isolation_options", IsolationOptions, "IsolationOptions", Input,
        read_by: [("isolation_plan", "options")], returned_by: []),
    document!("isolation_plan", IsolationPlan, "IsolationPlan", Output,
        read_by: [], returned_by: ["isolation_plan"]),
    document!("deployments", Vec<Deployment>, "Deployments", Input,
        read_by: [("dora_metrics", "deployments")], returned_by: []),
    document!("incidents", Vec<Incident>, "Incidents", Input,
        read_by: [("dora_metrics", "incidents")], returned_by: []),
    document!("dora_options", DoraOptions, "DoraOptions", Input,
        read_by: [("dora_metrics", "options")], returned_by: []),
    document!("dora_report", DoraReport, "DoraReport", Output,
        read_by: [], returned_by: ["dora_metrics"]),
    document!("delivery_metrics", DeliveryMetrics, "DeliveryMetrics", Both,
        read_by: [("assess_maturity", "metrics")], returned_by: []),
    document!("practices", Practices, "Practices", Input,
        read_by: [("assess_maturity", "practices")], returned_by: [],
        read_with: read_practices),
    document!("maturity_assessment", MaturityAssessment, "MaturityAssessment", Output,
        read_by: [], returned_by: ["assess_maturity"]),
    document!("flag", Flag, "Flag", Input,
        read_by: [("flag_enabled", "flag"), ("flag_exposure", "flag")], returned_by: []),
    document!("flag_decision", FlagDecision, "FlagDecision", Output,
        read_by: [], returned_by: ["flag_enabled"]),
    document!("population", Population, "Population", Input,
        read_by: [("flag_exposure", "population")], returned_by: []),
    document!("flag_exposure", FlagExposure, "FlagExposure", Output,
        read_by: [], returned_by: ["flag_exposure"]),
    document!("error", ErrorDetails, "ErrorDetails", Output,
        read_by: [], returned_by: []),
];

/// The document named `name` (its file name without `.json`).
///
/// ```
/// assert_eq!(rollgate::schema::document("canary_config").unwrap().title, "CanaryConfig");
/// assert!(rollgate::schema::document("nope").is_none());
/// ```
pub fn document(name: &str) -> Option<&'static Document> {
    DOCUMENTS.iter().find(|d| d.name == name)
}

/// The shape of an error's details ([`Error::details`](crate::Error::details),
/// the Python exception's `.details`, the Node error's properties): the
/// stable `code`, the JSON-pointer `path` and the fields of that code.
#[derive(Debug, Clone, Copy)]
pub struct ErrorDetails;

impl JsonSchema for ErrorDetails {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorDetails".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        use crate::error::{
            CalendarError, CanaryError, ChangeError, DeliveryError, EnvironmentError, InputError,
            InternalError, PlanError, ReleaseError,
        };
        let kinds = [
            generator.subschema_for::<InputError>(),
            generator.subschema_for::<PlanError>(),
            generator.subschema_for::<CalendarError>(),
            generator.subschema_for::<CanaryError>(),
            generator.subschema_for::<ChangeError>(),
            generator.subschema_for::<ReleaseError>(),
            generator.subschema_for::<EnvironmentError>(),
            generator.subschema_for::<DeliveryError>(),
            generator.subschema_for::<InternalError>(),
        ];
        schemars::json_schema!({
            "description": "An error's details: the stable `code`, the JSON pointer `path` of \
                the offending value and the fields of that code.",
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code."},
                "path": {"type": "string", "description": "JSON pointer to the offending value."},
            },
            "required": ["code", "path"],
            "anyOf": kinds,
        })
    }
}

/// The practices [`assess_maturity`](crate::assess_maturity) takes:
/// `{practice id: adopted}`, every id one of the maturity model's.
#[derive(Debug, Clone, Copy)]
pub struct Practices;

impl JsonSchema for Practices {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Practices".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let properties: serde_json::Map<String, serde_json::Value> =
            crate::delivery::practice_ids()
                .map(|(id, level, description)| {
                    let description = format!("Level {level}: {description}.");
                    let schema = serde_json::json!({"type": "boolean", "description": description});
                    (id.to_string(), schema)
                })
                .collect();
        schemars::json_schema!({
            "description": "The practices adopted: practice id → whether it is adopted \
                (a practice left out is not adopted).",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}

/// A plan as the release functions read it: the sections `rollout.analysis`
/// and `rollout.escalation` (JSON values to the plan's own reader, which the
/// other functions ignore) read as the canary configuration and escalation
/// policy [`start_release`](crate::start_release) reads them as.
fn read_plan(value: serde_json::Value) -> crate::Result<()> {
    let plan: Plan = crate::wire::from_value(value)?;
    if let Some(rollout) = plan.rollout {
        if let Some(analysis) = rollout.analysis {
            crate::wire::from_value::<CanaryConfig>(analysis)?;
        }
        if let Some(escalation) = rollout.escalation {
            crate::wire::from_value::<crate::release::EscalationPolicy>(escalation)?;
        }
    }
    Ok(())
}

/// The practices as [`assess_maturity`](crate::assess_maturity) reads them:
/// a map of booleans whose keys it knows.
fn read_practices(value: serde_json::Value) -> crate::Result<()> {
    let practices: BTreeMap<String, bool> = crate::wire::from_value(value)?;
    crate::assess_maturity(None, &practices).map(drop)
}
