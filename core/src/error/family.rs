//! The family of input an error is about, which the bindings map to their
//! exception classes.

use serde::Serialize;

/// The kind of input an error is about; bindings map each family to an
/// exception class (Python `InvalidPlanError`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorFamily {
    /// A release plan, its services and dependencies, or a request against it.
    Plan,
    /// A release calendar, a time zone or a timestamp: windows, freezes,
    /// holidays, and the time arguments checked against them.
    Calendar,
    /// Canary analysis: a metric configuration, metric samples or counts, or
    /// the arguments of a statistical kernel.
    Canary,
    /// A change, its outcome history, a risk model, a governance policy or a
    /// change-log record.
    Change,
    /// A release being driven: a stored release state, an event, a
    /// notification template.
    Release,
    /// Environment specs, promotion paths, migrations, access requests and
    /// teardown policies.
    Environment,
    /// Deployment and incident records, delivery-performance options, feature
    /// flags and their populations.
    Delivery,
    /// Not the input's fault: a failure inside rollgate.
    Internal,
}

impl ErrorFamily {
    /// The family's stable name.
    ///
    /// ```
    /// assert_eq!(rollgate::ErrorFamily::Plan.as_str(), "plan");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorFamily::Plan => "plan",
            ErrorFamily::Calendar => "calendar",
            ErrorFamily::Canary => "canary",
            ErrorFamily::Change => "change",
            ErrorFamily::Release => "release",
            ErrorFamily::Environment => "environment",
            ErrorFamily::Delivery => "delivery",
            ErrorFamily::Internal => "internal",
        }
    }
}
