//! Criterion benchmarks of the dependency graph at realistic and large sizes.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rollgate_benches::random_dag;

fn order_services(c: &mut Criterion) {
    let mut group = c.benchmark_group("order_services");
    group.sample_size(10);
    for (n, m) in [(1_000, 5_000), (100_000, 500_000)] {
        let plan = random_dag(n, m, 42);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x{m}")),
            &plan,
            |b, plan| b.iter(|| rollgate::order_services(plan).expect("valid DAG")),
        );
    }
    group.finish();
}

fn blast_radius(c: &mut Criterion) {
    let n = 100_000;
    let plan = random_dag(n, 500_000, 42);
    let graph = rollgate::ServiceGraph::new(&plan).expect("valid DAG");
    let requested: Vec<String> = (0..100).map(|i| format!("s{}", i * (n / 100))).collect();
    let mut group = c.benchmark_group("blast_radius");
    group.sample_size(10);
    group.bench_function("100_of_100000x500000", |b| {
        b.iter(|| graph.blast_radius(Some(&requested)).expect("known ids"))
    });
    group.finish();
}

fn schedule_services(c: &mut Criterion) {
    let plan = random_dag(100_000, 500_000, 42);
    let graph = rollgate::ServiceGraph::new(&plan).expect("valid DAG");
    let mut group = c.benchmark_group("schedule_services");
    group.sample_size(10);
    group.bench_function("100000x500000_max_parallel_64", |b| {
        b.iter(|| graph.schedule(64).expect("bound >= 1"))
    });
    group.finish();
}

criterion_group!(benches, order_services, blast_radius, schedule_services);
criterion_main!(benches);
