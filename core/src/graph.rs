//! The service dependency graph: validation, deployment waves, rollback
//! order, critical path, blast radius and bounded-parallel schedules.
//!
//! A [`ServiceGraph`] is built once from a [`Plan`] (which checks it) and is
//! then reused by every analysis. Edges point from a service to what it
//! depends on. Adjacency is stored in compressed (CSR) form in both
//! directions, so layering is a linear-time Kahn pass and memory stays at a
//! few machine words per edge.
//!
//! Canonical order: ids are compared as byte strings; every list in a result
//! is sorted by id where no other order is stated, so results do not depend on
//! the order of the input lists.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, PlanError, Result};
use crate::parallel::join;
use crate::plan::{Plan, Service};
use crate::wire::DurationSecs;

/// What a [`ServiceGraph`] needs of one service, borrowed: see
/// [`ServiceGraph::from_refs`]. The fields mean what the same fields of
/// [`Service`] mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRef<'a> {
    /// Unique, non-empty id.
    pub id: &'a str,
    /// Ids of the services that must be deployed before this one.
    pub depends_on: &'a [&'a str],
    /// How long one deployment of this service takes.
    pub deploy_duration: DurationSecs,
    /// Whether customers talk to this service directly.
    pub customer_facing: bool,
}

/// A validated dependency graph of a plan's services.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
///     {"id": "db"}, {"id": "api", "depends_on": ["db"]}]}"#).unwrap();
/// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
/// assert_eq!(graph.len(), 2);
/// assert_eq!(graph.index_of("api"), Some(1));
/// ```
#[derive(Debug, Clone)]
pub struct ServiceGraph {
    /// Every id, packed, with a hash index over them.
    ids: IdArena,
    durations: Vec<u64>,
    customer_facing: Vec<bool>,
    /// CSR: dependencies of node `v` are `dep_targets[dep_offsets[v]..dep_offsets[v + 1]]`.
    dep_offsets: Vec<u32>,
    dep_targets: Vec<u32>,
    /// CSR: dependents of node `v` (services that depend on it).
    rev_offsets: Vec<u32>,
    rev_targets: Vec<u32>,
    /// Position of each node when ids are sorted (`rank[v] < rank[w]` iff `id(v) < id(w)`).
    rank: Vec<u32>,
    /// Node indices sorted by id (the inverse of `rank`).
    by_rank: Vec<u32>,
    /// Nodes in a topological order: by wave, then id.
    topo: Vec<u32>,
    /// Where each wave starts in `topo`, then the end.
    wave_offsets: Vec<u32>,
    /// Deployment wave of each node: 0 with no dependencies, else 1 + the
    /// largest wave of its dependencies.
    layer: Vec<u32>,
    /// Graphs of at least this many services analyse on two threads (see
    /// [`join`]); [`PARALLEL_MIN_SERVICES`] but for tests.
    parallel_min: usize,
}

/// Plans of at least this many services are built and analysed on two
/// threads: below it, starting a thread costs more than it saves.
const PARALLEL_MIN_SERVICES: usize = 32_768;

/// Deployment order of a plan's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOrder {
    /// Waves that can each be deployed in parallel: a service sits in the
    /// first wave after all of its dependencies. Ids sorted within a wave.
    pub waves: Vec<Vec<String>>,
    /// Waves for undoing the deployment: a service sits in the first wave
    /// after every service that depends on it, so dependents are rolled back
    /// before what they depend on. Ids sorted within a wave.
    pub rollback_waves: Vec<Vec<String>>,
    /// Earliest timings with unlimited parallelism and the path that
    /// determines the total duration.
    pub critical_path: CriticalPath,
}

/// Critical-path analysis with unlimited parallelism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriticalPath {
    /// Total time from start until the last service finishes, in seconds.
    pub makespan_seconds: u64,
    /// The chain of services, first to last, whose durations add up to the
    /// makespan. Ties are broken by the smallest id.
    pub path: Vec<String>,
    /// Timings of every service, ordered by earliest start, then id.
    pub services: Vec<ServiceTiming>,
}

/// Timing of one service in a [`CriticalPath`], in seconds from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTiming {
    /// Service id.
    pub id: String,
    /// Earliest time it can start: when its last dependency finishes.
    pub earliest_start: u64,
    /// `earliest_start` plus its deploy duration.
    pub earliest_finish: u64,
    /// Latest start that does not delay the makespan.
    pub latest_start: u64,
    /// Latest finish that does not delay the makespan.
    pub latest_finish: u64,
    /// `latest_start - earliest_start`; zero on a critical path.
    pub slack: u64,
}

/// [`ServiceOrder`] with services as positions in the plan's `services`
/// list; see [`ServiceGraph::order_indices`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedOrder {
    /// Deployment waves; positions ordered by id within a wave.
    pub waves: Vec<Vec<usize>>,
    /// Rollback waves; positions ordered by id within a wave.
    pub rollback_waves: Vec<Vec<usize>>,
    /// Timings and the critical path.
    pub critical_path: IndexedCriticalPath,
}

/// [`CriticalPath`] with services as positions in the plan's `services`
/// list; see [`ServiceGraph::critical_path_indices`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedCriticalPath {
    /// Total time from start until the last service finishes, in seconds.
    pub makespan_seconds: u64,
    /// The chain of services, first to last, whose durations add up to the
    /// makespan.
    pub path: Vec<usize>,
    /// Timings of every service, ordered by earliest start, then id.
    pub services: Vec<IndexedTiming>,
}

/// [`ServiceTiming`] of the service at position `index` of the plan's
/// `services` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedTiming {
    /// Position of the service in the plan's `services` list.
    pub index: usize,
    /// Earliest time it can start: when its last dependency finishes.
    pub earliest_start: u64,
    /// `earliest_start` plus its deploy duration.
    pub earliest_finish: u64,
    /// Latest start that does not delay the makespan.
    pub latest_start: u64,
    /// Latest finish that does not delay the makespan.
    pub latest_finish: u64,
    /// `latest_start - earliest_start`; zero on a critical path.
    pub slack: u64,
}

/// Which services are affected if a service fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlastRadius {
    /// One entry per requested service, sorted by id.
    pub services: Vec<ServiceBlast>,
}

