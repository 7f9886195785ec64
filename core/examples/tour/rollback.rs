//! Stage 5, the rollback: what to undo when the rollout halts on the
//! canary's verdict, most recent first and dependents first.

use rollgate::rollout::HaltedAt;
use rollgate::{RollbackPlan, Schedule};

use crate::table::{print, word, Align::*};

/// Shown rows of a long undo list.
const SHOWN: usize = 8;

pub fn show(schedule: &Schedule, halted_at: &str) -> rollgate::Result<RollbackPlan> {
    let rollback = rollgate::rollback_plan(schedule, &HaltedAt::Time(halted_at.to_string()))?;
    println!(
        "\n== 5. Rollback: halted at {}, {}: {} steps to undo, {} cannot be undone, {} never started\n",
        rollback.halted_at,
        word(&rollback.recommendation),
        rollback.undo.len(),
        rollback.cannot_undo.len(),
        rollback.not_started
    );
    let rows: Vec<Vec<String>> = rollback
        .undo
        .iter()
        .take(SHOWN)
        .enumerate()
        .map(|(i, u)| {
            vec![
                (i + 1).to_string(),
                u.service.clone(),
                u.region.clone(),
                u.wave.to_string(),
                u.state.to_string(),
            ]
        })
        .collect();
    print(
        &[
            ("#", Right),
            ("undo service", Left),
            ("region", Left),
            ("wave", Right),
            ("state", Left),
        ],
        &rows,
    );
    if rollback.undo.len() > SHOWN {
        println!(
            "  ... and {} more, in the order listed",
            rollback.undo.len() - SHOWN
        );
    }
    for keep in &rollback.cannot_undo {
        println!(
            "  cannot undo {} in {} ({})",
            keep.service, keep.region, keep.stage
        );
    }
    for reason in &rollback.reasons {
        println!("  - [{}] {}", reason.code, reason.message);
    }
    Ok(rollback)
}
