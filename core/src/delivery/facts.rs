//! The facts of one environment's records, computed once per report: each
//! deployment in finish order with its service, outcome, change failure,
//! failure episode and first-shipped commits, and each incident with its
//! recovery time and the deployments that caused it. Every group, window
//! and bucket of [`dora_metrics`](crate::dora_metrics) is measured from them.

use hashbrown::{HashMap, HashSet};

use super::metrics::{DeployFact, Episode, IncidentFact};
use super::records::{millis, Deployment, DeploymentStatus, Incident};

/// The facts of the measured environment, computed once.
pub(super) struct Facts<'a> {
    pub(super) deployments: Vec<DeployFact>,
    /// Index into the caller's deployments of each fact.
    pub(super) source: Vec<usize>,
    pub(super) incidents: Vec<IncidentFact>,
    /// For each incident fact: the facts of the deployments that caused it.
    pub(super) causes: Vec<Vec<usize>>,
    pub(super) leads: Vec<i64>,
    pub(super) services: Vec<&'a str>,
}

/// The facts of the deployments of `environment` and of every incident.
pub(super) fn facts<'a>(
    deployments: &'a [Deployment],
    incidents: &[Incident],
    ids: &HashMap<&str, usize>,
    environment: &str,
) -> Facts<'a> {
    // Finish order, ties by id: first shipments and episodes are well
    // defined. The finish instants are computed once, not per comparison.
    let mut keyed: Vec<(i64, usize)> = deployments
        .iter()
        .enumerate()
        .filter(|(_, d)| d.environment == environment)
        .map(|(i, d)| (millis(&d.finished_at), i))
        .collect();
    let id = |i: usize| deployments.get(i).map(|d| d.id.as_str());
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| id(a.1).cmp(&id(b.1))));
    let order: Vec<usize> = keyed.iter().map(|(_, i)| *i).collect();
    let (incident_facts, causes, caused) = incident_facts(incidents, ids, &order);
    let mut services: Vec<&str> = Vec::new();
    let mut service_index: HashMap<&str, u32> = HashMap::new();
    let mut facts = Vec::with_capacity(order.len());
    for (f, (finish, i)) in keyed.iter().enumerate() {
        let Some(d) = deployments.get(*i) else {
            continue;
        };
        let next = services.len() as u32;
        let s = *service_index.entry(d.service.as_str()).or_insert_with(|| {
            services.push(d.service.as_str());
            next
        });
        facts.push(DeployFact {
            service: s,
            finish: *finish,
            status: d.status,
            change_failure: d.status != DeploymentStatus::Succeeded
                || caused.get(f).copied().unwrap_or(false),
            rework: !d.remediates.is_empty(),
            leads: 0..0,
            episode: Episode::None,
        });
    }
    episodes(&mut facts, services.len());
    let leads = first_shipments(deployments, &order, &mut facts);
    Facts {
        deployments: facts,
        source: order,
        incidents: incident_facts,
        causes,
        leads,
        services,
    }
}

/// Each incident's facts and the facts of the deployments that caused it
/// (of this environment), and whether each deployment fact caused one.
fn incident_facts(
    incidents: &[Incident],
    ids: &HashMap<&str, usize>,
    order: &[usize],
) -> (Vec<IncidentFact>, Vec<Vec<usize>>, Vec<bool>) {
    // Fact index of each deployment an incident names (a small set).
    let named: HashSet<usize> = ids.values().copied().collect();
    let fact_of: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .filter(|(_, i)| named.contains(*i))
        .map(|(f, i)| (*i, f))
        .collect();
    let mut caused = vec![false; order.len()];
    let mut causes = Vec::with_capacity(incidents.len());
    let mut incident_facts = Vec::with_capacity(incidents.len());
    for incident in incidents {
        let mut mine: Vec<usize> = incident
            .caused_by
            .iter()
            .filter_map(|id| ids.get(id.as_str()).and_then(|i| fact_of.get(i).copied()))
            .collect();
        mine.sort_unstable();
        mine.dedup();
        for f in &mine {
            if let Some(c) = caused.get_mut(*f) {
                *c = true;
            }
        }
        causes.push(mine);
        incident_facts.push(IncidentFact {
            created: millis(&incident.created_at),
            recovery: incident
                .resolved_at
                .as_ref()
                .map(|r| millis(r) - millis(&incident.created_at)),
        });
    }
    (incident_facts, causes, caused)
}

