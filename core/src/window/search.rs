//! Searching a calendar forward in time: the earliest slot a deployment
//! fits ([`WindowSlot`]), why none exists within a horizon, and the time
//! until the next freeze.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::compile::{Calendar, Rule};
use super::intervals::{find_fit, Span};
use super::{CHUNK, DAY, DEFAULT_HORIZON};
use crate::error::{CalendarError, Error, Result};
use crate::wire::time::format_in;
use crate::wire::DurationSecs;

/// The answer of [`next_window`](crate::next_window): the earliest fitting slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowSlot {
    /// Earliest allowed start (RFC 3339, calendar offset).
    pub start: String,
    /// `start` plus the duration.
    pub end: String,
}

impl Calendar {
    /// The earliest slot at or after `after` in which a deployment of
    /// `duration` fits, searching `horizon`; see [`next_window`](crate::next_window).
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{"time_zone": "Asia/Tokyo",
    ///   "allow": [{"start": "22:00", "end": "02:00"}]}"#).unwrap();
    /// let calendar = rollgate::Calendar::new(&spec).unwrap();
    /// let after = rollgate::window::parse_timestamp("after", "2026-06-01T12:00:00+09:00").unwrap();
    /// let slot = calendar.next_window(after, rollgate::DurationSecs(3 * 3600), rollgate::window::DEFAULT_HORIZON).unwrap();
    /// assert_eq!(slot.start, "2026-06-01T22:00:00+09:00");
    /// assert_eq!(slot.end, "2026-06-02T01:00:00+09:00");
    /// ```
    pub fn next_window(
        &self,
        after: DateTime<FixedOffset>,
        duration: DurationSecs,
        horizon: DurationSecs,
    ) -> Result<WindowSlot> {
        let t = after.timestamp();
        let d = duration.as_secs() as i64;
        let h = horizon.as_secs() as i64;
        match self.next_fit(t, d, h) {
            Some(x) => Ok(WindowSlot {
                start: format_in(&self.tz, x),
                end: format_in(&self.tz, x + d),
            }),
            None => Err(self.no_fit_error(t, d, h, "duration", "")),
        }
    }

    /// Earliest start in `[t, t + horizon]` where `d` seconds fit, in seconds
    /// since the epoch.
    pub(crate) fn next_fit(&self, t: i64, d: i64, horizon: i64) -> Option<i64> {
        let end = t.saturating_add(horizon);
        let mut a = t;
        while a <= end {
            let free = self.free(a, a + CHUNK + d, true);
            if let Some(x) = find_fit(&free, a, d, end.min(a + CHUNK)) {
                return Some(x);
            }
            a += CHUNK;
        }
        None
    }

    /// A cache of allowed stretches for many searches at nearby times.
    pub(crate) fn fit_cache(&self) -> FitCache<'_> {
        FitCache {
            calendar: self,
            lo: 0,
            hi: -1,
            free: Vec::new(),
        }
    }

    /// The error for a deployment that fits nowhere within the horizon:
    /// `window_too_short` (at `too_short_path`) when it is longer than every
    /// allowed stretch even without deny windows (see
    /// [`too_short`](Calendar::too_short)), else `no_window_within_horizon`
    /// (at `horizon_path`).
    pub(crate) fn no_fit_error(
        &self,
        t: i64,
        d: i64,
        horizon: i64,
        too_short_path: &str,
        horizon_path: &str,
    ) -> Error {
        match self.too_short(t, d, horizon) {
            Some(longest) => Error::new(
                too_short_path.to_string(),
                CalendarError::WindowTooShort {
                    duration_seconds: d as u64,
                    longest_window_seconds: longest as u64,
                },
            ),
            None => Error::new(
                horizon_path.to_string(),
                CalendarError::NoWindowWithinHorizon {
                    after: format_in(&self.tz, t),
                    duration_seconds: d as u64,
                    horizon_seconds: horizon as u64,
                },
            ),
        }
    }

