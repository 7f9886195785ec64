//! Property tests of `schedule_rollout`: pair separation, caps, windows,
//! dependency order and independence from input order, on random plans;
//! release stages after the last gate, held by the plan's calendar.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;

use proptest::prelude::*;
use rollgate::{Plan, Schedule};
use serde_json::{json, Value};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A random plan: regions with shares, tiers, symmetric pairs and acyclic
/// dependencies; services with acyclic dependencies; an optional calendar
/// whose allow windows are longer than any service.
fn plan_strategy() -> impl Strategy<Value = Value> {
    (
        1usize..10,
        1usize..7,
        proptest::collection::vec((0.0f64..1.0, 0u8..6, any::<u64>()), 10),
        proptest::collection::vec((0u64..90, any::<u64>()), 7),
        (1.0f64..4.0, proptest::option::of(1u32..5), proptest::option::of(0.15f64..1.0)),
        proptest::option::of((0u8..127, 0u32..20, 6u32..14, 0u8..7)),
        (0u64..120, 0u64..60, any::<bool>()),
    )
        .prop_map(|(n, m, rs, ss, (growth, cap, tcap), cal, (bake, gap, one_box))| {
            let total: f64 = rs.iter().take(n).map(|r| r.0).sum::<f64>().max(1e-9);
            let mut regions: Vec<Value> = Vec::new();
            for (i, (w, tier, bits)) in rs.iter().take(n).enumerate() {
                let tier = match tier {
                    0 => "canary",
                    1 => "pilot",
                    _ => "standard",
                };
                let deps: Vec<String> = (0..i)
                    .filter(|j| bits >> j & 1 == 1 && bits >> (j + 20) & 3 == 0)
                    .map(|j| format!("r{j}"))
                    .collect();
                let mut r = json!({"id": format!("r{i}"), "traffic_share": (w / total * 0.99 * 1e6).floor() / 1e6,
                                   "tier": tier, "depends_on": deps});
                if cal.is_some() && i % 2 == 0 {
                    r["calendar"] = json!("ops");
                }
                regions.push(r);
            }
            // Pair r(2k) with r(2k+1) when the bit says so.
            for k in 0..n / 2 {
                if rs[2 * k].2 >> 40 & 1 == 1 {
                    regions[2 * k]["pair"] = json!(format!("r{}", 2 * k + 1));
                    regions[2 * k + 1]["pair"] = json!(format!("r{}", 2 * k));
                }
            }
            let services: Vec<Value> = ss
                .iter()
                .take(m)
                .enumerate()
                .map(|(i, (minutes, bits))| {
                    let deps: Vec<String> = (0..i).filter(|j| bits >> j & 1 == 1).map(|j| format!("s{j}")).collect();
                    let mut svc = json!({"id": format!("s{i}"), "depends_on": deps, "deploy_duration": minutes * 60});
                    if bits >> 20 & 3 == 0 {
                        svc["stateful"] = json!(true);
                        svc["instance_groups"] = json!(1 + (bits >> 22) % 3);
                    }
                    svc
                })
                .collect();
            let mut rollout = json!({"growth_factor": growth, "bake_time": bake * 60,
                                     "min_gap_between_waves": gap * 60, "drain_time": "3m"});
            if let Some(c) = cap {
                rollout["max_concurrent_regions"] = json!(c);
            }
            if let Some(t) = tcap {
                rollout["max_traffic_per_wave"] = json!(t);
            }
            if one_box {
                rollout["one_box"] = json!({"bake_time": "5m"});
            }
            let mut plan = json!({"name": "p", "services": services, "regions": regions, "rollout": rollout});
            if let Some((days, start, len, deny_day)) = cal {
                let days: Vec<&str> = DAYS.iter().enumerate().filter(|(i, _)| days >> i & 1 == 1).map(|(_, d)| *d).collect();
                let days = if days.is_empty() { vec!["tue"] } else { days };
                let end = (start + len) % 24;
                plan["calendars"] = json!({"ops": {
                    "time_zone": "America/New_York",
                    "allow": [{"days": days, "start": format!("{start:02}:00"), "end": format!("{end:02}:30")}],
                    "deny": [{"days": [DAYS[deny_day as usize]], "start": "12:00", "end": "15:00"}],
                    "holidays": ["2026-12-25"]}});
            }
            plan
        })
}

