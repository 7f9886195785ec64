//! Blast radius: for a service, every service that transitively depends on
//! it (what its failure can reach) and how many of those face customers.

use super::types::{BlastRadius, ServiceBlast};
use super::ServiceGraph;
use crate::error::{Error, PlanError, Result};
use crate::plan::Plan;

impl ServiceGraph {
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
        let requested = self.requested(services)?;
        // `seen[v]` is the number of the traversal that last reached `v`:
        // no clearing between traversals.
        let mut seen = vec![u32::MAX; self.ids.len()];
        let mut queue: Vec<u32> = Vec::new();
        let services = requested
            .iter()
            .enumerate()
            .map(|(round, &source)| {
                let found = self.dependents_of(source, round as u32, &mut seen, &mut queue);
                self.blast_of(source, found)
            })
            .collect();
        Ok(BlastRadius { services })
    }

    /// The requested services (all when `None`) by id, each once; an
    /// unknown id is `unknown_service` with the path `services/<index>`.
    fn requested(&self, services: Option<&[String]>) -> Result<Vec<u32>> {
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
        Ok(requested)
    }

    /// Every node that transitively depends on `source`, by id: a
    /// breadth-first traversal of the dependents, marking what it reaches
    /// with `mark` in `seen`.
    fn dependents_of(
        &self,
        source: u32,
        mark: u32,
        seen: &mut [u32],
        queue: &mut Vec<u32>,
    ) -> Vec<u32> {
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
        found
    }

    /// The blast radius entry of `source`, whose dependents are `found`.
    fn blast_of(&self, source: u32, found: Vec<u32>) -> ServiceBlast {
        let facing = |v: u32| {
            self.customer_facing
                .get(v as usize)
                .copied()
                .unwrap_or(false)
        };
        ServiceBlast {
            id: self.id_of(source).to_string(),
            dependent_count: found.len(),
            customer_facing_dependents: found.iter().filter(|&&v| facing(v)).count(),
            customer_facing: facing(source),
            dependents: self.names(&found),
        }
    }
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
