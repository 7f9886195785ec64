//! Times `rollgate::dora_metrics` on the synthetic history of
//! `rollgate_benches::delivery`, for `benches/delivery_peer.py` (same data as
//! the pandas peer, same run), and a floor on the same records.
//!
//! Usage: `delivery_timing N SEED REPEATS [by_service]`; `by_service` asks
//! for one group per service (the JSON then lists each group's numbers). Prints one JSON line: the wall
//! time in seconds of each repeat (each repeat runs the call `calls` times
//! and reports the time per call, so that histories of a few hundred
//! deployments are timed above the clock's resolution), the same for the
//! floor, and the totals the peer must reproduce.
//!
//! Two floors, what any implementation has to do at least: `floor` reads
//! every deployment's finish instant and every commit's instant once and
//! sorts the deployments by finish (integer keys, unstable sort);
//! `floor_strings` also hashes every deployment id, service name and commit
//! sha once (each a separate heap string: uniqueness, grouping and
//! first shipments cannot be decided without reading them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Instant;

use rollgate::Deployment;

/// Calls per timed repeat: enough for about a million deployments in all.
fn calls(n: usize) -> usize {
    (1_000_000 / n.max(1)).clamp(1, 1000)
}

fn floor(deployments: &[Deployment]) -> i64 {
    let millis = |t: &rollgate::Timestamp| t.0.timestamp_millis();
    let mut keys: Vec<(i64, u32)> = Vec::with_capacity(deployments.len());
    let mut commits = 0i64;
    for (i, d) in deployments.iter().enumerate() {
        keys.push((millis(&d.finished_at), i as u32));
        for c in &d.commits {
            commits = commits.wrapping_add(millis(&c.committed_at));
        }
    }
    keys.sort_unstable();
    keys.first().map_or(0, |k| k.0).wrapping_add(commits)
}

fn floor_strings(deployments: &[Deployment]) -> u64 {
    use std::hash::BuildHasher;
    let state = hashbrown::DefaultHashBuilder::default();
    let mut acc = floor(deployments) as u64;
    for d in deployments {
        acc ^= state.hash_one(d.id.as_str()) ^ state.hash_one(d.service.as_str());
        for c in &d.commits {
            acc = acc.wrapping_add(state.hash_one(c.sha.as_str()));
        }
    }
    acc
}

/// Seconds per call of `f`, over `calls` calls.
fn time<T>(calls: usize, mut f: impl FnMut() -> T) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        black_box(f());
    }
    start.elapsed().as_secs_f64() / calls as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(1_000_000, |a| a.parse().expect("N"));
    let seed: u64 = args.get(2).map_or(42, |a| a.parse().expect("SEED"));
    let repeats: usize = args.get(3).map_or(5, |a| a.parse().expect("REPEATS"));
    let options = rollgate::DoraOptions {
        group_by: rollgate::GroupBy::Service,
        ..rollgate::DoraOptions::default()
    };
    let options = (args.get(4).map(String::as_str) == Some("by_service")).then_some(&options);
    let (deployments, incidents) = rollgate_benches::delivery::history(n, seed);
    let calls = calls(n);
    let report = rollgate::dora_metrics(&deployments, &incidents, options, None).unwrap();
    let mut times = Vec::new();
    let mut floor_times = Vec::new();
    let mut string_floor_times = Vec::new();
    // Interleaved, so that both see the same background load.
    for _ in 0..repeats {
        times.push(time(calls, || {
            rollgate::dora_metrics(&deployments, &incidents, options, None).unwrap()
        }));
        floor_times.push(time(calls, || floor(&deployments)));
        string_floor_times.push(time(calls, || floor_strings(&deployments)));
    }
    let groups: Vec<serde_json::Value> = report
        .groups
        .iter()
        .map(|g| {
            let m = &g.metrics;
            serde_json::json!({
                "group": g.group,
                "commits": m.lead_time.commits,
                "lead_median": m.lead_time.median_seconds,
                "lead_p90": m.lead_time.p90_seconds,
                "fail_rate": m.change_fail_rate.rate,
                "restore_median": m.recovery.median_restore_seconds,
            })
        })
        .collect();
    let t = report.totals;
    println!(
        "{}",
        serde_json::json!({
            "times": times,
            "floor_times": floor_times,
            "string_floor_times": string_floor_times,
            "calls": calls,
            "deployments": t.deployments.total,
            "commits": t.lead_time.commits,
            "lead_median": t.lead_time.median_seconds,
            "lead_p90": t.lead_time.p90_seconds,
            "fail_rate": t.change_fail_rate.rate,
            "recovery_median": t.recovery.median_seconds,
            "restore_median": t.recovery.median_restore_seconds,
            "per_day": t.deployment_frequency.per_day,
            "groups": groups,
        })
    );
}