/// The blast radius of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceBlast {
    /// The service.
    pub id: String,
    /// Every service that transitively depends on it, sorted by id.
    pub dependents: Vec<String>,
    /// `dependents.len()`.
    pub dependent_count: usize,
    /// How many of the dependents are customer facing.
    pub customer_facing_dependents: usize,
    /// Whether the service itself is customer facing.
    pub customer_facing: bool,
}

/// A schedule with a bound on how many deployments run at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParallelSchedule {
    /// The bound used.
    pub max_parallel: usize,
    /// Time until the last deployment finishes, in seconds.
    pub makespan_seconds: u64,
    /// Every service with its start and finish, ordered by start, then id.
    pub services: Vec<ScheduledService>,
}

/// One service's slot in a [`ParallelSchedule`], in seconds from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledService {
    /// Service id.
    pub id: String,
    /// When its deployment starts.
    pub start: u64,
    /// When it finishes.
    pub finish: u64,
}

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
    fn build<S: Services + Sync + ?Sized>(
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
        // Two passes over the plan: the first registers the ids (and copies
        // what the analyses need per service), the second resolves every
        // dependency name. Checks then run on indices, in plan order, so the
        // first error found is the one reported. Both passes work in
        // batches (see `IdArena::prefetch`).
        let mut ids = IdArena::with_capacity(n);
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
            ids.prefetch(hashes.get(..chunk.len()).unwrap_or(&[]));
            for (i, &hash) in chunk.zip(&hashes) {
                let id = services.id(i);
                if id.is_empty() {
                    return Err(Error::invalid_input(
                        format!("/services/{i}/id"),
                        "service id must not be empty",
                    ));
                }
                match ids.push(id, hash) {
                    Ok(()) => {}
                    Err(Some(first)) => {
                        return Err(Error::new(
                            format!("/services/{i}/id"),
                            PlanError::DuplicateId {
                                id: id.to_string(),
                                first_path: format!("/services/{first}/id"),
                            },
                        ))
                    }
                    Err(None) => {
                        return Err(Error::invalid_input(
                            format!("/services/{i}/id"),
                            "service ids too long in all (4 GiB or more)",
                        ))
                    }
                }
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
        let dep_targets = if n >= parallel_min {
            // Two halves of the edges, each resolved against the (now
            // read-only) table on its own thread; errors are still reported
            // below, in plan order, from the joined result.
            let half = (edge_count / 2) as u32;
            let k = dep_offsets.partition_point(|&o| o < half).min(n);
            let split = dep_offsets.get(k).map_or(edge_count, |&o| o as usize);
            let ids = &ids;
            let (second, mut first) = join(
                true,
                || ids.find_all(services.deps_in(k..n), edge_count - split),
                || ids.find_all(services.deps_in(0..k), edge_count),
            );
            first.extend_from_slice(&second);
            first
        } else {
            ids.find_all(services.deps_in(0..n), edge_count)
        };
        // Checks and dependents on this thread while the other sorts the ids.
        let (sorted, reverse) = join(
            n >= parallel_min,
            || sorted_by_id(&ids),
            || reverse_adjacency(services, &dep_offsets, &dep_targets),
        );
        let (rev_offsets, rev_targets) = reverse?;
        let mut rank = vec![0u32; n];
        for (r, &v) in sorted.iter().enumerate() {
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
            by_rank: sorted,
            topo: Vec::new(),
            wave_offsets: Vec::new(),
            layer: Vec::new(),
            parallel_min,
        };
        graph.layer_or_cycle()?;
        Ok(graph)
    }

    /// Number of services.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": []}"#).unwrap();
    /// assert!(rollgate::ServiceGraph::new(&plan).unwrap().is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the plan has no services.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}]}"#).unwrap();
    /// assert!(!rollgate::ServiceGraph::new(&plan).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Position of a service in the plan's `services` list.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.index_of("a"), Some(0));
    /// assert_eq!(graph.index_of("b"), None);
    /// ```
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.find(id).map(|i| i as usize)
    }

    /// Id of the service at a position of the plan's `services` list.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}]}"#).unwrap();
    /// assert_eq!(rollgate::ServiceGraph::new(&plan).unwrap().id(0), Some("a"));
    /// ```
    pub fn id(&self, index: usize) -> Option<&str> {
        self.ids.get(index)
    }

    /// Positions of the services that the service at `index` depends on.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.dependencies(1).collect::<Vec<_>>(), [0]);
    /// ```
    pub fn dependencies(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        csr(&self.dep_offsets, &self.dep_targets, index)
            .iter()
            .map(|&v| v as usize)
    }

    /// Positions of the services that depend directly on the service at `index`.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.dependents(0).collect::<Vec<_>>(), [1]);
    /// ```
    pub fn dependents(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        csr(&self.rev_offsets, &self.rev_targets, index)
            .iter()
            .map(|&v| v as usize)
    }

    /// Positions of all services in a topological order: by deployment wave,
    /// then by id within a wave (a dependency is always in an earlier wave).
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "b", "depends_on": ["a"]}, {"id": "a"}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.topological_order().collect::<Vec<_>>(), [1, 0]);
    /// ```
    pub fn topological_order(&self) -> impl Iterator<Item = usize> + '_ {
        self.topo.iter().map(|&v| v as usize)
    }

    /// The deployment wave of the service at `index` (0 for no dependencies).
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "b", "depends_on": ["a"]}, {"id": "a"}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.wave_of(0), Some(1));
    /// ```
    pub fn wave_of(&self, index: usize) -> Option<usize> {
        self.layer.get(index).map(|&l| l as usize)
    }

    /// Deploy duration of the service at `index`, in seconds.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "deploy_duration": "2m"}]}"#).unwrap();
    /// assert_eq!(rollgate::ServiceGraph::new(&plan).unwrap().duration(0), Some(120));
    /// ```
    pub fn duration(&self, index: usize) -> Option<u64> {
        self.durations.get(index).copied()
    }

    fn id_of(&self, v: u32) -> &str {
        self.ids.get(v as usize).unwrap_or("")
    }

    fn rank_of(&self, v: u32) -> u32 {
        self.rank.get(v as usize).copied().unwrap_or(u32::MAX)
    }

    fn deps(&self, v: u32) -> &[u32] {
        csr(&self.dep_offsets, &self.dep_targets, v as usize)
    }

    fn revs(&self, v: u32) -> &[u32] {
        csr(&self.rev_offsets, &self.rev_targets, v as usize)
    }

    /// Kahn's algorithm over the dependents adjacency: computes the layers and
    /// a topological order (ties by id via a rank-keyed heap), or reports a
    /// cycle when some nodes are never freed.
    fn layer_or_cycle(&mut self) -> Result<()> {
        let n = self.ids.len();
        // Per node: dependencies not yet placed, and wave (one array, so an
        // edge costs one cache miss, not two).
        let mut state: Vec<(u32, u32)> = self
            .dep_offsets
            .windows(2)
            .map(|w| match *w {
                [a, b] => (b - a, 0),
                _ => (0, 0),
            })
            .collect();
        // FIFO Kahn: each node is queued once, when its last dependency is placed.
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        queue.extend((0..n as u32).filter(|&v| state.get(v as usize).is_some_and(|s| s.0 == 0)));
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let next_layer = state.get(v as usize).map_or(0, |s| s.1) + 1;
            for &w in self.revs(v) {
                if let Some((remaining, layer)) = state.get_mut(w as usize) {
                    *layer = (*layer).max(next_layer);
                    *remaining -= 1;
                    if *remaining == 0 {
                        queue.push(w);
                    }
                }
            }
        }
        if queue.len() < n {
            let remaining: Vec<u32> = state.iter().map(|s| s.0).collect();
            return Err(self.cycle_error(&remaining));
        }
        drop(queue);
        self.layer = state.into_iter().map(|s| s.1).collect();
        // Topological order: by wave, then id (a dependency is always in an
        // earlier wave).
        let (topo, wave_offsets) = self.grouped(&self.layer);
        self.topo = topo;
        self.wave_offsets = wave_offsets;
        Ok(())
    }

    /// Builds the `dependency_cycle` error: every node in a non-trivial
    /// strongly connected component, and the shortest cycle through the
    /// smallest such id (neighbours explored in id order), so that the report
    /// does not depend on input order.
    fn cycle_error(&self, remaining: &[u32]) -> Error {
        use petgraph::graph::{DiGraph, NodeIndex};
        // Only nodes Kahn could not free can be on a cycle.
        let stuck: Vec<u32> = (0..self.ids.len() as u32)
            .filter(|&v| remaining.get(v as usize).is_some_and(|&r| r > 0))
            .collect();
        let mut local: HashMap<u32, NodeIndex> = HashMap::with_capacity(stuck.len());
        let mut g: DiGraph<u32, ()> = DiGraph::with_capacity(stuck.len(), stuck.len());
        for &v in &stuck {
            local.insert(v, g.add_node(v));
        }
        for &v in &stuck {
            for &d in self.deps(v) {
                if let (Some(&a), Some(&b)) = (local.get(&v), local.get(&d)) {
                    g.add_edge(a, b, ());
                }
            }
        }
        let mut members: Vec<u32> = Vec::new();
        let mut component_of: HashMap<u32, usize> = HashMap::new();
        for (c, scc) in petgraph::algo::tarjan_scc(&g).into_iter().enumerate() {
            if scc.len() > 1 {
                for node in scc {
                    if let Some(&v) = g.node_weight(node) {
                        members.push(v);
                        component_of.insert(v, c);
                    }
                }
            }
        }
        members.sort_unstable_by_key(|&v| self.rank_of(v));
        let Some(&start) = members.first() else {
            return Error::invalid_input("/services", "dependency graph could not be ordered");
        };
        let comp = component_of.get(&start).copied();

        // BFS from `start` along dependency edges inside its component, back to `start`.
        let mut parent: HashMap<u32, u32> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut closing: Option<u32> = None;
        'bfs: while let Some(v) = queue.pop_front() {
            let mut next: Vec<u32> = self
                .deps(v)
                .iter()
                .copied()
                .filter(|d| component_of.get(d).copied() == comp)
                .collect();
            next.sort_unstable_by_key(|&d| self.rank_of(d));
            for d in next {
                if d == start {
                    closing = Some(v);
                    break 'bfs;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(d) {
                    e.insert(v);
                    queue.push_back(d);
                }
            }
        }
        let mut cycle_nodes = vec![start];
        if let Some(mut v) = closing {
            let mut back = vec![v];
            while v != start {
                match parent.get(&v) {
                    Some(&p) => {
                        v = p;
                        back.push(v);
                    }
                    None => break,
                }
            }
            back.reverse();
            cycle_nodes = back;
            cycle_nodes.push(start);
        }
        let cycle: Vec<String> = cycle_nodes
            .iter()
            .map(|&v| self.id_of(v).to_string())
            .collect();
        let path = match (cycle_nodes.first(), cycle_nodes.get(1)) {
            (Some(&a), Some(&b)) => {
                // Dependencies are distinct, so the position of the target
                // is the position of the name.
                let j = self.deps(a).iter().position(|&d| d == b).unwrap_or(0);
                format!("/services/{a}/depends_on/{j}")
            }
            _ => format!("/services/{start}"),
        };
        Error::new(
            path,
            PlanError::DependencyCycle {
                cycle,
                members: members.iter().map(|&v| self.id_of(v).to_string()).collect(),
            },
        )
    }

    /// Nodes grouped by `keys[v]` (groups in ascending key order, each in id
    /// order), by counting sort: the nodes, and where each group starts, then
    /// the end.
    fn grouped(&self, keys: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let groups = keys.iter().map(|&k| k as usize + 1).max().unwrap_or(0);
        let mut offsets = vec![0u32; groups + 1];
        for &k in keys {
            if let Some(c) = offsets.get_mut(k as usize + 1) {
                *c += 1;
            }
        }
        let mut acc = 0;
        for c in &mut offsets {
            acc += *c;
            *c = acc;
        }
        let mut fill: Vec<u32> = offsets.iter().take(groups).copied().collect();
        let mut out = vec![0u32; keys.len()];
        for &v in &self.by_rank {
            let Some(slot) = keys.get(v as usize).and_then(|&k| fill.get_mut(k as usize)) else {
                continue;
            };
            if let Some(o) = out.get_mut(*slot as usize) {
                *o = v;
            }
            *slot += 1;
        }
        (out, offsets)
    }

    /// `nodes` cut at `offsets` (see [`ServiceGraph::grouped`]).
    fn groups<'a>(nodes: &'a [u32], offsets: &'a [u32]) -> impl Iterator<Item = &'a [u32]> + 'a {
        offsets.windows(2).map(move |w| match *w {
            [a, b] => nodes.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        })
    }

    /// Rollback layer of each node: 0 for services nothing depends on, else
    /// 1 + the largest rollback layer of its dependents (reverse topological
    /// pass).
    fn heights(&self) -> Vec<u32> {
        let mut height = vec![0u32; self.ids.len()];
        for &v in self.topo.iter().rev() {
            let h = self
                .revs(v)
                .iter()
                .map(|&w| height.get(w as usize).copied().unwrap_or(0) + 1)
                .max()
                .unwrap_or(0);
            if let Some(slot) = height.get_mut(v as usize) {
                *slot = h;
            }
        }
        height
    }

    /// Ids of the services at these positions.
    fn names(&self, nodes: &[u32]) -> Vec<String> {
        nodes.iter().map(|&v| self.id_of(v).to_string()).collect()
    }

    /// Waves, rollback waves and critical path; see [`order_services`].
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#).unwrap();
    /// let order = rollgate::ServiceGraph::new(&plan).unwrap().order();
    /// assert_eq!(order.rollback_waves, [["b"], ["a"]]);
    /// ```
    pub fn order(&self) -> ServiceOrder {
        // The timings on one thread, the waves on the other; then the
        // timing records on both.
        let (raw, (waves, rollback_waves)) = join(
            self.threaded(),
            || self.critical_path_raw(),
            || {
                let waves = Self::groups(&self.topo, &self.wave_offsets)
                    .map(|g| self.names(g))
                    .collect();
                let (rollback, rollback_offsets) = self.grouped(&self.heights());
                let rollback_waves = Self::groups(&rollback, &rollback_offsets)
                    .map(|g| self.names(g))
                    .collect();
                (waves, rollback_waves)
            },
        );
        ServiceOrder {
            waves,
            rollback_waves,
            critical_path: self.critical_path_named(raw),
        }
    }

    /// Whether analyses run on two threads (see [`join`]).
    fn threaded(&self) -> bool {
        self.ids.len() >= self.parallel_min
    }

    /// [`ServiceGraph::order`] with services as positions in the plan's
    /// `services` list instead of ids: the same waves, orderings and timings,
    /// without a `String` per entry. For callers that map positions to their
    /// own objects (language bindings); [`ServiceGraph::id`] gives the ids.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "b", "depends_on": ["a"]}, {"id": "a"}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// let order = graph.order_indices();
    /// assert_eq!(order.waves, [[1], [0]]);
    /// assert_eq!(order.rollback_waves, [[0], [1]]);
    /// assert_eq!(order.critical_path.path, [1, 0]);
    /// assert_eq!(graph.id(order.critical_path.services[0].index), Some("a"));
    /// ```
    pub fn order_indices(&self) -> IndexedOrder {
        let widen = |g: &[u32]| -> Vec<usize> { g.iter().map(|&v| v as usize).collect() };
        let (critical_path, (waves, rollback_waves)) = join(
            self.threaded(),
            || self.critical_path_indices(),
            || {
                let waves = Self::groups(&self.topo, &self.wave_offsets)
                    .map(widen)
                    .collect();
                let (rollback, rollback_offsets) = self.grouped(&self.heights());
                let rollback_waves = Self::groups(&rollback, &rollback_offsets)
                    .map(widen)
                    .collect();
                (waves, rollback_waves)
            },
        );
        IndexedOrder {
            waves,
            rollback_waves,
            critical_path,
        }
    }

    /// Critical-path analysis with unlimited parallelism.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
    ///     {"id": "a", "deploy_duration": 10}, {"id": "b", "deploy_duration": 5},
    ///     {"id": "c", "depends_on": ["a", "b"], "deploy_duration": 1}]}"#).unwrap();
    /// let cp = rollgate::ServiceGraph::new(&plan).unwrap().critical_path();
    /// assert_eq!(cp.makespan_seconds, 11);
    /// assert_eq!(cp.path, ["a", "c"]);
    /// ```
    pub fn critical_path(&self) -> CriticalPath {
        self.critical_path_named(self.critical_path_raw())
    }

    /// [`CriticalPath`] from the raw timings: one `String` per service,
    /// the second half of them made on another thread (when threaded).
    fn critical_path_named(&self, raw: RawCriticalPath) -> CriticalPath {
        let timing = |&v: &u32| {
            let t = raw.timing(v);
            ServiceTiming {
                id: self.id_of(v).to_string(),
                earliest_start: t.earliest_start,
                earliest_finish: t.earliest_finish,
                latest_start: t.latest_start,
                latest_finish: t.latest_finish,
                slack: t.slack,
            }
        };
        let (head, tail) = raw.order.split_at(raw.order.len() / 2);
        let (rest, mut services) = join(
            self.threaded(),
            || tail.iter().map(timing).collect::<Vec<_>>(),
            || {
                let mut services = Vec::with_capacity(raw.order.len());
                services.extend(head.iter().map(timing));
                services
            },
        );
        services.extend(rest);
        CriticalPath {
            makespan_seconds: raw.makespan,
            path: self.names(&raw.path),
            services,
        }
    }

    /// [`ServiceGraph::critical_path`] with services as positions in the
    /// plan's `services` list instead of ids.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
    ///     {"id": "a", "deploy_duration": 10}, {"id": "b", "deploy_duration": 5},
    ///     {"id": "c", "depends_on": ["a", "b"], "deploy_duration": 1}]}"#).unwrap();
    /// let cp = rollgate::ServiceGraph::new(&plan).unwrap().critical_path_indices();
    /// assert_eq!(cp.path, [0, 2]);
    /// assert_eq!(cp.services[2].index, 2);
    /// assert_eq!(cp.services[2].earliest_start, 10);
    /// ```
    pub fn critical_path_indices(&self) -> IndexedCriticalPath {
        let raw = self.critical_path_raw();
        IndexedCriticalPath {
            makespan_seconds: raw.makespan,
            path: raw.path.iter().map(|&v| v as usize).collect(),
            services: raw.order.iter().map(|&v| raw.timing(v)).collect(),
        }
    }

    fn critical_path_raw(&self) -> RawCriticalPath {
        let n = self.ids.len();
        // Indexed by node throughout; `self.durations` likewise.
        let mut finish = vec![0u64; n];
        let mut start = vec![0u64; n];
        for &v in &self.topo {
            let v = v as usize;
            let s = csr(&self.dep_offsets, &self.dep_targets, v)
                .iter()
                .map(|&d| finish.get(d as usize).copied().unwrap_or(0))
                .max()
                .unwrap_or(0);
            let dur = self.durations.get(v).copied().unwrap_or(0);
            if let (Some(st), Some(f)) = (start.get_mut(v), finish.get_mut(v)) {
                *st = s;
                *f = s.saturating_add(dur);
            }
        }
        let makespan = finish.iter().copied().max().unwrap_or(0);
        // Latest finish of each node: the smallest latest start of its
        // dependents. Latest starts are kept too, so each edge reads one value.
        let mut latest_finish = vec![makespan; n];
        let mut latest_start = vec![makespan; n];
        for &v in self.topo.iter().rev() {
            let v = v as usize;
            let lf = csr(&self.rev_offsets, &self.rev_targets, v)
                .iter()
                .map(|&w| latest_start.get(w as usize).copied().unwrap_or(makespan))
                .min()
                .unwrap_or(makespan);
            let ls = lf.saturating_sub(self.durations.get(v).copied().unwrap_or(0));
            if let (Some(f), Some(s)) = (latest_finish.get_mut(v), latest_start.get_mut(v)) {
                *f = lf;
                *s = ls;
            }
        }
        // The path ends at the service, among those nothing depends on, that
        // finishes last (smallest id on ties): the makespan is always reached at
        // such a service, and ending there keeps zero-duration chains whole.
        // It walks back through the dependency that finished last (smallest id
        // on ties).
        let better = |a: u32, b: u32| -> bool {
            let fa = finish.get(a as usize).copied().unwrap_or(0);
            let fb = finish.get(b as usize).copied().unwrap_or(0);
            fa > fb || (fa == fb && self.rank_of(a) < self.rank_of(b))
        };
        let mut path = Vec::new();
        let mut current = (0..n as u32)
            .filter(|&v| self.revs(v).is_empty())
            .reduce(|a, b| if better(b, a) { b } else { a });
        while let Some(v) = current {
            path.push(v);
            current = self
                .deps(v)
                .iter()
                .copied()
                .reduce(|a, b| if better(b, a) { b } else { a });
        }
        path.reverse();
        let order = self.by_start_then_id(&start);
        RawCriticalPath {
            makespan,
            path,
            order,
            start,
            finish,
            latest_start,
            latest_finish,
        }
    }

    /// Nodes ordered by `start`, then id. Sorts packed `start << bits | rank`
    /// words when they fit in 64 bits (always, short of durations of
    /// millions of years), by radix sort.
    fn by_start_then_id(&self, start: &[u64]) -> Vec<u32> {
        let n = self.ids.len();
        let bits = usize::BITS - n.leading_zeros();
        let max_start = start.iter().copied().max().unwrap_or(0);
        if bits < 64 && max_start.checked_shr(64 - bits).unwrap_or(0) == 0 {
            let keys: Vec<u64> = start
                .iter()
                .zip(&self.rank)
                .map(|(&s, &r)| s << bits | u64::from(r))
                .collect();
            let mask = (1u64 << bits) - 1;
            radix_sort(keys)
                .into_iter()
                .map(|k| self.by_rank.get((k & mask) as usize).copied().unwrap_or(0))
                .collect()
        } else {
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_unstable_by_key(|&v| {
                (start.get(v as usize).copied().unwrap_or(0), self.rank_of(v))
            });
            order
        }
    }

    /// Transitive dependents of the requested services (all services when
    /// `services` is `None`); see [`blast_radius`].
    ///
    /// Cost: one breadth-first traversal per requested service, O(k·(n + e))
    /// for k requested services. Requesting every service of a large, deep
    /// graph is quadratic; ask for the services you are changing.
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
    ///     {"id": "db"}, {"id": "api", "depends_on": ["db"]},
    ///     {"id": "web", "depends_on": ["api"], "customer_facing": true}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// let radius = graph.blast_radius(Some(&["db".to_string()])).unwrap();
    /// assert_eq!(radius.services[0].dependents, ["api", "web"]);
    /// assert_eq!(radius.services[0].customer_facing_dependents, 1);
    /// ```
    pub fn blast_radius(&self, services: Option<&[String]>) -> Result<BlastRadius> {
        let mut requested: Vec<u32> = match services {
            None => (0..self.ids.len() as u32).collect(),
            Some(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (i, id) in list.iter().enumerate() {
                    match self.ids.find(id) {
                        Some(v) => out.push(v),
                        None => {
                            return Err(Error::new(
                                format!("services/{i}"),
                                PlanError::UnknownService {
                                    service: id.clone(),
                                },
                            ))
                        }
                    }
                }
                out
            }
        };
        requested.sort_unstable_by_key(|&v| self.rank_of(v));
        requested.dedup();

        let n = self.ids.len();
        let mut seen = vec![u32::MAX; n];
        let mut queue: Vec<u32> = Vec::new();
        let mut out = Vec::with_capacity(requested.len());
        for (round, &source) in requested.iter().enumerate() {
            let mark = round as u32;
            queue.clear();
            queue.push(source);
            if let Some(s) = seen.get_mut(source as usize) {
                *s = mark;
            }
            let mut found: Vec<u32> = Vec::new();
            let mut head = 0;
            while let Some(&v) = queue.get(head) {
                head += 1;
                for &w in self.revs(v) {
                    if let Some(s) = seen.get_mut(w as usize) {
                        if *s != mark {
                            *s = mark;
                            queue.push(w);
                            found.push(w);
                        }
                    }
                }
            }
            found.sort_unstable_by_key(|&v| self.rank_of(v));
            let customer_facing_dependents = found
                .iter()
                .filter(|&&v| {
                    self.customer_facing
                        .get(v as usize)
                        .copied()
                        .unwrap_or(false)
                })
                .count();
            out.push(ServiceBlast {
                id: self.id_of(source).to_string(),
                dependent_count: found.len(),
                customer_facing_dependents,
                customer_facing: self
                    .customer_facing
                    .get(source as usize)
                    .copied()
                    .unwrap_or(false),
                dependents: found
                    .into_iter()
                    .map(|v| self.id_of(v).to_string())
                    .collect(),
            });
        }
        Ok(BlastRadius { services: out })
    }

    /// List schedule with at most `max_parallel` deployments at once; see
    /// [`schedule_services`].
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
    ///     {"id": "a", "deploy_duration": 10}, {"id": "b", "deploy_duration": 10}]}"#).unwrap();
    /// let graph = rollgate::ServiceGraph::new(&plan).unwrap();
    /// assert_eq!(graph.schedule(1).unwrap().makespan_seconds, 20);
    /// assert_eq!(graph.schedule(2).unwrap().makespan_seconds, 10);
    /// ```
    pub fn schedule(&self, max_parallel: usize) -> Result<ParallelSchedule> {
        if max_parallel == 0 {
            return Err(Error::invalid_input(
                "max_parallel",
                "max_parallel must be at least 1, got 0",
            ));
        }
        let n = self.ids.len();
        let dur = |v: u32| self.durations.get(v as usize).copied().unwrap_or(0);
        // Priority: longest remaining path (own duration plus the longest
        // chain of dependents), then smallest id.
        let mut tail = vec![0u64; n];
        for &v in self.topo.iter().rev() {
            let t = self
                .revs(v)
                .iter()
                .map(|&w| tail.get(w as usize).copied().unwrap_or(0))
                .max()
                .unwrap_or(0);
            if let Some(slot) = tail.get_mut(v as usize) {
                *slot = t.saturating_add(dur(v));
            }
        }
        let key = |v: u32| {
            (
                Reverse(tail.get(v as usize).copied().unwrap_or(0)),
                self.rank_of(v),
                v,
            )
        };
        let mut remaining: Vec<u32> = (0..n).map(|v| self.deps(v as u32).len() as u32).collect();
        let mut ready: BinaryHeap<Reverse<(Reverse<u64>, u32, u32)>> = BinaryHeap::new();
        for v in 0..n as u32 {
            if remaining.get(v as usize) == Some(&0) {
                ready.push(Reverse(key(v)));
            }
        }
        let mut running: BinaryHeap<Reverse<(u64, u32, u32)>> = BinaryHeap::new();
        let mut slots = vec![(0u64, 0u64); n];
        let mut now = 0u64;
        let mut done = 0usize;
        while done < n {
            while running.len() < max_parallel {
                let Some(Reverse((_, _, v))) = ready.pop() else {
                    break;
                };
                let finish = now.saturating_add(dur(v));
                if let Some(slot) = slots.get_mut(v as usize) {
                    *slot = (now, finish);
                }
                running.push(Reverse((finish, self.rank_of(v), v)));
            }
            let Some(Reverse((t, _, _))) = running.peek().copied() else {
                break;
            };
            now = t;
            while let Some(&Reverse((f, _, v))) = running.peek() {
                if f != now {
                    break;
                }
                running.pop();
                done += 1;
                for &w in self.revs(v) {
                    if let Some(r) = remaining.get_mut(w as usize) {
                        *r -= 1;
                        if *r == 0 {
                            ready.push(Reverse(key(w)));
                        }
                    }
                }
            }
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let sa = slots.get(a as usize).map(|s| s.0);
            let sb = slots.get(b as usize).map(|s| s.0);
            sa.cmp(&sb)
                .then_with(|| self.rank_of(a).cmp(&self.rank_of(b)))
        });
        let services: Vec<ScheduledService> = order
            .into_iter()
            .map(|v| {
                let (start, finish) = slots.get(v as usize).copied().unwrap_or((0, 0));
                ScheduledService {
                    id: self.id_of(v).to_string(),
                    start,
                    finish,
                }
            })
            .collect();
        let makespan_seconds = services.iter().map(|s| s.finish).max().unwrap_or(0);
        Ok(ParallelSchedule {
            max_parallel,
            makespan_seconds,
            services,
        })
    }
}

