//! fit_risk_model on 100,000 historical changes (synthetic, see
//! `rollgate_benches::risk`), plus assessing one change and evaluating a
//! model on the same history. `benches/risk_peer.py` times scikit-learn on
//! the same data.

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

criterion_group!(benches, bench);
criterion_main!(benches);
