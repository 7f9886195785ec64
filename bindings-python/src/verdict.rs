//! Canary analysis: `judge_canary` and the statistical kernels
//! (`mann_whitney`, `compare_proportions`, `compare_rates`, `welch_t_test`,
//! `ks_test`, `quantile_ci`, `compare_quantiles`, `adjust_p_values`,
//! `sequential_count_test`).
//!
//! Samples are read without a per-element Python loop: any object exporting
//! a float64 buffer (numpy arrays, `array('d')`, memoryviews) is copied in
//! one go; other sequences of numbers (with `None` for missing values) are
//! read element by element in Rust.

use std::collections::BTreeMap;

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping};
use rollgate::stats::{Alternative, Correction};
use rollgate::verdict::{as_canary_error, MetricData, Sample};

use crate::convert::{to_py, Raise};

/// Reads a value through serde with canary error mapping; `prefix` is the
/// path of the value.
fn read<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>, prefix: &str) -> PyResult<T> {
    rollgate::wire::from_fn(|| crate::de::PyDe(obj))
        .map_err(|e| as_canary_error(e, prefix))
        .raise(obj.py())
}

/// A numeric buffer's contents as f64, if `obj` exports one of float64
/// (copied in one go), float32, int64 or int32 items.
fn buffer_values(obj: &Bound<'_, PyAny>) -> Option<Vec<f64>> {
    let py = obj.py();
    if let Ok(buffer) = PyBuffer::<f64>::get(obj) {
        return buffer.to_vec(py).ok();
    }
    if let Ok(buffer) = PyBuffer::<f32>::get(obj) {
        return buffer
            .to_vec(py)
            .ok()
            .map(|v| v.into_iter().map(f64::from).collect());
    }
    if let Ok(buffer) = PyBuffer::<i64>::get(obj) {
        return buffer
            .to_vec(py)
            .ok()
            .map(|v| v.into_iter().map(|a| a as f64).collect());
    }
    if let Ok(buffer) = PyBuffer::<i32>::get(obj) {
        return buffer
            .to_vec(py)
            .ok()
            .map(|v| v.into_iter().map(f64::from).collect());
    }
    None
}

