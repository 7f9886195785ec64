//! Moving the release forward at `now`: step timeouts, then wave after wave
//! — the gap and approval before a wave, its steps in dependency order
//! inside each region's release windows, the bake and the gate after it —
//! re-timed from what actually happened, never from the original plan.

use super::events::{Action, StepRef};
use super::run::{Ctx, Run};
use super::state::{Status, StepState, StepStatus, WaveState, WaveStatus};
use crate::change::Timestamp;
use crate::error::Result;
use crate::explain::Reason;
use crate::wire::DurationSecs;

/// What the current wave's deployment needs now.
#[derive(Default)]
struct Deploying {
    steps: Vec<StepRef>,
    waits: Vec<Action>,
    in_flight: bool,
}

fn at_plus(t: Timestamp, secs: u64) -> Timestamp {
    Timestamp(*t + chrono::TimeDelta::seconds(secs.min(i64::MAX as u64 / 1000) as i64))
}

fn wait(
    until: Option<Timestamp>,
    reason: &str,
    regions: Vec<String>,
    reasons: Vec<Reason>,
) -> Action {
    Action::Wait {
        until,
        reason: reason.to_string(),
        regions,
        reasons,
    }
}

impl Run {
    /// Steps of the current wave not finished by their start (or request)
    /// plus the step timeout have failed at `now`.
    pub(crate) fn timeouts(&mut self, ctx: &Ctx) -> Result<()> {
        let Some(limit) = self.s.step_timeout_seconds else {
            return Ok(());
        };
        for pos in self.in_flight() {
            if !self.active() {
                break;
            }
            let Some(st) = self.s.waves.get(pos.0).and_then(|w| w.steps.get(pos.1)) else {
                continue;
            };
            let Some(began) = st.started_at.or(st.requested_at) else {
                continue;
            };
            if ctx.now.timestamp() > began.timestamp() + limit as i64 {
                let label = st.label();
                let why = Reason::new(
                    "step_timeout",
                    format!(
                        "{label} has not finished {limit} s after it started: it counts as failed"
                    ),
                )
                .with_subjects([label]);
                self.fail(ctx, Some(pos), ctx.now, why)?;
            }
        }
        Ok(())
    }

    /// Moves the release forward at `now` and sets its status.
    pub(crate) fn progress(&mut self, ctx: &Ctx) -> Result<()> {
        match self.s.status {
            Status::Completed => {
                self.done();
                return Ok(());
            }
            Status::Aborted | Status::Halted | Status::Paused => return Ok(()),
            Status::RollingBack => {
                if let Some(h) = &self.s.halt {
                    let already = self.actions.iter().any(|a| a.kind() == "roll_back");
                    if !already {
                        self.actions.push(Action::RollBack {
                            automatic: h.automatic,
                            plan: h.rollback.clone(),
                        });
                    }
                }
                return Ok(());
            }
            _ => {}
        }
        // Each pass either stops or moves a wave one status on (pending,
        // deploying, baking, passed), so 3 passes per wave and one more suffice.
        for _ in 0..=3 * self.s.waves.len() {
            let Some(w) = self.s.current_wave() else {
                self.s.status = Status::Completed;
                self.note(ctx.now, "completed", Vec::new());
                self.reasons
                    .push(Reason::new("completed", "every wave has passed its gate"));
                if let Some(stages) = release_stages_left(ctx) {
                    self.reasons.push(stages);
                }
                self.done();
                return Ok(());
            };
            let status = self.s.waves.get(w).map(|x| x.status);
            let go_on = match status {
                Some(WaveStatus::Pending) => self.open(ctx, w),
                Some(WaveStatus::Deploying) => self.deploy(ctx, w),
                Some(WaveStatus::Baking) => self.bake(ctx, w),
                _ => false,
            };
            if !go_on {
                break;
            }
        }
        Ok(())
    }

    fn done(&mut self) {
        let finished = self
            .s
            .waves
            .iter()
            .filter_map(|w| w.passed_at)
            .max()
            .unwrap_or(self.s.last_at);
        self.actions.push(Action::Done {
            release: self.s.release.clone(),
            finished_at: finished,
        });
    }

