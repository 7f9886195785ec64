//! Building a [`ServiceGraph`]: every check on a plan's services, in plan
//! order, and the adjacency in both directions.
//!
//! Two passes over the services: the first registers the ids in the id
//! index (and copies what the analyses need per service), the second
//! resolves every dependency name. Checks then run on positions, in plan
//! order, so the first error found is the one reported whatever pass finds
//! it. From [`PARALLEL_MIN_SERVICES`] services the resolving, the checks and
//! the id sort run on two threads ([`join`]); errors are still taken from
//! the joined result in plan order.

use std::cmp::Ordering;

use super::id_index::{touch, IdIndex, BATCH};
use super::service_graph::{csr, PARALLEL_MIN_SERVICES};
use super::source::Services;
use super::types::ServiceRef;
use super::ServiceGraph;
use crate::error::{Error, PlanError, Result};
use crate::parallel::join;
use crate::plan::Plan;

impl ServiceGraph {
    /// Validates a plan's services and builds the graph.
    ///
    /// Errors, in this order (the first found is reported): an empty id
    /// (`invalid_input`), a repeated id (`duplicate_id`), then for each service
    /// in plan order and each dependency in list order a self dependency
    /// (`self_dependency`), a repeated dependency (`duplicate_id`) or an id not
    /// in the plan (`unknown_dependency`); last, a cycle (`dependency_cycle`).
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
    ///     {"id": "api", "depends_on": ["auth"]}, {"id": "auth", "depends_on": ["api"]}]}"#).unwrap();
    /// use rollgate::{error::PlanError, ErrorKind};
    /// match rollgate::ServiceGraph::new(&plan).unwrap_err().kind() {
    ///     ErrorKind::Plan(PlanError::DependencyCycle { cycle, .. }) => assert_eq!(cycle, &["api", "auth", "api"]),
    ///     other => panic!("{other}"),
    /// }
    /// ```
    pub fn new(plan: &Plan) -> Result<ServiceGraph> {
        Self::build(plan.services.as_slice(), PARALLEL_MIN_SERVICES)
    }

