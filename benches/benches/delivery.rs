//! dora_metrics on 1,000, 100,000 and 1,000,000 deployments with 3 commits
//! each (synthetic, see `rollgate_benches::delivery`), in total and grouped
//! by service with a monthly series; flag exposure of
//! 1,000,000 unit ids. `benches/delivery_peer.py` times pandas on the same data.

use criterion::{criterion_group, criterion_main, Criterion};
use rollgate::delivery::{Flag, Population};
use rollgate::{DoraOptions, GroupBy, SeriesPeriod};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("delivery");
    group.sample_size(10);
    let grouped = DoraOptions {
        group_by: GroupBy::Service,
        series: Some(SeriesPeriod::Month),
        ..DoraOptions::default()
    };
    // A team's year (1,000 deployments) and an organisation's (100,000).
    for (n, name) in [(1_000, "1k"), (100_000, "100k")] {
        let (ds, is) = rollgate_benches::delivery::history(n, 42);
        group.bench_function(format!("dora_metrics/{name}_deployments_3_commits"), |b| {
            b.iter(|| rollgate::dora_metrics(&ds, &is, None, None).expect("metrics"))
        });
        group.bench_function(format!("dora_metrics/{name}/by_service_monthly"), |b| {
            b.iter(|| rollgate::dora_metrics(&ds, &is, Some(&grouped), None).expect("metrics"))
        });
    }
    let (deployments, incidents) = rollgate_benches::delivery::history(1_000_000, 42);
    group.bench_function("dora_metrics/1M_deployments_3_commits", |b| {
        b.iter(|| rollgate::dora_metrics(&deployments, &incidents, None, None).expect("metrics"))
    });
    group.bench_function("dora_metrics/1M/by_service_monthly", |b| {
        b.iter(|| {
            rollgate::dora_metrics(&deployments, &incidents, Some(&grouped), None).expect("metrics")
        })
    });
    drop((deployments, incidents));
    let flag: Flag = rollgate::wire::from_json(
        r#"{"key": "new-checkout", "percentage": 25, "variants": [{"name": "a", "weight": 500}, {"name": "b", "weight": 500}]}"#,
    )
    .expect("flag");
    let units = Population::Units((0..1_000_000).map(|i| format!("user-{i}")).collect());
    group.bench_function("flag_exposure/1M_unit_ids", |b| {
        b.iter(|| rollgate::flag_exposure(&flag, &units).expect("exposure"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
