//! Delivery-performance and feature-flag functions: `dora_metrics`,
//! `assess_maturity`, `flag_bucket`, `flag_enabled`, `flag_exposure`.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use serde::de::DeserializeOwned;

use crate::convert::{arg, doc, to_py, Raise};

/// Reads an optional secondary argument: `None` (or absent) means absent.
fn opt<T: DeserializeOwned>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    match obj {
        Some(o) if !o.is_none() => Ok(Some(arg(o, name)?)),
        _ => Ok(None),
    }
}

/// DORA keys and rework rate of deployment and incident records, with tiers.
#[pyfunction]
#[pyo3(signature = (deployments, incidents, options = None, plan = None))]
fn dora_metrics(
    py: Python<'_>,
    deployments: &Bound<'_, PyAny>,
    incidents: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
    plan: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let deployments: Vec<rollgate::Deployment> = doc(deployments)?;
    let incidents: Vec<rollgate::Incident> = arg(incidents, "incidents")?;
    let options: Option<rollgate::DoraOptions> = opt(options, "options")?;
    let plan: Option<rollgate::Plan> = opt(plan, "plan")?;
    let result = py
        .detach(|| {
            rollgate::dora_metrics(&deployments, &incidents, options.as_ref(), plan.as_ref())
        })
        .raise(py)?;
    to_py(py, &result)
}

/// Maturity level 1-5 per practice area, with evidence and next practices.
#[pyfunction]
fn assess_maturity(
    py: Python<'_>,
    metrics: Option<&Bound<'_, PyAny>>,
    practices: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let metrics: Option<rollgate::DeliveryMetrics> = match metrics {
        Some(m) if !m.is_none() => Some(doc(m)?),
        _ => None,
    };
    let practices: BTreeMap<String, bool> = arg(practices, "practices")?;
    let result = rollgate::assess_maturity(metrics.as_ref(), &practices).raise(py)?;
    to_py(py, &result)
}

/// A unit's bucket: Unleash 1-100, flagd 0-99.
#[pyfunction]
#[pyo3(signature = (flag_key, unit_id, algorithm = None))]
fn flag_bucket(
    py: Python<'_>,
    flag_key: &Bound<'_, PyAny>,
    unit_id: &Bound<'_, PyAny>,
    algorithm: Option<&Bound<'_, PyAny>>,
) -> PyResult<u32> {
    let flag_key: String = arg(flag_key, "flag_key")?;
    let unit_id: String = arg(unit_id, "unit_id")?;
    let algorithm = match opt::<String>(algorithm, "algorithm")? {
        Some(a) => rollgate::FlagAlgorithm::parse(&a, "algorithm").raise(py)?,
        None => rollgate::FlagAlgorithm::default(),
    };
    Ok(rollgate::flag_bucket(&flag_key, &unit_id, algorithm))
}

/// Whether a unit gets a flag and which variant, as Unleash or flagd decides.
#[pyfunction]
fn flag_enabled(
    py: Python<'_>,
    flag: &Bound<'_, PyAny>,
    unit_id: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let flag: rollgate::Flag = doc(flag)?;
    let unit_id: String = arg(unit_id, "unit_id")?;
    let result = rollgate::flag_enabled(&flag, &unit_id).raise(py)?;
    to_py(py, &result)
}

/// How many units of a population see a flag and each variant.
#[pyfunction]
fn flag_exposure(
    py: Python<'_>,
    flag: &Bound<'_, PyAny>,
    population: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let flag: rollgate::Flag = doc(flag)?;
    let population: rollgate::Population = arg(population, "population")?;
    let result = py
        .detach(|| rollgate::flag_exposure(&flag, &population))
        .raise(py)?;
    to_py(py, &result)
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dora_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(assess_maturity, m)?)?;
    m.add_function(wrap_pyfunction!(flag_bucket, m)?)?;
    m.add_function(wrap_pyfunction!(flag_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(flag_exposure, m)?)?;
    Ok(())
}
