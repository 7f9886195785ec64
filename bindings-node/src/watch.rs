//! The canary watch: `startCanaryWatch`, `updateCanaryWatch`.
//!
//! Samples in a batch are arrays of numbers (`null` for missing values) or
//! `Float64Array`s, read directly from their memory.

use std::collections::BTreeMap;

use napi::bindgen_prelude::{Either, Float64ArraySlice, Object, Unknown};
use napi::Env;
use napi_derive::napi;
use rollgate::verdict::watch::{as_state_error, WatchState};
use rollgate::verdict::{as_canary_error, CanaryConfig, MetricData, Sample};

use crate::convert::{read_result, to_js, OrThrow};

fn config(env: &Env, value: Unknown<'_>) -> napi::Result<CanaryConfig> {
    read_result(env, value)?
        .map_err(|e| as_canary_error(e, ""))
        .or_throw(env)
}

fn invalid<T>(env: &Env, path: String, message: &str) -> napi::Result<T> {
    Err(rollgate::Error::invalid_config(path, message.to_string())).or_throw(env)
}

/// Reads a batch: `{metric: {baseline, canary}}`, each side a
/// `Float64Array`, an array of numbers or `{events, trials?, exposure?}`.
fn batch(
    env: &Env,
    value: Either<Object<'_>, Unknown<'_>>,
) -> napi::Result<BTreeMap<String, MetricData>> {
    let Either::A(object) = value else {
        return invalid(
            env,
            "batch".into(),
            "batch must map metric names to {baseline, canary}",
        );
    };
    let mut out = BTreeMap::new();
    for name in Object::keys(&object)? {
        let base = format!("batch/{}", name.replace('~', "~0").replace('/', "~1"));
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
        let mut sides = Vec::with_capacity(2);
        for key in ["baseline", "canary"] {
            let Some(side) = entry.get::<Either<Float64ArraySlice<'_>, Unknown<'_>>>(key)? else {
                return invalid(env, base, "missing `baseline` or `canary`");
            };
            sides.push(match side {
                Either::A(slice) => Sample::Values(slice.to_vec()),
                Either::B(other) => read_result::<Sample>(env, other)?
                    .map_err(|e| as_canary_error(e, &format!("{base}/{key}")))
                    .or_throw(env)?,
            });
        }
        let canary = sides.pop();
        let baseline = sides.pop();
        if let (Some(baseline), Some(canary)) = (baseline, canary) {
            out.insert(name, MetricData { baseline, canary });
        }
    }
    Ok(out)
}

/// Starts watching a canary: the empty state to store and pass to
/// `updateCanaryWatch` with each batch.
#[napi(ts_args_type = "config: CanaryConfig", ts_return_type = "WatchState")]
pub fn start_canary_watch<'env>(
    env: &'env Env,
    config: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let config = self::config(env, config)?;
    let state = rollgate::verdict::start_canary_watch(&config).or_throw(env)?;
    to_js(env, &state)
}

/// Adds one batch (this interval's samples or counts per metric) at time
/// `at` (RFC 3339) and decides: `{state, verdict}`.
#[napi(
    ts_args_type = "config: CanaryConfig, state: WatchState, batch: Record<string, MetricData>, at: string",
    ts_return_type = "WatchUpdate"
)]
pub fn update_canary_watch<'env>(
    env: &'env Env,
    config: Unknown<'env>,
    state: Unknown<'env>,
    batch: Either<Object<'env>, Unknown<'env>>,
    at: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let config = self::config(env, config)?;
    let state: WatchState = read_result(env, state)?
        .map_err(as_state_error)
        .or_throw(env)?;
    let batch = self::batch(env, batch)?;
    let at = crate::window::time(env, at, "at")?;
    let result =
        rollgate::verdict::update_canary_watch(&config, &state, &batch, at).or_throw(env)?;
    to_js(env, &result)
}
