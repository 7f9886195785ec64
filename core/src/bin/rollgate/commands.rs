//! Each subcommand as one call of the binding layer (`rollgate::ffi`): the
//! arguments read as documents, the result, and the exit code it decides.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use rollgate::ffi::{call, function, JsonHost};
use serde_json::Value;

use crate::fail::{Exit, Fail};
use crate::input::{last_line, one_line, Reader};
use crate::{catalog, text, validate, Command, Done, Level, LogCommand};

/// Runs `name` (an exported function) on JSON arguments, by the bindings' rules.
pub fn run_function(name: &str, args: &[Value]) -> Result<Value, Fail> {
    run_refs(name, &args.iter().collect::<Vec<_>>())
}

/// [`run_function`] on borrowed arguments.
pub fn run_refs(name: &str, args: &[&Value]) -> Result<Value, Fail> {
    let function = function(name).ok_or_else(|| {
        Fail::engine(&rollgate::Error::internal(format!(
            "no exported function `{name}`"
        )))
    })?;
    call(&JsonHost::new(), function, args).map_err(Fail::from)
}

/// Runs one subcommand.
pub fn run(command: &Command, reader: &Reader) -> Result<Done, Fail> {
    one_stdin(command)?;
    let read = |name: &str| reader.value(name);
    let read_opt = |name: &Option<String>| name.as_deref().map(read).transpose();
    let s = |text: &str| Value::String(text.to_string());
    match command {
        Command::Order { plan } => {
            let value = run_function("order_services", &[read(plan)?])?;
            Ok(done(value, Exit::Ok, text::order))
        }
        Command::Blast { plan, services } => {
            let services = match services.is_empty() {
                true => Value::Null,
                false => Value::Array(services.iter().map(|x| s(x)).collect()),
            };
            let value = run_function("blast_radius", &[read(plan)?, services])?;
            Ok(done(value, Exit::Ok, text::blast))
        }
        Command::Schedule { plan, max_parallel } => {
            let args = [read(plan)?, Value::from(*max_parallel)];
            let value = run_function("schedule_services", &args)?;
            Ok(done(value, Exit::Ok, text::schedule))
        }
        Command::Rollout { plan, start } => {
            let value = run_function("schedule_rollout", &[read(plan)?, s(start)])?;
            Ok(done(value, Exit::Ok, text::rollout))
        }
        Command::Rollback { schedule, step, at } => {
            let halted_at = match (step, at) {
                (Some(step), _) => {
                    let (region, service) = step.split_once('/').ok_or_else(|| {
                        Fail::usage(format!("--step takes REGION/SERVICE, got `{step}`"))
                    })?;
                    serde_json::json!({"region": region, "service": service})
                }
                (None, Some(at)) => s(at),
                (None, None) => return Err(Fail::usage("give --step or --at")),
            };
            let value = run_function("rollback_plan", &[read(schedule)?, halted_at])?;
            Ok(done(value, Exit::Ok, text::rollback))
        }
        Command::Gantt { schedule } => {
            let value = run_function("to_mermaid_gantt", &[read(schedule)?])?;
            Ok(done(value, Exit::Ok, |v| {
                v.as_str().unwrap_or_default().to_string()
            }))
        }
        Command::Window {
            calendar,
            at,
            duration,
            next,
            horizon,
        } => {
            let calendar = read(calendar)?;
            if *next {
                let horizon = horizon.as_deref().map_or(Value::Null, s);
                let args = [calendar, s(at), s(duration), horizon];
                let value = run_function("next_window", &args)?;
                return Ok(done(value, Exit::Ok, text::next_window));
            }
            let value = run_function("check_window", &[calendar, s(at), s(duration)])?;
            let exit = yes_no(field(&value, "allowed"));
            Ok(done(value, exit, text::window))
        }
        Command::Judge { config, data } => {
            let value = run_function("judge_canary", &[read(config)?, read(data)?])?;
            let exit = decision_exit(field(&value, "decision"));
            Ok(done(value, exit, text::verdict))
        }
        Command::Watch {
            config,
            state,
            batch,
            at,
        } => watch(reader, config, state, batch, at),
        Command::Risk {
            change,
            plan,
            model,
            history,
            context,
            fail_on,
        } => {
            let args = [
                read(change)?,
                read_opt(plan)?.unwrap_or(Value::Null),
                read_opt(model)?.unwrap_or(Value::Null),
                read_opt(history)?.unwrap_or(Value::Null),
                read_opt(context)?.unwrap_or(Value::Null),
            ];
            let value = run_function("assess_risk", &args)?;
            let exit = match fail_on {
                Some(limit) if level_of(field(&value, "level")) >= Some(*limit) => Exit::No,
                _ => Exit::Ok,
            };
            Ok(done(value, exit, text::risk))
        }
        Command::Strategy {
            service,
            change,
            risk,
        } => {
            let args = [
                read(service)?,
                read(change)?,
                read_opt(risk)?.unwrap_or(Value::Null),
            ];
            let value = run_function("recommend_strategy", &args)?;
            Ok(done(value, Exit::Ok, text::strategy))
        }
        Command::Govern {
            change,
            policy,
            risk,
            risk_level,
        } => {
            let risk = match (risk, risk_level) {
                (Some(risk), _) => read(risk)?,
                (None, Some(level)) => serde_json::json!({"level": level.as_str()}),
                (None, None) => return Err(Fail::usage("give --risk or --risk-level")),
            };
            let args = [read(change)?, read(policy)?, risk];
            let value = run_function("evaluate_governance", &args)?;
            let exit = yes_no(field(&value, "allowed"));
            Ok(done(value, exit, text::governance))
        }
        Command::Log(LogCommand::Append { record, log }) => append(reader, record, log),
        Command::Log(LogCommand::Verify { log, checkpoint }) => {
            let args = [read(log)?, read_opt(checkpoint)?.unwrap_or(Value::Null)];
            let value = run_function("verify_change_log", &args)?;
            let exit = yes_no(field(&value, "valid"));
            Ok(done(value, exit, text::log_verify))
        }
        Command::Validate {
            document,
            kind,
            start,
        } => validate::run(reader, document, *kind, start.as_deref()),
        Command::Schema { name } => catalog::run(name.as_deref()),
    }
}

