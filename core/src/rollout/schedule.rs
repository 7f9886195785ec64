//! The schedule as a whole: [`schedule_rollout`] checks the plan, forms the
//! waves, runs each wave's regions and adds the gates between waves.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::flag_stages::{check_stages, FlagStage, StageRunner};
use super::gate::{format_at, Gate};
use super::regions::{check_policy, check_regions, RegionInfo};
use super::steps::{Batch, Runner, Services, Step, WindowWait};
use super::waves::{form_waves, WavePlan};
use crate::error::{Error, PlanError, Result};
use crate::explain::Reason;
use crate::graph::ServiceGraph;
use crate::plan::{Plan, RolloutPolicy, Tier};
use crate::window::{Calendar, DEFAULT_HORIZON};

/// A rollout schedule: waves of regions with their steps, gates and waits.
///
/// Plain data (serde), meant to be printed as a table, rendered with
/// [`to_mermaid_gantt`](crate::to_mermaid_gantt) or handed back to
/// [`rollback_plan`](crate::rollback_plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The plan's name.
    pub plan: String,
    /// When the rollout starts (RFC 3339, as given).
    pub start: String,
    /// When the last gate passes (RFC 3339, offset of `start`).
    pub finish: String,
    /// Seconds from `start` until the last wave has baked.
    pub total_duration_seconds: u64,
    /// When the rollout halts: failed steps tolerated and the per-step timeout.
    pub halt_rule: HaltRule,
    /// Things the caller should know that do not stop the schedule:
    /// `step_exceeds_timeout` (a step planned longer than the per-step
    /// timeout would always count as failed) and `zero_deploy_duration`
    /// (services without a `deploy_duration`, or 0, take no time); the
    /// subjects are the services concerned.
    #[serde(default)]
    pub findings: Vec<Reason>,
    /// The waves, in order.
    pub waves: Vec<Wave>,
    /// The plan's release stages (feature flags turned up after the last
    /// wave), in order; absent when the plan has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub release_stages: Vec<FlagStage>,
}

/// When a rollout must halt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HaltRule {
    /// Halt when more than this many steps have failed.
    pub max_failed_steps: u32,
    /// A step running longer than this has failed (`None`: no timeout).
    pub step_timeout_seconds: Option<u64>,
}

/// One wave of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// 1-based position.
    pub number: usize,
    /// `regions` for a regular wave, `contract` for the final contract-migration phase.
    pub kind: String,
    /// Regions deployed in this wave, sorted by id.
    pub regions: Vec<String>,
    /// Sum of the regions' traffic shares.
    pub traffic_share: f64,
    /// Why these regions are here (and why others are not); the subjects
    /// are regions.
    pub reasons: Vec<Reason>,
    /// When the wave may start (RFC 3339, offset of the schedule start).
    pub start: String,
    /// When its last step finishes.
    pub finish: String,
    /// `start` in seconds from the schedule start.
    pub start_seconds: u64,
    /// `finish` in seconds from the schedule start.
    pub finish_seconds: u64,
    /// Times a region had to wait for a release window, and why.
    pub waits: Vec<WindowWait>,
    /// Deployment steps, ordered by start, region, service.
    pub steps: Vec<Step>,
    /// What must pass before the next wave.
    pub gate: Gate,
}

