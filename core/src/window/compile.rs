//! Checking a [`CalendarSpec`] once into a [`Calendar`]: time zone, local
//! times, timestamps and dates read, each window reduced to a [`Rule`].

use chrono::{NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use super::spec::{CalendarSpec, Period, WindowSpec};
use super::DAY;
use crate::error::{CalendarError, Error, Result};
use crate::wire::time::parse_timestamp;

/// Which list of the calendar a window comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Allow,
    Deny,
    Coverage,
    Holiday,
}

/// When a window is open, in the calendar's zone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule {
    /// Local seconds after midnight on the flagged weekdays (Monday first);
    /// `end` may exceed a day (the window closes the next day).
    Weekly {
        days: [bool; 7],
        start: i64,
        end: i64,
    },
    /// Seconds since the epoch.
    Absolute { from: i64, to: i64 },
    /// The first or last `count` whole local days of every period.
    Periodic {
        every: Period,
        first: bool,
        count: u32,
    },
    /// One whole local day (a holiday).
    Day(NaiveDate),
}

/// One checked window: its kind, its path in the calendar (`deny/1`,
/// `holidays/0`), the reason the caller gave and its rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Window {
    pub(crate) kind: Kind,
    pub(crate) label: String,
    pub(crate) reason: Option<String>,
    pub(crate) rule: Rule,
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
    pub(crate) tz: Tz,
    pub(crate) allow: Vec<Window>,
    /// Deny windows, then holidays.
    pub(crate) deny: Vec<Window>,
    pub(crate) coverage: Vec<Window>,
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
    /// let spec: rollgate::CalendarSpec = rollgate::wire::from_json(r#"{"holidays": ["2026-12-25"]}"#).unwrap();
    /// assert!(!rollgate::Calendar::new(&spec).unwrap().is_unrestricted());
    /// ```
    pub fn is_unrestricted(&self) -> bool {
        self.allow.is_empty() && self.deny.is_empty() && self.coverage.is_empty()
    }
}

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

/// Seconds after local midnight of `HH:MM` or `HH:MM:SS` (`24:00` when
/// `allow_24`, for the end of a window).
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

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(
        path.to_string(),
        CalendarError::InvalidWindow {
            message: message.into(),
        },
    )
}

fn compile_window(spec: &WindowSpec, kind: Kind, label: String) -> Result<Window> {
    let path = format!("/{label}");
    let weekly = spec.start.is_some() || spec.end.is_some() || spec.days.is_some();
    let absolute = spec.from.is_some() || spec.to.is_some();
    let periodic = spec.every.is_some() || spec.first_days.is_some() || spec.last_days.is_some();
    let rule = match (weekly, absolute, periodic) {
        (true, false, false) => weekly_rule(spec, &path)?,
        (false, true, false) => absolute_rule(spec, &path)?,
        (false, false, true) => periodic_rule(spec, kind, &path)?,
        _ => {
            return Err(invalid(
                &path,
                "give exactly one kind of window: weekly (start, end, days), absolute (from, to) or periodic (every, first_days | last_days)",
            ))
        }
    };
    Ok(Window {
        kind,
        label,
        reason: spec.reason.clone(),
        rule,
    })
}

fn weekly_rule(spec: &WindowSpec, path: &str) -> Result<Rule> {
    let (Some(start), Some(end)) = (&spec.start, &spec.end) else {
        return Err(invalid(path, "a weekly window needs both start and end"));
    };
    let s = parse_local_time(&format!("{path}/start"), start, false)?;
    let e = parse_local_time(&format!("{path}/end"), end, true)?;
    if s == e {
        return Err(invalid(
            path,
            format!("start {start} and end {end} give a window of zero length"),
        ));
    }
    let days = match &spec.days {
        None => [true; 7],
        Some(list) if list.is_empty() => {
            return Err(invalid(
                &format!("{path}/days"),
                "days must not be empty (omit it for every day)",
            ))
        }
        Some(list) => {
            let mut days = [false; 7];
            for d in list {
                if let Some(slot) = days.get_mut(d.index()) {
                    *slot = true;
                }
            }
            days
        }
    };
    // Not after the start: the window closes on the next day.
    let end = if e > s { e } else { e + DAY };
    Ok(Rule::Weekly {
        days,
        start: s,
        end,
    })
}

