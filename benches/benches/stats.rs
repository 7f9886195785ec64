//! Criterion benchmarks of the statistical kernels at realistic and large
//! sizes: Mann-Whitney with the Hodges-Lehmann interval on 200 to 1,000,000
//! samples per side, and a full `judge_canary`.
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rollgate::Alternative;

/// Deterministic log-normal-ish samples (splitmix64 + Box-Muller).
fn samples(n: usize, seed: u64, shift: f64) -> Vec<f64> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64 + 1e-18
    };
    (0..n)
        .map(|_| {
            let (u, v) = (next(), next());
            let z = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos();
            (3.0 + 0.5 * z + shift).exp()
        })
        .collect()
}

fn mann_whitney(c: &mut Criterion) {
    let mut group = c.benchmark_group("mann_whitney");
    group.sample_size(10);
    for n in [200usize, 1_000, 10_000, 1_000_000] {
        let x = samples(n, 1, 0.01);
        let y = samples(n, 2, 0.0);
        group.bench_function(format!("{n}x{n}"), |b| {
            b.iter_batched(
                || (),
                |_| rollgate::mann_whitney(&x, &y, Alternative::TwoSided, 0.95).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn judge(c: &mut Criterion) {
    let config: rollgate::CanaryConfig = rollgate::wire::from_value(serde_json::json!({
        "metrics": [
            {"name": "latency", "direction": "increase"},
            {"name": "p99", "kind": "quantile", "direction": "increase"},
            {"name": "spread", "compare": "distribution"},
            {"name": "errors", "kind": "count", "direction": "increase"}
        ],
        "correction": "holm"
    }))
    .unwrap();
    let (b, k) = (samples(100_000, 3, 0.0), samples(100_000, 4, 0.0));
    let data: rollgate::CanaryData = rollgate::wire::from_value(serde_json::json!({
        "latency": {"baseline": b, "canary": k},
        "p99": {"baseline": b, "canary": k},
        "spread": {"baseline": b, "canary": k},
        "errors": {"baseline": {"events": 120, "trials": 100000}, "canary": {"events": 131, "trials": 100000}}
    }))
    .unwrap();
    let mut group = c.benchmark_group("judge_canary");
    group.sample_size(10);
    group.bench_function("4 metrics x 100k samples", |bench| {
        bench.iter(|| rollgate::judge_canary(&config, &data).unwrap())
    });
    group.finish();
}

criterion_group!(benches, mann_whitney, judge);
criterion_main!(benches);
