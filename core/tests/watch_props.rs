//! Properties of the canary watch's state: batching does not change the
//! sufficient statistics, the count test depends on the counts and not on
//! how they were batched, and a stored state continues exactly as the one
//! in memory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rollgate::verdict::watch::{parse_batch, parse_state, MetricState, WatchState};
use rollgate::verdict::{
    parse_config, start_canary_watch, update_canary_watch, CanaryConfig, CanaryData,
};
use serde_json::{json, Value};

fn config() -> CanaryConfig {
    parse_config(json!({
        "metrics": [
            {"name": "errors", "kind": "count", "direction": "increase"},
            {"name": "latency", "direction": "either", "min_samples": 2},
            {"name": "p90", "kind": "quantile", "quantile": 0.9, "direction": "increase"}
        ],
        "watch": {"min_duration": "0s", "min_samples": 0, "allocation": 0.3}
    }))
    .unwrap()
}

fn at(i: usize) -> chrono::DateTime<chrono::FixedOffset> {
    rollgate::window::parse_timestamp("at", "2026-11-26T09:00:00Z").unwrap()
        + chrono::TimeDelta::minutes(i as i64)
}

/// One batch of all three metrics.
#[derive(Debug, Clone)]
struct Batch {
    events: [u32; 2],
    latency: [Vec<f64>; 2],
}

impl Batch {
    fn data(&self) -> CanaryData {
        parse_batch(json!({
            "errors": {"baseline": {"events": self.events[0]}, "canary": {"events": self.events[1]}},
            "latency": {"baseline": self.latency[0], "canary": self.latency[1]},
            "p90": {"baseline": self.latency[0], "canary": self.latency[1]}
        }))
        .unwrap()
    }

    /// This batch cut in `pieces` (some possibly empty) at the given fractions.
    fn split(&self, cuts: &[f64]) -> Vec<Batch> {
        let mut out = Vec::new();
        let mut prev = [0usize; 2];
        let mut prev_events = [0u32; 2];
        for (i, &cut) in cuts.iter().chain(std::iter::once(&1.0)).enumerate() {
            let last = i == cuts.len();
            let upto = |len: usize| {
                if last {
                    len
                } else {
                    ((len as f64) * cut) as usize
                }
            };
            let ends = [
                upto(self.latency[0].len()).max(prev[0]),
                upto(self.latency[1].len()).max(prev[1]),
            ];
            let events = [0, 1].map(|s| {
                if last {
                    self.events[s]
                } else {
                    ((self.events[s] as f64 * cut) as u32).max(prev_events[s])
                }
            });
            out.push(Batch {
                events: [events[0] - prev_events[0], events[1] - prev_events[1]],
                latency: [0, 1].map(|s| self.latency[s][prev[s]..ends[s]].to_vec()),
            });
            prev = ends;
            prev_events = events;
        }
        out
    }
}

fn batch() -> impl Strategy<Value = Batch> {
    let values = || prop::collection::vec(0.5f64..500.0, 0..40);
    (0u32..30, 0u32..30, values(), values()).prop_map(|(b, c, lb, lc)| Batch {
        events: [b, c],
        latency: [lb, lc],
    })
}

