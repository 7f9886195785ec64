//! What building a graph reads of a list of services: [`Services`] is
//! implemented for a plan's own services and for borrowed
//! [`ServiceRef`]s, so that both build the identical graph.

use std::ops::Range;

use super::types::ServiceRef;
use crate::plan::Service;

/// What building a graph reads of a list of services, by position `i` in
/// the list (and `j` in a service's dependencies). Positions out of range
/// read as an empty id, no dependencies, zero duration.
pub(super) trait Services {
    /// Number of services.
    fn count(&self) -> usize;
    /// Id of service `i`.
    fn id(&self, i: usize) -> &str;
    /// Number of dependencies of service `i`.
    fn dep_count(&self, i: usize) -> usize;
    /// Dependency `j` of service `i`.
    fn dep(&self, i: usize, j: usize) -> &str;
    /// Every dependency name of the services in `range`, service by service.
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str>;
    /// Deploy duration of service `i`, in seconds.
    fn duration(&self, i: usize) -> u64;
    /// Whether service `i` is customer facing.
    fn customer_facing(&self, i: usize) -> bool;
}

impl Services for [Service] {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, i: usize) -> &str {
        self.get(i).map_or("", |s| s.id.as_str())
    }
    fn dep_count(&self, i: usize) -> usize {
        self.get(i).map_or(0, |s| s.depends_on.len())
    }
    fn dep(&self, i: usize, j: usize) -> &str {
        self.get(i)
            .and_then(|s| s.depends_on.get(j))
            .map_or("", String::as_str)
    }
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str> {
        self.get(range)
            .unwrap_or(&[])
            .iter()
            .flat_map(|s| s.depends_on.iter().map(String::as_str))
    }
    fn duration(&self, i: usize) -> u64 {
        self.get(i).map_or(0, |s| s.deploy_duration.as_secs())
    }
    fn customer_facing(&self, i: usize) -> bool {
        self.get(i).is_some_and(|s| s.customer_facing)
    }
}

impl Services for [ServiceRef<'_>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn id(&self, i: usize) -> &str {
        self.get(i).map_or("", |s| s.id)
    }
    fn dep_count(&self, i: usize) -> usize {
        self.get(i).map_or(0, |s| s.depends_on.len())
    }
    fn dep(&self, i: usize, j: usize) -> &str {
        self.get(i)
            .and_then(|s| s.depends_on.get(j))
            .copied()
            .unwrap_or("")
    }
    fn deps_in(&self, range: Range<usize>) -> impl Iterator<Item = &str> {
        self.get(range)
            .unwrap_or(&[])
            .iter()
            .flat_map(|s| s.depends_on.iter().copied())
    }
    fn duration(&self, i: usize) -> u64 {
        self.get(i).map_or(0, |s| s.deploy_duration.as_secs())
    }
    fn customer_facing(&self, i: usize) -> bool {
        self.get(i).is_some_and(|s| s.customer_facing)
    }
}
