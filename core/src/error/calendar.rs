//! Errors about a calendar, a time zone or a timestamp, and requests that no
//! allowed time can satisfy.

use serde::Serialize;

/// A calendar, time zone or timestamp that cannot be evaluated, or a request
/// that no allowed time can satisfy.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CalendarError {
    /// A time zone is not a known IANA name.
    #[error("unknown IANA time zone `{time_zone}`")]
    InvalidTimeZone {
        /// The name as given.
        time_zone: String,
    },
    /// A calendar window is malformed: zero or negative length, a bad local
    /// time, fields of different kinds mixed, a recurrence outside `deny`.
    #[error("invalid window: {message}")]
    InvalidWindow {
        /// What is wrong with it.
        message: String,
    },
    /// A timestamp or date could not be read (RFC 3339 with offset, or
    /// `YYYY-MM-DD` for dates), or is out of order.
    #[error("invalid timestamp `{value}`: {message}")]
    InvalidTimestamp {
        /// The value as given.
        value: String,
        /// What is wrong with it.
        message: String,
    },
    /// A deployment is longer than every allow window of a calendar, so it
    /// can never fit, whatever the date.
    #[error("a deployment of {duration_seconds} s is longer than every allow window (longest {longest_window_seconds} s)")]
    WindowTooShort {
        /// The deployment's duration.
        duration_seconds: u64,
        /// The longest allowed stretch found within the horizon.
        longest_window_seconds: u64,
    },
    /// No allowed start exists within the searched horizon.
    #[error("no allowed start for a deployment of {duration_seconds} s within {horizon_seconds} s after {after}")]
    NoWindowWithinHorizon {
        /// Where the search started (RFC 3339).
        after: String,
        /// The deployment's duration.
        duration_seconds: u64,
        /// The horizon searched.
        horizon_seconds: u64,
    },
}

impl CalendarError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            CalendarError::InvalidTimeZone { .. } => "invalid_time_zone",
            CalendarError::InvalidWindow { .. } => "invalid_window",
            CalendarError::InvalidTimestamp { .. } => "invalid_timestamp",
            CalendarError::WindowTooShort { .. } => "window_too_short",
            CalendarError::NoWindowWithinHorizon { .. } => "no_window_within_horizon",
        }
    }
}
