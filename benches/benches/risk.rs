//! fit_risk_model on 100,000 historical changes (synthetic, see
//! `rollgate_benches::risk`), plus assessing one change and evaluating a
//! model on the same history. `benches/risk_peer.py` times scikit-learn on
//! the same data.
//!
//! The crate swaps of issue 10 are measured here too: nalgebra's Cholesky
//! solve (used by the Newton step) against the hand-written routine it
//! replaced, kept below for the comparison only; and the change log's
//! canonical hash against RFC 8785 text from `serde_json_canonicalizer`
//! (not used, see `rollgate::changelog` for why) plus verification of a
//! 100,000-record log.

use criterion::{criterion_group, criterion_main, Criterion};
use rollgate::risk::{FitOptions, PriorKind};
use rollgate::ChangeOutcome;

fn history(n: usize) -> Vec<ChangeOutcome> {
    rollgate_benches::risk::history_json(n, 42)
        .into_iter()
        .map(|v| rollgate::wire::from_value(v).expect("valid outcome"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let history = history(100_000);
    let mut group = c.benchmark_group("risk");
    group.sample_size(10);
    let six = FitOptions {
        prior: PriorKind::Zero,
        factors: Some(
            [
                "lines_added",
                "lines_deleted",
                "lines_before",
                "files_changed",
                "entropy",
                "is_fix",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
        ..FitOptions::default()
    };
    group.bench_function("fit_risk_model/100k/6_factors", |b| {
        b.iter(|| rollgate::fit_risk_model(&history, Some(&six)).expect("fit"))
    });
    group.bench_function("fit_risk_model/100k/all_27_factors", |b| {
        b.iter(|| rollgate::fit_risk_model(&history, None).expect("fit"))
    });
    let model = rollgate::fit_risk_model(&history, Some(&six)).expect("fit");
    group.bench_function("evaluate_risk_model/100k", |b| {
        b.iter(|| rollgate::evaluate_risk_model(&model, &history).expect("evaluate"))
    });
    group.finish();
    let one = &history[0].change;
    c.bench_function("risk/assess_risk/one_change_with_1000_history", |b| {
        b.iter(|| {
            rollgate::assess_risk(one, None, Some(&model), Some(&history[..1000]), None)
                .expect("assess")
        })
    });
}

/// The hand-written Cholesky solve that nalgebra's replaced (row-major `k × k`).
fn hand_cholesky_solve(a: &[f64], g: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let mut sum = a[i * k + j];
            for p in 0..j {
                sum -= l[i * k + p] * l[j * k + p];
            }
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                l[i * k + i] = sum.sqrt();
            } else {
                l[i * k + j] = sum / l[j * k + j];
            }
        }
    }
    let mut z = vec![0.0; k];
    for i in 0..k {
        let mut sum = g[i];
        for p in 0..i {
            sum -= l[i * k + p] * z[p];
        }
        z[i] = sum / l[i * k + i];
    }
    let mut s = vec![0.0; k];
    for i in (0..k).rev() {
        let mut sum = z[i];
        for p in i + 1..k {
            sum -= l[p * k + i] * s[p];
        }
        s[i] = sum / l[i * k + i];
    }
    Some(s)
}

fn nalgebra_cholesky_solve(a: &[f64], g: &[f64], k: usize) -> Option<Vec<f64>> {
    let factor = nalgebra::linalg::Cholesky::new(nalgebra::DMatrix::from_row_slice(k, k, a))?;
    Some(
        factor
            .solve(&nalgebra::DVector::from_column_slice(g))
            .as_slice()
            .to_vec(),
    )
}

fn bench_swaps(c: &mut Criterion) {
    let mut group = c.benchmark_group("risk/cholesky");
    // The Newton system's size: intercept + 6 JIT factors, + all 27 change factors.
    for k in [7usize, 28] {
        let mut a = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                a[i * k + j] =
                    1.0 / (1.0 + (i as f64 - j as f64).abs()) + if i == j { k as f64 } else { 0.0 };
            }
        }
        let g: Vec<f64> = (0..k).map(|i| i as f64 - 3.0).collect();
        let (x, y) = (
            hand_cholesky_solve(&a, &g, k).unwrap(),
            nalgebra_cholesky_solve(&a, &g, k).unwrap(),
        );
        assert!(x.iter().zip(&y).all(|(p, q)| (p - q).abs() < 1e-12));
        group.bench_function(format!("hand_written/k={k}"), |b| {
            b.iter(|| hand_cholesky_solve(&a, &g, k))
        });
        group.bench_function(format!("nalgebra/k={k}"), |b| {
            b.iter(|| nalgebra_cholesky_solve(&a, &g, k))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("changelog");
    let record = serde_json::json!({
        "sequence": 41, "previous_hash": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "kind": "governance", "at": "2026-03-01T10:00:00Z",
        "inputs": {"change": "CHG-41", "level": "high", "score": 37, "services": ["api", "db"]},
        "outputs": {"allowed": false, "approvers": ["bo", "cy"], "missing": [{"code": "cab_review", "subjects": ["cab"]}]}
    });
    group.bench_function("canonical_sha256/rollgate", |b| {
        b.iter(|| {
            use sha2::Digest;
            sha2::Sha256::digest(rollgate::changelog::canonical_json(&record).as_bytes())
        })
    });
    group.bench_function(
        "canonical_sha256/serde_json_canonicalizer (RFC 8785)",
        |b| {
            b.iter(|| {
                use sha2::Digest;
                sha2::Sha256::digest(serde_json_canonicalizer::to_vec(&record).expect("canonical"))
            })
        },
    );
    let mut log: Vec<rollgate::ChangeRecord> = Vec::with_capacity(100_000);
    for i in 0..100_000u64 {
        let entry: rollgate::ChangeRecordInput = rollgate::wire::from_value(serde_json::json!({
            "kind": "governance", "at": "2026-03-01T10:00:00Z",
            "inputs": {"change": format!("CHG-{i}"), "level": "low", "score": i % 100},
            "outputs": {"allowed": i % 7 != 0, "approvers": ["bo", "cy"]}
        }))
        .expect("entry");
        let next = rollgate::append_change_record(log.last(), &entry).expect("append");
        log.push(next);
    }
    group.sample_size(10);
    group.bench_function("verify_change_log/100k", |b| {
        b.iter(|| rollgate::verify_change_log(&log, None).expect("verify"))
    });
    group.finish();
}

criterion_group!(benches, bench, bench_swaps);
criterion_main!(benches);
