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
//!    first wave takes `rollout.first_wave` if given, else the canary-tier
//!    regions, else the single region with the smallest traffic share (never
//!    the largest first). Later waves have a target size of `⌈g^(k-1)⌉` for
//!    wave `k` (growth factor `g`, default 2: 1, 2, 4, …). A candidate is
//!    deferred when the wave is full, when it would exceed
//!    `max_concurrent_regions` or `max_traffic_per_wave`, or when its pair is
//!    already in the wave. A region whose share alone exceeds the traffic cap
//!    gets a wave of its own (reason `over_traffic_cap`).
//! 3. **Steps**: within a region, services are deployed in the dependency
//!    waves of [`ServiceGraph`] (all services of a graph wave together, the
//!    next graph wave when the slowest has finished). Each graph wave is a
//!    batch that must fit inside one allowed stretch of the region's
//!    calendar; when it does not fit at the earliest time, the schedule
//!    waits for the next window and records why. Regions of a wave run in
//!    parallel. With `one_box`, each region first runs all its batches on one
//!    box and bakes `one_box.bake_time`. A stateful service rolls its
//!    `instance_groups` one at a time, each drained for `drain_time` first
//!    (one step per group; the one box is a single group). A step planned
//!    longer than the per-step `timeout` is reported as a
//!    `step_exceeds_timeout` finding.
//! 4. **Gates**: after a wave's last step, it bakes `bake_time` (and needs
//!    `min_bake_samples` samples, health and smoke checks, and for canary
//!    waves a canary verdict) before the next wave may start, plus
//!    `min_gap_between_waves`. Paired regions are in different waves, so the
//!    second always waits for the first one's bake.
//! 5. **Contract migrations** run in a final wave in every region after the
//!    last regular wave has passed its gate. Expand migrations are ordinary
//!    services: the dependency order puts them before their dependents.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, PlanError, Result};
use crate::graph::ServiceGraph;
use crate::plan::{MigrationPhase, Plan, RolloutPolicy, Tier};
use crate::window::{format_in, parse_time_zone, parse_timestamp, Calendar, DEFAULT_HORIZON};

/// A rollout schedule: waves of regions with their steps, gates and waits.
///
/// Plain data (serde), meant to be printed as a table, rendered with
/// [`to_mermaid_gantt`] or handed back to [`rollback_plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The plan's name.
    pub plan: String,
    /// When the rollout starts (RFC 3339, as given).
    pub start: String,
    /// When the last gate passes (RFC 3339, offset of `start`).
    pub finish: String,
    /// Seconds from `start` until the last wave has baked.
    pub total_duration_seconds: u64,
    /// When the rollout halts: failed steps tolerated and the per-step timeout.
    pub halt_rule: HaltRule,
    /// Things the caller should know that do not stop the schedule, e.g.
    /// `step_exceeds_timeout` (a step planned longer than the per-step
    /// timeout would always count as failed).
    #[serde(default)]
    pub findings: Vec<ScheduleFinding>,
    /// The waves, in order.
    pub waves: Vec<Wave>,
}

/// A finding about a schedule as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFinding {
    /// Machine code, e.g. `step_exceeds_timeout`.
    pub code: String,
    /// The services concerned, sorted.
    pub services: Vec<String>,
    /// A human sentence.
    pub message: String,
}

/// When a rollout must halt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HaltRule {
    /// Halt when more than this many steps have failed.
    pub max_failed_steps: u32,
    /// A step running longer than this has failed (`None`: no timeout).
    pub step_timeout_seconds: Option<u64>,
}

/// One wave of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// 1-based position.
    pub number: usize,
    /// `regions` for a regular wave, `contract` for the final contract-migration phase.
    pub kind: String,
    /// Regions deployed in this wave, sorted by id.
    pub regions: Vec<String>,
    /// Sum of the regions' traffic shares.
    pub traffic_share: f64,
    /// Why these regions are here (and why others are not).
    pub reasons: Vec<PlacementReason>,
    /// When the wave may start (RFC 3339, offset of the schedule start).
    pub start: String,
    /// When its last step finishes.
    pub finish: String,
    /// `start` in seconds from the schedule start.
    pub start_seconds: u64,
    /// `finish` in seconds from the schedule start.
    pub finish_seconds: u64,
    /// Times a region had to wait for a release window, and why.
    pub waits: Vec<WindowWait>,
    /// Deployment steps, ordered by start, region, service.
    pub steps: Vec<Step>,
    /// What must pass before the next wave.
    pub gate: Gate,
}

/// A machine code and a sentence explaining a wave's composition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementReason {
    /// `canary_first`, `first_wave`, `smallest_first`, `growth`,
    /// `region_dependency`, `pair_separated`, `traffic_cap`,
    /// `over_traffic_cap`, `concurrency_cap`, `contract_phase`.
    pub code: String,
    /// The regions concerned, sorted.
    pub regions: Vec<String>,
    /// A human sentence.
    pub message: String,
}

/// A wait for a release window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowWait {
    /// The region that waits.
    pub region: String,
    /// When it was ready (region's offset).
    pub from: String,
    /// When the window allows it to go on.
    pub until: String,
    /// Length of the wait.
    pub seconds: u64,
    /// The calendar's reasons why it could not go at `from` (codes as in
    /// [`check_window`](crate::check_window)).
    pub reasons: Vec<crate::window::WindowReason>,
}

