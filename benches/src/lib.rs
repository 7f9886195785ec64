//! Shared data generators for the rollgate benchmarks.

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
