//! Environments and promotion: whether staging really resembles production,
//! whether one artifact and one migration history travel the promotion path
//! in order, who may touch an environment and for how long, which
//! environments to tear down, and what an isolated test environment must
//! bring along.
//!
//! These are decisions over data the deploy tools already hold — environment
//! specs ([`EnvironmentSpec`]), deployments, migration histories, access
//! requests — made, explained ([`Reason`](crate::explain::Reason)) and, for
//! access, recorded ([`AccessDecision::record`] for
//! [`append_change_record`](crate::append_change_record)). Nothing here
//! provisions or changes an environment.
//!
//! - [`spec`]: the environment spec and the checks every function makes;
//! - [`parity`]: [`check_parity`], allowed / drift / ahead per pair;
//! - [`promotion`]: [`check_promotion`], one digest stage by stage;
//! - [`migrations`]: [`plan_migrations`], Flyway-style validation and the
//!   expand/contract order across environments;
//! - [`access`]: [`evaluate_access`], just-in-time access and break-glass;
//! - [`teardown`]: [`teardown_candidates`], what to tear down and when;
//! - [`isolation`]: [`isolation_plan`], from the service dependency graph.

pub mod access;
pub mod isolation;
pub mod migrations;
pub mod parity;
mod pattern;
pub mod promotion;
pub mod spec;
pub mod teardown;
mod version;

pub use access::{
    evaluate_access, AccessDecision, AccessOutcome, AccessPolicy, AccessRequest, EnvironmentAccess,
};
pub use isolation::{isolation_plan, IsolatedDependency, IsolationOptions, IsolationPlan};
pub use migrations::{
    plan_migrations, AppliedMigration, EnvironmentMigrations, MigrationHistory, MigrationPlan,
    MigrationScript, MigrationStep,
};
pub use parity::{check_parity, PairParity, ParityClass, ParityFinding, ParityReport, ParityRules};
pub use pattern::PathRule;
pub use promotion::{
    check_promotion, Artifact, GateResult, PromotionCheck, PromotionDeployment, PromotionRules,
    StageRule, StageStatus,
};
pub use spec::{EnvironmentSpec, EnvironmentTier, Scalar, ServiceDeployment};
pub use teardown::{
    teardown_candidates, KeptEnvironment, TeardownCandidate, TeardownPlan, TeardownPolicy,
};
