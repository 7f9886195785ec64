//! Whether a deployment may start at a given time, and why: the reasons a
//! [`WindowCheck`] and a rollout's window waits give.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::compile::{Calendar, Kind, Window};
use super::intervals::find_fit;
use super::DEFAULT_HORIZON;
use crate::explain::Reason;
use crate::wire::time::format_in;
use crate::wire::DurationSecs;

/// The answer of [`check_window`](crate::check_window).
///
/// Each reason is a [`Reason`] whose `subjects` are the windows concerned,
/// as paths into the calendar (`allow/0`, `deny/1`, `holidays/0`); see the
/// window rows of the table in [`explain`](crate::explain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowCheck {
    /// Whether a deployment of that duration may start at that time.
    pub allowed: bool,
    /// Why: the windows that allowed or denied it.
    pub reasons: Vec<Reason>,
    /// Earliest allowed start at or after the time asked about (equal to it
    /// when allowed), in the calendar's offset; `None` if there is none
    /// within 366 days.
    pub next_allowed_start: Option<String>,
}

/// Which list a fit is checked against, for codes and messages.
#[derive(Clone, Copy)]
enum Fit {
    Allow,
    Coverage,
}

impl Fit {
    fn codes(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Fit::Allow => ("inside_allow", "outside_allow", "allow"),
            Fit::Coverage => ("inside_coverage", "outside_coverage", "coverage"),
        }
    }
}

/// A deny window's or holiday's occurrence `[s, e)` as a reason: code
/// `holiday` or `deny_window`, the window's path as subject.
fn deny_reason(calendar: &Calendar, w: &Window, (s, e): (i64, i64), effect: &str) -> Reason {
    let fmt = |x: i64| format_in(&calendar.tz, x);
    let why = w
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let (code, what) = if w.kind == Kind::Holiday {
        ("holiday", "holiday")
    } else {
        ("deny_window", "deny window")
    };
    Reason::new(
        code,
        format!(
            "{what} {}{why} from {} to {} {effect}",
            w.label,
            fmt(s),
            fmt(e)
        ),
    )
    .with_subjects([w.label.as_str()])
}

impl Calendar {
    /// Whether a deployment of `duration` may start at `at`, with the windows
    /// that allowed or denied it and the next allowed start; see
    /// [`check_window`](crate::check_window).
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
    ///   "deny": [{"days": ["fri"], "start": "15:00", "end": "24:00", "reason": "no Friday deploys"}]}"#).unwrap();
    /// let calendar = rollgate::Calendar::new(&spec).unwrap();
    /// let at = rollgate::window::parse_timestamp("at", "2026-11-27T14:30:00Z").unwrap();
    /// let check = calendar.check_window(at, rollgate::DurationSecs(3600));
    /// assert!(!check.allowed);
    /// assert_eq!(check.reasons[0].code, "deny_window");
    /// assert_eq!(check.reasons[0].subjects, ["deny/0"]);
    /// assert_eq!(check.next_allowed_start.as_deref(), Some("2026-11-28T00:00:00+00:00"));
    /// ```
    pub fn check_window(&self, at: DateTime<FixedOffset>, duration: DurationSecs) -> WindowCheck {
        let t = at.timestamp();
        let d = duration.as_secs() as i64;
        if self.is_unrestricted() {
            return WindowCheck {
                allowed: true,
                reasons: vec![Reason::new(
                    "no_windows",
                    "the calendar has no windows: always allowed",
                )],
                next_allowed_start: Some(format_in(&self.tz, t)),
            };
        }
        let (allowed, mut reasons) = self.reasons_at(t, d);
        let horizon = DEFAULT_HORIZON.as_secs() as i64;
        let next = if allowed {
            Some(t)
        } else {
            self.next_fit(t, d, horizon)
        };
        if next.is_none() {
            if let Some(longest) = self.too_short(t, d, horizon) {
                reasons.push(
                    Reason::new(
                        "window_too_short",
                        format!(
                            "the deployment ({d} s) is longer than every allow window (longest {longest} s)"
                        ),
                    )
                    .with_evidence("duration_seconds", d)
                    .with_evidence("longest_window_seconds", longest),
                );
            }
        }
        WindowCheck {
            allowed,
            reasons,
            next_allowed_start: next.map(|x| format_in(&self.tz, x)),
        }
    }

