//! Errors about a release being driven: events, stored release states,
//! notification templates.

use serde::Serialize;

/// A release controller's input that cannot be evaluated: an event that does
/// not fit the release, a stored state that cannot continue, a template
/// placeholder without a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReleaseError {
    /// An event that cannot be applied: malformed, or impossible in the
    /// release's state (finishing a step that never started, resuming a
    /// release that is not paused).
    #[error("invalid event `{event}`: {message}")]
    InvalidEvent {
        /// The event's `type` (`""` when it has none).
        event: String,
        /// Why it cannot be applied.
        message: String,
    },
    /// A stored release state that cannot continue with the given plan:
    /// another plan's fingerprint, another format version, or contents that
    /// cannot be read.
    #[error("incompatible release state: {message}")]
    IncompatibleState {
        /// Why the state cannot be used.
        message: String,
    },
    /// A template names a placeholder that the context gives no value for.
    #[error("no value for placeholder `{{{placeholder}}}`")]
    UnknownPlaceholder {
        /// The placeholder's name, without braces.
        placeholder: String,
    },
}

impl ReleaseError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            ReleaseError::InvalidEvent { .. } => "invalid_event",
            ReleaseError::IncompatibleState { .. } => "incompatible_state",
            ReleaseError::UnknownPlaceholder { .. } => "unknown_placeholder",
        }
    }
}
