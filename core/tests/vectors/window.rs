//! Vector dispatch for the release-calendar functions.

use serde_json::Value;

use crate::common::{arg, out};

/// Reads a timestamp argument (an RFC 3339 string) as the bindings do.
pub fn time(
    input: &[Value],
    i: usize,
    name: &str,
) -> rollgate::Result<chrono::DateTime<chrono::FixedOffset>> {
    let text: String = arg(input, i, name)?;
    rollgate::window::parse_timestamp(name, &text)
}

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "check_window" => (|| {
            let calendar: rollgate::CalendarSpec = arg(input, 0, "")?;
            let at = time(input, 1, "at")?;
            let duration: rollgate::DurationSecs = arg(input, 2, "duration")?;
            out(rollgate::check_window(&calendar, at, duration))
        })(),
        "next_window" => (|| {
            let calendar: rollgate::CalendarSpec = arg(input, 0, "")?;
            let after = time(input, 1, "after")?;
            let duration: rollgate::DurationSecs = arg(input, 2, "duration")?;
            let horizon: Option<rollgate::DurationSecs> = arg(input, 3, "horizon")?;
            out(rollgate::next_window(
                &calendar,
                after,
                duration,
                horizon.unwrap_or(rollgate::window::DEFAULT_HORIZON),
            ))
        })(),
        _ => return None,
    };
    Some(result)
}