    /// Whether `[t, t + d)` is allowed, with the deny windows and holidays
    /// that overlap it, then the allow and coverage windows that contain it
    /// (or that none does).
    fn reasons_at(&self, t: i64, d: i64) -> (bool, Vec<Reason>) {
        let mut reasons = Vec::new();
        for w in &self.deny {
            if let Some(occurrence) = self.overlapping(w, t, d) {
                reasons.push(deny_reason(self, w, occurrence, "overlaps the deployment"));
            }
        }
        let denied = !reasons.is_empty();
        let allow_ok = self.fit_reasons(&self.allow, t, d, Fit::Allow, &mut reasons);
        let coverage_ok = self.fit_reasons(&self.coverage, t, d, Fit::Coverage, &mut reasons);
        (!denied && allow_ok && coverage_ok, reasons)
    }

    /// The first occurrence of `w` overlapping `[t, t + d)` (containing `t`
    /// when `d` is zero).
    fn overlapping(&self, w: &Window, t: i64, d: i64) -> Option<(i64, i64)> {
        let end = t + d;
        let mut occ = Vec::new();
        self.occurrences(w, t, end, &mut occ);
        occ.into_iter().find(|&(s, e)| {
            if d == 0 {
                s <= t && t < e
            } else {
                s < end && t < e
            }
        })
    }

    /// Whether `[t, t + d)` lies inside one merged stretch of `list` (always
    /// when the list is empty), pushing the reasons.
    fn fit_reasons(
        &self,
        list: &[Window],
        t: i64,
        d: i64,
        fit: Fit,
        reasons: &mut Vec<Reason>,
    ) -> bool {
        if list.is_empty() {
            return true;
        }
        let (inside, outside, noun) = fit.codes();
        let end = t + d;
        let ok = self
            .merged(list, t, end)
            .iter()
            .any(|&(s, e)| s <= t && (if d == 0 { t < e } else { end <= e }));
        if ok {
            for w in list {
                if self.overlapping(w, t, d).is_some() {
                    reasons.push(
                        Reason::new(
                            inside,
                            format!("{noun} window {} covers the deployment", w.label),
                        )
                        .with_subjects([w.label.as_str()]),
                    );
                }
            }
        } else {
            let fmt = |x: i64| format_in(&self.tz, x);
            // A zero-length change (a feature flag turned up) is an instant.
            let message = if end == t {
                format!("no {noun} window is open at {}", fmt(t))
            } else {
                format!(
                    "no {noun} window contains the whole deployment from {} to {}",
                    fmt(t),
                    fmt(end)
                )
            };
            reasons.push(Reason::new(outside, message));
        }
        ok
    }

