//! The multi-region plan of the rollout and release benchmarks: calendars
//! in three zones, canary and pilot tiers, pairs, region dependencies, caps,
//! and services with up to three dependencies each.

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

/// A release calendar in `zone`: weekdays 06:00–22:00 with on-call cover, no
/// Friday evenings, quarter-close and year-end freezes, US holidays.
pub fn calendar(zone: &str) -> Value {
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
