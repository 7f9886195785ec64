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

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::change::{Change, ChangeType, TestDepth, Timestamp};
use crate::error::{ChangeError, Error, Result};
use crate::risk::RiskLevel;
use crate::strategy::RiskRef;
use crate::wire::DurationSecs;

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
#[serde(deny_unknown_fields)]
pub struct ComplianceRequirement {
    /// The evidence kinds.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// A kind of evidence a regulated change must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// At least one ticket link.
    TicketLink,
    /// At least one independent approval.
    Approvals,
    /// A passed security scan without critical findings.
    SecurityScanPassed,
    /// The production digest equals the digest that passed staging.
    ArtifactPromoted,
    /// The runbook was reviewed by someone other than its author.
    RunbookReviewed,
    /// Customers were notified at least the lead time before a customer-facing outage.
    DowntimeNotice,
    /// Passing test suites and no failing ones.
    TestEvidence,
}

impl Evidence {
    fn as_str(self) -> &'static str {
        match self {
            Evidence::TicketLink => "ticket_link",
            Evidence::Approvals => "approvals",
            Evidence::SecurityScanPassed => "security_scan_passed",
            Evidence::ArtifactPromoted => "artifact_promoted",
            Evidence::RunbookReviewed => "runbook_reviewed",
            Evidence::DowntimeNotice => "downtime_notice",
            Evidence::TestEvidence => "test_evidence",
        }
    }
}

/// One governance finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// Machine code, e.g. `approvals`, `approval_role`, `cab_review`, `ticket_link`.
    pub code: String,
    /// What it is about (a role, a compliance tag, a person), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A human sentence.
    pub explanation: String,
}

fn finding(code: &str, subject: Option<&str>, explanation: String) -> Finding {
    Finding {
        code: code.into(),
        subject: subject.map(str::to_string),
        explanation,
    }
}

