//! Checking a plan's regions and rollout policy: ids, pairs, region
//! dependencies (no cycles), traffic shares, calendars and time zones.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono_tz::Tz;

use crate::error::{Error, PlanError, Result};
use crate::plan::{Plan, Region, RolloutPolicy, Tier};
use crate::window::{parse_time_zone, Calendar};

/// A checked region: positions instead of ids, its zone and calendar (with
/// the path of the calendar reference, for errors).
pub(super) struct RegionInfo<'a> {
    pub(super) id: &'a str,
    pub(super) share: f64,
    pub(super) tier: Tier,
    pub(super) pair: Option<usize>,
    /// Distinct dependencies, by position.
    pub(super) deps: Vec<usize>,
    pub(super) tz: Tz,
    pub(super) calendar: Option<(&'a Calendar, String)>,
}

/// Checks the plan's regions; returns them in plan order.
pub(super) fn check_regions<'a>(
    plan: &'a Plan,
    calendars: &'a BTreeMap<String, Calendar>,
) -> Result<Vec<RegionInfo<'a>>> {
    if plan.regions.is_empty() {
        return Err(Error::invalid_input(
            "/regions",
            "a rollout needs at least one region",
        ));
    }
    let index = index_regions(&plan.regions)?;
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
        let pair = region_pair(plan, &index, i, r)?;
        let deps = region_deps(&index, i, r)?;
        let calendar = region_calendar(plan, calendars, i, r)?;
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

/// Positions by id; ids must be non-empty and unique.
fn index_regions(regions: &[Region]) -> Result<HashMap<&str, usize>> {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(regions.len());
    for (i, r) in regions.iter().enumerate() {
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
    Ok(index)
}

/// The position of region `i`'s pair, which must name it back.
fn region_pair(
    plan: &Plan,
    index: &HashMap<&str, usize>,
    i: usize,
    r: &Region,
) -> Result<Option<usize>> {
    let Some(p) = &r.pair else { return Ok(None) };
    let path = format!("/regions/{i}/pair");
    let Some(&j) = index.get(p.as_str()) else {
        return Err(Error::new(
            path,
            PlanError::UnknownRegion {
                region: Some(r.id.clone()),
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
    Ok(Some(j))
}

/// The distinct positions region `i` depends on (sorted).
fn region_deps(index: &HashMap<&str, usize>, i: usize, r: &Region) -> Result<Vec<usize>> {
    let mut deps = Vec::with_capacity(r.depends_on.len());
    for (j, d) in r.depends_on.iter().enumerate() {
        let path = format!("/regions/{i}/depends_on/{j}");
        match index.get(d.as_str()) {
            None => {
                return Err(Error::new(
                    path,
                    PlanError::UnknownRegion {
                        region: Some(r.id.clone()),
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
            Some(&k) => deps.push(k),
        }
    }
    deps.sort_unstable();
    deps.dedup();
    Ok(deps)
}

/// Region `i`'s calendar (its own, else the plan's) with the path of the
/// reference.
fn region_calendar<'a>(
    plan: &Plan,
    calendars: &'a BTreeMap<String, Calendar>,
    i: usize,
    r: &Region,
) -> Result<Option<(&'a Calendar, String)>> {
    let (id, path) = match (&r.calendar, &plan.calendar) {
        (Some(c), _) => (c, format!("/regions/{i}/calendar")),
        (None, Some(c)) => (c, "/calendar".to_string()),
        (None, None) => return Ok(None),
    };
    match calendars.get(id) {
        Some(calendar) => Ok(Some((calendar, path))),
        None => Err(Error::new(
            path,
            PlanError::UnknownCalendar {
                calendar: id.clone(),
            },
        )),
    }
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

/// Checks the rollout policy: growth factor, caps, and that `first_wave`
/// names regions of the plan.
pub(super) fn check_policy(policy: &RolloutPolicy, plan: &Plan) -> Result<()> {
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
        let ids: BTreeSet<&str> = plan.regions.iter().map(|r| r.id.as_str()).collect();
        for (j, id) in first.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                return Err(Error::new(
                    format!("/rollout/first_wave/{j}"),
                    PlanError::UnknownRegion {
                        region: None,
                        target: id.clone(),
                    },
                ));
            }
        }
    }
    Ok(())
}
