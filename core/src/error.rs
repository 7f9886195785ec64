//! The one error type of rollgate.
//!
//! An [`Error`] means the input could not be evaluated at all: it is malformed
//! or inconsistent. A policy that is not met, a failing metric or a closed
//! window is a *finding* inside a successful result, never an `Err`.
//!
//! Every error carries a stable machine-readable [`code`](Error::code) (part of
//! the public API, identical in Rust, Python and Node), a JSON pointer
//! [`path`](Error::path) to the offending value, and a message naming the ids
//! and values involved. [`Error::details`] gives all of its fields as JSON so
//! that bindings can attach them to their host-language exceptions.

use serde::Serialize;

/// The input that could not be evaluated, with the field and value at fault.
///
/// Serialises as `{"code": "...", "path": "...", ...fields}`.
///
/// ```
/// let err = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "depends_on": ["a"]}]}"#)
///     .and_then(|plan| rollgate::order_services(&plan))
///     .unwrap_err();
/// assert_eq!(err.code(), "self_dependency");
/// assert_eq!(err.path(), "/services/0/depends_on/0");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// Two entries of a list share an id that must be unique.
    #[error("{path}: duplicate id `{id}` (already used at {first_path})")]
    DuplicateId {
        /// JSON pointer to the second occurrence's id.
        path: String,
        /// The repeated id.
        id: String,
        /// JSON pointer to the first occurrence's id.
        first_path: String,
    },
    /// A service names a dependency that is not in the plan.
    #[error("{path}: service `{service}` depends on unknown service `{dependency}`")]
    UnknownDependency {
        /// JSON pointer to the dependency entry.
        path: String,
        /// The service that declares the dependency.
        service: String,
        /// The id that does not exist.
        dependency: String,
    },
    /// A service lists itself among its dependencies.
    #[error("{path}: service `{service}` depends on itself")]
    SelfDependency {
        /// JSON pointer to the dependency entry.
        path: String,
        /// The service.
        service: String,
    },
    /// The dependencies form a cycle, so no order exists.
    #[error("{path}: dependency cycle {}", cycle.join(" -> "))]
    DependencyCycle {
        /// JSON pointer to the first edge of the reported cycle.
        path: String,
        /// One concrete cycle: starts and ends with the same id, each id
        /// depending on the next.
        cycle: Vec<String>,
        /// Every id caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A request names a service that is not in the plan.
    #[error("{path}: unknown service `{service}`")]
    UnknownService {
        /// JSON pointer to the reference.
        path: String,
        /// The id that does not exist.
        service: String,
    },
    /// A duration could not be parsed or is out of range.
    #[error("{path}: invalid duration {value}: {reason}")]
    InvalidDuration {
        /// JSON pointer to the value.
        path: String,
        /// The value as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An object holds a field that the format does not define.
    #[error("{path}: unknown field `{field}`{}", expected_list(expected))]
    UnknownField {
        /// JSON pointer to the unknown field.
        path: String,
        /// The field name.
        field: String,
        /// The fields that are allowed there.
        expected: Vec<String>,
    },
    /// Any other malformed input: wrong type, missing field, value out of range.
    #[error("{path}: {message}")]
    InvalidInput {
        /// JSON pointer to the value.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A size, count or experience measure of a change is negative or not finite.
    #[error("{path}: `{field}` must be a finite number of at least 0, got {value}")]
    NegativeSize {
        /// JSON pointer to the value.
        path: String,
        /// The field name, e.g. `lines_added`.
        field: String,
        /// The value as given.
        value: f64,
    },
    /// An approval is dated before the change it approves was created.
    #[error("{path}: approval by `{approver}` at {approved_at} is before the change was created at {created_at}")]
    ApprovalBeforeCreation {
        /// JSON pointer to the approval's time.
        path: String,
        /// Who approved.
        approver: String,
        /// When they approved (RFC 3339).
        approved_at: String,
        /// When the change was created (RFC 3339).
        created_at: String,
    },
    /// A compliance tag that the governance policy does not define.
    #[error("{path}: unknown compliance tag `{tag}`{}", expected_list(known))]
    UnknownComplianceTag {
        /// JSON pointer to the tag.
        path: String,
        /// The tag as given.
        tag: String,
        /// The tags the policy defines, sorted.
        known: Vec<String>,
    },
    /// A risk model names a factor that this version does not know.
    #[error("{path}: unknown risk factor `{factor}`")]
    UnknownRiskFactor {
        /// JSON pointer to the factor's code.
        path: String,
        /// The code as given.
        factor: String,
    },
    /// Outcome history that cannot support the requested computation
    /// (no records, or none of one class where both are needed).
    #[error("{path}: {message} ({changes} changes, {failures} failures)")]
    InsufficientHistory {
        /// JSON pointer to the history argument.
        path: String,
        /// Number of records given.
        changes: usize,
        /// Number of failed changes among them.
        failures: usize,
        /// What was needed.
        message: String,
    },
    /// A change-log record whose stored hash does not match its content, so
    /// nothing can be appended after it.
    #[error("{path}: stored hash {stored} does not match the record's content (hash {computed})")]
    ChangeRecordTampered {
        /// JSON pointer to the record's hash.
        path: String,
        /// The hash stored in the record.
        stored: String,
        /// The hash of the record's canonical content.
        computed: String,
    },
}

fn expected_list(expected: &[String]) -> String {
    if expected.is_empty() {
        String::new()
    } else {
        format!(", expected one of: {}", expected.join(", "))
    }
}

/// The kind of input an error is about; bindings map each family to an
/// exception class (Python `InvalidPlanError`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorFamily {
    /// A release plan, its services and dependencies, or a request against it.
    Plan,
    /// A change, its outcome history, a risk model, a governance policy or a
    /// change-log record.
    Change,
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
            ErrorFamily::Change => "change",
        }
    }
}