/// The governance decision for a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub required: Vec<Finding>,
    /// Requirements not met yet.
    pub missing: Vec<Finding>,
    /// Requirements of an emergency change deferred to its post-implementation review.
    pub deferred: Vec<Finding>,
    /// Breaches that block the change whatever else is provided.
    pub violations: Vec<Finding>,
    /// Information: ignored approvals and similar.
    pub notes: Vec<Finding>,
    /// The independent approvers counted, sorted.
    pub approvers: Vec<String>,
    /// For an emergency change: when its post-implementation review is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_implementation_review_due: Option<Timestamp>,
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
/// let risk = rollgate::strategy::RiskRef { level: rollgate::RiskLevel::Low };
/// let decision = rollgate::evaluate_governance(&change, &policy, &risk).unwrap();
/// assert_eq!(decision.approvers, ["bo"]);          // the author's approval is ignored
/// assert!(!decision.allowed);                      // bo deploys and is the sole approver
/// assert_eq!(decision.violations[0].code, "deployer_sole_approver");
/// ```
pub fn evaluate_governance(
    change: &Change,
    policy: &GovernancePolicy,
    risk: &RiskRef,
) -> Result<GovernanceDecision> {
    change.validate("")?;
    let known: Vec<String> = policy.compliance.keys().cloned().collect();
    for (i, rule) in policy.rules.iter().enumerate() {
        for (j, tag) in rule.compliance.iter().enumerate() {
            if !policy.compliance.contains_key(tag) {
                return Err(Error::new(
                    format!("policy/rules/{i}/compliance/{j}"),
                    ChangeError::UnknownComplianceTag {
                        tag: tag.clone(),
                        known: known.clone(),
                    },
                ));
            }
        }
    }
    for (i, tag) in change.compliance.iter().enumerate() {
        if !policy.compliance.contains_key(tag) {
            return Err(Error::new(
                format!("/compliance/{i}"),
                ChangeError::UnknownComplianceTag {
                    tag: tag.clone(),
                    known: known.clone(),
                },
            ));
        }
    }
    let level = risk.level;
    let tags: BTreeSet<&str> = change.compliance.iter().map(String::as_str).collect();

    // Requirements from every matching rule.
    let mut need_count = 0u32;
    let mut need_roles: BTreeSet<&str> = BTreeSet::new();
    let mut need_cab = false;
    let mut need_depth = TestDepth::None;
    for rule in &policy.rules {
        let matches = (rule.levels.is_empty() || rule.levels.contains(&level))
            && (rule.change_types.is_empty() || rule.change_types.contains(&change.change_type))
            && (rule.compliance.is_empty()
                || rule.compliance.iter().any(|t| tags.contains(t.as_str())));
        if matches {
            need_count = need_count.max(rule.approvals);
            need_roles.extend(rule.roles.iter().map(String::as_str));
            need_cab |= rule.cab;
            need_depth = need_depth.max(rule.test_depth);
        }
    }

    // Independent approvals: not the author, each person once.
    let mut notes = Vec::new();
    let mut approver_roles: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in &change.approvals {
        if a.by == change.author {
            continue;
        }
        approver_roles
            .entry(a.by.as_str())
            .or_default()
            .insert(a.role.as_str());
    }
    if change.approvals.iter().any(|a| a.by == change.author) {
        notes.push(finding(
            "self_approval_ignored",
            Some(&change.author),
            format!(
                "`{}` wrote the change, so their approval does not count",
                change.author
            ),
        ));
    }
    let approvers: Vec<String> = approver_roles.keys().map(|s| s.to_string()).collect();
    let has_role = |role: &str| approver_roles.values().any(|roles| roles.contains(role));

    let mut required = Vec::new();
    let mut missing = Vec::new();
    let mut violations = Vec::new();
    let mut require = |f: Finding, met: bool, missing: &mut Vec<Finding>| {
        if !met {
            missing.push(f.clone());
        }
        required.push(f);
    };

    if need_count > 0 {
        require(
            finding(
                "approvals",
                None,
                format!(
                    "{need_count} independent approval(s) needed, {} given",
                    approvers.len()
                ),
            ),
            approvers.len() >= need_count as usize,
            &mut missing,
        );
    }
    for role in &need_roles {
        require(
            finding(
                "approval_role",
                Some(role),
                format!("an independent approver in role `{role}` is needed"),
            ),
            has_role(role),
            &mut missing,
        );
    }
    if need_cab {
        require(
            finding(
                "cab_review",
                None,
                format!(
                    "the change-advisory board (role `{}`) must approve",
                    policy.cab_role
                ),
            ),
            has_role(&policy.cab_role),
            &mut missing,
        );
    }
    if need_depth > TestDepth::None {
        let depth = change.tests.as_ref().map_or(TestDepth::None, |t| t.depth);
        require(
            finding(
                "test_depth",
                Some(need_depth.as_str()),
                format!(
                    "tests to depth `{}` needed, `{}` recorded",
                    need_depth.as_str(),
                    depth.as_str()
                ),
            ),
            depth >= need_depth,
            &mut missing,
        );
    }

    // Evidence per compliance tag; each kind once, naming the tags that ask for it.
    let mut evidence: BTreeMap<Evidence, Vec<&str>> = BTreeMap::new();
    for tag in &tags {
        if let Some(req) = policy.compliance.get(*tag) {
            for e in &req.evidence {
                evidence.entry(*e).or_default().push(tag);
            }
        }
    }
    for (kind, by_tags) in &evidence {
        let subject = by_tags.join(",");
        let (met, detail) = check_evidence(*kind, change, policy, &approvers, &mut violations);
        require(
            finding(
                kind.as_str(),
                Some(&subject),
                format!("{} (required by {subject}): {detail}", describe(*kind)),
            ),
            met,
            &mut missing,
        );
    }

    // Segregation of duties: where approval is required, the deployer is not
    // the sole approver.
    let approval_required = need_count > 0
        || !need_roles.is_empty()
        || need_cab
        || evidence.contains_key(&Evidence::Approvals);
    if let Some(deployer) = change.deployer.as_ref().filter(|_| approval_required) {
        if approvers.len() == 1 && approvers.iter().any(|a| a == deployer) {
            violations.push(finding(
                "deployer_sole_approver",
                Some(deployer),
                format!("`{deployer}` deploys the change and is its only independent approver"),
            ));
        }
    }

    let mut deferred = Vec::new();
    let mut due = None;
    if change.change_type == ChangeType::Emergency {
        deferred = std::mem::take(&mut missing);
        let from = change.planned_start.or(change.created_at);
        due = from.and_then(|t| {
            t.checked_add_signed(chrono::Duration::seconds(
                i64::try_from(policy.emergency_review_within.as_secs()).unwrap_or(i64::MAX),
            ))
            .map(Timestamp)
        });
        required.push(finding(
            "post_implementation_review",
            None,
            match due {
                Some(d) => format!("emergency change: post-implementation review due by {}", d.to_rfc3339()),
                None => format!(
                    "emergency change: post-implementation review due within {}s of the start (no planned start or creation time given)",
                    policy.emergency_review_within.as_secs()
                ),
            },
        ));
    }
    missing.sort();
    violations.sort();
    let allowed = missing.is_empty() && violations.is_empty();
    Ok(GovernanceDecision {
        change: change.id.clone(),
        risk_level: level,
        change_type: change.change_type,
        allowed,
        required,
        missing,
        deferred,
        violations,
        notes,
        approvers,
        post_implementation_review_due: due,
    })
}

