//! Canary analysis: `judgeCanary` and the statistical kernels (`mannWhitney`,
//! `compareProportions`, `compareRates`, `welchTTest`, `ksTest`,
//! `quantileCi`, `compareQuantiles`, `adjustPValues`, `sequentialCountTest`).
//!
//! Samples are JS arrays of numbers (`null` for missing values) or
//! `Float64Array`s; a `Float64Array` is read directly from its memory.
//! Optional arguments are positional (`alternative`, `confidence`) or one
//! options object in the position of the first optional argument.

use std::collections::BTreeMap;

use napi::bindgen_prelude::{Either, Float64ArraySlice, Object, Unknown};
use napi::Env;
use napi_derive::napi;
use rollgate::stats::{Alternative, Correction};
use rollgate::verdict::{as_canary_error, MetricData, Sample};
use serde::de::DeserializeOwned;

use crate::convert::{is_nullish, read_result, to_js, OrThrow};

type SampleArg<'env> = Either<Float64ArraySlice<'env>, Unknown<'env>>;

fn read<T: DeserializeOwned>(env: &Env, value: Unknown<'_>, prefix: &str) -> napi::Result<T> {
    read_result(env, value)?
        .map_err(|e| as_canary_error(e, prefix))
        .or_throw(env)
}

/// Reads a number argument, so that a wrong type is a canary error naming the
/// parameter rather than napi's untyped conversion error.
fn num(env: &Env, value: Unknown<'_>, path: &str) -> napi::Result<f64> {
    read(env, value, path)
}

/// Reads an optional number argument (`undefined` and `null` are absent).
fn opt_num(env: &Env, value: Option<Unknown<'_>>, path: &str) -> napi::Result<Option<f64>> {
    match value {
        Some(v) if !is_nullish(&v)? => num(env, v, path).map(Some),
        _ => Ok(None),
    }
}

fn invalid<T>(env: &Env, path: String, message: &str) -> napi::Result<T> {
    Err(rollgate::Error::invalid_config(path, message.to_string())).or_throw(env)
}

fn sample(env: &Env, value: SampleArg<'_>, path: &str) -> napi::Result<Vec<f64>> {
    match value {
        Either::A(slice) => Ok(slice.to_vec()),
        Either::B(other) => {
            let list: Vec<Option<f64>> = read(env, other, path)?;
            Ok(list.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        }
    }
}

fn side(env: &Env, value: SampleArg<'_>, path: &str) -> napi::Result<Sample> {
    match value {
        Either::A(slice) => Ok(Sample::Values(slice.to_vec())),
        Either::B(other) => read(env, other, path),
    }
}

/// Options given as an object in place of the positional arguments.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Options {
    alternative: Option<String>,
    confidence: Option<f64>,
    method: Option<String>,
}

/// Reads `(alternative, confidence)` from positional arguments or an
/// options object in the first optional position.
fn options(
    env: &Env,
    first: Option<Unknown<'_>>,
    confidence: Option<Unknown<'_>>,
) -> napi::Result<(Alternative, f64)> {
    let mut alternative = Alternative::TwoSided;
    let mut level = opt_num(env, confidence, "confidence")?.unwrap_or(0.95);
    if let Some(first) = first {
        if !is_nullish(&first)? {
            match first.get_type()? {
                napi::ValueType::String => {
                    let text: String = read(env, first, "alternative")?;
                    alternative = Alternative::parse(&text, "alternative").or_throw(env)?;
                }
                _ => {
                    let opts: Options = read(env, first, "options")?;
                    if let Some(text) = opts.alternative {
                        alternative = Alternative::parse(&text, "alternative").or_throw(env)?;
                    }
                    if let Some(c) = opts.confidence {
                        level = c;
                    }
                }
            }
        }
    }
    Ok((alternative, level))
}

