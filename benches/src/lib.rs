//! Seeded data generators shared by the rollgate benchmarks and the timing
//! binaries that peer scripts (benches/*.py) call, so that every contender
//! works on exactly the same data.

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
