//! Release-calendar functions: `checkWindow`, `nextWindow`.

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use crate::convert::{arg, doc, is_nullish, to_js, OrThrow};

/// Reads an RFC 3339 timestamp argument; errors carry the argument's name.
pub fn time(
    env: &Env,
    value: Unknown<'_>,
    name: &str,
) -> napi::Result<chrono::DateTime<chrono::FixedOffset>> {
    let text: String = arg(env, value, name)?;
    rollgate::window::parse_timestamp(name, &text).or_throw(env)
}

/// Whether a deployment of `duration` may start at `at` under `calendar`.
#[napi(
    ts_args_type = "calendar: Calendar, at: string, duration: Duration",
    ts_return_type = "WindowCheck"
)]
pub fn check_window<'env>(
    env: &'env Env,
    calendar: Unknown<'env>,
    at: Unknown<'env>,
    duration: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let calendar: rollgate::CalendarSpec = doc(env, calendar)?;
    let at = time(env, at, "at")?;
    let duration: rollgate::DurationSecs = arg(env, duration, "duration")?;
    let result = rollgate::check_window(&calendar, at, duration).or_throw(env)?;
    to_js(env, &result)
}

/// Earliest start at or after `after` where a deployment of `duration` fits
/// (horizon default 366 days).
#[napi(
    ts_args_type = "calendar: Calendar, after: string, duration: Duration, horizon?: Duration | null",
    ts_return_type = "WindowSlot"
)]
pub fn next_window<'env>(
    env: &'env Env,
    calendar: Unknown<'env>,
    after: Unknown<'env>,
    duration: Unknown<'env>,
    horizon: Option<Unknown<'env>>,
) -> napi::Result<Unknown<'env>> {
    let calendar: rollgate::CalendarSpec = doc(env, calendar)?;
    let after = time(env, after, "after")?;
    let duration: rollgate::DurationSecs = arg(env, duration, "duration")?;
    let horizon = match horizon {
        Some(h) if !is_nullish(&h)? => arg(env, h, "horizon")?,
        _ => rollgate::window::DEFAULT_HORIZON,
    };
    let result = rollgate::next_window(&calendar, after, duration, horizon).or_throw(env)?;
    to_js(env, &result)
}
