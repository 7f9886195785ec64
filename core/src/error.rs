//! The one error shape of rollgate: a [`code`](Error::code), a JSON-pointer
//! [`path`](Error::path) and the structured details of one [`ErrorKind`].
//!
//! An [`Error`] means the input could not be evaluated at all: it is malformed
//! or inconsistent. A policy that is not met, a failing metric or a closed
//! window is a *finding* inside a successful result, never an `Err`.
//!
//! Kinds are grouped by the family of input they are about ([`PlanError`],
//! [`CalendarError`], [`CanaryError`], [`ChangeError`], [`ReleaseError`],
//! [`EnvironmentError`], [`DeliveryError`]), plus the
//! [`InputError`]s that any document can raise (wrong type, unknown field,
//! bad duration) and the [`InternalError`] a binding reports when something
//! that should not happen did. Each kind is a small enum whose variants hold
//! the offending data, so callers can match and read fields instead of
//! parsing messages. The `code` strings are part of the public API and
//! identical in Rust, Python and Node.

use serde::Serialize;

/// The input that could not be evaluated, with the field and value at fault.
///
/// [`details`](Error::details) gives `{"code", "path", ...fields}` as JSON,
/// which is what the bindings attach to their exceptions.
///
/// ```
/// let err = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "depends_on": ["a"]}]}"#)
///     .and_then(|plan| rollgate::order_services(&plan))
///     .unwrap_err();
/// assert_eq!(err.code(), "self_dependency");
/// assert_eq!(err.path(), "/services/0/depends_on/0");
/// assert!(matches!(err.kind(), rollgate::ErrorKind::Plan(rollgate::error::PlanError::SelfDependency { .. })));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Repr>);

#[derive(Debug, Clone, PartialEq)]
struct Repr {
    kind: ErrorKind,
    path: String,
    family: ErrorFamily,
}

