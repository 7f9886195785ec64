//! Times `order_services` and `blast_radius` on the seeded 100,000-service,
//! 500,000-dependency DAG and prints one JSON line (milliseconds, best of N,
//! and the process's peak resident memory). Called by benches/compare_graph.py
//! so that Rust, Python and networkx are measured in the same run.

use std::time::Instant;

use rollgate_benches::random_dag;

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let m: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let plan = random_dag(n, m, 42);
    let mut best_order = f64::INFINITY;
    let mut waves = 0;
    for _ in 0..repeats {
        let t = Instant::now();
        let order = rollgate::order_services(&plan).expect("valid DAG");
        best_order = best_order.min(t.elapsed().as_secs_f64() * 1e3);
        waves = order.waves.len();
    }
    // Phase timings (best of N each): building the graph (validation and id
    // resolution, layering), the critical path with every service's timing,
    // and the whole analysis on a built graph (waves, rollback waves and
    // critical path).
    let (mut best_new, mut best_cp, mut best_analysis) =
        (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for _ in 0..repeats {
        let t = Instant::now();
        let graph = rollgate::ServiceGraph::new(&plan).expect("valid DAG");
        best_new = best_new.min(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let cp = graph.critical_path();
        best_cp = best_cp.min(t.elapsed().as_secs_f64() * 1e3);
        drop(cp);
        let t = Instant::now();
        let order = graph.order();
        best_analysis = best_analysis.min(t.elapsed().as_secs_f64() * 1e3);
        drop(order);
    }
    let graph = rollgate::ServiceGraph::new(&plan).expect("valid DAG");
    let requested: Vec<String> = (0..100).map(|i| format!("s{}", i * (n / 100))).collect();
    let mut best_blast = f64::INFINITY;
    for _ in 0..repeats {
        let t = Instant::now();
        let radius = graph.blast_radius(Some(&requested)).expect("known ids");
        best_blast = best_blast.min(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(radius.services.len(), 100);
    }
    println!(
        "{{\"services\": {n}, \"dependencies\": {m}, \"waves\": {waves}, \"order_services_ms\": {best_order:.3}, \"blast_radius_100_ms\": {best_blast:.3}, \"phases_ms\": {{\"graph_new\": {best_new:.3}, \"critical_path\": {best_cp:.3}, \"order_on_graph\": {best_analysis:.3}}}, \"peak_rss_mb\": {:.1}}}",
        peak_rss_mb().unwrap_or(f64::NAN)
    );
}