/// Marks each service's failure episodes: a failed or rolled-back
/// deployment after a success (or first) starts one; the service's next
/// successful deployment ends it. One pass in finish order.
fn episodes(facts: &mut [DeployFact], services: usize) {
    let mut open: Vec<Option<usize>> = vec![None; services];
    for f in 0..facts.len() {
        let Some((service, finish, status)) = facts
            .get(f)
            .map(|x| (x.service as usize, x.finish, x.status))
        else {
            continue;
        };
        let Some(slot) = open.get_mut(service) else {
            continue;
        };
        if status == DeploymentStatus::Succeeded {
            if let Some(first) = slot.take().and_then(|o| facts.get_mut(o)) {
                first.episode = Episode::Restored(finish - first.finish);
            }
        } else if slot.is_none() {
            *slot = Some(f);
            if let Some(fact) = facts.get_mut(f) {
                fact.episode = Episode::Unrestored;
            }
        }
    }
}

/// The lead time of each commit at its first successful shipment per
/// service; fills each fact's `leads` range into the returned list.
///
/// Each shipped commit becomes one 128-bit key — service, hash of the sha,
/// position in finish order — and the keys are sorted: that walks memory in
/// order, where a hash set of millions of commit ids misses the cache on
/// almost every insert. Equal hashes are compared as strings, so the result
/// does not depend on the hash function. (Positions fit in 32 bits: four
/// billion commits would not fit in memory.)
fn first_shipments(
    deployments: &[Deployment],
    order: &[usize],
    facts: &mut [DeployFact],
) -> Vec<i64> {
    use std::hash::BuildHasher;
    let state = hashbrown::DefaultHashBuilder::default();
    // Where each fact's commits start among the shipped positions.
    let mut offsets: Vec<usize> = Vec::with_capacity(facts.len() + 1);
    let mut keys: Vec<u128> = Vec::new();
    let mut lead_at: Vec<i64> = Vec::new();
    for (fact, i) in facts.iter().zip(order) {
        offsets.push(lead_at.len());
        let Some(d) = deployments
            .get(*i)
            .filter(|_| fact.status == DeploymentStatus::Succeeded)
        else {
            continue;
        };
        for c in &d.commits {
            let hash = state.hash_one(c.sha.as_str());
            keys.push(
                u128::from(fact.service) << 96 | u128::from(hash) << 32 | lead_at.len() as u128,
            );
            lead_at.push(fact.finish - millis(&c.committed_at));
        }
    }
    offsets.push(lead_at.len());
    keys.sort_unstable();
    // The sha at a shipped position (only read for equal hashes).
    let sha = |key: u128| {
        let pos = (key & 0xFFFF_FFFF) as usize;
        let f = offsets.partition_point(|o| *o <= pos).saturating_sub(1);
        let commit = pos - offsets.get(f).copied().unwrap_or(0);
        order
            .get(f)
            .and_then(|i| deployments.get(*i))
            .and_then(|d| d.commits.get(commit))
            .map(|c| c.sha.as_str())
    };
    // A shipment is first unless an earlier one of its run has the same sha.
    // Runs hold one sha but for hash collisions: comparing against the
    // distinct shas seen so far keeps a run of n equal keys linear.
    let mut first: Vec<bool> = vec![true; lead_at.len()];
    let mut seen: Vec<Option<&str>> = Vec::new();
    for run in keys
        .chunk_by(|a, b| a >> 32 == b >> 32)
        .filter(|run| run.len() > 1)
    {
        seen.clear();
        for key in run {
            let text = sha(*key);
            if seen.contains(&text) {
                if let Some(slot) = first.get_mut((key & 0xFFFF_FFFF) as usize) {
                    *slot = false;
                }
            } else {
                seen.push(text);
            }
        }
    }
    drop(keys);
    // Back in finish order: each fact's first shipments, in one sweep.
    let mut leads = Vec::with_capacity(lead_at.len());
    for (f, fact) in facts.iter_mut().enumerate() {
        let (Some(from), Some(to)) = (offsets.get(f), offsets.get(f + 1)) else {
            continue;
        };
        let start = leads.len();
        for p in *from..*to {
            if first.get(p).copied().unwrap_or(false) {
                leads.extend(lead_at.get(p));
            }
        }
        fact.leads = start..leads.len();
    }
    leads
}
