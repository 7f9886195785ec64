//! The release-plan model: services and the dependencies between them.
//!
//! A plan is plain data in the canonical JSON shape (snake_case keys, unknown
//! fields rejected). It is checked when it is turned into a
//! [`ServiceGraph`](crate::ServiceGraph), which every analysis takes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::window::CalendarSpec;
use crate::wire::{self, DurationSecs};

/// A release plan: the services to deploy and what each one needs first.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{
///     "name": "checkout",
///     "services": [
///         {"id": "db", "deploy_duration": "5m", "stateful": true},
///         {"id": "api", "depends_on": ["db"], "deploy_duration": 120}
///     ]
/// }"#).unwrap();
/// assert_eq!(plan.services[1].deploy_duration.as_secs(), 120);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// A human name for the plan.
    pub name: String,
    /// The services to deploy; ids must be unique.
    pub services: Vec<Service>,
    /// The regions to roll out to (needed by
    /// [`schedule_rollout`](crate::schedule_rollout)); ids must be unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// How to roll out across regions (defaults when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutPolicy>,
    /// Named release calendars that regions refer to by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// Id of the calendar for regions that name none (none: unrestricted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// A deployment target region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Unique, non-empty id.
    pub id: String,
    /// Fraction of global traffic the region serves, in `[0, 1]`; the shares
    /// of all regions add up to at most 1 (default 0).
    #[serde(default)]
    pub traffic_share: f64,
    /// Rollout tier (default `standard`).
    #[serde(default)]
    pub tier: Tier,
    /// The paired region: never in the same wave; must name this region back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
    /// Regions that must finish (and bake) first, e.g. a primary before its replicas.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// IANA zone in which the region's step times are reported (default: its
    /// calendar's zone, else UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Id of the region's calendar in the plan's `calendars` (default: the
    /// plan's `calendar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// Rollout tier of a region: canaries first, then pilots, then the rest.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Takes the first wave.
    Canary,
    /// Goes before standard regions.
    Pilot,
    /// Everything else.
    #[default]
    Standard,
}

/// How a rollout proceeds across regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolloutPolicy {
    /// Region ids of the first wave (default: the canary-tier regions, or if
    /// none the region with the smallest traffic share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_wave: Option<Vec<String>>,
    /// Growth of the target wave size after the first wave: 1, g, g², …
    /// (default 2; at least 1).
    #[serde(default = "default_growth")]
    pub growth_factor: f64,
    /// Most regions in one wave (default: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_regions: Option<u32>,
    /// Most traffic share in one wave, in `(0, 1]` (default: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_traffic_per_wave: Option<f64>,
    /// How long each wave bakes before the next may start.
    #[serde(default)]
    pub bake_time: DurationSecs,
    /// Minimum number of metric samples the bake must collect (checked by the
    /// caller with its metrics; reported in each gate).
    #[serde(default)]
    pub min_bake_samples: u64,
    /// Extra gap between a wave's gate and the next wave.
    #[serde(default)]
    pub min_gap_between_waves: DurationSecs,
    /// Longest a single step may run before it counts as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<DurationSecs>,
    /// Failed steps tolerated before the rollout halts (default 0: halt on
    /// the first failure).
    #[serde(default)]
    pub max_failed_steps: u32,
    /// Deploy each region to one box first, with its own bake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_box: Option<OneBox>,
    /// Time to drain an instance group of a stateful service before it is
    /// deployed (default 0).
    #[serde(default)]
    pub drain_time: DurationSecs,
}

fn default_growth() -> f64 {
    2.0
}

impl Default for RolloutPolicy {
    fn default() -> Self {
        RolloutPolicy {
            first_wave: None,
            growth_factor: default_growth(),
            max_concurrent_regions: None,
            max_traffic_per_wave: None,
            bake_time: DurationSecs(0),
            min_bake_samples: 0,
            min_gap_between_waves: DurationSecs(0),
            timeout: None,
            max_failed_steps: 0,
            one_box: None,
            drain_time: DurationSecs(0),
        }
    }
}

/// The one-box stage of each region: a small slice deployed and baked before
/// the rest of the region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneBox {
    /// How long the one box bakes before the rest of the region.
    #[serde(default)]
    pub bake_time: DurationSecs,
}

/// A schema migration carried by a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// `expand` runs before its dependents in each region; `contract` runs
    /// only after every region has finished.
    pub phase: MigrationPhase,
    /// Whether it can be undone (default false: roll forward instead).
    #[serde(default)]
    pub reversible: bool,
}

/// Phase of an expand/contract migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationPhase {
    /// Backward-compatible addition (new columns, tables).
    Expand,
    /// Removal of what the old version needed; only after every region.
    Contract,
}

/// One deployable service of a [`Plan`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique, non-empty id.
    pub id: String,
    /// Ids of the services that must be deployed before this one.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// How long one deployment of this service takes (default 0).
    #[serde(default)]
    pub deploy_duration: DurationSecs,
    /// Whether the service holds state (databases, queues): it is rolled more
    /// carefully and its blast radius matters more.
    #[serde(default)]
    pub stateful: bool,
    /// Whether customers talk to this service directly.
    #[serde(default)]
    pub customer_facing: bool,
    /// The owning team or person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form labels.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The schema migration this service performs, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<Migration>,
    /// For a stateful service: how many instance groups a region's deployment
    /// rolls one at a time, each drained first (default 1; at least 1).
    /// `deploy_duration` is the time of one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_groups: Option<u32>,
}

impl Plan {
    /// Reads a plan from JSON text, with errors naming the offending path.
    ///
    /// ```
    /// let err = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "deploy_duration": "soon"}]}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid_duration");
    /// assert_eq!(err.path(), "/services/0/deploy_duration");
    /// ```
    pub fn from_json(json: &str) -> Result<Plan> {
        wire::from_json(json)
    }
}
