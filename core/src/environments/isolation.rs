//! What an isolated test environment must bring along, from the dependency
//! graph.
//!
//! Starting from the services under test, every transitive dependency (the
//! [`ServiceGraph`]'s edges) is either brought along (deployed into the
//! isolated environment; a stateful one with its own seeded copy of the
//! data), used in place (a `shared` dependency a test only reads, or one
//! without state), or stubbed (a `shared` stateful dependency a test would
//! write to; the [`blast_radius`](ServiceGraph::blast_radius) of the graph
//! names who else would see those writes). The walk does not continue past
//! a shared dependency: what it needs lives where it lives.
//!
//! A service is shared when it carries the `shared_tag` (default `shared`)
//! or is listed in `shared`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, PlanError, Result};
use crate::explain::Reason;
use crate::graph::ServiceGraph;
use crate::plan::{Plan, Service};

/// How to treat shared dependencies.
///
/// ```
/// let options: rollgate::IsolationOptions = rollgate::wire::from_json(r#"{"read_only": ["catalog-db"]}"#).unwrap();
/// assert_eq!(options.shared_tag, "shared");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IsolationOptions {
    /// The tag that marks a shared service (default `shared`).
    #[serde(default = "shared_tag")]
    pub shared_tag: String,
    /// More services to treat as shared.
    #[serde(default)]
    pub shared: Vec<String>,
    /// Shared stateful services the tests only read: used in place.
    #[serde(default)]
    pub read_only: Vec<String>,
}

fn shared_tag() -> String {
    "shared".into()
}

impl Default for IsolationOptions {
    fn default() -> Self {
        IsolationOptions {
            shared_tag: shared_tag(),
            shared: Vec::new(),
            read_only: Vec::new(),
        }
    }
}

/// A dependency of the services under test and what to do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IsolatedDependency {
    /// The dependency.
    pub id: String,
    /// The services under test that need it, sorted.
    pub required_by: Vec<String>,
    /// Why it is brought, used in place or stubbed.
    pub reason: Reason,
}

/// What an isolated environment for some services needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IsolationPlan {
    /// The services under test, sorted.
    pub services: Vec<String>,
    /// Dependencies to deploy alongside them (`bring_dependency`,
    /// `bring_stateful`), by id.
    pub bring: Vec<IsolatedDependency>,
    /// Shared dependencies to use where they run (`shared_in_place`,
    /// `shared_read_only`), by id.
    pub use_shared: Vec<IsolatedDependency>,
    /// Shared stateful dependencies to stub (`stub_shared_stateful`), by id.
    pub stub: Vec<IsolatedDependency>,
    /// Deployment waves of the services under test and those brought along.
    pub deploy_order: Vec<Vec<String>>,
}

/// Plans an isolated environment for `services` of `plan` (see the
/// [module docs](self)).
///
/// Errors: the plan's own (`duplicate_id`, `unknown_dependency`,
/// `dependency_cycle`, ...); an id not in the plan (`unknown_service` at
/// `services/<i>`, `options/shared/<i>` or `options/read_only/<i>`).
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "shop", "services": [
///   {"id": "orders-db", "stateful": true},
///   {"id": "events", "stateful": true, "tags": ["shared"]},
///   {"id": "fx-api", "tags": ["shared"]},
///   {"id": "orders", "depends_on": ["orders-db", "events", "fx-api"]}
/// ]}"#).unwrap();
/// let iso = rollgate::isolation_plan(&plan, &["orders".into()], &Default::default()).unwrap();
/// assert_eq!(iso.bring[0].id, "orders-db");
/// assert_eq!(iso.use_shared[0].id, "fx-api");
/// assert_eq!(iso.stub[0].id, "events");
/// assert_eq!(iso.deploy_order, [["orders-db"], ["orders"]]);
/// ```
pub fn isolation_plan(
    plan: &Plan,
    services: &[String],
    options: &IsolationOptions,
) -> Result<IsolationPlan> {
    let graph = ServiceGraph::new(plan)?;
    let targets: BTreeSet<usize> = lookup(&graph, services, "services")?.into_iter().collect();
    let mut shared: BTreeSet<usize> = lookup(&graph, &options.shared, "options/shared")?
        .into_iter()
        .collect();
    let read_only: BTreeSet<usize> = lookup(&graph, &options.read_only, "options/read_only")?
        .into_iter()
        .collect();
    for (i, s) in plan.services.iter().enumerate() {
        if s.tags.contains(&options.shared_tag) {
            shared.insert(i);
        }
    }
    // Which services under test need each dependency, walking the graph's
    // dependency edges and stopping at shared services.
    let mut needed_by: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for &t in &targets {
        let name = graph.id(t).unwrap_or("");
        let mut seen = BTreeSet::from([t]);
        let mut stack = vec![t];
        while let Some(v) = stack.pop() {
            for w in graph.dependencies(v) {
                if !seen.insert(w) {
                    continue;
                }
                if !targets.contains(&w) {
                    needed_by.entry(w).or_default().insert(name);
                }
                if !shared.contains(&w) {
                    stack.push(w);
                }
            }
        }
    }
    let id = |i: usize| graph.id(i).unwrap_or("").to_string();
    let stubbed: Vec<String> = needed_by
        .keys()
        .filter(|&&i| shared.contains(&i) && is_stateful(plan, i) && !read_only.contains(&i))
        .map(|&i| id(i))
        .collect();
    let radius = graph.blast_radius(Some(&stubbed))?;
    // What runs inside the isolated environment: writes to a stub reach none of it.
    let inside: BTreeSet<&str> = targets
        .iter()
        .chain(needed_by.keys().filter(|i| !shared.contains(*i)))
        .filter_map(|&i| graph.id(i))
        .collect();
    let mut out = IsolationPlan {
        services: targets.iter().map(|&i| id(i)).collect(),
        bring: Vec::new(),
        use_shared: Vec::new(),
        stub: Vec::new(),
        deploy_order: Vec::new(),
    };
    for (&dep, by) in &needed_by {
        let name = id(dep);
        let required_by: Vec<String> = by.iter().map(|s| s.to_string()).collect();
        let who = required_by.join(", ");
        let (list, reason) = if !shared.contains(&dep) {
            let reason = if is_stateful(plan, dep) {
                Reason::new(
                    "bring_stateful",
                    format!("{name} holds state for {who}: bring its own copy with seeded data"),
                )
            } else {
                Reason::new(
                    "bring_dependency",
                    format!("{name} is needed by {who}: deploy it alongside"),
                )
            };
            (&mut out.bring, reason)
        } else if !is_stateful(plan, dep) {
            let reason = Reason::new(
                "shared_in_place",
                format!("{name} is shared and holds no state: use it where it runs"),
            );
            (&mut out.use_shared, reason)
        } else if read_only.contains(&dep) {
            let reason = Reason::new(
                "shared_read_only",
                format!("{name} is shared and only read by the tests: use it in place"),
            );
            (&mut out.use_shared, reason)
        } else {
            let others: Vec<&str> = radius
                .services
                .iter()
                .find(|b| b.id == name)
                .map(|b| {
                    b.dependents
                        .iter()
                        .map(String::as_str)
                        .filter(|d| !inside.contains(d))
                        .collect()
                })
                .unwrap_or_default();
            let reason = Reason::new(
                "stub_shared_stateful",
                format!("{name} is shared and stateful: a test would write to it, so stub it ({} service(s) outside the isolated environment depend on it)", others.len()),
            )
            .with_evidence("other_dependents", others);
            (&mut out.stub, reason)
        };
        let mut subjects = vec![name.clone()];
        subjects.extend(required_by.iter().cloned());
        list.push(IsolatedDependency {
            id: name,
            required_by,
            reason: reason.with_subjects(subjects),
        });
    }
    for list in [&mut out.bring, &mut out.use_shared, &mut out.stub] {
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }
    out.deploy_order = deploy_order(plan, &targets, &out.bring, &graph)?;
    Ok(out)
}

fn is_stateful(plan: &Plan, i: usize) -> bool {
    plan.services.get(i).is_some_and(|s| s.stateful)
}

fn lookup(graph: &ServiceGraph, ids: &[String], path: &str) -> Result<Vec<usize>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            graph.index_of(id).ok_or_else(|| {
                Error::new(
                    format!("{path}/{i}"),
                    PlanError::UnknownService {
                        service: id.clone(),
                    },
                )
            })
        })
        .collect()
}