/// Judges a canary against its baseline: per-metric classification with the
/// raw evidence, Kayenta-compatible score, and a decision with reasons.
#[napi(
    ts_args_type = "config: CanaryConfig, data: Record<string, MetricData>",
    ts_return_type = "CanaryVerdict"
)]
pub fn judge_canary<'env>(
    env: &'env Env,
    config: Unknown<'env>,
    data: Either<Object<'env>, Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let config: rollgate::CanaryConfig = read(env, config, "")?;
    let Either::A(object) = data else {
        return invalid(
            env,
            "data".into(),
            "data must map metric names to {baseline, canary}",
        );
    };
    let mut parsed = BTreeMap::new();
    for name in Object::keys(&object)? {
        let base = format!("data/{}", name.replace('~', "~0").replace('/', "~1"));
        let Some(Either::A(entry)) = object.get::<Either<Object<'_>, Unknown<'_>>>(&name)? else {
            return invalid(env, base, "expected {\"baseline\": ..., \"canary\": ...}");
        };
        for key in Object::keys(&entry)? {
            if key != "baseline" && key != "canary" {
                return invalid(
                    env,
                    format!("{base}/{key}"),
                    &format!("unknown field `{key}`, expected `baseline` or `canary`"),
                );
            }
        }
        let baseline = entry.get::<SampleArg<'_>>("baseline")?;
        let canary = entry.get::<SampleArg<'_>>("canary")?;
        let (Some(baseline), Some(canary)) = (baseline, canary) else {
            return invalid(env, base, "missing `baseline` or `canary`");
        };
        let baseline = side(env, baseline, &format!("{base}/baseline"))?;
        let canary = side(env, canary, &format!("{base}/canary"))?;
        parsed.insert(name, MetricData { baseline, canary });
    }
    let result = rollgate::judge_canary(&config, &parsed).or_throw(env)?;
    to_js(env, &result)
}

/// Mann-Whitney U test with the Hodges-Lehmann shift `x − y` and its interval.
#[napi(
    ts_args_type = "x: Samples, y: Samples, alternative?: Alternative | TestOptions | null, confidence?: number",
    ts_return_type = "MannWhitneyResult"
)]
pub fn mann_whitney<'env>(
    env: &'env Env,
    x: SampleArg<'env>,
    y: SampleArg<'env>,
    alternative: Option<Unknown<'env>>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let (x, y) = (sample(env, x, "x")?, sample(env, y, "y")?);
    let (alt, level) = options(env, alternative, confidence)?;
    let result = rollgate::mann_whitney_owned(x, y, alt, level).or_throw(env)?;
    to_js(env, &result)
}

/// Welch's t-test of `mean(x) − mean(y)`.
#[napi(
    ts_args_type = "x: Samples, y: Samples, alternative?: Alternative | TestOptions | null, confidence?: number",
    ts_return_type = "WelchResult"
)]
pub fn welch_t_test<'env>(
    env: &'env Env,
    x: SampleArg<'env>,
    y: SampleArg<'env>,
    alternative: Option<Unknown<'env>>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let (x, y) = (sample(env, x, "x")?, sample(env, y, "y")?);
    let (alt, level) = options(env, alternative, confidence)?;
    let result = rollgate::welch_t_test(&x, &y, alt, level).or_throw(env)?;
    to_js(env, &result)
}

/// Two-sample two-sided Kolmogorov-Smirnov test.
#[napi(ts_args_type = "x: Samples, y: Samples", ts_return_type = "KsResult")]
pub fn ks_test<'env>(
    env: &'env Env,
    x: SampleArg<'env>,
    y: SampleArg<'env>,
) -> napi::Result<Unknown<'env>> {
    let (x, y) = (sample(env, x, "x")?, sample(env, y, "y")?);
    let result = rollgate::ks_test(&x, &y).or_throw(env)?;
    to_js(env, &result)
}

/// Compares two proportions (Fisher's exact test or the score test).
#[napi(
    ts_args_type = "eventsX: number, trialsX: number, eventsY: number, trialsY: number, alternative?: Alternative | TestOptions | null, confidence?: number",
    ts_return_type = "ProportionResult"
)]
pub fn compare_proportions<'env>(
    env: &'env Env,
    events_x: Unknown<'env>,
    trials_x: Unknown<'env>,
    events_y: Unknown<'env>,
    trials_y: Unknown<'env>,
    alternative: Option<Unknown<'env>>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let (alt, level) = options(env, alternative, confidence)?;
    let events_x = num(env, events_x, "events_x")?;
    let trials_x = num(env, trials_x, "trials_x")?;
    let events_y = num(env, events_y, "events_y")?;
    let trials_y = num(env, trials_y, "trials_y")?;
    let result = rollgate::compare_proportions(events_x, trials_x, events_y, trials_y, alt, level)
        .or_throw(env)?;
    to_js(env, &result)
}

