//! The change model: one proposed change to production, with the size and
//! diffusion measures of the just-in-time defect-prediction literature
//! (Kamei et al. 2013), its operational traits, evidence and approvals.
//!
//! Every field except `id`, `author` and `services` is optional, so a caller
//! can start with what it knows. [`Change::validate`] checks what serde cannot
//! (non-negative sizes, coverage in `[0, 1]`, approvals not before creation).
//!
//! Documents are checked once: [`Checked::new`] validates a change (or an
//! outcome history, a risk model, a policy — anything [`Validate`]) and the
//! steps after it (risk, strategy, governance) take the `Checked` value by
//! reference instead of validating again, as later graph steps take a
//! [`ServiceGraph`](crate::ServiceGraph) instead of a plan.

use serde::{Deserialize, Serialize};

use crate::error::{ChangeError, Error, Result};
use crate::wire::DurationSecs;

mod checked;
pub use checked::{Checked, Validate};

pub use crate::wire::time::Timestamp;

/// One proposed change to production.
///
/// ```
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{
///     "id": "CHG-1", "author": "ana", "services": ["payments"],
///     "lines_added": 120, "files_changed": 4, "kind": "schema", "has_migration": true
/// }"#).unwrap();
/// assert_eq!(change.change_type, rollgate::ChangeType::Normal);
/// assert!(change.reversible);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Unique id (ticket or change number).
    pub id: String,
    /// A short human title.
    #[serde(default)]
    pub title: String,
    /// Who wrote the change.
    pub author: String,
    /// Ids of the services the change touches (plan ids when a plan is given).
    pub services: Vec<String>,
    /// When the change was created; approvals may not be older.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Who will deploy it, when known (segregation of duties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,

    /// Lines added (absolute count).
    #[serde(default)]
    pub lines_added: f64,
    /// Lines deleted (absolute count).
    #[serde(default)]
    pub lines_deleted: f64,
    /// Lines in the touched files before the change.
    #[serde(default)]
    pub lines_before: f64,
    /// Files modified.
    #[serde(default)]
    pub files_changed: f64,
    /// Directories modified.
    #[serde(default)]
    pub directories_changed: f64,
    /// Subsystems (top-level modules) modified.
    #[serde(default)]
    pub subsystems_changed: f64,
    /// How evenly the modification is spread over the files (Shannon entropy, bits).
    #[serde(default)]
    pub entropy: f64,
    /// Whether the change fixes a defect.
    #[serde(default)]
    pub is_fix: bool,
    /// Developers who changed the touched files before.
    #[serde(default)]
    pub prior_developers: f64,
    /// Unique earlier changes to the touched files.
    #[serde(default)]
    pub prior_changes: f64,
    /// Changes the author made before.
    #[serde(default)]
    pub author_experience: f64,
    /// The author's recent experience (changes weighted by age in years, 1/(age+1)).
    #[serde(default)]
    pub author_recent_experience: f64,
    /// Changes the author made before in the touched subsystems.
    #[serde(default)]
    pub author_subsystem_experience: f64,

    /// ITIL change type.
    #[serde(default)]
    pub change_type: ChangeType,
    /// What the change does.
    #[serde(default)]
    pub kind: ChangeKind,
    /// Whether it carries a data or schema migration.
    #[serde(default)]
    pub has_migration: bool,
    /// Whether it can be undone by redeploying the previous version.
    #[serde(default = "yes")]
    pub reversible: bool,
    /// Whether the new behaviour is dark-launched behind a feature flag.
    #[serde(default)]
    pub behind_feature_flag: bool,
    /// The release strategy chosen for it, when decided (its rollback speed is a risk factor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,

    /// Test evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<TestEvidence>,
    /// Security scan result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_scan: Option<SecurityScan>,
    /// Links to tickets and commits.
    #[serde(default)]
    pub links: Links,
    /// Artifact promotion records: which digest reached which environment.
    #[serde(default)]
    pub promotions: Vec<Promotion>,
    /// Approvals given so far.
    #[serde(default)]
    pub approvals: Vec<Approval>,
    /// Review of the runbook used to deploy and roll back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<RunbookReview>,

    /// Planned start, RFC 3339 with offset; the offset is the local time used
    /// for the weekend, off-hours and peak factors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<Timestamp>,
    /// Planned duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_duration: Option<DurationSecs>,
    /// Expected customer-facing downtime (0 or absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_downtime: Option<DurationSecs>,
    /// When customers were told about the downtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers_notified_at: Option<Timestamp>,
    /// Compliance regimes the change falls under (`sox`, `hipaa`, ...).
    #[serde(default)]
    pub compliance: Vec<String>,
}

fn yes() -> bool {
    true
}

/// ITIL change type.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// Pre-approved, low-risk, repeatable.
    Standard,
    /// Assessed, authorised and scheduled.
    #[default]
    Normal,
    /// Authorised fast, reviewed after implementation.
    Emergency,
}

impl ChangeType {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::ChangeType::Emergency.as_str(), "emergency");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Standard => "standard",
            ChangeType::Normal => "normal",
            ChangeType::Emergency => "emergency",
        }
    }
}

/// What a change does.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New behaviour.
    #[default]
    Feature,
    /// A defect fix.
    Fix,
    /// Configuration only.
    Config,
    /// A database schema change.
    Schema,
    /// Infrastructure (network, machines, platform).
    Infrastructure,
}

