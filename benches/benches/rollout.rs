//! Benchmarks of `schedule_rollout` at 10, 60 and 200 regions × 2,000
//! services with release calendars in three zones, of 10,000 and 100,000
//! regions in one `depends_on` chain (one wave each; issue 9 found it
//! quadratic), and of `next_window`. Results and growth ratios:
//! benches/README.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rollgate_benches::rollout_plan::{calendar, plan};
use serde_json::{json, Value};

fn bench_schedule(c: &mut Criterion) {
    let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z").expect("start");
    let mut group = c.benchmark_group("schedule_rollout");
    group.sample_size(10);
    for regions in [10usize, 60, 200] {
        let plan = plan(regions, 2_000);
        group.throughput(Throughput::Elements((regions * 2_000) as u64));
        group.bench_with_input(
            BenchmarkId::new("regions_x_2000_services", regions),
            &plan,
            |b, plan| b.iter(|| rollgate::schedule_rollout(plan, start).expect("schedules")),
        );
    }
    group.finish();
}

/// `regions` regions in one `depends_on` chain (each depends on the one
/// before), one 5-minute service: one wave per region.
pub fn chain(regions: usize) -> rollgate::Plan {
    let reg: Vec<Value> = (0..regions)
        .map(|i| {
            let depends_on: Vec<String> = if i == 0 {
                Vec::new()
            } else {
                vec![format!("region-{:06}", i - 1)]
            };
            json!({"id": format!("region-{i:06}"), "depends_on": depends_on})
        })
        .collect();
    rollgate::wire::from_value(json!({
        "name": "chain", "services": [{"id": "api", "deploy_duration": "5m"}], "regions": reg
    }))
    .expect("chain plan is valid")
}

fn bench_chain(c: &mut Criterion) {
    let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z").expect("start");
    let mut group = c.benchmark_group("schedule_rollout_chain");
    group.sample_size(10);
    for regions in [10_000usize, 100_000] {
        let plan = chain(regions);
        group.throughput(Throughput::Elements(regions as u64));
        group.bench_with_input(BenchmarkId::new("regions", regions), &plan, |b, plan| {
            b.iter(|| {
                let schedule = rollgate::schedule_rollout(plan, start).expect("schedules");
                assert_eq!(schedule.waves.len(), plan.regions.len());
                schedule
            })
        });
    }
    group.finish();
}

fn bench_next_window(c: &mut Criterion) {
    let spec: rollgate::CalendarSpec =
        rollgate::wire::from_value(calendar("America/New_York")).expect("calendar");
    let after =
        rollgate::window::parse_timestamp("after", "2026-12-18T16:00:00-05:00").expect("after");
    c.bench_function("next_window/across_year_end_freeze", |b| {
        b.iter(|| {
            rollgate::next_window(
                &spec,
                after,
                rollgate::DurationSecs(3600),
                rollgate::window::DEFAULT_HORIZON,
            )
            .expect("fits")
        })
    });
}

criterion_group!(benches, bench_schedule, bench_chain, bench_next_window);
criterion_main!(benches);
