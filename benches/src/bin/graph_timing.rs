//! Times the dependency graph and prints JSON (milliseconds unless a key
//! says otherwise). Called by benches/compare_graph.py so that Rust, Python
//! and networkx are measured in the same run.
//!
//! `graph_timing [services] [dependencies] [repeats]` (default 100,000,
//! 500,000, 5): one line for the seeded DAG of that size — `order_services`
//! and `blast_radius` of 100 services, best of `repeats`, phase timings and
//! the process's peak resident memory.
//!
//! `graph_timing sweep [repeats]` (default 7): one line per size of
//! [`GRAPH_SIZES`] (10 to 100,000 services), each figure the best of
//! `repeats` samples of the mean time per call, every sample at least
//! ~50 ms of calls: `order_services`, `ServiceGraph::new` (validation, id
//! index, layering) and one id-index lookup (`ServiceGraph::index_of` of
//! every dependency name, in plan order), in nanoseconds. Each is given as
//! wall time and as CPU time of the process (all threads): on a machine
//! shared with other jobs, CPU time is the steadier measure of the work
//! done, wall time includes the waits for a core.

use std::time::Instant;

use rollgate_benches::{random_dag, GRAPH_SIZES};

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("sweep") {
        args.next();
        let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
        sweep(repeats);
        return;
    }
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let m: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    one_size(n, m, repeats);
}

/// CPU time of this process so far (every thread, including threads that
/// have ended), in seconds.
fn process_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through the pointer, which
    // points to a live, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Seconds per call of `f`, as (wall, CPU): each the best of `repeats`
/// samples, each sample the mean over enough calls to take about 50 ms.
fn per_call(repeats: usize, mut f: impl FnMut()) -> (f64, f64) {
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-9);
    let calls = ((0.05 / once).ceil() as usize).max(1);
    let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..repeats {
        let t = Instant::now();
        let c = process_cpu_seconds();
        for _ in 0..calls {
            f();
        }
        cpu = cpu.min((process_cpu_seconds() - c) / calls as f64);
        wall = wall.min(t.elapsed().as_secs_f64() / calls as f64);
    }
    (wall, cpu)
}

fn sweep(repeats: usize) {
    for (n, m) in GRAPH_SIZES {
        let plan = random_dag(n, m, 42);
        let order = per_call(repeats, || {
            std::hint::black_box(rollgate::order_services(&plan).expect("valid DAG"));
        });
        let new = per_call(repeats, || {
            std::hint::black_box(rollgate::ServiceGraph::new(&plan).expect("valid DAG"));
        });
        let graph = rollgate::ServiceGraph::new(&plan).expect("valid DAG");
        let names: Vec<&str> = plan
            .services
            .iter()
            .flat_map(|s| s.depends_on.iter().map(String::as_str))
            .collect();
        let lookups = per_call(repeats, || {
            for name in &names {
                std::hint::black_box(graph.index_of(name));
            }
        });
        let per_lookup = 1e9 / names.len().max(1) as f64;
        println!(
            "{{\"services\": {n}, \"dependencies\": {m}, \"order_services_ms\": {:.6}, \"graph_new_ms\": {:.6}, \"index_of_ns\": {:.2}, \"cpu\": {{\"order_services_ms\": {:.6}, \"graph_new_ms\": {:.6}, \"index_of_ns\": {:.2}}}}}",
            order.0 * 1e3,
            new.0 * 1e3,
            lookups.0 * per_lookup,
            order.1 * 1e3,
            new.1 * 1e3,
            lookups.1 * per_lookup,
        );
    }
}

fn one_size(n: usize, m: usize, repeats: usize) {
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
