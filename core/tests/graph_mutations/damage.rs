//! Valid plan documents, and the damages done to them.

use proptest::prelude::*;
use proptest::sample::Index;
use rollgate::wire::MAX_DURATION_SECS as MAX_DURATION;
use serde_json::{json, Value};

/// A deploy duration in one of the accepted forms.
fn duration() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..5000).prop_map(Value::from),
        (0u64..5000).prop_map(|s| json!(s as f64)),
        (0u64..5000).prop_map(|s| json!(s.to_string())),
        (0u64..120).prop_map(|m| json!(format!("{m}m"))),
        (0u64..5, 0u64..60).prop_map(|(h, m)| json!(format!("{h}h{m}m"))),
        (1u64..9).prop_map(|h| json!(format!("{h}.5h"))),
    ]
}

/// A valid plan: service `i` depends only on services before it in id
/// creation, listed in a shuffled order; ids of varied bytes, unique
/// because a non-digit prefix is followed by the number.
fn valid_plan() -> impl Strategy<Value = Value> {
    let service = || {
        (
            proptest::collection::vec(any::<Index>(), 0..4),
            duration(),
            any::<bool>(),
            any::<bool>(),
            "[a-zé_.-]{0,3}",
            proptest::option::of("[a-z]{1,5}"),
        )
    };
    (0usize..24)
        .prop_flat_map(move |n| {
            (
                proptest::collection::vec(service(), n),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                any::<bool>(),
            )
        })
        .prop_map(|(specs, order, reverse_deps)| {
            let ids: Vec<String> = specs
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}{i}", s.4))
                .collect();
            let services: Vec<Value> = order
                .iter()
                .map(|&i| {
                    let (edges, duration, facing, stateful, _, owner) = &specs[i];
                    let mut deps: Vec<usize> = match i {
                        0 => vec![],
                        _ => edges.iter().map(|e| e.index(i)).collect(),
                    };
                    deps.sort_unstable();
                    deps.dedup();
                    if reverse_deps {
                        deps.reverse();
                    }
                    let mut s = json!({"id": ids[i], "deploy_duration": duration});
                    if !deps.is_empty() {
                        s["depends_on"] = deps.iter().map(|&d| json!(ids[d])).collect();
                    }
                    if *facing {
                        s["customer_facing"] = json!(true);
                    }
                    if *stateful {
                        s["stateful"] = json!(true);
                    }
                    if let Some(owner) = owner {
                        s["owner"] = json!(owner);
                    }
                    s
                })
                .collect();
            json!({"name": "generated", "services": services})
        })
}