impl Error {
    /// The stable code of this error, e.g. `"dependency_cycle"`.
    ///
    /// ```
    /// let err = rollgate::Error::InvalidInput { path: "/name".into(), message: "expected a string".into() };
    /// assert_eq!(err.code(), "invalid_input");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::DuplicateId { .. } => "duplicate_id",
            Error::UnknownDependency { .. } => "unknown_dependency",
            Error::SelfDependency { .. } => "self_dependency",
            Error::DependencyCycle { .. } => "dependency_cycle",
            Error::UnknownService { .. } => "unknown_service",
            Error::InvalidDuration { .. } => "invalid_duration",
            Error::UnknownField { .. } => "unknown_field",
            Error::InvalidInput { .. } => "invalid_input",
            Error::NegativeSize { .. } => "negative_size",
            Error::ApprovalBeforeCreation { .. } => "approval_before_creation",
            Error::UnknownComplianceTag { .. } => "unknown_compliance_tag",
            Error::UnknownRiskFactor { .. } => "unknown_risk_factor",
            Error::InsufficientHistory { .. } => "insufficient_history",
            Error::ChangeRecordTampered { .. } => "change_record_tampered",
        }
    }

    /// JSON pointer (RFC 6901) to the offending value; `""` is the whole input.
    ///
    /// ```
    /// let err = rollgate::Error::UnknownService { path: "/services/2".into(), service: "x".into() };
    /// assert_eq!(err.path(), "/services/2");
    /// ```
    pub fn path(&self) -> &str {
        match self {
            Error::DuplicateId { path, .. }
            | Error::UnknownDependency { path, .. }
            | Error::SelfDependency { path, .. }
            | Error::DependencyCycle { path, .. }
            | Error::UnknownService { path, .. }
            | Error::InvalidDuration { path, .. }
            | Error::UnknownField { path, .. }
            | Error::InvalidInput { path, .. }
            | Error::NegativeSize { path, .. }
            | Error::ApprovalBeforeCreation { path, .. }
            | Error::UnknownComplianceTag { path, .. }
            | Error::UnknownRiskFactor { path, .. }
            | Error::InsufficientHistory { path, .. }
            | Error::ChangeRecordTampered { path, .. } => path,
        }
    }

    /// The family of input this error is about.
    ///
    /// ```
    /// let err = rollgate::Error::UnknownService { path: "/services/2".into(), service: "x".into() };
    /// assert_eq!(err.family(), rollgate::ErrorFamily::Plan);
    /// ```
    pub fn family(&self) -> ErrorFamily {
        match self {
            Error::DuplicateId { .. }
            | Error::UnknownDependency { .. }
            | Error::SelfDependency { .. }
            | Error::DependencyCycle { .. }
            | Error::UnknownService { .. }
            | Error::InvalidDuration { .. }
            | Error::UnknownField { .. }
            | Error::InvalidInput { .. } => ErrorFamily::Plan,
            Error::NegativeSize { .. }
            | Error::ApprovalBeforeCreation { .. }
            | Error::UnknownComplianceTag { .. }
            | Error::UnknownRiskFactor { .. }
            | Error::InsufficientHistory { .. }
            | Error::ChangeRecordTampered { .. } => ErrorFamily::Change,
        }
    }

    /// All fields of the error as a JSON object, including `code` and `path`.
    ///
    /// ```
    /// let err = rollgate::Error::UnknownService { path: "/services/2".into(), service: "x".into() };
    /// let details = err.details();
    /// assert_eq!(details["code"], "unknown_service");
    /// assert_eq!(details["service"], "x");
    /// ```
    pub fn details(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            // Serialising plain strings and lists cannot fail; keep the
            // essentials should that ever change.
            _ => {
                let mut map = serde_json::Map::new();
                map.insert("code".into(), self.code().into());
                map.insert("path".into(), self.path().into());
                map
            }
        }
    }

    /// Returns a copy of this error with `prefix` prepended to its path, for
    /// errors found inside a nested value (e.g. a plan passed as one argument
    /// of several).
    ///
    /// ```
    /// let err = rollgate::Error::InvalidInput { path: "/name".into(), message: "bad".into() };
    /// assert_eq!(err.with_path_prefix("/plan").path(), "/plan/name");
    /// ```
    pub fn with_path_prefix(mut self, prefix: &str) -> Self {
        match &mut self {
            Error::DuplicateId { path, .. }
            | Error::UnknownDependency { path, .. }
            | Error::SelfDependency { path, .. }
            | Error::DependencyCycle { path, .. }
            | Error::UnknownService { path, .. }
            | Error::InvalidDuration { path, .. }
            | Error::UnknownField { path, .. }
            | Error::InvalidInput { path, .. }
            | Error::NegativeSize { path, .. }
            | Error::ApprovalBeforeCreation { path, .. }
            | Error::UnknownComplianceTag { path, .. }
            | Error::UnknownRiskFactor { path, .. }
            | Error::InsufficientHistory { path, .. }
            | Error::ChangeRecordTampered { path, .. } => path.insert_str(0, prefix),
        }
        self
    }
}

/// The result type of every fallible rollgate function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
