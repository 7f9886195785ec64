//! The one shape of every explanation: a [`Reason`] is a stable machine
//! `code`, a human `message`, the `subjects` it is about and, where numbers
//! back the sentence, structured `evidence`.
//!
//! Every decision rollgate returns — a verdict, a window check, a wave's
//! placement, a rollback plan, a strategy, a governance decision, a risk
//! assessment — lists its reasons in this shape, in Rust, Python and Node
//! alike, so a caller can answer "why?" from the result alone and a portal
//! can render any of them with one component.
//!
//! # Reason codes
//!
//! Codes are part of the public API. Each module documents the codes it
//! emits in the table below; `subjects` says what the ids in a reason name.
//!
//! | module | code | subjects | meaning |
//! |---|---|---|---|
//! | window | `no_windows` | | the calendar has no windows: always allowed |
//! | window | `inside_allow`, `outside_allow` | window path | the start is (not) inside an allow window |
//! | window | `inside_coverage`, `outside_coverage` | window path | the deployment is (not) covered by on-call coverage |
//! | window | `deny_window`, `holiday` | window path | a deny window or holiday overlaps the deployment |
//! | window | `window_too_short` | window path | the allow window ends before the deployment would |
//! | environments (parity) | `allowed_by_rule` | environments, service | a difference an `allow` rule expects |
//! | environments (parity) | `data_volume_within_ratio`, `data_volume_below_ratio` | environments | the earlier store holds at least (less than) the declared share of the later one |
//! | environments (parity) | `promotion_pending` | environments, service | the earlier environment runs a newer version not promoted yet |
//! | environments (parity) | `service_ahead`, `version_ahead`, `artifact_rebuilt` | environments, service | the later environment runs what the earlier never ran |
//! | environments (parity) | `service_missing`, `version_differs`, `key_missing`, `value_differs` | environments, service | drift: an unexpected difference |
//! | environments (parity) | `parity_blocking`, `parity_drift`, `parity_clear` | environments | a pair's verdict |
//! | environments (promotion) | `artifact_rebuilt`, `stage_skipped`, `gate_not_passed`, `soak_too_short` | environment, gate | a promotion rule broken |
//! | environments (promotion) | `gate_pending`, `soak_pending` | environment, gate | what the next promotion waits for |
//! | environments (migrations) | `checksum_mismatch`, `missing_script`, `gap`, `not_applied_upstream`, `contract_before_expand` | environment, version | a migration problem |
//! | environments (access) | `approved`, `no_approval_required`, `approval_required`, `approver_not_eligible`, `self_approval_ignored` | person or environment | the approval rule |
//! | environments (access) | `scope_not_allowed`, `ticket_required`, `no_eligible_approver`, `break_glass_not_on_call` | scopes, person, environment | why access is denied |
//! | environments (access) | `break_glass_on_call`, `duration_capped`, `review_required` | person | break-glass and duration limits |
//! | environments (teardown) | `expired`, `idle`, `over_budget`, `orphaned` | environment | why an environment should go |
//! | environments (teardown) | `production`, `protected_label`, `tier_not_eligible` | environment | why it is kept anyway |
//! | environments (isolation) | `bring_dependency`, `bring_stateful` | dependency, services under test | deploy it into the isolated environment |
//! | environments (isolation) | `shared_in_place`, `shared_read_only`, `stub_shared_stateful` | dependency, services under test | use a shared dependency in place, or stub it |
//!
//! Modules add their rows here as they adopt the shape.

use serde::{Deserialize, Serialize};

/// Why a decision came out as it did: one factor, constraint, metric or rule.
///
/// Serialises as `{"code", "message", "subjects", "evidence"?}`;
/// `evidence` is omitted when empty.
///
/// ```
/// use rollgate::explain::Reason;
/// let reason = Reason::new("metric_failed", "p99 latency is 12% higher than baseline")
///     .with_subjects(["latency_p99"])
///     .with_evidence("effect", 0.12);
/// assert_eq!(reason.subjects, ["latency_p99"]);
/// let json = serde_json::to_value(&reason).unwrap();
/// assert_eq!(json["evidence"]["effect"], 0.12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable machine code, e.g. `metric_failed` (see the module table).
    pub code: String,
    /// A human sentence, written for the person who must act on it.
    pub message: String,
    /// The ids this reason is about (services, regions, metrics, windows,
    /// roles, ...), sorted; empty when it is about the decision as a whole.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// The numbers or values behind the sentence, by name (sorted keys).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub evidence: serde_json::Map<String, serde_json::Value>,
}

impl Reason {
    /// A reason with a code and a sentence, about the decision as a whole.
    ///
    /// ```
    /// let reason = rollgate::explain::Reason::new("no_windows", "the calendar has no windows");
    /// assert!(reason.subjects.is_empty() && reason.evidence.is_empty());
    /// ```
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Reason {
            code: code.into(),
            message: message.into(),
            subjects: Vec::new(),
            evidence: serde_json::Map::new(),
        }
    }

    /// Sets the subjects, sorted and without repeats.
    ///
    /// ```
    /// let reason = rollgate::explain::Reason::new("pair_separated", "…")
    ///     .with_subjects(["us-west", "us-east", "us-west"]);
    /// assert_eq!(reason.subjects, ["us-east", "us-west"]);
    /// ```
    pub fn with_subjects<I, S>(mut self, subjects: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.subjects = subjects.into_iter().map(Into::into).collect();
        self.subjects.sort_unstable();
        self.subjects.dedup();
        self
    }

    /// Adds one piece of evidence under `key`.
    ///
    /// ```
    /// let reason = rollgate::explain::Reason::new("growth", "…").with_evidence("factor", 2);
    /// assert_eq!(reason.evidence["factor"], 2);
    /// ```
    pub fn with_evidence(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }
}
