//! `rollgate`: the release decision engine on the command line, for CI steps
//! and shell scripts. Every subcommand runs one function of the library
//! through the same call layer as the Python and Node bindings
//! (`rollgate::ffi`), so it reads the same documents with the same rules and
//! reports the same error codes and paths.
//!
//! Inputs are files or standard input (`-`), in JSON, YAML or JSON Lines;
//! results are canonical JSON on stdout (`--pretty` to indent), or a short
//! summary with the reasons (`--format text`). The exit code says what was
//! decided (see [`fail::Exit`]); an error is one line on stderr:
//! `error: <code> at <path>: <message>`. `rollgate schema` prints the JSON
//! Schemas of the documents (embedded from `core/schema/`).

mod catalog;
mod commands;
mod fail;
mod input;
mod output;
mod schemas;
mod text;
mod validate;

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::fail::Exit;
use crate::input::{InputFormat, Reader, DEFAULT_MAX_INPUT_BYTES};

/// A pure, explainable release decision engine: dependency ordering, rollout
/// schedules, release windows, change risk and canary verdicts.
///
/// Exit codes: 0 ok / promote / allowed / valid; 1 rollback / denied / not
/// allowed / log broken; 2 usage error; 3 continue (ask again later);
/// 4 inconclusive (a person must look); 5 invalid input (the error code and
/// path on stderr); 6 a file cannot be read or written; 7 internal error.
#[derive(Debug, Parser)]
#[command(name = "rollgate", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options of every subcommand.
#[derive(Debug, Args)]
struct Global {
    /// Output: canonical JSON, or a short human summary with the reasons.
    #[arg(long, global = true, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Indent the JSON output (same keys, order and numbers).
    #[arg(long, global = true)]
    pretty: bool,
    /// How to read inputs (auto: by extension; standard input is JSON).
    #[arg(long, global = true, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// Refuse any input larger than this many bytes.
    #[arg(long, global = true, default_value_t = DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
}

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Canonical JSON: sorted keys, no whitespace (indented with `--pretty`).
    Json,
    /// A short human summary with the reasons.
    Text,
}

