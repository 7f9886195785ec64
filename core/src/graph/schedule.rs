//! Bounded-parallel schedules: list scheduling with at most `max_parallel`
//! deployments at once, highest priority first (the longest remaining path,
//! then the smallest id).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::types::{ParallelSchedule, ScheduledService};
use super::ServiceGraph;
use crate::error::{Error, Result};
use crate::plan::Plan;

/// A ready service in the priority queue: the longest remaining path
/// (largest first), the id rank, the node.
type Ready = Reverse<(Reverse<u64>, u32, u32)>;

/// A running deployment: its finish, the id rank, the node (earliest first).
type Running = Reverse<(u64, u32, u32)>;

impl ServiceGraph {
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
        let slots = self.list_schedule(max_parallel, &self.tails());
        let mut order: Vec<u32> = (0..self.ids.len() as u32).collect();
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
            findings: self.timing_findings(),
        })
    }

    /// Deploy duration of node `v`.
    fn dur(&self, v: u32) -> u64 {
        self.durations.get(v as usize).copied().unwrap_or(0)
    }

    /// The priority of each node: its own duration plus the longest chain
    /// of dependents after it (reverse topological pass).
    fn tails(&self) -> Vec<u64> {
        let mut tail = vec![0u64; self.ids.len()];
        for &v in self.topo.iter().rev() {
            let t = self
                .revs(v)
                .iter()
                .map(|&w| tail.get(w as usize).copied().unwrap_or(0))
                .max()
                .unwrap_or(0);
            if let Some(slot) = tail.get_mut(v as usize) {
                *slot = t.saturating_add(self.dur(v));
            }
        }
        tail
    }

    /// The start and finish of every node: whenever fewer than
    /// `max_parallel` deployments run, start the ready node of highest
    /// priority (`tail`, then id); then advance to the next finish, which
    /// may make dependents ready.
    fn list_schedule(&self, max_parallel: usize, tail: &[u64]) -> Vec<(u64, u64)> {
        let n = self.ids.len();
        let key = |v: u32| -> Ready {
            Reverse((
                Reverse(tail.get(v as usize).copied().unwrap_or(0)),
                self.rank_of(v),
                v,
            ))
        };
        let mut remaining: Vec<u32> = (0..n).map(|v| self.deps(v as u32).len() as u32).collect();
        let mut ready: BinaryHeap<Ready> = (0..n as u32)
            .filter(|&v| remaining.get(v as usize) == Some(&0))
            .map(key)
            .collect();
        let mut running: BinaryHeap<Running> = BinaryHeap::new();
        let mut slots = vec![(0u64, 0u64); n];
        let mut now = 0u64;
        let mut done = 0usize;
        while done < n {
            while running.len() < max_parallel {
                let Some(Reverse((_, _, v))) = ready.pop() else {
                    break;
                };
                let finish = now.saturating_add(self.dur(v));
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
                            ready.push(key(w));
                        }
                    }
                }
            }
        }
        slots
    }
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