/// One damage done to a plan document.
#[derive(Debug, Clone)]
pub enum Damage {
    /// Moves the first service to the end (a valid change).
    Rotate,
    /// Reverses the dependency list of a service (a valid change).
    ReverseDependencies(Index),
    DropDependency(Index, Index),
    RepeatDependency(Index, Index),
    /// Points a dependency at another service of the plan (possibly the
    /// service itself, possibly closing a cycle).
    Retarget(Index, Index, Index),
    /// Adds a dependency on another service of the plan.
    AddDependency(Index, Index),
    UnknownDependency(Index, String),
    RenameId(Index, String),
    CopyId(Index, Index),
    EmptyId(Index),
    RemoveId(Index),
    /// Gives a service field (or, without a service, a plan field) a value
    /// of the wrong type.
    WrongType(Option<Index>, &'static str, Value),
    UnknownField(Option<Index>, String),
    /// A duration at or beyond the edges of the accepted range, and
    /// whether it is accepted.
    ExtremeDuration(Index, Value, bool),
}

fn damage() -> impl Strategy<Value = Damage> {
    let wrong_type = prop_oneof![
        Just(("id", json!(7))),
        Just(("id", Value::Null)),
        Just(("depends_on", json!("a0"))),
        Just(("depends_on", json!([1]))),
        Just(("deploy_duration", json!(true))),
        Just(("deploy_duration", json!({}))),
        Just(("customer_facing", json!("yes"))),
        Just(("stateful", json!(1))),
        Just(("tags", json!("x"))),
        Just(("name", json!(5))),
        Just(("services", json!({}))),
        Just(("services", json!("all"))),
    ];
    let extreme = prop_oneof![
        Just((json!(0), true)),
        Just((json!(MAX_DURATION), true)),
        Just((json!(format!("{}d", MAX_DURATION / 86_400)), true)),
        Just((json!(MAX_DURATION + 1), false)),
        Just((json!(-1), false)),
        Just((json!(1e300), false)),
        Just((json!(1.5), false)),
        Just((json!("0.5s"), false)),
        Just((json!(""), false)),
        Just((json!("99999999999999999999999h"), false)),
        Just((json!(u64::MAX), false)),
    ];
    let name = "[a-z]{0,3}";
    prop_oneof![
        3 => Just(Damage::Rotate),
        2 => any::<Index>().prop_map(Damage::ReverseDependencies),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Damage::DropDependency(a, b)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Damage::RepeatDependency(a, b)),
        3 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| Damage::Retarget(a, b, c)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Damage::AddDependency(a, b)),
        2 => (any::<Index>(), name).prop_map(|(a, s)| Damage::UnknownDependency(a, s)),
        2 => (any::<Index>(), name).prop_map(|(a, s)| Damage::RenameId(a, s)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Damage::CopyId(a, b)),
        1 => any::<Index>().prop_map(Damage::EmptyId),
        1 => any::<Index>().prop_map(Damage::RemoveId),
        1 => (proptest::option::of(any::<Index>()), wrong_type)
            .prop_map(|(at, (field, value))| Damage::WrongType(at, field, value)),
        1 => (proptest::option::of(any::<Index>()), "[a-z]{1,6}")
            .prop_map(|(at, field)| Damage::UnknownField(at, field)),
        2 => (any::<Index>(), extreme).prop_map(|(at, (v, ok))| Damage::ExtremeDuration(at, v, ok)),
    ]
}

/// A valid plan and the damages to do to it (none in about a fifth of the
/// cases).
pub fn damaged_plan() -> impl Strategy<Value = (Value, Vec<Damage>)> {
    (valid_plan(), proptest::collection::vec(damage(), 0..4))
}

/// The services of a document, if it still has a list of them.
fn services(doc: &mut Value) -> Option<&mut Vec<Value>> {
    doc.get_mut("services").and_then(Value::as_array_mut)
}

/// The dependency list of service `at`, if it has a non-empty one.
fn deps_of<'a>(doc: &'a mut Value, at: &Index) -> Option<&'a mut Vec<Value>> {
    let list = services(doc).filter(|l| !l.is_empty())?;
    let i = at.index(list.len());
    let deps = list[i].get_mut("depends_on")?.as_array_mut()?;
    Some(deps).filter(|d| !d.is_empty())
}

/// The id of service `at` (as a JSON value), if there are services.
fn id_at(doc: &Value, at: &Index) -> Option<Value> {
    let list = doc.get("services")?.as_array()?;
    if list.is_empty() {
        return None;
    }
    // Only an id that is a string: a wrong-typed id (an earlier damage)
    // copied into a `depends_on` would be a second, unrecorded damage.
    list[at.index(list.len())]
        .get("id")
        .filter(|id| id.is_string())
        .cloned()
}

/// Applies `damage` to `doc`, recording the JSON pointer of what it made
/// unreadable (a reading error must name one of these places or a place
/// inside one). Damages that do not apply (no services, no dependencies)
/// change nothing.
pub fn apply(doc: &mut Value, damage: &Damage, poisoned: &mut Vec<String>) {
    match damage {
        Damage::Rotate => {
            if let Some(list) = services(doc).filter(|l| !l.is_empty()) {
                list.rotate_left(1);
                // Places recorded so far moved: every service is suspect.
                if !poisoned.is_empty() {
                    poisoned.push("/services".into());
                }
            }
        }
        Damage::RemoveId(at) => {
            if let Some(list) = services(doc).filter(|l| !l.is_empty()) {
                let i = at.index(list.len());
                if let Some(s) = list[i].as_object_mut() {
                    s.remove("id");
                    poisoned.push(format!("/services/{i}"));
                }
            }
        }
        Damage::RenameId(..)
        | Damage::CopyId(..)
        | Damage::EmptyId(_)
        | Damage::WrongType(..)
        | Damage::UnknownField(..)
        | Damage::ExtremeDuration(..) => damage_field(doc, damage, poisoned),
        _ => damage_dependencies(doc, damage),
    }
}

