//! Times `rollgate::mann_whitney` on samples read from a file, for
//! `benches/compare_stats.py` (same data as the peers, same run).
//!
//! Usage: `stats_timing FILE N_X REPEATS` where FILE holds little-endian f64
//! values: the first N_X are x, the rest y. Prints one JSON line with the
//! best and median wall time in seconds and the result, and `sort_best`:
//! the best time to merely sort both samples the way rollgate does (integer
//! keys, one sample per thread) — the floor under any exact rank test here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("read data file");
    let n_x: usize = args[2].parse().expect("N_X");
    let repeats: usize = args.get(3).map_or(5, |r| r.parse().expect("REPEATS"));
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let (x, y) = values.split_at(n_x);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let r = rollgate::mann_whitney(x, y, rollgate::Alternative::TwoSided, 0.95).unwrap();
        times.push(start.elapsed().as_secs_f64());
        last = Some(r);
    }
    times.sort_by(f64::total_cmp);
    let r = last.unwrap();
    let mut sort_best = f64::INFINITY;
    for _ in 0..repeats {
        let start = Instant::now();
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| sort_keys(y));
            (sort_keys(x), other.join().unwrap())
        });
        sort_best = sort_best.min(start.elapsed().as_secs_f64());
        assert_eq!(a.len() + b.len(), values.len());
    }
    println!(
        "{}",
        serde_json::json!({
            "best": times[0],
            "median": times[times.len() / 2],
            "sort_best": sort_best,
            "statistic": r.statistic,
            "p_value": r.p_value,
            "estimate": r.estimate,
            "ci": r.ci,
        })
    );
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
