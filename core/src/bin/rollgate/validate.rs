//! `rollgate validate`: every problem of a document, each with its code and
//! path, not just the first.
//!
//! The engine stops at the first problem it meets, so the document is
//! checked again and again through the same function the bindings call:
//! each time, the problem found is recorded (its path translated back to the
//! document as given) and the part at fault is set aside so that the next
//! check gets past it:
//!
//! - the field the path names is removed (a bad duration, an unknown field,
//!   a duplicate `id`), or the list element it names (a `depends_on` entry
//!   naming an unknown service, a malformed service);
//! - a list element is first replaced by `{"id": ...}` when it has a string
//!   `id`, so that references to it still resolve instead of showing up as
//!   problems of their own;
//! - a missing required field (missing in the document, or removed above)
//!   gets a stand-in of each JSON type in turn until one is accepted.
//!
//! A problem met inside such a stand-in, or at an object or list something
//! was removed from, may be caused by the setting aside: it is not
//! reported. What "every problem" covers, then: the first problem of each
//! field and of each list element, structural (types, fields, durations,
//! timestamps) and semantic (unknown or duplicate ids, cycles, regions,
//! calendars) alike. A second problem inside a value already reported (a
//! service with an unknown field *and* a cycle through the removed part)
//! shows once the first is fixed. The report says `complete: false` when
//! the check could not go on (nothing left to set aside, or more than
//! 1,000 problems).

use clap::ValueEnum;
use serde_json::{json, Map, Value};

use crate::commands::run_refs;
use crate::fail::{Exit, Fail};
use crate::input::Reader;
use crate::Done;

/// The most problems reported for one document.
const MAX_PROBLEMS: usize = 1000;

/// What kind of document to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A release plan (graph; regions, calendars and rollout policy when it has regions).
    Plan,
    /// A release calendar.
    Calendar,
    /// A canary configuration.
    CanaryConfig,
    /// A change.
    Change,
    /// A governance policy.
    Policy,
    /// A risk model.
    Model,
    /// A service profile (for `rollgate strategy`).
    Service,
    /// A rollout schedule (the output of `rollgate rollout`).
    Schedule,
    /// A change-log record to append.
    Record,
    /// A change log (a list of records; the chain itself: `rollgate log verify`).
    Log,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Calendar => "calendar",
            Kind::CanaryConfig => "canary-config",
            Kind::Change => "change",
            Kind::Policy => "policy",
            Kind::Model => "model",
            Kind::Service => "service",
            Kind::Schedule => "schedule",
            Kind::Record => "record",
            Kind::Log => "log",
        }
    }

    /// The parameter the document is passed as: errors inside it start with
    /// this name (`""`: the function's main document, paths start with `/`).
    fn prefix(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Model => "model",
            Kind::Record => "record",
            _ => "",
        }
    }

    /// Checks `doc` with the function that reads documents of this kind.
    fn check(self, doc: &Value, start: &str) -> Result<Value, Fail> {
        let change = json!({"id": "validate", "author": "validate", "services": ["validate"]});
        let (at, null, low) = (json!(start), Value::Null, json!({"level": "low"}));
        match self {
            Kind::Plan => match doc.get("regions") {
                Some(Value::Array(regions)) if !regions.is_empty() => {
                    run_refs("schedule_rollout", &[doc, &at])
                }
                _ => run_refs("order_services", &[doc]),
            },
            Kind::Calendar => run_refs("check_window", &[doc, &at, &json!("1s")]),
            Kind::CanaryConfig => run_refs("start_canary_watch", &[doc]),
            Kind::Change => run_refs("assess_risk", &[doc]),
            Kind::Policy => run_refs("evaluate_governance", &[&change, doc, &low]),
            Kind::Model => run_refs("assess_risk", &[&change, &null, doc]),
            Kind::Service => run_refs("recommend_strategy", &[doc, &change]),
            Kind::Schedule => run_refs("to_mermaid_gantt", &[doc]),
            Kind::Record => run_refs("append_change_record", &[&null, doc]),
            Kind::Log => run_refs("verify_change_log", &[doc]),
        }
    }
}

/// One problem found.
struct Problem {
    code: String,
    path: String,
    message: String,
}

