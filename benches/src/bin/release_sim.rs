//! Simulated releases of a 12-region plan, driven once by `advance_release`
//! (an anytime-valid canary watch in every deployed region, `watch_all_waves`;
//! a `rollback` verdict anywhere halts; waves pass after their 30-minute
//! bake, the smallest region first) and once by a fixed-bake policy (Argo Rollouts style: every
//! 5 minutes a fixed-horizon `judge_canary` on the cumulative data of the
//! current wave's regions, `failureLimit` 0, the wave passes after its bake).
//! Seeded: the same command prints the same table.
//!
//! ```text
//! cargo run --release -p rollgate-benches --bin release_sim            # 1,200 releases (minutes)
//! cargo run --release -p rollgate-benches --bin release_sim -- --quick # 120 releases
//! ```
//!
//! Each minute every region that runs the new build sends a batch: error
//! counts (requests ∝ traffic share, 0.5 % errors) and 50 latency samples
//! per arm (log-normal, median 20 ms). Kinds of release, in equal shares:
//! good; errors 0.5 % → 1.0 % everywhere; latency × 1.25 (p99 +25 %)
//! everywhere; errors doubled in one non-canary region only; good with two
//! flaky steps that fail once; good with a release window (09:00–12:00 UTC
//! on weekdays, from a 10:00 start) that closes mid-rollout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use rollgate::release::{
    advance_release, parse_events, start_release, Action, ReleaseOptions, Status,
};
use rollgate::verdict::{judge_canary, CanaryConfig, CanaryData, Decision};
use rollgate::Plan;
use serde_json::{json, Value};

/// splitmix64 with Box-Muller normals.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    /// Binomial(n, p) for small p: geometric gaps between events.
    fn binomial(&mut self, n: u64, p: f64) -> u64 {
        let ln_q = (-p).ln_1p();
        let (mut k, mut pos) = (0u64, 0u64);
        loop {
            let gap = (self.uniform().ln() / ln_q).floor() as u64;
            pos = pos.saturating_add(gap).saturating_add(1);
            if pos > n {
                return k;
            }
            k += 1;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Good,
    BadErrors,
    BadLatency,
    RegionFault,
    Flaky,
    Window,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Good,
        Kind::BadErrors,
        Kind::BadLatency,
        Kind::RegionFault,
        Kind::Flaky,
        Kind::Window,
    ];
    fn bad(self) -> bool {
        matches!(self, Kind::BadErrors | Kind::BadLatency | Kind::RegionFault)
    }
}

const FAULT_REGION: &str = "r07";
const START: &str = "2026-11-24T10:00:00Z";

fn shares() -> Vec<f64> {
    // A 2 % canary, then eleven regions of growing size (sum 1).
    let w: Vec<f64> = (1..=11).map(|i| i as f64).collect();
    let total: f64 = w.iter().sum();
    std::iter::once(0.02)
        .chain(w.iter().map(|x| (0.98 * x / total * 1e6).floor() / 1e6))
        .collect()
}

