//! Times `rollgate::mann_whitney` for `benches/compare_stats.py` (same data
//! as the peers, same run), and the floor under it: sorting both samples.
//!
//! Usage:
//! - `stats_timing FILE N_X REPEATS`: FILE holds little-endian f64 values,
//!   the first N_X are x, the rest y. Prints one JSON line.
//! - `stats_timing --sweep [REPEATS]`: the same for seeded log-normal
//!   samples of 20 to 1,000,000 values per side, one JSON line per size.
//! - `stats_timing judge FILE METRICS N REPEATS`: `judge_canary` with
//!   METRICS location metrics (`direction: increase`) of N values per arm;
//!   FILE holds 2 · METRICS samples of N: baseline and canary of each metric.
//!
//! Each figure is seconds per call: the best (and the median) of REPEATS
//! timings, each of a loop of calls long enough (≥ 20 ms) for the clock.
//! `sort_best` is the best time to merely sort both samples the way
//! rollgate does (integer keys; one sample per thread from 65,536 values in
//! total), the floor under any exact rank test here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--sweep") {
        let repeats = args.get(2).map_or(5, |r| r.parse().expect("REPEATS"));
        for n in [20usize, 50, 200, 1_000, 10_000, 100_000, 1_000_000] {
            let x = lognormal(n, 1, 0.01);
            let y = lognormal(n, 2, 0.0);
            println!("{}", measure(&x, &y, repeats));
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("judge") {
        let values = read_f64(&args[2]);
        let metrics: usize = args[3].parse().expect("METRICS");
        let n: usize = args[4].parse().expect("N");
        let repeats: usize = args.get(5).map_or(5, |r| r.parse().expect("REPEATS"));
        println!("{}", judge(&values, metrics, n, repeats));
        return;
    }
    let values = read_f64(&args[1]);
    let n_x: usize = args[2].parse().expect("N_X");
    let repeats: usize = args.get(3).map_or(5, |r| r.parse().expect("REPEATS"));
    let (x, y) = values.split_at(n_x);
    println!("{}", measure(x, y, repeats));
}

/// The little-endian f64 values of a file.
fn read_f64(path: &str) -> Vec<f64> {
    std::fs::read(path)
        .expect("read data file")
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Times `judge_canary` on `metrics` location metrics of `n` values per arm.
fn judge(values: &[f64], metrics: usize, n: usize, repeats: usize) -> serde_json::Value {
    let names: Vec<String> = (0..metrics).map(|i| format!("m{i}")).collect();
    let config: rollgate::CanaryConfig = rollgate::wire::from_value(serde_json::json!({
        "metrics": names.iter().map(|name| serde_json::json!({"name": name, "direction": "increase"})).collect::<Vec<_>>(),
    }))
    .unwrap();
    let arms: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .zip(values.chunks_exact(2 * n))
        .map(|(name, pair)| {
            let (baseline, canary) = pair.split_at(n);
            (
                name.clone(),
                serde_json::json!({"baseline": baseline, "canary": canary}),
            )
        })
        .collect();
    let data: rollgate::CanaryData =
        rollgate::wire::from_value(serde_json::Value::Object(arms)).unwrap();
    let (best, median) = per_call(repeats, || {
        std::hint::black_box(rollgate::judge_canary(&config, &data).unwrap());
    });
    serde_json::json!({"best": best, "median": median})
}

/// Deterministic log-normal samples (splitmix64 + Box-Muller), as the
/// criterion bench's.
fn lognormal(n: usize, seed: u64, shift: f64) -> Vec<f64> {
    let mut rng = rollgate_benches::SplitMix64(seed);
    let mut next = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 + 1e-18;
    (0..n)
        .map(|_| {
            let (u, v) = (next(), next());
            let z = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos();
            (3.0 + 0.5 * z + shift).exp()
        })
        .collect()
}

/// Times Mann-Whitney and the sort floor on `x` and `y`; one JSON object.
fn measure(x: &[f64], y: &[f64], repeats: usize) -> serde_json::Value {
    let call = || rollgate::mann_whitney(x, y, rollgate::Alternative::TwoSided, 0.95).unwrap();
    let (best, median) = per_call(repeats, || {
        std::hint::black_box(call());
    });
    let (sort_best, _) = per_call(repeats, || {
        let (a, b) = sort_both(x, y);
        assert_eq!(a.len() + b.len(), x.len() + y.len());
    });
    let r = call();
    serde_json::json!({
        "n_x": x.len(),
        "n_y": y.len(),
        "best": best,
        "median": median,
        "sort_best": sort_best,
        "statistic": r.statistic,
        "p_value": r.p_value,
        "estimate": r.estimate,
        "ci": r.ci,
    })
}

/// Best and median seconds per call of `f` over `repeats` timed loops.
fn per_call(repeats: usize, mut f: impl FnMut()) -> (f64, f64) {
    let start = Instant::now();
    f();
    let once = start.elapsed().as_secs_f64();
    let loops = ((0.02 / once.max(1e-9)).ceil() as usize).clamp(1, 100_000);
    let mut times: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            for _ in 0..loops {
                f();
            }
            start.elapsed().as_secs_f64() / loops as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// Both samples sorted as rollgate sorts them.
fn sort_both(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    if x.len() + y.len() < 1 << 16 {
        return (sort_keys(x), sort_keys(y));
    }
    std::thread::scope(|s| {
        let other = s.spawn(|| sort_keys(y));
        (sort_keys(x), other.join().unwrap())
    })
}

/// Sorts a sample by its order-preserving integer keys (as rollgate does).
fn sort_keys(v: &[f64]) -> Vec<f64> {
    let mut keys: Vec<u64> = v
        .iter()
        .map(|&x| {
            let b = (x + 0.0).to_bits();
            if b >> 63 == 1 {
                !b
            } else {
                b | (1 << 63)
            }
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k }))
        .collect()
}
