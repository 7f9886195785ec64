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
//! both sides of a change, and a window that falls entirely inside a skipped
//! hour vanishes that day.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{CalendarError, Error, Result};
use crate::wire::DurationSecs;

const DAY: i64 = 86_400;
/// Default horizon of [`next_window`]: 366 days.
pub const DEFAULT_HORIZON: DurationSecs = DurationSecs(366 * 86_400);
/// Length of the stretch of calendar expanded at a time while searching.
const CHUNK: i64 = 28 * DAY;

/// A release calendar in its wire shape.
///
/// ```
/// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
///   "time_zone": "America/New_York",
///   "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
///   "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"},
///            {"every": "quarter", "last_days": 3, "reason": "quarter close"}],
///   "holidays": ["2026-11-26"]
/// }"#).unwrap();
/// assert!(rollgate::Calendar::new(&spec).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone in which local times and dates are read (default `"UTC"`).
    #[serde(default = "utc_name")]
    pub time_zone: String,
    /// Windows a deployment must fit inside (none: no restriction).
    #[serde(default)]
    pub allow: Vec<WindowSpec>,
    /// Windows a deployment must not overlap (freezes).
    #[serde(default)]
    pub deny: Vec<WindowSpec>,
    /// Windows in which someone is on hand; a deployment must fit inside one
    /// (none: no restriction).
    #[serde(default)]
    pub coverage: Vec<WindowSpec>,
    /// Whole local days denied, as `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
}

fn utc_name() -> String {
    "UTC".to_string()
}

/// One window of a calendar. Exactly one kind of fields may be given:
/// - weekly: `start` and `end` local times `HH:MM` (optional `days`, default
///   every day);
/// - absolute: `from` and `to`, RFC 3339 timestamps with offset;
/// - periodic (deny only): `every` (`month`, `quarter`, `year`) with
///   `first_days` or `last_days`, whole local days at the start or end of each
///   period (the last 3 days of each quarter: `{"every": "quarter", "last_days": 3}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// Days of the week a weekly window opens on (default: every day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<Day>>,
    /// Local opening time of a weekly window, `HH:MM` or `HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Local closing time of a weekly window (`24:00` allowed); not after
    /// `start` means it closes the next day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Start of an absolute window (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End of an absolute window (RFC 3339, exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Period of a periodic deny window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<Period>,
    /// Number of whole days at the start of each period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_days: Option<u32>,
    /// Number of whole days at the end of each period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_days: Option<u32>,
    /// Why the window exists; quoted in reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A day of the week (`mon` … `sun`; full names accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Day {
    #[serde(alias = "monday")]
    Mon,
    #[serde(alias = "tuesday")]
    Tue,
    #[serde(alias = "wednesday")]
    Wed,
    #[serde(alias = "thursday")]
    Thu,
    #[serde(alias = "friday")]
    Fri,
    #[serde(alias = "saturday")]
    Sat,
    #[serde(alias = "sunday")]
    Sun,
}

/// The period of a periodic deny window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Every calendar month.
    Month,
    /// Every calendar quarter (January, April, July, October starts).
    Quarter,
    /// Every calendar year.
    Year,
}

/// The answer of [`check_window`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowCheck {
    /// Whether a deployment of that duration may start at that time.
    pub allowed: bool,
    /// Why: the windows that allowed or denied it.
    pub reasons: Vec<WindowReason>,
    /// Earliest allowed start at or after the time asked about (equal to it
    /// when allowed), in the calendar's offset; `None` if there is none
    /// within 366 days.
    pub next_allowed_start: Option<String>,
}

/// One reason of a [`WindowCheck`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowReason {
    /// Machine code: `no_windows`, `inside_allow`, `outside_allow`,
    /// `inside_coverage`, `outside_coverage`, `deny_window`, `holiday`,
    /// `window_too_short`.
    pub code: String,
    /// The window concerned, as a path into the calendar (`deny/1`,
    /// `holidays/0`), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    /// A human sentence.
    pub message: String,
}