/// One service deployed to one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Service id.
    pub service: String,
    /// Region id.
    pub region: String,
    /// `one_box`, `full` or `contract`.
    pub stage: String,
    /// Dependency wave of the service inside the region (0 first).
    pub layer: u32,
    /// Planned start (RFC 3339, region's offset).
    pub start: String,
    /// Planned finish.
    pub finish: String,
    /// `start` in seconds from the schedule start.
    pub start_seconds: u64,
    /// `finish` in seconds from the schedule start.
    pub finish_seconds: u64,
    /// Migration phase, if the service is a migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationPhase>,
    /// Whether the step can be undone (false only for irreversible migrations).
    pub reversible: bool,
    /// For a stateful service: which instance group (1-based) this step rolls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Drain time at the start of the step (stateful services).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drain_seconds: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What must pass before the next wave starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Bake time after the wave's last step.
    pub bake_seconds: u64,
    /// Minimum number of metric samples the bake must collect.
    pub min_bake_samples: u64,
    /// Checks the caller must see pass: `alarms_clear`, `health`, `smoke`,
    /// and `canary_verdict` for a wave with canary-tier regions.
    pub checks: Vec<String>,
    /// Earliest time the gate can pass (RFC 3339, offset of the schedule start).
    pub earliest_pass: String,
    /// `earliest_pass` in seconds from the schedule start.
    pub earliest_pass_seconds: u64,
}

/// Where a rollout halted: a step (`{"region", "service"}`, optionally
/// `"stage"`) or an RFC 3339 time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HaltedAt {
    /// The step that failed: it and the steps running with it are in flight.
    Step {
        /// Region id.
        region: String,
        /// Service id.
        service: String,
        /// `one_box`, `full` or `contract` (default: the first matching step).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
    },
    /// A time: steps running then are in flight, finished ones completed.
    Time(String),
}

/// What to undo after a halt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackPlan {
    /// The halt time (RFC 3339, offset of the schedule start).
    pub halted_at: String,
    /// `roll_back`, `roll_forward` (something cannot be undone) or
    /// `nothing_to_undo`.
    pub recommendation: String,
    /// Steps to undo, in order: most recent wave first, then stage (full
    /// before one box), then reverse dependency order, then region, service.
    pub undo: Vec<UndoStep>,
    /// Completed or in-flight steps that cannot be undone.
    pub cannot_undo: Vec<UndoStep>,
    /// Steps that had not started (nothing to do).
    pub not_started: usize,
    /// Why this recommendation.
    pub reasons: Vec<RollbackReason>,
}

/// A step in a [`RollbackPlan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UndoStep {
    /// Service id.
    pub service: String,
    /// Region id.
    pub region: String,
    /// Stage of the step.
    pub stage: String,
    /// Wave number.
    pub wave: usize,
    /// `completed` or `in_flight`.
    pub state: String,
    /// Instance group of a stateful service's step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
}

/// A reason of a [`RollbackPlan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackReason {
    /// `irreversible_migration`, `undo_in_reverse_order`, `nothing_started`.
    pub code: String,
    /// The service concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// A human sentence.
    pub message: String,
}

struct RegionInfo<'a> {
    id: &'a str,
    share: f64,
    tier: Tier,
    pair: Option<usize>,
    deps: Vec<usize>,
    tz: Tz,
    calendar: Option<(&'a Calendar, String)>,
}

/// Checks the plan's regions; returns them in plan order.
fn check_regions<'a>(
    plan: &'a Plan,
    calendars: &'a BTreeMap<String, Calendar>,
) -> Result<Vec<RegionInfo<'a>>> {
    if plan.regions.is_empty() {
        return Err(Error::invalid_input(
            "/regions",
            "a rollout needs at least one region",
        ));
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in plan.regions.iter().enumerate() {
        if r.id.is_empty() {
            return Err(Error::invalid_input(
                format!("/regions/{i}/id"),
                "region id must not be empty",
            ));
        }
        if let Some(&first) = index.get(r.id.as_str()) {
            return Err(Error::new(
                format!("/regions/{i}/id"),
                PlanError::DuplicateId {
                    id: r.id.clone(),
                    first_path: format!("/regions/{first}/id"),
                },
            ));
        }
        index.insert(&r.id, i);
    }
    if let Some(id) = &plan.calendar {
        if !calendars.contains_key(id) {
            return Err(Error::new(
                "/calendar",
                PlanError::UnknownCalendar {
                    calendar: id.clone(),
                },
            ));
        }
    }
    let mut total = 0.0;
    let mut out = Vec::with_capacity(plan.regions.len());
    for (i, r) in plan.regions.iter().enumerate() {
        if !r.traffic_share.is_finite() || !(0.0..=1.0).contains(&r.traffic_share) {
            return Err(Error::new(
                format!("/regions/{i}/traffic_share"),
                PlanError::InvalidTrafficShare {
                    value: r.traffic_share,
                    message: "must be a number between 0 and 1".into(),
                },
            ));
        }
        total += r.traffic_share;
        let pair = match &r.pair {
            None => None,
            Some(p) => {
                let path = format!("/regions/{i}/pair");
                let Some(&j) = index.get(p.as_str()) else {
                    return Err(Error::new(
                        path,
                        PlanError::UnknownRegion {
                            region: r.id.clone(),
                            target: p.clone(),
                        },
                    ));
                };
                let back = plan.regions.get(j).and_then(|o| o.pair.clone());
                if j == i || back.as_deref() != Some(r.id.as_str()) {
                    return Err(Error::new(
                        path,
                        PlanError::AsymmetricPair {
                            region: r.id.clone(),
                            pair: p.clone(),
                            pair_of_pair: back,
                        },
                    ));
                }
                Some(j)
            }
        };
        let mut deps = Vec::with_capacity(r.depends_on.len());
        for (j, d) in r.depends_on.iter().enumerate() {
            let path = format!("/regions/{i}/depends_on/{j}");
            match index.get(d.as_str()) {
                None => {
                    return Err(Error::new(
                        path,
                        PlanError::UnknownRegion {
                            region: r.id.clone(),
                            target: d.clone(),
                        },
                    ))
                }
                Some(&k) if k == i => {
                    return Err(Error::new(
                        path,
                        PlanError::RegionCycle {
                            cycle: vec![r.id.clone(), r.id.clone()],
                            members: vec![r.id.clone()],
                        },
                    ))
                }
                Some(&k) => {
                    if !deps.contains(&k) {
                        deps.push(k);
                    }
                }
            }
        }
        let (calendar_id, calendar_path) = match (&r.calendar, &plan.calendar) {
            (Some(c), _) => (Some(c), format!("/regions/{i}/calendar")),
            (None, Some(c)) => (Some(c), "/calendar".to_string()),
            (None, None) => (None, String::new()),
        };
        let calendar = match calendar_id {
            None => None,
            Some(c) => match calendars.get(c) {
                Some(cal) => Some((cal, calendar_path)),
                None => {
                    return Err(Error::new(
                        calendar_path,
                        PlanError::UnknownCalendar {
                            calendar: c.clone(),
                        },
                    ))
                }
            },
        };
        let tz = match &r.time_zone {
            Some(name) => parse_time_zone(&format!("/regions/{i}/time_zone"), name)?,
            None => calendar.as_ref().map_or(Tz::UTC, |(c, _)| c.time_zone()),
        };
        out.push(RegionInfo {
            id: &r.id,
            share: r.traffic_share,
            tier: r.tier,
            pair,
            deps,
            tz,
            calendar,
        });
    }
    if total > 1.0 + 1e-9 {
        return Err(Error::new(
            "/regions",
            PlanError::InvalidTrafficShare {
                value: total,
                message: "the regions' traffic shares add up to more than 1".into(),
            },
        ));
    }
    check_region_cycles(plan, &out)?;
    Ok(out)
}

