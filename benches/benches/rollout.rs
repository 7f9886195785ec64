//! Benchmarks of `schedule_rollout` at 10, 60 and 200 regions × 2,000
//! services with release calendars in three zones, of 10,000 and 100,000
//! regions in one `depends_on` chain (one wave each; issue 9 found it
//! quadratic), and of `next_window`. Results and growth ratios:
//! benches/README.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};

/// A deterministic pseudo-random sequence (64-bit LCG), so that every run
/// schedules the same plan.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn calendar(zone: &str) -> Value {
    json!({
        "time_zone": zone,
        "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "06:00", "end": "22:00"}],
        "deny": [
            {"days": ["fri"], "start": "15:00", "end": "24:00", "reason": "no Friday evenings"},
            {"every": "quarter", "last_days": 3, "reason": "quarter close"},
            {"from": "2026-12-20T00:00:00Z", "to": "2027-01-04T00:00:00Z", "reason": "year-end freeze"}
        ],
        "coverage": [{"start": "05:00", "end": "23:00"}],
        "holidays": ["2026-11-26", "2026-12-25", "2027-01-01"]
    })
}

/// A plan with `regions` regions (2 canaries, pairs, some primary/replica
/// dependencies, three calendars) and `services` services, each depending on
/// up to three of the 50 services before it.
pub fn plan(regions: usize, services: usize) -> rollgate::Plan {
    let mut rng = Lcg(42);
    let svc: Vec<Value> = (0..services)
        .map(|i| {
            let mut deps: Vec<String> = Vec::new();
            if i > 0 {
                for _ in 0..(rng.next() % 4) {
                    let back = 1 + (rng.next() as usize % i.min(50));
                    let d = format!("svc-{:05}", i - back);
                    if !deps.contains(&d) {
                        deps.push(d);
                    }
                }
            }
            json!({"id": format!("svc-{i:05}"), "depends_on": deps,
                   "deploy_duration": 30 + rng.next() % 270})
        })
        .collect();
    let share = 0.99 / regions as f64;
    let zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo"];
    let reg: Vec<Value> = (0..regions)
        .map(|i| {
            let mut r = json!({"id": format!("region-{i:03}"), "traffic_share": share,
                               "tier": if i < 2 { "canary" } else if i < 5 { "pilot" } else { "standard" },
                               "calendar": format!("cal-{}", i % 3)});
            // Pair 10 and 11, 12 and 13, ...; every 7th region replicates the one before.
            if i >= 10 && i + 1 < regions && i % 2 == 0 {
                r["pair"] = json!(format!("region-{:03}", i + 1));
            } else if i >= 11 && i % 2 == 1 {
                r["pair"] = json!(format!("region-{:03}", i - 1));
            }
            if i >= 6 && i % 7 == 0 {
                r["depends_on"] = json!([format!("region-{:03}", i - 1)]);
            }
            r
        })
        .collect();
    let calendars: serde_json::Map<String, Value> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| (format!("cal-{i}"), calendar(z)))
        .collect();
    rollgate::wire::from_value(json!({
        "name": "bench", "services": svc, "regions": reg, "calendars": calendars,
        "rollout": {"growth_factor": 2, "max_concurrent_regions": 40, "max_traffic_per_wave": 0.5,
                    "bake_time": "1h", "min_gap_between_waves": "15m", "min_bake_samples": 500}
    }))
    .expect("bench plan is valid")
}

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
