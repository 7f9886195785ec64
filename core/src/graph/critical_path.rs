//! Critical-path analysis with unlimited parallelism: every service's
//! earliest and latest start and finish, its slack, the makespan, and the
//! chain of services whose durations add up to it.

use super::service_graph::csr;
use super::types::{CriticalPath, IndexedCriticalPath, IndexedTiming, ServiceTiming};
use super::ServiceGraph;
use crate::parallel::join;

impl ServiceGraph {
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
    pub(super) fn critical_path_named(&self, raw: RawCriticalPath) -> CriticalPath {
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

    /// Every service's timings, the makespan, the path, and the services
    /// by earliest start then id.
    pub(super) fn critical_path_raw(&self) -> RawCriticalPath {
        let (start, finish) = self.earliest();
        let makespan = finish.iter().copied().max().unwrap_or(0);
        let (latest_start, latest_finish) = self.latest(makespan);
        let path = self.path_by_finish(&finish);
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

    /// Earliest start and finish of every node (forward pass in
    /// topological order): a node starts when its last dependency finishes.
    fn earliest(&self) -> (Vec<u64>, Vec<u64>) {
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
        (start, finish)
    }

    /// Latest start and finish of every node that do not delay the
    /// makespan (backward pass): a node must finish by the smallest latest
    /// start of its dependents. Latest starts are kept too, so each edge
    /// reads one value.
    fn latest(&self, makespan: u64) -> (Vec<u64>, Vec<u64>) {
        let n = self.ids.len();
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
        (latest_start, latest_finish)
    }

    /// The critical path, first to last. It ends at the service, among those
    /// nothing depends on, that finishes last (smallest id on ties): the
    /// makespan is always reached at such a service, and ending there keeps
    /// zero-duration chains whole. It walks back through the dependency that
    /// finished last (smallest id on ties).
    fn path_by_finish(&self, finish: &[u64]) -> Vec<u32> {
        let better = |a: u32, b: u32| -> bool {
            let fa = finish.get(a as usize).copied().unwrap_or(0);
            let fb = finish.get(b as usize).copied().unwrap_or(0);
            fa > fb || (fa == fb && self.rank_of(a) < self.rank_of(b))
        };
        let mut path = Vec::new();
        let mut current = (0..self.ids.len() as u32)
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
        path
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
}

/// Timings of every node, and the path; see [`ServiceGraph::critical_path`].
pub(super) struct RawCriticalPath {
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