/// All ids packed into one string, with an open-addressing hash index over
/// them. Hashing uses foldhash with a per-process seed: fast, resistant to
/// crafted collisions, and invisible in results (nothing iterates the table).
///
/// Resolving 500,000 dependency names is bound by cache misses, not by
/// hashing, so the index is laid out for few of them: a slot holds 32 bits
/// of the hash and the offset of a record `[len: u32][index: u32][bytes]`, so
/// a lookup touches one slot (linear probing, load at most 1/2) and one
/// record. `text` and `ends` keep the ids contiguous for index → id.
#[derive(Debug, Clone)]
struct IdArena {
    text: String,
    /// `ends[i]` is where id `i` ends in `text`; it starts where `i - 1` ends.
    ends: Vec<u32>,
    /// `tag << 32 | (record offset + 1)`; 0 is an empty slot.
    slots: Vec<u64>,
    records: Vec<u8>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// Bytes of a record's header: length, then index.
const RECORD_HEADER: usize = 8;

/// Lookups whose memory accesses are issued together.
const BATCH: usize = 32;

impl IdArena {
    /// An arena for `n` ids (`n < u32::MAX`).
    fn with_capacity(n: usize) -> Self {
        // At most half full: short probe sequences, and never full.
        let slots = n.saturating_mul(2).max(16).next_power_of_two();
        IdArena {
            text: String::with_capacity(n.saturating_mul(8)),
            ends: Vec::with_capacity(n),
            slots: vec![0; slots],
            records: Vec::with_capacity(n.saturating_mul(RECORD_HEADER + 8)),
            hasher: hashbrown::DefaultHashBuilder::default(),
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    fn at(&self, i: u32) -> &str {
        self.get(i as usize).unwrap_or("")
    }

    /// The slot holding `id`, or the empty slot where it belongs, with the
    /// slot's value and, if found, the id's index.
    fn probe(&self, id: &str, hash: u64) -> (usize, u64, Option<u32>) {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = hash >> 32;
        let mut pos = hash as usize & mask;
        loop {
            let Some(&slot) = self.slots.get(pos) else {
                // Unreachable: `pos` is masked and the table is never full.
                return (pos, tag, None);
            };
            if slot == 0 {
                return (pos, tag, None);
            }
            if slot >> 32 == tag {
                let offset = (slot as u32).wrapping_sub(1) as usize;
                if let Some(index) = self.record_matches(offset, id.as_bytes()) {
                    return (pos, tag, Some(index));
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    /// The index stored in the record at `offset` if its bytes are `id`.
    fn record_matches(&self, offset: usize, id: &[u8]) -> Option<u32> {
        let header = self.records.get(offset..offset + RECORD_HEADER)?;
        let (len, index) = header.split_at(4);
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        if len != id.len() {
            return None;
        }
        let start = offset + RECORD_HEADER;
        if !bytes_eq(self.records.get(start..start + len)?, id) {
            return None;
        }
        Some(u32::from_le_bytes(index.try_into().ok()?))
    }

    /// The id's bytes alone through foldhash (`str`'s `Hash` would add a
    /// terminator byte: a second mixing round for nothing, as the table only
    /// ever holds `str`s).
    fn hash(&self, id: &str) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        hasher.write(id.as_bytes());
        hasher.finish()
    }

    /// Loads the first slot and record that looking up these hashes will
    /// touch, all at once: the loads are independent, so the processor
    /// overlaps their cache misses instead of waiting for each in turn.
    fn prefetch(&self, hashes: &[u64]) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slots = [0u64; BATCH];
        for (slot, &hash) in slots.iter_mut().zip(hashes) {
            *slot = self.slots.get(hash as usize & mask).copied().unwrap_or(0);
        }
        let mut sink = 0u8;
        for &slot in slots.iter().take(hashes.len()) {
            let offset = (slot as u32).wrapping_sub(1) as usize;
            sink ^= self.records.get(offset).copied().unwrap_or(0);
        }
        std::hint::black_box(sink);
    }

    /// Appends an id (whose [`IdArena::hash`] is `hash`). Fails with the
    /// index already holding it, or with `None` if the ids no longer fit
    /// 32-bit offsets.
    fn push(&mut self, id: &str, hash: u64) -> std::result::Result<(), Option<u32>> {
        let (pos, tag, found) = self.probe(id, hash);
        if found.is_some() {
            return Err(found);
        }
        let limit = u32::MAX as usize - RECORD_HEADER;
        if self.records.len() + id.len() >= limit || self.text.len() + id.len() >= limit {
            return Err(None);
        }
        let index = self.ends.len() as u32;
        let offset = self.records.len();
        self.records
            .extend_from_slice(&(id.len() as u32).to_le_bytes());
        self.records.extend_from_slice(&index.to_le_bytes());
        self.records.extend_from_slice(id.as_bytes());
        if let Some(slot) = self.slots.get_mut(pos) {
            *slot = tag << 32 | (offset as u64 + 1);
        }
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
        Ok(())
    }

    fn find(&self, id: &str) -> Option<u32> {
        self.probe(id, self.hash(id)).2
    }

    /// The index of every id, in order (`u32::MAX` where unknown), looked
    /// up [`BATCH`] at a time.
    fn find_all<'a>(&self, ids: impl Iterator<Item = &'a str>, capacity: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(capacity);
        let mut ids = ids;
        // Software pipeline: the strings of the next batch are loaded while
        // the current batch is hashed and looked up.
        let mut next: Vec<&str> = Vec::with_capacity(BATCH);
        next.extend(ids.by_ref().take(BATCH));
        touch(next.iter().copied());
        let mut batch: Vec<&str> = Vec::with_capacity(BATCH);
        let mut hashes = [0u64; BATCH];
        while !next.is_empty() {
            std::mem::swap(&mut batch, &mut next);
            next.clear();
            next.extend(ids.by_ref().take(BATCH));
            touch(next.iter().copied());
            for (h, id) in hashes.iter_mut().zip(&batch) {
                *h = self.hash(id);
            }
            let hashes = hashes.get(..batch.len()).unwrap_or(&[]);
            self.prefetch(hashes);
            out.extend(
                batch
                    .iter()
                    .zip(hashes)
                    .map(|(id, &hash)| self.probe(id, hash).2.unwrap_or(u32::MAX)),
            );
        }
        out
    }
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

/// What building a graph reads of a list of services.
trait Services {
    fn count(&self) -> usize;
    fn id(&self, i: usize) -> &str;
    fn dep_count(&self, i: usize) -> usize;
    fn dep(&self, i: usize, j: usize) -> &str;
    /// Every dependency name of the services in `range`, service by service.
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str>;
    fn duration(&self, i: usize) -> u64;
    fn customer_facing(&self, i: usize) -> bool;
}

impl Services for [Service] {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, i: usize) -> &str {
        self.get(i).map_or("", |s| s.id.as_str())
    }
    fn dep_count(&self, i: usize) -> usize {
        self.get(i).map_or(0, |s| s.depends_on.len())
    }
    fn dep(&self, i: usize, j: usize) -> &str {
        self.get(i)
            .and_then(|s| s.depends_on.get(j))
            .map_or("", String::as_str)
    }
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str> {
        self.get(range)
            .unwrap_or(&[])
            .iter()
            .flat_map(|s| s.depends_on.iter().map(String::as_str))
    }
    fn duration(&self, i: usize) -> u64 {
        self.get(i).map_or(0, |s| s.deploy_duration.as_secs())
    }
    fn customer_facing(&self, i: usize) -> bool {
        self.get(i).is_some_and(|s| s.customer_facing)
    }
}

impl Services for [ServiceRef<'_>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, i: usize) -> &str {
        self.get(i).map_or("", |s| s.id)
    }
    fn dep_count(&self, i: usize) -> usize {
        self.get(i).map_or(0, |s| s.depends_on.len())
    }
    fn dep(&self, i: usize, j: usize) -> &str {
        self.get(i)
            .and_then(|s| s.depends_on.get(j))
            .copied()
            .unwrap_or("")
    }
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str> {
        self.get(range)
            .unwrap_or(&[])
            .iter()
            .flat_map(|s| s.depends_on.iter().copied())
    }
    fn duration(&self, i: usize) -> u64 {
        self.get(i).map_or(0, |s| s.deploy_duration.as_secs())
    }
    fn customer_facing(&self, i: usize) -> bool {
        self.get(i).is_some_and(|s| s.customer_facing)
    }
}

/// Timings of every node, and the path; see [`ServiceGraph::critical_path`].
struct RawCriticalPath {
    makespan: u64,
    path: Vec<u32>,
    /// Nodes by earliest start, then id.
    order: Vec<u32>,
    start: Vec<u64>,
    finish: Vec<u64>,
    latest_start: Vec<u64>,
    latest_finish: Vec<u64>,
}

impl RawCriticalPath {
    fn timing(&self, v: u32) -> IndexedTiming {
        let i = v as usize;
        let earliest_start = self.start.get(i).copied().unwrap_or(0);
        let latest_start = self.latest_start.get(i).copied().unwrap_or(0);
        IndexedTiming {
            index: i,
            earliest_start,
            earliest_finish: self.finish.get(i).copied().unwrap_or(0),
            latest_start,
            latest_finish: self.latest_finish.get(i).copied().unwrap_or(0),
            slack: latest_start.saturating_sub(earliest_start),
        }
    }
}

/// Sorts 64-bit keys: least significant digit first, 8 bits a pass,
/// skipping the digits in which all keys agree.
fn radix_sort(keys: Vec<u64>) -> Vec<u64> {
    let (any, all) = keys
        .iter()
        .fold((0u64, u64::MAX), |(o, a), &k| (o | k, a & k));
    let varying = any ^ all;
    let mut src = keys;
    let mut dst = vec![0u64; src.len()];
    for shift in (0..64).step_by(8) {
        if (varying >> shift) & 0xff == 0 {
            continue;
        }
        let mut counts = [0usize; 256];
        for &k in &src {
            if let Some(c) = counts.get_mut(((k >> shift) & 0xff) as usize) {
                *c += 1;
            }
        }
        let mut acc = 0;
        for c in &mut counts {
            let here = *c;
            *c = acc;
            acc += here;
        }
        for &k in &src {
            if let Some(c) = counts.get_mut(((k >> shift) & 0xff) as usize) {
                if let Some(d) = dst.get_mut(*c) {
                    *d = k;
                }
                *c += 1;
            }
        }
        std::mem::swap(&mut src, &mut dst);
    }
    src
}

/// `a == b`, without a call to `memcmp` for short ids (the common case).
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Loads the first byte of each string, all at once (see
/// [`IdArena::prefetch`]): the strings of a plan are separate allocations,
/// scattered over the heap.
fn touch<'a>(ids: impl Iterator<Item = &'a str>) {
    let sink = ids.fold(0u8, |acc, id| {
        acc ^ id.as_bytes().first().copied().unwrap_or(0)
    });
    std::hint::black_box(sink);
}

fn csr<'a>(offsets: &[u32], targets: &'a [u32], v: usize) -> &'a [u32] {
    match (offsets.get(v), offsets.get(v + 1)) {
        (Some(&a), Some(&b)) => targets.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Node indices sorted by id (byte order). Sorts on an 8-byte big-endian
/// prefix first so that most comparisons touch neither the string nor memcmp.
fn sorted_by_id(ids: &IdArena) -> Vec<u32> {
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

/// Deployment waves, rollback waves and critical path of a plan.
///
/// A service sits in the first wave after all of its dependencies; rollback
/// waves put dependents before what they depend on. Ids are sorted within
/// each wave, and the result is the same whatever the order of the input
/// lists. Runs in O(n log n + e).
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "shop", "services": [
///     {"id": "web", "depends_on": ["api"], "deploy_duration": "2m"},
///     {"id": "api", "depends_on": ["db", "queue"], "deploy_duration": "5m"},
///     {"id": "db", "deploy_duration": "10m"},
///     {"id": "queue", "deploy_duration": "3m"}]}"#).unwrap();
/// let order = rollgate::order_services(&plan).unwrap();
/// assert_eq!(order.waves, [vec!["db", "queue"], vec!["api"], vec!["web"]]);
/// assert_eq!(order.rollback_waves, [vec!["web"], vec!["api"], vec!["db", "queue"]]);
/// assert_eq!(order.critical_path.path, ["db", "api", "web"]);
/// assert_eq!(order.critical_path.makespan_seconds, 17 * 60);
/// ```
pub fn order_services(plan: &Plan) -> Result<ServiceOrder> {
    Ok(ServiceGraph::new(plan)?.order())
}

/// For each requested service (all when `services` is `None`), every service
/// that transitively depends on it and how many of those are customer facing.
///
/// An unknown id in `services` is an `unknown_service` error whose path is
/// `services/<index>` (a path into that argument). Duplicates are reported
/// once. Cost: one traversal per requested service.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
///     {"id": "db"}, {"id": "api", "depends_on": ["db"], "customer_facing": true}]}"#).unwrap();
/// let radius = rollgate::blast_radius(&plan, None).unwrap();
/// assert_eq!(radius.services[0].id, "api");
/// assert_eq!(radius.services[1].dependents, ["api"]);
/// let err = rollgate::blast_radius(&plan, Some(&["nope".into()])).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("unknown_service", "services/0"));
/// ```
pub fn blast_radius(plan: &Plan, services: Option<&[String]>) -> Result<BlastRadius> {
    ServiceGraph::new(plan)?.blast_radius(services)
}

/// Schedules the plan's deployments with at most `max_parallel` running at
/// once (list scheduling; priority: longest remaining path, then id).
///
/// `max_parallel` of 0 is an `invalid_input` error with path `max_parallel`.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [
///     {"id": "a", "deploy_duration": 5}, {"id": "b", "deploy_duration": 3},
///     {"id": "c", "depends_on": ["a"], "deploy_duration": 4}]}"#).unwrap();
/// let schedule = rollgate::schedule_services(&plan, 1).unwrap();
/// let order: Vec<_> = schedule.services.iter().map(|s| s.id.as_str()).collect();
/// assert_eq!(order, ["a", "c", "b"]);
/// assert_eq!(schedule.makespan_seconds, 12);
/// ```
pub fn schedule_services(plan: &Plan, max_parallel: usize) -> Result<ParallelSchedule> {
    ServiceGraph::new(plan)?.schedule(max_parallel)
}

#[cfg(test)]
mod tests {
    //! The two-thread paths (threshold lowered to run on tiny plans) against
    //! the single-thread ones: same graphs, same results, same first error.
    use super::*;
    use proptest::prelude::*;

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
}
