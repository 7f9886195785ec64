//! A tour of rollgate's whole job on bundled, realistic data: one release of
//! a 22-service marketplace to 8 regions, stage by stage —
//!
//! 1. the plan: deployment and rollback waves, critical path, blast radius;
//! 2. risk and readiness: the change's risk and the governance findings;
//! 3. the rollout schedule through release windows (table and Gantt chart);
//! 4. the canary verdict after the first wave;
//! 5. the rollback plan that verdict calls for;
//! 6. the recorded decisions, appended to the change log and verified;
//! 7. environments: parity and pending migrations;
//! 8. a simulated release driven by `advance_release`: the canary region
//!    goes bad, the release halts and rolls back, the record is verified.
//!
//! Run with `cargo run -p rollgate --example tour` (optionally pass the path
//! of another plan JSON file). Each stage is one module with one `show`
//! function; a new stage is a new module and one line in [`run`].

mod canary;
mod environments;
mod ordering;
mod readiness;
mod record;
mod release;
mod rollback;
mod rollout;
mod table;

use std::process::ExitCode;

use rollgate::{CanaryConfig, Change, GovernancePolicy, Plan};

const BUNDLED_PLAN: &str = include_str!("../data/marketplace.json");
const RELEASE: &str = include_str!("../data/release.json");

/// The bundled release: the change, the governance policy and the canary
/// configuration (`data/release.json`).
#[derive(serde::Deserialize)]
pub struct Release {
    /// The change being released.
    pub change: Change,
    /// The organisation's governance policy.
    pub policy: GovernancePolicy,
    /// How the canary is judged.
    pub canary: CanaryConfig,
}

fn load_plan() -> rollgate::Result<Plan> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| {
            rollgate::Error::invalid_input(String::new(), format!("cannot read {path}: {e}"))
        })?,
        None => BUNDLED_PLAN.to_string(),
    };
    Plan::from_json(&text)
}

fn run() -> rollgate::Result<()> {
    let plan = load_plan()?;
    let release: Release = rollgate::wire::from_json(RELEASE)?;
    // The release starts Monday 23 November 2026, 08:00 in New York; Thursday
    // and Friday are US holidays in the bundled calendars.
    let start = "2026-11-23T08:00:00-05:00";

    ordering::show(&plan)?;
    let (risk, governance) = readiness::show(&plan, &release)?;
    if plan.regions.is_empty() {
        return Ok(());
    }
    let schedule = rollout::show(&plan, start)?;
    let (canary_data, verdict) = canary::show(&release.canary, &schedule)?;
    // The verdict is taken when the first wave's gate could pass.
    let judged_at = schedule
        .waves
        .first()
        .map_or(start.to_string(), |w| w.gate.earliest_pass.clone());
    let rollback = rollback::show(&schedule, &judged_at)?;
    record::show(&record::Decisions {
        release: &release,
        risk: &risk,
        governance: &governance,
        canary_data: &canary_data,
        verdict: &verdict,
        rollback: &rollback,
        planned_start: start,
        judged_at: &judged_at,
    })?;
    environments::show()?;
    release::show()
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error [{}] at {:?}: {err}", err.code(), err.path());
            ExitCode::FAILURE
        }
    }
}
