//! Factors from outside the change: its exposure in the plan (blast radius,
//! statefulness, customer-facing share) and the outcome history of the
//! services it touches and of its author.

use std::collections::{BTreeMap, BTreeSet};

use super::factors::{count, Measure, Measured, Phrase};
use super::model::BetaPrior;
use super::solve::logit;
use crate::change::{Change, ChangeOutcome};
use crate::error::{Error, PlanError, Result};
use crate::graph::ServiceGraph;
use crate::plan::Plan;

/// Blast-radius and statefulness measures of the touched services.
pub(super) struct PlanMeasures {
    stateful: Vec<String>,
    dependents: usize,
    customer_facing: usize,
    exposed: usize,
    total: usize,
}

impl PlanMeasures {
    /// Measures the change's services in a plan whose graph is built; every
    /// service must be in the plan (`unknown_service`, path `/services/i`).
    pub fn new(change: &Change, plan: &Plan, graph: &ServiceGraph) -> Result<Self> {
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for (i, id) in change.services.iter().enumerate() {
            if graph.index_of(id).is_none() {
                return Err(Error::new(
                    format!("/services/{i}"),
                    PlanError::UnknownService {
                        service: id.clone(),
                    },
                ));
            }
            touched.insert(id);
        }
        let list: Vec<String> = touched.iter().map(|s| s.to_string()).collect();
        let radius = graph.blast_radius(Some(&list))?;
        let mut affected: BTreeSet<&str> = touched.clone();
        let mut dependents: BTreeSet<&str> = BTreeSet::new();
        for d in radius.services.iter().flat_map(|b| &b.dependents) {
            if !touched.contains(d.as_str()) {
                dependents.insert(d);
            }
            affected.insert(d);
        }
        let service = |id: &str| graph.index_of(id).and_then(|i| plan.services.get(i));
        let customer_facing = affected
            .iter()
            .filter(|id| service(id).is_some_and(|s| s.customer_facing))
            .count();
        let stateful = touched
            .iter()
            .filter(|id| service(id).is_some_and(|s| s.stateful))
            .map(|s| s.to_string())
            .collect();
        Ok(PlanMeasures {
            stateful,
            dependents: dependents.len(),
            customer_facing,
            exposed: affected.len(),
            total: plan.services.len(),
        })
    }

    fn share(&self, k: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            k as f64 / self.total as f64
        }
    }
}

/// Measures a plan factor.
pub(super) fn plan_factor(code: &str, m: &PlanMeasures) -> Option<Measured> {
    let measured = match code {
        "stateful_services" => {
            if m.stateful.is_empty() {
                Measured::new(0.0, 0.0, Phrase::Text("touches no stateful service".into()))
            } else {
                let text = format!("touches stateful services ({})", m.stateful.join(", "));
                Measured::new(1.0, 1.0, Phrase::Text(text)).about(m.stateful.clone())
            }
        }
        "transitive_dependents" => {
            count(m.dependents as f64, "services depend on the touched ones")
        }
        "customer_facing_share" => {
            let s = m.share(m.customer_facing);
            let text = format!(
                "{} of {} services affected are customer facing",
                m.customer_facing, m.total
            );
            Measured::new(s, s, Phrase::Text(text))
        }
        "traffic_exposed" => {
            let s = m.share(m.exposed);
            let text = format!(
                "{:.0}% of the plan's services affected (touched or dependent)",
                s * 100.0
            );
            Measured::new(s, s, Phrase::Text(text))
        }
        _ => return None,
    };
    Some(measured)
}

/// Posterior mean of a service's change-failure rate under a Beta prior.
///
/// ```
/// let prior = rollgate::risk::BetaPrior { alpha: 1.0, beta: 9.0 };
/// // 1 failure in 2 changes: far from 50 %.
/// assert!((rollgate::risk::posterior_failure_rate(prior, 1, 2) - 2.0 / 12.0).abs() < 1e-12);
/// ```
pub fn posterior_failure_rate(prior: BetaPrior, failures: usize, changes: usize) -> f64 {
    (prior.alpha + failures as f64) / (prior.alpha + prior.beta + changes as f64)
}

/// Measures a history factor; records with the change's own id are ignored.
pub(super) fn history_factor(
    code: &str,
    change: &Change,
    history: &[ChangeOutcome],
    prior: BetaPrior,
) -> Measure {
    let services: BTreeSet<&str> = change.services.iter().map(String::as_str).collect();
    let earlier = || history.iter().filter(|r| r.change.id != change.id);
    match code {
        "service_failure_history" => Ok(worst_service(&services, earlier(), prior)),
        "author_service_experience" => {
            let k = earlier()
                .filter(|r| {
                    !r.failed
                        && r.change.author == change.author
                        && r.change
                            .services
                            .iter()
                            .any(|s| services.contains(s.as_str()))
                })
                .count();
            let text = format!(
                "{k} successful earlier change(s) by `{}` to these services",
                change.author
            );
            let value = k as f64;
            Ok(Some(
                Measured::new(value, value.ln_1p(), Phrase::Text(text))
                    .about(vec![change.author.clone()]),
            ))
        }
        _ => Ok(None),
    }
}

