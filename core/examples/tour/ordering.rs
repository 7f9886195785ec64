//! Stage 1, the plan: deployment and rollback waves, critical path, blast
//! radius of the stateful services and a bounded-parallel schedule.

use rollgate::{Plan, ServiceGraph};

use crate::table::{dur, print, Align::*};

pub fn show(plan: &Plan) -> rollgate::Result<()> {
    let graph = ServiceGraph::new(plan)?;
    let order = graph.order();
    println!("== 1. The plan `{}`: {} services\n", plan.name, graph.len());
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
        dur(cp.makespan_seconds),
        cp.path.join(" -> ")
    );
    println!("(start and finish: time from the start of the release)");
    let rows: Vec<Vec<String>> = cp
        .services
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                dur(t.earliest_start),
                dur(t.earliest_finish),
                dur(t.slack),
            ]
        })
        .collect();
    print(
        &[
            ("service", Left),
            ("start", Right),
            ("finish", Right),
            ("slack", Right),
        ],
        &rows,
    );

    let stateful: Vec<String> = plan
        .services
        .iter()
        .filter(|s| s.stateful)
        .map(|s| s.id.clone())
        .collect();
    println!("\nBlast radius of the stateful services:");
    let rows: Vec<Vec<String>> = graph
        .blast_radius(Some(&stateful))?
        .services
        .iter()
        .map(|b| {
            vec![
                b.id.clone(),
                b.dependent_count.to_string(),
                b.customer_facing_dependents.to_string(),
            ]
        })
        .collect();
    print(
        &[
            ("service", Left),
            ("dependents", Right),
            ("customer facing", Right),
        ],
        &rows,
    );

    let two = graph.schedule(2)?;
    let four = graph.schedule(4)?;
    println!(
        "\nWith at most 2 deployments at once the plan takes {}, with 4 it takes {}; with 2:",
        dur(two.makespan_seconds),
        dur(four.makespan_seconds)
    );
    let rows: Vec<Vec<String>> = two
        .services
        .iter()
        .map(|s| vec![s.id.clone(), dur(s.start), dur(s.finish)])
        .collect();
    print(
        &[("service", Left), ("start", Right), ("finish", Right)],
        &rows,
    );
    Ok(())
}
