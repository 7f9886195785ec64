//! Instants on the wire: one strict RFC 3339 reader used by every document
//! and argument, and the [`Timestamp`] type that documents hold.
//!
//! Strict means the grammar of RFC 3339 §5.6 and nothing looser:
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `T`/`t` between date and
//! time and `Z`/`z` or a numeric offset always present. A space separator,
//! a missing offset, `+0100` without a colon or extra spaces are rejected
//! with `invalid_timestamp`, in every document and every language alike
//! (chrono's own serde reader would accept several of them).

use std::fmt;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::error::{CalendarError, Error, Result};

/// Reads an RFC 3339 timestamp with offset; errors are `invalid_timestamp`
/// with `path` as their path.
///
/// ```
/// let t = rollgate::wire::time::parse_timestamp("at", "2026-03-08T09:00:00-04:00").unwrap();
/// assert_eq!(t.timestamp(), 1_772_974_800);
/// for bad in ["tomorrow", "2026-03-08 09:00:00Z", "2026-03-08T09:00:00", "2026-03-08T09:00:00+0400"] {
///     let err = rollgate::wire::time::parse_timestamp("at", bad).unwrap_err();
///     assert_eq!((err.code(), err.path()), ("invalid_timestamp", "at"));
/// }
/// ```
pub fn parse_timestamp(path: &str, text: &str) -> Result<DateTime<FixedOffset>> {
    strict_rfc3339(text).map_err(|message| {
        Error::new(
            path,
            CalendarError::InvalidTimestamp {
                value: text.to_string(),
                message,
            },
        )
    })
}

/// The instant `text` denotes, or why it is not strict RFC 3339.
fn strict_rfc3339(text: &str) -> std::result::Result<DateTime<FixedOffset>, String> {
    const EXPECTED: &str = "expected RFC 3339 with offset, e.g. 2026-11-26T09:00:00-05:00";
    if !has_rfc3339_shape(text.as_bytes()) {
        return Err(EXPECTED.to_string());
    }
    DateTime::parse_from_rfc3339(text).map_err(|e| format!("{EXPECTED} ({e})"))
}

