//! Stage 3, the rollout: waves of regions through their release windows, as
//! a table (per-wave and cumulative traffic), with each wave's reasons,
//! window waits and gate, then the feature-flag release stages after the
//! last wave, then all of it as a Mermaid Gantt chart.

use std::collections::BTreeSet;

use rollgate::{DurationSecs, Plan, Schedule};

use crate::table::{dur, pct, print, Align::*};

pub fn show(plan: &Plan, start: &str) -> rollgate::Result<Schedule> {
    let start = rollgate::window::parse_timestamp("start", start)?;
    let schedule = rollgate::schedule_rollout(plan, start)?;
    println!(
        "\n== 3. The rollout from {}: {} regions in {} waves, {} in all\n",
        schedule.start,
        plan.regions.len(),
        schedule.waves.len(),
        dur(schedule.total_duration_seconds)
    );
    println!("Traffic: \"wave traffic\" is the share of all traffic the wave's regions serve,");
    println!("\"reached\" the share served by every region deployed so far (cumulative).");
    let share = |id: &String| {
        plan.regions
            .iter()
            .find(|r| &r.id == id)
            .map_or(0.0, |r| r.traffic_share)
    };
    let mut reached = BTreeSet::new();
    let rows: Vec<Vec<String>> = schedule
        .waves
        .iter()
        .map(|w| {
            reached.extend(w.regions.iter().cloned());
            let cumulative: f64 = reached.iter().map(share).sum();
            vec![
                w.number.to_string(),
                w.kind.clone(),
                pct(w.traffic_share),
                pct(cumulative),
                w.start.clone(),
                w.finish.clone(),
                w.steps.len().to_string(),
                w.regions.join(", "),
            ]
        })
        .collect();
    print(
        &[
            ("wave", Right),
            ("kind", Left),
            ("wave traffic", Right),
            ("reached", Right),
            ("start", Left),
            ("finish", Left),
            ("steps", Right),
            ("regions", Left),
        ],
        &rows,
    );
    for wave in &schedule.waves {
        println!("\nWave {}:", wave.number);
        for reason in &wave.reasons {
            println!("  - [{}] {}", reason.code, reason.message);
        }
        for wait in &wave.waits {
            let why: Vec<&str> = wait.reasons.iter().map(|r| r.message.as_str()).collect();
            println!(
                "  ~ {} waits {} until {}: {}",
                wait.region,
                DurationSecs(wait.seconds),
                wait.until,
                why.join("; ")
            );
        }
        println!(
            "  gate: bake {} and {} samples, checks {}; passes at the earliest {}",
            dur(wave.gate.bake_seconds),
            wave.gate.min_bake_samples,
            wave.gate.checks.join(", "),
            wave.gate.earliest_pass
        );
    }
    for finding in &schedule.findings {
        println!("  finding [{}] {}", finding.code, finding.message);
    }
    stages(&schedule);
    println!("\nMermaid Gantt chart of the rollout (paste into any Mermaid renderer):\n");
    println!("{}", rollgate::to_mermaid_gantt(&schedule)?);
    Ok(schedule)
}

/// The release stages: the flag turned up stage by stage once the code is
/// everywhere, each held back by the plan's calendar when it must be.
fn stages(schedule: &Schedule) {
    if schedule.release_stages.is_empty() {
        return;
    }
    println!("\nRelease stages after the last wave (feature flag exposure, % of units):");
    let rows: Vec<Vec<String>> = schedule
        .release_stages
        .iter()
        .map(|s| {
            vec![
                s.number.to_string(),
                s.flag.clone(),
                format!("{}% -> {}%", s.previous_percentage, s.percentage),
                s.start.clone(),
                dur(s.gate.bake_seconds),
                s.gate.earliest_pass.clone(),
            ]
        })
        .collect();
    print(
        &[
            ("stage", Right),
            ("flag", Left),
            ("exposure", Right),
            ("start", Left),
            ("bake", Right),
            ("gate passes", Left),
        ],
        &rows,
    );
    for s in schedule
        .release_stages
        .iter()
        .filter(|s| s.wait_seconds > 0)
    {
        let why: Vec<&str> = s.wait_reasons.iter().map(|r| r.message.as_str()).collect();
        println!(
            "  ~ stage {} waits {}: {}",
            s.number,
            DurationSecs(s.wait_seconds),
            why.join("; ")
        );
    }
}
