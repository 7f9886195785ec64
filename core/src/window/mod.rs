//! Release calendars: allow, deny and coverage windows, freezes and holidays,
//! evaluated in an IANA time zone (chrono-tz), correct across daylight-saving
//! changes.
//!
//! A [`CalendarSpec`] is the wire shape; [`Calendar::new`] checks it once and
//! the resulting [`Calendar`] answers [`Calendar::check_window`],
//! [`Calendar::next_window`] and [`Calendar::time_until_next_deny`].
//!
//! # Semantics
//!
//! A deployment occupies the half-open interval `[at, at + duration)`.
//! - Deny windows and holidays beat allow windows: the deployment is denied
//!   when it overlaps any of them (for a zero duration: when `at` lies in one).
//! - If any allow windows exist, the deployment must fit entirely inside one.
//!   Overlapping or touching allow windows count as one (so "every day
//!   00:00–24:00" allows multi-day deployments).
//! - If coverage windows exist, it must also fit entirely inside one.
//! - A calendar without any window or holiday always allows.
//!
//! Weekly windows are local wall-clock times on the listed days; a window
//! whose `end` is not after its `start` wraps past midnight into the next day
//! (`"22:00"`–`"02:00"`), and `"24:00"` means the end of the day. Local times
//! are resolved the way JavaScript's Temporal does by default
//! (`"compatible"`): a time skipped by a spring-forward change moves forward
//! by the length of the gap (02:30 → 03:30), a time repeated by a fall-back
//! change means its first occurrence. So "09:00 local" stays 09:00 local on
//! both sides of a change; a window whose start is skipped moves with it,
//! and one that then ends before its moved start (02:10–03:00 on a day that
//! skips from 02:00 to 03:00) vanishes that day.
//!
//! # Layout
//!
//! The folder follows the data: `spec` (the wire shape) → `compile` (checked
//! once into a [`Calendar`]) → `expand` (rules into instants near a time,
//! using the interval algebra of `intervals`) → `check` (is a deployment
//! allowed, and why) and `search` (the next slot, the next freeze).

mod check;
mod compile;
mod expand;
mod intervals;
mod search;
mod spec;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};

pub use crate::wire::time::parse_timestamp;
use crate::wire::DurationSecs;
pub use check::WindowCheck;
pub use compile::{parse_time_zone, Calendar};
pub use search::WindowSlot;
pub use spec::{CalendarSpec, Day, Period, WindowSpec};

use crate::error::Result;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// Default horizon of [`next_window`]: 366 days.
pub const DEFAULT_HORIZON: DurationSecs = DurationSecs(366 * 86_400);
/// Length of the stretch of calendar expanded at a time while searching.
const CHUNK: i64 = 28 * DAY;

/// Whether a deployment of `duration` may start at `at` under `calendar`.
///
/// Returns `allowed`, the reasons naming the windows that allowed or denied
/// it (codes `no_windows`, `inside_allow`, `outside_allow`,
/// `inside_coverage`, `outside_coverage`, `deny_window`, `holiday`,
/// `window_too_short`; `subjects` are the windows' paths in the calendar)
/// and the earliest allowed start at or after `at` (`at` itself when
/// allowed; `None` if none within 366 days). A closed window is a finding,
/// not an error; errors are only for a malformed calendar (see
/// [`Calendar::new`]).
///
/// ```
/// let calendar: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
///   "time_zone": "America/New_York",
///   "allow": [{"days": ["mon","tue","wed","thu"], "start": "09:00", "end": "16:00"}],
///   "holidays": ["2026-11-26"]}"#).unwrap();
/// let at = rollgate::window::parse_timestamp("at", "2026-11-26T10:00:00-05:00").unwrap();
/// let check = rollgate::check_window(&calendar, at, rollgate::DurationSecs(600)).unwrap();
/// assert!(!check.allowed);
/// assert_eq!(check.reasons[0].code, "holiday");
/// assert_eq!(check.reasons[0].subjects, ["holidays/0"]);
/// assert_eq!(check.next_allowed_start.as_deref(), Some("2026-11-30T09:00:00-05:00"));
/// ```
pub fn check_window(
    calendar: &CalendarSpec,
    at: DateTime<FixedOffset>,
    duration: DurationSecs,
) -> Result<WindowCheck> {
    Ok(Calendar::new(calendar)?.check_window(at, duration))
}

/// The earliest start at or after `after` at which a deployment of
/// `duration` fits `calendar`, searching `horizon` (use [`DEFAULT_HORIZON`],
/// 366 days). Timestamps are in the calendar's offset.
///
/// Errors: calendar errors (see [`Calendar::new`]); `window_too_short` (path
/// `duration`) when the allowed stretches within the horizon (deny windows
/// ignored) are all shorter than the deployment and no absolute allow or
/// coverage window outside the horizon is long enough;
/// `no_window_within_horizon` (path `""`, the calendar) otherwise: deny
/// windows block every fitting slot, or nothing is open within the horizon
/// at all (an allow range entirely in the past).
///
/// ```
/// let calendar: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
///   "allow": [{"days": ["mon"], "start": "09:00", "end": "10:00"}]}"#).unwrap();
/// let after = rollgate::window::parse_timestamp("after", "2026-11-26T00:00:00Z").unwrap();
/// let slot = rollgate::next_window(&calendar, after, rollgate::DurationSecs(1800), rollgate::window::DEFAULT_HORIZON).unwrap();
/// assert_eq!(slot.start, "2026-11-30T09:00:00+00:00");
/// let err = rollgate::next_window(&calendar, after, rollgate::DurationSecs(7200), rollgate::window::DEFAULT_HORIZON).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("window_too_short", "duration"));
/// ```
pub fn next_window(
    calendar: &CalendarSpec,
    after: DateTime<FixedOffset>,
    duration: DurationSecs,
    horizon: DurationSecs,
) -> Result<WindowSlot> {
    Calendar::new(calendar)?.next_window(after, duration, horizon)
}
