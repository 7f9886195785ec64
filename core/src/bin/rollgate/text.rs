//! `--format text`: a short summary of each result for a person, with the
//! reasons (`[code] message (subjects)`), read from the same JSON the
//! default output prints.

use std::fmt::Write;

use serde_json::Value;

/// The string at `key`, or `""`.
fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The list at `key` (empty if absent).
fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A number at `key`, as written in the JSON output.
fn n(v: &Value, key: &str) -> String {
    v.get(key).map_or_else(String::new, |x| x.to_string())
}

/// Strings of a list of strings joined by `sep`.
fn join(items: &[Value], sep: &str) -> String {
    items
        .iter()
        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
        .collect::<Vec<_>>()
        .join(sep)
}

/// One line per reason, each starting with `bullet`.
fn reasons(out: &mut String, bullet: &str, items: &[Value]) {
    for r in items {
        let subjects = list(r, "subjects");
        let about = match subjects.is_empty() {
            true => String::new(),
            false => format!(" ({})", join(subjects, ", ")),
        };
        let _ = writeln!(out, "{bullet}[{}] {}{about}", s(r, "code"), s(r, "message"));
    }
}

/// A labelled block of reasons, if there are any.
fn section(out: &mut String, label: &str, items: &[Value]) {
    if !items.is_empty() {
        let _ = writeln!(out, "{label}:");
        reasons(out, "  - ", items);
    }
}

fn yes(v: &Value, key: &str) -> &'static str {
    match v.get(key).and_then(Value::as_bool) {
        Some(true) => "yes",
        _ => "no",
    }
}

/// `rollgate order`.
pub fn order(v: &Value) -> String {
    let mut out = String::from("deploy waves:\n");
    for (i, wave) in list(v, "waves").iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {}",
            i + 1,
            join(wave.as_array().map_or(&[], Vec::as_slice), ", ")
        );
    }
    out.push_str("rollback waves:\n");
    for (i, wave) in list(v, "rollback_waves").iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {}",
            i + 1,
            join(wave.as_array().map_or(&[], Vec::as_slice), ", ")
        );
    }
    let path = v.get("critical_path").unwrap_or(&Value::Null);
    let _ = writeln!(
        out,
        "critical path: {} ({} s)",
        join(list(path, "path"), " -> "),
        n(path, "makespan_seconds")
    );
    section(&mut out, "findings", list(v, "findings"));
    out
}

/// `rollgate blast`.
pub fn blast(v: &Value) -> String {
    let mut out = String::new();
    for service in list(v, "services") {
        let dependents = list(service, "dependents");
        let _ = writeln!(
            out,
            "{}: {} dependent(s), {} customer-facing{}",
            s(service, "id"),
            n(service, "dependent_count"),
            n(service, "customer_facing_dependents"),
            match dependents.is_empty() {
                true => String::new(),
                false => format!(": {}", join(dependents, ", ")),
            }
        );
    }
    out
}

/// `rollgate schedule`.
pub fn schedule(v: &Value) -> String {
    let mut out = format!(
        "makespan {} s with at most {} at once\n",
        n(v, "makespan_seconds"),
        n(v, "max_parallel")
    );
    for service in list(v, "services") {
        let _ = writeln!(
            out,
            "  {}: {} s to {} s",
            s(service, "id"),
            n(service, "start"),
            n(service, "finish")
        );
    }
    section(&mut out, "findings", list(v, "findings"));
    out
}

/// `rollgate rollout`.
pub fn rollout(v: &Value) -> String {
    let mut out = format!(
        "rollout of {}: {} to {} ({} s)\n",
        s(v, "plan"),
        s(v, "start"),
        s(v, "finish"),
        n(v, "total_duration_seconds")
    );
    for wave in list(v, "waves") {
        let _ = writeln!(
            out,
            "wave {} ({}): {} — traffic share {} — {} to {}",
            n(wave, "number"),
            s(wave, "kind"),
            join(list(wave, "regions"), ", "),
            n(wave, "traffic_share"),
            s(wave, "start"),
            s(wave, "finish")
        );
        reasons(&mut out, "  - ", list(wave, "reasons"));
    }
    section(&mut out, "findings", list(v, "findings"));
    out
}

/// `rollgate rollback`.
pub fn rollback(v: &Value) -> String {
    let mut out = format!(
        "halted at {}: {}\n",
        s(v, "halted_at"),
        s(v, "recommendation")
    );
    for (label, key) in [("undo", "undo"), ("cannot undo", "cannot_undo")] {
        let steps = list(v, key);
        if !steps.is_empty() {
            let _ = writeln!(out, "{label}:");
        }
        for step in steps {
            let _ = writeln!(
                out,
                "  - {} in {} ({}, wave {}, {})",
                s(step, "service"),
                s(step, "region"),
                s(step, "stage"),
                n(step, "wave"),
                s(step, "state")
            );
        }
    }
    let _ = writeln!(out, "not started: {} step(s)", n(v, "not_started"));
    section(&mut out, "reasons", list(v, "reasons"));
    out
}

