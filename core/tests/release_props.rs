//! Property tests of the release controller over random plans and random
//! event sequences: every `deploy` action respects the dependencies inside
//! its region, region dependencies, pairs and caps; a completed release
//! deployed every step once (plus one retry per tolerated failure); no
//! `deploy` follows a halt; a state round-trips through JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rollgate::release::{
    advance_release, start_release, Action, Event, Outcome, ReleaseState, Status, StepStatus,
};
use rollgate::Plan;
use serde_json::{json, Value};

/// A random plan: regions with tiers, pairs and acyclic dependencies,
/// services with acyclic dependencies (some stateful), caps, a one box,
/// a failure limit and a timeout.
fn plan_strategy() -> impl Strategy<Value = Value> {
    (
        1usize..7,
        1usize..5,
        proptest::collection::vec((0.05f64..1.0, 0u8..5, any::<u64>()), 7),
        proptest::collection::vec((1u64..20, any::<u64>()), 5),
        (proptest::option::of(1u32..4), proptest::option::of(0.3f64..1.0), any::<bool>()),
        (0u32..3, proptest::option::of(15u64..40), 0u64..20),
    )
        .prop_map(|(n, m, rs, ss, (cap, tcap, one_box), (max_failed, timeout, bake))| {
            let total: f64 = rs.iter().take(n).map(|r| r.0).sum();
            let mut regions: Vec<Value> = rs
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, (w, tier, bits))| {
                    let deps: Vec<String> = (0..i)
                        .filter(|j| bits >> j & 1 == 1 && bits >> (j + 20) & 3 == 0)
                        .map(|j| format!("r{j}"))
                        .collect();
                    let tier = if *tier == 0 { "canary" } else { "standard" };
                    json!({"id": format!("r{i}"), "traffic_share": (w / total * 0.99 * 1e6).floor() / 1e6,
                           "tier": tier, "depends_on": deps})
                })
                .collect();
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
                    let mut s = json!({"id": format!("s{i}"), "depends_on": deps, "deploy_duration": minutes * 60});
                    if bits >> 20 & 3 == 0 {
                        s["stateful"] = json!(true);
                        s["instance_groups"] = json!(1 + (bits >> 22) % 3);
                    }
                    s
                })
                .collect();
            let mut rollout = json!({"bake_time": bake * 60, "max_failed_steps": max_failed});
            if let Some(c) = cap {
                rollout["max_concurrent_regions"] = json!(c);
            }
            if let Some(t) = tcap {
                rollout["max_traffic_per_wave"] = json!(t);
            }
            if one_box {
                rollout["one_box"] = json!({"bake_time": "5m"});
            }
            if let Some(t) = timeout {
                rollout["timeout"] = json!(t * 60);
            }
            json!({"name": "p", "services": services, "regions": regions, "rollout": rollout})
        })
}

type Key = (String, String, String, Option<u32>);

fn key(region: &str, service: &str, stage: &str, group: Option<u32>) -> Key {
    (region.into(), service.into(), stage.into(), group)
}

fn at(t0: i64, minutes: i64) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::from_timestamp(t0 + minutes * 60, 0)
        .unwrap()
        .fixed_offset()
}

