//! Vector dispatch for the statistical kernels, `judge_canary` and the
//! canary watch (`start_canary_watch`, `update_canary_watch`).

use rollgate::stats::{self, Alternative, Correction};
use rollgate::verdict;
use serde_json::Value;

use crate::common::out;

/// A sample argument: numbers, `null` for NaN (as the bindings read them).
fn sample(input: &[Value], i: usize, name: &str) -> rollgate::Result<Vec<f64>> {
    let value = input.get(i).cloned().unwrap_or(Value::Null);
    let rollgate::wire::Samples(list) =
        rollgate::wire::from_value(value).map_err(|e| rollgate::ffi::as_canary_error(e, name))?;
    Ok(list)
}

fn number(input: &[Value], i: usize, default: f64) -> f64 {
    input.get(i).and_then(Value::as_f64).unwrap_or(default)
}

fn alternative(input: &[Value], i: usize) -> rollgate::Result<Alternative> {
    match input.get(i).and_then(Value::as_str) {
        Some(s) => Alternative::parse(s, "alternative"),
        None => Ok(Alternative::TwoSided),
    }
}

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "mann_whitney" => (|| {
            let (x, y) = (sample(input, 0, "x")?, sample(input, 1, "y")?);
            let alt = alternative(input, 2)?;
            out(stats::mann_whitney(&x, &y, alt, number(input, 3, 0.95)))
        })(),
        "welch_t_test" => (|| {
            let (x, y) = (sample(input, 0, "x")?, sample(input, 1, "y")?);
            let alt = alternative(input, 2)?;
            out(stats::welch_t_test(&x, &y, alt, number(input, 3, 0.95)))
        })(),
        "ks_test" => (|| {
            let (x, y) = (sample(input, 0, "x")?, sample(input, 1, "y")?);
            out(stats::ks_test(&x, &y))
        })(),
        "compare_proportions" => (|| {
            let alt = alternative(input, 4)?;
            out(stats::compare_proportions(
                number(input, 0, f64::NAN),
                number(input, 1, f64::NAN),
                number(input, 2, f64::NAN),
                number(input, 3, f64::NAN),
                alt,
                number(input, 5, 0.95),
            ))
        })(),
        "compare_rates" => (|| {
            let alt = alternative(input, 4)?;
            out(stats::compare_rates(
                number(input, 0, f64::NAN),
                number(input, 1, f64::NAN),
                number(input, 2, f64::NAN),
                number(input, 3, f64::NAN),
                alt,
                number(input, 5, 0.95),
            ))
        })(),
        "quantile_ci" => (|| {
            let x = sample(input, 0, "x")?;
            out(stats::quantile_ci(
                &x,
                number(input, 1, f64::NAN),
                number(input, 2, 0.95),
            ))
        })(),
        "compare_quantiles" => (|| {
            let (x, y) = (sample(input, 0, "x")?, sample(input, 1, "y")?);
            let alt = alternative(input, 3)?;
            out(stats::compare_quantiles(
                &x,
                &y,
                number(input, 2, f64::NAN),
                alt,
                number(input, 4, 0.95),
            ))
        })(),
        "adjust_p_values" => (|| {
            let p = sample(input, 0, "p_values")?;
            let method = match input.get(1).and_then(Value::as_str) {
                Some(s) => Correction::parse(s, "method")?,
                None => Correction::Holm,
            };
            out(stats::adjust_p_values(&p, method))
        })(),
        "sequential_count_test" => (|| {
            let value = input.first().cloned().unwrap_or(Value::Null);
            let looks: Vec<[f64; 2]> = rollgate::wire::from_value(value)
                .map_err(|e| rollgate::ffi::as_canary_error(e, "looks"))?;
            out(stats::sequential_count_test(
                &looks,
                number(input, 1, f64::NAN),
                number(input, 2, 100.0),
                number(input, 3, 0.05),
            ))
        })(),
        "start_canary_watch" => (|| {
            let config = verdict::parse_config(input.first().cloned().unwrap_or(Value::Null))?;
            out(verdict::start_canary_watch(&config))
        })(),
        "update_canary_watch" => (|| {
            let config = verdict::parse_config(input.first().cloned().unwrap_or(Value::Null))?;
            let state = verdict::watch::parse_state(input.get(1).cloned().unwrap_or(Value::Null))?;
            let batch = verdict::watch::parse_batch(input.get(2).cloned().unwrap_or(Value::Null))?;
            let at = input.get(3).and_then(Value::as_str).unwrap_or("");
            let at = rollgate::window::parse_timestamp("at", at)?;
            out(verdict::update_canary_watch(&config, &state, &batch, at))
        })(),
        "judge_canary" => (|| {
            let config = verdict::parse_config(input.first().cloned().unwrap_or(Value::Null))?;
            let data = verdict::parse_data(input.get(1).cloned().unwrap_or(Value::Null))?;
            out(verdict::judge_canary(&config, &data))
        })(),
        _ => return None,
    };
    Some(result)
}