/// `rollgate window`.
pub fn window(v: &Value) -> String {
    let next = v
        .get("next_allowed_start")
        .and_then(Value::as_str)
        .unwrap_or("none within 366 days");
    let mut out = format!(
        "allowed: {}; next allowed start: {next}\n",
        yes(v, "allowed")
    );
    reasons(&mut out, "- ", list(v, "reasons"));
    out
}

/// `rollgate window --next`.
pub fn next_window(v: &Value) -> String {
    format!("next window: {} to {}\n", s(v, "start"), s(v, "end"))
}

/// `rollgate judge`.
pub fn verdict(v: &Value) -> String {
    let mut out = format!("decision: {} (score {})\n", s(v, "decision"), n(v, "score"));
    reasons(&mut out, "- ", list(v, "reasons"));
    out
}

/// `rollgate watch`.
pub fn watch(v: &Value, state: &str, fresh: bool) -> String {
    let mut out = verdict(v);
    let _ = writeln!(
        out,
        "look {}, {} s since the first; bake complete: {}; state {} {state}",
        n(v, "looks"),
        n(v, "elapsed_seconds"),
        yes(v, "bake_complete"),
        if fresh { "started in" } else { "updated in" }
    );
    out
}

/// `rollgate risk`.
pub fn risk(v: &Value) -> String {
    let mut out = format!(
        "risk: {} (score {}, probability {})\n",
        s(v, "level"),
        n(v, "score"),
        n(v, "probability")
    );
    let factors = list(v, "factors");
    if !factors.is_empty() {
        out.push_str("factors (log-odds contribution):\n");
    }
    for factor in factors {
        // The factor's reason, flattened into it (or nested, as `reason`).
        let reason = factor.get("reason").unwrap_or(factor);
        let _ = writeln!(
            out,
            "  {:+.3} [{}] {}",
            factor
                .get("contribution")
                .and_then(Value::as_f64)
                .unwrap_or(0.0),
            s(reason, "code"),
            s(reason, "message")
        );
    }
    section(&mut out, "not assessed", list(v, "not_assessed"));
    out
}

/// `rollgate strategy`.
pub fn strategy(v: &Value) -> String {
    let mut out = format!(
        "strategy: {}; feature flag: {}\n",
        s(v, "strategy"),
        yes(v, "feature_flag")
    );
    if let Some(reason) = v.get("feature_flag_reason") {
        reasons(&mut out, "- ", std::slice::from_ref(reason));
    }
    for option in list(v, "options") {
        let _ = writeln!(
            out,
            "{} (score {}, feasible: {}):",
            s(option, "strategy"),
            n(option, "score"),
            yes(option, "feasible")
        );
        reasons(&mut out, "  + ", list(option, "reasons_for"));
        reasons(&mut out, "  - ", list(option, "reasons_against"));
    }
    out
}

/// `rollgate govern`.
pub fn governance(v: &Value) -> String {
    let mut out = format!(
        "allowed: {} (change {}, risk {}, approvers: {})\n",
        yes(v, "allowed"),
        s(v, "change"),
        s(v, "risk_level"),
        match list(v, "approvers") {
            [] => "none".to_string(),
            some => join(some, ", "),
        }
    );
    section(&mut out, "violations", list(v, "violations"));
    section(&mut out, "missing", list(v, "missing"));
    section(&mut out, "deferred to review", list(v, "deferred"));
    section(&mut out, "notes", list(v, "notes"));
    out
}

/// `rollgate log append`.
pub fn log_append(v: &Value, log: &str) -> String {
    format!(
        "appended record {} ({}) to {log}: hash {}\n",
        n(v, "sequence"),
        s(v, "kind"),
        s(v, "hash")
    )
}

/// `rollgate log verify`.
pub fn log_verify(v: &Value) -> String {
    let mut out = format!(
        "valid: {} ({} record(s)): {}\n",
        yes(v, "valid"),
        n(v, "records"),
        s(v, "explanation")
    );
    if let Some(first) = v.get("first_broken").filter(|x| !x.is_null()) {
        let _ = writeln!(out, "first broken record: {first} ({})", s(v, "problem"));
    }
    if let Some(head) = v.get("head_hash").and_then(Value::as_str) {
        let _ = writeln!(out, "head hash: {head}");
    }
    out
}