fn run(config: &CanaryConfig, batches: &[Batch]) -> (WatchState, Value) {
    let mut state = start_canary_watch(config).unwrap();
    let mut last = Value::Null;
    for (i, b) in batches.iter().enumerate() {
        let update = update_canary_watch(config, &state, &b.data(), at(i)).unwrap();
        last = serde_json::to_value(&update.verdict).unwrap();
        state = update.state;
    }
    (state, last)
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn splitting_a_batch_gives_the_same_sufficient_statistics(b in batch(), cuts in prop::collection::vec(0.0f64..1.0, 0..4)) {
        let mut cuts = cuts;
        cuts.sort_by(f64::total_cmp);
        let config = config();
        let (whole, _) = run(&config, std::slice::from_ref(&b));
        let (pieces, _) = run(&config, &b.split(&cuts));
        for (name, m) in &whole.metrics {
            match (m, &pieces.metrics[name]) {
                (MetricState::DirichletMultinomial { baseline, canary, .. }, MetricState::DirichletMultinomial { baseline: b2, canary: c2, .. }) => {
                    prop_assert_eq!((baseline, canary), (b2, c2));
                }
                (MetricState::QuantileSequence { baseline, canary, .. }, MetricState::QuantileSequence { baseline: b2, canary: c2, .. }) => {
                    prop_assert_eq!((baseline, canary), (b2, c2));
                }
                (MetricState::NormalMixture { baseline, canary, .. }, MetricState::NormalMixture { baseline: b2, canary: c2, .. }) => {
                    for (x, y) in [(baseline, b2), (canary, c2)] {
                        prop_assert_eq!(x.n, y.n);
                        prop_assert!(close(x.mean, y.mean) && (close(x.m2, y.m2) || (x.m2 - y.m2).abs() < 1e-9), "{:?} {:?}", x, y);
                    }
                }
                _ => prop_assert!(false, "different tests for {}", name),
            }
        }
    }

    #[test]
    fn count_evidence_depends_on_the_counts_not_their_order(batches in prop::collection::vec(batch(), 1..6), rotate in 0usize..6) {
        let config = config();
        let mut reordered = batches.clone();
        reordered.reverse();
        let len = reordered.len();
        reordered.rotate_left(rotate % len);
        let (a, va) = run(&config, &batches);
        let (b, vb) = run(&config, &reordered);
        let (MetricState::DirichletMultinomial { baseline, canary, .. }, MetricState::DirichletMultinomial { baseline: b2, canary: c2, .. }) = (&a.metrics["errors"], &b.metrics["errors"]) else {
            panic!("counts")
        };
        prop_assert_eq!((baseline, canary), (b2, c2));
        for key in ["bayes_factor", "effect", "baseline", "canary"] {
            prop_assert_eq!(&va["metrics"]["errors"][key], &vb["metrics"]["errors"][key]);
        }
    }

    #[test]
    fn equal_batches_give_the_same_count_verdicts_in_any_order(b in batch(), other in batch(), order in prop::collection::vec(0usize..3, 1..8)) {
        // Equal count batches, interleaved with batches of the other metrics
        // only and empty batches in different orders: the count verdicts agree
        // look for look.
        let config = config();
        let only_latency = |b: &Batch| Batch { events: [0, 0], ..b.clone() };
        let empty = Batch { events: [0, 0], latency: [Vec::new(), Vec::new()] };
        let counts_only = Batch { events: b.events, latency: [Vec::new(), Vec::new()] };
        let first: Vec<Batch> = order.iter().map(|k| match k { 0 => counts_only.clone(), 1 => only_latency(&other), _ => empty.clone() }).collect();
        let mut second: Vec<Batch> = first.iter().filter(|x| x.events != [0, 0]).cloned().collect();
        second.extend(first.iter().filter(|x| x.events == [0, 0]).cloned());
        let verdicts = |batches: &[Batch]| -> Vec<Value> {
            let mut state = start_canary_watch(&config).unwrap();
            let mut out = Vec::new();
            for (i, x) in batches.iter().enumerate() {
                let u = update_canary_watch(&config, &state, &x.data(), at(i)).unwrap();
                if x.events != [0, 0] {
                    let m = serde_json::to_value(&u.verdict.metrics["errors"]).unwrap();
                    out.push(json!([m["verdict"], m["p_value"], m["ci"], m["bayes_factor"]]));
                }
                state = u.state;
            }
            out
        };
        prop_assert_eq!(verdicts(&first), verdicts(&second));
    }

    #[test]
    fn a_stored_state_continues_identically(batches in prop::collection::vec(batch(), 2..6), cut in 1usize..5) {
        let config = config();
        let cut = cut.min(batches.len() - 1);
        let (state, _) = run(&config, &batches[..cut]);
        let stored = parse_state(serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap()).unwrap();
        prop_assert_eq!(&stored, &state);
        let (mut a, mut b) = (state, stored);
        for (i, x) in batches[cut..].iter().enumerate() {
            let ua = update_canary_watch(&config, &a, &x.data(), at(cut + i)).unwrap();
            let ub = update_canary_watch(&config, &b, &x.data(), at(cut + i)).unwrap();
            prop_assert_eq!(serde_json::to_value(&ua).unwrap(), serde_json::to_value(&ub).unwrap());
            a = ua.state;
            b = ub.state;
        }
    }
}
