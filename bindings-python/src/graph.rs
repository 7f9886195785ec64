//! Dependency-graph functions: `order_services`, `blast_radius`, `schedule_services`.
//!
//! Plans here can hold 100,000 services, so the conversions are specialised:
//! [`with_services`] reads the common shape of a service dict without the
//! generic reader's per-value type dispatch and lends the graph the ids and
//! dependency names straight from the plan's `str` objects (anything
//! unusual, and every error, goes through the generic reader, so meanings
//! and error paths are the same), and `order_services` builds its result
//! from service positions with one Python `str` per service, shared by the
//! waves, the rollback waves, the path and the timings.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::Deserialize;

use crate::convert::{arg, count, doc, to_py, Raise};
use crate::de::PyDe;

/// Deployment waves, rollback waves and critical path of a plan.
#[pyfunction]
fn order_services(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let (graph, order) = with_services(plan, |services| {
        py.detach(|| {
            let graph = rollgate::ServiceGraph::from_refs(services)?;
            let order = graph.order_indices();
            Ok((graph, order))
        })
    })?
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
    // Errors in the order of the arguments, then the graph's.
    let result =
        with_services(plan, |refs| -> PyResult<_> {
            let services: Option<Vec<String>> = match services {
                Some(s) if !s.is_none() => Some(arg(s, "services")?),
                _ => None,
            };
            Ok(py.detach(|| {
                rollgate::ServiceGraph::from_refs(refs)?.blast_radius(services.as_deref())
            }))
        })??
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
    let result = with_services(plan, |refs| -> PyResult<_> {
        let max_parallel = count(max_parallel, "max_parallel", 1)?;
        Ok(py.detach(|| rollgate::ServiceGraph::from_refs(refs)?.schedule(max_parallel)))
    })??
    .raise(py)?;
    to_py(py, &result)
}

/// Reads a plan and calls `f` with its services, borrowed: ids and
/// dependency names straight from the plan's Python `str` objects when the
/// plan has the common shape (see [`fast_read`]), else from a plan read by
/// the generic reader, which also reports every error (so meanings, codes
/// and paths are those of the generic reader).
fn with_services<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[rollgate::ServiceRef<'_>]) -> R,
) -> PyResult<R> {
    if let Some(parts) = fast_read(obj) {
        // Every `str` was checked to be an exact `str`; one that is not valid
        // UTF-8 (lone surrogates) sends the plan to the generic reader.
        let names: Option<Vec<&str>> = parts.strs.iter().map(|s| s.to_str().ok()).collect();
        if let Some(names) = names {
            let owned_names: Vec<&str> = parts
                .owned
                .iter()
                .flat_map(|s| {
                    std::iter::once(s.id.as_str()).chain(s.depends_on.iter().map(String::as_str))
                })
                .collect();
            let refs = refs_of(&parts.entries, &names, &owned_names, &parts.owned);
            return Ok(f(&refs));
        }
    }
    let plan: rollgate::Plan = doc(obj)?;
    let owned_names: Vec<&str> = plan
        .services
        .iter()
        .flat_map(|s| std::iter::once(s.id.as_str()).chain(s.depends_on.iter().map(String::as_str)))
        .collect();
    let entries: Vec<Entry> = (0..plan.services.len()).map(Entry::Owned).collect();
    let refs = refs_of(&entries, &[], &owned_names, &plan.services);
    Ok(f(&refs))
}

/// One service of a plan read by [`fast_read`].
enum Entry {
    /// Read by hand: its id and then its dependencies are the next
    /// `1 + deps` entries of the `str` list.
    Fast {
        deps: usize,
        deploy_duration: rollgate::DurationSecs,
        customer_facing: bool,
    },
    /// Read by the generic reader: `owned[i]`.
    Owned(usize),
}

/// What [`fast_read`] keeps of a plan.
struct Parts<'py> {
    entries: Vec<Entry>,
    /// Ids and dependency names of the services read by hand, in order.
    strs: Vec<Bound<'py, PyString>>,
    /// The services read by the generic reader.
    owned: Vec<rollgate::Service>,
}

