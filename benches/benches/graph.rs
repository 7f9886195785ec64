//! Criterion benchmarks of the dependency graph at the sizes users have (10
//! to 10,000 services) and at the large size (100,000 services, 500,000
//! dependencies); see `rollgate_benches::GRAPH_SIZES`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rollgate_benches::{random_dag, GRAPH_SIZES};

/// Fewer samples for the large plan: each call takes ~100 ms.
fn samples(n: usize) -> usize {
    if n >= 100_000 {
        10
    } else {
        50
    }
}

fn order_services(c: &mut Criterion) {
    let mut group = c.benchmark_group("order_services");
    for (n, m) in GRAPH_SIZES {
        let plan = random_dag(n, m, 42);
        group.sample_size(samples(n));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x{m}")),
            &plan,
            |b, plan| b.iter(|| rollgate::order_services(plan).expect("valid DAG")),
        );
    }
    group.finish();
}

/// Building the graph alone: validation, the id index and layering.
fn service_graph_new(c: &mut Criterion) {
    let mut group = c.benchmark_group("service_graph_new");
    for (n, m) in GRAPH_SIZES {
        let plan = random_dag(n, m, 42);
        group.sample_size(samples(n));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x{m}")),
            &plan,
            |b, plan| b.iter(|| rollgate::ServiceGraph::new(plan).expect("valid DAG")),
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

criterion_group!(
    benches,
    order_services,
    service_graph_new,
    blast_radius,
    schedule_services
);
criterion_main!(benches);