/// Reports a region dependency cycle: the members of every cyclic strongly
/// connected component, and a cycle through the smallest member found by
/// following the smallest member dependency.
fn check_region_cycles(plan: &Plan, regions: &[RegionInfo<'_>]) -> Result<()> {
    use petgraph::graph::DiGraph;
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..regions.len()).map(|i| g.add_node(i)).collect();
    for (i, r) in regions.iter().enumerate() {
        for &d in &r.deps {
            if let (Some(&a), Some(&b)) = (nodes.get(i), nodes.get(d)) {
                g.add_edge(a, b, ());
            }
        }
    }
    let mut members: Vec<usize> = Vec::new();
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() > 1 {
            members.extend(scc.iter().filter_map(|&n| g.node_weight(n).copied()));
        }
    }
    if members.is_empty() {
        return Ok(());
    }
    let id = |i: usize| regions.get(i).map_or("", |r| r.id);
    members.sort_unstable_by_key(|&i| id(i));
    let in_cycle: BTreeSet<usize> = members.iter().copied().collect();
    let start = members.first().copied().unwrap_or(0);
    // Walk smallest in-cycle dependencies until a region repeats.
    let mut walk = vec![start];
    let mut current = start;
    loop {
        let next = regions
            .get(current)
            .and_then(|r| {
                r.deps
                    .iter()
                    .copied()
                    .filter(|d| in_cycle.contains(d))
                    .min_by_key(|&d| id(d))
            })
            .unwrap_or(start);
        if let Some(pos) = walk.iter().position(|&w| w == next) {
            let mut cycle: Vec<usize> = walk.split_off(pos);
            cycle.push(next);
            let (a, b) = (
                cycle.first().copied().unwrap_or(0),
                cycle.get(1).copied().unwrap_or(0),
            );
            let j = plan
                .regions
                .get(a)
                .and_then(|r| r.depends_on.iter().position(|d| d == id(b)))
                .unwrap_or(0);
            return Err(Error::new(
                format!("/regions/{a}/depends_on/{j}"),
                PlanError::RegionCycle {
                    cycle: cycle.iter().map(|&c| id(c).to_string()).collect(),
                    members: members.iter().map(|&m| id(m).to_string()).collect(),
                },
            ));
        }
        walk.push(next);
        current = next;
    }
}

fn check_policy(policy: &RolloutPolicy, plan: &Plan) -> Result<()> {
    if !policy.growth_factor.is_finite() || policy.growth_factor < 1.0 {
        return Err(Error::invalid_input(
            "/rollout/growth_factor",
            format!(
                "growth_factor must be a number of at least 1, got {}",
                policy.growth_factor
            ),
        ));
    }
    if policy.max_concurrent_regions == Some(0) {
        return Err(Error::invalid_input(
            "/rollout/max_concurrent_regions",
            "max_concurrent_regions must be at least 1",
        ));
    }
    if let Some(cap) = policy.max_traffic_per_wave {
        if !cap.is_finite() || cap <= 0.0 || cap > 1.0 {
            return Err(Error::new(
                "/rollout/max_traffic_per_wave",
                PlanError::InvalidTrafficShare {
                    value: cap,
                    message: "max_traffic_per_wave must be above 0 and at most 1".into(),
                },
            ));
        }
    }
    if let Some(first) = &policy.first_wave {
        for (j, id) in first.iter().enumerate() {
            if !plan.regions.iter().any(|r| &r.id == id) {
                return Err(Error::new(
                    format!("/rollout/first_wave/{j}"),
                    PlanError::UnknownRegion {
                        region: "first_wave".into(),
                        target: id.clone(),
                    },
                ));
            }
        }
    }
    Ok(())
}

struct WavePlan {
    regions: Vec<usize>,
    reasons: Vec<PlacementReason>,
}

fn reason(code: &str, regions: Vec<String>, message: String) -> PlacementReason {
    let mut regions = regions;
    regions.sort();
    PlacementReason {
        code: code.into(),
        regions,
        message,
    }
}

