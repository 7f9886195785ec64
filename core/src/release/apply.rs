//! Applying the caller's events to the state: steps started and finished,
//! metric batches into the regions' watches, checks, approvals, pauses,
//! aborts — and what they trigger (a failed step, a halt, an escalation).

use std::collections::BTreeMap;

use super::escalation::Situation;
use super::events::{Event, Outcome};
use super::run::{Ctx, Run};
use super::state::{CheckResult, Pause, RegionWatch, Status, StepStatus, WaveStatus};
use crate::change::Timestamp;
use crate::error::{CalendarError, Error, PlanError, ReleaseError, Result};
use crate::explain::Reason;
use crate::verdict::{start_canary_watch, update_canary_watch, CanaryData, Decision};

/// An `invalid_event` error for event `i`.
fn invalid(i: usize, event: &Event, message: impl Into<String>) -> Error {
    Error::new(
        format!("events/{i}"),
        ReleaseError::InvalidEvent {
            event: event.kind().to_string(),
            message: message.into(),
        },
    )
}

/// An `unknown_step` error for event `i`.
fn unknown_step(i: usize, region: &str, service: &str) -> Error {
    Error::new(
        format!("events/{i}"),
        PlanError::UnknownStep {
            region: region.to_string(),
            service: service.to_string(),
        },
    )
}

/// A step named by an event.
struct Name<'a> {
    region: &'a str,
    service: &'a str,
    stage: Option<&'a str>,
    group: Option<u32>,
}

impl Run {
    /// Checks the time of event `i` and returns it (the call's `now` when absent).
    pub(crate) fn event_time(
        &self,
        ctx: &Ctx,
        since: Timestamp,
        i: usize,
        e: &Event,
    ) -> Result<Timestamp> {
        let at = e.at().unwrap_or(ctx.now);
        let message = if at < since {
            format!(
                "the event is earlier than the release's last time ({})",
                since.to_rfc3339()
            )
        } else if at > ctx.now {
            format!("the event is later than now ({})", ctx.now.to_rfc3339())
        } else {
            return Ok(at);
        };
        Err(Error::new(
            format!("events/{i}/at"),
            CalendarError::InvalidTimestamp {
                value: at.to_rfc3339(),
                message,
            },
        ))
    }

    /// Applies event `i` at `at`.
    pub(crate) fn apply(&mut self, ctx: &Ctx, i: usize, e: &Event, at: Timestamp) -> Result<()> {
        if self.s.status.is_final() {
            return Err(invalid(
                i,
                e,
                format!("the release has ended ({})", self.s.status.as_str()),
            ));
        }
        match e {
            Event::StepStarted {
                region,
                service,
                stage,
                group,
                ..
            } => {
                let name = Name {
                    region,
                    service,
                    stage: stage.as_deref(),
                    group: *group,
                };
                self.step_started(i, e, &name, at)
            }
            Event::StepFinished {
                region,
                service,
                stage,
                group,
                outcome,
                ..
            } => {
                let name = Name {
                    region,
                    service,
                    stage: stage.as_deref(),
                    group: *group,
                };
                self.step_finished(ctx, i, e, &name, *outcome, at)
            }
            Event::Metrics { region, batch, .. } => self.metrics(ctx, i, region, batch, at),
            Event::Check {
                check,
                region,
                passed,
                ..
            } => self.check(ctx, i, e, check, region.as_deref(), *passed, at),
            Event::Approval { by, wave, .. } => self.approval(i, e, by, *wave, at),
            Event::Pause { by, why, .. } => {
                if matches!(self.s.status, Status::Halted | Status::RollingBack) {
                    // Already stopped (perhaps by an earlier event of this
                    // call): nothing more to hold.
                    self.note(at, "pause", vec![by.clone()]);
                    return Ok(());
                }
                if !self.active() {
                    return Err(invalid(
                        i,
                        e,
                        format!("a {} release cannot be paused", self.s.status.as_str()),
                    ));
                }
                self.s.paused = Some(Pause {
                    by: by.clone(),
                    why: why.clone(),
                    at,
                });
                self.s.status = Status::Paused;
                self.note(at, "pause", vec![by.clone()]);
                self.reasons.push(
                    Reason::new("paused", format!("paused by {by}: {why}"))
                        .with_subjects([by.clone()]),
                );
                Ok(())
            }
            Event::Resume { by, why, .. } => {
                let Some(pause) = self.s.paused.take() else {
                    return Err(invalid(i, e, "the release is not paused"));
                };
                if pause.by == "rollgate" {
                    if let Some(w) = self.s.current_wave().and_then(|w| self.s.waves.get_mut(w)) {
                        w.verdict_accepted_by = Some(by.clone());
                    }
                }
                self.s.status = Status::Waiting;
                self.note(at, "resume", vec![by.clone()]);
                self.reasons.push(
                    Reason::new("resumed", format!("resumed by {by}: {why}"))
                        .with_subjects([by.clone()]),
                );
                Ok(())
            }
            Event::Abort { by, why, .. } => self.abort(ctx, by, why, at),
            Event::RollbackFinished { .. } => {
                if self.s.status != Status::RollingBack {
                    return Err(invalid(i, e, "no rollback is in progress"));
                }
                self.s.status = Status::Aborted;
                self.note(at, "rollback_finished", Vec::new());
                self.reasons.push(Reason::new(
                    "rolled_back",
                    "the rollback is done: the release ends",
                ));
                Ok(())
            }
        }
    }

