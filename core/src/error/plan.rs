//! Errors about a release plan: its services, regions, dependencies and
//! calendars, and requests naming what is not in it.

use serde::Serialize;

/// A release plan that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanError {
    /// Two entries of a list share an id that must be unique.
    #[error("duplicate id `{id}` (already used at {first_path})")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// JSON pointer to the first occurrence's id.
        first_path: String,
    },
    /// A service names a dependency that is not in the plan.
    #[error("service `{service}` depends on unknown service `{dependency}`")]
    UnknownDependency {
        /// The service that declares the dependency.
        service: String,
        /// The id that does not exist.
        dependency: String,
    },
    /// A service lists itself among its dependencies.
    #[error("service `{service}` depends on itself")]
    SelfDependency {
        /// The service.
        service: String,
    },
    /// The dependencies form a cycle, so no order exists.
    #[error("dependency cycle {}", cycle.join(" -> "))]
    DependencyCycle {
        /// One concrete cycle: starts and ends with the same id, each id
        /// depending on the next.
        cycle: Vec<String>,
        /// Every id caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A request names a service that is not in the plan.
    #[error("unknown service `{service}`")]
    UnknownService {
        /// The id that does not exist.
        service: String,
    },
    /// A region's `pair` or `depends_on`, or the rollout policy's
    /// `first_wave`, names a region that is not in the plan.
    #[error("{} unknown region `{target}`", region.as_deref().map_or("`rollout.first_wave` names".to_string(), |r| format!("region `{r}` refers to")))]
    UnknownRegion {
        /// The region that holds the reference (`None`: the rollout
        /// policy's `first_wave`).
        region: Option<String>,
        /// The id that does not exist.
        target: String,
    },
    /// Region `a` names `b` as its pair but `b` does not name `a` (or names
    /// itself, or another region).
    #[error("region `{region}` is paired with `{pair}`, but `{pair}` is paired with {}", pair_of_pair.as_deref().map_or("no region".to_string(), |p| format!("`{p}`")))]
    AsymmetricPair {
        /// The region whose pair does not answer.
        region: String,
        /// The region it names as its pair.
        pair: String,
        /// What `pair` names as its own pair (`None`: nothing).
        pair_of_pair: Option<String>,
    },
    /// The regions' `depends_on` lists form a cycle.
    #[error("region dependency cycle {}", cycle.join(" -> "))]
    RegionCycle {
        /// One concrete cycle: starts and ends with the same id.
        cycle: Vec<String>,
        /// Every region caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A region's traffic share is negative, not finite or above 1, or the
    /// shares of all regions add up to more than 1.
    #[error("invalid traffic share {value}: {message}")]
    InvalidTrafficShare {
        /// The offending share, or the total.
        value: f64,
        /// What is wrong with it.
        message: String,
    },
    /// A region (or the plan) names a calendar that is not in `calendars`.
    #[error("unknown calendar `{calendar}`")]
    UnknownCalendar {
        /// The id that does not exist.
        calendar: String,
    },
    /// A service depends on a contract migration, which only runs after every
    /// region has finished.
    #[error("service `{service}` depends on contract migration `{migration}`, which runs only after every region has finished")]
    ContractDependency {
        /// The dependent service.
        service: String,
        /// The contract migration it depends on.
        migration: String,
    },
    /// A request names a step that is not in the schedule.
    #[error("no step deploys service `{service}` to region `{region}`")]
    UnknownStep {
        /// The region named.
        region: String,
        /// The service named.
        service: String,
    },
}

impl PlanError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            PlanError::DuplicateId { .. } => "duplicate_id",
            PlanError::UnknownDependency { .. } => "unknown_dependency",
            PlanError::SelfDependency { .. } => "self_dependency",
            PlanError::DependencyCycle { .. } => "dependency_cycle",
            PlanError::UnknownService { .. } => "unknown_service",
            PlanError::UnknownRegion { .. } => "unknown_region",
            PlanError::AsymmetricPair { .. } => "asymmetric_pair",
            PlanError::RegionCycle { .. } => "region_cycle",
            PlanError::InvalidTrafficShare { .. } => "invalid_traffic_share",
            PlanError::UnknownCalendar { .. } => "unknown_calendar",
            PlanError::ContractDependency { .. } => "contract_dependency",
            PlanError::UnknownStep { .. } => "unknown_step",
        }
    }
}