/// The answer of [`next_window`]: the earliest fitting slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSlot {
    /// Earliest allowed start (RFC 3339, calendar offset).
    pub start: String,
    /// `start` plus the duration.
    pub end: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Allow,
    Deny,
    Coverage,
    Holiday,
}

#[derive(Debug, Clone, PartialEq)]
enum Rule {
    Weekly {
        days: [bool; 7],
        start: i64,
        end: i64,
    },
    Absolute {
        from: i64,
        to: i64,
    },
    Periodic {
        every: Period,
        first: bool,
        count: u32,
    },
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
struct Window {
    kind: Kind,
    label: String,
    reason: Option<String>,
    rule: Rule,
}

/// A checked release calendar, ready to answer questions about time.
///
/// ```
/// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
///   "time_zone": "Europe/Berlin",
///   "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}]}"#).unwrap();
/// let calendar = rollgate::Calendar::new(&spec).unwrap();
/// let at = rollgate::window::parse_timestamp("at", "2026-11-27T10:00:00+01:00").unwrap(); // a Friday
/// let check = calendar.check_window(at, rollgate::DurationSecs(1800));
/// assert!(!check.allowed);
/// assert_eq!(check.next_allowed_start.as_deref(), Some("2026-11-30T09:00:00+01:00"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    tz: Tz,
    allow: Vec<Window>,
    deny: Vec<Window>,
    coverage: Vec<Window>,
}

pub use crate::wire::time::parse_timestamp;

/// Reads an IANA time zone name; errors are `invalid_time_zone`.
///
/// ```
/// assert!(rollgate::window::parse_time_zone("/time_zone", "Asia/Tokyo").is_ok());
/// let err = rollgate::window::parse_time_zone("/time_zone", "Mars/Olympus").unwrap_err();
/// assert_eq!(err.code(), "invalid_time_zone");
/// ```
pub fn parse_time_zone(path: &str, name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        Error::new(
            path.to_string(),
            CalendarError::InvalidTimeZone {
                time_zone: name.to_string(),
            },
        )
    })
}

pub(crate) use crate::wire::time::format_in;

fn parse_local_time(path: &str, text: &str, allow_24: bool) -> Result<i64> {
    if allow_24 && (text == "24:00" || text == "24:00:00") {
        return Ok(DAY);
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map(|t| i64::from(t.num_seconds_from_midnight()))
        .map_err(|_| {
            Error::new(
                path.to_string(),
                CalendarError::InvalidWindow {
                    message: format!("`{text}` is not a local time HH:MM (00:00 to 24:00)"),
                },
            )
        })
}

fn parse_date(path: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        Error::new(
            path.to_string(),
            CalendarError::InvalidTimestamp {
                value: text.to_string(),
                message: format!("expected a date YYYY-MM-DD ({e})"),
            },
        )
    })
}

fn day_index(day: Day) -> usize {
    match day {
        Day::Mon => 0,
        Day::Tue => 1,
        Day::Wed => 2,
        Day::Thu => 3,
        Day::Fri => 4,
        Day::Sat => 5,
        Day::Sun => 6,
    }
}

