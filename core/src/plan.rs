//! The release-plan model: services and the dependencies between them.
//!
//! A plan is plain data in the canonical JSON shape (snake_case keys, unknown
//! fields rejected). It is checked when it is turned into a
//! [`ServiceGraph`](crate::ServiceGraph), which every analysis takes.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::wire::{self, DurationSecs};

/// A release plan: the services to deploy and what each one needs first.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{
///     "name": "checkout",
///     "services": [
///         {"id": "db", "deploy_duration": "5m", "stateful": true},
///         {"id": "api", "depends_on": ["db"], "deploy_duration": 120}
///     ]
/// }"#).unwrap();
/// assert_eq!(plan.services[1].deploy_duration.as_secs(), 120);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// A human name for the plan.
    pub name: String,
    /// The services to deploy; ids must be unique.
    pub services: Vec<Service>,
}

/// One deployable service of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique, non-empty id.
    pub id: String,
    /// Ids of the services that must be deployed before this one.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// How long one deployment of this service takes (default 0).
    #[serde(default)]
    pub deploy_duration: DurationSecs,
    /// Whether the service holds state (databases, queues): it is rolled more
    /// carefully and its blast radius matters more.
    #[serde(default)]
    pub stateful: bool,
    /// Whether customers talk to this service directly.
    #[serde(default)]
    pub customer_facing: bool,
    /// The owning team or person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form labels.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Plan {
    /// Reads a plan from JSON text, with errors naming the offending path.
    ///
    /// ```
    /// let err = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "deploy_duration": "soon"}]}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid_duration");
    /// assert_eq!(err.path(), "/services/0/deploy_duration");
    /// ```
    pub fn from_json(json: &str) -> Result<Plan> {
        wire::from_json(json)
    }
}