/// Borrowed services: `names` holds the names of the `Fast` entries in
/// order, `owned_names` the id then dependencies of each `owned` service.
fn refs_of<'a>(
    entries: &[Entry],
    names: &'a [&'a str],
    owned_names: &'a [&'a str],
    owned: &[rollgate::Service],
) -> Vec<rollgate::ServiceRef<'a>> {
    // Where each owned service's names start in `owned_names`.
    let mut owned_at = Vec::with_capacity(owned.len());
    let mut at = 0;
    for s in owned {
        owned_at.push(at);
        at += 1 + s.depends_on.len();
    }
    let mut next = 0;
    entries
        .iter()
        .map(|entry| match *entry {
            Entry::Fast {
                deps,
                deploy_duration,
                customer_facing,
            } => {
                let id = names.get(next).copied().unwrap_or("");
                let depends_on = names.get(next + 1..next + 1 + deps).unwrap_or(&[]);
                next += 1 + deps;
                rollgate::ServiceRef {
                    id,
                    depends_on,
                    deploy_duration,
                    customer_facing,
                }
            }
            Entry::Owned(i) => {
                let service = owned.get(i);
                let start = owned_at.get(i).copied().unwrap_or(0);
                let deps = service.map_or(0, |s| s.depends_on.len());
                rollgate::ServiceRef {
                    id: owned_names.get(start).copied().unwrap_or(""),
                    depends_on: owned_names.get(start + 1..start + 1 + deps).unwrap_or(&[]),
                    deploy_duration: service
                        .map_or(rollgate::DurationSecs(0), |s| s.deploy_duration),
                    customer_facing: service.is_some_and(|s| s.customer_facing),
                }
            }
        })
        .collect()
}

/// A plan read without the generic reader's per-value dispatch, or `None`
/// if anything is out of the ordinary (the caller then uses the generic
/// reader). A `dict` whose `services` is a `list`: every other top-level
/// key is checked by the generic reader; every service dict whose keys are
/// among `id`, `depends_on` (a `list` of `str`), `deploy_duration`,
/// `stateful` and `customer_facing` (`bool`) is read by hand, any other
/// service by the generic reader; all `str` and containers of exact
/// built-in types.
fn fast_read<'py>(obj: &Bound<'py, PyAny>) -> Option<Parts<'py>> {
    let py = obj.py();
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let services = dict.get_item(intern!(py, "services")).ok()??;
    let services = services.cast_exact::<PyList>().ok()?;
    // The rest of the plan, with no services, through the generic reader.
    let rest = dict.copy().ok()?;
    rest.set_item(intern!(py, "services"), PyList::empty(py))
        .ok()?;
    let _: rollgate::Plan = rollgate::wire::from_fn(|| PyDe(rest.as_any())).ok()?;
    let mut parts = Parts {
        entries: Vec::with_capacity(services.len()),
        strs: Vec::new(),
        owned: Vec::new(),
    };
    for item in services.iter() {
        let entry = match fast_service(&item, &mut parts.strs) {
            Some(entry) => entry,
            None => {
                let service: rollgate::Service = rollgate::wire::from_fn(|| PyDe(&item)).ok()?;
                parts.owned.push(service);
                Entry::Owned(parts.owned.len() - 1)
            }
        };
        parts.entries.push(entry);
    }
    Some(parts)
}

/// One service dict of the common shape (see [`fast_read`]): pushes its id
/// and dependency names onto `strs`, or leaves `strs` as it was and returns
/// `None`.
fn fast_service<'py>(
    obj: &Bound<'py, PyAny>,
    strs: &mut Vec<Bound<'py, PyString>>,
) -> Option<Entry> {
    let mark = strs.len();
    let entry = fast_service_fields(obj, strs);
    if entry.is_none() {
        strs.truncate(mark);
    }
    entry
}

