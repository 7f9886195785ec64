//! The table of every document: its file name, type, title, direction, the
//! parameters that read it and the functions that return it.

use schemars::{JsonSchema, Schema, SchemaGenerator};

use super::custom::{read_plan, read_practices, ErrorDetails, Practices};
use super::{Direction, Document};
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
