//! Property tests of the dependency graph: random DAGs, random graphs with
//! cycles, permuted input lists and arbitrary JSON (damaged plans, read
//! from JSON all the way to the analyses, are in `graph_mutations/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use rollgate::error::{ErrorKind, PlanError};
use rollgate::{DurationSecs, Plan, Service};

fn service(id: String, deps: Vec<String>, secs: u64) -> Service {
    Service {
        id,
        depends_on: deps,
        deploy_duration: DurationSecs(secs),
        stateful: false,
        customer_facing: secs.is_multiple_of(3),
        ..Service::default()
    }
}

/// A random DAG: service i may depend only on services with a smaller index,
/// then the list is shuffled by `order` so the plan order is arbitrary.
fn dag() -> impl Strategy<Value = Plan> {
    (1usize..40)
        .prop_flat_map(|n| {
            (
                Just(n),
                proptest::collection::vec(
                    proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
                    n,
                ),
                proptest::collection::vec(0u64..50, n),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(n, edges, durations, order)| {
            let mut services: Vec<Service> = (0..n)
                .map(|i| {
                    let mut deps: Vec<String> = if i == 0 {
                        Vec::new()
                    } else {
                        edges[i]
                            .iter()
                            .map(|ix| format!("s{}", ix.index(i)))
                            .collect()
                    };
                    deps.sort();
                    deps.dedup();
                    service(format!("s{i}"), deps, durations[i])
                })
                .collect();
            let mut shuffled = Vec::with_capacity(n);
            for &i in &order {
                shuffled.push(std::mem::replace(
                    &mut services[i],
                    service(String::new(), vec![], 0),
                ));
            }
            Plan {
                name: "random".into(),
                services: shuffled,
                ..Plan::default()
            }
        })
}

fn reversed_lists(plan: &Plan) -> Plan {
    let mut p = plan.clone();
    p.services.reverse();
    for s in &mut p.services {
        s.depends_on.reverse();
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn waves_respect_every_dependency(plan in dag()) {
        let order = rollgate::order_services(&plan).unwrap();
        let wave_of: HashMap<&str, usize> = order.waves.iter().enumerate()
            .flat_map(|(w, ids)| ids.iter().map(move |id| (id.as_str(), w))).collect();
        prop_assert_eq!(wave_of.len(), plan.services.len());
        let rb_of: HashMap<&str, usize> = order.rollback_waves.iter().enumerate()
            .flat_map(|(w, ids)| ids.iter().map(move |id| (id.as_str(), w))).collect();
        for s in &plan.services {
            for d in &s.depends_on {
                prop_assert!(wave_of[s.id.as_str()] > wave_of[d.as_str()]);
                prop_assert!(rb_of[s.id.as_str()] < rb_of[d.as_str()]);
            }
            // First wave after all dependencies: not later than necessary.
            let need = s.depends_on.iter().map(|d| wave_of[d.as_str()] + 1).max().unwrap_or(0);
            prop_assert_eq!(wave_of[s.id.as_str()], need);
        }
        for w in &order.waves {
            let mut sorted = w.clone();
            sorted.sort();
            prop_assert_eq!(&sorted, w);
        }
    }

    #[test]
    fn input_order_changes_nothing(plan in dag()) {
        let a = rollgate::order_services(&plan).unwrap();
        let b = rollgate::order_services(&reversed_lists(&plan)).unwrap();
        prop_assert_eq!(&a, &b);
        let ra = rollgate::blast_radius(&plan, None).unwrap();
        let rb = rollgate::blast_radius(&reversed_lists(&plan), None).unwrap();
        prop_assert_eq!(ra, rb);
        for k in [1usize, 2, 5] {
            let sa = rollgate::schedule_services(&plan, k).unwrap();
            let sb = rollgate::schedule_services(&reversed_lists(&plan), k).unwrap();
            prop_assert_eq!(sa, sb);
        }
    }

    #[test]
    fn critical_path_is_a_real_chain_with_the_makespan(plan in dag()) {
        let cp = rollgate::order_services(&plan).unwrap().critical_path;
        let by_id: HashMap<&str, &Service> = plan.services.iter().map(|s| (s.id.as_str(), s)).collect();
        let total: u64 = cp.path.iter().map(|id| by_id[id.as_str()].deploy_duration.as_secs()).sum();
        prop_assert_eq!(total, cp.makespan_seconds);
        for pair in cp.path.windows(2) {
            prop_assert!(by_id[pair[1].as_str()].depends_on.contains(&pair[0]));
        }
        for t in &cp.services {
            prop_assert!(t.earliest_start <= t.latest_start);
            prop_assert!(t.latest_finish <= cp.makespan_seconds);
        }
    }

    #[test]
    fn timings_match_their_definitions(plan in dag()) {
        let cp = rollgate::order_services(&plan).unwrap().critical_path;
        let by_id: HashMap<&str, &Service> = plan.services.iter().map(|s| (s.id.as_str(), s)).collect();
        let timing: HashMap<&str, &rollgate::ServiceTiming> = cp.services.iter().map(|t| (t.id.as_str(), t)).collect();
        prop_assert_eq!(timing.len(), plan.services.len());
        let dur = |id: &str| by_id[id].deploy_duration.as_secs();
        let makespan = cp.services.iter().map(|t| t.earliest_finish).max().unwrap_or(0);
        prop_assert_eq!(makespan, cp.makespan_seconds);
        for s in &plan.services {
            let t = timing[s.id.as_str()];
            let es = s.depends_on.iter().map(|d| timing[d.as_str()].earliest_finish).max().unwrap_or(0);
            prop_assert_eq!(t.earliest_start, es);
            prop_assert_eq!(t.earliest_finish, es + dur(&s.id));
            let lf = plan.services.iter()
                .filter(|w| w.depends_on.contains(&s.id))
                .map(|w| timing[w.id.as_str()].latest_start)
                .min()
                .unwrap_or(makespan);
            prop_assert_eq!(t.latest_finish, lf);
            prop_assert_eq!(t.latest_start, lf - dur(&s.id));
            prop_assert_eq!(t.slack, t.latest_start - t.earliest_start);
        }
        for pair in cp.services.windows(2) {
            prop_assert!((pair[0].earliest_start, &pair[0].id) < (pair[1].earliest_start, &pair[1].id));
        }
    }

    #[test]
    fn indexed_order_is_the_order_by_position(plan in dag()) {
        let graph = rollgate::ServiceGraph::new(&plan).unwrap();
        let order = graph.order();
        let indexed = graph.order_indices();
        let id = |i: &usize| plan.services[*i].id.clone();
        let names = |waves: &[Vec<usize>]| -> Vec<Vec<String>> {
            waves.iter().map(|w| w.iter().map(id).collect()).collect()
        };
        prop_assert_eq!(names(&indexed.waves), order.waves);
        prop_assert_eq!(names(&indexed.rollback_waves), order.rollback_waves);
        let cp = indexed.critical_path;
        prop_assert_eq!(cp.makespan_seconds, order.critical_path.makespan_seconds);
        prop_assert_eq!(cp.path.iter().map(id).collect::<Vec<_>>(), order.critical_path.path);
        for (t, named) in cp.services.iter().zip(&order.critical_path.services) {
            prop_assert_eq!(id(&t.index), named.id.clone());
            prop_assert_eq!(
                (t.earliest_start, t.earliest_finish, t.latest_start, t.latest_finish, t.slack),
                (named.earliest_start, named.earliest_finish, named.latest_start, named.latest_finish, named.slack)
            );
        }
    }

    #[test]
    fn bounded_schedules_respect_dependencies_and_the_bound(plan in dag(), k in 1usize..5) {
        let schedule = rollgate::schedule_services(&plan, k).unwrap();
        let slot: HashMap<&str, (u64, u64)> = schedule.services.iter().map(|s| (s.id.as_str(), (s.start, s.finish))).collect();
        for s in &plan.services {
            let (start, finish) = slot[s.id.as_str()];
            prop_assert_eq!(finish - start, s.deploy_duration.as_secs());
            for d in &s.depends_on {
                prop_assert!(slot[d.as_str()].1 <= start);
            }
        }
        // At no instant do more than k positive-length deployments overlap.
        for s in &schedule.services {
            if s.finish > s.start {
                let overlapping = schedule.services.iter()
                    .filter(|o| o.finish > o.start && o.start <= s.start && s.start < o.finish)
                    .count();
                prop_assert!(overlapping <= k);
            }
        }
        let cp = rollgate::order_services(&plan).unwrap().critical_path.makespan_seconds;
        prop_assert!(schedule.makespan_seconds >= cp);
    }

    #[test]
    fn blast_radius_matches_a_naive_closure(plan in dag()) {
        let radius = rollgate::blast_radius(&plan, None).unwrap();
        for entry in &radius.services {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut frontier = vec![entry.id.as_str()];
            while let Some(v) = frontier.pop() {
                for s in &plan.services {
                    if s.depends_on.iter().any(|d| d == v) && seen.insert(s.id.as_str()) {
                        frontier.push(s.id.as_str());
                    }
                }
            }
            let mut expected: Vec<&str> = seen.into_iter().collect();
            expected.sort();
            prop_assert_eq!(&entry.dependents, &expected);
        }
    }

    #[test]
    fn cycles_are_reported_as_real_cycles(plan in dag(), back in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4)) {
        // Add back edges; any that closes a loop makes a cycle.
        let mut plan = plan;
        let n = plan.services.len();
        for (a, b) in back {
            let (i, j) = (a.index(n), b.index(n));
            if i == j { continue; }
            let target = plan.services[j].id.clone();
            if !plan.services[i].depends_on.contains(&target) {
                plan.services[i].depends_on.push(target);
            }
        }
        match rollgate::order_services(&plan) {
            Ok(order) => {
                // No cycle: the waves must still respect every edge.
                let wave_of: HashMap<&str, usize> = order.waves.iter().enumerate()
                    .flat_map(|(w, ids)| ids.iter().map(move |id| (id.as_str(), w))).collect();
                for s in &plan.services {
                    for d in &s.depends_on {
                        prop_assert!(wave_of[s.id.as_str()] > wave_of[d.as_str()]);
                    }
                }
            }
            Err(err) if err.code() == "dependency_cycle" => {
                let path = err.path().to_string();
                let ErrorKind::Plan(PlanError::DependencyCycle { cycle, members }) = err.kind().clone() else {
                    return Err(TestCaseError::fail("dependency_cycle of another kind"));
                };
                prop_assert!(cycle.len() >= 3);
                prop_assert_eq!(cycle.first(), cycle.last());
                let by_id: HashMap<&str, &Service> = plan.services.iter().map(|s| (s.id.as_str(), s)).collect();
                for pair in cycle.windows(2) {
                    prop_assert!(by_id[pair[0].as_str()].depends_on.contains(&pair[1]), "{} does not depend on {}", pair[0], pair[1]);
                }
                for id in &cycle {
                    prop_assert!(members.contains(id));
                }
                prop_assert_eq!(cycle[0].as_str(), members[0].as_str());
                prop_assert!(path.starts_with("/services/"));
                // Same report whatever the order of the input lists.
                match rollgate::order_services(&reversed_lists(&plan)) {
                    Err(err) => match err.kind() {
                        ErrorKind::Plan(PlanError::DependencyCycle { cycle: c2, members: m2 }) => {
                            prop_assert_eq!(&cycle, c2);
                            prop_assert_eq!(&members, m2);
                        }
                        other => prop_assert!(false, "reversed plan gave {:?}", other),
                    },
                    other => prop_assert!(false, "reversed plan gave {:?}", other),
                }
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }

    /// Random JSON rarely reads as a plan: this checks the reader alone.
    /// `graph_mutations.rs` damages valid plans so that the engine is
    /// reached.
    #[test]
    fn arbitrary_json_never_panics(json in arbitrary_json()) {
        let text = json.to_string();
        if let Ok(plan) = Plan::from_json(&text) {
            let _ = rollgate::order_services(&plan);
            let _ = rollgate::blast_radius(&plan, None);
            let _ = rollgate::schedule_services(&plan, 2);
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        "[a-z_]{0,12}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("name"),
            Just("services"),
            Just("id"),
            Just("depends_on"),
            Just("deploy_duration")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("services".to_string()),
                    Just("id".to_string()),
                    Just("depends_on".to_string()),
                    Just("deploy_duration".to_string()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Starts too large to pack with the id rank into one 64-bit sort key take
/// the general path, with the same order: by earliest start, then id.
#[test]
fn huge_durations_keep_the_timing_order() {
    let big = 1u64 << 62;
    let plan = Plan {
        name: "huge".into(),
        services: vec![
            service("b".into(), vec!["a".into()], 1),
            service("c".into(), vec![], 0),
            service("a".into(), vec![], big),
            service("d".into(), vec!["c".into()], big),
        ],
        ..Plan::default()
    };
    let cp = rollgate::order_services(&plan).unwrap().critical_path;
    let order: Vec<(&str, u64)> = cp
        .services
        .iter()
        .map(|t| (t.id.as_str(), t.earliest_start))
        .collect();
    assert_eq!(order, [("a", 0), ("c", 0), ("d", 0), ("b", big)]);
    assert_eq!(cp.makespan_seconds, big + 1);
    assert_eq!(cp.path, ["a", "b"]);
}

/// The first problem in plan order (service, then dependency) is the one
/// reported, whatever its kind, with the path of the dependency.
#[test]
fn first_dependency_error_in_plan_order_wins() {
    let check = |deps: &[&str], code: &str, path: &str| {
        let plan = Plan {
            name: "p".into(),
            services: vec![
                service("c".into(), vec![], 1),
                service("a".into(), deps.iter().map(|d| d.to_string()).collect(), 1),
                service("b".into(), vec!["nope".into()], 1),
            ],
            ..Plan::default()
        };
        let err = rollgate::order_services(&plan).unwrap_err();
        assert_eq!((err.code(), err.path()), (code, path), "{deps:?}");
        err
    };
    check(&["b", "a"], "self_dependency", "/services/1/depends_on/1");
    check(
        &["b", "x", "b"],
        "unknown_dependency",
        "/services/1/depends_on/1",
    );
    check(
        &["x", "a"],
        "unknown_dependency",
        "/services/1/depends_on/0",
    );
    check(&["a", "x"], "self_dependency", "/services/1/depends_on/0");
    check(
        &["c", "b", "c", "x"],
        "duplicate_id",
        "/services/1/depends_on/2",
    );
    check(
        &["b", "a", "b"],
        "self_dependency",
        "/services/1/depends_on/1",
    );
    check(&["c"], "unknown_dependency", "/services/2/depends_on/0");
    match check(&["c", "b", "b"], "duplicate_id", "/services/1/depends_on/2").kind() {
        ErrorKind::Plan(PlanError::DuplicateId { id, first_path }) => {
            assert_eq!(
                (id.as_str(), first_path.as_str()),
                ("b", "/services/1/depends_on/1")
            );
        }
        other => panic!("{other}"),
    }
}
