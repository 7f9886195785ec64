//! Reading a canary configuration, and turning the generic errors met while
//! reading any canary input into the canary family's errors.

use super::CanaryConfig;
use crate::error::{CanaryError, Error, ErrorKind, Result};

/// Reads a canary configuration from any serde source; malformed input is
/// `invalid_config` with the path of the offending value.
///
/// ```
/// let v = serde_json::json!({"metrics": [{"name": "cpu", "colour": 1}]});
/// let err = rollgate::verdict::parse_config(v).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_config", "/metrics/0/colour"));
/// ```
pub fn parse_config(value: serde_json::Value) -> Result<CanaryConfig> {
    crate::wire::from_value(value).map_err(|e| as_canary_error(e, ""))
}

/// Turns a generic wire error (unknown field, wrong type) met while reading
/// canary input into the canary family's `invalid_config`, keeping its path
/// and message; `prefix` is the argument name for secondary arguments.
///
/// A value of a sample that is not a number is `invalid_sample`; inside canary
/// data (`/<metric>/baseline/<index>`) it names its metric.
pub fn as_canary_error(err: Error, prefix: &str) -> Error {
    let err = match err.kind() {
        ErrorKind::Input(_) => Error::invalid_config(err.path(), err.message()),
        ErrorKind::Canary(CanaryError::InvalidSample {
            metric: None,
            index,
            value,
        }) if prefix == "data" => match sample_metric(err.path()) {
            Some(metric) => Error::new(
                err.path(),
                CanaryError::InvalidSample {
                    metric: Some(metric),
                    index: *index,
                    value: value.clone(),
                },
            ),
            None => err,
        },
        _ => err,
    };
    if prefix.is_empty() {
        err
    } else {
        err.with_path_prefix(prefix)
    }
}

/// The metric of a path `/<metric>/baseline|canary/<index>` into canary data.
fn sample_metric(path: &str) -> Option<String> {
    let mut tokens = path.strip_prefix('/')?.rsplitn(3, '/');
    let (_index, side, metric) = (tokens.next()?, tokens.next()?, tokens.next()?);
    ((side == "baseline" || side == "canary") && !metric.contains('/'))
        .then(|| metric.replace("~1", "/").replace("~0", "~"))
}
