//! What a phase of a schedule (a wave or a release stage) must pass before
//! the next, and how a schedule writes its instants.

use chrono::{DateTime, FixedOffset, TimeZone};
use serde::{Deserialize, Serialize};

/// What must pass before the next wave (or release stage) starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Bake time after the wave's last step (or after a release stage
    /// turns its flag up).
    pub bake_seconds: u64,
    /// Minimum number of metric samples the bake must collect.
    pub min_bake_samples: u64,
    /// Checks the caller must see pass: `alarms_clear`, `health`, `smoke`,
    /// and `canary_verdict` for a wave with canary-tier regions; a release
    /// stage needs `alarms_clear`, `health` and `canary_verdict`.
    pub checks: Vec<String>,
    /// Earliest time the gate can pass (RFC 3339, offset of the schedule start).
    pub earliest_pass: String,
    /// `earliest_pass` in seconds from the schedule start.
    pub earliest_pass_seconds: u64,
}

/// RFC 3339 at `t` (seconds since the epoch) in the offset of `start`.
pub(super) fn format_at(start: DateTime<FixedOffset>, t: i64) -> String {
    start.offset().timestamp_opt(t, 0).single().map_or_else(
        || t.to_string(),
        |d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    )
}
