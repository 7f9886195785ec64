//! Evidence a compliance regime asks a change to carry, and how each kind
//! is checked.

use serde::{Deserialize, Serialize};

use super::GovernancePolicy;
use crate::change::Change;
use crate::explain::Reason;

/// A kind of evidence a regulated change must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The wire name, also the code of its finding.
    ///
    /// ```
    /// assert_eq!(rollgate::governance::Evidence::RunbookReviewed.as_str(), "runbook_reviewed");
    /// ```
    pub fn as_str(self) -> &'static str {
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

    /// What the evidence is, in words.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Evidence::TicketLink => "a ticket link",
            Evidence::Approvals => "an independent approval",
            Evidence::SecurityScanPassed => "a passed security scan",
            Evidence::ArtifactPromoted => "the artifact promoted, not rebuilt",
            Evidence::RunbookReviewed => "a runbook reviewed by someone other than its author",
            Evidence::DowntimeNotice => "customers notified ahead of downtime",
            Evidence::TestEvidence => "passing tests",
        }
    }
}

/// Whether one kind of evidence is present, with a detail sentence; a
/// definite breach (a rebuilt artifact) is also pushed to `violations`.
pub(super) fn check(
    kind: Evidence,
    change: &Change,
    policy: &GovernancePolicy,
    approvers: &[String],
    violations: &mut Vec<Reason>,
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
        Evidence::ArtifactPromoted => promoted(change, policy, violations),
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
        Evidence::DowntimeNotice => downtime_notice(change, policy),
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

/// The production digest is one that passed the earlier environment; a
/// production digest that never passed it is a violation (`artifact_rebuilt`).
fn promoted(
    change: &Change,
    policy: &GovernancePolicy,
    violations: &mut Vec<Reason>,
) -> (bool, String) {
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
        violations.push(
            Reason::new(
                "artifact_rebuilt",
                format!(
                    "`{}` digest {} never passed `{}`: the artifact was rebuilt, not promoted",
                    policy.promotion_to,
                    rebuilt.join(", "),
                    policy.promotion_from
                ),
            )
            .with_subjects(rebuilt.iter().copied()),
        );
        (
            false,
            "production digest differs from the one that passed".into(),
        )
    }
}

/// Customers were told of a customer-facing outage at least the policy's
/// lead time before the planned start.
fn downtime_notice(change: &Change, policy: &GovernancePolicy) -> (bool, String) {
    let downtime = change.expected_downtime.map_or(0, |d| d.as_secs());
    if downtime == 0 {
        return (true, "no customer-facing downtime expected".into());
    }
    match (change.customers_notified_at, change.planned_start) {
        (Some(notified), Some(start)) => {
            let lead = (start - notified).num_seconds();
            let need = i64::try_from(policy.downtime_notice_lead.as_secs()).unwrap_or(i64::MAX);
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
