//! Measures the canary watch: false rollbacks of A/A canaries looked at
//! after every batch (against re-running `judge_canary` on the cumulative
//! data at every look), power and speed for real regressions against a
//! fixed-horizon test, the time to promote an A/A canary, updates per second
//! and the state's size. Seeded: the same command prints the same table.
//!
//! ```text
//! cargo run --release -p rollgate-benches --bin watch_quality            # full (minutes)
//! cargo run --release -p rollgate-benches --bin watch_quality -- --quick # small sizes
//! cargo run --release -p rollgate-benches --bin watch_quality -- --only power  # one section
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod fixed;
mod sim;

use std::time::Instant;

use rollgate::verdict::{
    judge_canary, start_canary_watch, update_canary_watch, CanaryConfig, CanaryData,
    Classification, Decision,
};
use serde_json::{json, Value};
use sim::{Arm, Metrics, Rng, Sizes, BASE};

/// The simulation's sizes.
#[derive(Clone, Copy)]
struct Plan {
    canaries: usize,
    looks: usize,
}

fn metric_json(name: &str, margins: bool) -> Value {
    let allowed = |r: f64| if margins { json!(r) } else { Value::Null };
    match name {
        "errors" => {
            json!({"name": "errors", "kind": "count", "direction": "increase", "critical": true, "allowed_increase": allowed(1.2)})
        }
        "latency" => {
            json!({"name": "latency", "direction": "increase", "critical": true, "allowed_increase": allowed(1.05)})
        }
        "p99_latency" => {
            json!({"name": "p99_latency", "kind": "quantile", "quantile": 0.99, "direction": "increase", "critical": true, "allowed_increase": allowed(1.1)})
        }
        _ => {
            json!({"name": "cpu", "direction": "increase", "critical": true, "allowed_increase": allowed(1.05)})
        }
    }
}

/// The watch configuration: every metric critical, no bake and no budget
/// (the simulation decides when to stop), the given level.
fn watch_config(metrics: Metrics, alpha: f64, margins: bool) -> CanaryConfig {
    let list: Vec<Value> = metrics
        .names()
        .iter()
        .map(|n| metric_json(n, margins))
        .collect();
    rollgate::wire::from_value(json!({
        "metrics": list,
        "watch": {"alpha": alpha, "min_duration": "0s", "min_samples": 0, "max_duration": null, "allocation": 0.5}
    }))
    .unwrap()
}

/// The same metrics for `judge_canary` at confidence 0.95.
fn judge_config(metrics: Metrics) -> CanaryConfig {
    let list: Vec<Value> = metrics
        .names()
        .iter()
        .map(|n| metric_json(n, false))
        .collect();
    rollgate::wire::from_value(json!({"metrics": list})).unwrap()
}

fn at(look: usize) -> chrono::DateTime<chrono::FixedOffset> {
    let start = rollgate::window::parse_timestamp("at", "2026-11-26T09:00:00+00:00").unwrap();
    start + chrono::TimeDelta::minutes(look as i64)
}

/// What happened to one simulated canary.
#[derive(Default, Clone, Copy)]
struct Outcome {
    /// Samples per arm (requests for error-only runs) when the watch rolled back.
    rollback_at: Option<f64>,
    promote_at: Option<f64>,
    /// The naive judge's rollbacks at 0.05 and 0.01.
    naive: [bool; 2],
}

/// Per-arm samples seen at a batch count: requests for counts alone,
/// latency samples otherwise.
fn seen(metrics: Metrics, sizes: Sizes, batches: usize) -> f64 {
    if metrics == Metrics::Errors {
        (sizes.requests as usize * batches) as f64
    } else {
        (sizes.samples * batches) as f64
    }
}

/// Runs one canary: the watch (stopping at its first rollback or promote)
/// and, if asked, the naive judge at every look.
fn canary(
    seed: u64,
    metrics: Metrics,
    arm: &Arm,
    sizes: Sizes,
    plan: Plan,
    watch: &CanaryConfig,
    naive: Option<&CanaryConfig>,
) -> Outcome {
    let mut rng = Rng(seed);
    let mut state = start_canary_watch(watch).unwrap();
    let mut total = CanaryData::new();
    let mut out = Outcome::default();
    let mut watching = true;
    for look in 0..plan.looks {
        let batch = sim::batch(&mut rng, metrics, arm, sizes);
        if watching {
            let update = update_canary_watch(watch, &state, &batch, at(look)).unwrap();
            state = update.state;
            match update.verdict.decision {
                Decision::Rollback => {
                    out.rollback_at = Some(seen(metrics, sizes, look + 1));
                    watching = false;
                }
                Decision::Promote => {
                    out.promote_at = Some(seen(metrics, sizes, look + 1));
                    watching = false;
                }
                _ => {}
            }
        }
        if let Some(config) = naive {
            sim::accumulate(&mut total, &batch);
            if !out.naive[1] {
                let v = judge_canary(config, &total).unwrap();
                let high_at = |alpha: f64| {
                    v.metrics.values().any(|m| {
                        m.classification == Classification::High
                            && m.adjusted_p_value.is_some_and(|p| p <= alpha)
                    })
                };
                out.naive[0] |= high_at(0.05);
                out.naive[1] |= high_at(0.01);
            }
        } else if !watching {
            break;
        }
    }
    out
}

