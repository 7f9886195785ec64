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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The canary-watch configuration (the shape
    /// [`start_canary_watch`](crate::start_canary_watch) takes) a release
    /// controller watches each canary-gated wave with; read and checked by
    /// [`start_release`](crate::start_release) (errors under
    /// `/rollout/analysis`).
    // The schema names the shape start_release reads it as (the field stays
    // a JSON value here: the plan comes before the canary and release
    // modules in the data flow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::verdict::CanaryConfig>")
    )]
    pub analysis: Option<serde_json::Value>,
    /// The escalation policy of a release controller (rules, severities,
    /// notify lists; see [`EscalationPolicy`](crate::release::EscalationPolicy));
    /// read and checked by [`start_release`](crate::start_release) (errors
    /// under `/rollout/escalation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::release::EscalationPolicy>")
    )]
    pub escalation: Option<serde_json::Value>,
    /// Release stages after the last deployment wave: feature flags turned
    /// up to a share of units, each stage baked and gated by a canary
    /// verdict before the next (e.g. 1 → 5 → 25 → 100). Percentages of one
    /// flag must increase from stage to stage. See
    /// [`schedule_rollout`](crate::schedule_rollout).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub release_stages: Vec<ReleaseStage>,
}

/// A release stage of a [`RolloutPolicy`]: a feature flag turned up to a
/// percentage of units once the code is deployed everywhere.
///
/// ```
/// let stage: rollgate::ReleaseStage = rollgate::wire::from_json(
///     r#"{"flag": "new-checkout", "percentage": 5, "bake_time": "2h"}"#).unwrap();
/// assert_eq!(stage.bake_time, Some(rollgate::DurationSecs(7200)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseStage {
    /// The feature flag's key (as the flag system names it; see
    /// [`Flag`](crate::delivery::Flag)).
    pub flag: String,
    /// Share of units that see the feature from this stage on: a whole
    /// number from 1 to 100, above the flag's previous stage (the Unleash
    /// gradual-rollout percentage, or flagd's on weight out of 100).
    pub percentage: f64,
    /// How long the stage bakes before the next (default: the policy's
    /// `bake_time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake_time: Option<DurationSecs>,
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
            analysis: None,
            escalation: None,
            release_stages: Vec::new(),
        }
    }
}

/// The one-box stage of each region: a small slice deployed and baked before
/// the rest of the region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OneBox {
    /// How long the one box bakes before the rest of the region.
    #[serde(default)]
    pub bake_time: DurationSecs,
}

/// A schema migration carried by a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MigrationPhase {
    /// Backward-compatible addition (new columns, tables).
    Expand,
    /// Removal of what the old version needed; only after every region.
    Contract,
}

/// One deployable service of a [`Plan`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

#[cfg(test)]
mod tests {
    //! The plan's wire shape: defaults, names, strictness and a faithful
    //! round trip. What the plan means is tested with the analyses.
    use super::*;

    fn read(json: &str) -> Plan {
        Plan::from_json(json).unwrap()
    }

    /// The code and path of the error reading `json` gives.
    fn error(json: &str) -> (String, String) {
        let err = Plan::from_json(json).unwrap_err();
        (err.code().to_string(), err.path().to_string())
    }

    #[test]
    fn a_minimal_plan_takes_every_default() {
        let plan = read(r#"{"name": "p", "services": [{"id": "a"}]}"#);
        let expected = Plan {
            name: "p".into(),
            services: vec![Service {
                id: "a".into(),
                depends_on: vec![],
                deploy_duration: DurationSecs(0),
                stateful: false,
                customer_facing: false,
                owner: None,
                tags: vec![],
                migration: None,
                instance_groups: None,
            }],
            regions: vec![],
            rollout: None,
            calendars: BTreeMap::new(),
            calendar: None,
        };
        assert_eq!(plan, expected);
        assert_eq!(
            plan.services[0],
            Service {
                id: "a".into(),
                ..Service::default()
            }
        );
    }

    #[test]
    fn an_empty_rollout_policy_is_the_default_one() {
        let plan = read(r#"{"name": "p", "services": [], "rollout": {}}"#);
        let policy = plan.rollout.unwrap();
        assert_eq!(policy, RolloutPolicy::default());
        assert_eq!(policy.growth_factor, 2.0);
        assert_eq!(policy.bake_time, DurationSecs(0));
        assert_eq!(policy.first_wave, None);
        let given = read(
            r#"{"name": "p", "services": [], "rollout": {"growth_factor": 3,
                "bake_time": "1h", "one_box": {}, "max_failed_steps": 2}}"#,
        );
        let policy = given.rollout.unwrap();
        assert_eq!(policy.growth_factor, 3.0);
        assert_eq!(policy.bake_time, DurationSecs(3600));
        assert_eq!(
            policy.one_box,
            Some(OneBox {
                bake_time: DurationSecs(0)
            })
        );
        assert_eq!(policy.max_failed_steps, 2);
    }