    /// Opens wave `w` when its gap has passed and its approval is given.
    fn open(&mut self, ctx: &Ctx, w: usize) -> bool {
        let ready = match w.checked_sub(1).and_then(|p| self.s.waves.get(p)) {
            None => self.s.started_at,
            Some(prev) => at_plus(prev.passed_at.unwrap_or(ctx.now), self.s.min_gap_seconds),
        };
        self.s.status = Status::Waiting;
        if ctx.now < ready {
            let why = Reason::new(
                "min_gap",
                format!("wave {} starts after the gap between waves", w + 1),
            )
            .with_evidence("min_gap_seconds", self.s.min_gap_seconds);
            self.actions
                .push(wait(Some(ready), "min_gap", Vec::new(), vec![why]));
            return false;
        }
        let Some(wave) = self.s.waves.get_mut(w) else {
            return false;
        };
        if self.s.approval_waves.contains(&wave.number) && wave.approved_by.is_none() {
            let why = Reason::new(
                "approval_required",
                format!("wave {} needs an approval before it starts", wave.number),
            );
            self.actions.push(wait(
                None,
                "approval_required",
                wave.regions.clone(),
                vec![why],
            ));
            return false;
        }
        wave.status = WaveStatus::Deploying;
        wave.started_at = Some(ctx.now);
        let (number, regions) = (wave.number, wave.regions.clone());
        self.reasons.push(
            Reason::new(
                "wave_started",
                format!("wave {number} starts: {}", regions.join(", ")),
            )
            .with_subjects(regions.iter().cloned()),
        );
        self.note(ctx.now, "wave_started", regions);
        true
    }

    /// Issues the steps of wave `w` that may start now; moves it to baking
    /// once every step has succeeded.
    fn deploy(&mut self, ctx: &Ctx, w: usize) -> bool {
        let Some(wave) = self.s.waves.get(w) else {
            return false;
        };
        if wave.steps.iter().all(|s| s.status == StepStatus::Succeeded) {
            let last = wave
                .steps
                .iter()
                .filter_map(|s| s.finished_at)
                .max()
                .unwrap_or(ctx.now);
            let number = wave.number;
            if let Some(wave) = self.s.waves.get_mut(w) {
                wave.status = WaveStatus::Baking;
                wave.deployed_at = Some(last);
            }
            self.reasons.push(Reason::new(
                "wave_deployed",
                format!("every step of wave {number} succeeded: it bakes"),
            ));
            self.note(last, "wave_deployed", Vec::new());
            return true;
        }
        let plan = self.plan_steps(ctx, wave);
        if let Some(wave) = self.s.waves.get_mut(w) {
            for r in &plan.steps {
                if let Some(st) = wave.steps.iter_mut().find(|s| {
                    s.status == StepStatus::Pending
                        && s.region == r.region
                        && s.service == r.service
                        && s.stage == r.stage
                        && s.group == r.group
                }) {
                    st.status = StepStatus::Requested;
                    st.requested_at = Some(ctx.now);
                    st.attempts = st.attempts.saturating_add(1);
                }
            }
        }
        let busy = plan.in_flight || !plan.steps.is_empty();
        self.s.status = if busy {
            Status::Deploying
        } else {
            Status::Waiting
        };
        if !plan.steps.is_empty() {
            let number = w + 1;
            self.actions.push(Action::Deploy {
                wave: number,
                steps: plan.steps,
            });
        }
        self.actions.extend(plan.waits);
        false
    }