/// Waves of the services deployed into the isolated environment, from the
/// graph of the sub-plan that holds just them.
fn deploy_order(
    plan: &Plan,
    targets: &BTreeSet<usize>,
    bring: &[IsolatedDependency],
    graph: &ServiceGraph,
) -> Result<Vec<Vec<String>>> {
    let mut members: BTreeSet<usize> = targets.clone();
    members.extend(bring.iter().filter_map(|b| graph.index_of(&b.id)));
    let ids: BTreeSet<&str> = members.iter().filter_map(|&i| graph.id(i)).collect();
    let services: Vec<Service> = members
        .iter()
        .filter_map(|&i| plan.services.get(i))
        .map(|s| Service {
            depends_on: s
                .depends_on
                .iter()
                .filter(|d| ids.contains(d.as_str()))
                .cloned()
                .collect(),
            ..s.clone()
        })
        .collect();
    let sub = Plan {
        name: format!("{} (isolated)", plan.name),
        services,
        ..Plan::default()
    };
    Ok(ServiceGraph::new(&sub)?.order().waves)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_transitively_but_not_past_shared_services() {
        let plan = Plan::from_json(
            r#"{"name": "p", "services": [
            {"id": "db", "stateful": true},
            {"id": "cache"},
            {"id": "auth", "depends_on": ["db", "cache"]},
            {"id": "queue", "stateful": true, "depends_on": ["broker"]},
            {"id": "broker", "stateful": true},
            {"id": "catalog", "stateful": true},
            {"id": "api", "depends_on": ["auth", "queue", "catalog"]},
            {"id": "web", "depends_on": ["api"]},
            {"id": "billing", "depends_on": ["queue"]}
        ]}"#,
        )
        .unwrap();
        let options: IsolationOptions = crate::wire::from_value(serde_json::json!(
            {"shared": ["queue", "catalog"], "read_only": ["catalog"]}))
        .unwrap();
        let iso = isolation_plan(&plan, &["web".into(), "api".into()], &options).unwrap();
        let ids = |l: &[IsolatedDependency]| l.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&iso.bring), ["auth", "cache", "db"]);
        assert_eq!(ids(&iso.use_shared), ["catalog"]);
        assert_eq!(ids(&iso.stub), ["queue"]);
        assert_eq!(iso.stub[0].required_by, ["api", "web"]);
        assert_eq!(
            iso.stub[0].reason.evidence["other_dependents"],
            serde_json::json!(["billing"])
        );
        assert_eq!(iso.bring[2].reason.code, "bring_stateful");
        assert_eq!(
            iso.deploy_order,
            vec![vec!["cache", "db"], vec!["auth"], vec!["api"], vec!["web"]]
        );
        let err = isolation_plan(&plan, &["nope".into()], &options).unwrap_err();
        assert_eq!((err.code(), err.path()), ("unknown_service", "services/0"));
    }
}
