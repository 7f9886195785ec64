//! The [`ServiceGraph`] itself: what it stores (ids, durations, the
//! adjacency in both directions, the id order, the waves) and the
//! accessors every analysis reads it through.

use super::id_index::IdIndex;

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
    pub(super) ids: IdIndex,
    /// Deploy duration of each node, in seconds.
    pub(super) durations: Vec<u64>,
    /// Whether each node is customer facing.
    pub(super) customer_facing: Vec<bool>,
    /// CSR: dependencies of node `v` are `dep_targets[dep_offsets[v]..dep_offsets[v + 1]]`.
    pub(super) dep_offsets: Vec<u32>,
    pub(super) dep_targets: Vec<u32>,
    /// CSR: dependents of node `v` (services that depend on it).
    pub(super) rev_offsets: Vec<u32>,
    pub(super) rev_targets: Vec<u32>,
    /// Position of each node when ids are sorted (`rank[v] < rank[w]` iff `id(v) < id(w)`).
    pub(super) rank: Vec<u32>,
    /// Node indices sorted by id (the inverse of `rank`).
    pub(super) by_rank: Vec<u32>,
    /// Nodes in a topological order: by wave, then id.
    pub(super) topo: Vec<u32>,
    /// Where each wave starts in `topo`, then the end.
    pub(super) wave_offsets: Vec<u32>,
    /// Deployment wave of each node: 0 with no dependencies, else 1 + the
    /// largest wave of its dependencies.
    pub(super) layer: Vec<u32>,
    /// Graphs of at least this many services analyse on two threads (see
    /// [`join`](crate::parallel::join)); [`PARALLEL_MIN_SERVICES`] but for
    /// tests.
    pub(super) parallel_min: usize,
}

/// Plans of at least this many services are built and analysed on two
/// threads: below it, starting a thread costs more than it saves.
pub(super) const PARALLEL_MIN_SERVICES: usize = 32_768;

impl ServiceGraph {
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

    /// Id of node `v` (empty out of range).
    pub(super) fn id_of(&self, v: u32) -> &str {
        self.ids.get(v as usize).unwrap_or("")
    }

    /// Position of node `v` in id order (`u32::MAX` out of range).
    pub(super) fn rank_of(&self, v: u32) -> u32 {
        self.rank.get(v as usize).copied().unwrap_or(u32::MAX)
    }

    /// Dependencies of node `v`.
    pub(super) fn deps(&self, v: u32) -> &[u32] {
        csr(&self.dep_offsets, &self.dep_targets, v as usize)
    }

    /// Dependents of node `v`.
    pub(super) fn revs(&self, v: u32) -> &[u32] {
        csr(&self.rev_offsets, &self.rev_targets, v as usize)
    }

    /// Whether analyses run on two threads (see
    /// [`join`](crate::parallel::join)).
    pub(super) fn threaded(&self) -> bool {
        self.ids.len() >= self.parallel_min
    }
}

/// Row `v` of a compressed adjacency: `targets[offsets[v]..offsets[v + 1]]`
/// (empty out of range).
pub(super) fn csr<'a>(offsets: &[u32], targets: &'a [u32], v: usize) -> &'a [u32] {
    match (offsets.get(v), offsets.get(v + 1)) {
        (Some(&a), Some(&b)) => targets.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}
