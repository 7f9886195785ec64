//! `dora_metrics` against plain sequential reference implementations, on
//! random records (seeded, deterministic): the record checks report the error
//! a front-to-back scan meets first, and the lead times are those of a
//! per-commit first-shipment scan. The engine computes both differently
//! (sorted hashes instead of hash sets, a second thread from 50,000
//! deployments), so these pin that the results did not change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use rollgate::{Deployment, DeploymentStatus, DoraOptions, Incident};
use serde_json::json;

/// 2026-01-05T00:00:00Z in seconds.
const T0: i64 = 1_767_571_200;
const STATUSES: &[&str] = &["succeeded", "failed", "rolled_back"];

fn at(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// (id, service, status, finish minute, duration minutes (negative: finishes
/// before it starts), commits as (sha, age minutes, negative: after finish))
type DeploySpec = (u8, u8, usize, i64, i64, Vec<(u8, i64)>);
/// (id, created minute, resolution minutes (negative: before creation), causes)
type IncidentSpec = (u8, i64, Option<i64>, Vec<u8>);

fn deployments(spec: &[DeploySpec]) -> Vec<Deployment> {
    spec.iter()
        .map(|(id, service, status, finish, duration, commits)| {
            let finish = T0 + finish * 60;
            rollgate::wire::from_value(json!({
                "id": format!("d{id}"),
                "service": format!("s{service}"),
                "started_at": at(finish - duration * 60),
                "finished_at": at(finish),
                "status": STATUSES[*status],
                "commits": commits.iter().map(|(sha, age)| json!({
                    "sha": format!("c{sha}"), "committed_at": at(finish - age * 60)
                })).collect::<Vec<_>>(),
            }))
            .unwrap()
        })
        .collect()
}

fn incidents(spec: &[IncidentSpec]) -> Vec<Incident> {
    spec.iter()
        .map(|(id, created, resolved, causes)| {
            let created = T0 + created * 60;
            let mut incident = json!({
                "id": format!("i{id}"), "created_at": at(created),
                "caused_by": causes.iter().map(|c| format!("d{c}")).collect::<Vec<_>>(),
            });
            if let Some(r) = resolved {
                incident["resolved_at"] = json!(at(created + r * 60));
            }
            rollgate::wire::from_value(incident).unwrap()
        })
        .collect()
}

/// The path of the first inconsistency met scanning the deployments, then
/// the incidents, front to back.
fn first_error(ds: &[Deployment], is: &[Incident]) -> Option<String> {
    let mut ids = HashSet::new();
    for (i, d) in ds.iter().enumerate() {
        if !ids.insert(d.id.as_str()) {
            return Some(format!("/{i}/id"));
        }
        if d.finished_at < d.started_at {
            return Some(format!("/{i}/finished_at"));
        }
        if let Some(j) = d
            .commits
            .iter()
            .position(|c| c.committed_at > d.finished_at)
        {
            return Some(format!("/{i}/commits/{j}/committed_at"));
        }
    }
    let mut incident_ids = HashSet::new();
    for (i, incident) in is.iter().enumerate() {
        if !incident_ids.insert(incident.id.as_str()) {
            return Some(format!("incidents/{i}/id"));
        }
        if incident
            .resolved_at
            .as_ref()
            .is_some_and(|r| *r < incident.created_at)
        {
            return Some(format!("incidents/{i}/resolved_at"));
        }
        if let Some(j) = incident
            .caused_by
            .iter()
            .position(|c| !ids.contains(c.as_str()))
        {
            return Some(format!("incidents/{i}/caused_by/{j}"));
        }
    }
    None
}

/// Lead times in milliseconds: each (service, sha) once, at the first
/// successful deployment in (finish, id) order.
fn lead_times(ds: &[Deployment]) -> Vec<i64> {
    let mut order: Vec<&Deployment> = ds.iter().collect();
    order.sort_by(|a, b| (a.finished_at, &a.id).cmp(&(b.finished_at, &b.id)));
    let mut shipped = HashSet::new();
    let mut leads = Vec::new();
    for d in order
        .into_iter()
        .filter(|d| d.status == DeploymentStatus::Succeeded)
    {
        for c in &d.commits {
            if shipped.insert((d.service.as_str(), c.sha.as_str())) {
                let ms = |t: &rollgate::Timestamp| t.0.timestamp_millis();
                leads.push(ms(&d.finished_at) - ms(&c.committed_at));
            }
        }
    }
    leads
}

/// R type-7 quantile of sorted values, in seconds.
fn type7(sorted: &[i64], q: f64) -> Option<f64> {
    let h = (sorted.len().checked_sub(1)?) as f64 * q;
    let k = h.floor() as usize;
    let a = sorted[k] as f64;
    let b = sorted.get(k + 1).map_or(a, |v| *v as f64);
    Some((a + (h - k as f64) * (b - a)) / 1000.0)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (a, b) => a == b,
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0015),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Broken records: the error reported is the first a sequential scan
    /// meets (ids repeat, times run backwards, causes are unknown).
    #[test]
    fn the_first_error_is_the_sequential_one(
        ds in prop::collection::vec(
            (0u8..120, 0u8..3, 0..3usize, 0i64..100_000, -5i64..60,
             prop::collection::vec((0u8..8, -50i64..5000), 0..3)),
            0..30),
        is in prop::collection::vec(
            (0u8..8, 0i64..100_000, prop::option::of(-1i64..500), prop::collection::vec(0u8..130, 0..3)),
            0..6),
    ) {
        let (ds, is) = (deployments(&ds), incidents(&is));
        let expected = first_error(&ds, &is);
        match rollgate::dora_metrics(&ds, &is, None, None) {
            Ok(_) => prop_assert_eq!(expected, None),
            Err(err) => prop_assert_eq!(expected.as_deref(), Some(err.path())),
        }
    }

    /// Consistent records: lead time count, median and p90 are those of a
    /// first-shipment scan, whatever the ties in finish time and the
    /// commits redeployed, within and across services.
    #[test]
    fn lead_times_are_first_shipments(
        ds in prop::collection::vec(
            (0u8..3, 0..3usize, 0i64..5, prop::collection::vec((0u8..6, 0i64..5000), 0..4)),
            0..40),
    ) {
        // Unique ids; finishes within a few minutes, so that ties are common.
        let spec: Vec<DeploySpec> = ds
            .into_iter()
            .enumerate()
            .map(|(i, (service, status, finish, commits))| (i as u8, service, status, finish, 1, commits))
            .collect();
        let ds = deployments(&spec);
        let mut leads = lead_times(&ds);
        leads.sort_unstable();
        let report = rollgate::dora_metrics(&ds, &[], Some(&DoraOptions::default()), None).unwrap();
        let lead = report.totals.lead_time;
        prop_assert_eq!(lead.commits, leads.len() as u64);
        prop_assert!(close(lead.median_seconds, type7(&leads, 0.5)));
        prop_assert!(close(lead.p90_seconds, type7(&leads, 0.9)));
        // Per service too: a commit shipped to two services counts in both.
        let by_service = rollgate::dora_metrics(
            &ds, &[], Some(&DoraOptions { group_by: rollgate::GroupBy::Service, ..DoraOptions::default() }), None,
        ).unwrap();
        let mut per: HashMap<String, u64> = HashMap::new();
        for d in &ds {
            per.entry(d.service.clone()).or_default();
        }
        for g in &by_service.groups {
            let mine: Vec<Deployment> = ds.iter().filter(|d| d.service == g.group).cloned().collect();
            prop_assert_eq!(g.metrics.lead_time.commits, lead_times(&mine).len() as u64);
            per.remove(&g.group);
        }
        prop_assert!(per.is_empty());
    }
}