/// Builds the rollout schedule of a plan starting at `start`; see the module
/// documentation of [`rollout`](crate::rollout) for the rules.
///
/// Errors: every [`ServiceGraph::new`] error; region errors
/// (`duplicate_id`, `unknown_region`, `asymmetric_pair`, `region_cycle`,
/// `invalid_traffic_share`, `unknown_calendar`, `invalid_time_zone`),
/// `contract_dependency`, `invalid_input` for a bad policy or no regions;
/// calendar errors with paths under `/calendars/<id>`; `window_too_short` or
/// `no_window_within_horizon` (path: the region's calendar reference) when a
/// batch of services never fits a region's windows within 366 days.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{
///   "name": "checkout",
///   "services": [{"id": "db", "deploy_duration": "10m"}, {"id": "api", "depends_on": ["db"], "deploy_duration": "5m"}],
///   "regions": [
///     {"id": "us-east", "traffic_share": 0.5, "pair": "us-west"},
///     {"id": "us-west", "traffic_share": 0.3, "pair": "us-east"},
///     {"id": "eu-canary", "traffic_share": 0.05, "tier": "canary"}],
///   "rollout": {"bake_time": "1h"}
/// }"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let schedule = rollgate::schedule_rollout(&plan, start)?;
/// let waves: Vec<_> = schedule.waves.iter().map(|w| w.regions.clone()).collect();
/// assert_eq!(waves, [vec!["eu-canary"], vec!["us-west"], vec!["us-east"]]);
/// let pair = &schedule.waves[1].reasons[1];
/// assert_eq!((pair.code.as_str(), &pair.subjects[..]), ("pair_separated", &["us-east".to_string(), "us-west".to_string()][..]));
/// // Each wave: 15 minutes of steps plus a 1 hour bake.
/// assert_eq!(schedule.total_duration_seconds, 3 * (15 * 60 + 3600));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn schedule_rollout(plan: &Plan, start: DateTime<FixedOffset>) -> Result<Schedule> {
    let graph = ServiceGraph::new(plan)?;
    let calendars = read_calendars(plan)?;
    let regions = check_regions(plan, &calendars)?;
    let policy = plan.rollout.clone().unwrap_or_default();
    check_policy(&policy, plan)?;
    check_stages(&policy.release_stages)?;
    let services = Services {
        plan,
        graph: &graph,
        drain: policy.drain_time.as_secs() as i64,
    };
    check_services(&services)?;
    let findings = findings(&services, &policy);
    let t0 = start.timestamp();
    let waves = Waves {
        runner: Runner {
            services: &services,
            t0,
            horizon: DEFAULT_HORIZON.as_secs() as i64,
        },
        regions: &regions,
        stages: Stages {
            full: services.batches(|v| !services.is_contract(v), false),
            one_box: services.batches(|v| !services.is_contract(v), true),
            contract: services.batches(|v| services.is_contract(v), false),
            one_box_bake: policy
                .one_box
                .as_ref()
                .map(|o| o.bake_time.as_secs() as i64),
        },
        policy: &policy,
        start,
    }
    .run()?;
    let deployed = waves
        .last()
        .map_or(t0, |w| t0 + w.gate.earliest_pass_seconds as i64);
    let gap = policy.min_gap_between_waves.as_secs() as i64;
    let release_stages = StageRunner {
        plan,
        policy: &policy,
        calendars: &calendars,
        start,
        t0,
        horizon: DEFAULT_HORIZON.as_secs() as i64,
    }
    .run(if waves.is_empty() {
        deployed
    } else {
        deployed + gap
    })?;
    let end = release_stages
        .last()
        .map_or(deployed, |s| t0 + s.gate.earliest_pass_seconds as i64);
    Ok(Schedule {
        plan: plan.name.clone(),
        start: format_at(start, t0),
        finish: format_at(start, end),
        total_duration_seconds: (end - t0) as u64,
        findings,
        halt_rule: HaltRule {
            max_failed_steps: policy.max_failed_steps,
            step_timeout_seconds: policy.timeout.map(|t| t.as_secs()),
        },
        waves,
        release_stages,
    })
}

/// Checks the plan's calendars, with paths under `/calendars/<id>`.
fn read_calendars(plan: &Plan) -> Result<BTreeMap<String, Calendar>> {
    let mut calendars = BTreeMap::new();
    for (id, spec) in &plan.calendars {
        let prefix = format!("/calendars/{}", crate::error::pointer_token(id));
        let calendar = Calendar::new(spec).map_err(|e| e.with_path_prefix(&prefix))?;
        calendars.insert(id.clone(), calendar);
    }
    Ok(calendars)
}

/// No service may depend on a contract migration; instance groups are at
/// least 1.
fn check_services(services: &Services<'_>) -> Result<()> {
    let (plan, graph) = (services.plan, services.graph);
    for (i, s) in plan.services.iter().enumerate() {
        if services.is_contract(i) {
            continue;
        }
        for (j, d) in s.depends_on.iter().enumerate() {
            if graph.index_of(d).is_some_and(|v| services.is_contract(v)) {
                return Err(Error::new(
                    format!("/services/{i}/depends_on/{j}"),
                    PlanError::ContractDependency {
                        service: s.id.clone(),
                        migration: d.clone(),
                    },
                ));
            }
        }
    }
    for (i, s) in plan.services.iter().enumerate() {
        if s.instance_groups == Some(0) {
            return Err(Error::invalid_input(
                format!("/services/{i}/instance_groups"),
                "instance_groups must be at least 1",
            ));
        }
    }
    Ok(())
}

/// Findings about the plan that do not stop the schedule.
fn findings(services: &Services<'_>, policy: &RolloutPolicy) -> Vec<Reason> {
    let graph = services.graph;
    let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
        let mut ids: Vec<String> = (0..graph.len())
            .filter(|&v| keep(v))
            .filter_map(|v| graph.id(v).map(str::to_string))
            .collect();
        ids.sort();
        ids
    };
    let mut findings = Vec::new();
    if let Some(limit) = policy.timeout {
        let limit = limit.as_secs();
        let slow = ids(&|v| services.groups_of(v, false).1 > limit as i64);
        if !slow.is_empty() {
            let message = format!(
                "planned steps of {} take longer than the {limit} s step timeout and would always count as failed",
                slow.join(", ")
            );
            findings.push(
                Reason::new("step_exceeds_timeout", message)
                    .with_subjects(slow)
                    .with_evidence("timeout_seconds", limit),
            );
        }
    }
    findings.extend(crate::graph::zero_deploy_duration(
        graph,
        "steps take no time in this schedule",
    ));
    findings
}