/// The touched service whose failure-rate posterior lies furthest above the
/// prior, on the log-odds scale (ties: the smallest id). `None` when the
/// change touches no service.
fn worst_service<'h>(
    services: &BTreeSet<&str>,
    earlier: impl Iterator<Item = &'h ChangeOutcome>,
    prior: BetaPrior,
) -> Option<Measured> {
    let mut tally: BTreeMap<&str, (usize, usize)> = services.iter().map(|s| (*s, (0, 0))).collect();
    for r in earlier {
        let touched: BTreeSet<&str> = r.change.services.iter().map(String::as_str).collect();
        for s in touched {
            if let Some(t) = tally.get_mut(s) {
                t.0 += 1;
                t.1 += usize::from(r.failed);
            }
        }
    }
    let prior_mean = prior.alpha / (prior.alpha + prior.beta);
    let mut best: Option<(f64, &str, usize, usize, f64)> = None;
    for (s, (n, f)) in tally {
        let post = posterior_failure_rate(prior, f, n);
        let v = logit(post) - logit(prior_mean);
        if best.is_none_or(|b| v > b.0) {
            best = Some((v, s, n, f, post));
        }
    }
    best.map(|(v, s, n, f, post)| {
        let text = format!(
            "`{s}` had {f} failure(s) in {n} change(s): posterior failure rate {:.1}% vs prior {:.1}%",
            post * 100.0,
            prior_mean * 100.0
        );
        Measured::new(post, v, Phrase::Text(text)).about(vec![s.to_string()])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: &str, author: &str, services: &[&str], failed: bool) -> ChangeOutcome {
        let change = crate::wire::from_value(serde_json::json!({
            "id": id, "author": author, "services": services}))
        .unwrap();
        ChangeOutcome { change, failed }
    }

    const PRIOR: BetaPrior = BetaPrior {
        alpha: 1.0,
        beta: 9.0,
    };

    #[test]
    fn the_worst_touched_service_counts_and_ties_go_to_the_smallest_id() {
        let target = outcome("new", "ana", &["b", "a"], false).change;
        let history = [
            outcome("h1", "bo", &["a"], true),
            outcome("h2", "bo", &["b", "b"], true),
            outcome("new", "bo", &["a"], true),
            outcome("h3", "bo", &["c"], true),
        ];
        let m = history_factor("service_failure_history", &target, &history, PRIOR)
            .unwrap()
            .unwrap();
        assert_eq!(m.subjects, ["a"]);
        assert_eq!(m.value, 2.0 / 11.0);
        assert_eq!(m.feature, logit(2.0 / 11.0) - logit(0.1));
        let more = [
            history[0].clone(),
            history[1].clone(),
            outcome("h4", "bo", &["b"], true),
        ];
        let m = history_factor("service_failure_history", &target, &more, PRIOR)
            .unwrap()
            .unwrap();
        assert_eq!((m.subjects[0].as_str(), m.value), ("b", 3.0 / 12.0));
        assert!(m
            .what
            .render()
            .starts_with("`b` had 2 failure(s) in 2 change(s)"));
        let none = outcome("new", "ana", &[], false).change;
        assert!(
            history_factor("service_failure_history", &none, &history, PRIOR)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn only_the_authors_successes_on_these_services_count_as_experience() {
        let target = outcome("new", "ana", &["a"], false).change;
        let history = [
            outcome("h1", "ana", &["a"], false),
            outcome("h2", "ana", &["a", "z"], false),
            outcome("h3", "ana", &["a"], true),
            outcome("h4", "bo", &["a"], false),
            outcome("h5", "ana", &["z"], false),
            outcome("new", "ana", &["a"], false),
        ];
        let m = history_factor("author_service_experience", &target, &history, PRIOR)
            .unwrap()
            .unwrap();
        assert_eq!((m.value, m.feature), (2.0, 2f64.ln_1p()));
        assert_eq!(m.subjects, ["ana"]);
        assert!(history_factor("lines_added", &target, &history, PRIOR)
            .unwrap()
            .is_none());
    }

    #[test]
    fn plan_measures_count_dependents_and_shares() {
        let plan = Plan::from_json(
            r#"{"name": "p", "services": [
            {"id": "db", "stateful": true}, {"id": "api", "depends_on": ["db"]},
            {"id": "web", "depends_on": ["api"], "customer_facing": true}, {"id": "batch"}]}"#,
        )
        .unwrap();
        let graph = ServiceGraph::new(&plan).unwrap();
        let change = outcome("c", "a", &["db", "db"], false).change;
        let m = PlanMeasures::new(&change, &plan, &graph).unwrap();
        assert_eq!(
            (m.dependents, m.customer_facing, m.exposed, m.total),
            (2, 1, 3, 4)
        );
        let stateful = plan_factor("stateful_services", &m).unwrap();
        assert_eq!(
            (stateful.feature, stateful.subjects.clone()),
            (1.0, vec!["db".to_string()])
        );
        assert_eq!(plan_factor("traffic_exposed", &m).unwrap().value, 0.75);
        assert_eq!(
            plan_factor("customer_facing_share", &m).unwrap().value,
            0.25
        );
        assert_eq!(
            plan_factor("transitive_dependents", &m).unwrap().feature,
            2f64.ln_1p()
        );
        assert!(plan_factor("peak", &m).is_none());
        let web = outcome("c", "a", &["web"], false).change;
        let m = PlanMeasures::new(&web, &plan, &graph).unwrap();
        assert_eq!(plan_factor("stateful_services", &m).unwrap().feature, 0.0);
        let ghost = outcome("c", "a", &["web", "ghost"], false).change;
        let err = PlanMeasures::new(&ghost, &plan, &graph).err().unwrap();
        assert_eq!((err.code(), err.path()), ("unknown_service", "/services/1"));
        let empty = Plan::from_json(r#"{"name": "p", "services": []}"#).unwrap();
        let none = outcome("c", "a", &[], false).change;
        let m = PlanMeasures::new(&none, &empty, &ServiceGraph::new(&empty).unwrap()).unwrap();
        assert_eq!(m.share(0), 0.0);
    }
}
