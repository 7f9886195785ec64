//! Every public entry point that takes documents, callable by its snake_case
//! name with positional JSON arguments — the way the bindings and the shared
//! vectors call them — with the result checked against its invariants.
//!
//! Arguments come either as JSON text, read with [`rollgate::wire::from_json`]
//! (the `json_text` target), or as parsed values, read with
//! [`rollgate::wire::from_value`] (the `json_structured` target, closer to
//! the tree-shaped deserializers of the bindings).

use rollgate::stats::{self, Alternative, Correction};
use rollgate::{verdict, wire, Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::check;

/// A public function: its name and its parameter names, in order. The name
/// `""` is the main document, whose error paths start with `/`; the others
/// prefix error paths (`services/1`, `max_parallel`).
pub struct Function {
    /// The snake_case name, as in the bindings and `tests/vectors`.
    pub name: &'static str,
    /// Parameter names.
    pub params: &'static [&'static str],
}

const fn f(name: &'static str, params: &'static [&'static str]) -> Function {
    Function { name, params }
}

/// Every entry point the JSON targets call.
pub const FUNCTIONS: &[Function] = &[
    f("order_services", &[""]),
    f("blast_radius", &["", "services"]),
    f("schedule_services", &["", "max_parallel"]),
    f("check_window", &["", "at", "duration"]),
    f("next_window", &["", "after", "duration", "horizon"]),
    f("schedule_rollout", &["", "start"]),
    f("rollback_plan", &["", "halted_at"]),
    f("to_mermaid_gantt", &[""]),
    f("judge_canary", &["", "data"]),
    f("assess_risk", &["", "plan", "model", "history", "context"]),
    f("fit_risk_model", &["", "options"]),
    f("update_risk_model", &["", "outcomes"]),
    f("evaluate_risk_model", &["", "history"]),
    f("recommend_strategy", &["", "change", "risk"]),
    f("evaluate_governance", &["", "policy", "risk"]),
    f("append_change_record", &["log_tail", "record"]),
    f("verify_change_log", &[""]),
    f("mann_whitney", &["x", "y", "alternative", "confidence"]),
    f("welch_t_test", &["x", "y", "alternative", "confidence"]),
    f("ks_test", &["x", "y"]),
    f(
        "compare_proportions",
        &[
            "events_x",
            "trials_x",
            "events_y",
            "trials_y",
            "alternative",
            "confidence",
        ],
    ),
    f(
        "compare_rates",
        &[
            "events_x",
            "exposure_x",
            "events_y",
            "exposure_y",
            "alternative",
            "confidence",
        ],
    ),
    f("quantile_ci", &["x", "quantile", "confidence"]),
    f(
        "compare_quantiles",
        &["x", "y", "quantile", "alternative", "confidence"],
    ),
    f("adjust_p_values", &["p_values", "method"]),
    f(
        "sequential_count_test",
        &["looks", "allocation", "concentration", "alpha"],
    ),
];

/// The function called `name`.
pub fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Positional arguments, as JSON text or as values.
pub enum Args<'a> {
    /// Each argument's JSON text.
    Text(Vec<&'a str>),
    /// Each argument's value.
    Values(&'a [Value]),
}

impl Args<'_> {
    /// Reads argument `i` (a missing one is `null`); a non-empty `name`
    /// prefixes error paths, as the bindings do.
    fn get<T: DeserializeOwned>(&self, i: usize, name: &str) -> Result<T> {
        let read = match self {
            Args::Text(texts) => wire::from_json(texts.get(i).copied().unwrap_or("null")),
            Args::Values(values) => wire::from_value(values.get(i).cloned().unwrap_or(Value::Null)),
        };
        read.map_err(|e| {
            if name.is_empty() {
                e
            } else {
                e.with_path_prefix(name)
            }
        })
    }

    /// Argument `i` as a parsed value, when it is valid JSON (for checking
    /// that error paths point into it).
    pub fn value(&self, i: usize) -> Option<Value> {
        match self {
            Args::Text(texts) => match texts.get(i) {
                Some(text) => serde_json::from_str(text).ok(),
                None => Some(Value::Null),
            },
            Args::Values(values) => Some(values.get(i).cloned().unwrap_or(Value::Null)),
        }
    }

    /// A number argument; `default` when missing or `null`.
    fn number(&self, i: usize, name: &str, default: f64) -> Result<f64> {
        Ok(self.get::<Option<f64>>(i, name)?.unwrap_or(default))
    }

    /// A whole-number argument of at least `min`.
    fn count(&self, i: usize, name: &str, min: usize) -> Result<usize> {
        let value = self.get::<Option<f64>>(i, name)?.unwrap_or(f64::NAN);
        rollgate::ffi::count_arg(name, value, min)
    }

    /// A timestamp argument (RFC 3339 text).
    fn time(&self, i: usize, name: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
        let text: String = self.get(i, name)?;
        rollgate::window::parse_timestamp(name, &text)
    }

    /// A sample: numbers, `null` for NaN (as the bindings read them).
    fn sample(&self, i: usize, name: &str) -> Result<Vec<f64>> {
        let list: Vec<Option<f64>> = self
            .get(i, "")
            .map_err(|e| verdict::as_canary_error(e, name))?;
        Ok(list.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }

    fn alternative(&self, i: usize) -> Result<Alternative> {
        match self.get::<Option<String>>(i, "alternative")? {
            Some(text) => Alternative::parse(&text, "alternative"),
            None => Ok(Alternative::TwoSided),
        }
    }
}

/// Serialises a checked result; the value is what determinism checks compare.
fn out<T: Serialize>(result: Result<T>) -> Result<Value> {
    let value = result?;
    check::numbers(&value);
    Ok(serde_json::to_value(&value).unwrap_or_else(|e| panic!("result does not serialise: {e}")))
}

/// Calls `function` with `args`, checks the invariants of its result (panics
/// on a violation) and returns the result as JSON, or its error. Errors are
/// checked by the caller ([`errors::error`](crate::errors::error)), which knows the arguments.
pub fn call(function: &Function, args: &Args) -> Result<Value> {
    match function.name {
        "order_services" => {
            let plan: rollgate::Plan = args.get(0, "")?;
            let order = rollgate::order_services(&plan)?;
            check::order(&plan, &order);
            out(Ok(order))
        }
        "blast_radius" => {
            let plan: rollgate::Plan = args.get(0, "")?;
            let services: Option<Vec<String>> = args.get(1, "services")?;
            let radius = rollgate::blast_radius(&plan, services.as_deref())?;
            check::blast(&plan, &radius);
            out(Ok(radius))
        }
        "schedule_services" => {
            let plan: rollgate::Plan = args.get(0, "")?;
            let max_parallel = args.count(1, "max_parallel", 1)?;
            let schedule = rollgate::schedule_services(&plan, max_parallel)?;
            check::parallel(&plan, max_parallel, &schedule);
            out(Ok(schedule))
        }
        "check_window" => {
            let calendar: rollgate::CalendarSpec = args.get(0, "")?;
            let at = args.time(1, "at")?;
            let duration: rollgate::DurationSecs = args.get(2, "duration")?;
            let result = rollgate::check_window(&calendar, at, duration)?;
            check::window_check(&calendar, at, duration, &result);
            out(Ok(result))
        }
        "next_window" => {
            let calendar: rollgate::CalendarSpec = args.get(0, "")?;
            let after = args.time(1, "after")?;
            let duration: rollgate::DurationSecs = args.get(2, "duration")?;
            let horizon: Option<rollgate::DurationSecs> = args.get(3, "horizon")?;
            let horizon = horizon.unwrap_or(rollgate::window::DEFAULT_HORIZON);
            let slot = rollgate::next_window(&calendar, after, duration, horizon)?;
            check::window_slot(&calendar, after, duration, horizon, &slot);
            out(Ok(slot))
        }
        "schedule_rollout" => {
            let plan: rollgate::Plan = args.get(0, "")?;
            let start = args.time(1, "start")?;
            let schedule = rollgate::schedule_rollout(&plan, start)?;
            check::rollout(&plan, &schedule);
            out(Ok(schedule))
        }
        "rollback_plan" => {
            let schedule: rollgate::Schedule = args.get(0, "")?;
            let halted_at: rollgate::HaltedAt = args.get(1, "halted_at")?;
            out(rollgate::rollback_plan(&schedule, &halted_at))
        }
        "to_mermaid_gantt" => {
            let schedule: rollgate::Schedule = args.get(0, "")?;
            out(rollgate::to_mermaid_gantt(&schedule))
        }
        "judge_canary" => {
            let config = verdict::parse_config(args.get(0, "")?)?;
            let data = verdict::parse_data(args.get(1, "data")?)?;
            let result = verdict::judge_canary(&config, &data)?;
            check::canary(&result);
            out(Ok(result))
        }
        "assess_risk" => {
            let change: rollgate::Change = args.get(0, "")?;
            let plan: Option<rollgate::Plan> = args.get(1, "plan")?;
            let model: Option<rollgate::RiskModel> = args.get(2, "model")?;
            let history: Option<Vec<rollgate::ChangeOutcome>> = args.get(3, "history")?;
            let context: Option<rollgate::RiskContext> = args.get(4, "context")?;
            out(rollgate::assess_risk(
                &change,
                plan.as_ref(),
                model.as_ref(),
                history.as_deref(),
                context.as_ref(),
            ))
        }
        "fit_risk_model" => {
            let history: Vec<rollgate::ChangeOutcome> = args.get(0, "")?;
            let options: Option<rollgate::FitOptions> = args.get(1, "options")?;
            let model = rollgate::fit_risk_model(&history, options.as_ref())?;
            check::fitted_model(&model, &history);
            out(Ok(model))
        }
        "update_risk_model" => {
            let model: rollgate::RiskModel = args.get(0, "")?;
            let outcomes: Vec<rollgate::ChangeOutcome> = args.get(1, "outcomes")?;
            let updated = rollgate::update_risk_model(&model, &outcomes)?;
            check::fitted_model(&updated, &outcomes);
            out(Ok(updated))
        }
        "evaluate_risk_model" => {
            let model: rollgate::RiskModel = args.get(0, "")?;
            let history: Vec<rollgate::ChangeOutcome> = args.get(1, "history")?;
            out(rollgate::evaluate_risk_model(&model, &history))
        }
        "recommend_strategy" => {
            let service: rollgate::ServiceProfile = args.get(0, "")?;
            let change: rollgate::Change = args.get(1, "change")?;
            let risk: Option<rollgate::strategy::RiskRef> = args.get(2, "risk")?;
            out(rollgate::recommend_strategy(
                &service,
                &change,
                risk.as_ref(),
            ))
        }
        "evaluate_governance" => {
            let change: rollgate::Change = args.get(0, "")?;
            let policy: rollgate::GovernancePolicy = args.get(1, "policy")?;
            let risk: rollgate::strategy::RiskRef = args.get(2, "risk")?;
            out(rollgate::evaluate_governance(&change, &policy, &risk))
        }
        "append_change_record" => {
            let tail: Option<rollgate::ChangeRecord> = args.get(0, "log_tail")?;
            let input: rollgate::ChangeRecordInput = args.get(1, "record")?;
            let record = rollgate::append_change_record(tail.as_ref(), &input)?;
            check::appended(tail.as_ref(), &input, &record);
            out(Ok(record))
        }
        "verify_change_log" => {
            let records: Vec<rollgate::ChangeRecord> = args.get(0, "")?;
            let verification = rollgate::verify_change_log(&records, None)?;
            check::verification(&records, &verification);
            out(Ok(verification))
        }
        "mann_whitney" => {
            let (x, y) = (args.sample(0, "x")?, args.sample(1, "y")?);
            let alternative = args.alternative(2)?;
            let confidence = args.number(3, "confidence", 0.95)?;
            let r = stats::mann_whitney(&x, &y, alternative, confidence)?;
            check::mann_whitney(&x, &y, &r);
            out(Ok(r))
        }
        "welch_t_test" => {
            let (x, y) = (args.sample(0, "x")?, args.sample(1, "y")?);
            let alternative = args.alternative(2)?;
            let confidence = args.number(3, "confidence", 0.95)?;
            let Some(r) =
                crate::known::welch(|| stats::welch_t_test(&x, &y, alternative, confidence))
            else {
                return Ok(Value::String("known issue 9: statrs beta panic".into()));
            };
            let r = r?;
            check::welch(&r);
            out(Ok(r))
        }
        "ks_test" => {
            let (x, y) = (args.sample(0, "x")?, args.sample(1, "y")?);
            let r = stats::ks_test(&x, &y)?;
            check::ks(&r);
            out(Ok(r))
        }
        "compare_proportions" => {
            let n = |i, name| args.number(i, name, f64::NAN);
            let (ex, tx) = (n(0, "events_x")?, n(1, "trials_x")?);
            let (ey, ty) = (n(2, "events_y")?, n(3, "trials_y")?);
            let alternative = args.alternative(4)?;
            let confidence = args.number(5, "confidence", 0.95)?;
            let r = stats::compare_proportions(ex, tx, ey, ty, alternative, confidence)?;
            check::proportions(&r);
            out(Ok(r))
        }
        "compare_rates" => {
            let n = |i, name| args.number(i, name, f64::NAN);
            let (ex, tx) = (n(0, "events_x")?, n(1, "exposure_x")?);
            let (ey, ty) = (n(2, "events_y")?, n(3, "exposure_y")?);
            let alternative = args.alternative(4)?;
            let confidence = args.number(5, "confidence", 0.95)?;
            let r = stats::compare_rates(ex, tx, ey, ty, alternative, confidence)?;
            check::rates(&r);
            out(Ok(r))
        }
        "quantile_ci" => {
            let x = args.sample(0, "x")?;
            let quantile = args.number(1, "quantile", f64::NAN)?;
            let confidence = args.number(2, "confidence", 0.95)?;
            let r = stats::quantile_ci(&x, quantile, confidence)?;
            check::quantile_interval(&x, confidence, &r);
            out(Ok(r))
        }
        "compare_quantiles" => {
            let (x, y) = (args.sample(0, "x")?, args.sample(1, "y")?);
            let quantile = args.number(2, "quantile", f64::NAN)?;
            let alternative = args.alternative(3)?;
            let confidence = args.number(4, "confidence", 0.95)?;
            let r = stats::compare_quantiles(&x, &y, quantile, alternative, confidence)?;
            check::quantile_comparison(&r);
            out(Ok(r))
        }
        "adjust_p_values" => {
            let p = args.sample(0, "p_values")?;
            let method = match args.get::<Option<String>>(1, "method")? {
                Some(text) => Correction::parse(&text, "method")?,
                None => Correction::Holm,
            };
            let adjusted = stats::adjust_p_values(&p, method)?;
            check::adjusted(&p, method, &adjusted);
            out(Ok(adjusted))
        }
        "sequential_count_test" => {
            let looks: Vec<[f64; 2]> = args
                .get(0, "")
                .map_err(|e| verdict::as_canary_error(e, "looks"))?;
            let allocation = args.number(1, "allocation", f64::NAN)?;
            let concentration = args.number(2, "concentration", 100.0)?;
            let alpha = args.number(3, "alpha", 0.05)?;
            let r = stats::sequential_count_test(&looks, allocation, concentration, alpha)?;
            check::sequential(&looks, alpha, &r);
            out(Ok(r))
        }
        other => Err(Error::invalid_input(
            "",
            format!("the fuzz dispatcher does not know {other}"),
        )),
    }
}

/// Calls `function` and checks whatever comes back: the result's invariants
/// inside [`call`], an error's code and path here.
pub fn call_checked(function: &Function, args: &Args) -> Result<Value> {
    let result = call(function, args);
    if let Err(err) = &result {
        crate::errors::error(function, args, err);
    }
    result
}
