//! check_parity over three environments (dev, staging, prod) of 50, 500 and
//! 5,000 services, each with a version, a digest, 8 config keys and replicas
//! (plus 20 infrastructure keys and 5 data stores), with about 3% of the
//! values seeded to differ. The floor: serialising the same three specs to
//! JSON, which touches every value once as parity must.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rollgate::{EnvironmentSpec, ParityRules};
use serde_json::{json, Value};

/// splitmix64: deterministic, no dependency.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn estate(services: usize, seed: u64) -> Vec<EnvironmentSpec> {
    let mut rng = seed;
    let tiers = ["development", "staging", "production"];
    let ids = ["dev", "staging", "prod"];
    (0..3)
        .map(|e| {
            let mut svc = serde_json::Map::new();
            for s in 0..services {
                let mut drift = |base: u64| if next(&mut rng) % 100 < 3 { base + 1 } else { base };
                let config: serde_json::Map<String, Value> = (0..8)
                    .map(|k| (format!("key.{k}"), json!(drift(k as u64))))
                    .collect();
                svc.insert(
                    format!("service-{s:05}"),
                    json!({"version": format!("1.{}.0", drift(4)), "artifact_digest": format!("sha256:{s:x}{}", drift(0)),
                           "config": config, "replicas": 1 + e * 2}),
                );
            }
            let infra: serde_json::Map<String, Value> =
                (0..20).map(|k| (format!("infra.{k}"), json!(format!("v{k}")))).collect();
            let volume: serde_json::Map<String, Value> =
                (0..5).map(|k| (format!("store{k}"), json!(1000.0 * (e as f64 + 1.0) * (k as f64 + 1.0)))).collect();
            rollgate::wire::from_value(json!({"id": ids[e], "tier": tiers[e], "services": svc,
                "infrastructure": infra, "data_volume": volume, "monthly_cost": 100.0}))
            .expect("valid spec")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let path: Vec<String> = ["dev", "staging", "prod"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rules: ParityRules = rollgate::wire::from_value(json!({
        "allow": [{"path": "/services/*/replicas"}, {"path": "/services/*/config/*secret*"}],
        "blocking": [{"path": "/infrastructure/**"}],
        "min_data_volume_ratio": 0.1
    }))
    .expect("rules");
    let mut group = c.benchmark_group("environments");
    for n in [50usize, 500, 5_000] {
        let envs = estate(n, 42);
        group.bench_with_input(BenchmarkId::new("check_parity", n), &envs, |b, envs| {
            b.iter(|| rollgate::check_parity(envs, &path, &rules).expect("parity"))
        });
        group.bench_with_input(
            BenchmarkId::new("floor_serialize_json", n),
            &envs,
            |b, envs| b.iter(|| serde_json::to_vec(envs).expect("serialise").len()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
