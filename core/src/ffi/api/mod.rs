//! The functions the bindings export: name, parameters and the one body that
//! both Python and Node run, so the two cannot drift apart.
//!
//! This file holds the table of every exported function (its name,
//! parameters with their defaults, and its doc, which is the help text the
//! bindings show) and the `functions!` macro that turns the table into
//! [`Api`], [`FUNCTIONS`] and the dispatch. The bodies live one file per
//! area, each function under its exported name: `rollout` (plan, calendar
//! and rollout schedule), `canary` (verdict, watch and statistical kernels),
//! `change` (risk, strategy, governance, change log), `release`,
//! `environments` and `delivery`.

use super::args::{Args, Outcome, Param};
use super::host::Host;

mod canary;
mod change;
mod delivery;
mod environments;
mod release;
mod rollout;

/// One exported function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    /// Which one.
    pub api: Api,
    /// Its snake_case name (Node exports it in camelCase).
    pub name: &'static str,
    /// Its parameters, in order.
    pub params: &'static [Param],
    /// What it does (first line), then the shape of its inputs and result,
    /// as the function's doc comment in this file reads (each line keeps
    /// the one space after `///`; [`Function::help`] removes it).
    pub doc: &'static str,
}

impl Function {
    /// The first line of [`doc`](Function::doc).
    ///
    /// ```
    /// let f = rollgate::ffi::function("order_services").unwrap();
    /// assert_eq!(f.summary(), "Deployment waves, rollback waves and critical path of a plan.");
    /// ```
    pub fn summary(&self) -> &'static str {
        self.doc.lines().next().unwrap_or("").trim()
    }

    /// The whole doc as help text: every line without the space `///` leaves.
    ///
    /// ```
    /// let help = rollgate::ffi::function("order_services").unwrap().help();
    /// assert!(help.starts_with("Deployment waves"));
    /// assert!(help.contains("\nplan: {\"name\": str"));
    /// ```
    pub fn help(&self) -> String {
        let lines: Vec<&str> = self
            .doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end())
            .collect();
        lines.join("\n").trim().to_string()
    }
}

macro_rules! functions {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident($($param:ident $(= $default:tt)?),*) => $area:ident;
    )*) => {
        /// Every exported function.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Api {
            $(
                $(#[doc = $doc])+
                $name,
            )*
            /// Panics on purpose, to show a panic reaches the host as
            /// `internal_error` (exported by debug builds only).
            _test_panic,
        }

        /// The functions every binding exports, in this order.
        pub const FUNCTIONS: &[Function] = &[$(
            Function {
                api: Api::$name,
                name: stringify!($name),
                params: &[$(Param {
                    name: stringify!($param),
                    default: functions!(@default $($default)?),
                }),*],
                doc: concat!($($doc, "\n"),+),
            },
        )*];

        fn dispatch<H: Host>(api: Api, args: &Args<'_, H>) -> Outcome<H> {
            match api {
                $(Api::$name => $area::$name(args),)*
                Api::_test_panic => test_panic(),
            }
        }
    };
    (@default) => { None };
    (@default $default:tt) => { Some(stringify!($default)) };
}

/// Functions that only debug builds export, to test the binding layer itself.
pub const DEBUG_FUNCTIONS: &[Function] = if cfg!(debug_assertions) {
    &[Function {
        api: Api::_test_panic,
        name: "_test_panic",
        params: &[],
        doc: "Panics on purpose (tests of the panic guard).",
    }]
} else {
    &[]
};

#[allow(clippy::panic)] // On purpose: the tests of the panic guard call it.
fn test_panic<T>() -> T {
    panic!("a deliberate panic, to test the panic guard")
}

/// Runs `function` on the host's argument values (absent ones as the host's
/// null), panics included: see [`guard`](super::guard).
pub(crate) fn run<H: Host>(host: &H, function: &Function, values: &[H::Value]) -> Outcome<H> {
    dispatch(function.api, &Args::new(host, function.params, values))
}

