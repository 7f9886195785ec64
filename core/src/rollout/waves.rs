//! Forming the waves of regions: canary waves, then pilot waves, then
//! standard waves, growing 1, g, g², …, within the caps, pairs apart and
//! region dependencies in earlier waves — each placement explained.
//!
//! Linear(ithmic) in the number of regions and dependencies: regions are
//! sorted once, a region enters the ready set when its last dependency is
//! placed (a count per region, as in Kahn's algorithm), and each wave looks
//! only at the ready set. (The `growth` and `tier_order` reasons list the
//! ready regions a wave defers, so the output itself can grow with
//! waves × ready regions.)

use std::collections::{BTreeSet, HashSet};

use super::regions::RegionInfo;
use crate::explain::Reason;
use crate::plan::{RolloutPolicy, Tier};

/// The regions of one wave (positions, sorted by id) and why.
pub(super) struct WavePlan {
    pub(super) regions: Vec<usize>,
    pub(super) reasons: Vec<Reason>,
}

fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Canary => "canary",
        Tier::Pilot => "pilot",
        Tier::Standard => "standard",
    }
}

/// The regions that may go next, in the order tier, traffic share, id,
/// and what becomes ready as waves are placed.
struct Readiness {
    /// Region positions in the order tier, traffic share, id.
    order: Vec<usize>,
    /// Rank of each region in `order`.
    rank: Vec<usize>,
    /// Unplaced dependencies of each region.
    waiting_for: Vec<usize>,
    /// Regions depending on each region.
    dependents: Vec<Vec<usize>>,
    /// Ranks of the ready, unplaced regions.
    ready: BTreeSet<usize>,
}

impl Readiness {
    fn new(regions: &[RegionInfo<'_>]) -> Self {
        let n = regions.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let ka = regions.get(a).map(|r| (r.tier, r.share, r.id));
            let kb = regions.get(b).map(|r| (r.tier, r.share, r.id));
            ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut rank = vec![0; n];
        for (k, &r) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(r) {
                *slot = k;
            }
        }
        let mut dependents = vec![Vec::new(); n];
        let mut waiting_for = vec![0; n];
        for (r, info) in regions.iter().enumerate() {
            for &d in &info.deps {
                if let Some(list) = dependents.get_mut(d) {
                    list.push(r);
                }
            }
            if let Some(slot) = waiting_for.get_mut(r) {
                *slot = info.deps.len();
            }
        }
        let ready = (0..n)
            .filter(|&r| waiting_for.get(r) == Some(&0))
            .filter_map(|r| rank.get(r).copied())
            .collect();
        Readiness {
            order,
            rank,
            waiting_for,
            dependents,
            ready,
        }
    }

    /// The ready regions in order.
    fn ready(&self) -> impl Iterator<Item = usize> + '_ {
        self.ready
            .iter()
            .filter_map(|&k| self.order.get(k).copied())
    }

    /// Removes a wave's regions from the ready set, then adds the regions
    /// whose last dependency was among them (they may go in the next wave).
    fn place(&mut self, wave: &[usize]) {
        for r in wave {
            if let Some(k) = self.rank.get(*r) {
                self.ready.remove(k);
            }
        }
        for &r in wave {
            for &dependent in self.dependents.get(r).map_or(&[][..], Vec::as_slice) {
                if let Some(count) = self.waiting_for.get_mut(dependent) {
                    *count -= 1;
                    if *count == 0 {
                        if let Some(&k) = self.rank.get(dependent) {
                            self.ready.insert(k);
                        }
                    }
                }
            }
        }
    }
}

