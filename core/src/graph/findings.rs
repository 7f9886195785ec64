//! Findings about a plan's services that do not stop an analysis but change
//! what its timings mean: today, services without a `deploy_duration`.

use super::ServiceGraph;
use crate::explain::Reason;

/// The `zero_deploy_duration` finding: the services whose `deploy_duration`
/// is missing or 0 (sorted by id), which every timing counts as taking no
/// time; `None` when every service has a duration. `context` ends the
/// message, e.g. `"in this schedule"`.
pub(crate) fn zero_deploy_duration(graph: &ServiceGraph, context: &str) -> Option<Reason> {
    let mut instant: Vec<&str> = (0..graph.len())
        .filter(|&v| graph.duration(v) == Some(0))
        .filter_map(|v| graph.id(v))
        .collect();
    if instant.is_empty() {
        return None;
    }
    instant.sort_unstable();
    let (verb, whose) = if instant.len() == 1 {
        ("has", "its")
    } else {
        ("have", "their")
    };
    let message = format!(
        "{} {verb} no deploy_duration (or 0): {whose} {context}",
        instant.join(", ")
    );
    Some(Reason::new("zero_deploy_duration", message).with_subjects(instant))
}

impl ServiceGraph {
    /// Findings of the timing analyses ([`order_services`](super::order_services),
    /// [`schedule_services`](super::schedule_services)).
    pub(super) fn timing_findings(&self) -> Vec<Reason> {
        zero_deploy_duration(self, "deployments take no time in these timings")
            .into_iter()
            .collect()
    }
}