    /// The steps of `wave` that may start now, and the regions that wait.
    fn plan_steps(&self, ctx: &Ctx, wave: &WaveState) -> Deploying {
        let mut out = Deploying::default();
        let active = |region: &str| {
            wave.steps.iter().any(|s| {
                s.region == region
                    && matches!(s.status, StepStatus::Requested | StepStatus::Running)
            })
        };
        let mut busy = wave.regions.iter().filter(|r| active(r)).count();
        let cap = self
            .s
            .max_concurrent_regions
            .map_or(usize::MAX, |c| c as usize);
        for region in &wave.regions {
            let steps: Vec<&StepState> =
                wave.steps.iter().filter(|s| &s.region == region).collect();
            let was_active = active(region);
            out.in_flight |= was_active;
            let Some(next) = steps
                .iter()
                .filter(|s| s.status != StepStatus::Succeeded)
                .map(|s| (s.stage_rank(), s.layer))
                .min()
            else {
                continue;
            };
            let batch: Vec<&&StepState> = steps
                .iter()
                .filter(|s| (s.stage_rank(), s.layer) == next)
                .collect();
            let started = batch.iter().any(|s| s.status != StepStatus::Pending);
            if !started {
                if let Some(wait) = self.hold_region(ctx, region, &steps, &batch) {
                    out.waits.push(wait);
                    continue;
                }
                if !was_active && busy >= cap {
                    continue;
                }
            }
            let mut ready: Vec<StepRef> = batch
                .iter()
                .filter(|s| s.status == StepStatus::Pending)
                .filter(|s| {
                    // An instance group follows the previous group of its service.
                    s.group.is_none_or(|g| {
                        batch.iter().all(|o| {
                            o.service != s.service
                                || o.group.is_none_or(|og| og >= g)
                                || o.status == StepStatus::Succeeded
                        })
                    })
                })
                .map(|s| StepRef {
                    region: s.region.clone(),
                    service: s.service.clone(),
                    stage: s.stage.clone(),
                    group: s.group,
                    layer: s.layer,
                    attempt: s.attempts.saturating_add(1),
                })
                .collect();
            ready.sort_by(|a, b| (&a.service, a.group).cmp(&(&b.service, b.group)));
            if !ready.is_empty() && !was_active {
                busy += 1;
            }
            out.steps.extend(ready);
        }
        out
    }

    /// Why a region may not start its next batch now: the one-box bake, or
    /// a closed release window (with the calendar's next allowed start).
    fn hold_region(
        &self,
        ctx: &Ctx,
        region: &str,
        steps: &[&StepState],
        batch: &[&&StepState],
    ) -> Option<Action> {
        let full = batch.iter().any(|s| s.stage == "full");
        if let (true, Some(bake)) = (full, self.s.one_box_bake_seconds) {
            let boxed = steps
                .iter()
                .filter(|s| s.stage == "one_box")
                .filter_map(|s| s.finished_at)
                .max();
            if let Some(until) = boxed.map(|t| at_plus(t, bake)).filter(|u| ctx.now < *u) {
                let why = Reason::new(
                    "one_box_bake",
                    format!("the one box in {region} bakes before the rest of the region"),
                )
                .with_subjects([region])
                .with_evidence("bake_seconds", bake);
                return Some(wait(
                    Some(until),
                    "bake",
                    vec![region.to_string()],
                    vec![why],
                ));
            }
        }
        let calendar = ctx.calendars.get(region)?;
        let duration = batch_duration(batch);
        let check = calendar.check_window(*ctx.now, DurationSecs(duration));
        if check.allowed {
            return None;
        }
        let until = check
            .next_allowed_start
            .as_deref()
            .and_then(|t| crate::wire::time::parse_timestamp("", t).ok())
            .map(Timestamp);
        Some(wait(
            until,
            "window_closed",
            vec![region.to_string()],
            check.reasons,
        ))
    }