/// A release strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// A small share of traffic first, compared with the old version.
    Canary,
    /// A full second environment, switched over at once and back.
    BlueGreen,
    /// Instances replaced in batches.
    Rolling,
    /// Everything stopped and replaced at once.
    Recreate,
}

impl Strategy {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::Strategy::BlueGreen.as_str(), "blue_green");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Canary => "canary",
            Strategy::BlueGreen => "blue_green",
            Strategy::Rolling => "rolling",
            Strategy::Recreate => "recreate",
        }
    }
}

/// How deeply a change was tested, in increasing order.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TestDepth {
    /// No tests.
    #[default]
    None,
    /// Unit tests.
    Unit,
    /// Integration tests against real dependencies.
    Integration,
    /// End-to-end tests of user journeys.
    EndToEnd,
}

impl TestDepth {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::TestDepth::EndToEnd.as_str(), "end_to_end");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TestDepth::None => "none",
            TestDepth::Unit => "unit",
            TestDepth::Integration => "integration",
            TestDepth::EndToEnd => "end_to_end",
        }
    }
}

/// Test evidence of a change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TestEvidence {
    /// Names of the suites that passed.
    #[serde(default)]
    pub suites_passed: Vec<String>,
    /// Names of the suites that failed.
    #[serde(default)]
    pub suites_failed: Vec<String>,
    /// Line coverage of the changed code, in `[0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    /// The deepest level that passed.
    #[serde(default)]
    pub depth: TestDepth,
}

/// Result of a security scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityScan {
    /// Whether the scan passed its own policy.
    pub passed: bool,
    /// Critical findings.
    #[serde(default)]
    pub critical: u32,
    /// High-severity findings.
    #[serde(default)]
    pub high: u32,
    /// Scanner name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
}

/// Links from a change to its tickets and commits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// Ticket ids or URLs.
    #[serde(default)]
    pub tickets: Vec<String>,
    /// Commit ids.
    #[serde(default)]
    pub commits: Vec<String>,
}

/// One artifact promotion: the digest deployed to an environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    /// Environment name (`staging`, `production`, ...).
    pub environment: String,
    /// Artifact digest (e.g. `sha256:...`).
    pub digest: String,
    /// Whether the artifact passed its checks there.
    #[serde(default = "yes")]
    pub passed: bool,
    /// When it was deployed there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// One approval of a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Who approved.
    pub by: String,
    /// In which role (`peer`, `sre`, `manager`, `cab`, ...).
    pub role: String,
    /// When.
    pub at: Timestamp,
}

/// Review of a change's runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RunbookReview {
    /// Who wrote the runbook (default: the change's author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Who reviewed it.
    pub reviewer: String,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<Timestamp>,
}

/// One historical change with its post-implementation outcome.
///
/// ```
/// let record: rollgate::ChangeOutcome = rollgate::wire::from_json(
///     r#"{"change": {"id": "c1", "author": "ana", "services": ["api"]}, "failed": true}"#).unwrap();
/// assert!(record.failed);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeOutcome {
    /// The change.
    pub change: Change,
    /// Whether it failed in production (incident, rollback, hotfix).
    pub failed: bool,
}

impl Change {
    /// Checks what the wire format cannot: sizes and experience measures are
    /// finite and non-negative (`negative_size`), coverage lies in `[0, 1]`
    /// (`invalid_input`), and no approval predates `created_at`
    /// (`approval_before_creation`). `prefix` is prepended to error paths.
    ///
    /// ```
    /// let change: rollgate::Change = rollgate::wire::from_json(
    ///     r#"{"id": "c", "author": "a", "services": [], "lines_added": -3}"#).unwrap();
    /// let err = change.validate("").unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("negative_size", "/lines_added"));
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        for (field, value) in self.sizes() {
            if !value.is_finite() || value < 0.0 {
                return Err(Error::new(
                    format!("{prefix}/{field}"),
                    ChangeError::NegativeSize {
                        field: field.to_string(),
                        value,
                    },
                ));
            }
        }
        if let Some(coverage) = self.tests.as_ref().and_then(|t| t.coverage) {
            if !(0.0..=1.0).contains(&coverage) {
                return Err(Error::invalid_input(
                    format!("{prefix}/tests/coverage"),
                    format!("coverage must lie in [0, 1], got {coverage}"),
                ));
            }
        }
        if let Some(created) = self.created_at {
            for (i, approval) in self.approvals.iter().enumerate() {
                if approval.at < created {
                    return Err(Error::new(
                        format!("{prefix}/approvals/{i}/at"),
                        ChangeError::ApprovalBeforeCreation {
                            approver: approval.by.clone(),
                            approved_at: approval.at.to_rfc3339(),
                            created_at: created.to_rfc3339(),
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// The numeric size, diffusion, history and experience measures, by field name.
    fn sizes(&self) -> [(&'static str, f64); 12] {
        [
            ("lines_added", self.lines_added),
            ("lines_deleted", self.lines_deleted),
            ("lines_before", self.lines_before),
            ("files_changed", self.files_changed),
            ("directories_changed", self.directories_changed),
            ("subsystems_changed", self.subsystems_changed),
            ("entropy", self.entropy),
            ("prior_developers", self.prior_developers),
            ("prior_changes", self.prior_changes),
            ("author_experience", self.author_experience),
            ("author_recent_experience", self.author_recent_experience),
            (
                "author_subsystem_experience",
                self.author_subsystem_experience,
            ),
        ]
    }
}

#[cfg(test)]
mod tests;