    /// The steps the name matches (wave, step), in the schedule's order;
    /// `unknown_step` when none.
    fn find(&self, i: usize, n: &Name<'_>) -> Result<Vec<(usize, usize)>> {
        let found: Vec<(usize, usize)> = self
            .s
            .waves
            .iter()
            .enumerate()
            .flat_map(|(w, wave)| wave.steps.iter().enumerate().map(move |(k, st)| (w, k, st)))
            .filter(|(_, _, st)| {
                st.region == n.region
                    && st.service == n.service
                    && n.stage.is_none_or(|s| s == st.stage)
                    && n.group.is_none_or(|g| Some(g) == st.group)
            })
            .map(|(w, k, _)| (w, k))
            .collect();
        if found.is_empty() {
            return Err(unknown_step(i, n.region, n.service));
        }
        Ok(found)
    }

    fn status_of(&self, at: (usize, usize)) -> Option<StepStatus> {
        self.s
            .waves
            .get(at.0)
            .and_then(|w| w.steps.get(at.1))
            .map(|s| s.status)
    }

    fn step_started(&mut self, i: usize, e: &Event, n: &Name<'_>, at: Timestamp) -> Result<()> {
        let found = self.find(i, n)?;
        if !self.active() {
            return Err(invalid(
                i,
                e,
                format!("a {} release starts no step", self.s.status.as_str()),
            ));
        }
        let Some(&pos) = found.iter().find(|p| {
            matches!(
                self.status_of(**p),
                Some(StepStatus::Pending | StepStatus::Requested)
            )
        }) else {
            return Err(invalid(i, e, "the step has already started or finished"));
        };
        let wave_open = self
            .s
            .waves
            .get(pos.0)
            .is_some_and(|w| w.status == WaveStatus::Deploying);
        if !wave_open {
            return Err(invalid(
                i,
                e,
                format!("wave {} is not deploying", pos.0 + 1),
            ));
        }
        if let Some(st) = self.s.step_mut(pos) {
            if st.status == StepStatus::Pending {
                st.attempts = st.attempts.saturating_add(1);
            }
            st.status = StepStatus::Running;
            st.started_at = Some(at);
            st.requested_at.get_or_insert(at);
            let label = st.label();
            self.note(at, "step_started", vec![label]);
        }
        Ok(())
    }

