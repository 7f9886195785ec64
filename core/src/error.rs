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
    /// A region's `pair` or `depends_on` names a region that is not in the plan.
    #[error("{path}: region `{region}` refers to unknown region `{target}`")]
    UnknownRegion {
        /// JSON pointer to the reference.
        path: String,
        /// The region that holds the reference.
        region: String,
        /// The id that does not exist.
        target: String,
    },
    /// Region `a` names `b` as its pair but `b` does not name `a` (or names
    /// itself, or another region).
    #[error("{path}: region `{region}` is paired with `{pair}`, but `{pair}` is paired with {}", pair_of_pair.as_deref().map_or("no region".to_string(), |p| format!("`{p}`")))]
    AsymmetricPair {
        /// JSON pointer to the `pair` field of `region`.
        path: String,
        /// The region whose pair does not answer.
        region: String,
        /// The region it names as its pair.
        pair: String,
        /// What `pair` names as its own pair (`None`: nothing).
        pair_of_pair: Option<String>,
    },
    /// The regions' `depends_on` lists form a cycle.
    #[error("{path}: region dependency cycle {}", cycle.join(" -> "))]
    RegionCycle {
        /// JSON pointer to the first edge of the reported cycle.
        path: String,
        /// One concrete cycle: starts and ends with the same id.
        cycle: Vec<String>,
        /// Every region caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A region's traffic share is negative, not finite or above 1, or the
    /// shares of all regions add up to more than 1.
    #[error("{path}: invalid traffic share {value}: {message}")]
    InvalidTrafficShare {
        /// JSON pointer to the share (or to `/regions` for the total).
        path: String,
        /// The offending share, or the total.
        value: f64,
        /// What is wrong with it.
        message: String,
    },
    /// A region (or the plan) names a calendar that is not in `calendars`.
    #[error("{path}: unknown calendar `{calendar}`")]
    UnknownCalendar {
        /// JSON pointer to the reference.
        path: String,
        /// The id that does not exist.
        calendar: String,
    },
    /// A service depends on a contract migration, which only runs after every
    /// region has finished.
    #[error("{path}: service `{service}` depends on contract migration `{migration}`, which runs only after every region has finished")]
    ContractDependency {
        /// JSON pointer to the dependency entry.
        path: String,
        /// The dependent service.
        service: String,
        /// The contract migration it depends on.
        migration: String,
    },
    /// A rollback request names a step that is not in the schedule.
    #[error("{path}: no step deploys service `{service}` to region `{region}`")]
    UnknownStep {
        /// JSON pointer to the step reference.
        path: String,
        /// The region named.
        region: String,
        /// The service named.
        service: String,
    },
    /// A time zone is not a known IANA name.
    #[error("{path}: unknown IANA time zone `{time_zone}`")]
    InvalidTimeZone {
        /// JSON pointer to the zone name.
        path: String,
        /// The name as given.
        time_zone: String,
    },
    /// A calendar window is malformed: zero or negative length, a bad local
    /// time, fields of different kinds mixed, a recurrence outside `deny`.
    #[error("{path}: invalid window: {message}")]
    InvalidWindow {
        /// JSON pointer to the window (or its offending field).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A timestamp or date could not be read (RFC 3339 with offset, or
    /// `YYYY-MM-DD` for dates).
    #[error("{path}: invalid timestamp `{value}`: {message}")]
    InvalidTimestamp {
        /// JSON pointer to the value.
        path: String,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        message: String,
    },
    /// A deployment is longer than every allow window of a calendar, so it
    /// can never fit, whatever the date.
    #[error("{path}: a deployment of {duration_seconds} s is longer than every allow window (longest {longest_window_seconds} s)")]
    WindowTooShort {
        /// JSON pointer to the duration or the calendar reference.
        path: String,
        /// The deployment's duration.
        duration_seconds: u64,
        /// The longest allowed stretch found within the horizon.
        longest_window_seconds: u64,
    },
    /// No allowed start exists within the searched horizon.
    #[error("{path}: no allowed start for a deployment of {duration_seconds} s within {horizon_seconds} s after {after}")]
    NoWindowWithinHorizon {
        /// JSON pointer to the calendar (reference).
        path: String,
        /// Where the search started (RFC 3339).
        after: String,
        /// The deployment's duration.
        duration_seconds: u64,
        /// The horizon searched.
        horizon_seconds: u64,
    },
    /// Any other malformed input: wrong type, missing field, value out of range.
    #[error("{path}: {message}")]
    InvalidInput {
        /// JSON pointer to the value.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A metric sample is NaN or infinite (under `nan_policy: reject`).
    #[error("{path}: sample {index}{} is {value}", metric.as_ref().map(|m| format!(" of metric `{m}`")).unwrap_or_default())]
    InvalidSample {
        /// Path to the sample value, e.g. `data/latency/canary/3` or `x/3`.
        path: String,
        /// The metric the sample belongs to (absent for the kernels).
        metric: Option<String>,
        /// Position of the value in its sample.
        index: usize,
        /// The value: `"NaN"`, `"inf"` or `"-inf"`.
        value: String,
    },
    /// An event count or trial count is negative, fractional, non-finite, or
    /// events exceed trials.
    #[error("{path}: invalid count {value}: {reason}")]
    InvalidCount {
        /// Path to the count.
        path: String,
        /// The count as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Canary data or configuration names a metric the other does not know.
    #[error("{path}: unknown metric `{metric}`")]
    UnknownMetric {
        /// Path to the metric's entry.
        path: String,
        /// The metric name.
        metric: String,
    },
    /// A canary configuration or kernel option is out of range or inconsistent
    /// (confidence outside (0, 1), thresholds out of order, ...).
    #[error("{path}: {message}")]
    InvalidConfig {
        /// Path to the option.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A kernel got fewer observations than it needs to compute anything.
    #[error("{path}: needs at least {needed} values, got {got}")]
    InsufficientData {
        /// Path to the sample.
        path: String,
        /// The minimum number of values.
        needed: usize,
        /// The number given.
        got: usize,
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
    /// The engine failed on input it should have handled (a bug): a panic
    /// caught at the binding boundary instead of aborting the host process.
    #[error("{path}: internal error: {message}")]
    InternalError {
        /// Empty: the whole call.
        path: String,
        /// What failed.
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
    /// A release calendar, a time zone or a timestamp: windows, freezes,
    /// holidays, and the time arguments checked against them.
    Calendar,
    /// Canary analysis: a metric configuration, metric samples or counts, or
    /// the arguments of a statistical kernel.
    Canary,
    /// A change, its outcome history, a risk model, a governance policy or a
    /// change-log record.
    Change,
    /// Not the input's fault: the engine failed (`internal_error`).
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
            ErrorFamily::Internal => "internal",
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
            Error::UnknownRegion { .. } => "unknown_region",
            Error::AsymmetricPair { .. } => "asymmetric_pair",
            Error::RegionCycle { .. } => "region_cycle",
            Error::InvalidTrafficShare { .. } => "invalid_traffic_share",
            Error::UnknownCalendar { .. } => "unknown_calendar",
            Error::ContractDependency { .. } => "contract_dependency",
            Error::UnknownStep { .. } => "unknown_step",
            Error::InvalidTimeZone { .. } => "invalid_time_zone",
            Error::InvalidWindow { .. } => "invalid_window",
            Error::InvalidTimestamp { .. } => "invalid_timestamp",
            Error::WindowTooShort { .. } => "window_too_short",
            Error::NoWindowWithinHorizon { .. } => "no_window_within_horizon",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidSample { .. } => "invalid_sample",
            Error::InvalidCount { .. } => "invalid_count",
            Error::UnknownMetric { .. } => "unknown_metric",
            Error::InvalidConfig { .. } => "invalid_config",
            Error::InsufficientData { .. } => "insufficient_data",
            Error::NegativeSize { .. } => "negative_size",
            Error::ApprovalBeforeCreation { .. } => "approval_before_creation",
            Error::UnknownComplianceTag { .. } => "unknown_compliance_tag",
            Error::UnknownRiskFactor { .. } => "unknown_risk_factor",
            Error::InsufficientHistory { .. } => "insufficient_history",
            Error::ChangeRecordTampered { .. } => "change_record_tampered",
            Error::InternalError { .. } => "internal_error",
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
            | Error::UnknownRegion { path, .. }
            | Error::AsymmetricPair { path, .. }
            | Error::RegionCycle { path, .. }
            | Error::InvalidTrafficShare { path, .. }
            | Error::UnknownCalendar { path, .. }
            | Error::ContractDependency { path, .. }
            | Error::UnknownStep { path, .. }
            | Error::InvalidTimeZone { path, .. }
            | Error::InvalidWindow { path, .. }
            | Error::InvalidTimestamp { path, .. }
            | Error::WindowTooShort { path, .. }
            | Error::NoWindowWithinHorizon { path, .. }
            | Error::InvalidInput { path, .. }
            | Error::InvalidSample { path, .. }
            | Error::InvalidCount { path, .. }
            | Error::UnknownMetric { path, .. }
            | Error::InvalidConfig { path, .. }
            | Error::InsufficientData { path, .. }
            | Error::NegativeSize { path, .. }
            | Error::ApprovalBeforeCreation { path, .. }
            | Error::UnknownComplianceTag { path, .. }
            | Error::UnknownRiskFactor { path, .. }
            | Error::InsufficientHistory { path, .. }
            | Error::ChangeRecordTampered { path, .. }
            | Error::InternalError { path, .. } => path,
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
            | Error::InvalidInput { .. }
            | Error::UnknownRegion { .. }
            | Error::AsymmetricPair { .. }
            | Error::RegionCycle { .. }
            | Error::InvalidTrafficShare { .. }
            | Error::UnknownCalendar { .. }
            | Error::ContractDependency { .. }
            | Error::UnknownStep { .. } => ErrorFamily::Plan,
            Error::InvalidTimeZone { .. }
            | Error::InvalidWindow { .. }
            | Error::InvalidTimestamp { .. }
            | Error::WindowTooShort { .. }
            | Error::NoWindowWithinHorizon { .. } => ErrorFamily::Calendar,
            Error::InvalidSample { .. }
            | Error::InvalidCount { .. }
            | Error::UnknownMetric { .. }
            | Error::InvalidConfig { .. }
            | Error::InsufficientData { .. } => ErrorFamily::Canary,
            Error::NegativeSize { .. }
            | Error::ApprovalBeforeCreation { .. }
            | Error::UnknownComplianceTag { .. }
            | Error::UnknownRiskFactor { .. }
            | Error::InsufficientHistory { .. }
            | Error::ChangeRecordTampered { .. } => ErrorFamily::Change,
            Error::InternalError { .. } => ErrorFamily::Internal,
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
            | Error::UnknownRegion { path, .. }
            | Error::AsymmetricPair { path, .. }
            | Error::RegionCycle { path, .. }
            | Error::InvalidTrafficShare { path, .. }
            | Error::UnknownCalendar { path, .. }
            | Error::ContractDependency { path, .. }
            | Error::UnknownStep { path, .. }
            | Error::InvalidTimeZone { path, .. }
            | Error::InvalidWindow { path, .. }
            | Error::InvalidTimestamp { path, .. }
            | Error::WindowTooShort { path, .. }
            | Error::NoWindowWithinHorizon { path, .. }
            | Error::InvalidInput { path, .. }
            | Error::InvalidSample { path, .. }
            | Error::InvalidCount { path, .. }
            | Error::UnknownMetric { path, .. }
            | Error::InvalidConfig { path, .. }
            | Error::InsufficientData { path, .. }
            | Error::NegativeSize { path, .. }
            | Error::ApprovalBeforeCreation { path, .. }
            | Error::UnknownComplianceTag { path, .. }
            | Error::UnknownRiskFactor { path, .. }
            | Error::InsufficientHistory { path, .. }
            | Error::ChangeRecordTampered { path, .. }
            | Error::InternalError { path, .. } => insert_prefix(path, prefix),
        }
        self
    }
}

/// Prepends a prefix to a path, with a `/` between a parameter-name prefix and
/// a path that does not start with one (`data` + `latency/3` → `data/latency/3`).
fn insert_prefix(path: &mut String, prefix: &str) {
    if !prefix.is_empty() && !path.is_empty() && !path.starts_with('/') && !prefix.ends_with('/') {
        path.insert(0, '/');
    }
    path.insert_str(0, prefix);
}

/// The result type of every fallible rollgate function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