/// Checks one call's deploy actions against the state before and after it.
fn check_deploys(plan: &Plan, before: &ReleaseState, after: &ReleaseState, actions: &[Action]) {
    let region = |id: &str| plan.regions.iter().find(|r| r.id == id).unwrap();
    for action in actions {
        let Action::Deploy { wave, steps } = action else {
            continue;
        };
        let w = &after.waves[wave - 1];
        for s in steps {
            let rank = |stage: &str| {
                ["one_box", "full", "contract"]
                    .iter()
                    .position(|x| *x == stage)
                    .unwrap()
            };
            // Everything earlier in its region (stage, layer, instance group) has succeeded.
            for o in w.steps.iter().filter(|o| o.region == s.region) {
                let earlier = (rank(&o.stage), o.layer) < (rank(&s.stage), s.layer)
                    || (o.service == s.service && o.stage == s.stage && o.group < s.group);
                assert!(
                    !earlier || o.status == StepStatus::Succeeded,
                    "{} before {}@{}",
                    o.label(),
                    s.service,
                    s.region
                );
            }
            // Regions it depends on have finished their regular waves.
            if s.stage != "contract" {
                for dep in &region(&s.region).depends_on {
                    let done = after
                        .waves
                        .iter()
                        .filter(|x| x.kind == "regions")
                        .flat_map(|x| &x.steps)
                        .filter(|x| &x.region == dep)
                        .all(|x| x.status == StepStatus::Succeeded);
                    assert!(done, "{} deploys before {dep}", s.region);
                }
            }
        }
        // No region deploys while its pair does; caps hold over the regions in flight.
        let busy: BTreeSet<&str> = after
            .waves
            .iter()
            .flat_map(|x| &x.steps)
            .filter(|x| {
                matches!(x.status, StepStatus::Requested | StepStatus::Running)
                    && x.stage != "contract"
            })
            .map(|x| x.region.as_str())
            .collect();
        for r in &busy {
            if let Some(p) = &region(r).pair {
                assert!(
                    !busy.contains(p.as_str()),
                    "{r} and its pair {p} in flight together"
                );
            }
        }
        let policy = plan.rollout.clone().unwrap_or_default();
        if let Some(cap) = policy.max_concurrent_regions {
            assert!(
                busy.len() <= cap as usize,
                "{} regions in flight, cap {cap}",
                busy.len()
            );
        }
        if let (Some(cap), true) = (policy.max_traffic_per_wave, busy.len() > 1) {
            let share: f64 = busy.iter().map(|r| region(r).traffic_share).sum();
            assert!(share <= cap + 1e-9, "traffic {share} in flight, cap {cap}");
        }
    }
    let _ = before;
}