/// The subcommands, one per question.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Deployment waves, rollback waves and critical path of a plan.
    Order {
        /// The release plan (`-`: standard input).
        plan: String,
    },
    /// Transitive dependents of services (default: every service).
    Blast {
        /// The release plan.
        plan: String,
        /// A service to report on (repeatable).
        #[arg(long = "service")]
        services: Vec<String>,
    },
    /// Schedule with at most `--max-parallel` deployments at once.
    Schedule {
        /// The release plan.
        plan: String,
        /// The most deployments running at once.
        #[arg(long)]
        max_parallel: u32,
    },
    /// The multi-region rollout schedule of a plan.
    Rollout {
        /// The release plan.
        plan: String,
        /// When the rollout starts (RFC 3339 with offset).
        #[arg(long)]
        start: String,
    },
    /// What to undo when a rollout halts at a step or a time.
    Rollback {
        /// The rollout schedule (the output of `rollgate rollout`).
        schedule: String,
        /// The step that failed, as REGION/SERVICE.
        #[arg(long, conflicts_with = "at", required_unless_present = "at")]
        step: Option<String>,
        /// The time the rollout halted (RFC 3339 with offset).
        #[arg(long)]
        at: Option<String>,
    },
    /// Mermaid Gantt text of a rollout schedule.
    Gantt {
        /// The rollout schedule (the output of `rollgate rollout`).
        schedule: String,
    },
    /// Whether a deployment may start at a time under a calendar (exit 1 if not).
    Window {
        /// The calendar.
        calendar: String,
        /// When the deployment would start (RFC 3339 with offset).
        #[arg(long)]
        at: String,
        /// How long it runs (`"45m"`, `"1h30m"`, seconds).
        #[arg(long)]
        duration: String,
        /// Find the earliest allowed start at or after `--at` instead.
        #[arg(long)]
        next: bool,
        /// With `--next`: how far to search (default 366 days).
        #[arg(long, requires = "next")]
        horizon: Option<String>,
    },
    /// Judges a canary against its baseline: promote, continue, rollback or inconclusive.
    Judge {
        /// The canary configuration.
        config: String,
        /// The metric data of canary and baseline.
        data: String,
    },
    /// Adds a batch of data to a stored canary watch and decides; writes the new state.
    Watch {
        /// The canary configuration (with its `watch` section).
        config: String,
        /// The stored state: read if it exists (else the watch starts), then overwritten.
        #[arg(long)]
        state: String,
        /// The new batch of samples or counts per metric.
        #[arg(long)]
        batch: String,
        /// When the batch was taken (RFC 3339 with offset).
        #[arg(long)]
        at: String,
    },
    /// Risk of a change: probability, score, level and each factor's contribution.
    Risk {
        /// The change.
        change: String,
        /// The release plan (for dependency factors).
        #[arg(long)]
        plan: Option<String>,
        /// A risk model (default: the shipped one).
        #[arg(long)]
        model: Option<String>,
        /// Past outcomes `[{change, failed}]`.
        #[arg(long)]
        history: Option<String>,
        /// The context (time, window status, ...).
        #[arg(long)]
        context: Option<String>,
        /// Exit 1 when the level is at least this.
        #[arg(long, value_enum)]
        fail_on: Option<Level>,
    },
    /// Canary, blue-green or rolling for a change to a service, with reasons.
    Strategy {
        /// The service profile.
        service: String,
        /// The change.
        #[arg(long)]
        change: String,
        /// The change's risk (`{level}`, or the output of `rollgate risk`).
        #[arg(long)]
        risk: Option<String>,
    },
    /// Approvals, segregation of duties, CAB and evidence: allowed or not (exit 1).
    Govern {
        /// The change.
        change: String,
        /// The governance policy.
        #[arg(long)]
        policy: String,
        /// The change's risk (`{level}`, or the output of `rollgate risk`).
        #[arg(
            long,
            conflicts_with = "risk_level",
            required_unless_present = "risk_level"
        )]
        risk: Option<String>,
        /// The change's risk level, instead of `--risk`.
        #[arg(long, value_enum)]
        risk_level: Option<Level>,
    },
    /// The hash-chained change log.
    #[command(subcommand)]
    Log(LogCommand),
    /// Reports every problem of a document, each with its code and path.
    Validate {
        /// The document.
        document: String,
        /// What the document is.
        #[arg(long, value_enum, default_value_t = validate::Kind::Plan)]
        kind: validate::Kind,
        /// For plans with regions and for calendars: the time to check the
        /// windows from (default: now).
        #[arg(long)]
        start: Option<String>,
    },
    /// The JSON Schema of a document, or (without NAME) the list of documents.
    Schema {
        /// A document's name from the list; `NAME.output` for a document
        /// written and read back, as rollgate writes it.
        name: Option<String>,
    },
}

/// Change-log subcommands.
#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Appends a decision record to a JSON Lines log (created if missing).
    Append {
        /// The record to append (`{decision, ...}`).
        record: String,
        /// The log file, one record per line.
        #[arg(long)]
        log: String,
    },
    /// Verifies a log (exit 1 if its chain is broken or it was tampered with).
    Verify {
        /// The log: JSON Lines, or a JSON/YAML list of records.
        log: String,
        /// A trusted checkpoint (from an earlier verification).
        #[arg(long)]
        checkpoint: Option<String>,
    },
}

/// A risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Level {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Level {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// A finished command: its result, the exit code it decides, and its text summary.
pub struct Done {
    /// The result document.
    pub value: serde_json::Value,
    /// What the process exits with.
    pub exit: Exit,
    /// The `--format text` summary.
    pub text: String,
    /// Problems to print on stderr, one line each (`validate`).
    pub errors: Vec<String>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                Exit::Usage.code()
            } else {
                Exit::Ok.code()
            });
        }
    };
    let reader = Reader {
        format: cli.global.input_format,
        max_bytes: cli.global.max_input_bytes,
    };
    let done = commands::run(&cli.command, &reader);
    let (printed, exit) = match done {
        Ok(done) => {
            let mut stderr = std::io::stderr().lock();
            for line in &done.errors {
                let _ = writeln!(stderr, "{line}");
            }
            let body = match cli.global.format {
                Format::Json => output::json(&done.value, cli.global.pretty),
                Format::Text => done.text,
            };
            (write_out(&body), done.exit)
        }
        Err(fail) => {
            let _ = writeln!(std::io::stderr(), "{fail}");
            (Ok(()), fail.exit)
        }
    };
    if printed.is_err() {
        return ExitCode::from(Exit::Io.code());
    }
    ExitCode::from(exit.code())
}

fn write_out(body: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(body.as_bytes())?;
    if !body.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}
