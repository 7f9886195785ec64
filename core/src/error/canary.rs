//! Errors about canary analysis input: samples, counts, metric names,
//! configuration, kernel arguments and stored watch states.

use serde::Serialize;

/// Canary analysis input that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CanaryError {
    /// A metric sample is NaN or infinite (under `nan_policy: reject`), or
    /// negative where only values `≥ 0` make sense (a canary watch's samples),
    /// or is not a number at all.
    #[error("sample {index}{} is {value}", metric.as_ref().map(|m| format!(" of metric `{m}`")).unwrap_or_default())]
    InvalidSample {
        /// The metric the sample belongs to (absent for the kernels).
        metric: Option<String>,
        /// Position of the value in its sample.
        index: usize,
        /// The value: `"NaN"`, `"inf"` or `"-inf"`, or for a value that is
        /// not a number, `not a number (string "2")` and the like.
        value: String,
    },
    /// An event count or trial count is negative, fractional, non-finite, or
    /// events exceed trials.
    #[error("invalid count {value}: {reason}")]
    InvalidCount {
        /// The count as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Canary data or configuration names a metric the other does not know.
    #[error("unknown metric `{metric}`")]
    UnknownMetric {
        /// The metric name.
        metric: String,
    },
    /// A canary configuration or kernel option is out of range or inconsistent
    /// (confidence outside (0, 1), thresholds out of order, ...).
    #[error("{message}")]
    InvalidConfig {
        /// What is wrong with it.
        message: String,
    },
    /// A kernel got fewer observations than it needs to compute anything.
    #[error("needs at least {needed} values, got {got}")]
    InsufficientData {
        /// The minimum number of values.
        needed: usize,
        /// The number given.
        got: usize,
    },
    /// A stored canary-watch state that cannot continue under the given
    /// configuration: another configuration's fingerprint, a newer version,
    /// or contents that do not fit the configuration.
    #[error("incompatible watch state: {message}")]
    IncompatibleState {
        /// Why the state cannot be used.
        message: String,
    },
}

impl CanaryError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            CanaryError::InvalidSample { .. } => "invalid_sample",
            CanaryError::InvalidCount { .. } => "invalid_count",
            CanaryError::UnknownMetric { .. } => "unknown_metric",
            CanaryError::InvalidConfig { .. } => "invalid_config",
            CanaryError::InsufficientData { .. } => "insufficient_data",
            CanaryError::IncompatibleState { .. } => "incompatible_state",
        }
    }
}
