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
//!
//! The folder keeps the shape itself in `mod.rs` (the [`Error`], its
//! [`ErrorKind`], the constructors and accessors every module uses) and one
//! file per family of kinds: `input`, `plan`, `calendar`, `canary`, `change`,
//! `release`, `environment`, `delivery`, `internal`; `family` holds the
//! [`ErrorFamily`] the bindings map to exception classes. Every kind is
//! re-exported here, so `rollgate::error::PlanError` and the like are the
//! paths to use.

use serde::Serialize;

mod calendar;
mod canary;
mod change;
mod delivery;
mod environment;
mod family;
mod input;
mod internal;
mod plan;
mod release;
#[cfg(test)]
mod tests;

pub use calendar::CalendarError;
pub use canary::CanaryError;
pub use change::ChangeError;
pub use delivery::DeliveryError;
pub use environment::EnvironmentError;
pub use family::ErrorFamily;
pub use input::InputError;
pub use internal::InternalError;
pub use plan::PlanError;
pub use release::ReleaseError;

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
            ErrorKind::Input(kind) => kind.code(),
            ErrorKind::Plan(kind) => kind.code(),
            ErrorKind::Calendar(kind) => kind.code(),
            ErrorKind::Canary(kind) => kind.code(),
            ErrorKind::Change(kind) => kind.code(),
            ErrorKind::Release(kind) => kind.code(),
            ErrorKind::Environment(kind) => kind.code(),
            ErrorKind::Delivery(kind) => kind.code(),
            ErrorKind::Internal(kind) => kind.code(),
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

fn expected_list(expected: &[String]) -> String {
    if expected.is_empty() {
        String::new()
    } else {
        format!(", expected one of: {}", expected.join(", "))
    }
}