fn run(
    metrics: Metrics,
    arm: &Arm,
    sizes: Sizes,
    plan: Plan,
    watch: &CanaryConfig,
    naive: bool,
    seed: u64,
) -> Vec<Outcome> {
    let judge = naive.then(|| judge_config(metrics));
    (0..plan.canaries)
        .map(|i| {
            canary(
                seed.wrapping_add(i as u64 * 0x1000_0001),
                metrics,
                arm,
                sizes,
                plan,
                watch,
                judge.as_ref(),
            )
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

fn share(outcomes: &[Outcome], f: impl Fn(&Outcome) -> bool) -> f64 {
    outcomes.iter().filter(|o| f(o)).count() as f64 / outcomes.len() as f64
}

fn fmt_n(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.0}"))
}

const SETS: [(Metrics, &str); 4] = [
    (Metrics::Errors, "error count (0.5 %)"),
    (Metrics::Latency, "mean latency"),
    (Metrics::P99, "p99 latency"),
    (
        Metrics::Four,
        "four metrics (errors, mean and p99 latency, CPU)",
    ),
];

fn false_rollbacks(plan: Plan) {
    let sizes = Sizes {
        requests: 1_000,
        samples: 50,
    };
    println!(
        "\n### A/A false rollbacks: {} canaries, a look after each of {} batches\n",
        plan.canaries, plan.looks
    );
    println!("Per batch and arm: {} requests (errors), {} latency/CPU samples. Every metric `critical`, allowed ratio 1 (the hardest null: any increase is harmful).\n", sizes.requests, sizes.samples);
    println!("| metrics | watch, α = 0.05 | watch, α = 0.01 | judge_canary at every look, 0.05 | judge_canary at every look, 0.01 |");
    println!("|---|---|---|---|---|");
    for (i, (metrics, label)) in SETS.iter().enumerate() {
        let seed = 0xA11C_E000 + i as u64;
        let w05 = run(
            *metrics,
            &BASE,
            sizes,
            plan,
            &watch_config(*metrics, 0.05, false),
            true,
            seed,
        );
        let w01 = run(
            *metrics,
            &BASE,
            sizes,
            plan,
            &watch_config(*metrics, 0.01, false),
            false,
            seed,
        );
        println!(
            "| {label} | {:.4} | {:.4} | {:.3} | {:.3} |",
            share(&w05, |o| o.rollback_at.is_some()),
            share(&w01, |o| o.rollback_at.is_some()),
            share(&w05, |o| o.naive[0]),
            share(&w05, |o| o.naive[1]),
        );
    }
}

fn power(plan: Plan) {
    let sizes = Sizes {
        requests: 2_000,
        samples: 100,
    };
    println!(
        "\n### Power and speed: α = 0.05, up to {} batches, {} canaries\n",
        plan.looks, plan.canaries
    );
    println!("Per batch and arm: {} requests, {} latency samples; allowed ratio 1. \"n\" is per arm (requests for errors, samples for latency). Fixed horizon: the same α, one-sided, the sample size at which `judge_canary`'s test (Fisher/score, Mann-Whitney, quantile test) reaches 80 % power (simulated).\n", sizes.requests, sizes.samples);
    println!("| regression | rolled back | median n to rollback | 90th percentile n | fixed-horizon n at 80 % power | median / fixed |");
    println!("|---|---|---|---|---|---|");
    let scenarios: [(&str, Metrics, Arm, fixed::Kind); 4] = [
        (
            "error rate 0.5 % → 1.0 %",
            Metrics::Errors,
            Arm {
                error_rate: 0.010,
                ..BASE
            },
            fixed::Kind::Proportions(0.005, 0.010),
        ),
        (
            "error rate 0.5 % → 0.75 %",
            Metrics::Errors,
            Arm {
                error_rate: 0.0075,
                ..BASE
            },
            fixed::Kind::Proportions(0.005, 0.0075),
        ),
        (
            "mean latency +10 %",
            Metrics::Latency,
            Arm {
                latency: 1.1,
                ..BASE
            },
            fixed::Kind::Location(1.1),
        ),
        (
            "p99 latency +20 % (tail only)",
            Metrics::P99,
            Arm { tail: 1.2, ..BASE },
            fixed::Kind::Quantile(1.2),
        ),
    ];
    for (i, (label, metrics, arm, kind)) in scenarios.iter().enumerate() {
        let outcomes = run(
            *metrics,
            arm,
            sizes,
            plan,
            &watch_config(*metrics, 0.05, false),
            false,
            0xB0B0_0000 + i as u64,
        );
        let ns: Vec<f64> = outcomes.iter().filter_map(|o| o.rollback_at).collect();
        let mut sorted = ns.clone();
        sorted.sort_by(f64::total_cmp);
        let p90 =
            (!sorted.is_empty()).then(|| sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)]);
        let med = median(ns);
        let n80 = fixed::n_at_80(
            *kind,
            0.05,
            0xF1ED + i as u64,
            if plan.canaries < 1000 { 200 } else { 1000 },
        );
        println!(
            "| {label} | {:.3} | {} | {} | {} | {} |",
            share(&outcomes, |o| o.rollback_at.is_some()),
            fmt_n(med),
            fmt_n(p90),
            fmt_n(Some(n80)),
            med.map_or("—".into(), |m| format!("{:.2}", m / n80)),
        );
    }
}