/// The damages to one field of a service or of the plan.
fn damage_field(doc: &mut Value, damage: &Damage, poisoned: &mut Vec<String>) {
    match damage {
        Damage::RenameId(at, name) => set_field(doc, at, "id", json!(name), None, poisoned),
        Damage::CopyId(at, from) => {
            if let Some(id) = id_at(doc, from) {
                set_field(doc, at, "id", id, None, poisoned);
            }
        }
        Damage::EmptyId(at) => set_field(doc, at, "id", json!(""), None, poisoned),
        Damage::WrongType(None, field, value)
        | Damage::WrongType(Some(_), field @ ("name" | "services"), value) => {
            doc[*field] = value.clone();
            poisoned.push(format!("/{field}"));
        }
        Damage::WrongType(Some(at), field, value) => {
            set_field(doc, at, field, value.clone(), Some(field), poisoned);
        }
        Damage::UnknownField(None, field) => {
            doc[format!("x{field}")] = json!(1);
            poisoned.push(format!("/x{field}"));
        }
        Damage::UnknownField(Some(at), field) => {
            let name = format!("x{field}");
            set_field(doc, at, &name, json!(1), Some(&name), poisoned);
        }
        Damage::ExtremeDuration(at, value, accepted) => {
            let mark = (!accepted).then_some("deploy_duration");
            set_field(doc, at, "deploy_duration", value.clone(), mark, poisoned);
        }
        _ => {}
    }
}

/// The damages to a service's dependency list; all keep the plan readable.
fn damage_dependencies(doc: &mut Value, damage: &Damage) {
    match damage {
        Damage::AddDependency(at, to) => {
            if let (Some(target), Some(list)) = (id_at(doc, to), services(doc)) {
                let i = at.index(list.len());
                if let Some(s) = list[i].as_object_mut() {
                    let deps = s.entry("depends_on").or_insert_with(|| json!([]));
                    if let Some(deps) = deps.as_array_mut() {
                        deps.push(target);
                    }
                }
            }
        }
        Damage::Retarget(at, dep, to) => {
            let target = id_at(doc, to);
            if let (Some(target), Some(deps)) = (target, deps_of(doc, at)) {
                let j = dep.index(deps.len());
                deps[j] = target;
            }
        }
        Damage::ReverseDependencies(at) => {
            if let Some(deps) = deps_of(doc, at) {
                deps.reverse();
            }
        }
        Damage::DropDependency(at, dep) => {
            if let Some(deps) = deps_of(doc, at) {
                deps.remove(dep.index(deps.len()));
            }
        }
        Damage::RepeatDependency(at, dep) => {
            if let Some(deps) = deps_of(doc, at) {
                let d = deps[dep.index(deps.len())].clone();
                deps.push(d);
            }
        }
        Damage::UnknownDependency(at, name) => {
            if let Some(deps) = deps_of(doc, at) {
                deps.push(json!(format!("{name}?")));
            }
        }
        _ => {}
    }
}

/// Sets `field` of service `at`; when `mark` is given, records the field's
/// place as unreadable.
fn set_field(
    doc: &mut Value,
    at: &Index,
    field: &str,
    value: Value,
    mark: Option<&str>,
    poisoned: &mut Vec<String>,
) {
    let Some(list) = services(doc) else { return };
    if list.is_empty() {
        return;
    }
    let i = at.index(list.len());
    if let Some(s) = list[i].as_object_mut() {
        s.insert(field.to_string(), value);
        if let Some(mark) = mark {
            poisoned.push(format!("/services/{i}/{mark}"));
        }
    }
}