/// Reads a sample: a numeric buffer or a sequence of numbers/None.
fn sample(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Vec<f64>> {
    if let Some(values) = buffer_values(obj) {
        return Ok(values);
    }
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return Err(rollgate::Error::invalid_config(
            path.to_string(),
            "expected a sequence of numbers or a numeric buffer, got a string",
        ))
        .raise(obj.py());
    }
    let list: Vec<Option<f64>> = read(obj, path)?;
    Ok(list.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// Reads one side of a metric: samples (buffer or sequence) or counts.
fn side(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Sample> {
    if let Some(values) = buffer_values(obj) {
        return Ok(Sample::Values(values));
    }
    read(obj, path)
}

/// Reads a number argument: an `int`, a `float` or anything with
/// `__float__` (numpy scalars), but not a `bool` or a `str`; otherwise a
/// canary `invalid_config` error whose path is the argument's name (as in
/// Node), not pyo3's `TypeError`.
fn number(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    let refused = obj.is_instance_of::<pyo3::types::PyBool>()
        || obj.is_instance_of::<pyo3::types::PyString>();
    match obj.extract::<f64>() {
        Ok(value) if !refused => Ok(value),
        _ => wrong_type(obj, name, "a number"),
    }
}

/// Reads a text argument (an option name), like [`number`].
fn text(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match obj.cast::<pyo3::types::PyString>() {
        Ok(s) => Ok(s.to_str()?.to_string()),
        Err(_) => wrong_type(obj, name, "a string"),
    }
}

/// The canary `invalid_config` error for argument `name` of the wrong type.
fn wrong_type<T>(obj: &Bound<'_, PyAny>, name: &str, expected: &str) -> PyResult<T> {
    let got = obj
        .get_type()
        .name()
        .map_or_else(|_| "another type".to_string(), |n| n.to_string());
    Err(rollgate::Error::invalid_config(
        name.to_string(),
        format!("expected {expected}, got {got}"),
    ))
    .raise(obj.py())
}

/// One `from_py_with` reader per argument name, so that a wrong type is an
/// error naming the argument.
macro_rules! readers {
    ($($fn_name:ident: $ty:ty = $read:ident($name:literal);)*) => {
        $(
            #[doc = concat!("Reads the `", $name, "` argument.")]
            fn $fn_name(obj: &Bound<'_, PyAny>) -> PyResult<$ty> {
                $read(obj, $name)
            }
        )*
    };
}

readers! {
    confidence_arg: f64 = number("confidence");
    quantile_arg: f64 = number("quantile");
    events_x_arg: f64 = number("events_x");
    events_y_arg: f64 = number("events_y");
    trials_x_arg: f64 = number("trials_x");
    trials_y_arg: f64 = number("trials_y");
    exposure_x_arg: f64 = number("exposure_x");
    exposure_y_arg: f64 = number("exposure_y");
    allocation_arg: f64 = number("allocation");
    concentration_arg: f64 = number("concentration");
    alpha_arg: f64 = number("alpha");
    alternative_arg: String = text("alternative");
    method_arg: String = text("method");
}

fn alternative(py: Python<'_>, text: &str) -> PyResult<Alternative> {
    Alternative::parse(text, "alternative").raise(py)
}

/// Reads `data`: `{metric: {"baseline": ..., "canary": ...}}`.
fn canary_data(data: &Bound<'_, PyAny>) -> PyResult<rollgate::CanaryData> {
    canary_data_at(data, "data")
}

/// Reads `{metric: {"baseline": ..., "canary": ...}}` (samples as numeric
/// buffers or sequences) found at `root` (`data`, or a watch's `batch`).
pub(crate) fn canary_data_at(
    data: &Bound<'_, PyAny>,
    root: &str,
) -> PyResult<rollgate::CanaryData> {
    let py = data.py();
    let invalid = |path: String, message: &str| {
        Err::<(), _>(rollgate::Error::invalid_config(path, message.to_string())).raise(py)
    };
    let Ok(mapping) = data.cast::<PyMapping>() else {
        invalid(
            root.into(),
            &format!("{root} must map metric names to {{baseline, canary}}"),
        )?;
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for item in mapping.items()?.iter() {
        let (key, entry): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let name: String = read(&key, root)?;
        let base = format!("{root}/{}", name.replace('~', "~0").replace('/', "~1"));
        let Ok(entry) = entry.cast::<PyDict>() else {
            invalid(base, "expected {\"baseline\": ..., \"canary\": ...}")?;
            continue;
        };
        let mut baseline = None;
        let mut canary = None;
        for (k, v) in entry.iter() {
            let k: String = read(&k, &base)?;
            match k.as_str() {
                "baseline" => baseline = Some(side(&v, &format!("{base}/baseline"))?),
                "canary" => canary = Some(side(&v, &format!("{base}/canary"))?),
                other => {
                    invalid(
                        format!("{base}/{other}"),
                        &format!("unknown field `{other}`, expected `baseline` or `canary`"),
                    )?;
                }
            }
        }
        match (baseline, canary) {
            (Some(baseline), Some(canary)) => {
                out.insert(name, MetricData { baseline, canary });
            }
            _ => invalid(base, "missing `baseline` or `canary`")?,
        }
    }
    Ok(out)
}

/// Judges a canary against its baseline: per-metric classification with the
/// raw evidence, Kayenta-compatible score, and a decision with reasons.
#[pyfunction]
fn judge_canary(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    data: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config: rollgate::CanaryConfig = read(config, "")?;
    let data = canary_data(data)?;
    let result = py
        .detach(|| rollgate::judge_canary(&config, &data))
        .raise(py)?;
    to_py(py, &result)
}

/// Mann-Whitney U test with the Hodges-Lehmann shift `x − y` and its interval.
#[pyfunction]
#[pyo3(signature = (x, y, alternative = "two-sided".to_string(), confidence = 0.95), text_signature = "(x, y, alternative='two-sided', confidence=0.95)")]
fn mann_whitney(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = alternative_arg)] alternative: String,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let (x, y) = (sample(x, "x")?, sample(y, "y")?);
    let alt = self::alternative(py, &alternative)?;
    let result = py
        .detach(|| rollgate::mann_whitney_owned(x, y, alt, confidence))
        .raise(py)?;
    to_py(py, &result)
}

/// Welch's t-test of `mean(x) − mean(y)`.
#[pyfunction]
#[pyo3(signature = (x, y, alternative = "two-sided".to_string(), confidence = 0.95), text_signature = "(x, y, alternative='two-sided', confidence=0.95)")]
fn welch_t_test(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = alternative_arg)] alternative: String,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let (x, y) = (sample(x, "x")?, sample(y, "y")?);
    let alt = self::alternative(py, &alternative)?;
    let result = py
        .detach(|| rollgate::welch_t_test(&x, &y, alt, confidence))
        .raise(py)?;
    to_py(py, &result)
}

/// Two-sample Kolmogorov-Smirnov test.
#[pyfunction]
fn ks_test(py: Python<'_>, x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let (x, y) = (sample(x, "x")?, sample(y, "y")?);
    let result = py.detach(|| rollgate::ks_test(&x, &y)).raise(py)?;
    to_py(py, &result)
}

