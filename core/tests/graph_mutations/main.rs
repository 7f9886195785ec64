//! Property test of the whole path from JSON text to the graph analyses:
//! valid plans are generated, then damaged the ways a careless or hostile
//! caller would damage them (dropped, repeated and retargeted dependencies,
//! renamed and copied ids, fields of the wrong type, unknown fields, extreme
//! durations, reordered lists), so that most cases get past parsing and the
//! engine's own checks and analyses are exercised.
//!
//! Every outcome is checked against a naive model written here: a reading
//! error names a place a damage touched; a readable plan gets exactly the
//! first graph error in plan order that the model finds (or a real cycle,
//! with exactly the services on cycles as members), or a result whose waves
//! respect every dependency and which does not depend on list order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rollgate::error::{ErrorKind, PlanError};
use rollgate::Plan;
use serde_json::{json, Value};

mod damage;
mod model;

use damage::{apply, damaged_plan, Damage};
use model::Model;

/// How the cases came out, to check that they reach the engine.
#[derive(Debug, Default)]
struct Outcomes {
    cases: usize,
    unreadable: usize,
    analysed: usize,
    graph_errors: BTreeMap<String, usize>,
}

fn check(
    doc: &Value,
    damages: &[Damage],
    outcomes: &RefCell<Outcomes>,
) -> Result<(), TestCaseError> {
    let mut doc = doc.clone();
    let mut poisoned = Vec::new();
    for d in damages {
        apply(&mut doc, d, &mut poisoned);
    }
    outcomes.borrow_mut().cases += 1;
    let plan = match Plan::from_json(&doc.to_string()) {
        Ok(plan) => plan,
        Err(err) => {
            outcomes.borrow_mut().unreadable += 1;
            prop_assert!(
                ["invalid_input", "unknown_field", "invalid_duration"].contains(&err.code()),
                "{err}"
            );
            prop_assert!(
                doc.pointer(err.path()).is_some(),
                "{} names no place in {}",
                err.path(),
                doc
            );
            let named = poisoned
                .iter()
                .any(|p| err.path() == p || err.path().starts_with(&format!("{p}/")));
            prop_assert!(named, "{err} is not at a damaged place {poisoned:?}");
            return Ok(());
        }
    };
    let model = Model::new(&plan);
    let result = rollgate::order_services(&plan);
    match (model.first_error(), result) {
        (Some((code, path)), result) => {
            let Err(err) = result else {
                return Err(TestCaseError::fail(format!(
                    "no error, expected {code} at {path}"
                )));
            };
            prop_assert_eq!((err.code(), err.path()), (code, path.as_str()));
            check_error_details(&doc, &err)?;
            for other in [
                rollgate::blast_radius(&plan, None).err(),
                rollgate::schedule_services(&plan, 2).err(),
            ] {
                prop_assert_eq!(other.as_ref(), Some(&err));
            }
            *outcomes
                .borrow_mut()
                .graph_errors
                .entry(code.into())
                .or_default() += 1;
        }
        (None, Err(err)) => {
            prop_assert_eq!(err.code(), "dependency_cycle", "{}", err);
            check_cycle(&doc, &plan, &model, &err)?;
            *outcomes
                .borrow_mut()
                .graph_errors
                .entry(err.code().into())
                .or_default() += 1;
        }
        (None, Ok(order)) => {
            prop_assert!(model.cycle_members().is_empty());
            check_analyses(&plan, &model, &order)?;
            outcomes.borrow_mut().analysed += 1;
        }
    }
    Ok(())
}

/// The plan with its services and every dependency list in reverse order.
fn reversed(plan: &Plan) -> Plan {
    let mut reversed = plan.clone();
    reversed.services.reverse();
    for s in &mut reversed.services {
        s.depends_on.reverse();
    }
    reversed
}

/// A graph error's fields name what is at its path.
fn check_error_details(doc: &Value, err: &rollgate::Error) -> Result<(), TestCaseError> {
    let at = doc.pointer(err.path()).cloned();
    prop_assert!(at.is_some(), "{} names no place", err.path());
    match err.kind() {
        ErrorKind::Plan(PlanError::UnknownDependency { dependency, .. }) => {
            prop_assert_eq!(at, Some(json!(dependency)));
        }
        ErrorKind::Plan(PlanError::SelfDependency { service }) => {
            prop_assert_eq!(at, Some(json!(service)));
        }
        ErrorKind::Plan(PlanError::DuplicateId { id, first_path }) => {
            prop_assert_eq!(&at, &Some(json!(id)));
            prop_assert_eq!(doc.pointer(first_path).cloned(), at);
            prop_assert_ne!(first_path.as_str(), err.path());
        }
        ErrorKind::Input(_) => prop_assert_eq!(at, Some(json!(""))),
        other => prop_assert!(false, "unexpected kind {:?}", other),
    }
    Ok(())
}