fn fast_service_fields<'py>(
    obj: &Bound<'py, PyAny>,
    strs: &mut Vec<Bound<'py, PyString>>,
) -> Option<Entry> {
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let py = obj.py();
    let mut id = None;
    let mut deps = None;
    let mut deploy_duration = rollgate::DurationSecs(0);
    let mut customer_facing = false;
    for (key, value) in dict.iter() {
        let key = key.cast_exact::<PyString>().ok()?;
        match field(py, key)? {
            Field::Id => id = Some(value.cast_into_exact::<PyString>().ok()?),
            Field::DependsOn => deps = Some(value.cast_into_exact::<PyList>().ok()?),
            Field::DeployDuration => {
                // An int reaches the same visitor method (`visit_i64`) as
                // through the generic reader, without its type dispatch.
                let int = value
                    .cast_exact::<PyInt>()
                    .ok()
                    .and_then(|i| i.extract::<i64>().ok());
                deploy_duration =
                    match int {
                        Some(v) => rollgate::DurationSecs::deserialize(
                            serde::de::value::I64Deserializer::<serde::de::value::Error>::new(v),
                        )
                        .ok()?,
                        None => rollgate::DurationSecs::deserialize(PyDe(&value)).ok()?,
                    };
            }
            Field::Stateful => {
                value.cast_exact::<PyBool>().ok()?;
            }
            Field::CustomerFacing => {
                customer_facing = value.cast_exact::<PyBool>().ok()?.is_true();
            }
        }
    }
    strs.push(id?);
    let first_dep = strs.len();
    if let Some(deps) = deps {
        strs.reserve(deps.len());
        for dep in deps.iter() {
            strs.push(dep.cast_into_exact::<PyString>().ok()?);
        }
    }
    let count = strs.len() - first_dep;
    Some(Entry::Fast {
        deps: count,
        deploy_duration,
        customer_facing,
    })
}

/// The service fields the fast reader knows.
#[derive(Clone, Copy)]
enum Field {
    Id,
    DependsOn,
    DeployDuration,
    Stateful,
    CustomerFacing,
}

/// Which field a key names, if one the fast reader knows. Keys written in
/// Python source are interned, so they are usually these very objects.
fn field(py: Python<'_>, key: &Bound<'_, PyString>) -> Option<Field> {
    let known = [
        (intern!(py, "id"), Field::Id),
        (intern!(py, "depends_on"), Field::DependsOn),
        (intern!(py, "deploy_duration"), Field::DeployDuration),
        (intern!(py, "stateful"), Field::Stateful),
        (intern!(py, "customer_facing"), Field::CustomerFacing),
    ];
    if let Some(&(_, f)) = known.iter().find(|(k, _)| key.is(k)) {
        return Some(f);
    }
    match key.to_str().ok()? {
        "id" => Some(Field::Id),
        "depends_on" => Some(Field::DependsOn),
        "deploy_duration" => Some(Field::DeployDuration),
        "stateful" => Some(Field::Stateful),
        "customer_facing" => Some(Field::CustomerFacing),
        _ => None,
    }
}

/// `order_services`'s result as Python objects, in the canonical shape of
/// `rollgate::ServiceOrder`, with one `str` per service shared by all the
/// lists (new objects: reusing the plan's own measured no faster, as they
/// lie scattered among the plan's dicts), one `int` per distinct time, and
/// the timing dicts copied from a template (presized: no growth while
/// filling).
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
    // Every time is at most the makespan: small makespans get a table.
    let table = (cp.makespan_seconds as usize)
        .saturating_add(1)
        .min((graph.len() * 4).max(1 << 16));
    let mut ints: Vec<Option<Bound<'py, PyAny>>> = vec![None; table];
    let mut int = |v: u64| -> PyResult<Bound<'py, PyAny>> {
        match ints.get_mut(v as usize) {
            Some(Some(cached)) => Ok(cached.clone()),
            Some(slot) => {
                let new = v.into_bound_py_any(py)?;
                *slot = Some(new.clone());
                Ok(new)
            }
            None => v.into_bound_py_any(py),
        }
    };
    let keys = [
        intern!(py, "id"),
        intern!(py, "earliest_start"),
        intern!(py, "earliest_finish"),
        intern!(py, "latest_start"),
        intern!(py, "latest_finish"),
        intern!(py, "slack"),
    ];
    let template = PyDict::new(py);
    for key in keys {
        template.set_item(key, py.None())?;
    }
    let [k_id, k_es, k_ef, k_ls, k_lf, k_slack] = keys;
    let mut timings = Vec::with_capacity(cp.services.len());
    for t in &cp.services {
        let d = template.copy()?;
        d.set_item(k_id, name(&t.index))?;
        d.set_item(k_es, int(t.earliest_start)?)?;
        d.set_item(k_ef, int(t.earliest_finish)?)?;
        d.set_item(k_ls, int(t.latest_start)?)?;
        d.set_item(k_lf, int(t.latest_finish)?)?;
        d.set_item(k_slack, int(t.slack)?)?;
        timings.push(d);
    }
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