/// Compares two proportions (Fisher's exact test or the score test).
#[pyfunction]
#[pyo3(signature = (events_x, trials_x, events_y, trials_y, alternative = "two-sided".to_string(), confidence = 0.95), text_signature = "(events_x, trials_x, events_y, trials_y, alternative='two-sided', confidence=0.95)")]
fn compare_proportions(
    py: Python<'_>,
    #[pyo3(from_py_with = events_x_arg)] events_x: f64,
    #[pyo3(from_py_with = trials_x_arg)] trials_x: f64,
    #[pyo3(from_py_with = events_y_arg)] events_y: f64,
    #[pyo3(from_py_with = trials_y_arg)] trials_y: f64,
    #[pyo3(from_py_with = alternative_arg)] alternative: String,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let alt = self::alternative(py, &alternative)?;
    let result =
        rollgate::compare_proportions(events_x, trials_x, events_y, trials_y, alt, confidence)
            .raise(py)?;
    to_py(py, &result)
}

/// Compares two Poisson rates (exact conditional binomial test).
#[pyfunction]
#[pyo3(signature = (events_x, exposure_x, events_y, exposure_y, alternative = "two-sided".to_string(), confidence = 0.95), text_signature = "(events_x, exposure_x, events_y, exposure_y, alternative='two-sided', confidence=0.95)")]
fn compare_rates(
    py: Python<'_>,
    #[pyo3(from_py_with = events_x_arg)] events_x: f64,
    #[pyo3(from_py_with = exposure_x_arg)] exposure_x: f64,
    #[pyo3(from_py_with = events_y_arg)] events_y: f64,
    #[pyo3(from_py_with = exposure_y_arg)] exposure_y: f64,
    #[pyo3(from_py_with = alternative_arg)] alternative: String,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let alt = self::alternative(py, &alternative)?;
    let result =
        rollgate::compare_rates(events_x, exposure_x, events_y, exposure_y, alt, confidence)
            .raise(py)?;
    to_py(py, &result)
}

/// Distribution-free confidence interval for a quantile.
#[pyfunction]
#[pyo3(signature = (x, quantile, confidence = 0.95))]
fn quantile_ci(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = quantile_arg)] quantile: f64,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let x = sample(x, "x")?;
    let result = py
        .detach(|| rollgate::quantile_ci(&x, quantile, confidence))
        .raise(py)?;
    to_py(py, &result)
}

/// Compares one quantile (e.g. p99) of `x` and `y`.
#[pyfunction]
#[pyo3(signature = (x, y, quantile, alternative = "two-sided".to_string(), confidence = 0.95), text_signature = "(x, y, quantile, alternative='two-sided', confidence=0.95)")]
fn compare_quantiles(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = quantile_arg)] quantile: f64,
    #[pyo3(from_py_with = alternative_arg)] alternative: String,
    #[pyo3(from_py_with = confidence_arg)] confidence: f64,
) -> PyResult<Py<PyAny>> {
    let (x, y) = (sample(x, "x")?, sample(y, "y")?);
    let alt = self::alternative(py, &alternative)?;
    let result = py
        .detach(|| rollgate::compare_quantiles(&x, &y, quantile, alt, confidence))
        .raise(py)?;
    to_py(py, &result)
}

/// Holm or Benjamini-Hochberg adjusted p-values, in input order.
#[pyfunction]
#[pyo3(signature = (p_values, method = "holm".to_string()), text_signature = "(p_values, method='holm')")]
fn adjust_p_values(
    py: Python<'_>,
    p_values: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = method_arg)] method: String,
) -> PyResult<Py<PyAny>> {
    let p = sample(p_values, "p_values")?;
    let method = Correction::parse(&method, "method").raise(py)?;
    let result = rollgate::adjust_p_values(&p, method).raise(py)?;
    to_py(py, &result)
}

/// Anytime-valid sequential test of canary vs baseline event counts.
#[pyfunction]
#[pyo3(signature = (looks, allocation, concentration = 100.0, alpha = 0.05))]
fn sequential_count_test(
    py: Python<'_>,
    looks: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = allocation_arg)] allocation: f64,
    #[pyo3(from_py_with = concentration_arg)] concentration: f64,
    #[pyo3(from_py_with = alpha_arg)] alpha: f64,
) -> PyResult<Py<PyAny>> {
    let looks: Vec<[f64; 2]> = read(looks, "looks")?;
    let result =
        rollgate::sequential_count_test(&looks, allocation, concentration, alpha).raise(py)?;
    to_py(py, &result)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(judge_canary, m)?)?;
    m.add_function(wrap_pyfunction!(mann_whitney, m)?)?;
    m.add_function(wrap_pyfunction!(welch_t_test, m)?)?;
    m.add_function(wrap_pyfunction!(ks_test, m)?)?;
    m.add_function(wrap_pyfunction!(compare_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(compare_rates, m)?)?;
    m.add_function(wrap_pyfunction!(quantile_ci, m)?)?;
    m.add_function(wrap_pyfunction!(compare_quantiles, m)?)?;
    m.add_function(wrap_pyfunction!(adjust_p_values, m)?)?;
    m.add_function(wrap_pyfunction!(sequential_count_test, m)?)?;
    Ok(())
}