    /// Whether wave `w`'s gate passes now: bake time, samples, checks and
    /// canary verdict; asks for the checks once.
    fn bake(&mut self, ctx: &Ctx, w: usize) -> bool {
        let watched = self.s.analysis.is_some();
        let Some(wave) = self.s.waves.get(w) else {
            return false;
        };
        self.s.status = Status::Baking;
        let asked: Vec<String> = wave
            .checks
            .iter()
            .filter(|c| !(watched && c.as_str() == "canary_verdict"))
            .cloned()
            .collect();
        let deployed = wave.deployed_at.unwrap_or(ctx.now);
        let until = at_plus(deployed, wave.bake_seconds);
        let mut pending = Vec::new();
        if ctx.now < until {
            let why = Reason::new(
                "bake",
                format!(
                    "wave {} bakes {} s after its last step",
                    wave.number, wave.bake_seconds
                ),
            )
            .with_evidence("bake_seconds", wave.bake_seconds);
            pending.push(wait(Some(until), "bake", Vec::new(), vec![why]));
        }
        if wave.bake_samples < wave.min_bake_samples {
            let why = Reason::new(
                "min_samples",
                format!(
                    "the bake has {} of {} metric batches",
                    wave.bake_samples, wave.min_bake_samples
                ),
            )
            .with_evidence("samples", wave.bake_samples)
            .with_evidence("min_bake_samples", wave.min_bake_samples);
            pending.push(wait(None, "min_samples", Vec::new(), vec![why]));
        }
        let missing: Vec<String> = asked
            .iter()
            .filter(|c| {
                wave.regions.iter().any(|r| {
                    !wave
                        .check_results
                        .get(*c)
                        .and_then(|m| m.get(r))
                        .is_some_and(|x| x.passed)
                })
            })
            .cloned()
            .collect();
        let mut actions = Vec::new();
        if !wave.checks_requested && !missing.is_empty() {
            actions.push(Action::RunChecks {
                wave: wave.number,
                checks: missing.clone(),
                regions: wave.regions.clone(),
            });
        }
        if !missing.is_empty() {
            let why = Reason::new(
                "checks_pending",
                format!("checks not passed yet: {}", missing.join(", ")),
            )
            .with_subjects(missing.iter().cloned());
            pending.push(wait(None, "checks", wave.regions.clone(), vec![why]));
        }
        if watched && wave.needs_verdict() && wave.verdict_accepted_by.is_none() {
            let undecided: Vec<String> = wave
                .regions
                .iter()
                .filter(|r| {
                    self.s.watches.get(*r).and_then(|x| x.decision)
                        != Some(crate::verdict::Decision::Promote)
                })
                .cloned()
                .collect();
            if !undecided.is_empty() {
                let why = Reason::new(
                    "canary_verdict",
                    format!("the canary watch has not promoted {}", undecided.join(", ")),
                )
                .with_subjects(undecided.iter().cloned());
                pending.push(wait(None, "canary_verdict", undecided, vec![why]));
            }
        }
        let number = wave.number;
        if let Some(wave) = self.s.waves.get_mut(w) {
            wave.checks_requested = true;
        }
        self.actions.extend(actions);
        if !pending.is_empty() {
            self.actions.extend(pending);
            return false;
        }
        if let Some(wave) = self.s.waves.get_mut(w) {
            wave.status = WaveStatus::Passed;
            wave.passed_at = Some(ctx.now);
        }
        self.reasons.push(Reason::new(
            "gate_passed",
            format!("wave {number} passed its gate"),
        ));
        self.note(ctx.now, "gate_passed", Vec::new());
        true
    }
}

/// The `release_stages_left` reason when the plan has release stages: the
/// controller drives the waves only, the caller turns the flags up.
fn release_stages_left(ctx: &Ctx) -> Option<Reason> {
    if ctx.release_stages.is_empty() {
        return None;
    }
    let steps: Vec<String> = ctx
        .release_stages
        .iter()
        .map(|(flag, p)| format!("{flag} {p}%"))
        .collect();
    let mut flags: Vec<&str> = ctx.release_stages.iter().map(|(f, _)| f.as_str()).collect();
    flags.sort_unstable();
    flags.dedup();
    let message = format!(
        "the plan's release stages are not driven by the release controller: turn the flags up ({}) as the release_stages of schedule_rollout plan them, each gated by its own canary verdict",
        steps.join(" -> ")
    );
    Some(Reason::new("release_stages_left", message).with_subjects(flags))
}

/// Time a batch occupies its region: its longest service (all instance
/// groups of a stateful service one after another).
fn batch_duration(batch: &[&&StepState]) -> u64 {
    let mut by_service: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for s in batch {
        *by_service.entry(s.service.as_str()).or_default() += s.duration_seconds;
    }
    by_service.into_values().max().unwrap_or(0)
}