/// The service batches of each stage, and the one-box bake (if any).
struct Stages {
    full: Vec<Batch>,
    one_box: Vec<Batch>,
    contract: Vec<Batch>,
    one_box_bake: Option<i64>,
}

/// Everything the waves of one schedule share.
struct Waves<'a> {
    runner: Runner<'a>,
    regions: &'a [RegionInfo<'a>],
    stages: Stages,
    policy: &'a RolloutPolicy,
    start: DateTime<FixedOffset>,
}

impl Waves<'_> {
    /// Runs the waves one after another, each after the previous gate (and
    /// the gap), then the contract-migration phase in every region.
    fn run(&self) -> Result<Vec<Wave>> {
        let mut phases: Vec<(&str, WavePlan)> = form_waves(self.regions, self.policy)
            .into_iter()
            .map(|w| ("regions", w))
            .collect();
        if !self.stages.contract.is_empty() {
            phases.push(("contract", contract_phase(self.regions)));
        }
        let gap = self.policy.min_gap_between_waves.as_secs() as i64;
        let mut waves: Vec<Wave> = Vec::with_capacity(phases.len());
        for (number, (kind, plan_wave)) in phases.into_iter().enumerate() {
            let ready = waves.last().map_or(self.runner.t0, |w| {
                self.runner.t0 + w.gate.earliest_pass_seconds as i64 + gap
            });
            waves.push(self.run_wave(number + 1, kind, plan_wave, ready)?);
        }
        Ok(waves)
    }

    /// The steps and waits of one wave's regions, run in parallel from
    /// `ready`, and its finish.
    fn run_regions(
        &self,
        kind: &str,
        regions: &[usize],
        ready: i64,
    ) -> Result<(Vec<Step>, Vec<WindowWait>, i64)> {
        let (runner, stages) = (&self.runner, &self.stages);
        let (mut steps, mut waits) = (Vec::new(), Vec::new());
        let mut finish = ready;
        for r in regions.iter().filter_map(|&ri| self.regions.get(ri)) {
            let end = match (kind, stages.one_box_bake) {
                ("contract", _) => runner.run_region(
                    r,
                    &stages.contract,
                    "contract",
                    ready,
                    &mut steps,
                    &mut waits,
                )?,
                (_, Some(bake)) => {
                    let t = runner.run_region(
                        r,
                        &stages.one_box,
                        "one_box",
                        ready,
                        &mut steps,
                        &mut waits,
                    )?;
                    runner.run_region(r, &stages.full, "full", t + bake, &mut steps, &mut waits)?
                }
                (_, None) => {
                    runner.run_region(r, &stages.full, "full", ready, &mut steps, &mut waits)?
                }
            };
            finish = finish.max(end);
        }
        steps.sort_by(|a, b| {
            (a.start_seconds, &a.region, &a.service, &a.stage, a.group).cmp(&(
                b.start_seconds,
                &b.region,
                &b.service,
                &b.stage,
                b.group,
            ))
        });
        Ok((steps, waits, finish))
    }

    /// One wave from `ready`; the gate follows its last step.
    fn run_wave(&self, number: usize, kind: &str, plan_wave: WavePlan, ready: i64) -> Result<Wave> {
        let (steps, waits, finish) = self.run_regions(kind, &plan_wave.regions, ready)?;
        let t0 = self.runner.t0;
        let bake = self.policy.bake_time.as_secs() as i64;
        let pass = finish + bake;
        let mut checks = vec!["alarms_clear".to_string(), "health".into(), "smoke".into()];
        let in_wave = || {
            plan_wave
                .regions
                .iter()
                .filter_map(|&r| self.regions.get(r))
        };
        if kind != "contract" && in_wave().any(|i| i.tier == Tier::Canary) {
            checks.push("canary_verdict".into());
        }
        Ok(Wave {
            number,
            kind: kind.to_string(),
            regions: in_wave().map(|i| i.id.to_string()).collect(),
            traffic_share: in_wave().map(|i| i.share).sum(),
            start: format_at(self.start, ready),
            finish: format_at(self.start, finish),
            start_seconds: (ready - t0) as u64,
            finish_seconds: (finish - t0) as u64,
            waits,
            steps,
            gate: Gate {
                bake_seconds: bake as u64,
                min_bake_samples: self.policy.min_bake_samples,
                checks,
                earliest_pass: format_at(self.start, pass),
                earliest_pass_seconds: (pass - t0) as u64,
            },
            reasons: plan_wave.reasons,
        })
    }
}

/// The final phase: contract migrations in every region.
fn contract_phase(regions: &[RegionInfo<'_>]) -> WavePlan {
    let mut all: Vec<usize> = (0..regions.len()).collect();
    all.sort_unstable_by_key(|&r| regions.get(r).map_or("", |i| i.id));
    let names = all.iter().filter_map(|&r| regions.get(r).map(|i| i.id));
    let reason = Reason::new(
        "contract_phase",
        "contract migrations run in every region only after every region has finished",
    )
    .with_subjects(names);
    WavePlan {
        regions: all,
        reasons: vec![reason],
    }
}
