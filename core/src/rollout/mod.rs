//! Multi-region rollout: waves of regions, steps of services inside each
//! region, release windows, bake gates, rollback plans and a Mermaid Gantt
//! rendering.
//!
//! # How a schedule is built
//!
//! 1. **Regions are checked**: unique ids, known `pair` and `depends_on`
//!    targets, symmetric pairs, no region dependency cycle, traffic shares in
//!    `[0, 1]` adding up to at most 1, known calendars and time zones.
//! 2. **Waves** are formed greedily. A region is a candidate once every region
//!    it depends on sits in an earlier wave. Candidates are taken in the order
//!    tier (canary, pilot, standard), traffic share (smallest first), id. The
//!    first wave takes `rollout.first_wave` if given (as named, whatever
//!    their tiers), else the canary-tier regions, else the single region with
//!    the smallest traffic share of the first tier present (never the
//!    largest first). A later wave never mixes tiers: it takes candidates of
//!    the first tier among them only (reason `tier_order` for the others), so
//!    canary waves come before pilot waves and pilot waves before standard
//!    waves — unless a region dependency puts a region of an earlier tier
//!    after one of a later tier. Later waves have a target size of
//!    `⌈g^(k-1)⌉` for wave `k` (growth factor `g`, default 2: 1, 2, 4, …). A
//!    candidate is deferred when the wave is full, when it would exceed
//!    `max_concurrent_regions` or `max_traffic_per_wave`, or when its pair is
//!    already in the wave. A region whose share alone exceeds the traffic cap
//!    gets a wave of its own (reason `over_traffic_cap`).
//! 3. **Steps**: within a region, services are deployed in the dependency
//!    waves of [`ServiceGraph`](crate::ServiceGraph) (all services of a graph
//!    wave together, the next graph wave when the slowest has finished). Each
//!    graph wave is a batch that must fit inside one allowed stretch of the
//!    region's calendar; when it does not fit at the earliest time, the
//!    schedule waits for the next window and records why — the calendar's
//!    reasons at that time, and every freeze or holiday that held it back
//!    until the window. Regions of a wave run in parallel. With `one_box`,
//!    each region first runs all its batches on one box and bakes
//!    `one_box.bake_time`. A stateful service rolls its `instance_groups` one
//!    at a time, each drained for `drain_time` first (one step per group; the
//!    one box is a single group).
//! 4. **Gates**: after a wave's last step, it bakes `bake_time` (and needs
//!    `min_bake_samples` samples, health and smoke checks, and for canary
//!    waves a canary verdict) before the next wave may start, plus
//!    `min_gap_between_waves`. Paired regions are in different waves, so the
//!    second always waits for the first one's bake.
//! 5. **Contract migrations** run in a final wave in every region after the
//!    last regular wave has passed its gate. Expand migrations are ordinary
//!    services: the dependency order puts them before their dependents.
//! 6. **Release stages** (`rollout.release_stages`) follow the last wave's
//!    gate (and `min_gap_between_waves`): each turns a feature flag up to a
//!    percentage of units at the first instant the plan's `calendar` allows
//!    (a flag change is a release too: freezes and holidays hold it back,
//!    and the wait is explained), then bakes its own `bake_time` (default
//!    the policy's) and needs alarms, health and a canary verdict before
//!    the next stage. The percentages of one flag must increase (reason
//!    `flag_stage`, evidence `from` and `to`).
//! 7. **Findings** that do not stop the schedule: `step_exceeds_timeout` (a
//!    step planned longer than the per-step `timeout`) and
//!    `zero_deploy_duration` (a service without `deploy_duration` counts as
//!    0 s: its steps take no time, which the schedule says rather than
//!    hides).
//!
//! Every reason — a wave's placement, a wait, a finding, a rollback — is a
//! [`Reason`](crate::explain::Reason); the codes are in the table of
//! [`explain`](crate::explain).
//!
//! Wave formation is O(R log R + D) for R regions and D region
//! dependencies (plus the deferred regions the reasons list); the service
//! graph is built once and reused for every region.
//!
//! # Layout
//!
//! `regions` (checks) → `waves` (which regions go together) → `steps`
//! (services inside a region, fitted into its windows) → `schedule` (waves
//! run one after another with gates) → `flag_stages` (feature flags turned
//! up after the last wave) → `rollback` and `gantt` (what a schedule is
//! used for).

mod flag_stages;
mod gantt;
mod gate;
mod regions;
mod rollback;
mod schedule;
mod steps;
#[cfg(test)]
mod tests;
mod waves;

pub use flag_stages::FlagStage;
pub use gantt::to_mermaid_gantt;
pub use gate::Gate;
pub use rollback::{rollback_plan, HaltedAt, RollbackPlan, UndoStep};
pub use schedule::{schedule_rollout, HaltRule, Schedule, Wave};
pub use steps::{Step, WindowWait};
