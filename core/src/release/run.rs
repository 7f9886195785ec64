//! One call of the controller: the state being changed, the actions and
//! reasons collected, and the helpers every stage shares — failing a step,
//! halting, escalating, re-building the schedule from what happened.

use std::collections::BTreeMap;

use chrono::TimeZone;

use super::escalation::{self, Situation};
use super::events::Action;
use super::state::{Halt, HistoryEntry, ReleaseState, Status, StepStatus, WaveStatus};
use crate::change::Timestamp;
use crate::error::Result;
use crate::explain::Reason;
use crate::plan::Plan;
use crate::rollout::{rollback_plan, Gate, HaltRule, HaltedAt, RollbackPlan, Schedule, Step, Wave};
use crate::window::Calendar;

/// What one call reads besides the state.
pub(crate) struct Ctx {
    /// The call's time.
    pub now: Timestamp,
    /// Each region's calendar (regions without one are always allowed).
    pub calendars: BTreeMap<String, Calendar>,
    /// Whether the plan has a customer-facing service.
    pub customer_facing: bool,
    /// Every region id of the plan.
    pub regions: Vec<String>,
    /// The plan's release stages as `flag percentage%`, in order: the
    /// controller does not drive them, and says so when the waves are done.
    pub release_stages: Vec<(String, u32)>,
}

impl Ctx {
    /// Compiles the calendars of the plan's regions (each calendar once).
    pub(crate) fn new(plan: &Plan, now: Timestamp) -> Result<Ctx> {
        let mut compiled: BTreeMap<&str, Calendar> = BTreeMap::new();
        let mut calendars = BTreeMap::new();
        for r in &plan.regions {
            let Some(id) = r.calendar.as_ref().or(plan.calendar.as_ref()) else {
                continue;
            };
            let Some(spec) = plan.calendars.get(id) else {
                continue;
            };
            if !compiled.contains_key(id.as_str()) {
                let prefix = format!("/calendars/{}", crate::error::pointer_token(id));
                let calendar = Calendar::new(spec).map_err(|e| e.with_path_prefix(&prefix))?;
                compiled.insert(id, calendar);
            }
            if let Some(c) = compiled.get(id.as_str()) {
                calendars.insert(r.id.clone(), c.clone());
            }
        }
        Ok(Ctx {
            now,
            calendars,
            customer_facing: plan.services.iter().any(|s| s.customer_facing),
            regions: plan.regions.iter().map(|r| r.id.clone()).collect(),
            release_stages: plan
                .rollout
                .iter()
                .flat_map(|r| &r.release_stages)
                .map(|s| (s.flag.clone(), s.percentage as u32))
                .collect(),
        })
    }
}

/// The state of one call as it is being changed.
pub(crate) struct Run {
    /// The new state.
    pub s: ReleaseState,
    /// Actions so far.
    pub actions: Vec<Action>,
    /// Reasons so far.
    pub reasons: Vec<Reason>,
}

impl Run {
    /// Notes a decision in the history.
    pub(crate) fn note(&mut self, at: Timestamp, what: &str, subjects: Vec<String>) {
        self.s.history.push(HistoryEntry {
            at,
            what: what.to_string(),
            subjects,
        });
    }

    /// Whether the release can still deploy.
    pub(crate) fn active(&self) -> bool {
        !matches!(
            self.s.status,
            Status::Halted | Status::RollingBack | Status::Completed | Status::Aborted
        )
    }

    /// A step attempt failed at `at` (`why`: `step_failed`, `step_timeout`,
    /// `check_failed`): counted, retried while the failures stay within
    /// `max_failed_steps`, else the release halts.
    pub(crate) fn fail(
        &mut self,
        ctx: &Ctx,
        step: Option<(usize, usize)>,
        at: Timestamp,
        why: Reason,
    ) -> Result<()> {
        self.s.failed_steps = self.s.failed_steps.saturating_add(1);
        let (failed, max) = (self.s.failed_steps, self.s.max_failed_steps);
        let over = failed > max;
        let mut why = why
            .with_evidence("failed_steps", failed)
            .with_evidence("max_failed_steps", max);
        if let Some(step) = step.and_then(|p| self.s.step_mut(p)) {
            why = why.with_evidence("attempt", step.attempts);
            if over {
                step.status = StepStatus::Failed;
                step.finished_at = Some(at);
            } else {
                step.status = StepStatus::Pending;
                step.started_at = None;
                step.requested_at = None;
            }
        }
        let subjects = why.subjects.clone();
        self.note(at, &why.code, subjects);
        self.reasons.push(why);
        if over && self.active() {
            let halt = Reason::new(
                "max_failed_steps",
                format!(
                    "{failed} failed step attempts exceed the {max} tolerated: the release halts"
                ),
            )
            .with_evidence("failed_steps", failed)
            .with_evidence("max_failed_steps", max);
            self.halt(ctx, at, vec![halt], false)?;
        }
        Ok(())
    }

