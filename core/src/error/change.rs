//! Errors about a change, its outcome history, a risk model, a governance
//! policy or a change-log record.

use serde::Serialize;

use super::expected_list;

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

impl ChangeError {
    /// The stable code of this kind.
    pub(super) fn code(&self) -> &'static str {
        match self {
            ChangeError::NegativeSize { .. } => "negative_size",
            ChangeError::ApprovalBeforeCreation { .. } => "approval_before_creation",
            ChangeError::UnknownComplianceTag { .. } => "unknown_compliance_tag",
            ChangeError::UnknownRiskFactor { .. } => "unknown_risk_factor",
            ChangeError::InsufficientHistory { .. } => "insufficient_history",
            ChangeError::ChangeRecordTampered { .. } => "change_record_tampered",
        }
    }
}