    /// The longest allowed stretch when a deployment of `d` seconds is
    /// longer than every one: the stretches that allow and coverage windows
    /// leave within the horizon (deny windows ignored) exist but are all
    /// shorter, and no absolute allow or coverage window outside the
    /// searched span is long enough. `None` otherwise — also when nothing
    /// at all is open within the horizon (an allow range entirely in the
    /// past is no window, not a short one).
    pub(crate) fn too_short(&self, t: i64, d: i64, horizon: i64) -> Option<i64> {
        let (longest, (lo, hi)) = self.longest_open(t, d, horizon);
        if longest >= d || longest == 0 {
            return None;
        }
        let elsewhere = self
            .allow
            .iter()
            .chain(&self.coverage)
            .filter_map(|w| match w.rule {
                Rule::Absolute { from, to } if from < lo || to > hi => Some(to - from),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        (elsewhere < d).then_some(longest)
    }

    /// Longest allowed stretch (ignoring deny windows) found while searching
    /// `horizon` from `t`, and the span searched (stretches are clipped to it).
    fn longest_open(&self, t: i64, d: i64, horizon: i64) -> (i64, Span) {
        if self.allow.is_empty() && self.coverage.is_empty() {
            return (i64::MAX, (i64::MIN, i64::MAX));
        }
        let end = t.saturating_add(horizon);
        let mut longest = 0;
        let mut a = t;
        let mut hi = t;
        while a <= end {
            hi = a + CHUNK + d + 3 * DAY;
            for (s, e) in self.free(a, a + CHUNK + d, false) {
                longest = longest.max(e - s);
            }
            a += CHUNK;
        }
        (longest, (t - 3 * DAY, hi))
    }

    /// Time from `after` until the next deny window or holiday starts, for
    /// risk scoring: zero when one is in force at `after`, `None` when none
    /// starts within 366 days.
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
    ///   "deny": [{"from": "2026-12-20T00:00:00Z", "to": "2027-01-04T00:00:00Z", "reason": "year-end freeze"}]}"#).unwrap();
    /// let calendar = rollgate::Calendar::new(&spec).unwrap();
    /// let at = rollgate::window::parse_timestamp("at", "2026-12-18T00:00:00Z").unwrap();
    /// assert_eq!(calendar.time_until_next_deny(at), Some(rollgate::DurationSecs(2 * 86_400)));
    /// let later = rollgate::window::parse_timestamp("at", "2027-01-05T00:00:00Z").unwrap();
    /// assert_eq!(calendar.time_until_next_deny(later), None);
    /// ```
    pub fn time_until_next_deny(&self, after: DateTime<FixedOffset>) -> Option<DurationSecs> {
        let t = after.timestamp();
        let end = t + DEFAULT_HORIZON.as_secs() as i64;
        let mut a = t;
        while a <= end {
            let b = a + CHUNK;
            let denies = self.merged(&self.deny, a, b);
            if let Some(&(s, _)) = denies.iter().find(|&&(s, e)| e > a && s <= b.min(end)) {
                return Some(DurationSecs(s.saturating_sub(t).max(0) as u64));
            }
            a += CHUNK;
        }
        None
    }
}

/// Allowed stretches of one calendar over `[lo, hi]`, reused across searches.
pub(crate) struct FitCache<'a> {
    calendar: &'a Calendar,
    lo: i64,
    hi: i64,
    free: Vec<Span>,
}

impl FitCache<'_> {
    /// Earliest start in `[t, t + horizon]` where `d` seconds fit.
    pub(crate) fn fit(&mut self, t: i64, d: i64, horizon: i64) -> Option<i64> {
        if self.calendar.is_unrestricted() {
            return Some(t);
        }
        let end = t.saturating_add(horizon);
        let mut a = t;
        while a <= end {
            if !(self.lo <= a && a + CHUNK + d <= self.hi) {
                self.lo = a;
                self.hi = a + 2 * CHUNK + d;
                self.free = self.calendar.free(self.lo, self.hi, true);
            }
            // Stretches are exact up to `hi`: a start is valid if it ends by then.
            let limit = end.min(self.hi - d);
            if let Some(x) = find_fit(&self.free, a, d, limit) {
                return Some(x);
            }
            a = limit + 1;
        }
        None
    }
}
