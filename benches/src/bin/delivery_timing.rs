//! Times `rollgate::dora_metrics` on the synthetic history of
//! `rollgate_benches::delivery`, for `benches/delivery_peer.py` (same data as
//! the pandas peer, same run), and two floors on the same records.
//!
//! Usage: `delivery_timing N SEED REPEATS [by_service]`; `by_service` asks
//! for one group per service (the JSON then lists each group's numbers).
//!
//! Prints one JSON line: the wall and CPU time in seconds per call of each
//! repeat (each repeat runs about 0.3 s of calls, so that histories of a
//! few hundred deployments are timed above the clocks' resolution), the
//! same for the floors, and the numbers the peer must reproduce. On a
//! loaded machine CPU time (all threads, user + system) moves far less
//! than wall time.
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

/// Calls per timed repeat: about 0.3 s of them (CPU time is counted in
/// 10 ms ticks), from the fastest of three calls timed.
fn calls<T>(mut f: impl FnMut() -> T) -> usize {
    let once = (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    ((0.3 / once.max(1e-9)) as usize).clamp(1, 100_000)
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

/// CPU seconds (user + system) this process has used, all threads, from
/// `/proc/self/stat` (clock ticks of 1/100 s); none off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime is
    // the 14th field of the line, stime the 15th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// Wall and CPU seconds per call of `f`, over `calls` calls.
fn time<T>(calls: usize, mut f: impl FnMut() -> T) -> (f64, Option<f64>) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    for _ in 0..calls {
        black_box(f());
    }
    let wall = start.elapsed().as_secs_f64() / calls as f64;
    let cpu = cpu.zip(cpu_seconds()).map(|(a, b)| (b - a) / calls as f64);
    (wall, cpu)
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
    let report = rollgate::dora_metrics(&deployments, &incidents, options, None).unwrap();
    let metrics = || rollgate::dora_metrics(&deployments, &incidents, options, None).unwrap();
    let (k, k_floor, k_strings) = (
        calls(metrics),
        calls(|| floor(&deployments)),
        calls(|| floor_strings(&deployments)),
    );
    let [mut times, mut floor_times, mut string_floor_times] = [(); 3].map(|_| Vec::new());
    // Interleaved, so that all three see the same background load.
    for _ in 0..repeats {
        times.push(time(k, metrics));
        floor_times.push(time(k_floor, || floor(&deployments)));
        string_floor_times.push(time(k_strings, || floor_strings(&deployments)));
    }
    let wall = |t: &[(f64, Option<f64>)]| t.iter().map(|x| x.0).collect::<Vec<_>>();
    let cpu = |t: &[(f64, Option<f64>)]| t.iter().map(|x| x.1).collect::<Vec<_>>();
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
            "times": wall(&times),
            "floor_times": wall(&floor_times),
            "string_floor_times": wall(&string_floor_times),
            "cpu_times": cpu(&times),
            "floor_cpu_times": cpu(&floor_times),
            "string_floor_cpu_times": cpu(&string_floor_times),
            "calls": [k, k_floor, k_strings],
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
