//! The caller's context of an assessment: release-window status (given, or
//! derived from a calendar), business and peak hours — and the factors
//! measured from it.

use chrono::Timelike;
use serde::{Deserialize, Serialize};

use super::factors::{flag, Measure, Measured, Phrase};
use crate::change::{Change, Validate};
use crate::error::{Error, Result};
use crate::plan::Plan;

/// A freeze this close (or closer) counts fully for `near_freeze`; the factor
/// falls linearly to 0 at this distance.
pub const NEAR_FREEZE_HORIZON_SECS: f64 = 72.0 * 3600.0;

/// Release-window status of the change's planned start, filled by the caller
/// from a calendar check (rollgate's release calendars, or any other).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowStatus {
    /// Whether the planned start lies inside an allowed window (`false` gives
    /// the `outside_window` factor).
    pub allowed: bool,
    /// Seconds from the planned start to the next freeze, `null` when none is
    /// scheduled; within [`NEAR_FREEZE_HORIZON_SECS`] it gives `near_freeze`.
    #[serde(default)]
    pub seconds_to_next_freeze: Option<f64>,
}

/// A range of local hours `[start_hour, end_hour)`; wraps past midnight when
/// `start_hour > end_hour`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HourRange {
    /// First hour inside (0–23).
    pub start_hour: u32,
    /// First hour after (0–24).
    pub end_hour: u32,
}

impl HourRange {
    /// Whether a local hour lies in the range.
    pub(super) fn contains(&self, hour: u32) -> bool {
        if self.start_hour <= self.end_hour {
            hour >= self.start_hour && hour < self.end_hour
        } else {
            hour >= self.start_hour || hour < self.end_hour
        }
    }
}

/// Optional context of a risk assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskContext {
    /// Release-window status from a calendar check. When absent, it is
    /// derived from `calendar` (or else the plan's default calendar) at the
    /// change's `planned_start` for its `planned_duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowStatus>,
    /// A release calendar (the shape [`check_window`](crate::check_window)
    /// takes) to check the planned start against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<crate::window::CalendarSpec>,
    /// Business hours in the planned start's local time (default 8–18);
    /// a start outside them on a weekday is `off_hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<HourRange>,
    /// Peak-traffic hours in local time; a start inside one is `peak`.
    #[serde(default)]
    pub peak_hours: Vec<HourRange>,
}

impl Validate for RiskContext {
    /// Hours within a day; a freeze distance that is finite and not negative.
    fn validate(&self, prefix: &str) -> Result<()> {
        let ranges = self
            .business_hours
            .iter()
            .map(|r| (r, format!("{prefix}/business_hours")))
            .chain(
                self.peak_hours
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r, format!("{prefix}/peak_hours/{i}"))),
            );
        for (r, path) in ranges {
            if r.start_hour > 23 || r.end_hour > 24 {
                return Err(Error::invalid_input(
                    path,
                    format!(
                        "hours must lie in 0..=23 (start) and 0..=24 (end), got {}..{}",
                        r.start_hour, r.end_hour
                    ),
                ));
            }
        }
        match self.window.and_then(|w| w.seconds_to_next_freeze) {
            Some(s) if !s.is_finite() || s < 0.0 => Err(Error::invalid_input(
                format!("{prefix}/window/seconds_to_next_freeze"),
                format!("must be a finite number of seconds ≥ 0, got {s}"),
            )),
            _ => Ok(()),
        }
    }
}

/// Measures a factor of the caller's context: `peak`, `outside_window`,
/// `near_freeze`.
pub(super) fn context_factor(change: &Change, code: &str, ctx: Option<&RiskContext>) -> Measure {
    match code {
        "peak" => {
            let ctx = ctx
                .filter(|c| !c.peak_hours.is_empty())
                .ok_or("no_peak_hours")?;
            let start = change.planned_start.ok_or("no_planned_start")?;
            let hour = start.hour();
            Ok(Some(flag(
                ctx.peak_hours.iter().any(|r| r.contains(hour)),
                "planned in peak hours",
            )))
        }
        "outside_window" | "near_freeze" => {
            let window = ctx.and_then(|c| c.window).ok_or("no_window")?;
            Ok(Some(if code == "outside_window" {
                flag(!window.allowed, "outside an allowed release window")
            } else {
                near_freeze(change, window)
            }))
        }
        _ => Ok(None),
    }
}

/// 1 when the next freeze starts within the planned duration, falling
/// linearly to 0 at [`NEAR_FREEZE_HORIZON_SECS`].
fn near_freeze(change: &Change, window: WindowStatus) -> Measured {
    let Some(secs) = window.seconds_to_next_freeze else {
        return Measured::new(0.0, 0.0, Phrase::Text("no freeze scheduled".into()));
    };
    let duration = change.planned_duration.map_or(0.0, |d| d.as_secs() as f64);
    let feature = if secs <= duration {
        1.0
    } else {
        (1.0 - secs / NEAR_FREEZE_HORIZON_SECS).clamp(0.0, 1.0)
    };
    let text = format!("{:.1} h before the next freeze", secs / 3600.0);
    Measured::new(secs, feature, Phrase::Text(text))
}