    /// Builds the graph from borrowed services, as [`ServiceGraph::new`]
    /// does from a plan's: same checks, same errors with the same paths
    /// (`services[i]` is `/services/i` of the plan). For callers that hold
    /// the ids in their own objects (language bindings), so that no
    /// `String` per id and dependency need be made.
    ///
    /// ```
    /// use rollgate::{DurationSecs, ServiceGraph, ServiceRef};
    /// let services = [
    ///     ServiceRef { id: "db", depends_on: &[], deploy_duration: DurationSecs(60), customer_facing: false },
    ///     ServiceRef { id: "api", depends_on: &["db"], deploy_duration: DurationSecs(30), customer_facing: true },
    /// ];
    /// let graph = ServiceGraph::from_refs(&services).unwrap();
    /// assert_eq!(graph.order().waves, [["db"], ["api"]]);
    /// let bad = [ServiceRef { id: "a", depends_on: &["b"], deploy_duration: DurationSecs(0), customer_facing: false }];
    /// let err = ServiceGraph::from_refs(&bad).unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("unknown_dependency", "/services/0/depends_on/0"));
    /// ```
    pub fn from_refs(services: &[ServiceRef<'_>]) -> Result<ServiceGraph> {
        Self::build(services, PARALLEL_MIN_SERVICES)
    }

    /// Builds the graph, on two threads from `parallel_min` services.
    pub(super) fn build<S: Services + Sync + ?Sized>(
        services: &S,
        parallel_min: usize,
    ) -> Result<ServiceGraph> {
        let n = services.count();
        if n >= u32::MAX as usize {
            return Err(Error::invalid_input(
                "/services",
                format!("too many services ({n})"),
            ));
        }
        let parallel = n >= parallel_min;
        let Registered {
            ids,
            durations,
            customer_facing,
            dep_offsets,
            edge_count,
        } = register(services)?;
        let dep_targets = resolve(services, &ids, &dep_offsets, edge_count, parallel);
        // Checks and dependents on this thread while the other sorts the ids.
        let (by_rank, reverse) = join(
            parallel,
            || sorted_by_id(&ids),
            || reverse_adjacency(services, &dep_offsets, &dep_targets),
        );
        let (rev_offsets, rev_targets) = reverse?;
        let mut rank = vec![0u32; n];
        for (r, &v) in by_rank.iter().enumerate() {
            if let Some(slot) = rank.get_mut(v as usize) {
                *slot = r as u32;
            }
        }
        let mut graph = ServiceGraph {
            ids,
            durations,
            customer_facing,
            dep_offsets,
            dep_targets,
            rev_offsets,
            rev_targets,
            rank,
            by_rank,
            topo: Vec::new(),
            wave_offsets: Vec::new(),
            layer: Vec::new(),
            parallel_min,
        };
        graph.layer_or_cycle()?;
        Ok(graph)
    }
}

/// What the first pass reads of the services: the id index, the
/// per-service values, and where each service's dependencies start in the
/// edge list (then the end).
struct Registered {
    ids: IdIndex,
    durations: Vec<u64>,
    customer_facing: Vec<bool>,
    dep_offsets: Vec<u32>,
    edge_count: usize,
}

/// The first pass: registers every id (an empty or repeated id is the
/// error) and copies what the analyses need of each service.
fn register<S: Services + ?Sized>(services: &S) -> Result<Registered> {
    let n = services.count();
    let mut ids = IdIndex::with_capacity(n);
    let mut durations = Vec::with_capacity(n);
    let mut customer_facing = Vec::with_capacity(n);
    let mut dep_offsets = Vec::with_capacity(n + 1);
    dep_offsets.push(0u32);
    let mut edge_count = 0usize;
    let mut hashes = [0u64; BATCH];
    for start in (0..n).step_by(BATCH) {
        let chunk = start..(start + BATCH).min(n);
        touch(chunk.clone().map(|i| services.id(i)));
        for (h, i) in hashes.iter_mut().zip(chunk.clone()) {
            *h = ids.hash(services.id(i));
        }
        ids.warm(hashes.get(..chunk.len()).unwrap_or(&[]));
        for (i, &hash) in chunk.zip(&hashes) {
            add_id(&mut ids, services.id(i), hash, i)?;
            durations.push(services.duration(i));
            customer_facing.push(services.customer_facing(i));
            edge_count += services.dep_count(i);
            if edge_count >= u32::MAX as usize {
                return Err(Error::invalid_input(
                    "/services",
                    format!("too many dependencies ({edge_count})"),
                ));
            }
            dep_offsets.push(edge_count as u32);
        }
    }
    Ok(Registered {
        ids,
        durations,
        customer_facing,
        dep_offsets,
        edge_count,
    })
}

/// Adds the id of service `i` to the index: an empty id is
/// `invalid_input`, a repeated one `duplicate_id` naming the first.
fn add_id(ids: &mut IdIndex, id: &str, hash: u64, i: usize) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input(
            format!("/services/{i}/id"),
            "service id must not be empty",
        ));
    }
    match ids.push(id, hash) {
        Ok(()) => Ok(()),
        Err(Some(first)) => Err(Error::new(
            format!("/services/{i}/id"),
            PlanError::DuplicateId {
                id: id.to_string(),
                first_path: format!("/services/{first}/id"),
            },
        )),
        Err(None) => Err(Error::invalid_input(
            format!("/services/{i}/id"),
            "service ids too long in all (4 GiB or more)",
        )),
    }
}

/// The second pass: the position of every dependency, service by service
/// (`u32::MAX` for an unknown name). On two threads when `parallel`: two
/// halves of the edges, each resolved against the (now read-only) index.
fn resolve<S: Services + Sync + ?Sized>(
    services: &S,
    ids: &IdIndex,
    dep_offsets: &[u32],
    edge_count: usize,
    parallel: bool,
) -> Vec<u32> {
    let n = services.count();
    if !parallel {
        return ids.find_all(services.deps_in(0..n), edge_count);
    }
    let half = (edge_count / 2) as u32;
    let k = dep_offsets.partition_point(|&o| o < half).min(n);
    let split = dep_offsets.get(k).map_or(edge_count, |&o| o as usize);
    let (second, mut first) = join(
        true,
        || ids.find_all(services.deps_in(k..n), edge_count - split),
        || ids.find_all(services.deps_in(0..k), edge_count),
    );
    first.extend_from_slice(&second);
    first
}

