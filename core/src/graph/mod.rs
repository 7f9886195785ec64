//! The service dependency graph: a plan's services validated once into a
//! [`ServiceGraph`], which every analysis then takes by reference —
//! deployment waves, rollback order, critical path, blast radius and
//! bounded-parallel schedules.
//!
//! Edges point from a service to what it depends on. Adjacency is stored in
//! compressed (CSR) form in both directions, so layering is a linear-time
//! Kahn pass and memory stays at a few machine words per edge.
//!
//! Canonical order: ids are compared as byte strings; every list in a result
//! is sorted by id where no other order is stated, so results do not depend on
//! the order of the input lists.
//!
//! The files, in the order the data flows through them:
//!
//! | file | what |
//! |---|---|
//! | `types` | borrowed services ([`ServiceRef`]) and the result types |
//! | `source` | what building reads of a list of services, owned or borrowed |
//! | `id_index` | the ids packed in one string, with a hash index to positions |
//! | `service_graph` | the [`ServiceGraph`] and its accessors |
//! | `build` | validation (first error in plan order) and the adjacency |
//! | `cycle` | the `dependency_cycle` report |
//! | `layers` | deployment and rollback waves; [`order_services`] |
//! | `critical_path` | timings, slack and the critical path |
//! | `blast` | transitive dependents; [`blast_radius`] |
//! | `schedule` | list schedules with bounded parallelism; [`schedule_services`] |
//! | `findings` | what the timings assume (`zero_deploy_duration`) |
//!
//! Plans of 32,768 services or more are built and analysed on two threads
//! (`crate::parallel::join`); results and errors are the same either way.

mod blast;
mod build;
mod critical_path;
mod cycle;
mod findings;
mod id_index;
mod layers;
mod schedule;
mod service_graph;
mod source;
mod types;

#[cfg(test)]
mod tests;

pub use blast::blast_radius;
pub(crate) use findings::zero_deploy_duration;
pub use layers::order_services;
pub use schedule::schedule_services;
pub use service_graph::ServiceGraph;
pub use types::{
    BlastRadius, CriticalPath, IndexedCriticalPath, IndexedOrder, IndexedTiming, ParallelSchedule,
    ScheduledService, ServiceBlast, ServiceOrder, ServiceRef, ServiceTiming,
};
