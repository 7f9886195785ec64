//! The error rollgate reports for a failure of its own, instead of aborting
//! the host process.

use serde::Serialize;

/// A failure inside rollgate (a bug), reported as an error instead of
/// aborting or unwinding into the host process.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InternalError {
    /// Something that must not happen did (e.g. a panic caught at the
    /// language boundary); please report it with the input.
    #[error("internal error: {message}")]
    InternalError {
        /// What happened.
        message: String,
    },
}

impl InternalError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            InternalError::InternalError { .. } => "internal_error",
        }
    }
}
