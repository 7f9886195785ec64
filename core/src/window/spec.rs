//! The wire shape of a release calendar: [`CalendarSpec`] and its
//! [`WindowSpec`]s, as a caller writes them.
//!
//! Reading a calendar is calendar business wherever the calendar sits: a
//! wrong type, an unknown field or an unknown day name inside a calendar is
//! an error of the calendar family (Python `InvalidCalendarError`), also when
//! the calendar is part of a plan or a risk context.

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::ErrorFamily;

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
///
/// // A bad day name is a calendar error, as a bad local time is.
/// let err = rollgate::wire::from_json::<rollgate::CalendarSpec>(
///     r#"{"allow": [{"days": ["someday"], "start": "09:00", "end": "17:00"}]}"#).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_input", "/allow/0/days/0"));
/// assert_eq!(err.family(), rollgate::ErrorFamily::Calendar);
/// ```
// The schema follows `CalendarFields`, which the reader uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
pub struct CalendarSpec {
    /// IANA time zone in which local times and dates are read (default `"UTC"`).
    #[cfg_attr(feature = "schema", schemars(default = "utc_name"))]
    pub time_zone: String,
    /// Windows a deployment must fit inside (none: no restriction).
    #[cfg_attr(feature = "schema", schemars(default))]
    pub allow: Vec<WindowSpec>,
    /// Windows a deployment must not overlap (freezes).
    #[cfg_attr(feature = "schema", schemars(default))]
    pub deny: Vec<WindowSpec>,
    /// Windows in which someone is on hand; a deployment must fit inside one
    /// (none: no restriction).
    #[cfg_attr(feature = "schema", schemars(default))]
    pub coverage: Vec<WindowSpec>,
    /// Whole local days denied, as `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(default))]
    pub holidays: Vec<String>,
}

/// The fields of [`CalendarSpec`] as serde reads them; the public type adds
/// the calendar family to every failure.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFields {
    #[serde(default = "utc_name")]
    time_zone: String,
    #[serde(default)]
    allow: Vec<WindowSpec>,
    #[serde(default)]
    deny: Vec<WindowSpec>,
    #[serde(default)]
    coverage: Vec<WindowSpec>,
    #[serde(default)]
    holidays: Vec<String>,
}

fn utc_name() -> String {
    "UTC".to_string()
}

impl<'de> Deserialize<'de> for CalendarSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = crate::wire::fail_in_family(
            ErrorFamily::Calendar,
            CalendarFields::deserialize(deserializer),
        )?;
        Ok(CalendarSpec {
            time_zone: fields.time_zone,
            allow: fields.allow,
            deny: fields.deny,
            coverage: fields.coverage,
            holidays: fields.holidays,
        })
    }
}

/// One window of a calendar. Exactly one kind of fields may be given:
/// - weekly: `start` and `end` local times `HH:MM` (optional `days`, default
///   every day);
/// - absolute: `from` and `to`, RFC 3339 timestamps with offset;
/// - periodic (deny only): `every` (`month`, `quarter`, `year`) with
///   `first_days` or `last_days`, whole local days at the start or end of each
///   period (the last 3 days of each quarter: `{"every": "quarter", "last_days": 3}`).
///
/// ```
/// let w: rollgate::WindowSpec = rollgate::wire::from_json(
///     r#"{"days": ["fri"], "start": "15:00", "end": "24:00", "reason": "no Friday deploys"}"#).unwrap();
/// assert_eq!(w.days, Some(vec![rollgate::Day::Fri]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// The names a reader accepts (short and full) and the short names written.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Day".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        const SHORT: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        const FULL: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        let names: Vec<&str> = if generator.contract().is_deserialize() {
            SHORT.iter().chain(FULL.iter()).copied().collect()
        } else {
            SHORT.to_vec()
        };
        schemars::json_schema!({
            "description": "A day of the week: `mon` … `sun` (full names such as `monday` \
                accepted on input).",
            "type": "string",
            "enum": names,
        })
    }
}

impl Day {
    /// Position in the week, Monday 0 to Sunday 6 (chrono's
    /// `num_days_from_monday`).
    pub(crate) fn index(self) -> usize {
        match self {
            Day::Mon => 0,
            Day::Tue => 1,
            Day::Wed => 2,
            Day::Thu => 3,
            Day::Fri => 4,
            Day::Sat => 5,
            Day::Sun => 6,
        }
    }
}

/// The period of a periodic deny window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Every calendar month.
    Month,
    /// Every calendar quarter (January, April, July, October starts).
    Quarter,
    /// Every calendar year.
    Year,
}

impl Period {
    /// Length of the period in months.
    pub(crate) fn months(self) -> i32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorFamily;

    #[test]
    fn defaults_fill_an_empty_calendar() {
        let spec: CalendarSpec = crate::wire::from_json("{}").unwrap();
        assert_eq!(spec.time_zone, "UTC");
        assert!(spec.allow.is_empty() && spec.deny.is_empty() && spec.coverage.is_empty());
        assert!(spec.holidays.is_empty());
    }

    #[test]
    fn days_read_short_and_full_names_in_week_order() {
        let days: Vec<Day> =
            crate::wire::from_json(r#"["mon","tuesday","wed","thursday","fri","saturday","sun"]"#)
                .unwrap();
        let index: Vec<usize> = days.iter().map(|d| d.index()).collect();
        assert_eq!(index, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            [Period::Month, Period::Quarter, Period::Year].map(Period::months),
            [1, 3, 12]
        );
    }

    #[test]
    fn errors_inside_a_calendar_are_calendar_errors_even_inside_a_plan() {
        let err = crate::wire::from_json::<CalendarSpec>(r#"{"allow": 5}"#).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_input", "/allow"));
        assert_eq!(err.family(), ErrorFamily::Calendar);
        let err = crate::wire::from_json::<CalendarSpec>(r#"{"colour": 5}"#).unwrap_err();
        assert_eq!(
            (err.code(), err.family()),
            ("unknown_field", ErrorFamily::Calendar)
        );
        let err = crate::Plan::from_json(
            r#"{"name": "p", "services": [], "calendars": {"ops": {"allow": [{"days": ["funday"]}]}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.path(), "/calendars/ops/allow/0/days/0");
        assert_eq!(err.family(), ErrorFamily::Calendar);
        // Outside the calendar the plan's own family stays.
        let err =
            crate::Plan::from_json(r#"{"name": "p", "services": 5, "calendars": {"ops": {}}}"#)
                .unwrap_err();
        assert_eq!((err.path(), err.family()), ("/services", ErrorFamily::Plan));
    }
}