fn absolute_rule(spec: &WindowSpec, path: &str) -> Result<Rule> {
    let (Some(from), Some(to)) = (&spec.from, &spec.to) else {
        return Err(invalid(path, "an absolute window needs both from and to"));
    };
    let f = parse_timestamp(&format!("{path}/from"), from)?.timestamp();
    let t = parse_timestamp(&format!("{path}/to"), to)?.timestamp();
    if t <= f {
        return Err(invalid(
            path,
            format!("to {to} is not after from {from}: zero or negative length"),
        ));
    }
    Ok(Rule::Absolute { from: f, to: t })
}

fn periodic_rule(spec: &WindowSpec, kind: Kind, path: &str) -> Result<Rule> {
    if kind != Kind::Deny {
        return Err(invalid(
            path,
            "periodic windows (every, first_days, last_days) are only for deny",
        ));
    }
    let Some(every) = spec.every else {
        return Err(invalid(
            path,
            "a periodic window needs every (month, quarter, year)",
        ));
    };
    let (first, count) = match (spec.first_days, spec.last_days) {
        (Some(n), None) => (true, n),
        (None, Some(n)) => (false, n),
        _ => {
            return Err(invalid(
                path,
                "a periodic window needs exactly one of first_days and last_days",
            ))
        }
    };
    if !(1..=28).contains(&count) {
        return Err(invalid(
            path,
            format!("first_days/last_days must be between 1 and 28, got {count}"),
        ));
    }
    Ok(Rule::Periodic {
        every,
        first,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(json: &str) -> Result<Calendar> {
        Calendar::new(&crate::wire::from_json(json).unwrap())
    }

    fn rule(json: &str) -> Rule {
        let cal = compile(json).unwrap();
        cal.allow
            .into_iter()
            .chain(cal.deny)
            .chain(cal.coverage)
            .next()
            .unwrap()
            .rule
    }

    fn error(json: &str) -> (String, String, String) {
        let err = compile(json).unwrap_err();
        (
            err.code().to_string(),
            err.path().to_string(),
            err.message(),
        )
    }

    #[test]
    fn weekly_windows_wrap_past_midnight_and_default_to_every_day() {
        assert_eq!(
            rule(r#"{"allow": [{"days": ["tue", "sun"], "start": "22:00", "end": "02:00"}]}"#),
            Rule::Weekly {
                days: [false, true, false, false, false, false, true],
                start: 22 * 3600,
                end: DAY + 2 * 3600,
            }
        );
        assert_eq!(
            rule(r#"{"coverage": [{"start": "08:30:15", "end": "24:00"}]}"#),
            Rule::Weekly {
                days: [true; 7],
                start: 8 * 3600 + 30 * 60 + 15,
                end: DAY,
            }
        );
    }

    #[test]
    fn absolute_periodic_and_holiday_rules() {
        assert_eq!(
            rule(r#"{"deny": [{"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T00:00:01Z"}]}"#),
            Rule::Absolute {
                from: 1_767_225_600,
                to: 1_767_225_601
            }
        );
        assert_eq!(
            rule(r#"{"deny": [{"every": "month", "first_days": 28}]}"#),
            Rule::Periodic {
                every: Period::Month,
                first: true,
                count: 28
            }
        );
        assert_eq!(
            rule(r#"{"deny": [{"every": "year", "last_days": 1}]}"#),
            Rule::Periodic {
                every: Period::Year,
                first: false,
                count: 1
            }
        );
        let cal = compile(r#"{"time_zone": "Asia/Tokyo", "holidays": ["2026-01-01"]}"#).unwrap();
        let holiday = &cal.deny[0];
        assert_eq!(holiday.kind, Kind::Holiday);
        assert_eq!(holiday.label, "holidays/0");
        assert_eq!(holiday.reason.as_deref(), Some("holiday 2026-01-01"));
        assert_eq!(cal.time_zone(), chrono_tz::Asia::Tokyo);
        assert!(!cal.is_unrestricted());
    }

    #[test]
    fn each_list_alone_makes_a_calendar_restricted() {
        assert!(compile("{}").unwrap().is_unrestricted());
        for list in ["allow", "deny", "coverage"] {
            let json = format!(r#"{{"{list}": [{{"start": "09:00", "end": "10:00"}}]}}"#);
            assert!(!compile(&json).unwrap().is_unrestricted(), "{list}");
        }
    }

    #[test]
    fn malformed_windows_name_the_field() {
        let cases = [
            (
                r#"{"time_zone": "Mars/Base"}"#,
                "invalid_time_zone",
                "/time_zone",
            ),
            (
                r#"{"allow": [{"start": "9", "end": "10:00"}]}"#,
                "invalid_window",
                "/allow/0/start",
            ),
            (
                r#"{"allow": [{"start": "09:00", "end": "25:00"}]}"#,
                "invalid_window",
                "/allow/0/end",
            ),
            (
                r#"{"allow": [{"start": "24:00", "end": "10:00"}]}"#,
                "invalid_window",
                "/allow/0/start",
            ),
            (
                r#"{"allow": [{"start": "09:00"}]}"#,
                "invalid_window",
                "/allow/0",
            ),
            (
                r#"{"allow": [{"end": "09:00"}]}"#,
                "invalid_window",
                "/allow/0",
            ),
            (
                r#"{"allow": [{"days": [], "start": "09:00", "end": "10:00"}]}"#,
                "invalid_window",
                "/allow/0/days",
            ),
            (r#"{"allow": [{}]}"#, "invalid_window", "/allow/0"),
            (
                r#"{"allow": [{"start": "09:00", "end": "10:00", "from": "2026-01-01T00:00:00Z"}]}"#,
                "invalid_window",
                "/allow/0",
            ),
            (
                r#"{"deny": [{"from": "2026-01-01T00:00:00Z", "every": "month"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"start": "09:00", "end": "10:00", "last_days": 2}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"from": "2026-01-01T00:00:00Z"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"to": "2026-01-01T00:00:00Z"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"from": "2026-01-01", "to": "2026-01-02T00:00:00Z"}]}"#,
                "invalid_timestamp",
                "/deny/0/from",
            ),
            (
                r#"{"deny": [{"from": "2026-01-01T00:00:00Z", "to": "x"}]}"#,
                "invalid_timestamp",
                "/deny/0/to",
            ),
            (
                r#"{"deny": [{"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"first_days": 2}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"every": "month"}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"every": "month", "first_days": 1, "last_days": 1}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"every": "month", "first_days": 0}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"deny": [{"every": "month", "last_days": 29}]}"#,
                "invalid_window",
                "/deny/0",
            ),
            (
                r#"{"allow": [{"every": "month", "last_days": 2}]}"#,
                "invalid_window",
                "/allow/0",
            ),
            (
                r#"{"coverage": [{"every": "month", "last_days": 2}]}"#,
                "invalid_window",
                "/coverage/0",
            ),
            (
                r#"{"holidays": ["2026-02-30"]}"#,
                "invalid_timestamp",
                "/holidays/0",
            ),
        ];
        for (json, code, path) in cases {
            let (c, p, _) = error(json);
            assert_eq!((c.as_str(), p.as_str()), (code, path), "{json}");
        }
    }

    #[test]
    fn messages_say_what_is_wrong() {
        assert_eq!(
            error(r#"{"allow": [{"start": "10:00", "end": "10:00"}]}"#).2,
            "invalid window: start 10:00 and end 10:00 give a window of zero length"
        );
        assert_eq!(
            error(r#"{"allow": [{"start": "7pm", "end": "10:00"}]}"#).2,
            "invalid window: `7pm` is not a local time HH:MM (00:00 to 24:00)"
        );
        assert_eq!(
            error(r#"{"deny": [{"every": "quarter", "last_days": 30}]}"#).2,
            "invalid window: first_days/last_days must be between 1 and 28, got 30"
        );
        assert!(error(r#"{"holidays": ["2026-13-01"]}"#)
            .2
            .starts_with("invalid timestamp `2026-13-01`: expected a date YYYY-MM-DD ("));
    }
}