/// Checks every dependency of every service, in plan order (the first
/// self dependency, repeated dependency or unknown name is the error), and
/// builds the dependents adjacency (CSR offsets and targets).
fn reverse_adjacency<S: Services + ?Sized>(
    services: &S,
    dep_offsets: &[u32],
    dep_targets: &[u32],
) -> Result<(Vec<u32>, Vec<u32>)> {
    let n = services.count();
    // Per node: the last service (+ 1) found depending on it, and how
    // many depend on it.
    let mut seen_and_indegree = vec![(0u32, 0u32); n];
    for (i, pair) in dep_offsets.windows(2).enumerate() {
        let (first_edge, end) = match *pair {
            [a, b] => (a as usize, b as usize),
            _ => continue,
        };
        let mark = i as u32 + 1;
        let targets = dep_targets.get(first_edge..end).unwrap_or(&[]);
        for (j, &target) in targets.iter().enumerate() {
            match seen_and_indegree.get_mut(target as usize) {
                Some((seen, indegree)) if *seen != mark && target as usize != i => {
                    *seen = mark;
                    *indegree += 1;
                }
                _ => return Err(self_unknown_or_repeated(services, i, j, targets)),
            }
        }
    }
    let indegree_rev: Vec<u32> = seen_and_indegree.into_iter().map(|(_, d)| d).collect();

    // Reverse adjacency (dependents), by counting sort.
    let mut rev_offsets = Vec::with_capacity(n + 1);
    rev_offsets.push(0u32);
    let mut acc = 0u32;
    for c in &indegree_rev {
        acc += c;
        rev_offsets.push(acc);
    }
    let mut fill: Vec<u32> = rev_offsets.iter().take(n).copied().collect();
    let mut rev_targets = vec![0u32; dep_targets.len()];
    for v in 0..n {
        for &d in csr(dep_offsets, dep_targets, v) {
            if let Some(slot) = fill.get_mut(d as usize) {
                if let Some(t) = rev_targets.get_mut(*slot as usize) {
                    *t = v as u32;
                }
                *slot += 1;
            }
        }
    }
    Ok((rev_offsets, rev_targets))
}

/// The error for dependency `j` of service `i`, whose dependencies resolved
/// to `targets` (`u32::MAX` for unknown names): a self dependency, an unknown
/// name or a repeat of an earlier dependency.
fn self_unknown_or_repeated<S: Services + ?Sized>(
    services: &S,
    i: usize,
    j: usize,
    targets: &[u32],
) -> Error {
    let path = format!("/services/{i}/depends_on/{j}");
    let id = services.id(i).to_string();
    let dep = services.dep(i, j).to_string();
    let target = targets.get(j).copied().unwrap_or(u32::MAX);
    if target as usize == i {
        Error::new(path, PlanError::SelfDependency { service: id })
    } else if target == u32::MAX {
        Error::new(
            path,
            PlanError::UnknownDependency {
                service: id,
                dependency: dep,
            },
        )
    } else {
        let k = targets.iter().position(|&t| t == target).unwrap_or(0);
        Error::new(
            path,
            PlanError::DuplicateId {
                id: dep,
                first_path: format!("/services/{i}/depends_on/{k}"),
            },
        )
    }
}

/// Node indices sorted by id (byte order). Sorts on an 8-byte big-endian
/// prefix first so that most comparisons touch neither the string nor memcmp.
fn sorted_by_id(ids: &IdIndex) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = (0..ids.len() as u32)
        .map(|i| {
            let mut prefix = [0u8; 8];
            for (slot, byte) in prefix.iter_mut().zip(ids.at(i).bytes()) {
                *slot = byte;
            }
            (u64::from_be_bytes(prefix), i)
        })
        .collect();
    let full = |a: u32, b: u32| -> Ordering { ids.at(a).cmp(ids.at(b)) };
    keyed.sort_unstable_by(|&(pa, a), &(pb, b)| pa.cmp(&pb).then_with(|| full(a, b)));
    keyed.into_iter().map(|(_, i)| i).collect()
}
