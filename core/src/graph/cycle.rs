//! The `dependency_cycle` report: when Kahn's algorithm cannot place every
//! service, which services are on a cycle and one cycle to show, chosen so
//! that the report does not depend on the order of the input lists.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};

use super::ServiceGraph;
use crate::error::{Error, PlanError};

impl ServiceGraph {
    /// Builds the `dependency_cycle` error from the dependencies each node
    /// still had when Kahn's algorithm stopped (`remaining`): every node in
    /// a non-trivial strongly connected component (`members`, by id), and
    /// the shortest cycle through the smallest such id (neighbours explored
    /// in id order). The path is that of the cycle's first dependency.
    pub(super) fn cycle_error(&self, remaining: &[u32]) -> Error {
        let (members, component_of) = self.cyclic_components(remaining);
        let Some(&start) = members.first() else {
            return Error::invalid_input("/services", "dependency graph could not be ordered");
        };
        let cycle = self.shortest_cycle(start, &component_of);
        let path = match (cycle.first(), cycle.get(1)) {
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
                cycle: self.names(&cycle),
                members: self.names(&members),
            },
        )
    }

    /// The nodes in strongly connected components of more than one node,
    /// sorted by id, and the component of each. Only nodes Kahn could not
    /// free (`remaining[v] > 0`) can be on a cycle, so only they are searched.
    fn cyclic_components(&self, remaining: &[u32]) -> (Vec<u32>, HashMap<u32, usize>) {
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
        (members, component_of)
    }

    /// The shortest cycle from `start` back to `start` along dependency
    /// edges inside its component: breadth-first, neighbours in id order,
    /// so the first shortest cycle in that order. Nodes from `start` to
    /// `start` again (`[start]` alone if there were none, which cannot
    /// happen for a member of a component).
    fn shortest_cycle(&self, start: u32, component_of: &HashMap<u32, usize>) -> Vec<u32> {
        let comp = component_of.get(&start).copied();
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
                if let Entry::Vacant(e) = parent.entry(d) {
                    e.insert(v);
                    queue.push_back(d);
                }
            }
        }
        let Some(mut v) = closing else {
            return vec![start];
        };
        let mut cycle = vec![v];
        while v != start {
            match parent.get(&v) {
                Some(&p) => {
                    v = p;
                    cycle.push(v);
                }
                None => break,
            }
        }
        cycle.reverse();
        cycle.push(start);
        cycle
    }
}
