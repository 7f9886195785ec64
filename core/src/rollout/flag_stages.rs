//! Release stages after the deployment: feature flags turned up stage by
//! stage ([`ReleaseStage`]), each after the previous gate, each baked and
//! gated by a canary verdict, each held back by the plan's calendar.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::gate::{format_at, Gate};
use crate::error::{DeliveryError, Error, Result};
use crate::explain::Reason;
use crate::plan::{Plan, ReleaseStage, RolloutPolicy};
use crate::window::Calendar;

/// One release stage of a [`Schedule`](crate::Schedule): when a feature
/// flag is turned up, and the gate it must pass before the next stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagStage {
    /// 1-based position among the release stages.
    pub number: usize,
    /// The feature flag's key.
    pub flag: String,
    /// Share of units that see the feature from this stage on (1–100).
    pub percentage: u32,
    /// The share before this stage (0 for the flag's first stage).
    pub previous_percentage: u32,
    /// When the flag is turned up (RFC 3339, offset of the schedule start).
    pub start: String,
    /// `start` in seconds from the schedule start.
    pub start_seconds: u64,
    /// How long the plan's calendar held the stage back after the previous
    /// gate (and gap); 0 when it did not.
    pub wait_seconds: u64,
    /// Why it waited, with the codes and subjects of
    /// [`check_window`](crate::check_window) (subjects are paths into the
    /// plan's calendar); empty when it did not.
    pub wait_reasons: Vec<Reason>,
    /// What must pass before the next stage: the bake, alarms, health and
    /// a canary verdict on the units now exposed.
    pub gate: Gate,
    /// What the stage does: `flag_stage`, subject the flag, evidence
    /// `from` and `to` percentages.
    pub reasons: Vec<Reason>,
}

/// Checks the stages: a non-empty flag key and a whole percentage from 1
/// to 100 above the same flag's previous stage.
///
/// Errors: `invalid_input` at `/rollout/release_stages/<i>/flag`;
/// `invalid_percentage` at `/rollout/release_stages/<i>/percentage`.
pub(super) fn check_stages(stages: &[ReleaseStage]) -> Result<()> {
    let mut reached: BTreeMap<&str, (u32, usize)> = BTreeMap::new();
    for (i, stage) in stages.iter().enumerate() {
        let at = |field: &str| format!("/rollout/release_stages/{i}/{field}");
        if stage.flag.trim().is_empty() {
            return Err(Error::invalid_input(
                at("flag"),
                "a release stage names the feature flag it turns up",
            ));
        }
        let p = stage.percentage;
        if !(p.is_finite() && (1.0..=100.0).contains(&p) && p.fract() == 0.0) {
            return Err(Error::new(
                at("percentage"),
                DeliveryError::InvalidPercentage {
                    value: p,
                    message: "a release stage's percentage is a whole number from 1 to 100".into(),
                },
            ));
        }
        let p = p as u32;
        if let Some(&(before, j)) = reached.get(stage.flag.as_str()) {
            if p <= before {
                return Err(Error::new(
                    at("percentage"),
                    DeliveryError::InvalidPercentage {
                        value: stage.percentage,
                        message: format!(
                            "not increasing: /rollout/release_stages/{j} already turns `{}` up to {before}",
                            stage.flag
                        ),
                    },
                ));
            }
        }
        reached.insert(&stage.flag, (p, i));
    }
    Ok(())
}

/// Everything the release stages of one schedule share.
pub(super) struct StageRunner<'a> {
    pub(super) plan: &'a Plan,
    pub(super) policy: &'a RolloutPolicy,
    pub(super) calendars: &'a BTreeMap<String, Calendar>,
    pub(super) start: DateTime<FixedOffset>,
    pub(super) t0: i64,
    pub(super) horizon: i64,
}

impl StageRunner<'_> {
    /// The stages one after another from `ready` (the last wave's gate),
    /// each after the previous gate and `min_gap_between_waves`, each at
    /// the first instant the plan's calendar allows.
    ///
    /// Errors: `no_window_within_horizon` at `/calendar` when the calendar
    /// allows no instant within 366 days.
    pub(super) fn run(&self, mut ready: i64) -> Result<Vec<FlagStage>> {
        let calendar = self
            .plan
            .calendar
            .as_ref()
            .and_then(|id| self.calendars.get(id));
        let mut cache = calendar.map(Calendar::fit_cache);
        let gap = self.policy.min_gap_between_waves.as_secs() as i64;
        let mut reached: BTreeMap<&str, u32> = BTreeMap::new();
        let mut out = Vec::with_capacity(self.policy.release_stages.len());
        for (i, stage) in self.policy.release_stages.iter().enumerate() {
            let mut t = ready;
            let mut wait_reasons = Vec::new();
            if let (Some(cal), Some(cache)) = (calendar, cache.as_mut()) {
                let Some(x) = cache.fit(ready, 0, self.horizon) else {
                    return Err(cal.no_fit_error(ready, 0, self.horizon, "/calendar", "/calendar"));
                };
                if x > ready {
                    wait_reasons = cal.wait_reasons(ready, x, 0);
                    t = x;
                }
            }
            let percentage = stage.percentage as u32;
            let before = reached.insert(&stage.flag, percentage).unwrap_or(0);
            let bake = stage.bake_time.unwrap_or(self.policy.bake_time).as_secs() as i64;
            let pass = t + bake;
            let reason = Reason::new(
                "flag_stage",
                format!(
                    "{} goes from {before}% to {percentage}% of units once the previous gate has passed",
                    stage.flag
                ),
            )
            .with_subjects([stage.flag.as_str()])
            .with_evidence("from", before)
            .with_evidence("to", percentage);
            out.push(FlagStage {
                number: i + 1,
                flag: stage.flag.clone(),
                percentage,
                previous_percentage: before,
                start: format_at(self.start, t),
                start_seconds: (t - self.t0) as u64,
                wait_seconds: (t - ready) as u64,
                wait_reasons,
                gate: Gate {
                    bake_seconds: bake as u64,
                    min_bake_samples: self.policy.min_bake_samples,
                    checks: ["alarms_clear", "health", "canary_verdict"]
                        .map(String::from)
                        .to_vec(),
                    earliest_pass: format_at(self.start, pass),
                    earliest_pass_seconds: (pass - self.t0) as u64,
                },
                reasons: vec![reason],
            });
            ready = pass + gap;
        }
        Ok(out)
    }
}