    fn step_finished(
        &mut self,
        ctx: &Ctx,
        i: usize,
        e: &Event,
        n: &Name<'_>,
        outcome: Outcome,
        at: Timestamp,
    ) -> Result<()> {
        let found = self.find(i, n)?;
        let Some(&pos) = found
            .iter()
            .find(|p| self.status_of(**p) == Some(StepStatus::Running))
        else {
            let message = if found.iter().any(|p| {
                matches!(
                    self.status_of(*p),
                    Some(StepStatus::Pending | StepStatus::Requested)
                )
            }) {
                "the step never started"
            } else {
                "the step has already finished"
            };
            return Err(invalid(i, e, message));
        };
        let Some(st) = self.s.waves.get(pos.0).and_then(|w| w.steps.get(pos.1)) else {
            return Ok(());
        };
        let label = st.label();
        let deadline = self
            .s
            .step_timeout_seconds
            .zip(st.started_at)
            .map(|(t, s)| s.timestamp() + t as i64);
        let late = deadline.is_some_and(|d| at.timestamp() > d);
        if outcome == Outcome::Succeeded && !late {
            if let Some(st) = self.s.step_mut(pos) {
                st.status = StepStatus::Succeeded;
                st.finished_at = Some(at);
            }
            self.note(at, "step_finished", vec![label]);
            return Ok(());
        }
        let why = if late {
            Reason::new(
                "step_timeout",
                format!(
                    "{label} finished after its {} s timeout: it counts as failed",
                    self.s.step_timeout_seconds.unwrap_or(0)
                ),
            )
        } else {
            Reason::new("step_failed", format!("{label} failed"))
        };
        self.fail(ctx, Some(pos), at, why.with_subjects([label]))
    }