/// A cycle report: a real cycle through the smallest member, all services
/// on cycles and only they as members, the path of its first dependency,
/// and the same report whatever the list order.
fn check_cycle(
    doc: &Value,
    plan: &Plan,
    model: &Model,
    err: &rollgate::Error,
) -> Result<(), TestCaseError> {
    let ErrorKind::Plan(PlanError::DependencyCycle { cycle, members }) = err.kind() else {
        return Err(TestCaseError::fail(format!("{err:?}")));
    };
    prop_assert_eq!(members, &model.cycle_members());
    prop_assert!(cycle.len() >= 3 && cycle.first() == cycle.last());
    prop_assert_eq!(cycle.first(), members.first());
    for pair in cycle.windows(2) {
        let from = model.position(&pair[0]);
        prop_assert!(model.deps[from].contains(&pair[1]));
    }
    prop_assert_eq!(doc.pointer(err.path()).cloned(), Some(json!(cycle[1])));
    let first = format!("/services/{}/depends_on/", model.position(&cycle[0]));
    let reversed = reversed(plan);
    let again = rollgate::order_services(&reversed).err();
    prop_assert_eq!(again.as_ref().map(rollgate::Error::kind), Some(err.kind()));
    prop_assert!(
        err.path().starts_with(&first),
        "{} is not in {}",
        err.path(),
        first
    );
    Ok(())
}

/// Waves, timings, blast radius and schedules of an acyclic plan against the
/// model, and against the same plan with every list reversed.
fn check_analyses(
    plan: &Plan,
    model: &Model,
    order: &rollgate::ServiceOrder,
) -> Result<(), TestCaseError> {
    let mut placed: Vec<(usize, &str)> = Vec::new();
    for (w, wave) in order.waves.iter().enumerate() {
        prop_assert!(!wave.is_empty() && wave.windows(2).all(|p| p[0] < p[1]));
        placed.extend(wave.iter().map(|id| (w, id.as_str())));
    }
    prop_assert_eq!(placed.len(), model.ids.len());
    let (waves, finishes) = model.waves_and_finishes();
    for (w, id) in placed {
        prop_assert_eq!(w, waves[model.position(id)], "wave of {}", id);
    }
    let rollback: BTreeSet<&str> = order
        .rollback_waves
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    prop_assert_eq!(rollback.len(), model.ids.len());
    let makespan = finishes.iter().copied().max().unwrap_or(0);
    prop_assert_eq!(order.critical_path.makespan_seconds, makespan);
    let schedule = rollgate::schedule_services(plan, 3).unwrap();
    let slot: HashMap<&str, (u64, u64)> = schedule
        .services
        .iter()
        .map(|s| (s.id.as_str(), (s.start, s.finish)))
        .collect();
    for (v, deps) in model.deps.iter().enumerate() {
        for d in deps {
            prop_assert!(slot[d.as_str()].1 <= slot[model.ids[v].as_str()].0);
        }
    }
    let reversed = reversed(plan);
    prop_assert_eq!(&rollgate::order_services(&reversed).unwrap(), order);
    prop_assert_eq!(
        rollgate::blast_radius(&reversed, None).unwrap(),
        rollgate::blast_radius(plan, None).unwrap()
    );
    prop_assert_eq!(rollgate::schedule_services(&reversed, 3).unwrap(), schedule);
    Ok(())
}

#[test]
fn damaged_plans_reach_the_engine_and_get_the_documented_outcome() {
    let outcomes = RefCell::new(Outcomes::default());
    let mut runner = TestRunner::new(Config {
        cases: 1000,
        ..Config::default()
    });
    let result = runner.run(&damaged_plan(), |(doc, damages)| {
        check(&doc, &damages, &outcomes)
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let o = outcomes.into_inner();
    eprintln!("{o:?}");
    // Most cases must get past reading, many all the way through the
    // analyses, and every kind of graph error must come up.
    assert!(o.unreadable * 10 <= o.cases * 4, "{o:?}");
    assert!(o.analysed * 10 >= o.cases * 3, "{o:?}");
    for code in [
        "invalid_input",
        "duplicate_id",
        "self_dependency",
        "unknown_dependency",
        "dependency_cycle",
    ] {
        assert!(
            o.graph_errors.get(code).is_some_and(|&k| k >= 5),
            "{code}: {o:?}"
        );
    }
}
