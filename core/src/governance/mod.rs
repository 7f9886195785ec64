//! Governance: approvals, segregation of duties, change-advisory-board
//! review, test depth, evidence per compliance regime, and the
//! post-implementation review of emergency changes.
//!
//! An unmet policy is a finding, never an error: the result lists what is
//! `required`, what is `missing`, which rules are `violated`, and whether the
//! change is `allowed`. Errors are reserved for input that cannot be
//! evaluated (an unknown compliance tag, an approval dated before the change).
//!
//! Segregation of duties: the change's author never counts as an approver
//! (their approvals are ignored and noted), each person counts once, and the
//! deployer may not be the only independent approver.
//!
//! In the data flow (change + history → risk → governance → readiness)
//! governance reads the change and a risk level ([`RiskRef`]) only.
//!
//! Findings are [`Reason`]s: the code says what is required or breached,
//! `subjects` the roles, compliance tags, people or digests it names, and
//! `evidence` the numbers behind it (approvals required and given, test
//! depth required and recorded, the review deadline). Codes are listed in
//! [`crate::explain`].
//!
//! - `evidence`: the evidence kinds a compliance regime asks for, and how
//!   each is checked against the change;
//! - `tests`: unit tests.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeType, Checked, TestDepth, Timestamp, Validate};
use crate::error::{ChangeError, Error, Result};
use crate::explain::Reason;
use crate::risk::{RiskLevel, RiskRef};
use crate::wire::DurationSecs;

mod evidence;

pub use evidence::Evidence;

/// A governance policy.
///
/// ```
/// let policy: rollgate::GovernancePolicy = rollgate::wire::from_json(r#"{
///     "rules": [{"levels": ["high", "critical"], "approvals": 2, "roles": ["sre"], "cab": true}],
///     "compliance": {"sox": {"evidence": ["ticket_link", "approvals", "artifact_promoted"]}}
/// }"#).unwrap();
/// assert_eq!(policy.emergency_review_within.as_secs(), 72 * 3600);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GovernancePolicy {
    /// Approval rules; every rule that matches applies (counts: the largest;
    /// roles: all; CAB: any; test depth: the deepest).
    #[serde(default)]
    pub rules: Vec<ApprovalRule>,
    /// Evidence required per compliance tag.
    #[serde(default)]
    pub compliance: BTreeMap<String, ComplianceRequirement>,
    /// The approval role that stands for the change-advisory board.
    #[serde(default = "cab_role")]
    pub cab_role: String,
    /// How soon after an emergency change its post-implementation review is due
    /// (default 72 h), counted from the planned start (or creation).
    #[serde(default = "three_days")]
    pub emergency_review_within: DurationSecs,
    /// Least lead time between notifying customers and a customer-facing
    /// outage (default 72 h).
    #[serde(default = "three_days")]
    pub downtime_notice_lead: DurationSecs,
    /// Environment whose passing digest must reach production unchanged.
    #[serde(default = "staging")]
    pub promotion_from: String,
    /// The production environment's name.
    #[serde(default = "production")]
    pub promotion_to: String,
}

fn cab_role() -> String {
    "cab".into()
}
fn three_days() -> DurationSecs {
    DurationSecs(72 * 3600)
}
fn staging() -> String {
    "staging".into()
}
fn production() -> String {
    "production".into()
}

/// One approval rule: what a matching change needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalRule {
    /// Risk levels it applies to (empty: all).
    #[serde(default)]
    pub levels: Vec<RiskLevel>,
    /// Change types it applies to (empty: all).
    #[serde(default)]
    pub change_types: Vec<ChangeType>,
    /// Compliance tags it applies to (empty: all changes; else changes
    /// carrying at least one of them).
    #[serde(default)]
    pub compliance: Vec<String>,
    /// Independent approvers needed.
    #[serde(default)]
    pub approvals: u32,
    /// Roles that must each be held by an independent approver.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Whether the change-advisory board must approve.
    #[serde(default)]
    pub cab: bool,
    /// Least test depth.
    #[serde(default)]
    pub test_depth: TestDepth,
}

