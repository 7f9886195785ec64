//! Steps inside a region: services in dependency batches, stateful
//! services rolled one drained instance group at a time, each batch fitted
//! into the region's release windows, with the waits recorded and explained.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::regions::RegionInfo;
use crate::error::Result;
use crate::explain::Reason;
use crate::graph::ServiceGraph;
use crate::plan::{MigrationPhase, Plan};
use crate::wire::time::format_in;

/// A wait for a release window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowWait {
    /// The region that waits.
    pub region: String,
    /// When it was ready (region's offset).
    pub from: String,
    /// When the window allows it to go on.
    pub until: String,
    /// Length of the wait.
    pub seconds: u64,
    /// Why it could not go at `from`, with the codes and subjects of
    /// [`check_window`](crate::check_window) (`outside_allow`,
    /// `deny_window`, `holiday`, ...; subjects are paths into the region's
    /// calendar), then every deny window or holiday that held it back
    /// until `until`.
    pub reasons: Vec<Reason>,
}

/// One service deployed to one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Service id.
    pub service: String,
    /// Region id.
    pub region: String,
    /// `one_box`, `full` or `contract`.
    pub stage: String,
    /// Dependency wave of the service inside the region (0 first).
    pub layer: u32,
    /// Planned start (RFC 3339, region's offset).
    pub start: String,
    /// Planned finish.
    pub finish: String,
    /// `start` in seconds from the schedule start.
    pub start_seconds: u64,
    /// `finish` in seconds from the schedule start.
    pub finish_seconds: u64,
    /// Migration phase, if the service is a migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationPhase>,
    /// Whether the step can be undone (false only for irreversible migrations).
    pub reversible: bool,
    /// For a stateful service: which instance group (1-based) this step rolls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Drain time at the start of the step (stateful services).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drain_seconds: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A batch of services deployed together inside a region: one dependency
/// wave of the service graph.
pub(super) struct Batch {
    services: Vec<usize>,
    /// Time the batch occupies: its slowest service's.
    duration: i64,
    layer: u32,
}

/// How the services of a plan are deployed in a region.
pub(super) struct Services<'a> {
    pub(super) plan: &'a Plan,
    pub(super) graph: &'a ServiceGraph,
    /// Drain time of each instance group of a stateful service.
    pub(super) drain: i64,
}

impl Services<'_> {
    /// Whether service `v` is a contract migration.
    pub(super) fn is_contract(&self, v: usize) -> bool {
        self.plan
            .services
            .get(v)
            .and_then(|s| s.migration.as_ref())
            .is_some_and(|m| m.phase == MigrationPhase::Contract)
    }

    /// (groups, seconds per group, drain per group) of service `v` in a
    /// stage: stateful services roll their instance groups one at a time,
    /// each drained first; the one-box stage rolls a single group.
    pub(super) fn groups_of(&self, v: usize, one_box: bool) -> (u32, i64, i64) {
        let d = self.graph.duration(v).unwrap_or(0) as i64;
        match self.plan.services.get(v) {
            Some(s) if s.stateful => {
                let groups = if one_box {
                    1
                } else {
                    s.instance_groups.unwrap_or(1)
                };
                (groups, self.drain + d, self.drain)
            }
            _ => (1, d, 0),
        }
    }

    /// The dependency batches of the services `include` selects, each as
    /// long as its slowest service occupies the region.
    pub(super) fn batches(&self, include: impl Fn(usize) -> bool, one_box: bool) -> Vec<Batch> {
        let mut by_layer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for v in self.graph.topological_order() {
            if include(v) {
                by_layer
                    .entry(self.graph.wave_of(v).unwrap_or(0))
                    .or_default()
                    .push(v);
            }
        }
        by_layer
            .into_iter()
            .map(|(layer, mut services)| {
                services.sort_unstable_by(|&a, &b| self.graph.id(a).cmp(&self.graph.id(b)));
                let duration = services
                    .iter()
                    .map(|&v| {
                        let (groups, per, _) = self.groups_of(v, one_box);
                        i64::from(groups) * per
                    })
                    .max()
                    .unwrap_or(0);
                Batch {
                    services,
                    duration,
                    layer: layer as u32,
                }
            })
            .collect()
    }
}

/// Runs batches in regions, from a common schedule start.
pub(super) struct Runner<'a> {
    pub(super) services: &'a Services<'a>,
    /// The schedule start, seconds since the epoch.
    pub(super) t0: i64,
    /// How far ahead a window is searched for.
    pub(super) horizon: i64,
}

impl Runner<'_> {
    /// Runs `batches` in region `r` from `ready`, each batch inside one
    /// allowed stretch of the region's calendar; returns the finish time.
    ///
    /// Errors: `window_too_short` or `no_window_within_horizon` at the
    /// region's calendar reference when a batch never fits.
    pub(super) fn run_region(
        &self,
        r: &RegionInfo<'_>,
        batches: &[Batch],
        stage: &str,
        ready: i64,
        steps: &mut Vec<Step>,
        waits: &mut Vec<WindowWait>,
    ) -> Result<i64> {
        let mut t = ready;
        let mut cache = r.calendar.as_ref().map(|(c, _)| c.fit_cache());
        for batch in batches {
            if let (Some((cal, path)), Some(cache)) = (&r.calendar, cache.as_mut()) {
                let Some(x) = cache.fit(t, batch.duration, self.horizon) else {
                    return Err(cal.no_fit_error(t, batch.duration, self.horizon, path, path));
                };
                if x > t {
                    waits.push(WindowWait {
                        region: r.id.to_string(),
                        from: format_in(&r.tz, t),
                        until: format_in(&r.tz, x),
                        seconds: (x - t) as u64,
                        reasons: cal.wait_reasons(t, x, batch.duration),
                    });
                    t = x;
                }
            }
            for &v in &batch.services {
                self.push_steps(r, v, batch.layer, stage, t, steps);
            }
            t += batch.duration;
        }
        Ok(t)
    }

    /// The steps of service `v` in region `r` starting at `t`: one, or one
    /// per instance group of a stateful service.
    fn push_steps(
        &self,
        r: &RegionInfo<'_>,
        v: usize,
        layer: u32,
        stage: &str,
        t: i64,
        steps: &mut Vec<Step>,
    ) {
        let services = self.services;
        let (groups, per, drain) = services.groups_of(v, stage == "one_box");
        let service = services.plan.services.get(v);
        let stateful = service.is_some_and(|s| s.stateful);
        let migration = service.and_then(|s| s.migration.as_ref());
        let id = services.graph.id(v).unwrap_or("");
        for k in 0..groups {
            let s0 = t + i64::from(k) * per;
            steps.push(Step {
                service: id.to_string(),
                region: r.id.to_string(),
                stage: stage.to_string(),
                layer,
                start: format_in(&r.tz, s0),
                finish: format_in(&r.tz, s0 + per),
                start_seconds: (s0 - self.t0) as u64,
                finish_seconds: (s0 + per - self.t0) as u64,
                migration: migration.map(|m| m.phase),
                reversible: migration.is_none_or(|m| m.reversible),
                group: stateful.then_some(k + 1),
                drain_seconds: drain as u64,
            });
        }
    }
}
