//! The two-thread paths (threshold lowered to run on tiny plans) against
//! the single-thread ones: same graphs, same results, same first error.
use proptest::prelude::*;

use super::{ServiceGraph, ServiceRef};
use crate::parallel::join;
use crate::plan::Service;
use crate::wire::DurationSecs;

/// Everything observable of a graph, single-threaded or not.
fn observe(graph: &ServiceGraph) -> impl PartialEq + std::fmt::Debug {
    (
        graph.order(),
        graph.order_indices(),
        graph.critical_path(),
        graph.critical_path_indices(),
        graph.blast_radius(None),
        graph.schedule(2),
        graph.topological_order().collect::<Vec<_>>(),
        (0..graph.len())
            .map(|i| {
                (
                    graph.dependencies(i).collect(),
                    graph.dependents(i).collect(),
                )
            })
            .collect::<Vec<(Vec<_>, Vec<_>)>>(),
    )
}

/// Builds single-threaded and with every threshold that takes the
/// threaded paths, from owned and from borrowed services; checks that
/// all agree and returns the single-threaded outcome.
fn check_same(services: &[Service]) -> std::result::Result<(), TestCaseError> {
    let refs_deps: Vec<Vec<&str>> = services
        .iter()
        .map(|s| s.depends_on.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<ServiceRef<'_>> = services
        .iter()
        .zip(&refs_deps)
        .map(|(s, d)| ServiceRef {
            id: &s.id,
            depends_on: d,
            deploy_duration: s.deploy_duration,
            customer_facing: s.customer_facing,
        })
        .collect();
    let single = ServiceGraph::build(services, usize::MAX);
    let expected = single.as_ref().map(observe);
    prop_assert!(!single.as_ref().is_ok_and(ServiceGraph::threaded));
    for threshold in [0, 1, services.len()] {
        let threaded = ServiceGraph::build(services, threshold);
        let on_two = services.len() >= threshold;
        prop_assert!(threaded.as_ref().map_or(true, |g| g.threaded() == on_two));
        prop_assert_eq!(&threaded.as_ref().map(observe), &expected);
        let borrowed = ServiceGraph::build(refs.as_slice(), threshold);
        prop_assert_eq!(&borrowed.as_ref().map(observe), &expected);
    }
    Ok(())
}

fn service(i: usize, deps: Vec<String>, secs: u64) -> Service {
    Service {
        id: format!("s{i}"),
        depends_on: deps,
        deploy_duration: DurationSecs(secs),
        customer_facing: i.is_multiple_of(3),
        ..Service::default()
    }
}

/// A random DAG (service i depends only on smaller indices), in a
/// shuffled plan order.
fn dag(max: usize) -> impl Strategy<Value = Vec<Service>> {
    (0..max)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(
                    (
                        proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
                        0u64..40,
                    ),
                    n,
                ),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(specs, order)| {
            let mut services: Vec<Option<Service>> = specs
                .into_iter()
                .enumerate()
                .map(|(i, (edges, secs))| {
                    let mut deps: Vec<usize> = if i == 0 {
                        Vec::new()
                    } else {
                        edges.iter().map(|ix| ix.index(i)).collect()
                    };
                    deps.sort_unstable();
                    deps.dedup();
                    Some(service(
                        i,
                        deps.into_iter().map(|d| format!("s{d}")).collect(),
                        secs,
                    ))
                })
                .collect();
            order
                .into_iter()
                .filter_map(|i| services.get_mut(i).and_then(Option::take))
                .collect()
        })
}

/// A damage done to a plan: which service (an index into the plan), and
/// what (see `broken`).
fn broken(max: usize) -> impl Strategy<Value = Vec<Service>> {
    (
        dag(max),
        proptest::collection::vec(
            (
                any::<prop::sample::Index>(),
                0u8..6,
                any::<prop::sample::Index>(),
            ),
            0..4,
        ),
    )
        .prop_map(|(mut services, damages)| {
            let n = services.len();
            for (at, kind, other) in damages {
                if n == 0 {
                    break;
                }
                let i = at.index(n);
                let other_id = services
                    .get(other.index(n))
                    .map(|s| s.id.clone())
                    .unwrap_or_default();
                let Some(s) = services.get_mut(i) else {
                    continue;
                };
                let pos = other.index(s.depends_on.len() + 1);
                match kind {
                    0 => s.depends_on.insert(pos, format!("missing{i}")),
                    1 => {
                        let own = s.id.clone();
                        s.depends_on.insert(pos, own);
                    }
                    2 => {
                        if let Some(d) = s.depends_on.first().cloned() {
                            s.depends_on.push(d);
                        }
                    }
                    3 => s.id = other_id,
                    4 => s.id.clear(),
                    // Possibly a cycle (or a repeat, or a self dependency).
                    _ => s.depends_on.push(other_id),
                }
            }
            services
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn threaded_dags_give_identical_results(services in dag(80)) {
        check_same(&services)?;
    }

    #[test]
    fn threaded_broken_plans_give_the_identical_first_error(services in broken(80)) {
        check_same(&services)?;
    }
}

#[test]
fn a_larger_plan_is_identical_on_two_threads() {
    // 3,000 services, ~12,000 dependencies, from a fixed LCG.
    let mut state = 12345u64;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % bound.max(1)
    };
    let mut services: Vec<Service> = (0..3000)
        .map(|i| {
            let mut deps: Vec<usize> = (0..4).filter(|_| i > 0).map(|_| next(i)).collect();
            deps.sort_unstable();
            deps.dedup();
            service(
                i,
                deps.into_iter().map(|d| format!("s{d}")).collect(),
                next(600) as u64,
            )
        })
        .collect();
    services.reverse();
    let result = check_same(&services);
    assert!(result.is_ok(), "{result:?}");
    // And an unknown name in each half: the first in plan order wins.
    if let Some(s) = services.get_mut(2900) {
        s.depends_on.push("late".into());
    }
    if let Some(s) = services.get_mut(100) {
        s.depends_on.insert(0, "early".into());
    }
    let err = ServiceGraph::build(services.as_slice(), 0).err();
    assert_eq!(
        err,
        ServiceGraph::build(services.as_slice(), usize::MAX).err()
    );
    assert_eq!(
        err.map(|e| e.path().to_string()),
        Some("/services/100/depends_on/0".into())
    );
}

#[test]
fn join_runs_both_and_reraises_a_worker_panic() {
    assert_eq!(join(true, || 1, || 2), (1, 2));
    assert_eq!(join(false, || 1, || 2), (1, 2));
    let caught = std::panic::catch_unwind(|| {
        join(
            true,
            || -> u8 { std::panic::panic_any("worker failed") },
            || 2,
        )
    });
    let payload = caught.err().and_then(|p| p.downcast_ref::<&str>().copied());
    assert_eq!(payload, Some("worker failed"));
}