/// What went wrong, by family of input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed input in any document.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A release plan, its services, regions and dependencies.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A calendar, time zone or timestamp.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Canary analysis: configuration, samples, counts, kernel arguments.
    #[error(transparent)]
    Canary(#[from] CanaryError),
    /// A change, its history, a risk model, a policy or a change-log record.
    #[error(transparent)]
    Change(#[from] ChangeError),
    /// A release being driven: its stored state, events, notification templates.
    #[error(transparent)]
    Release(#[from] ReleaseError),
    /// Environment specs, promotion paths, migrations, access and teardown.
    #[error(transparent)]
    Environment(#[from] EnvironmentError),

    /// Deployment and incident records, delivery-performance options, feature
    /// flags and their populations.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// A failure of rollgate itself, reported instead of aborting the host.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

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

/// A release plan that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanError {
    /// Two entries of a list share an id that must be unique.
    #[error("duplicate id `{id}` (already used at {first_path})")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// JSON pointer to the first occurrence's id.
        first_path: String,
    },
    /// A service names a dependency that is not in the plan.
    #[error("service `{service}` depends on unknown service `{dependency}`")]
    UnknownDependency {
        /// The service that declares the dependency.
        service: String,
        /// The id that does not exist.
        dependency: String,
    },
    /// A service lists itself among its dependencies.
    #[error("service `{service}` depends on itself")]
    SelfDependency {
        /// The service.
        service: String,
    },
    /// The dependencies form a cycle, so no order exists.
    #[error("dependency cycle {}", cycle.join(" -> "))]
    DependencyCycle {
        /// One concrete cycle: starts and ends with the same id, each id
        /// depending on the next.
        cycle: Vec<String>,
        /// Every id caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A request names a service that is not in the plan.
    #[error("unknown service `{service}`")]
    UnknownService {
        /// The id that does not exist.
        service: String,
    },
    /// A region's `pair` or `depends_on`, or the rollout policy's
    /// `first_wave`, names a region that is not in the plan.
    #[error("{} unknown region `{target}`", region.as_deref().map_or("`rollout.first_wave` names".to_string(), |r| format!("region `{r}` refers to")))]
    UnknownRegion {
        /// The region that holds the reference (`None`: the rollout
        /// policy's `first_wave`).
        region: Option<String>,
        /// The id that does not exist.
        target: String,
    },
    /// Region `a` names `b` as its pair but `b` does not name `a` (or names
    /// itself, or another region).
    #[error("region `{region}` is paired with `{pair}`, but `{pair}` is paired with {}", pair_of_pair.as_deref().map_or("no region".to_string(), |p| format!("`{p}`")))]
    AsymmetricPair {
        /// The region whose pair does not answer.
        region: String,
        /// The region it names as its pair.
        pair: String,
        /// What `pair` names as its own pair (`None`: nothing).
        pair_of_pair: Option<String>,
    },
    /// The regions' `depends_on` lists form a cycle.
    #[error("region dependency cycle {}", cycle.join(" -> "))]
    RegionCycle {
        /// One concrete cycle: starts and ends with the same id.
        cycle: Vec<String>,
        /// Every region caught in some cycle, sorted.
        members: Vec<String>,
    },
    /// A region's traffic share is negative, not finite or above 1, or the
    /// shares of all regions add up to more than 1.
    #[error("invalid traffic share {value}: {message}")]
    InvalidTrafficShare {
        /// The offending share, or the total.
        value: f64,
        /// What is wrong with it.
        message: String,
    },
    /// A region (or the plan) names a calendar that is not in `calendars`.
    #[error("unknown calendar `{calendar}`")]
    UnknownCalendar {
        /// The id that does not exist.
        calendar: String,
    },
    /// A service depends on a contract migration, which only runs after every
    /// region has finished.
    #[error("service `{service}` depends on contract migration `{migration}`, which runs only after every region has finished")]
    ContractDependency {
        /// The dependent service.
        service: String,
        /// The contract migration it depends on.
        migration: String,
    },
    /// A request names a step that is not in the schedule.
    #[error("no step deploys service `{service}` to region `{region}`")]
    UnknownStep {
        /// The region named.
        region: String,
        /// The service named.
        service: String,
    },
}

/// A calendar, time zone or timestamp that cannot be evaluated, or a request
/// that no allowed time can satisfy.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CalendarError {
    /// A time zone is not a known IANA name.
    #[error("unknown IANA time zone `{time_zone}`")]
    InvalidTimeZone {
        /// The name as given.
        time_zone: String,
    },
    /// A calendar window is malformed: zero or negative length, a bad local
    /// time, fields of different kinds mixed, a recurrence outside `deny`.
    #[error("invalid window: {message}")]
    InvalidWindow {
        /// What is wrong with it.
        message: String,
    },
    /// A timestamp or date could not be read (RFC 3339 with offset, or
    /// `YYYY-MM-DD` for dates), or is out of order.
    #[error("invalid timestamp `{value}`: {message}")]
    InvalidTimestamp {
        /// The value as given.
        value: String,
        /// What is wrong with it.
        message: String,
    },
    /// A deployment is longer than every allow window of a calendar, so it
    /// can never fit, whatever the date.
    #[error("a deployment of {duration_seconds} s is longer than every allow window (longest {longest_window_seconds} s)")]
    WindowTooShort {
        /// The deployment's duration.
        duration_seconds: u64,
        /// The longest allowed stretch found within the horizon.
        longest_window_seconds: u64,
    },
    /// No allowed start exists within the searched horizon.
    #[error("no allowed start for a deployment of {duration_seconds} s within {horizon_seconds} s after {after}")]
    NoWindowWithinHorizon {
        /// Where the search started (RFC 3339).
        after: String,
        /// The deployment's duration.
        duration_seconds: u64,
        /// The horizon searched.
        horizon_seconds: u64,
    },
}

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

/// A change, outcome history, risk model, policy or change-log record that
/// cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeError {
    /// A size, count or experience measure of a change is negative or not finite.
    #[error("`{field}` must be a finite number of at least 0, got {value}")]
    NegativeSize {
        /// The field name, e.g. `lines_added`.
        field: String,
        /// The value as given.
        value: f64,
    },
    /// An approval is dated before the change it approves was created.
    #[error("approval by `{approver}` at {approved_at} is before the change was created at {created_at}")]
    ApprovalBeforeCreation {
        /// Who approved.
        approver: String,
        /// When they approved (RFC 3339).
        approved_at: String,
        /// When the change was created (RFC 3339).
        created_at: String,
    },
    /// A compliance tag that the governance policy does not define.
    #[error("unknown compliance tag `{tag}`{}", expected_list(known))]
    UnknownComplianceTag {
        /// The tag as given.
        tag: String,
        /// The tags the policy defines, sorted.
        known: Vec<String>,
    },
    /// A risk model names a factor that this version does not know.
    #[error("unknown risk factor `{factor}`")]
    UnknownRiskFactor {
        /// The code as given.
        factor: String,
    },
    /// Outcome history that cannot support the requested computation
    /// (no records, or none of one class where both are needed).
    #[error("{message} ({changes} changes, {failures} failures)")]
    InsufficientHistory {
        /// Number of records given.
        changes: usize,
        /// Number of failed changes among them.
        failures: usize,
        /// What was needed.
        message: String,
    },
    /// A change-log record whose stored hash does not match its content, so
    /// nothing can be appended after it.
    #[error("stored hash {stored} does not match the record's content (hash {computed})")]
    ChangeRecordTampered {
        /// The hash stored in the record.
        stored: String,
        /// The hash of the record's canonical content.
        computed: String,
    },
}

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

/// Deployment or incident records, delivery-performance options or a feature
/// flag that cannot be evaluated. Timestamps out of order (an incident
/// resolved before it was created, a deployment finishing before it
/// started, `to` before `from`) are
/// [`CalendarError::InvalidTimestamp`], like every other timestamp at fault.
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

impl ErrorKind {
    /// The stable code of this kind, e.g. `"dependency_cycle"`.
    ///
    /// ```
    /// use rollgate::error::{ErrorKind, PlanError};
    /// let kind = ErrorKind::from(PlanError::UnknownService { service: "x".into() });
    /// assert_eq!(kind.code(), "unknown_service");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Input(kind) => match kind {
                InputError::InvalidInput { .. } => "invalid_input",
                InputError::UnknownField { .. } => "unknown_field",
                InputError::InvalidDuration { .. } => "invalid_duration",
            },
            ErrorKind::Plan(kind) => kind.code(),
            ErrorKind::Calendar(kind) => match kind {
                CalendarError::InvalidTimeZone { .. } => "invalid_time_zone",
                CalendarError::InvalidWindow { .. } => "invalid_window",
                CalendarError::InvalidTimestamp { .. } => "invalid_timestamp",
                CalendarError::WindowTooShort { .. } => "window_too_short",
                CalendarError::NoWindowWithinHorizon { .. } => "no_window_within_horizon",
            },
            ErrorKind::Canary(kind) => match kind {
                CanaryError::InvalidSample { .. } => "invalid_sample",
                CanaryError::InvalidCount { .. } => "invalid_count",
                CanaryError::UnknownMetric { .. } => "unknown_metric",
                CanaryError::InvalidConfig { .. } => "invalid_config",
                CanaryError::InsufficientData { .. } => "insufficient_data",
                CanaryError::IncompatibleState { .. } => "incompatible_state",
            },
            ErrorKind::Change(kind) => match kind {
                ChangeError::NegativeSize { .. } => "negative_size",
                ChangeError::ApprovalBeforeCreation { .. } => "approval_before_creation",
                ChangeError::UnknownComplianceTag { .. } => "unknown_compliance_tag",
                ChangeError::UnknownRiskFactor { .. } => "unknown_risk_factor",
                ChangeError::InsufficientHistory { .. } => "insufficient_history",
                ChangeError::ChangeRecordTampered { .. } => "change_record_tampered",
            },
            ErrorKind::Release(kind) => match kind {
                ReleaseError::InvalidEvent { .. } => "invalid_event",
                ReleaseError::IncompatibleState { .. } => "incompatible_state",
                ReleaseError::UnknownPlaceholder { .. } => "unknown_placeholder",
            },
            ErrorKind::Environment(EnvironmentError::UnknownEnvironment { .. }) => {
                "unknown_environment"
            }

            ErrorKind::Delivery(kind) => match kind {
                DeliveryError::DuplicateRecord { .. } => "duplicate_record",
                DeliveryError::UnknownDeployment { .. } => "unknown_deployment",
                DeliveryError::UnknownReportYear { .. } => "unknown_report_year",
                DeliveryError::InvalidPercentage { .. } => "invalid_percentage",
            },
            ErrorKind::Internal(InternalError::InternalError { .. }) => "internal_error",
        }
    }

    /// The family this kind belongs to; [`InputError`]s default to
    /// [`ErrorFamily::Plan`] unless the reader of a document says otherwise
    /// ([`Error::in_family`]).
    fn family(&self) -> ErrorFamily {
        match self {
            ErrorKind::Input(_) | ErrorKind::Plan(_) => ErrorFamily::Plan,
            ErrorKind::Calendar(_) => ErrorFamily::Calendar,
            ErrorKind::Canary(_) => ErrorFamily::Canary,
            ErrorKind::Change(_) => ErrorFamily::Change,
            ErrorKind::Release(_) => ErrorFamily::Release,
            ErrorKind::Environment(_) => ErrorFamily::Environment,
            ErrorKind::Delivery(_) => ErrorFamily::Delivery,
            ErrorKind::Internal(_) => ErrorFamily::Internal,
        }
    }

    fn serialize_fields(&self) -> serde_json::Result<serde_json::Value> {
        match self {
            ErrorKind::Input(kind) => serde_json::to_value(kind),
            ErrorKind::Plan(kind) => serde_json::to_value(kind),
            ErrorKind::Calendar(kind) => serde_json::to_value(kind),
            ErrorKind::Canary(kind) => serde_json::to_value(kind),
            ErrorKind::Change(kind) => serde_json::to_value(kind),
            ErrorKind::Release(kind) => serde_json::to_value(kind),
            ErrorKind::Environment(kind) => serde_json::to_value(kind),
            ErrorKind::Delivery(kind) => serde_json::to_value(kind),
            ErrorKind::Internal(kind) => serde_json::to_value(kind),
        }
    }
}

