//! Stage 4, the canary verdict: after the first wave's bake, its metrics
//! against the baseline (the regions not yet deployed), metric by metric.

use rollgate::verdict::{Counts, MetricData, Sample};
use rollgate::{CanaryConfig, CanaryData, CanaryVerdict, Schedule};

use crate::table::{print, word, Align::*};

/// Reproducible pseudo-random normal values (xorshift64* and Box-Muller):
/// the tour prints the same numbers on every machine.
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn sample(&mut self, n: usize, mean: f64, sd: f64) -> Vec<f64> {
        (0..n)
            .map(|_| {
                let (u, v) = (self.uniform(), self.uniform());
                mean + sd * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
            })
            .collect()
    }
}

/// What the canary region and the baseline report during the bake: latency
/// barely moves, but the canary's error rate is about six times the baseline's.
fn observed() -> CanaryData {
    let mut rng = Normal(0x5EED_2041);
    let baseline = rng.sample(4000, 120.0, 15.0);
    let canary = rng.sample(1000, 121.0, 15.0);
    let values = |b: &[f64], c: &[f64]| MetricData {
        baseline: Sample::Values(b.to_vec()),
        canary: Sample::Values(c.to_vec()),
    };
    let counts = |events: f64, trials: f64| {
        Sample::Counts(Counts {
            events,
            trials: Some(trials),
            exposure: None,
        })
    };
    CanaryData::from([
        ("latency_ms".to_string(), values(&baseline, &canary)),
        ("p99_ms".to_string(), values(&baseline, &canary)),
        (
            "errors".to_string(),
            MetricData {
                baseline: counts(18.0, 90_000.0),
                canary: counts(13.0, 10_000.0),
            },
        ),
    ])
}

pub fn show(
    config: &CanaryConfig,
    schedule: &Schedule,
) -> rollgate::Result<(CanaryData, CanaryVerdict)> {
    let first = schedule.waves.first();
    println!(
        "\n== 4. Canary verdict on wave 1 ({}) at {}\n",
        first.map(|w| w.regions.join(", ")).unwrap_or_default(),
        first.map(|w| w.gate.earliest_pass.as_str()).unwrap_or("")
    );
    let data = observed();
    let verdict = rollgate::judge_canary(config, &data)?;
    let num = |v: Option<f64>| match v {
        Some(v) if v != 0.0 && v.abs() < 1e-3 => format!("{v:.2e}"),
        Some(v) => format!("{v:.4}"),
        None => "-".to_string(),
    };
    let bound =
        |v: Option<f64>, infinite: &str| v.map_or(infinite.to_string(), |v| format!("{v:.4}"));
    let rows: Vec<Vec<String>> = verdict
        .metrics
        .iter()
        .map(|(name, m)| {
            vec![
                name.clone(),
                m.test.to_string(),
                m.effect_kind.to_string(),
                num(m.effect),
                format!("[{}, {}]", bound(m.ci[0], "-inf"), bound(m.ci[1], "inf")),
                num(m.adjusted_p_value.or(m.p_value)),
                word(&m.classification),
            ]
        })
        .collect();
    print(
        &[
            ("metric", Left),
            ("test", Left),
            ("effect", Left),
            ("canary vs baseline", Right),
            ("one-sided interval", Right),
            ("p (Holm)", Right),
            ("result", Left),
        ],
        &rows,
    );
    println!(
        "\nDecision: {} (score {:.0} of 100; pass at {}, marginal at {})",
        word(&verdict.decision),
        verdict.score,
        verdict.thresholds.pass,
        verdict.thresholds.marginal
    );
    for reason in &verdict.reasons {
        println!("  - [{}] {}", reason.code, reason.message);
    }
    Ok((data, verdict))
}
