//! A tour of rollgate on a bundled, realistic release plan: deployment
//! waves, rollback order, blast radius, critical path and a bounded-parallel
//! schedule.
//!
//! Run with `cargo run -p rollgate --example tour` (optionally pass the path
//! of another plan JSON file).

use std::process::ExitCode;

use rollgate::{DurationSecs, Plan, ServiceGraph};

const BUNDLED: &str = include_str!("data/marketplace.json");

fn minutes(secs: u64) -> String {
    DurationSecs(secs).to_string()
}

fn run() -> rollgate::Result<()> {
    let text = match std::env::args().nth(1) {
        Some(path) => {
            std::fs::read_to_string(&path).map_err(|e| rollgate::Error::InvalidInput {
                path: String::new(),
                message: format!("cannot read {path}: {e}"),
            })?
        }
        None => BUNDLED.to_string(),
    };
    let plan = Plan::from_json(&text)?;
    let graph = ServiceGraph::new(&plan)?;
    let order = graph.order();

    println!("Plan `{}`: {} services\n", plan.name, graph.len());
    println!("Deployment waves (each wave in parallel):");
    for (i, wave) in order.waves.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, wave.join(", "));
    }
    println!("\nRollback waves (dependents first):");
    for (i, wave) in order.rollback_waves.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, wave.join(", "));
    }

    let cp = &order.critical_path;
    println!(
        "\nCritical path ({} with unlimited parallelism): {}",
        minutes(cp.makespan_seconds),
        cp.path.join(" -> ")
    );
    println!(
        "  {:<18} {:>8} {:>8} {:>8}",
        "service", "start", "finish", "slack"
    );
    for t in &cp.services {
        println!(
            "  {:<18} {:>8} {:>8} {:>8}",
            t.id,
            minutes(t.earliest_start),
            minutes(t.earliest_finish),
            minutes(t.slack)
        );
    }

    let stateful: Vec<String> = plan
        .services
        .iter()
        .filter(|s| s.stateful)
        .map(|s| s.id.clone())
        .collect();
    println!("\nBlast radius of the stateful services:");
    for blast in graph.blast_radius(Some(&stateful))?.services {
        println!(
            "  {:<18} {:>2} dependents, {} customer facing",
            blast.id, blast.dependent_count, blast.customer_facing_dependents
        );
    }

    for k in [2, 4] {
        let schedule = graph.schedule(k)?;
        println!(
            "\nWith at most {k} deployments at once: done after {}",
            minutes(schedule.makespan_seconds)
        );
        if k == 2 {
            for s in &schedule.services {
                println!(
                    "  {:<18} {:>8} -> {:>8}",
                    s.id,
                    minutes(s.start),
                    minutes(s.finish)
                );
            }
        }
    }
    Ok(())
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
