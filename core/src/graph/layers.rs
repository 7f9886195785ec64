//! Deployment waves and rollback waves: Kahn's algorithm layers the graph
//! (a service in the first wave after all of its dependencies) or finds that
//! a cycle stops it; rollback waves are the same on the reversed graph.
//! [`ServiceGraph::order`] puts them together with the critical path.

use super::types::{IndexedOrder, ServiceOrder};
use super::ServiceGraph;
use crate::error::Result;
use crate::parallel::join;
use crate::plan::Plan;

impl ServiceGraph {
    /// Kahn's algorithm over the dependents adjacency (FIFO: each node is
    /// queued once, when its last dependency is placed): computes the layers
    /// and a topological order (by layer, then id), or reports a cycle when
    /// some nodes are never freed.
    pub(super) fn layer_or_cycle(&mut self) -> Result<()> {
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
    pub(super) fn names(&self, nodes: &[u32]) -> Vec<String> {
        nodes.iter().map(|&v| self.id_of(v).to_string()).collect()
    }

    /// The deployment waves and the rollback waves, each wave's nodes (in id
    /// order) turned into a `T` by `wave`.
    fn waves_with<T>(&self, wave: impl Fn(&[u32]) -> T) -> (Vec<T>, Vec<T>) {
        let waves = Self::groups(&self.topo, &self.wave_offsets)
            .map(&wave)
            .collect();
        let (rollback, rollback_offsets) = self.grouped(&self.heights());
        let rollback_waves = Self::groups(&rollback, &rollback_offsets)
            .map(&wave)
            .collect();
        (waves, rollback_waves)
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
            || self.waves_with(|g| self.names(g)),
        );
        ServiceOrder {
            waves,
            rollback_waves,
            critical_path: self.critical_path_named(raw),
            findings: self.timing_findings(),
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
        let widen = |g: &[u32]| -> Vec<usize> { g.iter().map(|&v| v as usize).collect() };
        let (critical_path, (waves, rollback_waves)) = join(
            self.threaded(),
            || self.critical_path_indices(),
            || self.waves_with(widen),
        );
        IndexedOrder {
            waves,
            rollback_waves,
            critical_path,
        }
    }
}

/// Deployment waves, rollback waves and critical path of a plan.
///
/// A service sits in the first wave after all of its dependencies; rollback
/// waves put dependents before what they depend on. Ids are sorted within
/// each wave, and the result is the same whatever the order of the input
/// lists. A service without a `deploy_duration` counts as taking no time,
/// and the result says so (finding `zero_deploy_duration`). Runs in
/// O(n log n + e).
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
/// assert!(order.findings.is_empty());
///
/// let untimed = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a"}, {"id": "b", "deploy_duration": "1m"}]}"#).unwrap();
/// let finding = &rollgate::order_services(&untimed).unwrap().findings[0];
/// assert_eq!((finding.code.as_str(), &finding.subjects[..]), ("zero_deploy_duration", &["a".to_string()][..]));
/// ```
pub fn order_services(plan: &Plan) -> Result<ServiceOrder> {
    Ok(ServiceGraph::new(plan)?.order())
}
