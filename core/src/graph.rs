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
use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::Plan;

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
    /// Deployment wave of each node: 0 with no dependencies, else 1 + the
    /// largest wave of its dependencies.
    layer: Vec<u32>,
}

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
    /// match rollgate::ServiceGraph::new(&plan).unwrap_err() {
    ///     rollgate::Error::DependencyCycle { cycle, .. } => assert_eq!(cycle, ["api", "auth", "api"]),
    ///     other => panic!("{other}"),
    /// }
    /// ```
    pub fn new(plan: &Plan) -> Result<ServiceGraph> {
        let n = plan.services.len();
        if n >= u32::MAX as usize {
            return Err(Error::InvalidInput {
                path: "/services".into(),
                message: format!("too many services ({n})"),
            });
        }
        // Ids packed into one arena with a hash index over it: at 100,000
        // services the arena and the table stay cache-resident, so resolving
        // each dependency costs a hash and a short compare, not cache misses.
        let bytes: usize = plan.services.iter().map(|s| s.id.len()).sum();
        let Some(mut ids) = IdArena::with_capacity(n, bytes) else {
            return Err(Error::InvalidInput {
                path: "/services".into(),
                message: format!("service ids too long ({bytes} bytes in all)"),
            });
        };
        let mut hashes = [0u64; BATCH];
        for (c, chunk) in plan.services.chunks(BATCH).enumerate() {
            for (h, service) in hashes.iter_mut().zip(chunk) {
                *h = ids.hash(&service.id);
            }
            ids.prefetch(hashes.get(..chunk.len()).unwrap_or(&[]));
            for (k, (service, &hash)) in chunk.iter().zip(&hashes).enumerate() {
                let i = c * BATCH + k;
                if service.id.is_empty() {
                    return Err(Error::InvalidInput {
                        path: format!("/services/{i}/id"),
                        message: "service id must not be empty".into(),
                    });
                }
                if let Some(first) = ids.push(&service.id, hash) {
                    return Err(Error::DuplicateId {
                        path: format!("/services/{i}/id"),
                        id: service.id.clone(),
                        first_path: format!("/services/{first}/id"),
                    });
                }
            }
        }
        let edge_count: usize = plan.services.iter().map(|s| s.depends_on.len()).sum();
        // Resolve every name first (batched, see `IdArena::find_all`), then
        // check in plan order so the first error found is the one reported.
        let dep_targets = ids.find_all(
            plan.services
                .iter()
                .flat_map(|s| s.depends_on.iter().map(String::as_str)),
            edge_count,
        );
        let mut dep_offsets = Vec::with_capacity(n + 1);
        dep_offsets.push(0u32);
        // `last_seen[t] == i + 1` when service `i` already depends on `t`.
        let mut last_seen = vec![0u32; n];
        let mut edge = 0usize;
        for (i, service) in plan.services.iter().enumerate() {
            let first_edge = edge;
            let mark = i as u32 + 1;
            for (j, dep) in service.depends_on.iter().enumerate() {
                let path = || format!("/services/{i}/depends_on/{j}");
                let target = dep_targets.get(edge).copied().unwrap_or(u32::MAX);
                edge += 1;
                if target as usize == i {
                    return Err(Error::SelfDependency {
                        path: path(),
                        service: service.id.clone(),
                    });
                }
                let Some(seen) = last_seen.get_mut(target as usize) else {
                    return Err(Error::UnknownDependency {
                        path: path(),
                        service: service.id.clone(),
                        dependency: dep.clone(),
                    });
                };
                if *seen == mark {
                    let earlier = dep_targets.get(first_edge..edge).unwrap_or(&[]);
                    let k = earlier.iter().position(|&t| t == target).unwrap_or(0);
                    return Err(Error::DuplicateId {
                        path: path(),
                        id: dep.clone(),
                        first_path: format!("/services/{i}/depends_on/{k}"),
                    });
                }
                *seen = mark;
            }
            dep_offsets.push(edge as u32);
        }
        drop(last_seen);
        let mut indegree_rev = vec![0u32; n];
        for &t in &dep_targets {
            if let Some(c) = indegree_rev.get_mut(t as usize) {
                *c += 1;
            }
        }

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
            for &d in csr(&dep_offsets, &dep_targets, v) {
                if let Some(slot) = fill.get_mut(d as usize) {
                    if let Some(t) = rev_targets.get_mut(*slot as usize) {
                        *t = v as u32;
                    }
                    *slot += 1;
                }
            }
        }

        let sorted = sorted_by_id(&ids);
        let mut rank = vec![0u32; n];
        for (r, &v) in sorted.iter().enumerate() {
            if let Some(slot) = rank.get_mut(v as usize) {
                *slot = r as u32;
            }
        }

        let mut graph = ServiceGraph {
            ids,
            durations: plan
                .services
                .iter()
                .map(|s| s.deploy_duration.as_secs())
                .collect(),
            customer_facing: plan.services.iter().map(|s| s.customer_facing).collect(),
            dep_offsets,
            dep_targets,
            rev_offsets,
            rev_targets,
            rank,
            by_rank: sorted,
            topo: Vec::new(),
            layer: Vec::new(),
        };
        graph.layer_or_cycle(plan)?;
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
    fn layer_or_cycle(&mut self, plan: &Plan) -> Result<()> {
        let n = self.ids.len();
        let mut remaining: Vec<u32> = (0..n).map(|v| self.deps(v as u32).len() as u32).collect();
        let mut layer = vec![0u32; n];
        // FIFO Kahn: each node is queued once, when its last dependency is placed.
        let mut queue: Vec<u32> = (0..n as u32)
            .filter(|&v| remaining.get(v as usize) == Some(&0))
            .collect();
        queue.reserve(n.saturating_sub(queue.len()));
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let next_layer = layer.get(v as usize).copied().unwrap_or(0) + 1;
            for &w in self.revs(v) {
                let w = w as usize;
                if let Some(l) = layer.get_mut(w) {
                    *l = (*l).max(next_layer);
                }
                if let Some(r) = remaining.get_mut(w) {
                    *r -= 1;
                    if *r == 0 {
                        queue.push(w as u32);
                    }
                }
            }
        }
        if queue.len() < n {
            return Err(self.cycle_error(plan, &remaining));
        }
        // Topological order: by wave, then id (a dependency is always in an
        // earlier wave).
        self.topo = self.buckets(&layer).into_iter().flatten().collect();
        self.layer = layer;
        Ok(())
    }

    /// Builds the `dependency_cycle` error: every node in a non-trivial
    /// strongly connected component, and the shortest cycle through the
    /// smallest such id (neighbours explored in id order), so that the report
    /// does not depend on input order.
    fn cycle_error(&self, plan: &Plan, remaining: &[u32]) -> Error {
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
            return Error::InvalidInput {
                path: "/services".into(),
                message: "dependency graph could not be ordered".into(),
            };
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
                let j = plan
                    .services
                    .get(a as usize)
                    .and_then(|s| s.depends_on.iter().position(|d| d == self.id_of(b)))
                    .unwrap_or(0);
                format!("/services/{a}/depends_on/{j}")
            }
            _ => format!("/services/{start}"),
        };
        Error::DependencyCycle {
            path,
            cycle,
            members: members.iter().map(|&v| self.id_of(v).to_string()).collect(),
        }
    }

    /// Groups node indices by `keys[v]`; each group comes out sorted by id
    /// because nodes are visited in id order.
    fn buckets(&self, keys: &[u32]) -> Vec<Vec<u32>> {
        let count = keys.iter().map(|&k| k as usize + 1).max().unwrap_or(0);
        let mut groups: Vec<Vec<u32>> = vec![Vec::new(); count];
        for &v in &self.by_rank {
            if let Some(g) = keys
                .get(v as usize)
                .and_then(|&k| groups.get_mut(k as usize))
            {
                g.push(v);
            }
        }
        groups
    }

    /// Ids of the services at these positions.
    fn names(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&v| self.ids.get(v).unwrap_or("").to_string())
            .collect()
    }

    /// Waves, rollback waves and critical path; see [`order_services`].
    ///
    /// ```
    /// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#).unwrap();
    /// let order = rollgate::ServiceGraph::new(&plan).unwrap().order();
    /// assert_eq!(order.rollback_waves, [["b"], ["a"]]);
    /// ```
    pub fn order(&self) -> ServiceOrder {
        let order = self.order_indices();
        ServiceOrder {
            waves: order.waves.iter().map(|w| self.names(w)).collect(),
            rollback_waves: order.rollback_waves.iter().map(|w| self.names(w)).collect(),
            critical_path: self.critical_path_of(order.critical_path),
        }
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
        let n = self.ids.len();
        // Rollback layer: 0 for services nothing depends on, else 1 + the
        // largest rollback layer of its dependents (reverse topological pass).
        let mut height = vec![0u32; n];
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
        let widen = |groups: Vec<Vec<u32>>| -> Vec<Vec<usize>> {
            groups
                .into_iter()
                .map(|g| g.into_iter().map(|v| v as usize).collect())
                .collect()
        };
        IndexedOrder {
            waves: widen(self.buckets(&self.layer)),
            rollback_waves: widen(self.buckets(&height)),
            critical_path: self.critical_path_indices(),
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
        self.critical_path_of(self.critical_path_indices())
    }

    fn critical_path_of(&self, cp: IndexedCriticalPath) -> CriticalPath {
        CriticalPath {
            makespan_seconds: cp.makespan_seconds,
            path: self.names(&cp.path),
            services: cp
                .services
                .into_iter()
                .map(|t| ServiceTiming {
                    id: self.ids.get(t.index).unwrap_or("").to_string(),
                    earliest_start: t.earliest_start,
                    earliest_finish: t.earliest_finish,
                    latest_start: t.latest_start,
                    latest_finish: t.latest_finish,
                    slack: t.slack,
                })
                .collect(),
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
        let mut latest_finish = vec![makespan; n];
        for &v in self.topo.iter().rev() {
            let v = v as usize;
            let lf = csr(&self.rev_offsets, &self.rev_targets, v)
                .iter()
                .map(|&w| {
                    let w = w as usize;
                    let lf = latest_finish.get(w).copied().unwrap_or(makespan);
                    lf.saturating_sub(self.durations.get(w).copied().unwrap_or(0))
                })
                .min()
                .unwrap_or(makespan);
            if let Some(slot) = latest_finish.get_mut(v) {
                *slot = lf;
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
            path.push(v as usize);
            current = self
                .deps(v)
                .iter()
                .copied()
                .reduce(|a, b| if better(b, a) { b } else { a });
        }
        path.reverse();

        let services = self
            .by_start_then_id(&start)
            .into_iter()
            .map(|v| {
                let i = v as usize;
                let es = start.get(i).copied().unwrap_or(0);
                let lf = latest_finish.get(i).copied().unwrap_or(makespan);
                let ls = lf.saturating_sub(self.durations.get(i).copied().unwrap_or(0));
                IndexedTiming {
                    index: i,
                    earliest_start: es,
                    earliest_finish: finish.get(i).copied().unwrap_or(0),
                    latest_start: ls,
                    latest_finish: lf,
                    slack: ls.saturating_sub(es),
                }
            })
            .collect();
        IndexedCriticalPath {
            makespan_seconds: makespan,
            path,
            services,
        }
    }

    /// Nodes ordered by `start`, then id. Sorts packed `start << bits | rank`
    /// words when they fit in 64 bits (always, short of durations of
    /// millions of years), so comparisons are single integer compares.
    fn by_start_then_id(&self, start: &[u64]) -> Vec<u32> {
        let n = self.ids.len();
        let bits = usize::BITS - n.leading_zeros();
        let max_start = start.iter().copied().max().unwrap_or(0);
        if bits < 64 && max_start.checked_shr(64 - bits).unwrap_or(0) == 0 {
            let mut keys: Vec<u64> = start
                .iter()
                .zip(&self.rank)
                .map(|(&s, &r)| s << bits | u64::from(r))
                .collect();
            keys.sort_unstable();
            let mask = (1u64 << bits) - 1;
            keys.into_iter()
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
                            return Err(Error::UnknownService {
                                path: format!("services/{i}"),
                                service: id.clone(),
                            })
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
            return Err(Error::InvalidInput {
                path: "max_parallel".into(),
                message: "max_parallel must be at least 1, got 0".into(),
            });
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
const BATCH: usize = 16;

impl IdArena {
    /// An arena for `n` ids of `bytes` bytes in all, or `None` if they do not
    /// fit 32-bit offsets.
    fn with_capacity(n: usize, bytes: usize) -> Option<Self> {
        let record_bytes = bytes.checked_add(n.checked_mul(RECORD_HEADER)?)?;
        if record_bytes >= u32::MAX as usize {
            return None;
        }
        let slots = n.checked_mul(2)?.max(16).checked_next_power_of_two()?;
        Some(IdArena {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
            slots: vec![0; slots],
            records: Vec::with_capacity(record_bytes),
            hasher: hashbrown::DefaultHashBuilder::default(),
        })
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
        if self.records.get(start..start + len)? != id {
            return None;
        }
        Some(u32::from_le_bytes(index.try_into().ok()?))
    }

    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
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

    /// Appends an id (whose [`IdArena::hash`] is `hash`); returns the index
    /// already holding it instead, if any.
    fn push(&mut self, id: &str, hash: u64) -> Option<u32> {
        let (pos, tag, found) = self.probe(id, hash);
        if found.is_some() {
            return found;
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
        None
    }

    fn find(&self, id: &str) -> Option<u32> {
        self.probe(id, self.hash(id)).2
    }

    /// The index of every id, in order (`u32::MAX` where unknown), looked
    /// up [`BATCH`] at a time.
    fn find_all<'a>(&self, ids: impl Iterator<Item = &'a str>, capacity: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(capacity);
        let mut batch: Vec<(&str, u64)> = Vec::with_capacity(BATCH);
        let mut hashes = [0u64; BATCH];
        let mut ids = ids.peekable();
        while ids.peek().is_some() {
            batch.clear();
            batch.extend(ids.by_ref().take(BATCH).map(|id| (id, self.hash(id))));
            for (h, &(_, hash)) in hashes.iter_mut().zip(&batch) {
                *h = hash;
            }
            self.prefetch(hashes.get(..batch.len()).unwrap_or(&[]));
            out.extend(
                batch
                    .iter()
                    .map(|&(id, hash)| self.probe(id, hash).2.unwrap_or(u32::MAX)),
            );
        }
        out
    }
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