/// Evidence required for one compliance tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplianceRequirement {
    /// The evidence kinds.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// The governance decision for a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GovernanceDecision {
    /// Change id.
    pub change: String,
    /// Risk level evaluated.
    pub risk_level: RiskLevel,
    /// Change type evaluated.
    pub change_type: ChangeType,
    /// Whether the change may proceed: nothing missing (or, for an emergency
    /// change, deferred to its review) and no violation.
    pub allowed: bool,
    /// Every requirement that applies.
    pub required: Vec<Reason>,
    /// Requirements not met yet (sorted by code, subjects, message).
    pub missing: Vec<Reason>,
    /// Requirements of an emergency change deferred to its post-implementation review.
    pub deferred: Vec<Reason>,
    /// Breaches that block the change whatever else is provided (sorted).
    pub violations: Vec<Reason>,
    /// Information: ignored approvals and similar.
    pub notes: Vec<Reason>,
    /// The independent approvers counted, sorted.
    pub approvers: Vec<String>,
    /// For an emergency change: when its post-implementation review is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_implementation_review_due: Option<Timestamp>,
}

impl Validate for GovernancePolicy {
    /// Every compliance tag a rule names is defined by the policy
    /// (`unknown_compliance_tag`, path `{prefix}/rules/i/compliance/j`).
    fn validate(&self, prefix: &str) -> Result<()> {
        for (i, rule) in self.rules.iter().enumerate() {
            for (j, tag) in rule.compliance.iter().enumerate() {
                if !self.compliance.contains_key(tag) {
                    return Err(Error::new(
                        format!("{prefix}/rules/{i}/compliance/{j}"),
                        ChangeError::UnknownComplianceTag {
                            tag: tag.clone(),
                            known: self.compliance.keys().cloned().collect(),
                        },
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Evaluates a change against a governance policy at a risk level.
///
/// Errors: invalid change (`negative_size`, `approval_before_creation`, ...);
/// a compliance tag the policy does not define (`unknown_compliance_tag`, at
/// `/compliance/i` in the change or `policy/rules/i/compliance/j`).
///
/// ```
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{
///     "id": "c", "author": "ana", "services": ["api"], "deployer": "bo",
///     "approvals": [{"by": "ana", "role": "peer", "at": "2026-03-02T10:00:00Z"},
///                   {"by": "bo", "role": "peer", "at": "2026-03-02T11:00:00Z"}]}"#).unwrap();
/// let policy: rollgate::GovernancePolicy = rollgate::wire::from_json(
///     r#"{"rules": [{"approvals": 1}]}"#).unwrap();
/// let risk = rollgate::RiskRef { level: rollgate::RiskLevel::Low };
/// let decision = rollgate::evaluate_governance(&change, &policy, &risk).unwrap();
/// assert_eq!(decision.approvers, ["bo"]);          // the author's approval is ignored
/// assert!(!decision.allowed);                      // bo deploys and is the sole approver
/// assert_eq!(decision.violations[0].code, "deployer_sole_approver");
/// assert_eq!(decision.violations[0].subjects, ["bo"]);
/// ```
pub fn evaluate_governance(
    change: &Change,
    policy: &GovernancePolicy,
    risk: &RiskRef,
) -> Result<GovernanceDecision> {
    let change = Checked::new(change, "")?;
    let policy = Checked::new(policy, "policy")?;
    evaluate(change, policy, risk.level)
}

/// [`evaluate_governance`] on a checked change and policy. Errors: a
/// compliance tag of the change that the policy does not define
/// (`unknown_compliance_tag`, path `/compliance/i`).
///
/// ```
/// use rollgate::change::Checked;
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "ana", "services": [], "change_type": "emergency"}"#).unwrap();
/// let policy: rollgate::GovernancePolicy = rollgate::wire::from_json(r#"{"rules": [{"approvals": 2}]}"#).unwrap();
/// let decision = rollgate::governance::evaluate(
///     Checked::new(&change, "").unwrap(), Checked::new(&policy, "policy").unwrap(), rollgate::RiskLevel::High).unwrap();
/// assert!(decision.allowed);                       // approvals deferred to the review
/// assert_eq!(decision.deferred[0].evidence["required"], 2);
/// ```
pub fn evaluate(
    change: Checked<'_, Change>,
    policy: Checked<'_, GovernancePolicy>,
    level: RiskLevel,
) -> Result<GovernanceDecision> {
    for (i, tag) in change.compliance.iter().enumerate() {
        if !policy.compliance.contains_key(tag) {
            return Err(Error::new(
                format!("/compliance/{i}"),
                ChangeError::UnknownComplianceTag {
                    tag: tag.clone(),
                    known: policy.compliance.keys().cloned().collect(),
                },
            ));
        }
    }
    let needs = Needs::of(&policy, &change, level);
    let approvals = Approvals::of(&change);
    let mut findings = Findings::default();
    needs.approvals(&approvals, &policy, &change, &mut findings);
    for (kind, tags) in &needs.evidence {
        let (met, detail) = evidence::check(
            *kind,
            &change,
            &policy,
            &approvals.approvers,
            &mut findings.violations,
        );
        let tags = tags.join(",");
        findings.require(
            Reason::new(
                kind.as_str(),
                format!("{} (required by {tags}): {detail}", kind.describe()),
            )
            .with_subjects(tags.split(',')),
            met,
        );
    }
    if let Some(deployer) = change
        .deployer
        .as_ref()
        .filter(|_| needs.approval_required())
    {
        if approvals.approvers.len() == 1 && approvals.approvers.iter().any(|a| a == deployer) {
            findings.violations.push(
                Reason::new(
                    "deployer_sole_approver",
                    format!("`{deployer}` deploys the change and is its only independent approver"),
                )
                .with_subjects([deployer.as_str()]),
            );
        }
    }
    Ok(findings.decide(&change, &policy, level, approvals))
}

/// What every matching rule asks for together.
struct Needs<'p> {
    count: u32,
    roles: BTreeSet<&'p str>,
    cab: bool,
    depth: TestDepth,
    /// Each evidence kind once, with the compliance tags asking for it.
    evidence: BTreeMap<Evidence, Vec<&'p str>>,
}

impl<'p> Needs<'p> {
    /// Counts: the largest; roles: all; CAB: any; test depth: the deepest.
    fn of(policy: &'p GovernancePolicy, change: &Change, level: RiskLevel) -> Self {
        let tags: BTreeSet<&str> = change.compliance.iter().map(String::as_str).collect();
        let mut needs = Needs {
            count: 0,
            roles: BTreeSet::new(),
            cab: false,
            depth: TestDepth::None,
            evidence: BTreeMap::new(),
        };
        for rule in &policy.rules {
            let matches = (rule.levels.is_empty() || rule.levels.contains(&level))
                && (rule.change_types.is_empty()
                    || rule.change_types.contains(&change.change_type))
                && (rule.compliance.is_empty()
                    || rule.compliance.iter().any(|t| tags.contains(t.as_str())));
            if matches {
                needs.count = needs.count.max(rule.approvals);
                needs.roles.extend(rule.roles.iter().map(String::as_str));
                needs.cab |= rule.cab;
                needs.depth = needs.depth.max(rule.test_depth);
            }
        }
        for (tag, req) in &policy.compliance {
            if tags.contains(tag.as_str()) {
                for e in &req.evidence {
                    needs.evidence.entry(*e).or_default().push(tag);
                }
            }
        }
        needs
    }

    /// Whether any approval is required (then the deployer may not be the
    /// sole approver).
    fn approval_required(&self) -> bool {
        self.count > 0
            || !self.roles.is_empty()
            || self.cab
            || self.evidence.contains_key(&Evidence::Approvals)
    }

    /// The approval count, roles, CAB and test depth, met or missing.
    fn approvals(
        &self,
        given: &Approvals<'_>,
        policy: &GovernancePolicy,
        change: &Change,
        out: &mut Findings,
    ) {
        if self.count > 0 {
            let n = given.approvers.len();
            let reason = Reason::new(
                "approvals",
                format!("{} independent approval(s) needed, {n} given", self.count),
            )
            .with_evidence("required", self.count)
            .with_evidence("given", n);
            out.require(reason, n >= self.count as usize);
        }
        for role in &self.roles {
            let reason = Reason::new(
                "approval_role",
                format!("an independent approver in role `{role}` is needed"),
            )
            .with_subjects([*role]);
            out.require(reason, given.has_role(role));
        }
        if self.cab {
            let reason = Reason::new(
                "cab_review",
                format!(
                    "the change-advisory board (role `{}`) must approve",
                    policy.cab_role
                ),
            )
            .with_subjects([policy.cab_role.as_str()]);
            out.require(reason, given.has_role(&policy.cab_role));
        }
        if self.depth > TestDepth::None {
            let depth = change.tests.as_ref().map_or(TestDepth::None, |t| t.depth);
            let reason = Reason::new(
                "test_depth",
                format!(
                    "tests to depth `{}` needed, `{}` recorded",
                    self.depth.as_str(),
                    depth.as_str()
                ),
            )
            .with_evidence("required", self.depth.as_str())
            .with_evidence("recorded", depth.as_str());
            out.require(reason, depth >= self.depth);
        }
    }
}

/// The independent approvals of a change: not the author, each person once.
struct Approvals<'c> {
    roles: BTreeMap<&'c str, BTreeSet<&'c str>>,
    approvers: Vec<String>,
    author_approved: bool,
}

impl<'c> Approvals<'c> {
    fn of(change: &'c Change) -> Self {
        let mut roles: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in change.approvals.iter().filter(|a| a.by != change.author) {
            roles
                .entry(a.by.as_str())
                .or_default()
                .insert(a.role.as_str());
        }
        Approvals {
            approvers: roles.keys().map(|s| s.to_string()).collect(),
            author_approved: change.approvals.iter().any(|a| a.by == change.author),
            roles,
        }
    }

    fn has_role(&self, role: &str) -> bool {
        self.roles.values().any(|roles| roles.contains(role))
    }
}

/// Findings collected so far.
#[derive(Default)]
struct Findings {
    required: Vec<Reason>,
    missing: Vec<Reason>,
    violations: Vec<Reason>,
}

impl Findings {
    fn require(&mut self, reason: Reason, met: bool) {
        if !met {
            self.missing.push(reason.clone());
        }
        self.required.push(reason);
    }

    /// The decision: an emergency change defers what is missing to its
    /// post-implementation review, due `emergency_review_within` after its
    /// planned start (or creation).
    fn decide(
        mut self,
        change: &Change,
        policy: &GovernancePolicy,
        level: RiskLevel,
        approvals: Approvals<'_>,
    ) -> GovernanceDecision {
        let mut notes = Vec::new();
        if approvals.author_approved {
            notes.push(
                Reason::new(
                    "self_approval_ignored",
                    format!(
                        "`{}` wrote the change, so their approval does not count",
                        change.author
                    ),
                )
                .with_subjects([change.author.as_str()]),
            );
        }
        let mut deferred = Vec::new();
        let mut due = None;
        if change.change_type == ChangeType::Emergency {
            deferred = std::mem::take(&mut self.missing);
            let within = policy.emergency_review_within.as_secs();
            due = change.planned_start.or(change.created_at).and_then(|t| {
                t.checked_add_signed(chrono::Duration::seconds(
                    i64::try_from(within).unwrap_or(i64::MAX),
                ))
                .map(crate::wire::time::Timestamp)
            });
            let reason = match due {
                Some(d) => Reason::new("post_implementation_review", format!("emergency change: post-implementation review due by {}", d.to_rfc3339()))
                    // As the decision's `post_implementation_review_due` is written.
                    .with_evidence("due", serde_json::to_value(d).unwrap_or_default()),
                None => Reason::new("post_implementation_review", format!("emergency change: post-implementation review due within {within}s of the start (no planned start or creation time given)")),
            };
            self.required
                .push(reason.with_evidence("within_seconds", within));
        }
        sort(&mut self.missing);
        sort(&mut self.violations);
        GovernanceDecision {
            change: change.id.clone(),
            risk_level: level,
            change_type: change.change_type,
            allowed: self.missing.is_empty() && self.violations.is_empty(),
            required: self.required,
            missing: self.missing,
            deferred,
            violations: self.violations,
            notes,
            approvers: approvals.approvers,
            post_implementation_review_due: due,
        }
    }
}

/// Sorts findings by code, then subjects, then message.
fn sort(reasons: &mut [Reason]) {
    reasons.sort_by(|a, b| {
        (&a.code, &a.subjects, &a.message).cmp(&(&b.code, &b.subjects, &b.message))
    });
}

#[cfg(test)]
mod tests;