impl PlanError {
    fn code(&self) -> &'static str {
        match self {
            PlanError::DuplicateId { .. } => "duplicate_id",
            PlanError::UnknownDependency { .. } => "unknown_dependency",
            PlanError::SelfDependency { .. } => "self_dependency",
            PlanError::DependencyCycle { .. } => "dependency_cycle",
            PlanError::UnknownService { .. } => "unknown_service",
            PlanError::UnknownRegion { .. } => "unknown_region",
            PlanError::AsymmetricPair { .. } => "asymmetric_pair",
            PlanError::RegionCycle { .. } => "region_cycle",
            PlanError::InvalidTrafficShare { .. } => "invalid_traffic_share",
            PlanError::UnknownCalendar { .. } => "unknown_calendar",
            PlanError::ContractDependency { .. } => "contract_dependency",
            PlanError::UnknownStep { .. } => "unknown_step",
        }
    }
}

impl Error {
    /// An error of `kind` about the value at `path` (a JSON pointer into the
    /// main document, or a parameter name followed by a pointer into that
    /// argument).
    ///
    /// ```
    /// use rollgate::error::{Error, PlanError};
    /// let err = Error::new("/services/2", PlanError::UnknownService { service: "x".into() });
    /// assert_eq!((err.code(), err.path()), ("unknown_service", "/services/2"));
    /// assert_eq!(err.to_string(), "/services/2: unknown service `x`");
    /// ```
    pub fn new(path: impl Into<String>, kind: impl Into<ErrorKind>) -> Self {
        let kind = kind.into();
        let family = kind.family();
        Error(Box::new(Repr {
            kind,
            path: path.into(),
            family,
        }))
    }