functions! {
    /// Deployment waves, rollback waves and critical path of a plan.
    ///
    /// plan: {"name": str, "services": [{"id": str, "depends_on"?: [str],
    ///   "deploy_duration"?: "10m" | seconds (missing: 0), "stateful"?: bool,
    ///   "customer_facing"?: bool, ...}], "regions"?, "rollout"?, "calendars"?}
    ///   ("?" marks an optional key)
    /// returns: {"waves": [[str]], "rollback_waves": [[str]], "critical_path":
    ///   {"makespan_seconds": int, "path": [str], "services": [{"id",
    ///   "earliest_start", "earliest_finish", "latest_start", "latest_finish",
    ///   "slack"}]}, "findings": [{"code", "message", "subjects"}]}; times in seconds from the start;
    ///   "findings" names services without a deploy_duration (zero_deploy_duration).
    /// Raises InvalidPlanError (dependency_cycle, unknown_dependency, ...).
    order_services(plan) => rollout;
    /// Transitive dependents of the requested services (default: all).
    ///
    /// plan: as for order_services. services: [str] or None for every service.
    /// returns: {"services": [{"id", "dependents": [str], "dependent_count",
    ///   "customer_facing_dependents", "customer_facing"}]}
    blast_radius(plan, services = null) => rollout;
    /// Schedule with at most `max_parallel` deployments at once.
    ///
    /// plan: as for order_services. max_parallel: a whole number >= 1.
    /// returns: {"max_parallel", "makespan_seconds", "services": [{"id", "start",
    ///   "finish"}]} (seconds from the start).
    schedule_services(plan, max_parallel) => rollout;
    /// Whether a deployment of `duration` may start at `at` under `calendar`.
    ///
    /// calendar: {"time_zone"?: "Europe/Berlin", "allow"?: [window, ...], "deny"?:
    ///   [window, ...], "coverage"?: [window, ...], "holidays"?: ["2026-12-25"]}, where a
    ///   window is weekly {"days": ["mon", "tue"], "start": "09:00", "end":
    ///   "17:00"}, absolute {"from": timestamp, "to": timestamp}, or periodic
    ///   (deny only) {"every": "month" | "quarter" | "year", "first_days" |
    ///   "last_days": int}; each may carry a "reason".
    /// at: RFC 3339 timestamp with offset ("2026-11-24T10:00:00-05:00").
    /// duration: "90s" | "1h30m" | seconds.
    /// returns: {"allowed": bool, "reasons": [reason, ...], "next_allowed_start":
    ///   timestamp | None}; a reason is {"code", "message", "subjects", "evidence"?}.
    /// Raises InvalidCalendarError.
    check_window(calendar, at, duration) => rollout;
    /// Earliest start at or after `after` where a deployment of `duration` fits.
    ///
    /// calendar, after, duration: as for check_window; horizon: a duration
    ///   (default 366 days).
    /// returns: {"start": timestamp, "end": timestamp}.
    /// Raises InvalidCalendarError (window_too_short, no_window_within_horizon, ...).
    next_window(calendar, after, duration, horizon = null) => rollout;
    /// The multi-region rollout schedule of a plan starting at `start`.
    ///
    /// plan: as for order_services, with "regions": [{"id": str, "traffic_share"?:
    ///   0.3, "tier"?: "canary" | "pilot" | "standard", "pair"?: str,
    ///   "depends_on"?: [str], "time_zone"?: str, "calendar"?: name}], a "rollout"
    ///   policy {"first_wave"?, "growth_factor"?, "max_concurrent_regions"?,
    ///   "max_traffic_per_wave"?, "bake_time"?, "min_bake_samples"?,
    ///   "min_gap_between_waves"?, "timeout"?, "max_failed_steps"?, "one_box"?,
    ///   "drain_time"?, "release_stages"?: [{"flag", "percentage": 1-100,
    ///   "bake_time"?}]} and "calendars": {name: calendar (see check_window)}.
    /// start: RFC 3339 timestamp with offset.
    /// returns: {"start", "finish", "waves": [{"number", "regions", "traffic_share"
    ///   (this wave's share), "start", "finish", "steps", "waits", "gate",
    ///   "reasons"}], "release_stages"?: [{"number", "flag", "percentage",
    ///   "previous_percentage", "start", "wait_seconds", "wait_reasons",
    ///   "gate", "reasons"}], "findings", "halt_rule", "total_duration_seconds", ...}.
    schedule_rollout(plan, start) => rollout;
    /// What to undo when a rollout halts at a step or a time.
    ///
    /// schedule: a result of schedule_rollout.
    /// halted_at: a step {"region": str, "service": str, "stage"?: "one_box" |
    ///   "full" | "contract"} or an RFC 3339 timestamp.
    /// returns: {"halted_at", "recommendation": "roll_back" | "roll_forward",
    ///   "undo": [{"service", "region", "stage", "wave", "state"}], "cannot_undo",
    ///   "not_started", "reasons"}.
    rollback_plan(schedule, halted_at) => rollout;
    /// Mermaid Gantt text of a schedule.
    ///
    /// schedule: a result of schedule_rollout. returns: the chart's text (str).
    to_mermaid_gantt(schedule) => rollout;
    /// Judges a canary against its baseline: per-metric evidence, score and decision.
    ///
    /// config: {"metrics": [{"name": str, "kind"?: "continuous" | "count" |
    ///   "quantile", "compare"?: "location" | "distribution", "direction"?:
    ///   "increase" | "decrease" | "either", "critical"?: bool, ...}],
    ///   "correction"?: "holm" | "bh" | "none", "thresholds"?: {"pass": 95,
    ///   "marginal": 75}, "groups"?: {group: weight}}
    /// data: {metric name: {"baseline": sample, "canary": sample}}, where a sample
    ///   is a list (or numpy array) of numbers, None for a missing value, or
    ///   counts {"events": n, "trials": n} / {"events": n, "exposure": x}.
    /// returns: {"decision": "promote" | "continue" | "rollback" | "inconclusive",
    ///   "score", "reasons", "metrics": {name: {"classification", "test",
    ///   "p_value", "effect", "ci", ...}}, "groups", "thresholds", ...}.
    /// Raises InvalidCanaryError (invalid_sample, invalid_count, ...).
    judge_canary(config, data) => canary;
    /// Starts watching a canary: the empty state to store and pass to `update_canary_watch`.
    ///
    /// config: the canary config of `judge_canary` ({"metrics": [...], "watch"?: {...}}).
    /// returns: the watch state {"version", "fingerprint", "looks", "metrics": {...}} to store.
    /// Raises InvalidCanaryError (invalid_config).
    start_canary_watch(config) => canary;
    /// Adds one batch of samples or counts per metric at time `at` and decides: `{state, verdict}`.
    ///
    /// config: the canary config the watch was started with; state: the stored watch state;
    ///   batch: {metric: {"baseline": samples | counts, "canary": ...}} of this interval;
    ///   at: RFC 3339 timestamp of the batch.
    /// returns: {"state": the new state to store, "verdict": {"decision", "metrics", "reasons", ...}}.
    /// Raises InvalidCanaryError (incompatible_state, invalid_config, invalid_sample).
    update_canary_watch(config, state, batch, at) => canary;
    /// Mann-Whitney U test with the Hodges-Lehmann shift `x - y` and its interval.
    ///
    /// x, y: samples (lists or numpy arrays of numbers; None is missing).
    /// alternative: "two-sided" | "greater" | "less"; confidence in (0, 1).
    /// returns: {"statistic", "z", "p_value", "estimate", "ci", "n_x", "n_y", ...}.
    mann_whitney(x, y, alternative = "two-sided", confidence = 0.95) => canary;
    /// Welch's t-test of `mean(x) - mean(y)`.
    ///
    /// x, y: samples; alternative and confidence as for mann_whitney.
    /// returns: {"statistic", "df", "p_value", "estimate", "ci", ...}.
    welch_t_test(x, y, alternative = "two-sided", confidence = 0.95) => canary;
    /// Two-sample two-sided Kolmogorov-Smirnov test.
    ///
    /// x, y: samples. returns: {"statistic", "p_value", ...}.
    ks_test(x, y) => canary;
    /// Compares two proportions (Fisher's exact test or the score test).
    ///
    /// events_x, trials_x, events_y, trials_y: whole numbers, events <= trials.
    /// alternative and confidence as for mann_whitney.
    /// returns: {"method", "p_value", "difference", "ratio", "ci", ...}.
    compare_proportions(events_x, trials_x, events_y, trials_y, alternative = "two-sided", confidence = 0.95) => canary;
    /// Compares two Poisson rates (exact conditional binomial test).
    ///
    /// events_x, exposure_x, events_y, exposure_y: event counts and exposures.
    /// alternative and confidence as for mann_whitney.
    /// returns: {"method", "p_value", "rate_x", "rate_y", "ratio", "ci", ...}.
    compare_rates(events_x, exposure_x, events_y, exposure_y, alternative = "two-sided", confidence = 0.95) => canary;
    /// Distribution-free confidence interval for a quantile.
    ///
    /// x: a sample; quantile in (0, 1), e.g. 0.99; confidence in (0, 1).
    /// returns: {"estimate", "ci", "ranks", "achieved_confidence", ...}.
    quantile_ci(x, quantile, confidence = 0.95) => canary;
    /// Compares one quantile (e.g. p99) of `x` and `y`.
    ///
    /// x, y: samples; quantile in (0, 1); alternative and confidence as for
    ///   mann_whitney. returns: {"p_value", "quantile_x", "quantile_y", "ci", ...}.
    compare_quantiles(x, y, quantile, alternative = "two-sided", confidence = 0.95) => canary;
    /// Holm or Benjamini-Hochberg adjusted p-values, in input order.
    ///
    /// p_values: a list of numbers in [0, 1]; method: "holm" | "bh" | "none".
    /// returns: the adjusted p-values, in input order.
    adjust_p_values(p_values, method = "holm") => canary;
    /// Anytime-valid sequential test of canary vs baseline event counts.
    ///
    /// looks: [[canary_events, baseline_events], ...], cumulative per look.
    /// allocation: the canary's share of traffic, in (0, 1); concentration: the
    ///   prior's strength (default 100); alpha: the false-alarm bound.
    /// returns: {"reject", "first_rejection", "p_value", "looks", ...}.
    sequential_count_test(looks, allocation, concentration = 100, alpha = 0.05) => canary;
    /// Risk of a change: probability, score, level and each factor's contribution.
    ///
    /// change: {"id": str, "author": str, "services": [str], "lines_added"?,
    ///   "lines_deleted"?, "files_changed"?, "kind"?: "feature" | "fix" | "config"
    ///   | "schema" | "infrastructure", "change_type"?: "standard" | "normal" |
    ///   "emergency", "has_migration"?, "reversible"?, "behind_feature_flag"?,
    ///   "tests"?, "security_scan"?, "approvals"?, "planned_start"?, ...}
    /// plan: as for order_services; model: a risk model (default_risk_model());
    /// history: [{"change": change, "failed": bool}]; context: {"calendar"?,
    ///   "business_hours"?, "peak_hours"?, "window"?}.
    /// returns: {"probability", "score" (0-100), "level": "low" | "medium" |
    ///   "high" | "critical", "factors": [reason with "value", "feature",
    ///   "weight", "contribution"], "not_assessed", ...}.
    assess_risk(change, plan = null, model = null, history = null, context = null) => change;
    /// The shipped default risk model.
    ///
    /// returns: {"baseline", "weights": [{"code", "weight", "center"?, ...}],
    ///   "levels", "training", ...}: pass it as `model` or to update_risk_model.
    default_risk_model() => change;
    /// Learns a risk model from `{change, failed}` outcomes.
    ///
    /// history: [{"change": change (see assess_risk), "failed": bool}].
    /// options: {"l2"?, "prior"?: "defaults" | "zero", "factors"?: [str],
    ///   "max_iterations"?, "history_prior_strength"?, "source"?}.
    /// returns: a risk model (as default_risk_model()).
    fit_risk_model(history, options = null) => change;
    /// Updates a risk model with new outcomes.
    ///
    /// model: a risk model; outcomes: [{"change": change, "failed": bool}].
    /// returns: the updated risk model.
    update_risk_model(model, outcomes) => change;
    /// Brier score, AUC and failures caught vs changes gated of a model on outcomes.
    ///
    /// model: a risk model; history: [{"change": change, "failed": bool}].
    /// returns: {"brier", "brier_skill", "log_loss", "auc", "caught_vs_gated", ...}.
    evaluate_risk_model(model, history) => change;
    /// Canary, blue-green or rolling for a change to a service, with reasons.
    ///
    /// service: {"id": str, "stateful"?, "schema_coupled"?, "spare_capacity"?,
    ///   "traffic_routing"?, "metric_quality"?: "none" | "poor" | "good",
    ///   "max_rollback_time"?, "deploy_duration"?}
    /// change: as for assess_risk; risk: any object with a "level" (a result of
    ///   assess_risk).
    /// returns: {"strategy": "canary" | "blue_green" | "rolling", "feature_flag",
    ///   "options": [{"strategy", "feasible", "score", "reasons_for",
    ///   "reasons_against"}], ...}.
    recommend_strategy(service, change, risk = null) => change;
    /// Approvals, segregation of duties, CAB, test depth and compliance evidence.
    ///
    /// change: as for assess_risk (with "approvals": [{"by", "role", "at"}],
    ///   "compliance"?: [str], ...); policy: {"rules"?: [{"levels"?,
    ///   "change_types"?, "approvals"?, "roles"?, "cab"?, "test_depth"?}],
    ///   "compliance"?: {tag: {"evidence": [str]}}, "cab_role"?, ...}; risk: any
    ///   object with a "level".
    /// returns: {"allowed": bool, "required", "missing", "violations", "notes",
    ///   "approvers", ...}, each finding a reason.
    evaluate_governance(change, policy, risk) => change;
    /// Appends a decision to a hash-chained change log.
    ///
    /// log_tail: the last record of the log, or None for a new log.
    /// record: {"inputs": any JSON, "outputs": any JSON, "kind"?: str, "at"?:
    ///   timestamp}.
    /// returns: the new record {"sequence", "previous_hash", "kind", "inputs",
    ///   "outputs", "hash", "at"?}: append it to your log.
    append_change_record(log_tail, record) => change;
    /// Starts a release: the stored state to pass to advance_release.
    ///
    /// plan: the plan (see order_services), with "regions" and "rollout"
    ///   (its "analysis" and "escalation" sections drive the watches).
    /// start: RFC 3339 timestamp of the release's start.
    /// options: {"analysis"?: canary config, "escalation"?: {"rules", "notify"},
    ///   "watch_all_waves"?: bool, "approval_waves"?: [wave numbers, from 1],
    ///   "auto_rollback"?: bool}.
    /// returns: the state {"version", "fingerprint", "release", "status",
    ///   "waves", "failed_steps", "watches", "history", ...}: store it as is.
    start_release(plan, start, options = null) => release;
    /// Applies the events since the last call and decides what to do now.
    ///
    /// plan: the plan the state was started with.
    /// state: the state from start_release or the last advance_release.
    /// events: [{"type": "step_started" | "step_finished" | "metrics" |
    ///   "check" | "approval" | "pause" | "resume" | "abort", ...}]
    ///   (steps named by "region", "service", "stage").
    /// now: RFC 3339 timestamp, not before the state's last time.
    /// returns: {"state", "status", "actions": [{"type": "deploy" |
    ///   "run_checks" | "wait" | "roll_back" | "escalate" | "done", ...}],
    ///   "reasons", "record"}: "record" is for append_change_record.
    advance_release(plan, state, events, now) => release;
    /// Fills a notification template's {placeholder}s from a context.
    ///
    /// template: "incident", "downtime" or a template text.
    /// context: an object (an escalate action, or your own fields).
    /// returns: the text; a placeholder with no value is unknown_placeholder.
    render_notification(template, context) => release;
    /// Go, go with conditions or no go before a release starts.
    ///
    /// plan: the plan to release; change: the change (see assess_risk).
    /// context: {"start"?, "model"?, "history"?, "risk_context"?, "policy"?,
    ///   "service"?, "block_at"?, "conditions_at"?}.
    /// returns: {"decision": "go" | "go_with_conditions" | "no_go",
    ///   "blocking", "conditions", "reasons", "risk_level", "risk_score", ...}.
    evaluate_release_readiness(plan, change, context = null) => release;
    /// Verifies a change log (against a trusted checkpoint when given) and names the first record whose chain breaks.
    ///
    /// records: the log's records in order; checkpoint: {"length", "head_hash"}
    ///   from an earlier verification, or None.
    /// returns: {"valid": bool, "records", "first_broken", "problem",
    ///   "explanation", "head_hash", "checkpoint"}.
    verify_change_log(records, checkpoint = null) => change;
    /// Parity of environments along a promotion path: drift, allowed differences, ahead, per pair.
    ///
    /// environments: [{"id", "tier", "services"?: {id: {"version", ...}}, "infrastructure"?, ...}];
    ///   promotion_path: [environment id]; rules: {"allow"?: [{"path"}], "blocking"?: [...]}.
    /// returns: {"pairs": [{"from", "to", "parity_score", "findings": [...], "blocking"}], ...}.
    /// Raises InvalidEnvironmentError (unknown_environment), InvalidPlanError (duplicate_id).
    check_parity(environments, promotion_path, rules = null) => environments;
    /// Whether an artifact may be promoted along the path, given where it has been deployed.
    ///
    /// promotion_path: [environment id]; deployments: [{"environment", "version", "artifact_digest", ...}];
    ///   artifact: {"version", "digest"}; rules: per-stage gates and minimum soak.
    /// returns: {"allowed", "stages": [...], "reasons": [...]}.
    /// Raises InvalidEnvironmentError (unknown_environment).
    check_promotion(promotion_path, deployments, artifact, rules = null) => environments;
    /// Migration state per environment (applied, pending, problems) and the order to apply them.
    ///
    /// migrations: [{"version", "checksum", "phase"?: "expand" | "contract"}];
    ///   environments: [{"environment", "applied"?: [{"version", "checksum"}]}] along the path.
    /// returns: {"environments": [...], "steps": [{"round", "environment", "version", "phase"}]}.
    /// Raises InvalidPlanError (duplicate_id), invalid_input for a malformed version.
    plan_migrations(migrations, environments) => environments;
    /// Grant, needs approval or deny an access request to an environment, with a record to log.
    ///
    /// request: {"requester", "environment", "duration", "ticket"?, "approver"?, "break_glass"?};
    ///   policy: {"on_call"?: [str], "environments": {id: {...}}}; now: RFC 3339 timestamp.
    /// returns: {"decision", "approvers", "expires_at"?, "reasons", "record"}.
    /// Raises InvalidEnvironmentError (unknown_environment), InvalidCalendarError (invalid_timestamp).
    evaluate_access(request, policy, now) => environments;
    /// Environments to tear down (never production or protected), with the cost saved.
    ///
    /// environments: environment specs; policy: {"max_idle"?, "budget"?, ...} or None; now: RFC 3339.
    /// returns: {"candidates": [...], "kept": [...], "monthly_cost_saved"}.
    /// Raises InvalidCalendarError (invalid_timestamp).
    teardown_candidates(environments, policy, now) => environments;
    /// What to deploy, stub or share to test services in isolation, from the dependency graph.
    ///
    /// plan: a release plan; services: [service id] under test; options: {"shared"?: [str], ...}.
    /// returns: {"deploy_order": [[str]], "dependencies": [...], "reasons": [...]}.
    /// Raises InvalidPlanError (unknown_service, dependency_cycle, ...).
    isolation_plan(plan, services, options = null) => environments;
    /// DORA delivery metrics (deployment frequency, lead time, change failure rate, time to restore) with tiers.
    ///
    /// deployments: [{"id", "service", "started_at", "finished_at", "status", "commits"?: [...]}];
    ///   incidents: [{"id", "created_at", "resolved_at"?, "caused_by"?: [str]}];
    ///   options: {"from"?, "to"?, "group_by"?, "series"?, "report_year"?}; plan: for team owners.
    /// returns: {"totals": {...}, "groups"?: [...], "series"?: [...]}.
    /// Raises InvalidDeliveryError (duplicate_record, unknown_deployment, unknown_report_year).
    dora_metrics(deployments, incidents, options = null, plan = null) => delivery;
    /// Maturity level 1-5 per practice area, with evidence and next practices.
    ///
    /// metrics: the `totals` of `dora_metrics` or None; practices: {practice id: bool}.
    /// returns: {"areas": [{"area", "level", "evidence", "next_practices"}], ...}.
    /// Raises InvalidDeliveryError (unknown_field for an unknown practice).
    assess_maturity(metrics, practices) => delivery;
    /// A unit's bucket for a flag: Unleash 1-100, flagd 0-99.
    ///
    /// flag_key: str; unit_id: str; algorithm: "unleash" (default) or "flagd".
    /// returns: int, the bucket.
    /// Raises an error at `algorithm` for an unknown algorithm.
    flag_bucket(flag_key, unit_id, algorithm = null) => delivery;
    /// Whether a unit gets a flag and which variant, as Unleash or flagd decides.
    ///
    /// flag: {"key", "percentage"?, "algorithm"?, "variants"?: [{"name", "weight"}]}; unit_id: str.
    /// returns: {"enabled", "variant"?, "bucket", "reasons"}.
    /// Raises InvalidDeliveryError (invalid_percentage).
    flag_enabled(flag, unit_id) => delivery;
    /// Who a flag exposes in a population: counts and shares per variant against the rollout.
    ///
    /// flag: as for `flag_enabled`; population: [unit id] or {"count", "sample"?, "seed"?}.
    /// returns: {"enabled": {"units", "share", ...}, "variants": [...]}.
    /// Raises InvalidDeliveryError (invalid_percentage).
    flag_exposure(flag, population) => delivery;
}