fn compile_window(spec: &WindowSpec, kind: Kind, label: String) -> Result<Window> {
    let path = format!("/{label}");
    let invalid =
        |message: String| Error::new(path.clone(), CalendarError::InvalidWindow { message });
    let weekly = spec.start.is_some() || spec.end.is_some() || spec.days.is_some();
    let absolute = spec.from.is_some() || spec.to.is_some();
    let periodic = spec.every.is_some() || spec.first_days.is_some() || spec.last_days.is_some();
    let kinds = [weekly, absolute, periodic].iter().filter(|&&k| k).count();
    if kinds != 1 {
        return Err(invalid(
            "give exactly one kind of window: weekly (start, end, days), absolute (from, to) or periodic (every, first_days | last_days)".into(),
        ));
    }
    let rule = if weekly {
        let (Some(start), Some(end)) = (&spec.start, &spec.end) else {
            return Err(invalid("a weekly window needs both start and end".into()));
        };
        let s = parse_local_time(&format!("{path}/start"), start, false)?;
        let e = parse_local_time(&format!("{path}/end"), end, true)?;
        if s == e {
            return Err(invalid(format!(
                "start {start} and end {end} give a window of zero length"
            )));
        }
        let mut days = [false; 7];
        match &spec.days {
            None => days = [true; 7],
            Some(list) => {
                if list.is_empty() {
                    return Err(Error::new(
                        format!("{path}/days"),
                        CalendarError::InvalidWindow {
                            message: "days must not be empty (omit it for every day)".into(),
                        },
                    ));
                }
                for d in list {
                    if let Some(slot) = days.get_mut(day_index(*d)) {
                        *slot = true;
                    }
                }
            }
        }
        // Not after the start: the window closes on the next day.
        let end = if e > s { e } else { e + DAY };
        Rule::Weekly {
            days,
            start: s,
            end,
        }
    } else if absolute {
        let (Some(from), Some(to)) = (&spec.from, &spec.to) else {
            return Err(invalid("an absolute window needs both from and to".into()));
        };
        let f = parse_timestamp(&format!("{path}/from"), from)?.timestamp();
        let t = parse_timestamp(&format!("{path}/to"), to)?.timestamp();
        if t <= f {
            return Err(invalid(format!(
                "to {to} is not after from {from}: zero or negative length"
            )));
        }
        Rule::Absolute { from: f, to: t }
    } else {
        if kind != Kind::Deny {
            return Err(invalid(
                "periodic windows (every, first_days, last_days) are only for deny".into(),
            ));
        }
        let Some(every) = spec.every else {
            return Err(invalid(
                "a periodic window needs every (month, quarter, year)".into(),
            ));
        };
        let (first, count) = match (spec.first_days, spec.last_days) {
            (Some(n), None) => (true, n),
            (None, Some(n)) => (false, n),
            _ => {
                return Err(invalid(
                    "a periodic window needs exactly one of first_days and last_days".into(),
                ))
            }
        };
        if !(1..=28).contains(&count) {
            return Err(invalid(format!(
                "first_days/last_days must be between 1 and 28, got {count}"
            )));
        }
        Rule::Periodic {
            every,
            first,
            count,
        }
    };
    Ok(Window {
        kind,
        label,
        reason: spec.reason.clone(),
        rule,
    })
}

/// Resolves a local wall-clock time to an instant (Temporal's "compatible"
/// rule: gaps move forward by their length, repeated times take the first).
fn resolve(tz: &Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        LocalResult::None => {
            // Inside a gap: read the time with the offset in force before it.
            let before = local.and_utc().timestamp() - DAY;
            let offset = DateTime::<Utc>::from_timestamp(before, 0)
                .map(|u| tz.offset_from_utc_datetime(&u.naive_utc()).fix())
                .map_or(0, |o| i64::from(o.local_minus_utc()));
            local.and_utc().timestamp() - offset
        }
    }
}