/// The release-window status of the change's planned start, from the
/// context's calendar or else the plan's default calendar, when the context
/// does not give one and the change has a planned start.
pub(super) fn derive_window(
    change: &Change,
    plan: Option<&Plan>,
    context: Option<&RiskContext>,
) -> Result<Option<WindowStatus>> {
    if context.is_some_and(|c| c.window.is_some()) {
        return Ok(None);
    }
    let Some(start) = change.planned_start else {
        return Ok(None);
    };
    let spec = match context.and_then(|c| c.calendar.as_ref()) {
        Some(spec) => Some((spec, "context/calendar".to_string())),
        None => plan.and_then(|p| {
            let id = p.calendar.as_ref()?;
            let spec = p.calendars.get(id)?;
            Some((
                spec,
                format!("plan/calendars/{}", crate::error::pointer_token(id)),
            ))
        }),
    };
    let Some((spec, path)) = spec else {
        return Ok(None);
    };
    let calendar = crate::window::Calendar::new(spec).map_err(|e| e.with_path_prefix(&path))?;
    let duration = change.planned_duration.unwrap_or_default();
    let check = calendar.check_window(*start, duration);
    let to_freeze = calendar
        .time_until_next_deny(*start)
        .map(|d| d.as_secs() as f64);
    Ok(Some(WindowStatus {
        allowed: check.allowed,
        seconds_to_next_freeze: to_freeze,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(v: serde_json::Value) -> RiskContext {
        crate::wire::from_value(v).unwrap()
    }

    fn error(v: serde_json::Value) -> String {
        ctx(v)
            .validate("context")
            .map_or_else(|e| e.path().to_string(), |()| "ok".into())
    }

    #[test]
    fn hours_and_freeze_distances_are_checked() {
        assert_eq!(
            error(serde_json::json!({"business_hours": {"start_hour": 23, "end_hour": 24}})),
            "ok"
        );
        assert_eq!(
            error(serde_json::json!({"business_hours": {"start_hour": 24, "end_hour": 1}})),
            "context/business_hours"
        );
        assert_eq!(
            error(
                serde_json::json!({"peak_hours": [{"start_hour": 1, "end_hour": 2}, {"start_hour": 1, "end_hour": 25}]})
            ),
            "context/peak_hours/1"
        );
        assert_eq!(
            error(serde_json::json!({"window": {"allowed": true, "seconds_to_next_freeze": 0}})),
            "ok"
        );
        assert_eq!(
            error(serde_json::json!({"window": {"allowed": true, "seconds_to_next_freeze": -1}})),
            "context/window/seconds_to_next_freeze"
        );
        let mut c = ctx(serde_json::json!({"window": {"allowed": true}}));
        c.window = Some(WindowStatus {
            allowed: true,
            seconds_to_next_freeze: Some(f64::INFINITY),
        });
        assert!(c.validate("").is_err());
    }

    #[test]
    fn hour_ranges_wrap_past_midnight() {
        let day = HourRange {
            start_hour: 8,
            end_hour: 18,
        };
        let night = HourRange {
            start_hour: 22,
            end_hour: 6,
        };
        assert_eq!(
            [7, 8, 17, 18].map(|h| day.contains(h)),
            [false, true, true, false]
        );
        assert_eq!(
            [21, 22, 0, 5, 6].map(|h| night.contains(h)),
            [false, true, true, true, false]
        );
    }

    #[test]
    fn near_freeze_is_full_within_the_deployment_and_fades_over_three_days() {
        let change: Change = crate::wire::from_value(serde_json::json!({
            "id": "c", "author": "a", "services": [], "planned_duration": "2h"}))
        .unwrap();
        let at = |secs: Option<f64>| {
            near_freeze(
                &change,
                WindowStatus {
                    allowed: true,
                    seconds_to_next_freeze: secs,
                },
            )
            .feature
        };
        assert_eq!(at(Some(7200.0)), 1.0);
        assert_eq!(at(Some(7201.0)), 1.0 - 7201.0 / NEAR_FREEZE_HORIZON_SECS);
        assert_eq!(at(Some(36.0 * 3600.0)), 0.5);
        assert_eq!(at(Some(100.0 * 3600.0)), 0.0);
        assert_eq!(at(None), 0.0);
        let m = near_freeze(
            &change,
            WindowStatus {
                allowed: true,
                seconds_to_next_freeze: Some(5400.0),
            },
        );
        assert_eq!(m.what.render(), "1.5 h before the next freeze");
    }

    #[test]
    fn peak_needs_hours_and_a_start() {
        let bare: Change =
            crate::wire::from_value(serde_json::json!({"id": "c", "author": "a", "services": []}))
                .unwrap();
        let peak = ctx(serde_json::json!({"peak_hours": [{"start_hour": 17, "end_hour": 20}]}));
        assert_eq!(
            context_factor(&bare, "peak", None).err(),
            Some("no_peak_hours")
        );
        assert_eq!(
            context_factor(&bare, "peak", Some(&RiskContext::default())).err(),
            Some("no_peak_hours")
        );
        assert_eq!(
            context_factor(&bare, "peak", Some(&peak)).err(),
            Some("no_planned_start")
        );
        let mut at = bare.clone();
        at.planned_start = Some(
            chrono::DateTime::parse_from_rfc3339("2026-11-24T18:30:00+01:00")
                .unwrap()
                .into(),
        );
        assert_eq!(
            context_factor(&at, "peak", Some(&peak))
                .unwrap()
                .unwrap()
                .feature,
            1.0
        );
        assert_eq!(
            context_factor(&at, "outside_window", Some(&peak)).err(),
            Some("no_window")
        );
        assert!(context_factor(&at, "lines_added", Some(&peak))
            .unwrap()
            .is_none());
    }
}