    /// Halts the release at `at`: rolls back at once when `force` (a rule
    /// asked for it), or on the release's `auto_rollback`; else waits for a
    /// person. Rules with `on_halt` fire.
    pub(crate) fn halt(
        &mut self,
        ctx: &Ctx,
        at: Timestamp,
        reasons: Vec<Reason>,
        force: bool,
    ) -> Result<()> {
        self.stop(ctx, at, reasons, force, false)
    }

    /// Stops the release at `at`; with `ordered` (a person's abort) it rolls
    /// back, not automatically.
    pub(crate) fn stop(
        &mut self,
        ctx: &Ctx,
        at: Timestamp,
        reasons: Vec<Reason>,
        force: bool,
        ordered: bool,
    ) -> Result<()> {
        if !self.active() {
            return Ok(());
        }
        let rollback = self.rollback(at)?;
        let escalations = self.escalate(
            ctx,
            &Situation {
                region: None,
                decision: None,
                estimates: None,
                halting: true,
                customer_facing: ctx.customer_facing,
            },
            &rollback,
        );
        let automatic = !ordered && (force || escalations || self.s.auto_rollback);
        self.s.status = if automatic || ordered {
            Status::RollingBack
        } else {
            Status::Halted
        };
        self.s.paused = None;
        self.note(
            at,
            "halted",
            reasons.iter().map(|r| r.code.clone()).collect(),
        );
        self.reasons.extend(reasons.iter().cloned());
        if automatic || ordered {
            self.actions.push(Action::RollBack {
                automatic,
                plan: rollback.clone(),
            });
        }
        self.s.halt = Some(Halt {
            at,
            reasons,
            automatic,
            rollback,
        });
        Ok(())
    }

    /// Raises the escalations that fire in `s`; returns whether one of them
    /// rolls back on its own.
    pub(crate) fn escalate(
        &mut self,
        ctx: &Ctx,
        s: &Situation<'_>,
        rollback: &RollbackPlan,
    ) -> bool {
        let policy = self.s.escalation.clone();
        let fired = escalation::fire(&policy, s, &mut self.s.escalated);
        let mut auto = false;
        let verdict_rollback = s.decision == Some(crate::verdict::Decision::Rollback);
        for f in fired {
            auto |= f.rule.auto_rollback;
            let rolls_back =
                f.rule.auto_rollback || verdict_rollback || (s.halting && self.s.auto_rollback);
            let regions: Vec<String> = s.region.map(str::to_string).into_iter().collect();
            let mut services: Vec<String> = self
                .s
                .waves
                .iter()
                .flat_map(|w| &w.steps)
                .filter(|st| st.touched() && (regions.is_empty() || regions.contains(&st.region)))
                .map(|st| st.service.clone())
                .collect();
            services.sort();
            services.dedup();
            let rollback_steps = if rolls_back {
                rollback
                    .undo
                    .iter()
                    .map(|u| format!("{}@{}", u.service, u.region))
                    .collect()
            } else {
                Vec::new()
            };
            self.reasons.push(
                Reason::new(
                    "escalated",
                    format!("rule {} fired: {} incident", f.rule.name, f.rule.severity),
                )
                .with_subjects([f.rule.name.clone()])
                .with_evidence("severity", f.rule.severity.clone()),
            );
            self.note(
                self.s.last_at.max(ctx.now),
                "escalated",
                vec![f.rule.name.clone()],
            );
            self.actions.push(Action::Escalate {
                release: self.s.release.clone(),
                severity: f.rule.severity.clone(),
                rule: f.rule.name.clone(),
                regions,
                services,
                evidence: f.evidence,
                notify: policy.notify_for(&f.rule.severity),
                auto_rollback: rolls_back,
                rollback_steps,
            });
        }
        auto
    }