/// Drives a release with random outcomes; returns the final state, the
/// number of deploys and failures per step, and whether any call halted.
fn drive(plan_json: &Value, seed: &[u8], trouble: bool) -> Status {
    let plan: Plan = rollgate::wire::from_value(plan_json.clone()).unwrap();
    let t0 = 1_795_510_800; // 2026-11-24T09:00:00Z
    let mut state = start_release(&plan, at(t0, 0), None).unwrap();
    let mut deploys: BTreeMap<Key, u32> = BTreeMap::new();
    let mut failures: BTreeMap<Key, u32> = BTreeMap::new();
    let mut halted = false;
    let mut minute = 0i64;
    let mut events: Vec<Event> = Vec::new();
    for call in 0..400 {
        // Without trouble every roll is 1: steps start and succeed, checks
        // pass, nobody pauses or aborts.
        let b = if trouble {
            seed[call % seed.len()] as i64 ^ (call as i64 * 37)
        } else {
            1
        };
        // Random events can contradict an earlier event of the same call
        // (a failure halts the release, then a resume or a step start
        // arrives). rollgate refuses such an event as `invalid_event` at its
        // position; a caller drops it and calls again, as this does.
        let update = loop {
            match advance_release(&plan, &state, &events, at(t0, minute)) {
                Ok(update) => break update,
                Err(e) if trouble && e.code() == "invalid_event" => {
                    let i: usize = e
                        .path()
                        .strip_prefix("events/")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("invalid_event without its position: {e}"));
                    assert!(i < events.len(), "{e}");
                    events.remove(i);
                }
                Err(e) => panic!("call {call}: {e}"),
            }
        };
        // A state survives JSON.
        let text = serde_json::to_string(&update.state).unwrap();
        let back: ReleaseState =
            rollgate::release::parse_state(serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back, update.state);
        check_deploys(&plan, &state, &update.state, &update.actions);
        for a in &update.actions {
            if let Action::Deploy { steps, .. } = a {
                assert!(!halted, "deploy after a halt");
                for s in steps {
                    *deploys
                        .entry(key(&s.region, &s.service, &s.stage, s.group))
                        .or_default() += 1;
                }
            }
        }
        halted |= matches!(
            update.status,
            Status::Halted | Status::RollingBack | Status::Aborted
        );
        state = update.state;
        if state.status.is_final() {
            break;
        }
        // Next events: start requested steps, finish running ones (some fail
        // or run late), pass asked checks; now and then a pause, resume or abort.
        events = Vec::new();
        minute += 1 + (b & 7);
        let now = at(t0, minute);
        for (k, st) in state.waves.iter().flat_map(|w| &w.steps).enumerate() {
            let roll = if trouble { (b + k as i64 * 13) & 15 } else { 1 };
            match st.status {
                StepStatus::Requested
                    if roll < 12
                        && !matches!(state.status, Status::Halted | Status::RollingBack) =>
                {
                    events.push(Event::StepStarted {
                        region: st.region.clone(),
                        service: st.service.clone(),
                        stage: Some(st.stage.clone()),
                        group: st.group,
                        at: Some(now.into()),
                    })
                }
                StepStatus::Running if roll < 10 => {
                    let outcome = if roll == 0 {
                        Outcome::Failed
                    } else {
                        Outcome::Succeeded
                    };
                    if outcome == Outcome::Failed {
                        *failures
                            .entry(key(&st.region, &st.service, &st.stage, st.group))
                            .or_default() += 1;
                    }
                    events.push(Event::StepFinished {
                        region: st.region.clone(),
                        service: st.service.clone(),
                        stage: Some(st.stage.clone()),
                        group: st.group,
                        outcome,
                        at: Some(now.into()),
                        details: None,
                    });
                }
                _ => {}
            }
        }
        if let Some(w) = state.current_wave_number() {
            let wave = &state.waves[w - 1];
            if wave.checks_requested {
                for c in &wave.checks {
                    events.push(Event::Check {
                        check: c.clone(),
                        region: None,
                        passed: b & 31 != 5,
                        at: Some(now.into()),
                        details: None,
                    });
                }
            }
        }
        match (state.status, b % 41) {
            (Status::Paused, _) => events.push(Event::Resume {
                by: "ops".into(),
                why: String::new(),
                at: Some(now.into()),
            }),
            (Status::Halted, _) => events.push(Event::Abort {
                by: "ops".into(),
                why: String::new(),
                at: Some(now.into()),
            }),
            (Status::RollingBack, _) => events.push(Event::RollbackFinished {
                at: Some(now.into()),
            }),
            (_, 3) => events.push(Event::Pause {
                by: "ops".into(),
                why: String::new(),
                at: Some(now.into()),
            }),
            (_, 7) => events.push(Event::Abort {
                by: "ops".into(),
                why: String::new(),
                at: Some(now.into()),
            }),
            _ => {}
        }
    }
    if state.status == Status::Completed {
        for st in state.waves.iter().flat_map(|w| &w.steps) {
            assert_eq!(st.status, StepStatus::Succeeded, "{}", st.label());
            let k = key(&st.region, &st.service, &st.stage, st.group);
            let retries = state
                .history
                .iter()
                .filter(|h| {
                    matches!(h.what.as_str(), "step_failed" | "step_timeout")
                        && h.subjects.contains(&st.label())
                })
                .count() as u32;
            assert_eq!(
                deploys.get(&k).copied().unwrap_or(0),
                1 + retries,
                "{} deployed",
                st.label()
            );
            assert!(failures.get(&k).copied().unwrap_or(0) <= retries);
        }
    }
    state.status
}

/// The driver does reach the end: with steps that never fail, checks that
/// always pass and no pause or abort, a multi-wave release completes (so
/// the completion property above is not vacuous).
#[test]
fn a_release_without_trouble_completes() {
    let plan = json!({"name": "p",
        "services": [{"id": "s0", "deploy_duration": "3m"}, {"id": "s1", "depends_on": ["s0"], "deploy_duration": "2m",
                      "stateful": true, "instance_groups": 2}],
        "regions": [{"id": "r0", "tier": "canary", "traffic_share": 0.1}, {"id": "r1", "traffic_share": 0.4, "pair": "r2"},
                    {"id": "r2", "traffic_share": 0.5, "pair": "r1"}],
        "rollout": {"bake_time": "5m", "one_box": {"bake_time": "2m"}}});
    assert_eq!(drive(&plan, &[0], false), Status::Completed);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn deploys_respect_order_pairs_and_caps(plan in plan_strategy(), seed in proptest::collection::vec(any::<u8>(), 1..32)) {
        drive(&plan, &seed, true);
    }
}