fn done(value: Value, exit: Exit, text: impl FnOnce(&Value) -> String) -> Done {
    let text = text(&value);
    Done {
        value,
        exit,
        text,
        errors: Vec::new(),
    }
}

/// Standard input can be read once: at most one input may be `-`.
fn one_stdin(command: &Command) -> Result<(), Fail> {
    let names: Vec<&str> = match command {
        Command::Judge { config, data } => vec![config, data],
        Command::Watch {
            config,
            state,
            batch,
            ..
        } => vec![config, state, batch],
        Command::Risk {
            change,
            plan,
            model,
            history,
            context,
            ..
        } => [
            Some(change),
            plan.as_ref(),
            model.as_ref(),
            history.as_ref(),
        ]
        .into_iter()
        .chain([context.as_ref()])
        .flatten()
        .map(String::as_str)
        .collect(),
        Command::Strategy {
            service,
            change,
            risk,
        } => [Some(service), Some(change), risk.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        Command::Govern {
            change,
            policy,
            risk,
            ..
        } => [Some(change), Some(policy), risk.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        Command::Log(LogCommand::Append { record, log }) => vec![record, log],
        Command::Log(LogCommand::Verify { log, checkpoint }) => [Some(log), checkpoint.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        _ => Vec::new(),
    };
    match names.iter().filter(|n| **n == "-").count() {
        0 | 1 => Ok(()),
        _ => Err(Fail::usage(
            "standard input (`-`) can be given for one input only",
        )),
    }
}

/// Field `key` of a result (`null` if absent).
fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or(&Value::Null)
}

fn yes_no(flag: &Value) -> Exit {
    if flag.as_bool() == Some(true) {
        Exit::Ok
    } else {
        Exit::No
    }
}

/// The exit code of a canary decision.
fn decision_exit(decision: &Value) -> Exit {
    match decision.as_str() {
        Some("promote") => Exit::Ok,
        Some("rollback") => Exit::No,
        Some("continue") => Exit::Continue,
        _ => Exit::Inconclusive,
    }
}

fn level_of(level: &Value) -> Option<Level> {
    match level.as_str()? {
        "low" => Some(Level::Low),
        "medium" => Some(Level::Medium),
        "high" => Some(Level::High),
        "critical" => Some(Level::Critical),
        _ => None,
    }
}

/// `watch`: the stored state (or a new watch), one batch, the new state
/// written back (via a temporary file and a rename, so a reader never sees
/// half a state); prints the verdict.
fn watch(reader: &Reader, config: &str, state: &str, batch: &str, at: &str) -> Result<Done, Fail> {
    if state == "-" {
        return Err(Fail::usage(
            "--state names the file the new state is written to; it cannot be `-`",
        ));
    }
    let config = reader.value(config)?;
    let started = reader.value_if_exists(state)?;
    let fresh = started.is_none();
    let current = match started {
        Some(state) => state,
        None => run_refs("start_canary_watch", &[&config])?,
    };
    let batch = reader.value(batch)?;
    let args = [config, current, batch, Value::String(at.to_string())];
    let mut update = run_function("update_canary_watch", &args)?;
    let new_state = take(&mut update, "state");
    write_atomically(state, &rollgate::changelog::canonical_json(&new_state))?;
    let verdict = take(&mut update, "verdict");
    let exit = decision_exit(field(&verdict, "decision"));
    Ok(done(verdict, exit, |v| text::watch(v, state, fresh)))
}

/// Field `key` of an object, moved out (`null` if absent).
fn take(value: &mut Value, key: &str) -> Value {
    value.get_mut(key).map(Value::take).unwrap_or_default()
}

fn write_atomically(name: &str, body: &str) -> Result<(), Fail> {
    let path = Path::new(name);
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.rollgate-tmp"));
    std::fs::write(&tmp, format!("{body}\n"))
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|err| Fail::io(name, "cannot write", &err))
}

/// `log append`: the log's last line is the tail; the new record is
/// appended as one canonical JSON line.
fn append(reader: &Reader, record: &str, log: &str) -> Result<Done, Fail> {
    if log == "-" {
        return Err(Fail::usage(
            "--log names a file to append to; it cannot be `-`",
        ));
    }
    let record = reader.value(record)?;
    let found = last_line(log, reader.max_bytes)?;
    let tail = match found.as_ref().and_then(|(last, _)| last.as_deref()) {
        Some(line) => serde_json::from_str(line).map_err(|e| {
            Fail::syntax(log, format!("its last line is not JSON: {}", one_line(&e)))
        })?,
        None => Value::Null,
    };
    let value = run_function("append_change_record", &[tail, record])?;
    let mut line = String::new();
    if matches!(found, Some((Some(_), false))) {
        line.push('\n');
    }
    line.push_str(&rollgate::changelog::canonical_json(&value));
    line.push('\n');
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut file| file.write_all(line.as_bytes()))
        .map_err(|err| Fail::io(log, "cannot append to", &err))?;
    Ok(done(value, Exit::Ok, |v| text::log_append(v, log)))
}
