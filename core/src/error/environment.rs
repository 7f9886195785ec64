//! Errors about environment specs, promotion paths and the rules and
//! requests that name environments.

use serde::Serialize;

/// Environment specs, a promotion path or a rule that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EnvironmentError {
    /// A promotion path, rule, request or history names an environment that
    /// is not defined.
    #[error("unknown environment `{environment}`")]
    UnknownEnvironment {
        /// The id that does not exist.
        environment: String,
    },
}

impl EnvironmentError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            EnvironmentError::UnknownEnvironment { .. } => "unknown_environment",
        }
    }
}
