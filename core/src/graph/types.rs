//! The values the graph takes and returns: borrowed services
//! ([`ServiceRef`]) and the results of the analyses, by id
//! ([`ServiceOrder`], [`CriticalPath`], [`BlastRadius`],
//! [`ParallelSchedule`]) and by position in the plan ([`IndexedOrder`],
//! [`IndexedCriticalPath`]).

use serde::{Deserialize, Serialize};

use crate::explain::Reason;
use crate::wire::DurationSecs;

/// What a [`ServiceGraph`](super::ServiceGraph) needs of one service, borrowed: see
/// [`ServiceGraph::from_refs`](super::ServiceGraph::from_refs). The fields mean what the same fields of
/// [`Service`](crate::plan::Service) mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRef<'a> {
    /// Unique, non-empty id.
    pub id: &'a str,
    /// Ids of the services that must be deployed before this one.
    pub depends_on: &'a [&'a str],
    /// How long one deployment of this service takes.
    pub deploy_duration: DurationSecs,
    /// Whether customers talk to this service directly.
    pub customer_facing: bool,
}

/// Deployment order of a plan's services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceOrder {
    /// Waves that can each be deployed in parallel: a service sits in the
    /// first wave after all of its dependencies. Ids sorted within a wave.
    pub waves: Vec<Vec<String>>,
    /// Waves for undoing the deployment: a service sits in the first wave
    /// after every service that depends on it, so dependents are rolled back
    /// before what they depend on. Ids sorted within a wave.
    pub rollback_waves: Vec<Vec<String>>,
    /// Earliest timings with unlimited parallelism and the path that
    /// determines the total duration.
    pub critical_path: CriticalPath,
    /// What the timings assume: `zero_deploy_duration` names the services
    /// without a `deploy_duration` (or 0), which count as taking no time.
    #[serde(default)]
    pub findings: Vec<Reason>,
}

/// Critical-path analysis with unlimited parallelism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CriticalPath {
    /// Total time from start until the last service finishes, in seconds.
    pub makespan_seconds: u64,
    /// The chain of services, first to last, whose durations add up to the
    /// makespan. Ties are broken by the smallest id.
    pub path: Vec<String>,
    /// Timings of every service, ordered by earliest start, then id.
    pub services: Vec<ServiceTiming>,
}

/// Timing of one service in a [`CriticalPath`], in seconds from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceTiming {
    /// Service id.
    pub id: String,
    /// Earliest time it can start: when its last dependency finishes.
    pub earliest_start: u64,
    /// `earliest_start` plus its deploy duration.
    pub earliest_finish: u64,
    /// Latest start that does not delay the makespan.
    pub latest_start: u64,
    /// Latest finish that does not delay the makespan.
    pub latest_finish: u64,
    /// `latest_start - earliest_start`; zero on a critical path.
    pub slack: u64,
}

/// [`ServiceOrder`] with services as positions in the plan's `services`
/// list; see [`ServiceGraph::order_indices`](super::ServiceGraph::order_indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedOrder {
    /// Deployment waves; positions ordered by id within a wave.
    pub waves: Vec<Vec<usize>>,
    /// Rollback waves; positions ordered by id within a wave.
    pub rollback_waves: Vec<Vec<usize>>,
    /// Timings and the critical path.
    pub critical_path: IndexedCriticalPath,
}

/// [`CriticalPath`] with services as positions in the plan's `services`
/// list; see [`ServiceGraph::critical_path_indices`](super::ServiceGraph::critical_path_indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedCriticalPath {
    /// Total time from start until the last service finishes, in seconds.
    pub makespan_seconds: u64,
    /// The chain of services, first to last, whose durations add up to the
    /// makespan.
    pub path: Vec<usize>,
    /// Timings of every service, ordered by earliest start, then id.
    pub services: Vec<IndexedTiming>,
}

/// [`ServiceTiming`] of the service at position `index` of the plan's
/// `services` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedTiming {
    /// Position of the service in the plan's `services` list.
    pub index: usize,
    /// Earliest time it can start: when its last dependency finishes.
    pub earliest_start: u64,
    /// `earliest_start` plus its deploy duration.
    pub earliest_finish: u64,
    /// Latest start that does not delay the makespan.
    pub latest_start: u64,
    /// Latest finish that does not delay the makespan.
    pub latest_finish: u64,
    /// `latest_start - earliest_start`; zero on a critical path.
    pub slack: u64,
}

/// Which services are affected if a service fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BlastRadius {
    /// One entry per requested service, sorted by id.
    pub services: Vec<ServiceBlast>,
}

/// The blast radius of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceBlast {
    /// The service.
    pub id: String,
    /// Every service that transitively depends on it, sorted by id.
    pub dependents: Vec<String>,
    /// `dependents.len()`.
    pub dependent_count: usize,
    /// How many of the dependents are customer facing.
    pub customer_facing_dependents: usize,
    /// Whether the service itself is customer facing.
    pub customer_facing: bool,
}

/// A schedule with a bound on how many deployments run at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParallelSchedule {
    /// The bound used.
    pub max_parallel: usize,
    /// Time until the last deployment finishes, in seconds.
    pub makespan_seconds: u64,
    /// Every service with its start and finish, ordered by start, then id.
    pub services: Vec<ScheduledService>,
    /// What the timings assume: `zero_deploy_duration` names the services
    /// without a `deploy_duration` (or 0), which count as taking no time.
    #[serde(default)]
    pub findings: Vec<Reason>,
}

/// One service's slot in a [`ParallelSchedule`], in seconds from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduledService {
    /// Service id.
    pub id: String,
    /// When its deployment starts.
    pub start: u64,
    /// When it finishes.
    pub finish: u64,
}