/// Whether `b` has the character classes of RFC 3339's `date-time`; chrono
/// then checks the ranges (month 1–12, day in month, hour, offset).
fn has_rfc3339_shape(b: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let is = |i: usize, options: &[u8]| b.get(i).is_some_and(|c| options.contains(c));
    // YYYY-MM-DDTHH:MM:SS
    let date_time = digits(0..4)
        && is(4, b"-")
        && digits(5..7)
        && is(7, b"-")
        && digits(8..10)
        && is(10, b"Tt")
        && digits(11..13)
        && is(13, b":")
        && digits(14..16)
        && is(16, b":")
        && digits(17..19);
    if !date_time {
        return false;
    }
    let mut i = 19;
    if is(i, b".") {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && is(i + 3, b":") && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

/// Formats an instant (seconds since the epoch) as RFC 3339 in a zone's
/// offset, to the second; the number itself if it is out of chrono's range.
///
/// RFC 3339 offsets are whole minutes. Before standard time, zones used local
/// mean time with offsets in seconds (New York was −04:56:02 until 1883);
/// chrono would write those as `-04:56`, naming an instant two seconds off.
/// Such instants are written in UTC (`Z`) instead, so that reading the text
/// back always gives the same instant.
pub(crate) fn format_in<Tz: TimeZone>(tz: &Tz, t: i64) -> String
where
    Tz::Offset: fmt::Display,
{
    use chrono::Offset;
    match DateTime::<Utc>::from_timestamp(t, 0) {
        Some(utc) => {
            let local = utc.with_timezone(tz);
            if local.offset().fix().local_minus_utc() % 60 == 0 {
                local.to_rfc3339_opts(SecondsFormat::Secs, false)
            } else {
                utc.to_rfc3339_opts(SecondsFormat::Secs, true)
            }
        }
        None => t.to_string(),
    }
}

/// An instant with the offset it was written in, read by the strict RFC 3339
/// reader ([`parse_timestamp`]) and written back as RFC 3339 (`Z` for UTC,
/// the fraction of a second only when there is one).
///
/// It dereferences to chrono's `DateTime<FixedOffset>`.
///
/// ```
/// use rollgate::Timestamp;
/// let t: Timestamp = rollgate::wire::from_json(r#""2026-11-24T09:00:00+01:00""#).unwrap();
/// assert_eq!(t.timestamp(), 1_795_507_200);
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""2026-11-24T09:00:00+01:00""#);
/// let err = rollgate::wire::from_json::<Timestamp>(r#""2026-11-24 09:00:00Z""#).unwrap_err();
/// assert_eq!(err.code(), "invalid_timestamp");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl std::ops::Deref for Timestamp {
    type Target = DateTime<FixedOffset>;

    fn deref(&self) -> &DateTime<FixedOffset> {
        &self.0
    }
}

impl std::ops::Sub for Timestamp {
    type Output = chrono::TimeDelta;

    fn sub(self, earlier: Timestamp) -> chrono::TimeDelta {
        self.0 - earlier.0
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(value: DateTime<FixedOffset>) -> Self {
        Timestamp(value)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339, as on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        parse_timestamp("", text).map(Timestamp)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        // chrono's own form, which earlier versions wrote: records hashed
        // then must hash the same now.
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp with offset, e.g. 2026-11-26T09:00:00-05:00")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Timestamp, E> {
                strict_rfc3339(text).map(Timestamp).map_err(|message| {
                    super::fail_with(CalendarError::InvalidTimestamp {
                        value: text.to_string(),
                        message,
                    })
                })
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_rfc3339_grammar() {
        for text in [
            "2026-11-24T09:00:00Z",
            "2026-11-24t09:00:00z",
            "2026-11-24T09:00:00.5-05:00",
            "2026-11-24T09:00:00.123456789+01:00",
            "2024-02-29T23:59:59+14:00",
        ] {
            assert!(parse_timestamp("t", text).is_ok(), "{text}");
        }
    }

    #[test]
    fn rejects_what_chrono_alone_would_accept() {
        for text in [
            "2026-11-24 09:00:00Z",
            "2026-11-24T09:00:00 +01:00",
            "2026-11-24T09:00:00+0100",
            "2026-11-24  09:00:00Z",
            "2026-11-24T09:00:00",
            "2026-11-24T09:00:00.Z",
            "2026-11-24T09:00Z",
            "2026-13-24T09:00:00Z",
            "2023-02-29T09:00:00Z",
            "",
            "2026-11-24T09:00:00Z ",
            "２026-11-24T09:00:00Z",
        ] {
            let err = parse_timestamp("/at", text).unwrap_err();
            assert_eq!(
                (err.code(), err.path()),
                ("invalid_timestamp", "/at"),
                "{text}"
            );
        }
    }

    #[test]
    fn documents_read_timestamps_strictly_with_paths() {
        let err = crate::wire::from_json::<Vec<Timestamp>>(
            r#"["2026-11-24T09:00:00Z", "2026-11-24 09:00:00Z"]"#,
        )
        .unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_timestamp", "/1"));
        let err = crate::wire::from_json::<Vec<Timestamp>>("[5]").unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_input", "/0"));
    }

    #[test]
    fn writes_what_chrono_wrote() {
        let t: Timestamp = "2026-11-24T09:00:00+00:00".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#""2026-11-24T09:00:00Z""#
        );
        let t: Timestamp = "2026-11-24T09:00:00.500-05:00".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#""2026-11-24T09:00:00.500-05:00""#
        );
    }

    #[test]
    fn zone_offsets_in_seconds_are_written_in_utc() {
        let lmt: chrono_tz::Tz = "America/New_York".parse().unwrap();
        // Before 1883: local mean time, −04:56:02.
        let t = parse_timestamp("", "1013-03-08T13:56:02Z")
            .unwrap()
            .timestamp();
        let text = format_in(&lmt, t);
        assert_eq!(text, "1013-03-08T13:56:02Z");
        assert_eq!(parse_timestamp("", &text).unwrap().timestamp(), t);
        // Standard time keeps its local offset.
        let t = parse_timestamp("", "2026-03-02T14:00:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(format_in(&lmt, t), "2026-03-02T09:00:00-05:00");
    }
}
