//! The functions the bindings export: name, parameters and the one body that
//! both Python and Node run, so the two cannot drift apart.

use super::args::{Args, Outcome, Param};
use super::host::Host;
use crate::stats;
use crate::{
    CalendarSpec, CanaryConfig, CanaryData, Change, ChangeOutcome, ChangeRecord, ChangeRecordInput,
    Checkpoint, DurationSecs, FitOptions, GovernancePolicy, HaltedAt, Plan, RiskContext, RiskModel,
    Schedule, ServiceProfile,
};

/// One exported function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    /// Which one.
    pub api: Api,
    /// Its snake_case name (Node exports it in camelCase).
    pub name: &'static str,
    /// Its parameters, in order.
    pub params: &'static [Param],
    /// One line saying what it does.
    pub doc: &'static str,
}

macro_rules! functions {
    ($(
        #[doc = $doc:literal]
        $name:ident($($param:ident $(= $default:tt)?),*) |$a:ident| $body:expr;
    )*) => {
        /// Every exported function.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Api {
            $(
                #[doc = $doc]
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
                doc: $doc,
            },
        )*];

        fn dispatch<H: Host>(api: Api, args: &Args<'_, H>) -> Outcome<H> {
            match api {
                $(Api::$name => {
                    let $a = args;
                    $body
                })*
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
    order_services(plan) |a| {
        let plan: Plan = a.doc(0)?;
        a.finish(move || crate::order_services(&plan))
    };
    /// Transitive dependents of the requested services (default: all).
    blast_radius(plan, services = null) |a| {
        let plan: Plan = a.doc(0)?;
        let services: Option<Vec<String>> = a.opt(1)?;
        a.finish(move || crate::blast_radius(&plan, services.as_deref()))
    };
    /// Schedule with at most `max_parallel` deployments at once.
    schedule_services(plan, max_parallel) |a| {
        let plan: Plan = a.doc(0)?;
        let max_parallel = a.count(1, 1)?;
        a.finish(move || crate::schedule_services(&plan, max_parallel))
    };
    /// Whether a deployment of `duration` may start at `at` under `calendar`.
    check_window(calendar, at, duration) |a| {
        let calendar: CalendarSpec = a.doc(0)?;
        let at = a.time(1)?;
        let duration: DurationSecs = a.arg(2)?;
        a.finish(move || crate::check_window(&calendar, at, duration))
    };
    /// Earliest start at or after `after` where a deployment of `duration` fits.
    next_window(calendar, after, duration, horizon = null) |a| {
        let calendar: CalendarSpec = a.doc(0)?;
        let after = a.time(1)?;
        let duration: DurationSecs = a.arg(2)?;
        let horizon = a.opt(3)?.unwrap_or(crate::window::DEFAULT_HORIZON);
        a.finish(move || crate::next_window(&calendar, after, duration, horizon))
    };
    /// The multi-region rollout schedule of a plan starting at `start`.
    schedule_rollout(plan, start) |a| {
        let plan: Plan = a.doc(0)?;
        let start = a.time(1)?;
        a.finish(move || crate::schedule_rollout(&plan, start))
    };
    /// What to undo when a rollout halts at a step or a time.
    rollback_plan(schedule, halted_at) |a| {
        let schedule: Schedule = a.doc(0)?;
        let halted_at: HaltedAt = a.arg(1)?;
        a.finish(move || crate::rollback_plan(&schedule, &halted_at))
    };
    /// Mermaid Gantt text of a schedule.
    to_mermaid_gantt(schedule) |a| {
        let schedule: Schedule = a.doc(0)?;
        a.finish(move || crate::to_mermaid_gantt(&schedule))
    };
    /// Judges a canary against its baseline: per-metric evidence, score and decision.
    judge_canary(config, data) |a| {
        let config: CanaryConfig = a.canary(0, "")?;
        let data: CanaryData = a.canary(1, "data")?;
        a.finish(move || crate::judge_canary(&config, &data))
    };
    /// Starts watching a canary: the empty state to store and pass to `update_canary_watch`.
    start_canary_watch(config) |a| {
        let config: CanaryConfig = a.canary(0, "")?;
        a.finish(move || crate::start_canary_watch(&config))
    };
    /// Adds one batch of samples or counts per metric at time `at` and decides: `{state, verdict}`.
    update_canary_watch(config, state, batch, at) |a| {
        let config: CanaryConfig = a.canary(0, "")?;
        let state: crate::WatchState = a.watch_state(1)?;
        let batch: CanaryData = a.canary(2, "batch")?;
        let at = a.time(3)?;
        a.finish(move || crate::update_canary_watch(&config, &state, &batch, at))
    };
    /// Mann-Whitney U test with the Hodges-Lehmann shift `x - y` and its interval.
    mann_whitney(x, y, alternative = "two-sided", confidence = 0.95) |a| {
        let (x, y) = (a.samples(0)?, a.samples(1)?);
        let (alternative, confidence) = a.test_options(2)?;
        a.finish(move || stats::mann_whitney_owned(x, y, alternative, confidence))
    };
    /// Welch's t-test of `mean(x) - mean(y)`.
    welch_t_test(x, y, alternative = "two-sided", confidence = 0.95) |a| {
        let (x, y) = (a.samples(0)?, a.samples(1)?);
        let (alternative, confidence) = a.test_options(2)?;
        a.finish(move || stats::welch_t_test(&x, &y, alternative, confidence))
    };
    /// Two-sample two-sided Kolmogorov-Smirnov test.
    ks_test(x, y) |a| {
        let (x, y) = (a.samples(0)?, a.samples(1)?);
        a.finish(move || stats::ks_test(&x, &y))
    };
    /// Compares two proportions (Fisher's exact test or the score test).
    compare_proportions(events_x, trials_x, events_y, trials_y, alternative = "two-sided", confidence = 0.95) |a| {
        let (ex, tx, ey, ty) = (a.number(0)?, a.number(1)?, a.number(2)?, a.number(3)?);
        let (alternative, confidence) = a.test_options(4)?;
        a.finish(move || stats::compare_proportions(ex, tx, ey, ty, alternative, confidence))
    };
    /// Compares two Poisson rates (exact conditional binomial test).
    compare_rates(events_x, exposure_x, events_y, exposure_y, alternative = "two-sided", confidence = 0.95) |a| {
        let (ex, ux, ey, uy) = (a.number(0)?, a.number(1)?, a.number(2)?, a.number(3)?);
        let (alternative, confidence) = a.test_options(4)?;
        a.finish(move || stats::compare_rates(ex, ux, ey, uy, alternative, confidence))
    };
    /// Distribution-free confidence interval for a quantile.
    quantile_ci(x, quantile, confidence = 0.95) |a| {
        let x = a.samples(0)?;
        let (quantile, confidence) = (a.number(1)?, a.number_or(2, 0.95)?);
        a.finish(move || stats::quantile_ci(&x, quantile, confidence))
    };
    /// Compares one quantile (e.g. p99) of `x` and `y`.
    compare_quantiles(x, y, quantile, alternative = "two-sided", confidence = 0.95) |a| {
        let (x, y) = (a.samples(0)?, a.samples(1)?);
        let quantile = a.number(2)?;
        let (alternative, confidence) = a.test_options(3)?;
        a.finish(move || stats::compare_quantiles(&x, &y, quantile, alternative, confidence))
    };
    /// Holm or Benjamini-Hochberg adjusted p-values, in input order.
    adjust_p_values(p_values, method = "holm") |a| {
        let p = a.samples(0)?;
        let method = a.correction(1)?;
        a.finish(move || stats::adjust_p_values(&p, method))
    };
    /// Anytime-valid sequential test of canary vs baseline event counts.
    sequential_count_test(looks, allocation, concentration = 100, alpha = 0.05) |a| {
        let looks: Vec<[f64; 2]> = a.canary(0, "looks")?;
        let allocation = a.number(1)?;
        let (concentration, alpha) = (a.number_or(2, 100.0)?, a.number_or(3, 0.05)?);
        a.finish(move || stats::sequential_count_test(&looks, allocation, concentration, alpha))
    };
    /// Risk of a change: probability, score, level and each factor's contribution.
    assess_risk(change, plan = null, model = null, history = null, context = null) |a| {
        let change: Change = a.doc(0)?;
        let plan: Option<Plan> = a.opt(1)?;
        let model: Option<RiskModel> = a.opt(2)?;
        let history: Option<Vec<ChangeOutcome>> = a.opt(3)?;
        let context: Option<RiskContext> = a.opt(4)?;
        a.finish(move || {
            crate::assess_risk(
                &change,
                plan.as_ref(),
                model.as_ref(),
                history.as_deref(),
                context.as_ref(),
            )
        })
    };
    /// The shipped default risk model.
    default_risk_model() |a| a.finish(|| Ok(crate::default_risk_model()));
    /// Learns a risk model from `{change, failed}` outcomes.
    fit_risk_model(history, options = null) |a| {
        let history: Vec<ChangeOutcome> = a.doc(0)?;
        let options: Option<FitOptions> = a.opt(1)?;
        a.finish(move || crate::fit_risk_model(&history, options.as_ref()))
    };
    /// Updates a risk model with new outcomes.
    update_risk_model(model, outcomes) |a| {
        let model: RiskModel = a.doc(0)?;
        let outcomes: Vec<ChangeOutcome> = a.arg(1)?;
        a.finish(move || crate::update_risk_model(&model, &outcomes))
    };
    /// Brier score, AUC and failures caught vs changes gated of a model on outcomes.
    evaluate_risk_model(model, history) |a| {
        let model: RiskModel = a.doc(0)?;
        let history: Vec<ChangeOutcome> = a.arg(1)?;
        a.finish(move || crate::evaluate_risk_model(&model, &history))
    };
    /// Canary, blue-green or rolling for a change to a service, with reasons.
    recommend_strategy(service, change, risk = null) |a| {
        let service: ServiceProfile = a.doc(0)?;
        let change: Change = a.arg(1)?;
        let risk: Option<crate::strategy::RiskRef> = a.opt(2)?;
        a.finish(move || crate::recommend_strategy(&service, &change, risk.as_ref()))
    };
    /// Approvals, segregation of duties, CAB, test depth and compliance evidence.
    evaluate_governance(change, policy, risk) |a| {
        let change: Change = a.doc(0)?;
        let policy: GovernancePolicy = a.arg(1)?;
        let risk: crate::strategy::RiskRef = a.arg(2)?;
        a.finish(move || crate::evaluate_governance(&change, &policy, &risk))
    };
    /// Appends a decision to a hash-chained change log.
    append_change_record(log_tail, record) |a| {
        let tail: Option<ChangeRecord> = a.opt(0)?;
        let record: ChangeRecordInput = a.arg(1)?;
        a.finish(move || crate::append_change_record(tail.as_ref(), &record))
    };
    /// Starts a release: the stored state (schedule, per-step status, watches, policy) to pass to `advance_release`.
    start_release(plan, start, options = null) |a| {
        let plan: Plan = a.doc(0)?;
        let start = a.time(1)?;
        let options: Option<crate::release::ReleaseOptions> = a.opt(2)?;
        a.finish(move || crate::start_release(&plan, start, options.as_ref()))
    };
    /// Applies the events since the last call and decides at `now`: `{state, status, actions, reasons, record}`.
    advance_release(plan, state, events, now) |a| {
        let plan: Plan = a.doc(0)?;
        let state: serde_json::Value = a.arg(1)?;
        let events: serde_json::Value = a.arg(2)?;
        let now = a.time(3)?;
        a.finish(move || {
            let state = crate::release::parse_state(state)?;
            let events = crate::release::parse_events(events)?;
            crate::advance_release(&plan, &state, &events, now)
        })
    };
    /// Fills a `{placeholder}` template (`"incident"`, `"downtime"` or a template text) from a context object.
    render_notification(template, context) |a| {
        let template: String = a.arg(0)?;
        let context: serde_json::Value = a.arg(1)?;
        a.finish(move || crate::render_notification(&template, &context))
    };
    /// Go, go with conditions or no go before a release: risk, governance, calendar and strategy.
    evaluate_release_readiness(plan, change, context = null) |a| {
        let plan: Plan = a.doc(0)?;
        let change: Change = a.arg(1)?;
        let context: Option<crate::release::ReadinessContext> = a.opt(2)?;
        a.finish(move || {
            crate::evaluate_release_readiness(&plan, &change, &context.unwrap_or_default())
        })
    };
    /// Verifies a change log (against a trusted checkpoint when given) and names the first record whose chain breaks.
    verify_change_log(records, checkpoint = null) |a| {
        // A list is verified one record at a time: memory stays flat for any length.
        let checkpoint: Option<Checkpoint> = a.opt(1)?;
        let mut verifier = crate::changelog::ChangeLogVerifier::new(checkpoint.as_ref())?;
        a.each_doc(0, |record: ChangeRecord| verifier.push(&record))?;
        a.finish(move || Ok(verifier.finish()))
    };
}
