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
//! | window | `inside_allow`, `inside_coverage` | window path | an allow (coverage) window contains the whole deployment |
//! | window | `outside_allow`, `outside_coverage` | | no allow (coverage) window contains the whole deployment |
//! | window | `deny_window`, `holiday` | window path | a deny window or holiday overlaps the deployment (in a rollout's window wait, also: held it back until the wait ends) |
//! | window | `window_too_short` | | no allowed stretch within 366 days is as long as the deployment; evidence `duration_seconds`, `longest_window_seconds` |
//! | rollout | `first_wave` | regions | the rollout policy names the first wave |
//! | rollout | `canary_first` | regions | canary-tier regions go first |
//! | rollout | `smallest_first` | region | no canary-tier region: the smallest region of the first tier goes first |
//! | rollout | `growth` | regions deferred | the wave's target size; evidence `growth_factor`, `target_size` (absent when unbounded) |
//! | rollout | `tier_order` | regions deferred | a wave holds one tier: later tiers wait |
//! | rollout | `concurrency_cap` | regions deferred | `max_concurrent_regions` reached; evidence `max_concurrent_regions` |
//! | rollout | `traffic_cap` | regions deferred | `max_traffic_per_wave` reached; evidence `max_traffic_per_wave` |
//! | rollout | `pair_separated` | region, its pair | a region waits for its pair's wave and bake |
//! | rollout | `over_traffic_cap` | region | a region above the traffic cap on its own gets a wave alone; evidence `traffic_share`, `max_traffic_per_wave` |
//! | rollout | `region_dependency` | region, its dependencies | the region follows the regions it depends on |
//! | rollout | `contract_phase` | every region | contract migrations run after every region has finished |
//! | rollout | `step_exceeds_timeout` | services | a planned step is longer than the step timeout (a finding); evidence `timeout_seconds` |
//! | rollout | `zero_deploy_duration` | services | a service without `deploy_duration` (or 0) takes no time (a finding) |
//! | rollout | `irreversible_migration` | service | a migration that cannot be undone: roll forward |
//! | rollout | `undo_in_reverse_order` | | steps are undone newest first; evidence `steps` |
//! | rollout | `nothing_started` | | no step had started: nothing to undo |
//! | risk | `lines_added`, `lines_deleted`, `lines_before`, `files_changed`, `directories_changed`, `subsystems_changed`, `entropy` | | size and diffusion of the change (counts on the scale ln(1 + n)) |
//! | risk | `is_fix`, `prior_developers`, `prior_changes`, `author_experience`, `author_recent_experience`, `author_subsystem_experience` | | purpose, history of the touched files and the author's experience |
//! | risk | `kind_config`, `kind_schema`, `kind_infrastructure`, `has_migration`, `irreversible`, `emergency`, `feature_flag` | | what the change is and how it can be undone |
//! | risk | `tests_failed`, `no_test_evidence`, `coverage_gap`, `security_scan_failed` | | test and scan evidence |
//! | risk | `weekend`, `off_hours`, `peak`, `outside_window`, `near_freeze`, `slow_rollback` | | timing of the planned start; the chosen strategy's rollback speed |
//! | risk | `stateful_services` | stateful services touched | the change touches state that outlives a rollback |
//! | risk | `transitive_dependents`, `customer_facing_share`, `traffic_exposed` | | blast radius in the plan |
//! | risk | `service_failure_history` | the worst touched service | its change-failure rate (Beta-binomial posterior) against the prior |
//! | risk | `author_service_experience` | the author | the author's successful earlier changes to these services |
//! | risk | `no_plan`, `no_history`, `no_window`, `no_planned_start`, `no_peak_hours`, `no_test_data`, `no_coverage`, `no_security_scan`, `no_strategy`, `not_applicable` | factor codes | (`not_assessed`) factors left out for lack of that input |
//! | strategy | `fast_rollback`, `good_metrics`, `poor_metrics`, `limits_exposure`, `shared_state`, `mixed_versions_schema` | | for or against a canary (evidence: `points`, `blocking`) |
//! | strategy | `no_traffic_routing` | the service | blocks a canary: traffic cannot be split |
//! | strategy | `no_metrics` | | blocks a canary: nothing to judge it on |
//! | strategy | `instant_switch_back`, `insufficient_capacity` (blocking), `duplicated_state`, `migration_outlives_switch`, `full_exposure` | | for or against blue-green |
//! | strategy | `always_possible`, `little_capacity_needed`, `suits_stateful`, `rollback_too_slow`, `rollback_speed_unknown`, `slow_rollback`, `unwatched_exposure` | | for or against rolling |
//! | strategy | `flag_in_place`, `flag_impossible`, `flag_for_risk`, `flag_for_slow_rollback`, `flag_optional` | | (`feature_flag_reason`) whether to release behind a flag |
//! | governance | `approvals` | | independent approvals needed (evidence: `required`, `given`) |
//! | governance | `approval_role`, `cab_review` | the role | an independent approver in that role is needed |
//! | governance | `test_depth` | | tests to a depth needed (evidence: `required`, `recorded`) |
//! | governance | `ticket_link`, `approvals`, `security_scan_passed`, `artifact_promoted`, `runbook_reviewed`, `downtime_notice`, `test_evidence` | compliance tags | evidence a compliance regime asks for |
//! | governance | `artifact_rebuilt` | rebuilt digests | violation: production runs a digest that never passed the earlier environment |
//! | governance | `deployer_sole_approver` | the deployer | violation: the deployer is the only independent approver |
//! | governance | `self_approval_ignored` | the author | note: the author's own approval does not count |
//! | governance | `post_implementation_review` | | an emergency change's review (evidence: `due`, `within_seconds`) |
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