fn describe(kind: Evidence) -> &'static str {
    match kind {
        Evidence::TicketLink => "a ticket link",
        Evidence::Approvals => "an independent approval",
        Evidence::SecurityScanPassed => "a passed security scan",
        Evidence::ArtifactPromoted => "the artifact promoted, not rebuilt",
        Evidence::RunbookReviewed => "a runbook reviewed by someone other than its author",
        Evidence::DowntimeNotice => "customers notified ahead of downtime",
        Evidence::TestEvidence => "passing tests",
    }
}

/// Whether one kind of evidence is present, with a detail sentence; a
/// definite breach (a rebuilt artifact) is also pushed to `violations`.
fn check_evidence(
    kind: Evidence,
    change: &Change,
    policy: &GovernancePolicy,
    approvers: &[String],
    violations: &mut Vec<Finding>,
) -> (bool, String) {
    match kind {
        Evidence::TicketLink => match change.links.tickets.first() {
            Some(t) => (true, format!("linked to {t}")),
            None => (false, "no ticket linked".into()),
        },
        Evidence::Approvals => (
            !approvers.is_empty(),
            format!("{} independent approver(s)", approvers.len()),
        ),
        Evidence::SecurityScanPassed => match &change.security_scan {
            Some(s) if s.passed && s.critical == 0 => (true, "scan passed".into()),
            Some(s) => (
                false,
                format!(
                    "scan did not pass ({} critical, {} high)",
                    s.critical, s.high
                ),
            ),
            None => (false, "no scan recorded".into()),
        },
        Evidence::ArtifactPromoted => {
            let passed_from: Vec<&str> = change
                .promotions
                .iter()
                .filter(|p| p.environment == policy.promotion_from && p.passed)
                .map(|p| p.digest.as_str())
                .collect();
            let to: Vec<&str> = change
                .promotions
                .iter()
                .filter(|p| p.environment == policy.promotion_to)
                .map(|p| p.digest.as_str())
                .collect();
            if passed_from.is_empty() || to.is_empty() {
                return (
                    false,
                    format!(
                        "needs a passing `{}` and a `{}` promotion record",
                        policy.promotion_from, policy.promotion_to
                    ),
                );
            }
            let rebuilt: Vec<&str> = to
                .iter()
                .filter(|d| !passed_from.contains(d))
                .copied()
                .collect();
            if rebuilt.is_empty() {
                (
                    true,
                    format!(
                        "`{}` digest passed `{}`",
                        policy.promotion_to, policy.promotion_from
                    ),
                )
            } else {
                violations.push(finding(
                    "artifact_rebuilt",
                    rebuilt.first().copied(),
                    format!(
                        "`{}` digest {} never passed `{}`: the artifact was rebuilt, not promoted",
                        policy.promotion_to,
                        rebuilt.join(", "),
                        policy.promotion_from
                    ),
                ));
                (
                    false,
                    "production digest differs from the one that passed".into(),
                )
            }
        }
        Evidence::RunbookReviewed => match &change.runbook {
            Some(r) => {
                let author = r.author.as_deref().unwrap_or(&change.author);
                if r.reviewer == author {
                    (false, format!("reviewed by its own author `{author}`"))
                } else {
                    (true, format!("reviewed by `{}`", r.reviewer))
                }
            }
            None => (false, "no runbook review recorded".into()),
        },
        Evidence::DowntimeNotice => {
            let downtime = change.expected_downtime.map_or(0, |d| d.as_secs());
            if downtime == 0 {
                return (true, "no customer-facing downtime expected".into());
            }
            match (change.customers_notified_at, change.planned_start) {
                (Some(notified), Some(start)) => {
                    let lead = (start - notified).num_seconds();
                    let need =
                        i64::try_from(policy.downtime_notice_lead.as_secs()).unwrap_or(i64::MAX);
                    (
                        lead >= need,
                        format!("notified {lead}s ahead, {need}s required"),
                    )
                }
                (None, _) => (
                    false,
                    format!("{downtime}s of downtime expected, customers not notified"),
                ),
                (Some(_), None) => (
                    false,
                    "no planned start to measure the notice against".into(),
                ),
            }
        }
        Evidence::TestEvidence => match &change.tests {
            Some(t) if !t.suites_passed.is_empty() && t.suites_failed.is_empty() => {
                (true, format!("{} suite(s) passed", t.suites_passed.len()))
            }
            Some(t) => (
                false,
                format!(
                    "{} passed, {} failed",
                    t.suites_passed.len(),
                    t.suites_failed.len()
                ),
            ),
            None => (false, "no test evidence".into()),
        },
    }
}
