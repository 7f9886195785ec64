//! The naive model the outcomes are checked against.

use std::collections::HashMap;

use rollgate::Plan;

/// The naive model of a readable plan: ids, dependency names and
/// durations, by position.
pub struct Model {
    pub ids: Vec<String>,
    pub deps: Vec<Vec<String>>,
    durations: Vec<u64>,
}

impl Model {
    pub fn new(plan: &Plan) -> Model {
        Model {
            ids: plan.services.iter().map(|s| s.id.clone()).collect(),
            deps: plan.services.iter().map(|s| s.depends_on.clone()).collect(),
            durations: plan
                .services
                .iter()
                .map(|s| s.deploy_duration.as_secs())
                .collect(),
        }
    }

    /// The first error in plan order other than a cycle, as (code, path):
    /// ids first, then every dependency of every service.
    pub fn first_error(&self) -> Option<(&'static str, String)> {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in self.ids.iter().enumerate() {
            if id.is_empty() {
                return Some(("invalid_input", format!("/services/{i}/id")));
            }
            if first.insert(id, i).is_some() {
                return Some(("duplicate_id", format!("/services/{i}/id")));
            }
        }
        for (i, deps) in self.deps.iter().enumerate() {
            for (j, d) in deps.iter().enumerate() {
                let path = format!("/services/{i}/depends_on/{j}");
                if *d == self.ids[i] {
                    return Some(("self_dependency", path));
                }
                if !first.contains_key(d.as_str()) {
                    return Some(("unknown_dependency", path));
                }
                if deps[..j].contains(d) {
                    return Some(("duplicate_id", path));
                }
            }
        }
        None
    }

    pub fn position(&self, id: &str) -> usize {
        self.ids.iter().position(|x| x == id).unwrap()
    }

    /// Whether `to` is reachable from `from` along one or more dependencies.
    pub fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = vec![false; self.ids.len()];
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            for d in &self.deps[v] {
                let w = self.position(d);
                if w == to {
                    return true;
                }
                if !seen[w] {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
        false
    }

    /// Ids of every service on some cycle, sorted.
    pub fn cycle_members(&self) -> Vec<String> {
        let mut members: Vec<String> = (0..self.ids.len())
            .filter(|&v| self.reaches(v, v))
            .map(|v| self.ids[v].clone())
            .collect();
        members.sort();
        members
    }

    /// Wave of each service: 0 without dependencies, else one after the
    /// latest of them; and its earliest finish with unlimited parallelism
    /// (only for plans without cycles: relaxed until nothing changes).
    pub fn waves_and_finishes(&self) -> (Vec<usize>, Vec<u64>) {
        let n = self.ids.len();
        let (mut wave, mut finish) = (vec![0usize; n], self.durations.clone());
        for _ in 0..n {
            for v in 0..n {
                let deps = self.deps[v].iter().map(|d| self.position(d));
                wave[v] = deps.clone().map(|d| wave[d] + 1).max().unwrap_or(0);
                finish[v] = deps.map(|d| finish[d]).max().unwrap_or(0) + self.durations[v];
            }
        }
        (wave, finish)
    }
}