fn plan(kind: Kind) -> Plan {
    let regions: Vec<Value> = shares()
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"id": format!("r{i:02}"), "traffic_share": s}))
        .collect();
    let mut p = json!({"name": "sim", "services": [{"id": "app", "deploy_duration": "10m"}], "regions": regions,
        "rollout": {"bake_time": "30m", "max_failed_steps": 2, "timeout": "30m"}});
    if kind == Kind::Window {
        p["calendars"] = json!({"office": {"time_zone": "UTC", "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "12:00"}]}});
        p["calendar"] = json!("office");
    }
    rollgate::wire::from_value(p).unwrap()
}

fn analysis() -> CanaryConfig {
    rollgate::wire::from_value(json!({"metrics": [
        {"name": "errors", "kind": "count", "direction": "increase", "critical": true, "allowed_increase": 1.2},
        {"name": "p99_latency", "kind": "quantile", "quantile": 0.99, "direction": "increase", "critical": true, "allowed_increase": 1.1}
    ]}))
    .unwrap()
}

/// One region-minute of metrics for the two arms.
fn batch(rng: &mut Rng, kind: Kind, region: &str, share: f64) -> Value {
    let n = (300.0 + 60_000.0 * share) as u64;
    let bad_errors =
        kind == Kind::BadErrors || (kind == Kind::RegionFault && region == FAULT_REGION);
    let p_canary = if bad_errors { 0.010 } else { 0.005 };
    let scale = if kind == Kind::BadLatency { 1.25 } else { 1.0 };
    let mut lat = |s: f64| -> Vec<f64> {
        (0..50)
            .map(|_| s * (3.0 + 0.5 * rng.normal()).exp())
            .collect()
    };
    let (lb, lc) = (lat(1.0), lat(scale));
    json!({
        "errors": {"baseline": {"events": rng.binomial(n, 0.005), "trials": n}, "canary": {"events": rng.binomial(n, p_canary), "trials": n}},
        "p99_latency": {"baseline": lb, "canary": lc}
    })
}

struct Outcome {
    halted: bool,
    completed_minutes: Option<i64>,
    exposure: f64,
}

/// Share-weighted minutes on the bad build up to `minute`.
fn exposure(
    kind: Kind,
    first_start: &BTreeMap<String, i64>,
    shares: &BTreeMap<String, f64>,
    minute: i64,
) -> f64 {
    if !kind.bad() {
        return 0.0;
    }
    first_start
        .iter()
        .filter(|(r, _)| kind != Kind::RegionFault || r.as_str() == FAULT_REGION)
        .map(|(r, s)| shares[r] * (minute - s).max(0) as f64)
        .sum()
}

fn at(minute: i64) -> String {
    let t0 = chrono::DateTime::parse_from_rfc3339(START).unwrap();
    (t0 + chrono::TimeDelta::minutes(minute)).to_rfc3339()
}

/// The controller: one `advance_release` call per minute.
fn run_controller(kind: Kind, seed: u64) -> Outcome {
    let plan = plan(kind);
    let shares: BTreeMap<String, f64> = plan
        .regions
        .iter()
        .map(|r| (r.id.clone(), r.traffic_share))
        .collect();
    let options = ReleaseOptions {
        analysis: Some(analysis()),
        watch_all_waves: true,
        ..Default::default()
    };
    let start = chrono::DateTime::parse_from_rfc3339(START).unwrap();
    let mut state = start_release(&plan, start, Some(&options)).unwrap();
    let mut rng = Rng(seed);
    let flaky = flaky_regions(kind, &mut rng);
    let mut running: BTreeMap<String, (i64, i64, bool)> = BTreeMap::new(); // region -> (start, end, fails)
    let mut failed_once: Vec<String> = Vec::new();
    let mut first_start: BTreeMap<String, i64> = BTreeMap::new();
    let mut events: Vec<Value> = Vec::new();
    for minute in 0..(14 * 24 * 60) {
        let update = advance_release(
            &plan,
            &state,
            &parse_events(Value::Array(std::mem::take(&mut events))).unwrap(),
            chrono::DateTime::parse_from_rfc3339(&at(minute)).unwrap(),
        )
        .unwrap();
        state = update.state;
        match update.status {
            Status::Completed => {
                return Outcome {
                    halted: false,
                    completed_minutes: Some(minute),
                    exposure: 0.0,
                }
            }
            Status::RollingBack | Status::Halted | Status::Aborted | Status::Paused => {
                return Outcome {
                    halted: true,
                    completed_minutes: None,
                    exposure: exposure(kind, &first_start, &shares, minute),
                }
            }
            _ => {}
        }
        for a in &update.actions {
            match a {
                Action::Deploy { steps, .. } => {
                    for s in steps {
                        let fails = flaky.contains(&s.region) && !failed_once.contains(&s.region);
                        let took = 10 + (rng.uniform() * 3.0) as i64;
                        let end = if fails { minute + 3 } else { minute + took };
                        running.insert(s.region.clone(), (minute, end, fails));
                        first_start.entry(s.region.clone()).or_insert(minute);
                        events.push(json!({"type": "step_started", "region": s.region, "service": s.service, "at": at(minute)}));
                    }
                }
                Action::RunChecks { checks, .. } => {
                    for c in checks {
                        events.push(
                            json!({"type": "check", "check": c, "passed": true, "at": at(minute)}),
                        );
                    }
                }
                _ => {}
            }
        }
        let next = minute + 1;
        let done: Vec<String> = running
            .iter()
            .filter(|(_, (_, end, _))| *end <= next)
            .map(|(r, _)| r.clone())
            .collect();
        for r in done {
            let (_, _, fails) = running.remove(&r).unwrap();
            if fails {
                failed_once.push(r.clone());
            }
            let outcome = if fails { "failed" } else { "succeeded" };
            events.push(json!({"type": "step_finished", "region": r, "service": "app", "outcome": outcome, "at": at(next)}));
        }
        for r in first_start.keys() {
            events.push(json!({"type": "metrics", "region": r, "at": at(next), "batch": batch(&mut rng, kind, r, shares[r])}));
        }
    }
    Outcome {
        halted: false,
        completed_minutes: None,
        exposure: 0.0,
    }
}

fn flaky_regions(kind: Kind, rng: &mut Rng) -> Vec<String> {
    if kind != Kind::Flaky {
        return Vec::new();
    }
    let a = 1 + (rng.next_u64() % 11) as usize;
    let b = 1 + (a + (rng.next_u64() % 10) as usize) % 11;
    vec![format!("r{a:02}"), format!("r{b:02}")]
}

/// The fixed-bake policy on the same schedule and data: waves in order,
/// each region's step (flaky ones retried), then a 30-minute bake; every 5
/// minutes `judge_canary` on each current-wave region's cumulative data;
/// any `rollback` halts (failureLimit 0).
fn run_fixed(kind: Kind, seed: u64) -> Outcome {
    let plan = plan(kind);
    let shares: BTreeMap<String, f64> = plan
        .regions
        .iter()
        .map(|r| (r.id.clone(), r.traffic_share))
        .collect();
    let start = chrono::DateTime::parse_from_rfc3339(START).unwrap();
    let schedule = rollgate::schedule_rollout(&plan, start).unwrap();
    let calendar = plan
        .calendars
        .get("office")
        .map(|c| rollgate::Calendar::new(c).unwrap());
    let config = analysis();
    let mut rng = Rng(seed);
    let flaky = flaky_regions(kind, &mut rng);
    let mut first_start: BTreeMap<String, i64> = BTreeMap::new();
    let mut cumulative: BTreeMap<String, Cumulative> = BTreeMap::new();
    let mut minute = 0i64;
    for wave in &schedule.waves {
        // Wait for the window, then deploy every region of the wave.
        if let Some(cal) = &calendar {
            let now = chrono::DateTime::parse_from_rfc3339(&at(minute)).unwrap();
            let check = cal.check_window(now, rollgate::DurationSecs(600));
            if let Some(next) = check.next_allowed_start.filter(|_| !check.allowed) {
                let next = chrono::DateTime::parse_from_rfc3339(&next).unwrap();
                minute += (next - now).num_minutes();
            }
        }
        let mut end = minute;
        for r in &wave.regions {
            first_start.entry(r.clone()).or_insert(minute);
            let took = 10 + (rng.uniform() * 3.0) as i64;
            let retry = if flaky.contains(r) { 3 } else { 0 };
            end = end.max(minute + took + retry);
        }
        let bake_end = end + 30;
        let mut t = minute;
        while t < bake_end {
            t += 1;
            for r in first_start.keys() {
                let b = batch(&mut rng, kind, r, shares[r]);
                let c = cumulative.entry(r.clone()).or_default();
                c.0 += b["errors"]["baseline"]["events"].as_u64().unwrap();
                c.1 += b["errors"]["baseline"]["trials"].as_u64().unwrap();
                c.2 += b["errors"]["canary"]["events"].as_u64().unwrap();
                c.3 += b["errors"]["canary"]["trials"].as_u64().unwrap();
                c.4.extend(
                    b["p99_latency"]["baseline"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap()),
                );
                c.5.extend(
                    b["p99_latency"]["canary"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap()),
                );
            }
            if (t - minute) % 5 == 0 {
                for r in &wave.regions {
                    let c = &cumulative[r];
                    let data: CanaryData = rollgate::wire::from_value(json!({
                        "errors": {"baseline": {"events": c.0, "trials": c.1}, "canary": {"events": c.2, "trials": c.3}},
                        "p99_latency": {"baseline": c.4, "canary": c.5}})).unwrap();
                    if judge_canary(&config, &data).unwrap().decision == Decision::Rollback {
                        return Outcome {
                            halted: true,
                            completed_minutes: None,
                            exposure: exposure(kind, &first_start, &shares, t),
                        };
                    }
                }
            }
        }
        minute = bake_end;
    }
    Outcome {
        halted: false,
        completed_minutes: Some(minute),
        exposure: 0.0,
    }
}

/// A region's cumulative data: baseline errors and requests, canary errors
/// and requests, baseline and canary latency samples.
#[derive(Default)]
struct Cumulative(u64, u64, u64, u64, Vec<f64>, Vec<f64>);

fn median(mut v: Vec<i64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    }
}

fn report(name: &str, outcomes: &[(Kind, Outcome)]) {
    let bad: Vec<&Outcome> = outcomes
        .iter()
        .filter(|(k, _)| k.bad())
        .map(|(_, o)| o)
        .collect();
    let good: Vec<&(Kind, Outcome)> = outcomes.iter().filter(|(k, _)| !k.bad()).collect();
    let halted_bad = bad.iter().filter(|o| o.halted).count();
    let exposures: Vec<i64> = bad
        .iter()
        .filter(|o| o.halted)
        .map(|o| (o.exposure * 1000.0).round() as i64)
        .collect();
    let wrong = good.iter().filter(|(_, o)| o.halted).count();
    let times: Vec<i64> = good
        .iter()
        .filter_map(|(_, o)| o.completed_minutes)
        .collect();
    let times_no_window: Vec<i64> = good
        .iter()
        .filter(|(k, _)| *k != Kind::Window)
        .filter_map(|(_, o)| o.completed_minutes)
        .collect();
    println!(
        "| {name} | {:.1} % ({halted_bad}/{}) | {:.2} | {:.1} % ({wrong}/{}) | {:.0} | {:.0} |",
        100.0 * halted_bad as f64 / bad.len() as f64,
        bad.len(),
        median(exposures) / 1000.0,
        100.0 * wrong as f64 / good.len() as f64,
        good.len(),
        median(times),
        median(times_no_window),
    );
    for kind in Kind::ALL {
        let of: Vec<&Outcome> = outcomes
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, o)| o)
            .collect();
        let halted = of.iter().filter(|o| o.halted).count();
        eprintln!("  {name} {kind:?}: halted {halted}/{}", of.len());
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let per_kind = if quick { 20 } else { 200 };
    let started = std::time::Instant::now();
    let jobs: Vec<(Kind, u64)> = Kind::ALL
        .into_iter()
        .enumerate()
        .flat_map(|(k, kind)| {
            (0..per_kind).map(move |i| (kind, 0x5EED_0000 + (k * 100_000 + i) as u64))
        })
        .collect();
    // Each release is seeded on its own, so the releases are spread over
    // the cores (job j on worker j mod n) and put back in job order: the
    // table is the same whatever the number of cores.
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let mut results: Vec<(usize, Outcome, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let jobs = &jobs;
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(w)
                        .step_by(workers)
                        .map(|(j, &(kind, seed))| {
                            (j, run_controller(kind, seed), run_fixed(kind, seed))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a simulation worker panicked"))
            .collect()
    });
    results.sort_by_key(|r| r.0);
    let mut controller = Vec::new();
    let mut fixed = Vec::new();
    for (j, c, f) in results {
        controller.push((jobs[j].0, c));
        fixed.push((jobs[j].0, f));
    }
    println!(
        "{} releases per policy ({per_kind} of each of 6 kinds), 12 regions, seeded; {:.0} s\n",
        controller.len(),
        started.elapsed().as_secs_f64()
    );
    println!("| policy | bad releases halted | median exposure at the halt (share × minutes) | good releases wrongly halted | median minutes to complete a good release | same, without the window kind |");
    println!("|---|---|---|---|---|---|");
    report("advance_release (anytime-valid watches)", &controller);
    report(
        "fixed bake, judge_canary every 5 min (failureLimit 0)",
        &fixed,
    );
}