/// Forms the waves of regions (see the module documentation of
/// [`rollout`](crate::rollout)).
pub(super) fn form_waves(regions: &[RegionInfo<'_>], policy: &RolloutPolicy) -> Vec<WavePlan> {
    let mut readiness = Readiness::new(regions);
    let mut waves: Vec<WavePlan> = Vec::new();
    let mut in_wave = vec![false; regions.len()];
    let mut target = 1.0_f64;
    // Every wave places at least its first candidate, so this ends; with an
    // acyclic region graph (checked before) every region gets placed.
    while !readiness.ready.is_empty() {
        let (pool, limit, mut reasons) = if waves.is_empty() {
            first_pool(regions, &readiness, policy)
        } else {
            target *= policy.growth_factor;
            let limit = if target >= 1e9 {
                usize::MAX
            } else {
                (target - 1e-9).ceil().max(1.0) as usize
            };
            let (pool, deferred) = tier_pool(regions, &readiness);
            (pool, limit, deferred)
        };
        let growing = !waves.is_empty();
        let mut chosen = choose(
            regions,
            &pool,
            limit,
            policy,
            &mut in_wave,
            &mut reasons,
            growing,
        );
        if chosen.is_empty() {
            // Cannot happen with an acyclic region graph; stop rather than loop.
            break;
        }
        region_dependency_reasons(regions, &chosen, &mut reasons);
        for &r in &chosen {
            if let Some(flag) = in_wave.get_mut(r) {
                *flag = false;
            }
        }
        readiness.place(&chosen);
        chosen.sort_unstable_by_key(|&r| regions.get(r).map_or("", |i| i.id));
        waves.push(WavePlan {
            regions: chosen,
            reasons,
        });
    }
    waves
}

fn names(regions: &[RegionInfo<'_>], list: &[usize]) -> Vec<String> {
    list.iter()
        .filter_map(|&r| regions.get(r).map(|i| i.id.to_string()))
        .collect()
}

/// The candidates of the first wave, its size limit and its reason:
/// `rollout.first_wave` if given (taken as named, whatever the tiers), else
/// the canary-tier regions, else the single smallest region of the first
/// tier present.
fn first_pool(
    regions: &[RegionInfo<'_>],
    readiness: &Readiness,
    policy: &RolloutPolicy,
) -> (Vec<usize>, usize, Vec<Reason>) {
    let named: HashSet<&str> = policy
        .first_wave
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let explicit: Vec<usize> = readiness
        .ready()
        .filter(|&r| regions.get(r).is_some_and(|i| named.contains(i.id)))
        .collect();
    if !explicit.is_empty() {
        let reason = Reason::new("first_wave", "the rollout policy names the first wave")
            .with_subjects(names(regions, &explicit));
        return (explicit, usize::MAX, vec![reason]);
    }
    let canaries: Vec<usize> = readiness
        .ready()
        .take_while(|&r| regions.get(r).is_some_and(|i| i.tier == Tier::Canary))
        .collect();
    if !canaries.is_empty() {
        let reason = Reason::new("canary_first", "canary-tier regions go first")
            .with_subjects(names(regions, &canaries));
        return (canaries, usize::MAX, vec![reason]);
    }
    let smallest: Vec<usize> = readiness.ready().take(1).collect();
    let reason = Reason::new(
        "smallest_first",
        "no canary-tier region: the region with the smallest traffic share of the first tier goes first",
    )
    .with_subjects(names(regions, &smallest));
    (smallest, 1, vec![reason])
}

/// The candidates of a later wave: the ready regions of the first tier
/// among them (a wave never mixes tiers), and the `tier_order` reason for
/// the ready regions of later tiers it defers.
fn tier_pool(regions: &[RegionInfo<'_>], readiness: &Readiness) -> (Vec<usize>, Vec<Reason>) {
    let tier = readiness
        .ready()
        .next()
        .and_then(|r| regions.get(r))
        .map_or(Tier::Standard, |i| i.tier);
    let (pool, later): (Vec<usize>, Vec<usize>) = readiness
        .ready()
        .partition(|&r| regions.get(r).is_some_and(|i| i.tier == tier));
    let mut reasons = Vec::new();
    if !later.is_empty() {
        let deferred = names(regions, &later);
        let message = format!(
            "a wave holds one tier (canary, then pilot, then standard): {} regions first; deferred: {}",
            tier_name(tier),
            deferred.join(", ")
        );
        reasons.push(Reason::new("tier_order", message).with_subjects(deferred));
    }
    (pool, reasons)
}

/// Takes candidates from `pool` in order until the wave is full, skipping
/// (and explaining) those held back by the growth target, the caps or a
/// pair already in the wave. Marks the chosen regions in `in_wave`.
fn choose(
    regions: &[RegionInfo<'_>],
    pool: &[usize],
    limit: usize,
    policy: &RolloutPolicy,
    in_wave: &mut [bool],
    reasons: &mut Vec<Reason>,
    growing: bool,
) -> Vec<usize> {
    let cap_regions = policy
        .max_concurrent_regions
        .map_or(usize::MAX, |c| c as usize);
    let cap_traffic = policy.max_traffic_per_wave.unwrap_or(f64::INFINITY);
    let mut chosen: Vec<usize> = Vec::new();
    let mut traffic = 0.0;
    let (mut by_growth, mut by_concurrency, mut by_traffic) = (Vec::new(), Vec::new(), Vec::new());
    let mut by_pair: Vec<(String, String)> = Vec::new();
    for &r in pool {
        let Some(info) = regions.get(r) else { continue };
        if let Some(p) = info.pair {
            if in_wave.get(p).copied().unwrap_or(false) {
                let pair = regions.get(p).map_or("", |i| i.id);
                by_pair.push((info.id.to_string(), pair.to_string()));
                continue;
            }
        }
        if chosen.len() >= limit {
            by_growth.push(info.id.to_string());
        } else if chosen.len() >= cap_regions {
            by_concurrency.push(info.id.to_string());
        } else if !chosen.is_empty() && traffic + info.share > cap_traffic + 1e-12 {
            by_traffic.push(info.id.to_string());
        } else {
            chosen.push(r);
            traffic += info.share;
            if let Some(flag) = in_wave.get_mut(r) {
                *flag = true;
            }
        }
    }
    if growing {
        let size = if limit == usize::MAX {
            "unbounded".to_string()
        } else {
            limit.to_string()
        };
        let mut message = format!(
            "target wave size {size} (growth factor {})",
            policy.growth_factor
        );
        if !by_growth.is_empty() {
            message.push_str(&format!("; deferred: {}", by_growth.join(", ")));
        }
        let mut reason = Reason::new("growth", message)
            .with_subjects(by_growth)
            .with_evidence("growth_factor", policy.growth_factor);
        if limit != usize::MAX {
            reason = reason.with_evidence("target_size", limit);
        }
        reasons.insert(0, reason);
    }
    let held = (by_concurrency, by_traffic, by_pair);
    cap_reasons(&names(regions, &chosen), traffic, policy, held, reasons);
    chosen
}

/// The reasons of the caps and pairs that held regions back, and of a
/// region over the traffic cap on its own.
fn cap_reasons(
    chosen: &[String],
    traffic: f64,
    policy: &RolloutPolicy,
    (by_concurrency, by_traffic, by_pair): (Vec<String>, Vec<String>, Vec<(String, String)>),
    reasons: &mut Vec<Reason>,
) {
    if let (false, Some(cap)) = (by_concurrency.is_empty(), policy.max_concurrent_regions) {
        let message = format!(
            "at most {cap} regions at once; deferred: {}",
            by_concurrency.join(", ")
        );
        reasons.push(
            Reason::new("concurrency_cap", message)
                .with_subjects(by_concurrency)
                .with_evidence("max_concurrent_regions", cap),
        );
    }
    let cap_traffic = policy.max_traffic_per_wave.unwrap_or(f64::INFINITY);
    if !by_traffic.is_empty() {
        let message = format!(
            "at most {cap_traffic} of traffic per wave; deferred: {}",
            by_traffic.join(", ")
        );
        reasons.push(
            Reason::new("traffic_cap", message)
                .with_subjects(by_traffic)
                .with_evidence("max_traffic_per_wave", cap_traffic),
        );
    }
    for (region, pair) in by_pair {
        let message = format!(
            "{region} deferred: its pair {pair} is in this wave; it waits for {pair}'s bake"
        );
        reasons.push(Reason::new("pair_separated", message).with_subjects([region, pair]));
    }
    if chosen.len() == 1 && traffic > cap_traffic + 1e-12 {
        let message = format!(
            "its traffic share {traffic} alone exceeds the cap {cap_traffic}: it gets a wave of its own"
        );
        reasons.push(
            Reason::new("over_traffic_cap", message)
                .with_subjects(chosen.iter().cloned())
                .with_evidence("traffic_share", traffic)
                .with_evidence("max_traffic_per_wave", cap_traffic),
        );
    }
}

/// A `region_dependency` reason for each chosen region with dependencies.
fn region_dependency_reasons(
    regions: &[RegionInfo<'_>],
    chosen: &[usize],
    reasons: &mut Vec<Reason>,
) {
    for &r in chosen {
        let Some(info) = regions.get(r) else { continue };
        if info.deps.is_empty() {
            continue;
        }
        let mut deps: Vec<&str> = info
            .deps
            .iter()
            .filter_map(|&d| regions.get(d).map(|i| i.id))
            .collect();
        deps.sort_unstable();
        let message = format!("{} follows {} (earlier waves)", info.id, deps.join(", "));
        reasons.push(
            Reason::new("region_dependency", message)
                .with_subjects(std::iter::once(info.id).chain(deps.iter().copied())),
        );
    }
}
