//! Benchmarks of `advance_release` per call on a 50-region, 200-service
//! release (the rollout bench's plan shape: calendars in three zones, pairs,
//! region dependencies, caps), beside `schedule_rollout` of the same plan:
//! one call starts a step batch and finishes the one before. Results and the
//! ratio: benches/README.md.

use criterion::{criterion_group, criterion_main, Criterion};
use rollgate::release::{advance_release, parse_events, start_release, Action, ReleaseState};
use rollgate_benches::rollout_plan::plan;
use serde_json::{json, Value};

/// The release a few calls in: the first wave deploying, its first batch
/// requested; and the events of the next call (those steps start and finish).
fn mid_release(plan: &rollgate::Plan) -> (ReleaseState, Vec<rollgate::release::Event>, String) {
    let t = |s: &str| rollgate::window::parse_timestamp("t", s).expect("time");
    let state = start_release(plan, t("2026-11-24T09:00:00Z"), None).expect("starts");
    let first = advance_release(plan, &state, &[], t("2026-11-24T09:00:00Z")).expect("advances");
    let mut events: Vec<Value> = Vec::new();
    for a in &first.actions {
        if let Action::Deploy { steps, .. } = a {
            for s in steps {
                let name = json!({"region": s.region, "service": s.service, "stage": s.stage, "group": s.group});
                let mut started = name.clone();
                started["type"] = json!("step_started");
                started["at"] = json!("2026-11-24T09:00:10Z");
                let mut finished = name;
                finished["type"] = json!("step_finished");
                finished["outcome"] = json!("succeeded");
                finished["at"] = json!("2026-11-24T09:05:00Z");
                events.push(started);
                events.push(finished);
            }
        }
    }
    let events = parse_events(Value::Array(events)).expect("events");
    (first.state, events, "2026-11-24T09:05:00Z".into())
}

fn bench_advance(c: &mut Criterion) {
    let plan = plan(50, 200);
    let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z").expect("start");
    let (state, events, now) = mid_release(&plan);
    let now = rollgate::window::parse_timestamp("now", &now).expect("now");
    let mut group = c.benchmark_group("release_50_regions_x_200_services");
    group.sample_size(10);
    group.bench_function("schedule_rollout", |b| {
        b.iter(|| rollgate::schedule_rollout(&plan, start).expect("schedules"))
    });
    group.bench_function("advance_release_per_call", |b| {
        b.iter(|| advance_release(&plan, &state, &events, now).expect("advances"))
    });
    group.finish();
}

criterion_group!(benches, bench_advance);
criterion_main!(benches);