/// Forms the waves of regions (see the module documentation).
fn form_waves(regions: &[RegionInfo<'_>], policy: &RolloutPolicy) -> Vec<WavePlan> {
    let n = regions.len();
    let id = |i: usize| regions.get(i).map_or("", |r| r.id);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let ka = regions.get(a).map(|r| (r.tier, r.share, r.id));
        let kb = regions.get(b).map(|r| (r.tier, r.share, r.id));
        ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut wave_of: Vec<Option<usize>> = vec![None; n];
    let mut waves: Vec<WavePlan> = Vec::new();
    let mut target = 1.0_f64;
    let cap_regions = policy
        .max_concurrent_regions
        .map_or(usize::MAX, |c| c as usize);
    let cap_traffic = policy.max_traffic_per_wave.unwrap_or(f64::INFINITY);
    while wave_of.iter().any(Option::is_none) {
        let k = waves.len();
        let ready: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&r| {
                wave_of.get(r) == Some(&None)
                    && regions.get(r).is_some_and(|info| {
                        info.deps
                            .iter()
                            .all(|&d| wave_of.get(d).copied().flatten().is_some_and(|w| w < k))
                    })
            })
            .collect();
        let mut reasons = Vec::new();
        let (pool, limit): (Vec<usize>, usize) = if k == 0 {
            let explicit: Vec<usize> = match &policy.first_wave {
                Some(list) => ready
                    .iter()
                    .copied()
                    .filter(|&r| list.iter().any(|x| x == id(r)))
                    .collect(),
                None => Vec::new(),
            };
            let canaries: Vec<usize> = ready
                .iter()
                .copied()
                .filter(|&r| regions.get(r).is_some_and(|i| i.tier == Tier::Canary))
                .collect();
            if !explicit.is_empty() {
                let names = explicit.iter().map(|&r| id(r).to_string()).collect();
                reasons.push(reason(
                    "first_wave",
                    names,
                    "the rollout policy names the first wave".into(),
                ));
                (explicit, usize::MAX)
            } else if !canaries.is_empty() {
                let names = canaries.iter().map(|&r| id(r).to_string()).collect();
                reasons.push(reason(
                    "canary_first",
                    names,
                    "canary-tier regions go first".into(),
                ));
                (canaries, usize::MAX)
            } else {
                let smallest: Vec<usize> = ready
                    .iter()
                    .copied()
                    .min_by(|&a, &b| {
                        let key = |r: usize| regions.get(r).map(|i| (i.share, i.id));
                        key(a)
                            .partial_cmp(&key(b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                    .into_iter()
                    .collect();
                let names = smallest.iter().map(|&r| id(r).to_string()).collect();
                reasons.push(reason(
                    "smallest_first",
                    names,
                    "no canary-tier region: the region with the smallest traffic share goes first"
                        .into(),
                ));
                (smallest, 1)
            }
        } else {
            target *= policy.growth_factor;
            let limit = if target >= 1e9 {
                usize::MAX
            } else {
                (target - 1e-9).ceil().max(1.0) as usize
            };
            (ready.clone(), limit)
        };
        let mut chosen: Vec<usize> = Vec::new();
        let mut traffic = 0.0;
        let (mut by_growth, mut by_concurrency, mut by_traffic) =
            (Vec::new(), Vec::new(), Vec::new());
        let mut by_pair: Vec<(String, String)> = Vec::new();
        for &r in &pool {
            let Some(info) = regions.get(r) else { continue };
            if let Some(p) = info.pair {
                if chosen.contains(&p) {
                    by_pair.push((info.id.to_string(), id(p).to_string()));
                    continue;
                }
            }
            if chosen.len() >= limit {
                by_growth.push(info.id.to_string());
                continue;
            }
            if chosen.len() >= cap_regions {
                by_concurrency.push(info.id.to_string());
                continue;
            }
            if !chosen.is_empty() && traffic + info.share > cap_traffic + 1e-12 {
                by_traffic.push(info.id.to_string());
                continue;
            }
            chosen.push(r);
            traffic += info.share;
        }
        if k > 0 {
            let mut msg = format!(
                "target wave size {} (growth factor {})",
                if limit == usize::MAX {
                    "unbounded".to_string()
                } else {
                    limit.to_string()
                },
                policy.growth_factor
            );
            if !by_growth.is_empty() {
                msg.push_str(&format!("; deferred: {}", by_growth.join(", ")));
            }
            reasons.push(reason("growth", by_growth, msg));
        }
        if !by_concurrency.is_empty() {
            let msg = format!(
                "at most {cap_regions} regions at once; deferred: {}",
                by_concurrency.join(", ")
            );
            reasons.push(reason("concurrency_cap", by_concurrency, msg));
        }
        if !by_traffic.is_empty() {
            let msg = format!(
                "at most {cap_traffic} of traffic per wave; deferred: {}",
                by_traffic.join(", ")
            );
            reasons.push(reason("traffic_cap", by_traffic, msg));
        }
        for (region, pair) in by_pair {
            let msg = format!(
                "{region} deferred: its pair {pair} is in this wave; it waits for {pair}'s bake"
            );
            reasons.push(reason("pair_separated", vec![region, pair], msg));
        }
        if chosen.len() == 1 && traffic > cap_traffic + 1e-12 {
            let names = chosen.iter().map(|&r| id(r).to_string()).collect();
            reasons.push(reason(
                "over_traffic_cap",
                names,
                format!("its traffic share {traffic} alone exceeds the cap {cap_traffic}: it gets a wave of its own"),
            ));
        }
        let with_deps: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&r| regions.get(r).is_some_and(|i| !i.deps.is_empty()))
            .collect();
        for r in with_deps {
            let deps: Vec<&str> = regions
                .get(r)
                .map(|i| {
                    let mut d: Vec<&str> = i.deps.iter().map(|&d| id(d)).collect();
                    d.sort_unstable();
                    d
                })
                .unwrap_or_default();
            let mut names = vec![id(r).to_string()];
            names.extend(deps.iter().map(|d| d.to_string()));
            reasons.push(reason(
                "region_dependency",
                names,
                format!("{} follows {} (earlier waves)", id(r), deps.join(", ")),
            ));
        }
        for &r in &chosen {
            if let Some(slot) = wave_of.get_mut(r) {
                *slot = Some(k);
            }
        }
        if chosen.is_empty() {
            // Cannot happen with an acyclic region graph; stop rather than loop.
            break;
        }
        chosen.sort_unstable_by_key(|&r| id(r));
        waves.push(WavePlan {
            regions: chosen,
            reasons,
        });
    }
    waves
}

/// A batch of services deployed together inside a region.
struct Batch {
    services: Vec<usize>,
    duration: i64,
    layer: u32,
}

fn batches(
    graph: &ServiceGraph,
    include: impl Fn(usize) -> bool,
    occupancy: impl Fn(usize) -> i64,
) -> Vec<Batch> {
    let mut by_layer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for v in graph.topological_order() {
        if include(v) {
            by_layer
                .entry(graph.wave_of(v).unwrap_or(0))
                .or_default()
                .push(v);
        }
    }
    by_layer
        .into_iter()
        .map(|(layer, mut services)| {
            services.sort_unstable_by(|&a, &b| graph.id(a).cmp(&graph.id(b)));
            let duration = services.iter().map(|&s| occupancy(s)).max().unwrap_or(0);
            Batch {
                services,
                duration,
                layer: layer as u32,
            }
        })
        .collect()
}

/// Builds the rollout schedule of a plan starting at `start`; see the module
/// documentation for the rules.
///
/// Errors: every [`ServiceGraph::new`] error; region errors
/// (`duplicate_id`, `unknown_region`, `asymmetric_pair`, `region_cycle`,
/// `invalid_traffic_share`, `unknown_calendar`, `invalid_time_zone`),
/// `contract_dependency`, `invalid_input` for a bad policy or no regions;
/// calendar errors with paths under `/calendars/<id>`; `window_too_short` or
/// `no_window_within_horizon` (path: the region's calendar reference) when a
/// batch of services never fits a region's windows within 366 days.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{
///   "name": "checkout",
///   "services": [{"id": "db", "deploy_duration": "10m"}, {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}],
///   "regions": [
///     {"id": "us-east", "traffic_share": 0.5, "pair": "us-west"},
///     {"id": "us-west", "traffic_share": 0.3, "pair": "us-east"},
///     {"id": "eu-canary", "traffic_share": 0.05, "tier": "canary"}],
///   "rollout": {"bake_time": "1h"}
/// }"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let schedule = rollgate::schedule_rollout(&plan, start)?;
/// let waves: Vec<_> = schedule.waves.iter().map(|w| w.regions.clone()).collect();
/// assert_eq!(waves, [vec!["eu-canary"], vec!["us-west"], vec!["us-east"]]);
/// assert_eq!(schedule.waves[1].reasons[1].code, "pair_separated");
/// // Each wave: 15 minutes of steps plus a 1 hour bake.
/// assert_eq!(schedule.total_duration_seconds, 3 * (15 * 60 + 3600));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn schedule_rollout(plan: &Plan, start: DateTime<FixedOffset>) -> Result<Schedule> {
    let graph = ServiceGraph::new(plan)?;
    let mut calendars: BTreeMap<String, Calendar> = BTreeMap::new();
    for (id, spec) in &plan.calendars {
        let prefix = format!("/calendars/{}", crate::error::pointer_token(id));
        let cal = Calendar::new(spec).map_err(|e| e.with_path_prefix(&prefix))?;
        calendars.insert(id.clone(), cal);
    }
    let regions = check_regions(plan, &calendars)?;
    let policy = plan.rollout.clone().unwrap_or_default();
    check_policy(&policy, plan)?;

    let is_contract = |v: usize| {
        plan.services
            .get(v)
            .and_then(|s| s.migration.as_ref())
            .is_some_and(|m| m.phase == MigrationPhase::Contract)
    };
    for (i, s) in plan.services.iter().enumerate() {
        if is_contract(i) {
            continue;
        }
        for (j, d) in s.depends_on.iter().enumerate() {
            if graph.index_of(d).is_some_and(is_contract) {
                return Err(Error::new(
                    format!("/services/{i}/depends_on/{j}"),
                    PlanError::ContractDependency {
                        service: s.id.clone(),
                        migration: d.clone(),
                    },
                ));
            }
        }
    }
    let drain = policy.drain_time.as_secs() as i64;
    for (i, s) in plan.services.iter().enumerate() {
        if s.instance_groups == Some(0) {
            return Err(Error::invalid_input(
                format!("/services/{i}/instance_groups"),
                "instance_groups must be at least 1",
            ));
        }
    }
    // (groups, seconds per group, drain per group) of a service in a stage:
    // stateful services roll their instance groups one at a time, each
    // drained first; the one-box stage rolls a single group.
    let groups_of = |v: usize, one_box: bool| -> (u32, i64, i64) {
        let d = graph.duration(v).unwrap_or(0) as i64;
        match plan.services.get(v) {
            Some(s) if s.stateful => {
                let g = if one_box {
                    1
                } else {
                    s.instance_groups.unwrap_or(1)
                };
                (g, drain + d, drain)
            }
            _ => (1, d, 0),
        }
    };
    let occupancy = |v: usize, one_box: bool| {
        let (g, per, _) = groups_of(v, one_box);
        i64::from(g) * per
    };
    let main_full = batches(&graph, |v| !is_contract(v), |v| occupancy(v, false));
    let main_one_box = batches(&graph, |v| !is_contract(v), |v| occupancy(v, true));
    let contract = batches(&graph, is_contract, |v| occupancy(v, false));
    let mut findings = Vec::new();
    if let Some(limit) = policy.timeout {
        let mut slow: Vec<String> = (0..graph.len())
            .filter(|&v| groups_of(v, false).1 > limit.as_secs() as i64)
            .filter_map(|v| graph.id(v).map(str::to_string))
            .collect();
        slow.sort();
        if !slow.is_empty() {
            findings.push(ScheduleFinding {
                code: "step_exceeds_timeout".into(),
                message: format!(
                    "planned steps of {} take longer than the {} s step timeout and would always count as failed",
                    slow.join(", "),
                    limit.as_secs()
                ),
                services: slow,
            });
        }
    }

    let t0 = start.timestamp();
    let start_tz = *start.offset();
    let fmt0 = |t: i64| {
        start_tz.timestamp_opt(t, 0).single().map_or_else(
            || t.to_string(),
            |d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        )
    };
    let horizon = DEFAULT_HORIZON.as_secs() as i64;
    let bake = policy.bake_time.as_secs() as i64;
    let gap = policy.min_gap_between_waves.as_secs() as i64;
    let one_box_bake = policy
        .one_box
        .as_ref()
        .map(|o| o.bake_time.as_secs() as i64);

    let step_info = |v: usize| {
        let m = plan.services.get(v).and_then(|s| s.migration.as_ref());
        (m.map(|m| m.phase), m.is_none_or(|m| m.reversible))
    };

    // Runs `batches` in a region from `ready`; returns the finish time.
    let run_region = |r: &RegionInfo<'_>,
                      batches: &[Batch],
                      stage: &str,
                      ready: i64,
                      steps: &mut Vec<Step>,
                      waits: &mut Vec<WindowWait>|
     -> Result<i64> {
        let mut t = ready;
        let mut cache = r.calendar.as_ref().map(|(c, _)| c.fit_cache());
        for batch in batches {
            if let (Some((cal, path)), Some(cache)) = (&r.calendar, cache.as_mut()) {
                let Some(x) = cache.fit(t, batch.duration, horizon) else {
                    return Err(cal.no_fit_error(t, batch.duration, horizon, path, path));
                };
                if x > t {
                    let at = start_tz.timestamp_opt(t, 0).single().unwrap_or(start);
                    let check =
                        cal.check_window(at, crate::DurationSecs(batch.duration.max(0) as u64));
                    waits.push(WindowWait {
                        region: r.id.to_string(),
                        from: format_in(&r.tz, t),
                        until: format_in(&r.tz, x),
                        seconds: (x - t) as u64,
                        reasons: check
                            .reasons
                            .into_iter()
                            .filter(|w| {
                                !matches!(w.code.as_str(), "inside_allow" | "inside_coverage")
                            })
                            .collect(),
                    });
                    t = x;
                }
            }
            for &v in &batch.services {
                let (groups, per, drain) = groups_of(v, stage == "one_box");
                let stateful = plan.services.get(v).is_some_and(|s| s.stateful);
                let (migration, reversible) = step_info(v);
                for k in 0..groups {
                    let s0 = t + i64::from(k) * per;
                    steps.push(Step {
                        service: graph.id(v).unwrap_or("").to_string(),
                        region: r.id.to_string(),
                        stage: stage.to_string(),
                        layer: batch.layer,
                        start: format_in(&r.tz, s0),
                        finish: format_in(&r.tz, s0 + per),
                        start_seconds: (s0 - t0) as u64,
                        finish_seconds: (s0 + per - t0) as u64,
                        migration,
                        reversible,
                        group: stateful.then_some(k + 1),
                        drain_seconds: drain as u64,
                    });
                }
            }
            t += batch.duration;
        }
        Ok(t)
    };

    let mut waves = Vec::new();
    let mut ready = t0;
    let plans = form_waves(&regions, &policy);
    let mut phases: Vec<(String, WavePlan)> = plans
        .into_iter()
        .map(|w| ("regions".to_string(), w))
        .collect();
    if !contract.is_empty() {
        let mut all: Vec<usize> = (0..regions.len()).collect();
        all.sort_unstable_by_key(|&r| regions.get(r).map_or("", |i| i.id));
        let names = all
            .iter()
            .map(|&r| regions.get(r).map_or("", |i| i.id).to_string())
            .collect();
        phases.push((
            "contract".to_string(),
            WavePlan {
                regions: all,
                reasons: vec![reason(
                    "contract_phase",
                    names,
                    "contract migrations run in every region only after every region has finished"
                        .into(),
                )],
            },
        ));
    }
    for (number, (kind, plan_wave)) in phases.into_iter().enumerate() {
        let wave_start = ready;
        let mut steps = Vec::new();
        let mut waits = Vec::new();
        let mut finish = wave_start;
        for &ri in &plan_wave.regions {
            let Some(r) = regions.get(ri) else { continue };
            let end = if kind == "contract" {
                run_region(r, &contract, "contract", wave_start, &mut steps, &mut waits)?
            } else if let Some(ob) = one_box_bake {
                let t = run_region(
                    r,
                    &main_one_box,
                    "one_box",
                    wave_start,
                    &mut steps,
                    &mut waits,
                )?;
                run_region(r, &main_full, "full", t + ob, &mut steps, &mut waits)?
            } else {
                run_region(r, &main_full, "full", wave_start, &mut steps, &mut waits)?
            };
            finish = finish.max(end);
        }
        steps.sort_by(|a, b| {
            (a.start_seconds, &a.region, &a.service, &a.stage, a.group).cmp(&(
                b.start_seconds,
                &b.region,
                &b.service,
                &b.stage,
                b.group,
            ))
        });
        let pass = finish + bake;
        let mut checks = vec!["alarms_clear".to_string(), "health".into(), "smoke".into()];
        let has_canary = plan_wave
            .regions
            .iter()
            .any(|&r| regions.get(r).is_some_and(|i| i.tier == Tier::Canary));
        if has_canary && kind != "contract" {
            checks.push("canary_verdict".into());
        }
        let traffic: f64 = plan_wave
            .regions
            .iter()
            .filter_map(|&r| regions.get(r).map(|i| i.share))
            .sum();
        waves.push(Wave {
            number: number + 1,
            kind,
            regions: plan_wave
                .regions
                .iter()
                .filter_map(|&r| regions.get(r).map(|i| i.id.to_string()))
                .collect(),
            traffic_share: traffic,
            reasons: plan_wave.reasons,
            start: fmt0(wave_start),
            finish: fmt0(finish),
            start_seconds: (wave_start - t0) as u64,
            finish_seconds: (finish - t0) as u64,
            waits,
            steps,
            gate: Gate {
                bake_seconds: bake as u64,
                min_bake_samples: policy.min_bake_samples,
                checks,
                earliest_pass: fmt0(pass),
                earliest_pass_seconds: (pass - t0) as u64,
            },
        });
        ready = pass + gap;
    }
    let end = waves
        .last()
        .map_or(t0, |w| t0 + w.gate.earliest_pass_seconds as i64);
    Ok(Schedule {
        plan: plan.name.clone(),
        start: fmt0(t0),
        finish: fmt0(end),
        total_duration_seconds: (end - t0) as u64,
        findings,
        halt_rule: HaltRule {
            max_failed_steps: policy.max_failed_steps,
            step_timeout_seconds: policy.timeout.map(|t| t.as_secs()),
        },
        waves,
    })
}

fn stage_rank(stage: &str) -> u8 {
    match stage {
        "one_box" => 0,
        "full" => 1,
        _ => 2,
    }
}

/// What to undo when a rollout halts at `halted_at` (a step or a time).
///
/// Steps that finished at or before the halt are `completed`; steps running
/// at the halt (for a step reference: started at or before its start and not
/// finished, including the step itself) are `in_flight`; later steps had not
/// started. Completed and in-flight steps are undone most recent wave first,
/// then full stage before one box, then in reverse dependency order (higher
/// layer first), then by region and service id. Irreversible migrations are
/// not undone: they are listed in `cannot_undo`, and the recommendation
/// becomes `roll_forward`.
///
/// Errors: `unknown_step` (path `halted_at`) for a step not in the schedule;
/// `invalid_timestamp` for a bad time (path `halted_at`) or schedule start
/// (path `/start`).
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p",
///   "services": [{"id": "db", "deploy_duration": "10m", "migration": {"phase": "expand"}},
///                {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}],
///   "regions": [{"id": "a", "tier": "canary"}, {"id": "b"}]}"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let schedule = rollgate::schedule_rollout(&plan, start)?;
/// let halt = rollgate::HaltedAt::Step { region: "b".into(), service: "api".into(), stage: None };
/// let rollback = rollgate::rollback_plan(&schedule, &halt)?;
/// let undo: Vec<_> = rollback.undo.iter().map(|s| format!("{}@{}", s.service, s.region)).collect();
/// assert_eq!(undo, ["api@b", "api@a"]);
/// assert_eq!(rollback.recommendation, "roll_forward"); // the irreversible db migration
/// assert_eq!(rollback.cannot_undo.len(), 2);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn rollback_plan(schedule: &Schedule, halted_at: &HaltedAt) -> Result<RollbackPlan> {
    let start = parse_timestamp("/start", &schedule.start)?;
    let t0 = start.timestamp();
    let h: i64 = match halted_at {
        HaltedAt::Time(text) => parse_timestamp("halted_at", text)?.timestamp() - t0,
        HaltedAt::Step {
            region,
            service,
            stage,
        } => schedule
            .waves
            .iter()
            .flat_map(|w| w.steps.iter())
            .filter(|s| {
                &s.region == region
                    && &s.service == service
                    && stage.as_ref().is_none_or(|st| st == &s.stage)
            })
            .map(|s| s.start_seconds as i64)
            .min()
            .ok_or_else(|| {
                Error::new(
                    "halted_at",
                    PlanError::UnknownStep {
                        region: region.clone(),
                        service: service.clone(),
                    },
                )
            })?,
    };
    let by_time = matches!(halted_at, HaltedAt::Time(_));
    let mut touched: Vec<(usize, &Step, &str)> = Vec::new();
    let mut not_started = 0;
    for w in &schedule.waves {
        for s in &w.steps {
            let (st, fi) = (s.start_seconds as i64, s.finish_seconds as i64);
            let is_halted = st == h
                && match halted_at {
                    HaltedAt::Step {
                        region,
                        service,
                        stage,
                    } => {
                        &s.region == region
                            && &s.service == service
                            && stage.as_ref().is_none_or(|x| x == &s.stage)
                    }
                    HaltedAt::Time(_) => false,
                };
            if fi <= h && !is_halted {
                touched.push((w.number, s, "completed"));
            } else if st < h || is_halted || (st == h && by_time) {
                touched.push((w.number, s, "in_flight"));
            } else {
                not_started += 1;
            }
        }
    }
    touched.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.0),
            std::cmp::Reverse(stage_rank(&a.1.stage)),
            std::cmp::Reverse(a.1.layer),
            std::cmp::Reverse(a.1.start_seconds),
            &a.1.region,
            &a.1.service,
        )
            .cmp(&(
                std::cmp::Reverse(b.0),
                std::cmp::Reverse(stage_rank(&b.1.stage)),
                std::cmp::Reverse(b.1.layer),
                std::cmp::Reverse(b.1.start_seconds),
                &b.1.region,
                &b.1.service,
            ))
    });
    let mut undo = Vec::new();
    let mut cannot_undo = Vec::new();
    let mut reasons = Vec::new();
    let mut irreversible_services: BTreeSet<&str> = BTreeSet::new();
    for (wave, s, state) in touched {
        let item = UndoStep {
            service: s.service.clone(),
            region: s.region.clone(),
            stage: s.stage.clone(),
            wave,
            state: state.to_string(),
            group: s.group,
        };
        if s.reversible {
            undo.push(item);
        } else {
            irreversible_services.insert(&s.service);
            cannot_undo.push(item);
        }
    }
    for service in &irreversible_services {
        reasons.push(RollbackReason {
            code: "irreversible_migration".into(),
            service: Some(service.to_string()),
            message: format!(
                "migration {service} cannot be undone: roll forward with a fix instead of rolling it back"
            ),
        });
    }
    let recommendation = if !cannot_undo.is_empty() {
        "roll_forward"
    } else if undo.is_empty() {
        reasons.push(RollbackReason {
            code: "nothing_started".into(),
            service: None,
            message: "no step had started: nothing to undo".into(),
        });
        "nothing_to_undo"
    } else {
        "roll_back"
    };
    if !undo.is_empty() {
        reasons.push(RollbackReason {
            code: "undo_in_reverse_order".into(),
            service: None,
            message: format!(
                "undo {} steps, most recent wave first and dependents before what they depend on",
                undo.len()
            ),
        });
    }
    let halted = start
        .offset()
        .timestamp_opt(t0 + h, 0)
        .single()
        .map_or_else(|| (t0 + h).to_string(), |d| d.to_rfc3339());
    Ok(RollbackPlan {
        halted_at: halted,
        recommendation: recommendation.into(),
        undo,
        cannot_undo,
        not_started,
        reasons,
    })
}