    /// Why a deployment of `d` seconds ready at `t` had to wait until `x`:
    /// the reasons [`check_window`](Calendar::check_window) gives at `t`
    /// (without the windows that contain it), then every deny window or
    /// holiday that held it back after `t` — those overlapping the stretch
    /// from the earliest start the allow and coverage windows alone would
    /// give to `x` — each named once.
    pub(crate) fn wait_reasons(&self, t: i64, x: i64, d: i64) -> Vec<Reason> {
        let (_, mut reasons) = self.reasons_at(t, d);
        reasons.retain(|r| !matches!(r.code.as_str(), "inside_allow" | "inside_coverage"));
        let open = self.free(t, x + d, false);
        let Some(earliest) = find_fit(&open, t, d, x) else {
            return reasons;
        };
        for w in &self.deny {
            if reasons.iter().any(|r| r.subjects.first() == Some(&w.label)) {
                continue;
            }
            let mut occ = Vec::new();
            self.occurrences(w, earliest, x, &mut occ);
            let held = occ
                .into_iter()
                .filter(|&(s, e)| s < x && earliest < e)
                .min();
            if let Some(occurrence) = held {
                let until = format!("holds the deployment back until {}", format_in(&self.tz, x));
                reasons.push(deny_reason(self, w, occurrence, &until));
            }
        }
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(json: &str) -> Calendar {
        Calendar::new(&crate::wire::from_json(json).unwrap()).unwrap()
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        crate::wire::time::parse_timestamp("t", text).unwrap()
    }

    fn codes(check: &WindowCheck) -> Vec<(&str, Vec<&str>)> {
        check
            .reasons
            .iter()
            .map(|r| {
                (
                    r.code.as_str(),
                    r.subjects.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    }

    const OFFICE: &str = r#"{"time_zone": "America/New_York",
        "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
        "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"}],
        "coverage": [{"start": "08:00", "end": "18:00"}],
        "holidays": ["2026-11-26"]}"#;

    #[test]
    fn names_every_window_involved() {
        let c = cal(OFFICE);
        let check = c.check_window(at("2026-11-24T10:00:00-05:00"), DurationSecs(3600));
        assert!(check.allowed);
        assert_eq!(
            codes(&check),
            [
                ("inside_allow", vec!["allow/0"]),
                ("inside_coverage", vec!["coverage/0"])
            ]
        );
        assert_eq!(
            check.reasons[0].message,
            "allow window allow/0 covers the deployment"
        );
        let check = c.check_window(at("2026-11-26T10:00:00-05:00"), DurationSecs(600));
        assert!(!check.allowed);
        assert_eq!(codes(&check)[0], ("holiday", vec!["holidays/0"]));
        assert_eq!(
            check.reasons[0].message,
            "holiday holidays/0 (holiday 2026-11-26) from 2026-11-26T00:00:00-05:00 to 2026-11-27T00:00:00-05:00 overlaps the deployment"
        );
        let check = c.check_window(at("2026-12-21T10:00:00-05:00"), DurationSecs(600));
        assert_eq!(codes(&check)[0], ("deny_window", vec!["deny/0"]));
        assert!(check.reasons[0]
            .message
            .starts_with("deny window deny/0 (year-end freeze) from 2026-12-20T00:00:00-05:00"));
        assert_eq!(
            check.next_allowed_start.as_deref(),
            Some("2027-01-04T09:00:00-05:00")
        );
    }

    #[test]
    fn outside_reasons_name_the_deployment_interval() {
        let c = cal(OFFICE);
        let check = c.check_window(at("2026-11-24T15:30:00-05:00"), DurationSecs(3600));
        assert!(!check.allowed);
        assert_eq!(
            codes(&check),
            [
                ("outside_allow", vec![]),
                ("inside_coverage", vec!["coverage/0"])
            ]
        );
        assert_eq!(
            check.reasons[0].message,
            "no allow window contains the whole deployment from 2026-11-24T15:30:00-05:00 to 2026-11-24T16:30:00-05:00"
        );
        let check = c.check_window(at("2026-11-24T07:30:00-05:00"), DurationSecs(0));
        assert_eq!(
            codes(&check),
            [("outside_allow", vec![]), ("outside_coverage", vec![])]
        );
        // A zero-length change is an instant, not an interval.
        assert_eq!(
            check.reasons[0].message,
            "no allow window is open at 2026-11-24T07:30:00-05:00"
        );
    }

    #[test]
    fn zero_length_deployments_need_a_point_inside() {
        let c = cal(
            r#"{"allow": [{"start": "09:00", "end": "10:00"}], "deny": [{"start": "12:00", "end": "13:00"}]}"#,
        );
        assert!(
            c.check_window(at("2026-06-01T09:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            c.check_window(at("2026-06-01T09:59:59Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            !c.check_window(at("2026-06-01T10:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            c.check_window(at("2026-06-01T09:00:00Z"), DurationSecs(3600))
                .allowed
        );
        assert!(
            !c.check_window(at("2026-06-01T09:00:01Z"), DurationSecs(3600))
                .allowed
        );
        let open = cal(r#"{"deny": [{"start": "12:00", "end": "13:00"}]}"#);
        assert!(
            !open
                .check_window(at("2026-06-01T12:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            open.check_window(at("2026-06-01T13:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            open.check_window(at("2026-06-01T11:00:00Z"), DurationSecs(3600))
                .allowed
        );
        assert!(
            !open
                .check_window(at("2026-06-01T11:00:01Z"), DurationSecs(3600))
                .allowed
        );
    }

    #[test]
    fn a_window_that_vanishes_in_a_gap_covers_nothing() {
        // Berlin, 2026-03-29: allow/0 (02:00–03:00) falls into the skipped
        // hour and vanishes; allow/1 alone covers the deployment.
        let c = cal(r#"{"time_zone": "Europe/Berlin",
            "allow": [{"start": "02:00", "end": "03:00"}, {"start": "00:00", "end": "06:00"}]}"#);
        let check = c.check_window(at("2026-03-29T01:00:00+01:00"), DurationSecs(2 * 3600));
        assert!(check.allowed);
        assert_eq!(codes(&check), [("inside_allow", vec!["allow/1"])]);
    }

    #[test]
    fn deny_windows_overlap_half_open_intervals() {
        let c = cal(r#"{"deny": [{"start": "12:00", "end": "13:00", "reason": "lunch"}]}"#);
        let denied = |t: &str, d: u64| !c.check_window(at(t), DurationSecs(d)).allowed;
        assert!(denied("2026-06-01T12:59:59Z", 0));
        assert!(!denied("2026-06-01T11:59:59Z", 0));
        assert!(denied("2026-06-01T11:59:59Z", 2));
        assert!(!denied("2026-06-01T11:59:59Z", 1));
        assert!(!denied("2026-06-01T13:00:00Z", 60));
        assert!(denied("2026-06-01T12:59:59Z", 60));
        let check = c.check_window(at("2026-06-01T12:30:00Z"), DurationSecs(0));
        assert_eq!(
            check.reasons[0].message,
            "deny window deny/0 (lunch) from 2026-06-01T12:00:00+00:00 to 2026-06-01T13:00:00+00:00 overlaps the deployment"
        );
        assert_eq!(
            check.next_allowed_start.as_deref(),
            Some("2026-06-01T13:00:00+00:00")
        );
    }

    #[test]
    fn inside_reasons_name_every_window_the_deployment_touches() {
        // Two touching allow windows merge; the deployment spans both.
        let c = cal(
            r#"{"allow": [{"start": "09:00", "end": "10:00"}, {"start": "10:00", "end": "11:00"}, {"start": "15:00", "end": "16:00"}],
                        "coverage": [{"start": "08:00", "end": "12:00"}]}"#,
        );
        let check = c.check_window(at("2026-06-01T09:30:00Z"), DurationSecs(3600));
        assert_eq!(
            codes(&check),
            [
                ("inside_allow", vec!["allow/0"]),
                ("inside_allow", vec!["allow/1"]),
                ("inside_coverage", vec!["coverage/0"])
            ]
        );
        let check = c.check_window(at("2026-06-01T10:00:00Z"), DurationSecs(0));
        assert_eq!(codes(&check)[0], ("inside_allow", vec!["allow/1"]));
        let check = c.check_window(at("2026-06-01T11:00:00Z"), DurationSecs(0));
        assert_eq!(
            codes(&check),
            [
                ("outside_allow", vec![]),
                ("inside_coverage", vec!["coverage/0"])
            ]
        );
        let check = c.check_window(at("2026-06-01T10:30:00Z"), DurationSecs(1800));
        assert!(check.allowed);
        let check = c.check_window(at("2026-06-01T10:30:01Z"), DurationSecs(1800));
        assert!(!check.allowed);
        assert_eq!(
            check.next_allowed_start.as_deref(),
            Some("2026-06-02T09:00:00+00:00")
        );
    }

    #[test]
    fn too_short_carries_its_numbers_as_evidence() {
        let c = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"}]}"#);
        let check = c.check_window(at("2026-06-01T09:00:00Z"), DurationSecs(7200));
        assert_eq!(check.next_allowed_start, None);
        let last = check.reasons.last().unwrap();
        assert_eq!(last.code, "window_too_short");
        assert_eq!(last.evidence["duration_seconds"], 7200);
        assert_eq!(last.evidence["longest_window_seconds"], 3600);
        assert_eq!(
            last.message,
            "the deployment (7200 s) is longer than every allow window (longest 3600 s)"
        );
    }

    #[test]
    fn an_allow_range_in_the_past_is_not_too_short() {
        // Issue 9: nothing open within the horizon is no window, not a too-short one.
        let c =
            cal(r#"{"allow": [{"from": "2025-01-01T00:00:00Z", "to": "2025-02-01T00:00:00Z"}]}"#);
        let check = c.check_window(at("2026-06-01T09:00:00Z"), DurationSecs(3600));
        assert!(!check.allowed);
        assert_eq!(check.next_allowed_start, None);
        assert_eq!(codes(&check), [("outside_allow", vec![])]);
    }

    #[test]
    fn an_unrestricted_calendar_always_allows() {
        let c = cal(r#"{"time_zone": "Asia/Tokyo"}"#);
        let check = c.check_window(at("2026-06-01T09:00:00Z"), DurationSecs(7200));
        assert!(check.allowed);
        assert_eq!(codes(&check), [("no_windows", vec![])]);
        assert_eq!(
            check.next_allowed_start.as_deref(),
            Some("2026-06-01T18:00:00+09:00")
        );
    }

    #[test]
    fn a_wait_names_the_freeze_that_holds_it_back() {
        let c = cal(OFFICE);
        // Friday 18 December, outside the allow windows; the next Monday is
        // inside the year-end freeze, so the wait runs to 4 January.
        let t = at("2026-12-18T10:00:00-05:00").timestamp();
        let x = at("2027-01-04T09:00:00-05:00").timestamp();
        let reasons = c.wait_reasons(t, x, 600);
        let got: Vec<(&str, Vec<&str>)> = reasons
            .iter()
            .map(|r| {
                (
                    r.code.as_str(),
                    r.subjects.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("outside_allow", vec![]), ("deny_window", vec!["deny/0"])]
        );
        assert_eq!(
            reasons[1].message,
            "deny window deny/0 (year-end freeze) from 2026-12-20T00:00:00-05:00 to 2027-01-04T00:00:00-05:00 holds the deployment back until 2027-01-04T09:00:00-05:00"
        );
        // Thursday 26 November, a holiday: named once, from the check at `t`.
        let t = at("2026-11-26T10:00:00-05:00").timestamp();
        let x = at("2026-11-30T09:00:00-05:00").timestamp();
        let codes: Vec<String> = c
            .wait_reasons(t, x, 600)
            .into_iter()
            .map(|r| r.code)
            .collect();
        assert_eq!(codes, ["holiday"]);
        // A plain wait for the next allow window names no freeze.
        let t = at("2026-11-24T16:00:00-05:00").timestamp();
        let x = at("2026-11-25T09:00:00-05:00").timestamp();
        let codes: Vec<String> = c
            .wait_reasons(t, x, 600)
            .into_iter()
            .map(|r| r.code)
            .collect();
        assert_eq!(codes, ["outside_allow"]);
    }
}