    /// An `invalid_input` error: a value of the wrong type, missing or out of
    /// range.
    ///
    /// ```
    /// let err = rollgate::Error::invalid_input("/name", "expected a string");
    /// assert_eq!(err.code(), "invalid_input");
    /// assert_eq!(err.to_string(), "/name: expected a string");
    /// ```
    pub fn invalid_input(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(
            path,
            InputError::InvalidInput {
                message: message.into(),
            },
        )
    }

    /// An `invalid_config` error of canary analysis: an option out of range
    /// or inconsistent.
    ///
    /// ```
    /// let err = rollgate::Error::invalid_config("confidence", "must be in (0, 1)");
    /// assert_eq!((err.code(), err.family()), ("invalid_config", rollgate::ErrorFamily::Canary));
    /// ```
    pub fn invalid_config(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(
            path,
            CanaryError::InvalidConfig {
                message: message.into(),
            },
        )
    }

    /// An `internal_error`: a failure of rollgate itself (for example a panic
    /// caught at the language boundary), never the input's fault.
    ///
    /// ```
    /// let err = rollgate::Error::internal("panicked");
    /// assert_eq!((err.code(), err.family()), ("internal_error", rollgate::ErrorFamily::Internal));
    /// ```
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            "",
            InternalError::InternalError {
                message: message.into(),
            },
        )
    }

    /// The stable code of this error, e.g. `"dependency_cycle"`.
    ///
    /// ```
    /// let err = rollgate::Error::invalid_input("/name", "expected a string");
    /// assert_eq!(err.code(), "invalid_input");
    /// ```
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// JSON pointer (RFC 6901) to the offending value; `""` is the whole input.
    ///
    /// ```
    /// let err = rollgate::Error::invalid_input("/services/2", "bad");
    /// assert_eq!(err.path(), "/services/2");
    /// ```
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What went wrong, with the offending data.
    ///
    /// ```
    /// use rollgate::error::{Error, ErrorKind, PlanError};
    /// let err = Error::new("/services/2", PlanError::UnknownService { service: "x".into() });
    /// match err.kind() {
    ///     ErrorKind::Plan(PlanError::UnknownService { service }) => assert_eq!(service, "x"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The family of input this error is about.
    ///
    /// ```
    /// use rollgate::error::{Error, PlanError};
    /// let err = Error::new("/services/2", PlanError::UnknownService { service: "x".into() });
    /// assert_eq!(err.family(), rollgate::ErrorFamily::Plan);
    /// ```
    pub fn family(&self) -> ErrorFamily {
        self.0.family
    }

    /// The error's message without the path prefix of its `Display` form.
    ///
    /// ```
    /// let err = rollgate::Error::invalid_input("/name", "expected a string");
    /// assert_eq!(err.message(), "expected a string");
    /// ```
    pub fn message(&self) -> String {
        self.0.kind.to_string()
    }

    /// All fields of the error as a JSON object, including `code` and `path`.
    ///
    /// ```
    /// use rollgate::error::{Error, PlanError};
    /// let err = Error::new("/services/2", PlanError::UnknownService { service: "x".into() });
    /// let details = err.details();
    /// assert_eq!(details["code"], "unknown_service");
    /// assert_eq!(details["path"], "/services/2");
    /// assert_eq!(details["service"], "x");
    /// ```
    pub fn details(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = match self.0.kind.serialize_fields() {
            Ok(serde_json::Value::Object(map)) => map,
            // Serialising plain strings, numbers and lists cannot fail; keep
            // the essentials should that ever change.
            _ => {
                let mut map = serde_json::Map::new();
                map.insert("code".into(), self.code().into());
                map
            }
        };
        map.insert("path".into(), self.path().into());
        map
    }

    /// Returns this error with `prefix` prepended to its path, for errors
    /// found inside a nested value (e.g. a plan passed as one argument of
    /// several). A parameter-name prefix is joined with `/`
    /// (`data` + `latency/3` → `data/latency/3`).
    ///
    /// ```
    /// let err = rollgate::Error::invalid_input("/name", "bad");
    /// assert_eq!(err.with_path_prefix("/plan").path(), "/plan/name");
    /// let err = rollgate::Error::invalid_input("latency/3", "bad");
    /// assert_eq!(err.with_path_prefix("data").path(), "data/latency/3");
    /// ```
    pub fn with_path_prefix(mut self, prefix: &str) -> Self {
        let path = &mut self.0.path;
        if !prefix.is_empty()
            && !path.is_empty()
            && !path.starts_with('/')
            && !prefix.ends_with('/')
        {
            path.insert(0, '/');
        }
        path.insert_str(0, prefix);
        self
    }

    /// Returns this error attributed to `family` when it is a generic
    /// [`InputError`] (wrong type, unknown field, bad duration), which any
    /// document can raise: the reader of a change document reports them as
    /// change errors, and so on. Other kinds keep their own family.
    ///
    /// ```
    /// use rollgate::ErrorFamily;
    /// let err = rollgate::Error::invalid_input("/kind", "bad").in_family(ErrorFamily::Change);
    /// assert_eq!(err.family(), ErrorFamily::Change);
    /// ```
    pub fn in_family(mut self, family: ErrorFamily) -> Self {
        if matches!(self.0.kind, ErrorKind::Input(_)) {
            self.0.family = family;
        }
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.path.is_empty() {
            write!(f, "{}", self.0.kind)
        } else {
            write!(f, "{}: {}", self.0.path, self.0.kind)
        }
    }
}