/// Mermaid task names and ids must not contain `:`, `;` or `#`.
fn mermaid_safe(text: &str) -> String {
    text.chars()
        .map(|c| if matches!(c, ':' | ';' | '#') { '_' } else { c })
        .collect()
}

fn mermaid_id(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Renders a schedule as a Mermaid Gantt chart (times in UTC): one section
/// per wave, one bar per region (from its first step to its last), one bar
/// per window wait (`crit`) and one for the bake (`active`, omitted when
/// the bake is zero).
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p",
///   "services": [{"id": "api", "deploy_duration": "5m"}],
///   "regions": [{"id": "eu", "tier": "canary"}], "rollout": {"bake_time": "1h"}}"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let gantt = rollgate::to_mermaid_gantt(&rollgate::schedule_rollout(&plan, start)?)?;
/// assert!(gantt.starts_with("gantt\n"));
/// assert!(gantt.contains("    eu :w1_eu, 2026-11-24 09:00:00, 2026-11-24 09:05:00\n"));
/// assert!(gantt.contains("    bake :active, w1_bake, 2026-11-24 09:05:00, 2026-11-24 10:05:00\n"));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn to_mermaid_gantt(schedule: &Schedule) -> Result<String> {
    let start = parse_timestamp("/start", &schedule.start)?;
    let t0 = start.timestamp();
    let utc = |secs: u64| {
        chrono::DateTime::<chrono::Utc>::from_timestamp(t0 + secs as i64, 0)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M:%S").to_string())
    };
    let mut out = String::new();
    out.push_str("gantt\n");
    out.push_str(&format!(
        "    title {} rollout (UTC)\n",
        mermaid_safe(&schedule.plan)
    ));
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str("    axisFormat %m-%d %H:%M\n");
    for w in &schedule.waves {
        let label = if w.kind == "contract" {
            format!("Wave {} (contract migrations)", w.number)
        } else {
            format!("Wave {}", w.number)
        };
        out.push_str(&format!("    section {label}\n"));
        for (i, wait) in w.waits.iter().enumerate() {
            // Waits are stored in the region's offset; convert through the epoch.
            let from = parse_timestamp("/waves", &wait.from)?.timestamp() - t0;
            out.push_str(&format!(
                "    wait {} :crit, w{}_wait{}, {}, {}\n",
                mermaid_safe(&wait.region),
                w.number,
                i,
                utc(from.max(0) as u64),
                utc(from.max(0) as u64 + wait.seconds)
            ));
        }
        let mut spans: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for s in &w.steps {
            spans
                .entry(s.region.as_str())
                .and_modify(|(a, b)| {
                    *a = (*a).min(s.start_seconds);
                    *b = (*b).max(s.finish_seconds);
                })
                .or_insert((s.start_seconds, s.finish_seconds));
        }
        for region in &w.regions {
            let (a, b) = spans
                .get(region.as_str())
                .copied()
                .unwrap_or((w.start_seconds, w.start_seconds));
            out.push_str(&format!(
                "    {} :w{}_{}, {}, {}\n",
                mermaid_safe(region),
                w.number,
                mermaid_id(region),
                utc(a),
                utc(b)
            ));
        }
        if w.gate.bake_seconds == 0 {
            continue;
        }
        out.push_str(&format!(
            "    bake :active, w{}_bake, {}, {}\n",
            w.number,
            utc(w.finish_seconds),
            utc(w.gate.earliest_pass_seconds)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(json: &str) -> Result<Schedule> {
        let plan = Plan::from_json(json)?;
        let start = parse_timestamp("start", "2026-11-24T09:00:00Z")?;
        schedule_rollout(&plan, start)
    }

    #[test]
    fn region_cycle_reports_a_cycle_through_the_smallest_member() {
        let err = schedule(
            r#"{"name": "p", "services": [], "regions": [
                {"id": "c", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]},
                {"id": "a", "depends_on": ["c"]}, {"id": "d", "depends_on": ["a"]}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path(), "/regions/2/depends_on/0");
        match err.kind() {
            crate::ErrorKind::Plan(PlanError::RegionCycle { cycle, members }) => {
                assert_eq!(cycle, &["a", "c", "b", "a"]);
                assert_eq!(members, &["a", "b", "c"]);
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn self_pair_is_asymmetric() {
        let err =
            schedule(r#"{"name": "p", "services": [], "regions": [{"id": "a", "pair": "a"}]}"#)
                .unwrap_err();
        assert_eq!(err.code(), "asymmetric_pair");
    }

    #[test]
    fn explicit_first_wave_and_growth_factor_one() {
        let s = schedule(
            r#"{"name": "p", "services": [{"id": "x", "deploy_duration": 60}],
                "regions": [{"id": "a", "traffic_share": 0.1}, {"id": "b", "traffic_share": 0.2},
                            {"id": "c", "traffic_share": 0.3}],
                "rollout": {"first_wave": ["b"], "growth_factor": 1}}"#,
        )
        .unwrap();
        let waves: Vec<_> = s.waves.iter().map(|w| w.regions.clone()).collect();
        assert_eq!(waves, [vec!["b"], vec!["a"], vec!["c"]]);
        assert_eq!(s.waves[0].reasons[0].code, "first_wave");
        assert_eq!(s.total_duration_seconds, 180);
    }

    #[test]
    fn empty_service_list_still_orders_regions() {
        let s = schedule(
            r#"{"name": "p", "services": [], "regions": [{"id": "a"}, {"id": "b"}],
                "rollout": {"bake_time": "10m"}}"#,
        )
        .unwrap();
        assert_eq!(s.waves.len(), 2);
        assert_eq!(s.total_duration_seconds, 1200);
        assert!(to_mermaid_gantt(&s)
            .unwrap()
            .contains("bake :active, w2_bake"));
    }
}
