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
//! | delivery | `dora_tier` | metric | the metric's DORA tier in a report year, with the next tier up, its target and the gap |
//! | delivery | `dora_overall_tier` | | the best tier that a majority of the rated metrics reach |
//! | delivery | `dora_no_data` | metric | nothing in the window to rate the metric on |
//! | delivery | `recovery_from_deployments` | `recovery_time` | no incident was resolved: recovery is rated on failed deployments restored |
//! | delivery | `failure_unrestored` | `recovery_time` | failure episodes never followed by a successful deployment of their service |
//! | delivery | `window_from_records` | | an open end of the window was set from the records' first and last days |
//! | delivery | `unowned_services` | services | services without an owner in the plan, grouped as `(no owner)` |
//! | delivery | `maturity_level_met` | practices | a maturity level reached, with the practices that reach it |
//! | delivery | `practice_missing` | practices | the practices the next level needs |
//! | delivery | `metric_met` | metric | a level's metric gate holds |
//! | delivery | `metric_below` | metric | a level's metric gate does not hold |
//! | delivery | `metric_missing` | metric | a level's metric gate has no measurement |
//! | delivery | `practice_ahead` | practices | practices adopted above the level reached |
//! | delivery | `maturity_without_metrics` | | no delivery metrics given: gated levels stay unreached |
//! | delivery | `flag_rollout_in` | flag key | the unit's bucket is within the flag's rollout |
//! | delivery | `flag_rollout_out` | flag key | the unit's bucket is outside the flag's rollout |
//! | delivery | `flag_variant` | variant | the variant served and the weights it holds |
//! | delivery | `exposure_counted` | flag key | exposure counted over the unit ids given |
//! | delivery | `exposure_sampled` | flag key | exposure estimated from a seeded sample of a unit count |
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