fn promotions(plan: Plan) {
    let sizes = Sizes {
        requests: 2_000,
        samples: 200,
    };
    println!(
        "\n### A/A canaries: time to promote, α = 0.05, up to {} batches\n",
        plan.looks
    );
    println!("Allowed increase: errors 1.2, mean latency and CPU 1.05, p99 1.1. Per batch and arm: {} requests, {} samples; no bake (`min_duration` 0, `min_samples` 0), so the numbers are the tests' own.\n", sizes.requests, sizes.samples);
    println!("| metrics | promoted | median n to promote | false rollbacks |");
    println!("|---|---|---|---|");
    for (i, (metrics, label)) in SETS.iter().enumerate() {
        let outcomes = run(
            *metrics,
            &BASE,
            sizes,
            plan,
            &watch_config(*metrics, 0.05, true),
            false,
            0xC0DE_0000 + i as u64,
        );
        println!(
            "| {label} | {:.3} | {} | {:.4} |",
            share(&outcomes, |o| o.promote_at.is_some()),
            fmt_n(median(
                outcomes.iter().filter_map(|o| o.promote_at).collect()
            )),
            share(&outcomes, |o| o.rollback_at.is_some()),
        );
    }
}

/// CPU seconds this process has used (Linux `/proc/self/stat`; `None`
/// elsewhere): on a shared machine, updates per CPU second are steadier than
/// per wall second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime and
    // stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn throughput(quick: bool) {
    let config = watch_config(Metrics::Four, 0.05, true);
    let sizes = Sizes {
        requests: 10_000,
        samples: 1_000,
    };
    let mut rng = Rng(7);
    let batches: Vec<CanaryData> = (0..50)
        .map(|_| sim::batch(&mut rng, Metrics::Four, &BASE, sizes))
        .collect();
    let mut state = start_canary_watch(&config).unwrap();
    let updates = if quick { 200 } else { 2_000 };
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    for i in 0..updates {
        state = update_canary_watch(&config, &state, &batches[i % batches.len()], at(i))
            .unwrap()
            .state;
    }
    let per_second = updates as f64 / start.elapsed().as_secs_f64();
    let per_cpu_second = cpu_start
        .zip(cpu_seconds())
        .map(|(a, b)| updates as f64 / (b - a).max(0.01));
    // The state after 10⁷ samples per arm of every metric.
    let big = Sizes {
        requests: 100_000,
        samples: 100_000,
    };
    let mut state = start_canary_watch(&config).unwrap();
    let rounds = if quick { 10 } else { 100 };
    for i in 0..rounds {
        let batch = sim::batch(&mut rng, Metrics::Four, &BASE, big);
        state = update_canary_watch(&config, &state, &batch, at(i))
            .unwrap()
            .state;
    }
    let bytes = serde_json::to_string(&state).unwrap().len();
    println!("\n### Throughput and state\n");
    println!("| measure | value |");
    println!("|---|---|");
    println!("| updates per second (wall clock), four metrics, 1,000 samples per arm (10,000 requests) per batch, release build, one thread | {per_second:.0} |");
    if let Some(rate) = per_cpu_second {
        println!("| updates per CPU second, same | {rate:.0} |");
    }
    println!(
        "| state size after {} samples per arm of each metric (JSON bytes) | {bytes} |",
        rounds * big.samples
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only = args.iter().skip_while(|a| *a != "--only").nth(1).cloned();
    let plan = |canaries: usize, looks: usize| Plan { canaries, looks };
    // A/A: at least 2,000 canaries and 100 looks each; power and promotion
    // runs are longer (200 looks) on fewer canaries.
    let (aa, long) = if quick {
        (plan(200, 100), plan(200, 200))
    } else {
        (plan(2_000, 100), plan(1_000, 200))
    };
    println!(
        "## Canary watch quality (benches/watch_quality{})",
        if quick { ", --quick" } else { "" }
    );
    let t0 = Instant::now();
    let sections: [(&str, &dyn Fn()); 4] = [
        ("false_rollbacks", &|| false_rollbacks(aa)),
        ("power", &|| power(long)),
        ("promotions", &|| promotions(long)),
        ("throughput", &|| throughput(quick)),
    ];
    for (name, run) in sections {
        if only.as_deref().is_none_or(|o| o == name) {
            let t = Instant::now();
            run();
            eprintln!("watch_quality: {name} {:.0} s", t.elapsed().as_secs_f64());
        }
    }
    eprintln!("watch_quality: {:.0} s", t0.elapsed().as_secs_f64());
}