    /// A metric batch: updates the region's watch (when the release has an
    /// analysis configuration and the region is deployed), counts a bake
    /// sample, and acts on the verdict.
    fn metrics(
        &mut self,
        ctx: &Ctx,
        i: usize,
        region: &str,
        batch: &CanaryData,
        at: Timestamp,
    ) -> Result<()> {
        if !ctx.regions.iter().any(|r| r == region) {
            return Err(unknown_step(i, region, ""));
        }
        if !self.active() {
            return Ok(());
        }
        let Some(w) = self
            .s
            .waves
            .iter()
            .position(|w| w.kind == "regions" && w.regions.iter().any(|r| r == region))
        else {
            return Ok(());
        };
        let deployed = self.s.waves.get(w).is_some_and(|wave| {
            wave.steps
                .iter()
                .any(|st| st.region == region && st.touched())
        });
        if !deployed {
            return Ok(());
        }
        if let Some(wave) = self.s.waves.get_mut(w) {
            if wave.status == WaveStatus::Baking && wave.deployed_at.is_some_and(|d| at >= d) {
                wave.bake_samples = wave.bake_samples.saturating_add(1);
            }
        }
        let watched =
            self.s.watch_all_waves || self.s.waves.get(w).is_some_and(|wave| wave.needs_verdict());
        let Some(config) = self.s.analysis.clone().filter(|_| watched) else {
            return Ok(());
        };
        let state = match self.s.watches.get(region) {
            Some(watch) => watch.state.clone(),
            None => start_canary_watch(&config)?,
        };
        let update = update_canary_watch(&config, &state, batch, *at)
            .map_err(|err| err.with_path_prefix(&format!("events/{i}")))?;
        let estimates: BTreeMap<String, f64> = update
            .verdict
            .metrics
            .iter()
            .filter_map(|(name, m)| m.canary.estimate.map(|v| (name.clone(), v)))
            .collect();
        let decision = update.verdict.decision;
        self.s.watches.insert(
            region.to_string(),
            RegionWatch {
                state: update.state,
                decision: Some(decision),
                estimates: estimates.clone(),
            },
        );
        let rollback = self.rollback(at)?;
        let auto = self.escalate(
            ctx,
            &Situation {
                region: Some(region),
                decision: Some(decision),
                estimates: Some(&estimates),
                halting: false,
                customer_facing: ctx.customer_facing,
            },
            &rollback,
        );
        if decision == Decision::Rollback {
            let mut why = Reason::new(
                "rollback_verdict",
                format!("the canary watch in {region} shows harm: the release halts"),
            )
            .with_subjects([region]);
            if let Some(first) = update.verdict.reasons.first() {
                why = why.with_evidence("watch", first.code.clone());
            }
            self.halt(ctx, at, vec![why], true)?;
        } else if auto {
            let why = Reason::new(
                "escalation_rollback",
                format!("an escalation rule in {region} rolls back"),
            )
            .with_subjects([region]);
            self.halt(ctx, at, vec![why], true)?;
        } else if decision == Decision::Inconclusive && self.s.paused.is_none() {
            let current = self.s.current_wave() == Some(w);
            let accepted = self
                .s
                .waves
                .get(w)
                .is_some_and(|wave| wave.verdict_accepted_by.is_some());
            if current && !accepted {
                self.s.paused = Some(Pause {
                    by: "rollgate".into(),
                    why: format!("the canary watch in {region} is inconclusive"),
                    at,
                });
                self.s.status = Status::Paused;
                self.note(at, "pause", vec![region.to_string()]);
                self.reasons.push(Reason::new("inconclusive_verdict", format!("the canary watch in {region} cannot decide: a person must look (resume accepts the wave)")).with_subjects([region]));
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        ctx: &Ctx,
        i: usize,
        e: &Event,
        check: &str,
        region: Option<&str>,
        passed: bool,
        at: Timestamp,
    ) -> Result<()> {
        if let Some(r) = region {
            if !ctx.regions.iter().any(|x| x == r) {
                return Err(unknown_step(i, r, ""));
            }
        }
        let Some(w) = self.s.current_wave() else {
            return Err(invalid(i, e, "no wave is open for checks"));
        };
        let Some(wave) = self.s.waves.get_mut(w) else {
            return Ok(());
        };
        if wave.status == WaveStatus::Pending {
            return Err(invalid(
                i,
                e,
                format!("wave {} has not started", wave.number),
            ));
        }
        let regions: Vec<String> = match region {
            Some(r) if wave.regions.iter().any(|x| x == r) => vec![r.to_string()],
            Some(r) => {
                return Err(invalid(
                    i,
                    e,
                    format!("region {r} is not in the current wave {}", wave.number),
                ))
            }
            None => wave.regions.clone(),
        };
        let results = wave.check_results.entry(check.to_string()).or_default();
        for r in &regions {
            if passed {
                results.insert(r.clone(), CheckResult { passed, at });
            } else {
                results.remove(r);
            }
        }
        if passed {
            self.note(at, "check", regions);
            return Ok(());
        }
        wave.checks_requested = false;
        let why = Reason::new(
            "check_failed",
            format!("check {check} failed in {}", regions.join(", ")),
        )
        .with_subjects(regions.iter().cloned().chain([check.to_string()]));
        self.fail(ctx, None, at, why)
    }

    fn approval(
        &mut self,
        i: usize,
        e: &Event,
        by: &str,
        wave: Option<usize>,
        at: Timestamp,
    ) -> Result<()> {
        let target = match wave {
            Some(n) => n,
            None => {
                let next = self.s.approval_waves.iter().copied().find(|n| {
                    self.s
                        .waves
                        .get(n.saturating_sub(1))
                        .is_some_and(|w| w.approved_by.is_none() && w.status == WaveStatus::Pending)
                });
                match next {
                    Some(n) => n,
                    None => return Err(invalid(i, e, "no wave waits for an approval")),
                }
            }
        };
        let Some(w) = self.s.waves.get_mut(target.wrapping_sub(1)) else {
            return Err(invalid(i, e, format!("the release has no wave {target}")));
        };
        w.approved_by = Some(by.to_string());
        self.note(at, "approval", vec![by.to_string()]);
        self.reasons.push(
            Reason::new("approved", format!("wave {target} approved by {by}"))
                .with_subjects([by.to_string()]),
        );
        Ok(())
    }

    fn abort(&mut self, ctx: &Ctx, by: &str, why: &str, at: Timestamp) -> Result<()> {
        if self.s.status == Status::RollingBack {
            // Already rolling back (perhaps since an earlier event of this
            // call): the abort asks for nothing more.
            self.note(at, "abort", vec![by.to_string()]);
            return Ok(());
        }
        let reason = Reason::new("aborted", format!("aborted by {by}: {why}"))
            .with_subjects([by.to_string()]);
        let touched = self
            .s
            .waves
            .iter()
            .flat_map(|w| &w.steps)
            .any(|s| s.touched());
        if !touched {
            self.s.status = Status::Aborted;
            self.s.paused = None;
            self.note(at, "abort", vec![by.to_string()]);
            self.reasons.push(reason);
            return Ok(());
        }
        if self.s.status == Status::Halted {
            // A person confirms the rollback of a halted release.
            self.s.status = Status::Paused;
        }
        self.stop(ctx, at, vec![reason], false, true)
    }
}