/// Runs `rollgate validate`.
pub fn run(reader: &Reader, name: &str, kind: Kind, start: Option<&str>) -> Result<Done, Fail> {
    let start = match start {
        Some(start) => start.to_string(),
        None => now_rfc3339(),
    };
    let (problems, complete) = match reader.value(name) {
        Ok(doc) => collect(kind, doc, &start),
        Err(fail) if fail.exit == Exit::Invalid => (
            vec![Problem {
                code: fail.code,
                path: fail.path,
                message: fail.message,
            }],
            false,
        ),
        Err(fail) => return Err(fail),
    };
    let valid = problems.is_empty();
    let errors = problems
        .iter()
        .map(|p| {
            let path = if p.path.is_empty() { "/" } else { &p.path };
            format!("error: {} at {}: {}", p.code, path, p.message)
        })
        .collect();
    let text = match (valid, problems.len(), complete) {
        (true, _, _) => format!("{name}: a valid {}", kind.name()),
        (false, n, true) => format!("{name}: {n} problem(s), listed on stderr"),
        (false, n, false) => format!(
            "{name}: {n} problem(s), listed on stderr; the check could not go on past the last"
        ),
    };
    let problems: Vec<Value> = problems
        .into_iter()
        .map(|p| json!({"code": p.code, "path": p.path, "message": p.message}))
        .collect();
    Ok(Done {
        value: json!({"kind": kind.name(), "valid": valid, "complete": complete, "problems": problems}),
        exit: if valid { Exit::Ok } else { Exit::Invalid },
        text,
        errors,
    })
}

/// The current time, UTC, RFC 3339 (the default `--start`).
fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The document being checked, with the bookkeeping that maps its paths
/// back to the document as given.
struct Work {
    doc: Value,
    /// Per list (by its original path) the original index of each element
    /// still there; lists not listed have lost nothing.
    kept: Vec<(Vec<String>, Vec<usize>)>,
    /// Original paths of elements replaced by `{"id": ...}`.
    stubs: Vec<Vec<String>>,
    /// Original paths of the objects and lists something was removed from.
    touched: Vec<Vec<String>>,
    /// Original paths of fields given a stand-in, and how many were tried.
    filled: Vec<(Vec<String>, usize)>,
}

/// Checks `doc` until it passes: the problems, and whether the check covered
/// the whole document.
fn collect(kind: Kind, doc: Value, start: &str) -> (Vec<Problem>, bool) {
    let mut work = Work {
        doc,
        kept: Vec::new(),
        stubs: Vec::new(),
        touched: Vec::new(),
        filled: Vec::new(),
    };
    let mut problems = Vec::new();
    loop {
        let fail = match kind.check(&work.doc, start) {
            Ok(_) => return (problems, true),
            Err(fail) => fail,
        };
        if problems.len() >= MAX_PROBLEMS || fail.exit != Exit::Invalid {
            problems.push(problem(fail, None));
            return (problems, false);
        }
        let Some(at) = relative(&fail.path, kind.prefix()) else {
            // Not inside the document (a bug in this command): report as is.
            problems.push(problem(fail, None));
            return (problems, false);
        };
        let original = work.original(&at);
        let caused_by_us =
            work.stubs.iter().any(|s| original.starts_with(s)) || work.touched.contains(&original);
        let missing = missing_field(&fail.message);
        if !caused_by_us {
            problems.push(problem(fail, Some(&original)));
        }
        if let Some(field) = missing {
            if work.fill_in(&at, &original, field) {
                continue;
            }
        }
        if !work.set_aside(&at, &original) {
            return (problems, false);
        }
    }
}

