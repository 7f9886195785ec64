//! Malformed input that any document can contain: wrong type, unknown
//! field, bad duration.

use serde::Serialize;

use super::expected_list;

/// Malformed input that any document can contain.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputError {
    /// Wrong type, missing field, value out of range, unreadable text.
    #[error("{message}")]
    InvalidInput {
        /// What is wrong with the value.
        message: String,
    },
    /// An object holds a field that the format does not define.
    #[error("unknown field `{field}`{}", expected_list(expected))]
    UnknownField {
        /// The field name.
        field: String,
        /// The fields that are allowed there.
        expected: Vec<String>,
    },
    /// A duration could not be read or is out of range.
    #[error("invalid duration {value}: {reason}")]
    InvalidDuration {
        /// The value as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
}

impl InputError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            InputError::InvalidInput { .. } => "invalid_input",
            InputError::UnknownField { .. } => "unknown_field",
            InputError::InvalidDuration { .. } => "invalid_duration",
        }
    }
}
