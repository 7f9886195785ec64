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
//! | rollout | `flag_stage` | flag | a release stage turns a feature flag up after the previous gate; evidence `from`, `to` (percent of units) |
//! | rollout | `contract_phase` | every region | contract migrations run after every region has finished |
//! | rollout | `step_exceeds_timeout` | services | a planned step is longer than the step timeout (a finding); evidence `timeout_seconds` |
//! | graph, rollout | `zero_deploy_duration` | services | a service without `deploy_duration` (or 0) takes no time (a finding of `order_services`, `schedule_services` and `schedule_rollout`) |
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
//! | verdict | `score_passed` |  | promote: the score reaches the pass threshold and no metric needs more data |
//! | verdict | `score_marginal` | failing metrics | continue: the score is at least `marginal` but below `pass` |
//! | verdict | `score_below_marginal` | failing metrics | roll back: the score is below `marginal` |
//! | verdict | `critical_metric_failed` | metrics | roll back: a critical metric failed, the score is forced to 0 |
//! | verdict | `too_many_no_data` | metrics | inconclusive: half of the metrics or more have no data, the score is forced to 0 |
//! | verdict | `zero_baseline` | metrics | continue: a passing metric's baseline is 0 while the canary's is not |
//! | verdict | `metric_failed` | metrics | the metrics classified high, low or no-data-fail |
//! | verdict | `no_data` | metrics | metrics without data, left out of the score |
//! | verdict | `needs_more_data` | metrics | continue: metrics classified `continue` keep the canary from being promoted |
//! | verdict | `dry_run_failed` | metrics | dry-run metrics that would have failed (they do not decide) |
//! | verdict (metric) | `significant_increase` | metric | high: a significant increase beyond the allowed ratio |
//! | verdict (metric) | `significant_decrease` | metric | low: a significant decrease beyond the allowed ratio |
//! | verdict (metric) | `slo_violated` | metric | canary values outside the SLO bounds, more than `failure_limit` |
//! | verdict (metric) | `no_harmful_change` | metric | pass: the test could show harm at these sample sizes and did not |
//! | verdict (metric) | `no_data` | metric | the metric has no data |
//! | verdict (metric) | `no_data_fail` | metric | no data for a metric that must have it |
//! | verdict (metric) | `too_few_samples` | metric | continue: fewer samples than `min_samples` (evidence: the samples missing per side) |
//! | verdict (metric) | `unreachable_level` | metric | continue: the test cannot reach its level at these sample sizes (evidence: the smallest p-value, the samples needed) |
//! | verdict (metric) | `interval_too_wide` | metric | continue: the interval cannot yet exclude the allowed ratio |
//! | watch | `critical_metric_failed` | metrics | roll back: a critical metric shows harm beyond its allowed effect (or has no data after the bake while `must_have_data`) |
//! | watch | `score_below_marginal` | metrics | roll back: the metrics that show harm bring the score below `marginal` |
//! | watch | `harm_ruled_out` |  | promote: every deciding metric rules out harm and the bake is complete |
//! | watch | `budget_exhausted` | metrics | inconclusive: `max_duration` or `max_samples` is spent; the metrics still undecided |
//! | watch | `score_marginal` | metrics | inconclusive: harm is shown, but the score stays marginal (a person decides) |
//! | watch | `no_data` | metrics | continue: no deciding metric has data yet |
//! | watch | `undecided` | metrics | continue: the metrics that neither show nor rule out harm yet |
//! | watch | `baking` |  | continue: every metric rules out harm, but the bake is not complete |
//! | watch | `dry_run` | metrics | dry-run metrics that show harm (they do not decide) |
//! | watch (metric) | `harm_detected` | metric | rollback: the confidence sequence lies beyond the allowed effect (evidence: `p_value`, `alpha`, `ci`) |
//! | watch (metric) | `harm_ruled_out` | metric | promote: the confidence sequence lies within the allowed effect (evidence: `p_value`, `alpha`, `ci`) |
//! | watch (metric) | `undecided` | metric | continue: the confidence sequence spans the allowed effect (evidence: `p_value`, `alpha`, `ci`) |
//! | watch (metric) | `too_few_samples` | metric | continue: fewer samples per arm than the test needs, or samples that do not vary yet |
//! | watch (metric) | `no_data` | metric | no data yet |
//! | watch (metric) | `traffic_split_mismatch` | metric | continue: the canary's share of the trials contradicts `watch.allocation` (evidence: `canary_share`) |
//! | release | `wave_started` | regions | a wave opens: the previous gate passed plus the gap (and its approval) |
//! | release | `wave_deployed` | | every step of the wave succeeded: it bakes from the actual finish |
//! | release | `gate_passed` | | bake time, samples, checks and canary verdict are all in |
//! | release | `completed` | | every wave has passed its gate |
//! | release | `release_stages_left` | flags | the waves are done; the plan's release stages (feature flags) are the caller's to drive, per `schedule_rollout` |
//! | release | `bake`, `one_box_bake` | region (one box) | (in a `wait`) the bake after a wave or a region's one box; evidence `bake_seconds` |
//! | release | `min_samples` | | (in a `wait`) the bake has too few metric batches; evidence `samples`, `min_bake_samples` |
//! | release | `checks_pending` | checks | (in a `wait`) checks not passed yet in every region of the wave |
//! | release | `canary_verdict` | regions | (in a `wait`) regions whose watch has not promoted |
//! | release | `min_gap` | | (in a `wait`) the gap between waves; evidence `min_gap_seconds` |
//! | release | `approval_required` | | (in a `wait`) the wave needs an `approval` event |
//! | release | `step_failed` | step | a step attempt failed; evidence `failed_steps`, `max_failed_steps`, `attempt` |
//! | release | `step_timeout` | step | a step did not finish within the timeout: failed (same evidence) |
//! | release | `check_failed` | regions, check | a gate check failed: counts as a failure (same evidence) |
//! | release | `max_failed_steps` | | the failures exceed `max_failed_steps`: the release halts |
//! | release | `rollback_verdict` | region | a region's canary watch decided `rollback`: the release halts and rolls back; evidence `watch` (the watch's first reason code) |
//! | release | `escalation_rollback` | region | an escalation rule with `auto_rollback` fired: the release halts and rolls back |
//! | release | `inconclusive_verdict` | region | the watch cannot decide: the release pauses for a person |
//! | release | `escalated` | the rule | an escalation rule fired; evidence `severity` |
//! | release | `verdict_rule`, `threshold_rule`, `halt_rule`, `customer_facing` | region, metric | (an `escalate` action's evidence) why the rule fired; `threshold_rule` evidence `value` and `above`/`below` |
//! | release | `paused`, `resumed`, `approved`, `aborted` | the person | a person's event |
//! | release | `rolled_back` | | the rollback is done: the release ends as `aborted` |
//! | readiness | `risk_too_high`, `risk_elevated`, `risk_acceptable` | | the risk level against `block_at` / `conditions_at`; evidence `score`, `level` |
//! | readiness | `window_closed_at_start`, `window_open_at_start` | calendar reason codes, region | whether the first wave may start at the planned start; evidence `until` |
//! | readiness | `governance_allowed`, `no_governance_policy` | | governance's answer (its violations block, its missing requirements are conditions, with their own codes) |
//! | readiness | `recommended_strategy`, `strategy_differs`, `feature_flag_recommended` | the service | the strategy check; evidence `recommended` |
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