    #[test]
    fn regions_default_to_standard_tier_and_no_traffic() {
        let plan = read(
            r#"{"name": "p", "services": [], "regions": [{"id": "eu"},
                {"id": "us", "tier": "pilot", "traffic_share": 0.5, "pair": "eu"}]}"#,
        );
        assert_eq!(plan.regions[0].tier, Tier::Standard);
        assert_eq!(plan.regions[0].traffic_share, 0.0);
        assert_eq!(plan.regions[0].pair, None);
        assert_eq!(plan.regions[1].tier, Tier::Pilot);
        assert_eq!(plan.regions[1].pair.as_deref(), Some("eu"));
        assert_eq!(Tier::default(), Tier::Standard);
        assert!(Tier::Canary < Tier::Pilot && Tier::Pilot < Tier::Standard);
    }

    #[test]
    fn enums_are_read_in_snake_case_only() {
        let plan = read(
            r#"{"name": "p", "services": [{"id": "a", "migration": {"phase": "contract"}},
                {"id": "b", "migration": {"phase": "expand", "reversible": true}}],
                "regions": [{"id": "x", "tier": "canary"}]}"#,
        );
        let phases: Vec<_> = plan.services.iter().map(|s| s.migration.clone()).collect();
        assert_eq!(
            phases,
            [
                Some(Migration {
                    phase: MigrationPhase::Contract,
                    reversible: false
                }),
                Some(Migration {
                    phase: MigrationPhase::Expand,
                    reversible: true
                }),
            ]
        );
        assert_eq!(plan.regions[0].tier, Tier::Canary);
        let bad = r#"{"name": "p", "services": [], "regions": [{"id": "x", "tier": "Pilot"}]}"#;
        assert_eq!(
            error(bad),
            ("invalid_input".into(), "/regions/0/tier".into())
        );
    }

    #[test]
    fn unknown_fields_are_rejected_at_every_level() {
        for (json, path) in [
            (r#"{"name": "p", "services": [], "colour": 1}"#, "/colour"),
            (
                r#"{"name": "p", "services": [{"id": "a", "colour": 1}]}"#,
                "/services/0/colour",
            ),
            (
                r#"{"name": "p", "services": [], "regions": [{"id": "x", "colour": 1}]}"#,
                "/regions/0/colour",
            ),
            (
                r#"{"name": "p", "services": [], "rollout": {"colour": 1}}"#,
                "/rollout/colour",
            ),
            (
                r#"{"name": "p", "services": [], "rollout": {"one_box": {"colour": 1}}}"#,
                "/rollout/one_box/colour",
            ),
            (
                r#"{"name": "p", "services": [{"id": "a", "migration": {"phase": "expand", "colour": 1}}]}"#,
                "/services/0/migration/colour",
            ),
        ] {
            assert_eq!(error(json), ("unknown_field".into(), path.into()), "{json}");
        }
    }

    #[test]
    fn missing_and_mistyped_fields_name_their_place() {
        for (json, code, path) in [
            (r#"{"services": []}"#, "invalid_input", ""),
            (r#"{"name": "p"}"#, "invalid_input", ""),
            (
                r#"{"name": "p", "services": [{"depends_on": []}]}"#,
                "invalid_input",
                "/services/0",
            ),
            (
                r#"{"name": "p", "services": [{"id": "a", "migration": {}}]}"#,
                "invalid_input",
                "/services/0/migration",
            ),
            (
                r#"{"name": "p", "services": [{"id": 7}]}"#,
                "invalid_input",
                "/services/0/id",
            ),
            (
                r#"{"name": "p", "services": [{"id": "a", "depends_on": "b"}]}"#,
                "invalid_input",
                "/services/0/depends_on",
            ),
            (
                r#"{"name": "p", "services": [{"id": "a", "deploy_duration": -1}]}"#,
                "invalid_duration",
                "/services/0/deploy_duration",
            ),
            (
                r#"{"name": "p", "services": [{"id": "a", "instance_groups": -1}]}"#,
                "invalid_input",
                "/services/0/instance_groups",
            ),
            (
                r#"{"name": "p", "services": [], "calendars": {"c": {"colour": 1}}}"#,
                "unknown_field",
                "/calendars/c/colour",
            ),
            (r#"{"name": "p", "services": []"#, "invalid_input", ""),
        ] {
            assert_eq!(error(json), (code.into(), path.into()), "{json}");
        }
    }

    #[test]
    fn every_field_survives_a_round_trip() {
        let plan = read(
            r#"{"name": "full", "calendar": "ops",
                "calendars": {"ops": {"time_zone": "Europe/Berlin", "holidays": ["2026-12-24"]}},
                "services": [
                  {"id": "db", "deploy_duration": "10m", "stateful": true, "owner": "data",
                   "tags": ["tier1"], "migration": {"phase": "expand", "reversible": true},
                   "instance_groups": 3},
                  {"id": "api", "depends_on": ["db"], "deploy_duration": 90, "customer_facing": true}],
                "regions": [{"id": "eu", "tier": "canary", "traffic_share": 0.25, "depends_on": [],
                             "time_zone": "Europe/Paris", "calendar": "ops"}],
                "rollout": {"first_wave": ["eu"], "growth_factor": 1.5, "max_concurrent_regions": 2,
                            "max_traffic_per_wave": 0.5, "bake_time": "1h", "min_bake_samples": 100,
                            "min_gap_between_waves": "15m", "timeout": "2h", "max_failed_steps": 1,
                            "one_box": {"bake_time": "10m"}, "drain_time": "30s"}}"#,
        );
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["services"][0]["deploy_duration"], 600);
        assert_eq!(json["rollout"]["timeout"], 7200);
        assert_eq!(Plan::from_json(&json.to_string()).unwrap(), plan);
    }

    #[test]
    fn absent_optional_parts_stay_absent_on_output() {
        let plan = read(r#"{"name": "p", "services": [{"id": "a"}]}"#);
        let json = serde_json::to_value(&plan).unwrap();
        let keys = |value: &serde_json::Value| -> Vec<String> {
            let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(&json), ["name", "services"]);
        assert_eq!(
            keys(&json["services"][0]),
            [
                "customer_facing",
                "depends_on",
                "deploy_duration",
                "id",
                "stateful",
                "tags"
            ]
        );
    }
}
