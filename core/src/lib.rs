//! # rollgate
//!
//! A pure, explainable release decision engine. Deploy tools, Python scripts
//! and Node portals hand it plain data — a release plan, a change, metric
//! samples, deployment history — and get back a decision with its reasons.
//! It never deploys anything, reads no clock, does no I/O: the same input
//! gives the same output, in Rust, Python and Node alike.
//!
//! ```
//! let plan = rollgate::Plan::from_json(r#"{
//!   "name": "checkout",
//!   "services": [
//!     {"id": "postgres", "deploy_duration": "10m", "stateful": true},
//!     {"id": "payments", "depends_on": ["postgres"], "deploy_duration": "4m"},
//!     {"id": "storefront", "depends_on": ["payments"], "deploy_duration": "3m", "customer_facing": true}
//!   ]
//! }"#)?;
//! let order = rollgate::order_services(&plan)?;
//! assert_eq!(order.waves, [["postgres"], ["payments"], ["storefront"]]);
//! assert_eq!(order.critical_path.makespan_seconds, 17 * 60);
//!
//! let radius = rollgate::blast_radius(&plan, Some(&["postgres".to_string()]))?;
//! assert_eq!(radius.services[0].customer_facing_dependents, 1);
//! # Ok::<(), rollgate::Error>(())
//! ```
//!
//! Errors ([`Error`]) are reserved for input that cannot be evaluated; each has
//! a stable [`code`](Error::code) and a JSON pointer [`path`](Error::path).
//! A path starting with `/` points into the function's main document (the
//! plan); a path starting with a parameter name (`services/1`,
//! `max_parallel`) points into that argument.
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod change;
pub mod changelog;
pub mod environments;

pub mod delivery;
pub mod error;
pub mod explain;
pub mod governance;
pub mod graph;
mod parallel;
pub mod plan;
pub mod release;
pub mod risk;
pub mod rollout;
#[cfg(feature = "schema")]
pub mod schema;
pub mod stats;
pub mod strategy;
pub mod verdict;
pub mod window;
pub mod wire;

#[doc(hidden)]
pub mod ffi;

pub use change::{
    Approval, Change, ChangeKind, ChangeOutcome, ChangeType, Links, Promotion, RunbookReview,
    SecurityScan, Strategy, TestDepth, TestEvidence, Timestamp,
};
pub use changelog::{
    append_change_record, verify_change_log, ChangeLogVerification, ChangeRecord,
    ChangeRecordInput, Checkpoint,
};
pub use delivery::{
    assess_maturity, dora_metrics, flag_bucket, flag_enabled, flag_exposure, Commit,
    DeliveryMetrics, Deployment, DeploymentStatus, DoraOptions, DoraReport, DoraTier, Flag,
    FlagAlgorithm, FlagDecision, FlagExposure, GroupBy, Incident, MaturityAssessment, Population,
    SeriesPeriod,
};
pub use environments::{
    check_parity, check_promotion, evaluate_access, isolation_plan, plan_migrations,
    teardown_candidates, AccessDecision, AccessOutcome, AccessPolicy, AccessRequest, Artifact,
    EnvironmentSpec, EnvironmentTier, IsolationOptions, IsolationPlan, MigrationHistory,
    MigrationPlan, MigrationScript, ParityReport, ParityRules, PromotionCheck, PromotionDeployment,
    PromotionRules, TeardownPlan, TeardownPolicy,
};
pub use error::{Error, ErrorFamily, ErrorKind, Result};
pub use governance::{evaluate_governance, GovernanceDecision, GovernancePolicy};
pub use graph::{
    blast_radius, order_services, schedule_services, BlastRadius, CriticalPath,
    IndexedCriticalPath, IndexedOrder, IndexedTiming, ParallelSchedule, ScheduledService,
    ServiceBlast, ServiceGraph, ServiceOrder, ServiceRef, ServiceTiming,
};
pub use plan::{
    Migration, MigrationPhase, OneBox, Plan, Region, ReleaseStage, RolloutPolicy, Service, Tier,
};
pub use release::{
    advance_release, evaluate_release_readiness, render_notification, start_release,
    ReleaseReadiness, ReleaseState, ReleaseUpdate,
};
pub use risk::{
    assess_risk, default_risk_model, evaluate_risk_model, fit_risk_model, update_risk_model,
    FitOptions, RiskAssessment, RiskContext, RiskFactor, RiskInputs, RiskLevel, RiskModel,
    RiskModelEvaluation, RiskRef, WindowStatus,
};
pub use rollout::{
    rollback_plan, schedule_rollout, to_mermaid_gantt, FlagStage, Gate, HaltRule, HaltedAt,
    RollbackPlan, Schedule, Step, UndoStep, Wave, WindowWait,
};
pub use stats::{
    adjust_p_values, compare_proportions, compare_quantiles, compare_rates, ks_test, mann_whitney,
    mann_whitney_owned, quantile_ci, sequential_count_test, welch_t_test, Alternative, Correction,
};
pub use strategy::{recommend_strategy, ServiceProfile, StrategyRecommendation};
pub use verdict::{
    judge_canary, start_canary_watch, update_canary_watch, CanaryConfig, CanaryData, CanaryVerdict,
    Decision, WatchConfig, WatchState, WatchUpdate, WatchVerdict,
};
pub use window::{
    check_window, next_window, Calendar, CalendarSpec, Day, Period, WindowCheck, WindowSlot,
    WindowSpec,
};
pub use wire::DurationSecs;

/// The README's Rust blocks, run as doc tests (tests/readme/run.py runs the
/// other languages' blocks).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
