//! Seeded data generators shared by the rollgate benchmarks and the timing
//! binaries that peer scripts (benches/*.py) call, so that every contender
//! works on exactly the same data.

pub mod rollout_plan;

use rollgate::{DurationSecs, Plan, Service};

/// splitmix64: tiny, seedable and easy to reproduce in Python.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A random DAG of `n` services and `m` distinct dependencies: each edge
/// joins two random services, the higher index depending on the lower.
/// `benches/compare_graph.py` builds the identical graph.
pub fn random_dag(n: usize, m: usize, seed: u64) -> Plan {
    let mut rng = SplitMix64(seed);
    let mut deps: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut seen = std::collections::HashSet::with_capacity(m);
    while seen.len() < m {
        let a = (rng.next_u64() % n as u64) as u32;
        let b = (rng.next_u64() % n as u64) as u32;
        if a == b {
            continue;
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        if seen.insert((lo, hi)) {
            deps[hi as usize].push(lo);
        }
    }
    let services = deps
        .into_iter()
        .enumerate()
        .map(|(i, d)| Service {
            id: format!("s{i}"),
            depends_on: d.into_iter().map(|j| format!("s{j}")).collect(),
            deploy_duration: DurationSecs(60 + (i as u64 * 7) % 600),
            stateful: i % 10 == 0,
            customer_facing: i % 7 == 0,
            ..Service::default()
        })
        .collect();
    Plan {
        name: format!("random-{n}-{m}-{seed}"),
        services,
        ..Plan::default()
    }
}

/// The graph sizes the benchmarks sweep, as `(services, dependencies)`:
/// the plans users have (10 to 10,000 services) and the large one
/// (100,000 services). Five dependencies per service, fewer where a plan
/// that small cannot hold that many distinct pairs (at most a quarter of
/// all pairs, so that [`random_dag`] finds them quickly).
pub const GRAPH_SIZES: [(usize, usize); 5] = [
    graph_size(10),
    graph_size(100),
    graph_size(1_000),
    graph_size(10_000),
    graph_size(100_000),
];

const fn graph_size(n: usize) -> (usize, usize) {
    let quarter_of_pairs = n * (n - 1) / 4;
    let m = if 5 * n < quarter_of_pairs {
        5 * n
    } else {
        quarter_of_pairs
    };
    (n, m)
}

/// Synthetic change history for the risk benchmarks, identical to
/// `benches/risk_peer.py` (same generator, same arithmetic).
///
/// Generating model: a 64-bit LCG (Knuth's MMIX constants) gives uniforms
/// `u = (state >> 11) / 2^53`. Per change: `lines_added = floor(e^(8u) − 1)`,
/// `lines_deleted = floor(e^(6u) − 1)`, `lines_before = floor(e^(11u))`,
/// `files_changed = 1 + floor(e^(4u) − 1)`, `entropy = 3u`, `is_fix = u < 0.15`,
/// then `failed = u < σ(−2 + 0.4(ln(1+la) − 3) − 0.05(ln(1+ld) − 2)
/// + 0.1(ln(1+lt) − 7) + 0.3(ln(1+nf) − 1) − 0.1(entropy − 1) + 0.2·fix)`.
pub mod risk {
    /// A 64-bit linear congruential generator (deterministic, seedable).
    pub struct Lcg(pub u64);

    impl Lcg {
        /// The next uniform in [0, 1).
        pub fn uniform(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// `n` outcomes as JSON values (`{"change": ..., "failed": ...}`).
    pub fn history_json(n: usize, seed: u64) -> Vec<serde_json::Value> {
        let mut rng = Lcg(seed);
        (0..n)
            .map(|i| {
                let la = ((8.0 * rng.uniform()).exp() - 1.0).floor();
                let ld = ((6.0 * rng.uniform()).exp() - 1.0).floor();
                let lt = (11.0 * rng.uniform()).exp().floor();
                let nf = 1.0 + ((4.0 * rng.uniform()).exp() - 1.0).floor();
                let entropy = 3.0 * rng.uniform();
                let fix = rng.uniform() < 0.15;
                let z = -2.0 + 0.4 * (la.ln_1p() - 3.0) - 0.05 * (ld.ln_1p() - 2.0)
                    + 0.1 * (lt.ln_1p() - 7.0)
                    + 0.3 * (nf.ln_1p() - 1.0)
                    - 0.1 * (entropy - 1.0)
                    + if fix { 0.2 } else { 0.0 };
                let failed = rng.uniform() < 1.0 / (1.0 + (-z).exp());
                serde_json::json!({
                    "change": {
                        "id": format!("c{i}"), "author": format!("dev{}", i % 97),
                        "services": [format!("svc{}", i % 50)],
                        "lines_added": la, "lines_deleted": ld, "lines_before": lt,
                        "files_changed": nf, "entropy": entropy, "is_fix": fix
                    },
                    "failed": failed
                })
            })
            .collect()
    }
}

/// Synthetic deployment history for the delivery benchmarks, identical to
/// `benches/delivery_peer.py` (same counter-based generator, vectorised
/// there with numpy).
///
/// Generating model: `r(k) = splitmix64 output k` of the seed (the state
/// after `k + 1` increments of the golden gamma, finalised). Deployment `i`
/// draws `r0..r3 = r(4i..4i+3)`: service `svc{r0 mod 200}`; finish
/// `T0 + 30 i + (r0 >> 32) mod 20` seconds, started 300 s earlier; status by
/// `r1 mod 100`: below 85 succeeded, below 95 failed, else rolled back;
/// commit `j` of 3: sha `(r2 >> 20j) & 0xFFFFF` in hex (so commits recur
/// within a service), lead `(r3 >> 20j) mod 604800` s; an incident caused by
/// it when `(r1 >> 32) mod 50 = 0`, created 600 s after its finish and
/// resolved `60 + (r1 >> 40) mod 14400` s later; it remediates an incident
/// when `(r0 >> 52) mod 100 = 0`.
pub mod delivery {
    use chrono::DateTime;
    use rollgate::{Commit, Deployment, DeploymentStatus, Incident, Timestamp};

    /// 2026-01-05T00:00:00Z.
    pub const T0: i64 = 1_767_571_200;
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    /// The `k`-th output of splitmix64 seeded with `seed`.
    pub fn r(seed: u64, k: u64) -> u64 {
        let mut z = seed.wrapping_add(k.wrapping_add(1).wrapping_mul(GAMMA));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp(
            DateTime::from_timestamp(seconds, 0)
                .unwrap_or_default()
                .fixed_offset(),
        )
    }

    /// `n` production deployments with 3 commits each, and their incidents.
    pub fn history(n: usize, seed: u64) -> (Vec<Deployment>, Vec<Incident>) {
        let mut deployments = Vec::with_capacity(n);
        let mut incidents = Vec::new();
        for i in 0..n as u64 {
            let [r0, r1, r2, r3] = [0, 1, 2, 3].map(|j| r(seed, 4 * i + j));
            let finish = T0 + 30 * i as i64 + ((r0 >> 32) % 20) as i64;
            let status = match r1 % 100 {
                0..=84 => DeploymentStatus::Succeeded,
                85..=94 => DeploymentStatus::Failed,
                _ => DeploymentStatus::RolledBack,
            };
            let commits = (0..3)
                .map(|j| Commit {
                    sha: format!("{:05x}", (r2 >> (20 * j)) & 0xF_FFFF),
                    committed_at: at(finish - ((r3 >> (20 * j)) % 604_800) as i64),
                })
                .collect();
            let id = format!("d{i}");
            if (r1 >> 32) % 50 == 0 {
                let created = finish + 600;
                incidents.push(Incident {
                    id: format!("inc{i}"),
                    created_at: at(created),
                    resolved_at: Some(at(created + 60 + ((r1 >> 40) % 14_400) as i64)),
                    caused_by: vec![id.clone()],
                    severity: None,
                });
            }
            deployments.push(Deployment {
                id,
                service: format!("svc{}", r0 % 200),
                environment: "production".into(),
                started_at: at(finish - 300),
                finished_at: at(finish),
                status,
                commits,
                remediates: if (r0 >> 52) % 100 == 0 {
                    vec![format!("inc{}", i.saturating_sub(1))]
                } else {
                    Vec::new()
                },
            });
        }
        (deployments, incidents)
    }
}