fn local_date(tz: &Tz, t: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(|u| u.with_timezone(tz).date_naive())
        .unwrap_or_default()
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Sorts and merges overlapping or touching intervals.
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Intersection of two sorted, disjoint interval lists.
fn intersect(a: &[(i64, i64)], b: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while let (Some(&(s1, e1)), Some(&(s2, e2))) = (a.get(i), b.get(j)) {
        let (s, e) = (s1.max(s2), e1.min(e2));
        if s < e {
            out.push((s, e));
        }
        if e1 < e2 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` minus `b`, both sorted and disjoint.
fn subtract(a: &[(i64, i64)], b: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut j = 0;
    for &(s, e) in a {
        let mut cur = s;
        while let Some(&(ds, de)) = b.get(j) {
            if de <= cur {
                j += 1;
                continue;
            }
            if ds >= e {
                break;
            }
            if ds > cur {
                out.push((cur, ds));
            }
            cur = cur.max(de);
            if de >= e {
                break;
            }
            j += 1;
        }
        if cur < e {
            out.push((cur, e));
        }
    }
    out
}

/// Earliest `x >= t`, `x <= limit`, such that `[x, x + d)` lies inside one of
/// the sorted, disjoint intervals (`x` inside one when `d == 0`).
fn find_fit(free: &[(i64, i64)], t: i64, d: i64, limit: i64) -> Option<i64> {
    let first = free.partition_point(|&(_, e)| e <= t);
    for &(s, e) in free.get(first..).unwrap_or(&[]) {
        let x = s.max(t);
        if x > limit {
            return None;
        }
        if (d == 0 && x < e) || (d > 0 && e - x >= d) {
            return Some(x);
        }
    }
    None
}

impl Calendar {
    /// Checks a calendar. Errors (family `calendar`, paths into the
    /// calendar): `invalid_time_zone`, `invalid_window` (zero or negative
    /// length, bad local time, mixed or incomplete fields, a periodic window
    /// outside `deny`), `invalid_timestamp` (bad `from`/`to` or holiday).
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(
    ///     r#"{"allow": [{"start": "10:00", "end": "10:00"}]}"#).unwrap();
    /// let err = rollgate::Calendar::new(&spec).unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("invalid_window", "/allow/0"));
    /// ```
    pub fn new(spec: &CalendarSpec) -> Result<Calendar> {
        let tz = parse_time_zone("/time_zone", &spec.time_zone)?;
        let compile = |list: &[WindowSpec], kind: Kind, name: &str| -> Result<Vec<Window>> {
            list.iter()
                .enumerate()
                .map(|(i, w)| compile_window(w, kind, format!("{name}/{i}")))
                .collect()
        };
        let allow = compile(&spec.allow, Kind::Allow, "allow")?;
        let mut deny = compile(&spec.deny, Kind::Deny, "deny")?;
        let coverage = compile(&spec.coverage, Kind::Coverage, "coverage")?;
        for (i, h) in spec.holidays.iter().enumerate() {
            let date = parse_date(&format!("/holidays/{i}"), h)?;
            deny.push(Window {
                kind: Kind::Holiday,
                label: format!("holidays/{i}"),
                reason: Some(format!("holiday {h}")),
                rule: Rule::Day(date),
            });
        }
        Ok(Calendar {
            tz,
            allow,
            deny,
            coverage,
        })
    }

    /// The calendar's time zone.
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{"time_zone": "Asia/Tokyo"}"#).unwrap();
    /// assert_eq!(rollgate::Calendar::new(&spec).unwrap().time_zone().name(), "Asia/Tokyo");
    /// ```
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Whether the calendar has no window and no holiday (always allows).
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json("{}").unwrap();
    /// assert!(rollgate::Calendar::new(&spec).unwrap().is_unrestricted());
    /// ```
    pub fn is_unrestricted(&self) -> bool {
        self.allow.is_empty() && self.deny.is_empty() && self.coverage.is_empty()
    }

    /// Occurrences of one window intersecting `[a, b]` (with a margin).
    fn occurrences(&self, w: &Window, a: i64, b: i64, out: &mut Vec<(i64, i64)>) {
        let tz = &self.tz;
        let first = local_date(tz, a) - Duration::days(2);
        let last = local_date(tz, b) + Duration::days(2);
        match &w.rule {
            Rule::Weekly { days, start, end } => {
                let mut date = first;
                while date <= last {
                    let weekday = date.weekday().num_days_from_monday() as usize;
                    if days.get(weekday).copied().unwrap_or(false) {
                        let base = midnight(date);
                        let s = resolve(tz, base + Duration::seconds(*start));
                        let e = resolve(tz, base + Duration::seconds(*end));
                        if e > s && e > a - 2 * DAY && s < b + 2 * DAY {
                            out.push((s, e));
                        }
                    }
                    date += Duration::days(1);
                }
            }
            Rule::Absolute { from, to } => {
                if *to > a - 2 * DAY && *from < b + 2 * DAY {
                    out.push((*from, *to));
                }
            }
            Rule::Day(date) => {
                if *date >= first && *date <= last {
                    let s = resolve(tz, midnight(*date));
                    let e = resolve(tz, midnight(*date + Duration::days(1)));
                    out.push((s, e));
                }
            }
            Rule::Periodic {
                every,
                first: at_start,
                count,
            } => {
                let step = match every {
                    Period::Month => 1,
                    Period::Quarter => 3,
                    Period::Year => 12,
                };
                // Walk periods from the one starting at or before `first - 1 period`.
                let start_month = (first.year() * 12 + first.month0() as i32) - 12;
                let end_month = last.year() * 12 + last.month0() as i32 + 12;
                let mut m = start_month - start_month.rem_euclid(step);
                while m <= end_month {
                    let period_start =
                        NaiveDate::from_ymd_opt(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32, 1);
                    let nm = m + step;
                    let period_end = NaiveDate::from_ymd_opt(
                        nm.div_euclid(12),
                        (nm.rem_euclid(12) + 1) as u32,
                        1,
                    );
                    if let (Some(ps), Some(pe)) = (period_start, period_end) {
                        let n = Duration::days(i64::from(*count));
                        let (ds, de) = if *at_start {
                            (ps, ps + n)
                        } else {
                            (pe - n, pe)
                        };
                        if de >= first && ds <= last {
                            out.push((resolve(tz, midnight(ds)), resolve(tz, midnight(de))));
                        }
                    }
                    m = nm;
                }
            }
        }
    }

    fn merged(&self, list: &[Window], a: i64, b: i64) -> Vec<(i64, i64)> {
        let mut v = Vec::new();
        for w in list {
            self.occurrences(w, a, b, &mut v);
        }
        merge(v)
    }

    /// Allowed stretches (allow ∩ coverage, minus deny) covering `[a, b]`;
    /// stretches are clipped a few days beyond it. With `with_deny` false,
    /// deny windows are ignored.
    fn free(&self, a: i64, b: i64, with_deny: bool) -> Vec<(i64, i64)> {
        let everything = vec![(a - 3 * DAY, b + 3 * DAY)];
        let allow = if self.allow.is_empty() {
            everything.clone()
        } else {
            intersect(&self.merged(&self.allow, a, b), &everything)
        };
        let open = if self.coverage.is_empty() {
            allow
        } else {
            intersect(&allow, &self.merged(&self.coverage, a, b))
        };
        if with_deny && !self.deny.is_empty() {
            subtract(&open, &self.merged(&self.deny, a, b))
        } else {
            open
        }
    }

    /// Earliest start in `[t, t + horizon]` where `d` seconds fit, in seconds
    /// since the epoch.
    pub(crate) fn next_fit(&self, t: i64, d: i64, horizon: i64) -> Option<i64> {
        let end = t.saturating_add(horizon);
        let mut a = t;
        while a <= end {
            let b = a + CHUNK + d;
            let free = self.free(a, b, true);
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

    /// Longest allowed stretch (ignoring deny windows) within the horizon.
    fn longest_open(&self, t: i64, d: i64, horizon: i64) -> i64 {
        if self.allow.is_empty() && self.coverage.is_empty() {
            return i64::MAX;
        }
        let mut longest = 0;
        let mut a = t;
        while a <= t.saturating_add(horizon) {
            for (s, e) in self.free(a, a + CHUNK + d, false) {
                longest = longest.max(e - s);
            }
            a += CHUNK;
        }
        longest
    }

    /// Whether a deployment of `duration` may start at `at`, with the windows
    /// that allowed or denied it and the next allowed start; see
    /// [`check_window`].
    ///
    /// ```
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{
    ///   "deny": [{"days": ["fri"], "start": "15:00", "end": "24:00", "reason": "no Friday deploys"}]}"#).unwrap();
    /// let calendar = rollgate::Calendar::new(&spec).unwrap();
    /// let at = rollgate::window::parse_timestamp("at", "2026-11-27T14:30:00Z").unwrap();
    /// let check = calendar.check_window(at, rollgate::DurationSecs(3600));
    /// assert!(!check.allowed);
    /// assert_eq!(check.reasons[0].code, "deny_window");
    /// assert_eq!(check.next_allowed_start.as_deref(), Some("2026-11-28T00:00:00+00:00"));
    /// ```
    pub fn check_window(&self, at: DateTime<FixedOffset>, duration: DurationSecs) -> WindowCheck {
        let t = at.timestamp();
        let d = duration.as_secs() as i64;
        let end = t + d;
        let fmt = |x: i64| format_in(&self.tz, x);
        let mut reasons = Vec::new();
        if self.is_unrestricted() {
            reasons.push(WindowReason {
                code: "no_windows".into(),
                window: None,
                message: "the calendar has no windows: always allowed".into(),
            });
            return WindowCheck {
                allowed: true,
                reasons,
                next_allowed_start: Some(fmt(t)),
            };
        }
        let overlaps = |s: i64, e: i64| {
            if d == 0 {
                s <= t && t < e
            } else {
                s < end && t < e
            }
        };
        let mut denied = false;
        for w in &self.deny {
            let mut occ = Vec::new();
            self.occurrences(w, t, end, &mut occ);
            if let Some(&(s, e)) = occ.iter().find(|&&(s, e)| overlaps(s, e)) {
                denied = true;
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
                reasons.push(WindowReason {
                    code: code.into(),
                    window: Some(w.label.clone()),
                    message: format!(
                        "{what} {}{why} from {} to {} overlaps the deployment",
                        w.label,
                        fmt(s),
                        fmt(e)
                    ),
                });
            }
        }
        let mut fits = |list: &[Window], inside: &str, outside: &str, noun: &str| -> bool {
            if list.is_empty() {
                return true;
            }
            let merged = self.merged(list, t, end);
            let ok = merged
                .iter()
                .any(|&(s, e)| s <= t && (if d == 0 { t < e } else { end <= e }));
            if ok {
                let mut labels = Vec::new();
                for w in list {
                    let mut occ = Vec::new();
                    self.occurrences(w, t, end, &mut occ);
                    if occ.iter().any(|&(s, e)| overlaps(s, e)) {
                        labels.push(w.label.clone());
                    }
                }
                for label in labels {
                    reasons.push(WindowReason {
                        code: inside.into(),
                        window: Some(label.clone()),
                        message: format!("{noun} window {label} covers the deployment"),
                    });
                }
            } else {
                reasons.push(WindowReason {
                    code: outside.into(),
                    window: None,
                    message: format!(
                        "no {noun} window contains the whole deployment from {} to {}",
                        fmt(t),
                        fmt(end)
                    ),
                });
            }
            ok
        };
        let allow_ok = fits(&self.allow, "inside_allow", "outside_allow", "allow");
        let coverage_ok = fits(
            &self.coverage,
            "inside_coverage",
            "outside_coverage",
            "coverage",
        );
        let allowed = !denied && allow_ok && coverage_ok;
        let horizon = DEFAULT_HORIZON.as_secs() as i64;
        let next = if allowed {
            Some(t)
        } else {
            self.next_fit(t, d, horizon)
        };
        if next.is_none() {
            let longest = self.longest_open(t, d, horizon);
            if longest < d {
                reasons.push(WindowReason {
                    code: "window_too_short".into(),
                    window: None,
                    message: format!(
                        "the deployment ({d} s) is longer than every allow window (longest {longest} s)"
                    ),
                });
            }
        }
        WindowCheck {
            allowed,
            reasons,
            next_allowed_start: next.map(fmt),
        }
    }

    /// The earliest slot at or after `after` in which a deployment of
    /// `duration` fits, searching `horizon`; see [`next_window`].
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

    /// The error for a deployment that fits nowhere within the horizon:
    /// `window_too_short` when it is longer than every allowed stretch even
    /// without deny windows, else `no_window_within_horizon`.
    pub(crate) fn no_fit_error(
        &self,
        t: i64,
        d: i64,
        horizon: i64,
        too_short_path: &str,
        horizon_path: &str,
    ) -> Error {
        let longest = self.longest_open(t, d, horizon);
        if longest < d {
            Error::new(
                too_short_path.to_string(),
                CalendarError::WindowTooShort {
                    duration_seconds: d as u64,
                    longest_window_seconds: longest as u64,
                },
            )
        } else {
            Error::new(
                horizon_path.to_string(),
                CalendarError::NoWindowWithinHorizon {
                    after: format_in(&self.tz, t),
                    duration_seconds: d as u64,
                    horizon_seconds: horizon as u64,
                },
            )
        }
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
    free: Vec<(i64, i64)>,
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

/// Whether a deployment of `duration` may start at `at` under `calendar`.
///
/// Returns `allowed`, the reasons naming the windows that allowed or denied
/// it (codes `no_windows`, `inside_allow`, `outside_allow`,
/// `inside_coverage`, `outside_coverage`, `deny_window`, `holiday`,
/// `window_too_short`) and the earliest allowed start at or after `at`
/// (`at` itself when allowed; `None` if none within 366 days). A closed
/// window is a finding, not an error; errors are only for a malformed
/// calendar (see [`Calendar::new`]).
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
/// `duration`) when the deployment is longer than every allowed stretch;
/// `no_window_within_horizon` (path `""`, the calendar) when deny windows
/// block every fitting slot within the horizon.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(json: &str) -> Calendar {
        Calendar::new(&crate::wire::from_json(json).unwrap()).unwrap()
    }

    fn ts(s: &str) -> DateTime<FixedOffset> {
        parse_timestamp("t", s).unwrap()
    }

    #[test]
    fn spring_forward_keeps_local_nine() {
        // US DST starts 2026-03-08 (02:00 → 03:00).
        let c = cal(
            r#"{"time_zone": "America/New_York", "allow": [{"start": "09:00", "end": "10:00"}]}"#,
        );
        let slot = c
            .next_window(
                ts("2026-03-07T12:00:00-05:00"),
                DurationSecs(600),
                DEFAULT_HORIZON,
            )
            .unwrap();
        assert_eq!(slot.start, "2026-03-08T09:00:00-04:00");
    }

    #[test]
    fn gap_window_shifts_forward() {
        let c = cal(
            r#"{"time_zone": "America/New_York", "allow": [{"start": "02:30", "end": "04:00"}]}"#,
        );
        let slot = c
            .next_window(
                ts("2026-03-08T00:00:00-05:00"),
                DurationSecs(60),
                DEFAULT_HORIZON,
            )
            .unwrap();
        // 02:30 does not exist that day: the window opens at 03:30 EDT.
        assert_eq!(slot.start, "2026-03-08T03:30:00-04:00");
    }

    #[test]
    fn fall_back_window_is_longer() {
        // 2026-11-01 01:00 EDT → 01:00 EST: a 00:00–03:00 window lasts 4 h.
        let c = cal(
            r#"{"time_zone": "America/New_York", "allow": [{"start": "00:00", "end": "03:00"}]}"#,
        );
        let check = c.check_window(ts("2026-11-01T00:00:00-04:00"), DurationSecs(4 * 3600));
        assert!(check.allowed, "{check:?}");
        let check = c.check_window(ts("2026-11-02T00:00:00-05:00"), DurationSecs(4 * 3600));
        assert!(!check.allowed);
    }

    #[test]
    fn interval_algebra() {
        assert_eq!(merge(vec![(5, 7), (1, 3), (3, 4)]), vec![(1, 4), (5, 7)]);
        assert_eq!(
            intersect(&[(0, 10)], &[(2, 3), (5, 12)]),
            vec![(2, 3), (5, 10)]
        );
        assert_eq!(
            subtract(&[(0, 10), (20, 30)], &[(2, 3), (8, 22)]),
            vec![(0, 2), (3, 8), (22, 30)]
        );
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 4, 100), Some(10));
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 0, 100), Some(3));
    }

    #[test]
    fn last_days_of_quarter() {
        let c = cal(r#"{"deny": [{"every": "quarter", "last_days": 3}]}"#);
        assert!(
            !c.check_window(ts("2026-03-29T00:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            c.check_window(ts("2026-03-28T23:59:59Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            c.check_window(ts("2026-04-01T00:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            c.check_window(ts("2026-05-30T00:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert!(
            !c.check_window(ts("2026-12-31T12:00:00Z"), DurationSecs(0))
                .allowed
        );
        assert_eq!(
            c.time_until_next_deny(ts("2026-03-28T00:00:00Z")),
            Some(DurationSecs(86_400))
        );
    }
}
