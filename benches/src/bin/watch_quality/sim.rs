//! Seeded simulated canaries: latency, CPU and error counts for a baseline
//! and a canary arm, batch by batch.

use std::collections::BTreeMap;

use rollgate::verdict::{Counts, MetricData, Sample};

/// splitmix64 with Box-Muller normals.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Binomial(n, p) for small p: geometric gaps between events.
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        let ln_q = (-p).ln_1p();
        let (mut k, mut pos) = (0u64, 0u64);
        loop {
            let gap = (self.uniform().ln() / ln_q).floor() as u64;
            pos = pos.saturating_add(gap).saturating_add(1);
            if pos > n {
                return k;
            }
            k += 1;
        }
    }
}

/// Latency: log-normal with median e³ ≈ 20 ms and log-sd 0.5.
pub const LOG_MU: f64 = 3.0;
pub const LOG_SD: f64 = 0.5;

/// The standard normal quantile for the few levels the tail transform needs.
pub fn z_of(q: f64) -> f64 {
    // Acklam's rational approximation (|error| < 1.2e-9), enough for a
    // simulation's tail transform.
    let a = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.38357751867269e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    let b = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    let c = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    let d = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    let p = q;
    if p < 0.02425 {
        let t = (-2.0 * p.ln()).sqrt();
        (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
            / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1.0)
    } else if p > 1.0 - 0.02425 {
        -z_of(1.0 - p)
    } else {
        let r = p - 0.5;
        let s = r * r;
        (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
            / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1.0)
    }
}

/// How the canary differs from the baseline.
#[derive(Debug, Clone, Copy)]
pub struct Arm {
    /// Multiplies every latency sample (the mean and every quantile).
    pub latency: f64,
    /// Multiplies the p99 only: values above the p98 are stretched so that
    /// the p99 is this many times the baseline's (a tail-only regression).
    pub tail: f64,
    /// The error rate per request.
    pub error_rate: f64,
}

pub const BASE: Arm = Arm {
    latency: 1.0,
    tail: 1.0,
    error_rate: 0.005,
};

/// Requests (trials) per arm per batch, and latency/CPU samples per arm per batch.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub requests: u64,
    pub samples: usize,
}

/// Which metrics a simulated canary reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metrics {
    Errors,
    Latency,
    P99,
    Four,
}

impl Metrics {
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Metrics::Errors => &["errors"],
            Metrics::Latency => &["latency"],
            Metrics::P99 => &["p99_latency"],
            Metrics::Four => &["errors", "latency", "p99_latency", "cpu"],
        }
    }
}

pub fn latency(rng: &mut Rng, arm: &Arm, n: usize) -> Vec<f64> {
    let q98 = (LOG_MU + LOG_SD * z_of(0.98)).exp();
    let q99 = (LOG_MU + LOG_SD * z_of(0.99)).exp();
    let stretch = (arm.tail * q99 - q98) / (q99 - q98);
    (0..n)
        .map(|_| {
            let v = (LOG_MU + LOG_SD * rng.normal()).exp() * arm.latency;
            if arm.tail != 1.0 && v > q98 {
                q98 + (v - q98) * stretch
            } else {
                v
            }
        })
        .collect()
}

fn cpu(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| (50.0 + 10.0 * rng.normal()).max(0.0))
        .collect()
}

/// One batch of a canary: per metric, the baseline's and canary's data.
pub fn batch(
    rng: &mut Rng,
    metrics: Metrics,
    canary: &Arm,
    sizes: Sizes,
) -> BTreeMap<String, MetricData> {
    let mut out = BTreeMap::new();
    for &name in metrics.names() {
        let data = match name {
            "errors" => {
                let counts = |rng: &mut Rng, rate: f64| {
                    Sample::Counts(Counts {
                        events: rng.binomial(sizes.requests, rate) as f64,
                        trials: Some(sizes.requests as f64),
                        exposure: None,
                    })
                };
                MetricData {
                    baseline: counts(rng, BASE.error_rate),
                    canary: counts(rng, canary.error_rate),
                }
            }
            "cpu" => MetricData {
                baseline: Sample::Values(cpu(rng, sizes.samples)),
                canary: Sample::Values(cpu(rng, sizes.samples)),
            },
            _ => MetricData {
                baseline: Sample::Values(latency(rng, &BASE, sizes.samples)),
                canary: Sample::Values(latency(rng, canary, sizes.samples)),
            },
        };
        out.insert(name.to_string(), data);
    }
    out
}

/// Appends a batch to cumulative data (for the naive fixed-horizon judge).
pub fn accumulate(total: &mut BTreeMap<String, MetricData>, batch: &BTreeMap<String, MetricData>) {
    for (name, data) in batch {
        let Some(entry) = total.get_mut(name) else {
            total.insert(name.clone(), data.clone());
            continue;
        };
        for (acc, add) in [
            (&mut entry.baseline, &data.baseline),
            (&mut entry.canary, &data.canary),
        ] {
            match (acc, add) {
                (Sample::Values(a), Sample::Values(b)) => a.extend_from_slice(b),
                (Sample::Counts(a), Sample::Counts(b)) => {
                    a.events += b.events;
                    a.trials = a.trials.zip(b.trials).map(|(x, y)| x + y);
                }
                _ => {}
            }
        }
    }
}