/// Compares two Poisson rates (exact conditional binomial test).
#[napi(
    ts_args_type = "eventsX: number, exposureX: number, eventsY: number, exposureY: number, alternative?: Alternative | TestOptions | null, confidence?: number",
    ts_return_type = "RateResult"
)]
pub fn compare_rates<'env>(
    env: &'env Env,
    events_x: Unknown<'env>,
    exposure_x: Unknown<'env>,
    events_y: Unknown<'env>,
    exposure_y: Unknown<'env>,
    alternative: Option<Unknown<'env>>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let (alt, level) = options(env, alternative, confidence)?;
    let events_x = num(env, events_x, "events_x")?;
    let exposure_x = num(env, exposure_x, "exposure_x")?;
    let events_y = num(env, events_y, "events_y")?;
    let exposure_y = num(env, exposure_y, "exposure_y")?;
    let result = rollgate::compare_rates(events_x, exposure_x, events_y, exposure_y, alt, level)
        .or_throw(env)?;
    to_js(env, &result)
}

/// Distribution-free confidence interval for a quantile.
#[napi(
    ts_args_type = "x: Samples, quantile: number, confidence?: number",
    ts_return_type = "QuantileInterval"
)]
pub fn quantile_ci<'env>(
    env: &'env Env,
    x: SampleArg<'env>,
    quantile: Unknown<'env>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let x = sample(env, x, "x")?;
    let quantile = num(env, quantile, "quantile")?;
    let confidence = opt_num(env, confidence, "confidence")?.unwrap_or(0.95);
    let result = rollgate::quantile_ci(&x, quantile, confidence).or_throw(env)?;
    to_js(env, &result)
}

/// Compares one quantile (e.g. p99) of `x` and `y`.
#[napi(
    ts_args_type = "x: Samples, y: Samples, quantile: number, alternative?: Alternative | TestOptions | null, confidence?: number",
    ts_return_type = "QuantileComparison"
)]
pub fn compare_quantiles<'env>(
    env: &'env Env,
    x: SampleArg<'env>,
    y: SampleArg<'env>,
    quantile: Unknown<'env>,
    alternative: Option<Unknown<'env>>,
    confidence: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let (x, y) = (sample(env, x, "x")?, sample(env, y, "y")?);
    let (alt, level) = options(env, alternative, confidence)?;
    let quantile = num(env, quantile, "quantile")?;
    let result = rollgate::compare_quantiles(&x, &y, quantile, alt, level).or_throw(env)?;
    to_js(env, &result)
}

/// Holm or Benjamini-Hochberg adjusted p-values, in input order.
#[napi(
    ts_args_type = "pValues: Samples, method?: Correction | { method?: Correction } | null",
    ts_return_type = "number[]"
)]
pub fn adjust_p_values<'env>(
    env: &'env Env,
    p_values: SampleArg<'env>,
    method: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let p = sample(env, p_values, "p_values")?;
    let text = match method {
        Some(m) if !is_nullish(&m)? => match m.get_type()? {
            napi::ValueType::String => read::<String>(env, m, "method")?,
            _ => read::<Options>(env, m, "options")?
                .method
                .unwrap_or_else(|| "holm".into()),
        },
        _ => "holm".into(),
    };
    let method = Correction::parse(&text, "method").or_throw(env)?;
    let result = rollgate::adjust_p_values(&p, method).or_throw(env)?;
    to_js(env, &result)
}

/// Anytime-valid sequential test of canary vs baseline event counts.
#[napi(
    ts_args_type = "looks: Array<[number, number]>, allocation: number, concentration?: number, alpha?: number",
    ts_return_type = "SequentialResult"
)]
pub fn sequential_count_test<'env>(
    env: &'env Env,
    looks: Unknown<'env>,
    allocation: Unknown<'env>,
    concentration: Option<Unknown<'env>>,
    alpha: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let looks: Vec<[f64; 2]> = read(env, looks, "looks")?;
    let allocation = num(env, allocation, "allocation")?;
    let concentration = opt_num(env, concentration, "concentration")?.unwrap_or(100.0);
    let alpha = opt_num(env, alpha, "alpha")?.unwrap_or(0.05);
    let result =
        rollgate::sequential_count_test(&looks, allocation, concentration, alpha).or_throw(env)?;
    to_js(env, &result)
}
