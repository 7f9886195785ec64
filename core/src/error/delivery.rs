//! Errors about deployment and incident records, delivery-performance
//! options and feature flags.

use serde::Serialize;

/// Deployment or incident records, delivery-performance options or a feature
/// flag that cannot be evaluated. Timestamps out of order (an incident
/// resolved before it was created, a deployment finishing before it
/// started, `to` before `from`) are
/// [`CalendarError::InvalidTimestamp`](super::CalendarError::InvalidTimestamp),
/// like every other timestamp at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryError {
    /// Two deployments (or two incidents) share an id.
    #[error("duplicate record id `{id}` (already used at {first_path})")]
    DuplicateRecord {
        /// The repeated id.
        id: String,
        /// JSON pointer to the first occurrence's id.
        first_path: String,
    },
    /// An incident's `caused_by` names a deployment that is not in the
    /// deployments given.
    #[error("unknown deployment `{deployment}`")]
    UnknownDeployment {
        /// The id that does not exist.
        deployment: String,
    },
    /// A report year for which rollgate has no tier table.
    #[error("no DORA tier table for report year {year}{}", expected_years(known))]
    UnknownReportYear {
        /// The year as given.
        year: i64,
        /// The years rollgate has tables for, ascending.
        known: Vec<u16>,
    },
    /// A rollout percentage outside 0–100, not a whole number, or not
    /// increasing from one stage to the next.
    #[error("invalid percentage {value}: {message}")]
    InvalidPercentage {
        /// The percentage as given.
        value: f64,
        /// What is wrong with it.
        message: String,
    },
}

fn expected_years(known: &[u16]) -> String {
    let years: Vec<String> = known.iter().map(u16::to_string).collect();
    format!(" (known: {})", years.join(", "))
}

impl DeliveryError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            DeliveryError::DuplicateRecord { .. } => "duplicate_record",
            DeliveryError::UnknownDeployment { .. } => "unknown_deployment",
            DeliveryError::UnknownReportYear { .. } => "unknown_report_year",
            DeliveryError::InvalidPercentage { .. } => "invalid_percentage",
        }
    }
}