    /// The rollback plan for the position at `at`: the schedule rebuilt
    /// from what actually happened, handed to [`rollback_plan`].
    pub(crate) fn rollback(&self, at: Timestamp) -> Result<RollbackPlan> {
        rollback_plan(&self.actual_schedule(at), &HaltedAt::Time(at.to_rfc3339()))
    }

    /// The schedule as it happened up to `at`: finished steps at their
    /// actual times, running or requested steps in flight, the rest after
    /// `at`.
    fn actual_schedule(&self, at: Timestamp) -> Schedule {
        let start = self.s.started_at;
        let t0 = start.timestamp();
        let h = (at.timestamp() - t0).max(0) as u64;
        let fmt = |secs: u64| {
            start
                .offset()
                .timestamp_opt(t0 + secs as i64, 0)
                .single()
                .map_or_else(|| secs.to_string(), |d| d.to_rfc3339())
        };
        let secs = |t: Option<Timestamp>| t.map(|t| (t.timestamp() - t0).max(0) as u64);
        let waves = self
            .s
            .waves
            .iter()
            .map(|w| {
                let steps = w
                    .steps
                    .iter()
                    .map(|st| {
                        let began = secs(st.started_at.or(st.requested_at));
                        let (a, b) = match (st.status, began, secs(st.finished_at)) {
                            (StepStatus::Succeeded, Some(a), Some(b)) => (a, b.max(a)),
                            // A failed step may be half deployed: it is in flight.
                            (
                                StepStatus::Running | StepStatus::Requested | StepStatus::Failed,
                                Some(a),
                                _,
                            ) => (a.min(h), h + 1 + st.duration_seconds),
                            _ => (h + 1, h + 1 + st.duration_seconds),
                        };
                        Step {
                            service: st.service.clone(),
                            region: st.region.clone(),
                            stage: st.stage.clone(),
                            layer: st.layer,
                            start: fmt(a),
                            finish: fmt(b),
                            start_seconds: a,
                            finish_seconds: b,
                            migration: st.migration,
                            reversible: st.reversible,
                            group: st.group,
                            drain_seconds: 0,
                        }
                    })
                    .collect::<Vec<_>>();
                let first = steps.iter().map(|s| s.start_seconds).min().unwrap_or(h + 1);
                let last = steps
                    .iter()
                    .map(|s| s.finish_seconds)
                    .max()
                    .unwrap_or(first);
                Wave {
                    number: w.number,
                    kind: w.kind.clone(),
                    regions: w.regions.clone(),
                    traffic_share: w.traffic_share,
                    reasons: Vec::new(),
                    start: fmt(first),
                    finish: fmt(last),
                    start_seconds: first,
                    finish_seconds: last,
                    waits: Vec::new(),
                    steps,
                    gate: Gate {
                        bake_seconds: w.bake_seconds,
                        min_bake_samples: w.min_bake_samples,
                        checks: w.checks.clone(),
                        earliest_pass: fmt(last + w.bake_seconds),
                        earliest_pass_seconds: last + w.bake_seconds,
                    },
                }
            })
            .collect::<Vec<_>>();
        let end = waves
            .iter()
            .map(|w| w.gate.earliest_pass_seconds)
            .max()
            .unwrap_or(0);
        Schedule {
            plan: self.s.release.clone(),
            start: start.to_rfc3339(),
            finish: fmt(end),
            total_duration_seconds: end,
            halt_rule: HaltRule {
                max_failed_steps: self.s.max_failed_steps,
                step_timeout_seconds: self.s.step_timeout_seconds,
            },
            findings: Vec::new(),
            waves,
            release_stages: Vec::new(),
        }
    }

    /// Steps of the current wave that are requested or running.
    pub(crate) fn in_flight(&self) -> Vec<(usize, usize)> {
        let Some(w) = self.s.current_wave() else {
            return Vec::new();
        };
        self.s
            .waves
            .get(w)
            .filter(|wave| wave.status == WaveStatus::Deploying)
            .map(|wave| {
                wave.steps
                    .iter()
                    .enumerate()
                    .filter(|(_, st)| {
                        matches!(st.status, StepStatus::Requested | StepStatus::Running)
                    })
                    .map(|(i, _)| (w, i))
                    .collect()
            })
            .unwrap_or_default()
    }
}