impl std::error::Error for Error {}

impl Serialize for Error {
    /// Serialises as [`details`](Error::details): `{"code", "path", ...fields}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.details().serialize(serializer)
    }
}

/// The result type of every fallible rollgate function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_code_in_details_and_family() {
        let cases: Vec<(Error, &str, ErrorFamily)> = vec![
            (
                Error::invalid_input("/a", "m"),
                "invalid_input",
                ErrorFamily::Plan,
            ),
            (
                Error::new(
                    "/a",
                    InputError::UnknownField {
                        field: "x".into(),
                        expected: vec!["y".into()],
                    },
                ),
                "unknown_field",
                ErrorFamily::Plan,
            ),
            (
                Error::new(
                    "/d",
                    CalendarError::InvalidTimeZone {
                        time_zone: "Mars/Base".into(),
                    },
                ),
                "invalid_time_zone",
                ErrorFamily::Calendar,
            ),
            (
                Error::new("x/0", CanaryError::InsufficientData { needed: 2, got: 1 }),
                "insufficient_data",
                ErrorFamily::Canary,
            ),
            (
                Error::new("/h", ChangeError::UnknownRiskFactor { factor: "f".into() }),
                "unknown_risk_factor",
                ErrorFamily::Change,
            ),
            (
                Error::new(
                    "events/0",
                    ReleaseError::InvalidEvent {
                        event: "step_finished".into(),
                        message: "never started".into(),
                    },
                ),
                "invalid_event",
                ErrorFamily::Release,
            ),
            (
                Error::new(
                    "state",
                    ReleaseError::IncompatibleState {
                        message: "m".into(),
                    },
                ),
                "incompatible_state",
                ErrorFamily::Release,
            ),
            (
                Error::new(
                    "template",
                    ReleaseError::UnknownPlaceholder {
                        placeholder: "x".into(),
                    },
                ),
                "unknown_placeholder",
                ErrorFamily::Release,
            ),
            (
                Error::new(
                    "promotion_path/1",
                    EnvironmentError::UnknownEnvironment {
                        environment: "qa".into(),
                    },
                ),
                "unknown_environment",
                ErrorFamily::Environment,
            ),
            (
                Error::new(
                    "options/report_year",
                    DeliveryError::UnknownReportYear {
                        year: 2019,
                        known: vec![2022, 2023, 2024],
                    },
                ),
                "unknown_report_year",
                ErrorFamily::Delivery,
            ),
            (
                Error::internal("boom"),
                "internal_error",
                ErrorFamily::Internal,
            ),
        ];
        for (err, code, family) in cases {
            assert_eq!(err.code(), code);
            assert_eq!(err.family(), family);
            let details = err.details();
            assert_eq!(details["code"], code, "{err}");
            assert_eq!(details["path"], err.path());
        }
    }

    #[test]
    fn display_omits_an_empty_path() {
        assert_eq!(
            Error::invalid_input("", "missing field `name`").to_string(),
            "missing field `name`"
        );
        assert_eq!(Error::invalid_input("/a", "bad").to_string(), "/a: bad");
    }

    #[test]
    fn only_input_errors_change_family() {
        let err = Error::new(
            "/a",
            PlanError::UnknownService {
                service: "s".into(),
            },
        )
        .in_family(ErrorFamily::Change);
        assert_eq!(err.family(), ErrorFamily::Plan);
        let err = Error::invalid_input("/a", "m").in_family(ErrorFamily::Calendar);
        assert_eq!(err.family(), ErrorFamily::Calendar);
    }

    #[test]
    fn prefixes_join_parameter_names_and_pointers() {
        assert_eq!(
            Error::invalid_input("", "m").with_path_prefix("x").path(),
            "x"
        );
        assert_eq!(
            Error::invalid_input("/0", "m").with_path_prefix("x").path(),
            "x/0"
        );
        assert_eq!(
            Error::invalid_input("0", "m").with_path_prefix("x").path(),
            "x/0"
        );
        assert_eq!(
            Error::invalid_input("0", "m").with_path_prefix("x/").path(),
            "x/0"
        );
        assert_eq!(
            Error::invalid_input("/a", "m").with_path_prefix("").path(),
            "/a"
        );
    }

    #[test]
    fn serialises_as_its_details() {
        let err = Error::new(
            "/services/0/depends_on/0",
            PlanError::DependencyCycle {
                cycle: vec!["a".into(), "b".into(), "a".into()],
                members: vec!["a".into(), "b".into()],
            },
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "dependency_cycle");
        assert_eq!(json["cycle"][1], "b");
        assert_eq!(json["path"], "/services/0/depends_on/0");
    }
}