/// The field a serde "missing field `x`" message names.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.split("missing field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// Stand-ins for a missing or set-aside required field, tried in turn until
/// one has the field's type: they let the check go on past it.
const STAND_INS: [&str; 5] = [r#""""#, "0", "[]", "{}", "false"];

fn problem(fail: Fail, original: Option<&[String]>) -> Problem {
    Problem {
        path: original.map_or(fail.path, pointer),
        code: fail.code,
        message: fail.message,
    }
}

/// The segments of `path` inside the document passed as parameter `prefix`.
fn relative(path: &str, prefix: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// A JSON pointer of segments.
fn pointer(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

impl Work {
    /// The original path of the working path `at`.
    fn original(&self, at: &[String]) -> Vec<String> {
        let mut original = Vec::new();
        let mut node = Some(&self.doc);
        for segment in at {
            let mapped = match (node, segment.parse::<usize>()) {
                (Some(Value::Array(_)), Ok(i)) => self
                    .kept_of(&original)
                    .and_then(|kept| kept.get(i).copied())
                    .unwrap_or(i)
                    .to_string(),
                _ => segment.clone(),
            };
            node = node.and_then(|n| child(n, segment));
            original.push(mapped);
        }
        original
    }

    fn kept_of(&self, original: &[String]) -> Option<&Vec<usize>> {
        self.kept
            .iter()
            .find(|(path, _)| path == original)
            .map(|(_, kept)| kept)
    }

    /// Gives the missing `field` of the object at `at` its next stand-in
    /// (problems inside a stand-in are not reported); `false` once every
    /// stand-in was tried or there is no such object.
    fn fill_in(&mut self, at: &[String], original: &[String], field: String) -> bool {
        let mut path = original.to_vec();
        path.push(field.clone());
        let tried = match self.filled.iter_mut().find(|(p, _)| *p == path) {
            Some((_, tried)) => tried,
            None => {
                self.filled.push((path.clone(), 0));
                match self.filled.last_mut() {
                    Some((_, tried)) => tried,
                    None => return false,
                }
            }
        };
        let Some(stand_in) = STAND_INS
            .get(*tried)
            .and_then(|s| serde_json::from_str(s).ok())
        else {
            return false;
        };
        *tried += 1;
        let Some(Value::Object(map)) = node_mut(&mut self.doc, at) else {
            return false;
        };
        map.insert(field, stand_in);
        if !self.stubs.contains(&path) {
            self.stubs.push(path);
        }
        true
    }

    /// Sets aside the part of the document holding the problem at `at`: the
    /// field or list element it names, or, for a path inside a value that is
    /// not there (a missing field), the innermost list element holding it.
    /// `false` if there is nothing to set aside.
    fn set_aside(&mut self, at: &[String], original: &[String]) -> bool {
        let mut depth = at.len();
        while depth > 0 {
            let (Some(parent), Some(last)) = (at.get(..depth - 1), at.get(depth - 1)) else {
                return false;
            };
            let parent_original = original.get(..depth - 1).unwrap_or_default().to_vec();
            match node_mut(&mut self.doc, parent) {
                Some(Value::Object(map)) if map.contains_key(last.as_str()) => {
                    map.remove(last.as_str());
                    self.touched.push(parent_original);
                    return true;
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            let element = original.get(..depth).unwrap_or_default().to_vec();
                            return self.set_aside_element(parent, parent_original, element, i);
                        }
                    }
                }
                _ => {}
            }
            // Not there: look for the innermost list element above it.
            depth -= 1;
            while depth > 0
                && !matches!(
                    node_mut(&mut self.doc, at.get(..depth - 1).unwrap_or_default()),
                    Some(Value::Array(_))
                )
            {
                depth -= 1;
            }
        }
        false
    }

    /// Replaces element `i` of the list at `list` by `{"id": ...}` (once),
    /// or removes it.
    fn set_aside_element(
        &mut self,
        list: &[String],
        list_original: Vec<String>,
        element_original: Vec<String>,
        i: usize,
    ) -> bool {
        let Some(Value::Array(items)) = node_mut(&mut self.doc, list) else {
            return false;
        };
        let id = items
            .get(i)
            .and_then(|e| e.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        match id {
            Some(id) if !self.stubs.contains(&element_original) => {
                if let Some(slot) = items.get_mut(i) {
                    let mut stub = Map::new();
                    stub.insert("id".into(), Value::String(id));
                    *slot = Value::Object(stub);
                }
                self.stubs.push(element_original);
            }
            _ => {
                let len = items.len();
                if i < len {
                    items.remove(i);
                }
                match self
                    .kept
                    .iter_mut()
                    .find(|(path, _)| *path == list_original)
                {
                    Some((_, kept)) => {
                        if i < kept.len() {
                            kept.remove(i);
                        }
                    }
                    None => self.kept.push((
                        list_original.clone(),
                        (0..len).filter(|&j| j != i).collect(),
                    )),
                }
                self.touched.push(list_original);
            }
        }
        true
    }
}

fn child<'a>(node: &'a Value, segment: &str) -> Option<&'a Value> {
    match node {
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        Value::Object(map) => map.get(segment),
        _ => None,
    }
}

fn node_mut<'a>(mut node: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    for segment in path {
        node = match node {
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            Value::Object(map) => map.get_mut(segment)?,
            _ => return None,
        };
    }
    Some(node)
}