fn schedule(plan: &Value) -> rollgate::Result<Schedule> {
    let plan: Plan = rollgate::wire::from_value(plan.clone()).unwrap();
    let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00-05:00").unwrap();
    rollgate::schedule_rollout(&plan, start)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, rng_seed: proptest::test_runner::RngSeed::Fixed(20261126), ..ProptestConfig::default() })]

    #[test]
    fn schedules_respect_every_rule(plan in plan_strategy()) {
        let result = schedule(&plan);
        let s = match result {
            Ok(s) => s,
            // A deny window may block a long batch: that is an error, not a panic.
            Err(e) => {
                prop_assert!(matches!(e.code(), "window_too_short" | "no_window_within_horizon"), "{e}");
                return Ok(());
            }
        };
        let regions = plan["regions"].as_array().unwrap();
        let share: HashMap<&str, f64> = regions.iter().map(|r| (r["id"].as_str().unwrap(), r["traffic_share"].as_f64().unwrap())).collect();
        let rollout = &plan["rollout"];
        let mut wave_of: HashMap<String, usize> = HashMap::new();
        let regular: Vec<_> = s.waves.iter().filter(|w| w.kind == "regions").collect();
        for w in &regular {
            for r in &w.regions {
                prop_assert!(wave_of.insert(r.clone(), w.number).is_none(), "{r} in two waves");
            }
            // Concurrency cap.
            if let Some(cap) = rollout["max_concurrent_regions"].as_u64() {
                prop_assert!(w.regions.len() as u64 <= cap);
            }
            // Traffic cap (a region alone above the cap is allowed, and said so).
            if let Some(cap) = rollout["max_traffic_per_wave"].as_f64() {
                let sum: f64 = w.regions.iter().map(|r| share[r.as_str()]).sum();
                prop_assert!(w.regions.len() == 1 || sum <= cap + 1e-9, "wave {} carries {sum}", w.number);
            }
        }
        prop_assert_eq!(wave_of.len(), regions.len());
        for r in regions {
            let id = r["id"].as_str().unwrap();
            // Pairs never share a wave.
            if let Some(p) = r["pair"].as_str() {
                prop_assert_ne!(wave_of[id], wave_of[p]);
            }
            // Region dependencies finish in earlier waves.
            for d in r["depends_on"].as_array().unwrap() {
                prop_assert!(wave_of[d.as_str().unwrap()] < wave_of[id]);
            }
        }
        // Waves follow one another after each gate.
        for pair in s.waves.windows(2) {
            prop_assert!(pair[1].start_seconds >= pair[0].gate.earliest_pass_seconds);
        }
        // Every step starts inside an allowed window of its region's calendar.
        if let Some(spec) = plan.get("calendars").and_then(|c| c.get("ops")) {
            let cal = rollgate::Calendar::new(&rollgate::wire::from_value(spec.clone()).unwrap()).unwrap();
            for w in &s.waves {
                for step in &w.steps {
                    let region = regions.iter().find(|r| r["id"] == step.region.as_str()).unwrap();
                    if region.get("calendar").is_some() {
                        let at = rollgate::window::parse_timestamp("t", &step.start).unwrap();
                        let d = rollgate::DurationSecs(step.finish_seconds - step.start_seconds);
                        let check = cal.check_window(at, d);
                        prop_assert!(check.allowed, "{step:?}: {check:?}");
                    }
                }
            }
        }
        // Service dependencies: within a region and stage, a step starts after its dependencies finish.
        let services = plan["services"].as_array().unwrap();
        for w in &s.waves {
            let at: HashMap<(&str, &str, &str), &rollgate::Step> = w.steps.iter().map(|st| ((st.region.as_str(), st.stage.as_str(), st.service.as_str()), st)).collect();
            for st in &w.steps {
                let svc = services.iter().find(|x| x["id"] == st.service.as_str()).unwrap();
                for d in svc["depends_on"].as_array().unwrap() {
                    let dep = at[&(st.region.as_str(), st.stage.as_str(), d.as_str().unwrap())];
                    prop_assert!(dep.finish_seconds <= st.start_seconds);
                }
            }
        }
    }

    #[test]
    fn schedules_do_not_depend_on_input_order(plan in plan_strategy()) {
        let mut reversed = plan.clone();
        reversed["regions"].as_array_mut().unwrap().reverse();
        reversed["services"].as_array_mut().unwrap().reverse();
        match (schedule(&plan), schedule(&reversed)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.code(), b.code()),
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }

    #[test]
    fn release_stages_follow_the_gates_and_the_plan_calendar(
        plan in plan_strategy(),
        stages in proptest::collection::vec((0u8..3, 1u32..30, proptest::option::of(0u64..180)), 0..6),
    ) {
        // Stages of up to three flags, each flag's percentages increasing;
        // the plan's calendar (when it has one) holds them.
        let mut plan = plan;
        let mut reached = [0u32; 3];
        let mut listed = Vec::new();
        for (flag, step, bake) in &stages {
            let f = *flag as usize;
            if reached[f] >= 100 {
                continue;
            }
            reached[f] = (reached[f] + step).min(100);
            let mut stage = json!({"flag": format!("flag-{f}"), "percentage": reached[f]});
            if let Some(b) = bake {
                stage["bake_time"] = json!(b * 60);
            }
            listed.push(stage);
        }
        plan["rollout"]["release_stages"] = json!(listed);
        if plan.get("calendars").is_some() {
            plan["calendar"] = json!("ops");
        }
        let s = match schedule(&plan) {
            Ok(s) => s,
            Err(e) => {
                prop_assert!(matches!(e.code(), "window_too_short" | "no_window_within_horizon"), "{e}");
                return Ok(());
            }
        };
        prop_assert_eq!(s.release_stages.len(), listed.len());
        let gap = plan["rollout"]["min_gap_between_waves"].as_u64().unwrap_or(0);
        let policy_bake = plan["rollout"]["bake_time"].as_u64().unwrap_or(0);
        let mut ready = s.waves.last().map_or(0, |w| w.gate.earliest_pass_seconds + gap);
        let mut before: HashMap<String, u32> = HashMap::new();
        let calendar: Option<rollgate::CalendarSpec> = plan.get("calendars").map(|c| rollgate::wire::from_value(c["ops"].clone()).unwrap());
        let t0 = rollgate::window::parse_timestamp("start", &s.start).unwrap();
        for (k, (stage, given)) in s.release_stages.iter().zip(&listed).enumerate() {
            prop_assert_eq!(stage.number, k + 1);
            prop_assert_eq!(stage.flag.as_str(), given["flag"].as_str().unwrap());
            prop_assert_eq!(u64::from(stage.percentage), given["percentage"].as_u64().unwrap());
            let previous = before.insert(stage.flag.clone(), stage.percentage).unwrap_or(0);
            prop_assert_eq!(stage.previous_percentage, previous);
            prop_assert!(stage.percentage > previous);
            // It starts when the previous gate (and gap) allow, plus the calendar's wait.
            prop_assert_eq!(stage.start_seconds, ready + stage.wait_seconds);
            prop_assert_eq!(stage.wait_seconds == 0, stage.wait_reasons.is_empty());
            let bake = given["bake_time"].as_u64().unwrap_or(policy_bake);
            prop_assert_eq!(stage.gate.bake_seconds, bake);
            prop_assert_eq!(stage.gate.earliest_pass_seconds, stage.start_seconds + bake);
            match &calendar {
                Some(c) => {
                    let at = t0 + chrono::TimeDelta::seconds(stage.start_seconds as i64);
                    let check = rollgate::check_window(c, at, rollgate::DurationSecs(0)).unwrap();
                    prop_assert!(check.allowed, "stage {} starts at a closed time {at}", stage.number);
                    if stage.wait_seconds > 0 {
                        let was = t0 + chrono::TimeDelta::seconds(ready as i64);
                        prop_assert!(!rollgate::check_window(c, was, rollgate::DurationSecs(0)).unwrap().allowed);
                    }
                }
                None => prop_assert_eq!(stage.wait_seconds, 0),
            }
            ready = stage.gate.earliest_pass_seconds + gap;
        }
        let end = s.release_stages.last().map(|x| x.gate.earliest_pass_seconds);
        let end = end.or(s.waves.last().map(|w| w.gate.earliest_pass_seconds)).unwrap_or(0);
        prop_assert_eq!(s.total_duration_seconds, end);
        let gantt = rollgate::to_mermaid_gantt(&s).unwrap();
        for stage in &s.release_stages {
            let bar = format!(" :active, s{}, ", stage.number);
            prop_assert!(gantt.contains(&bar), "{}", bar);
        }
    }
}
