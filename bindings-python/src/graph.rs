//! Dependency-graph functions: `order_services`, `blast_radius`, `schedule_services`.
//!
//! Plans here can hold 100,000 services, so the conversions are specialised:
//! [`read_plan`] reads the common shape of a service dict without the
//! generic reader's per-value type dispatch (anything unusual, and every
//! error, goes through the generic reader, so meanings and error paths are
//! the same), and `order_services` builds its result from service positions
//! with one Python `str` per service, shared by the waves, the rollback
//! waves, the path and the timings.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::Deserialize;

use crate::convert::{arg, count, doc, to_py, Raise};
use crate::de::PyDe;

/// Deployment waves, rollback waves and critical path of a plan.
#[pyfunction]
fn order_services(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let plan = read_plan(plan)?;
    let (graph, order) = py
        .detach(move || {
            let graph = rollgate::ServiceGraph::new(&plan)?;
            let order = graph.order_indices();
            drop(plan);
            Ok((graph, order))
        })
        .raise(py)?;
    order_to_py(py, &graph, &order).map(Bound::unbind)
}

/// Transitive dependents of the requested services (default: all).
#[pyfunction]
#[pyo3(signature = (plan, services = None))]
fn blast_radius(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    services: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let plan = read_plan(plan)?;
    let services: Option<Vec<String>> = match services {
        Some(s) if !s.is_none() => Some(arg(s, "services")?),
        _ => None,
    };
    let result = py
        .detach(|| rollgate::blast_radius(&plan, services.as_deref()))
        .raise(py)?;
    to_py(py, &result)
}

/// Schedule with at most `max_parallel` deployments at once.
#[pyfunction]
fn schedule_services(
    py: Python<'_>,
    plan: &Bound<'_, PyAny>,
    max_parallel: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let plan = read_plan(plan)?;
    let max_parallel = count(max_parallel, "max_parallel", 1)?;
    let result = py
        .detach(|| rollgate::schedule_services(&plan, max_parallel))
        .raise(py)?;
    to_py(py, &result)
}

/// Reads a plan: the fast path when it has the common shape, else (and for
/// every error) the generic reader, which defines the meaning.
fn read_plan(obj: &Bound<'_, PyAny>) -> PyResult<rollgate::Plan> {
    match fast_plan(obj) {
        Some(plan) => Ok(plan),
        None => doc(obj),
    }
}

/// A plan read without the generic reader's per-value dispatch, or `None`
/// if anything is out of the ordinary (the caller then uses the generic
/// reader). A `dict` whose `services` is a `list`: every other top-level
/// key is read by the generic reader, every service dict whose keys are
/// among `id`, `depends_on` (a `list` of `str`), `deploy_duration`,
/// `stateful` and `customer_facing` (`bool`) by hand, and any other service
/// by the generic reader; all `str` and containers of exact built-in types.
fn fast_plan(obj: &Bound<'_, PyAny>) -> Option<rollgate::Plan> {
    let py = obj.py();
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let services = dict.get_item(intern!(py, "services")).ok()??;
    let services = services.cast_exact::<PyList>().ok()?;
    // The rest of the plan, with no services, through the generic reader.
    let rest = dict.copy().ok()?;
    rest.set_item(intern!(py, "services"), PyList::empty(py))
        .ok()?;
    let mut plan: rollgate::Plan = rollgate::wire::from_fn(|| PyDe(rest.as_any())).ok()?;
    // Every field at its serde default (not necessarily `Default`).
    let template: rollgate::Service = serde_json::from_value(serde_json::json!({"id": ""})).ok()?;
    let mut out = Vec::with_capacity(services.len());
    for item in services.iter() {
        out.push(match fast_service(&item, &template) {
            Some(service) => service,
            None => rollgate::wire::from_fn(|| PyDe(&item)).ok()?,
        });
    }
    plan.services = out;
    Some(plan)
}

/// One service dict of the common shape (see [`fast_plan`]), or `None`.
fn fast_service(obj: &Bound<'_, PyAny>, template: &rollgate::Service) -> Option<rollgate::Service> {
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let mut service = template.clone();
    let mut has_id = false;
    for (key, value) in dict.iter() {
        let key = key.cast_exact::<PyString>().ok()?;
        match key.to_str().ok()? {
            "id" => {
                service.id = exact_str(&value)?;
                has_id = true;
            }
            "depends_on" => {
                let list = value.cast_exact::<PyList>().ok()?;
                let mut deps = Vec::with_capacity(list.len());
                for dep in list.iter() {
                    deps.push(exact_str(&dep)?);
                }
                service.depends_on = deps;
            }
            "deploy_duration" => {
                service.deploy_duration = rollgate::DurationSecs::deserialize(PyDe(&value)).ok()?;
            }
            "stateful" => service.stateful = value.cast_exact::<PyBool>().ok()?.is_true(),
            "customer_facing" => {
                service.customer_facing = value.cast_exact::<PyBool>().ok()?.is_true();
            }
            _ => return None,
        }
    }
    has_id.then_some(service)
}

fn exact_str(obj: &Bound<'_, PyAny>) -> Option<String> {
    Some(obj.cast_exact::<PyString>().ok()?.to_str().ok()?.to_owned())
}

/// `order_services`'s result as Python objects, in the canonical shape of
/// `rollgate::ServiceOrder`, with one `str` per service.
fn order_to_py<'py>(
    py: Python<'py>,
    graph: &rollgate::ServiceGraph,
    order: &rollgate::IndexedOrder,
) -> PyResult<Bound<'py, PyAny>> {
    let names: Vec<Bound<'py, PyString>> = (0..graph.len())
        .map(|i| PyString::new(py, graph.id(i).unwrap_or("")))
        .collect();
    let empty = PyString::new(py, "");
    let name = |i: &usize| names.get(*i).unwrap_or(&empty).clone();
    let waves = |waves: &[Vec<usize>]| -> PyResult<Bound<'py, PyList>> {
        let lists = waves
            .iter()
            .map(|w| PyList::new(py, w.iter().map(name)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, lists)
    };
    let cp = &order.critical_path;
    let keys = [
        intern!(py, "id"),
        intern!(py, "earliest_start"),
        intern!(py, "earliest_finish"),
        intern!(py, "latest_start"),
        intern!(py, "latest_finish"),
        intern!(py, "slack"),
    ];
    let [k_id, k_es, k_ef, k_ls, k_lf, k_slack] = keys;
    let timings = cp
        .services
        .iter()
        .map(|t| -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item(k_id, name(&t.index))?;
            d.set_item(k_es, t.earliest_start)?;
            d.set_item(k_ef, t.earliest_finish)?;
            d.set_item(k_ls, t.latest_start)?;
            d.set_item(k_lf, t.latest_finish)?;
            d.set_item(k_slack, t.slack)?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    let critical_path = PyDict::new(py);
    critical_path.set_item(intern!(py, "makespan_seconds"), cp.makespan_seconds)?;
    critical_path.set_item(
        intern!(py, "path"),
        PyList::new(py, cp.path.iter().map(name))?,
    )?;
    critical_path.set_item(intern!(py, "services"), PyList::new(py, timings)?)?;
    let result = PyDict::new(py);
    result.set_item(intern!(py, "waves"), waves(&order.waves)?)?;
    result.set_item(intern!(py, "rollback_waves"), waves(&order.rollback_waves)?)?;
    result.set_item(intern!(py, "critical_path"), critical_path)?;
    Ok(result.into_any())
}

/// Adds this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(order_services, m)?)?;
    m.add_function(wrap_pyfunction!(blast_radius, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_services, m)?)?;
    Ok(())
}
