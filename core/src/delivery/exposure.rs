//! [`flag_exposure`]: how many units of a population see each variant of a
//! flag — exactly for a list of unit ids, estimated from a seeded sample of
//! synthetic ids for a count.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::flags::{Flag, FlagAlgorithm, Rollout};
use crate::error::{Error, Result};
use crate::explain::Reason;

/// The default number of synthetic ids hashed for a counted population.
pub const DEFAULT_SAMPLE: u64 = 10_000;
/// The largest sample: bounds the time and memory of one call.
pub const MAX_SAMPLE: u64 = 10_000_000;
/// z for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Who might see a flag: a list of unit ids, or a count of units of which a
/// seeded sample of synthetic ids is hashed.
///
/// On the wire: a list of strings, or `{"count", "sample"?, "seed"?}`.
///
/// ```
/// use rollgate::delivery::Population;
/// let p: Population = rollgate::wire::from_json(r#"["u1", "u2"]"#).unwrap();
/// assert_eq!(p, Population::Units(vec!["u1".into(), "u2".into()]));
/// let p: Population = rollgate::wire::from_json(r#"{"count": 2000000, "seed": 7}"#).unwrap();
/// assert!(matches!(p, Population::Count(c) if c.sample == 10_000));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Population {
    /// Every unit, by id: exact counts.
    Units(Vec<String>),
    /// A number of units: counts estimated from a sample.
    Count(PopulationCount),
}

/// A counted population and the sample that stands for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PopulationCount {
    /// How many units there are.
    pub count: u64,
    /// How many synthetic ids to hash (default 10,000; at most 10,000,000;
    /// never more than `count`).
    #[serde(default = "default_sample")]
    pub sample: u64,
    /// Seed of the ids (splitmix64; default 0): the same seed, the same ids.
    #[serde(default)]
    pub seed: u64,
}

fn default_sample() -> u64 {
    DEFAULT_SAMPLE
}

impl<'de> Deserialize<'de> for Population {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct PopulationVisitor;

        impl<'de> Visitor<'de> for PopulationVisitor {
            type Value = Population;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of unit ids or {\"count\", \"sample\", \"seed\"}")
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Population, A::Error> {
                Vec::<String>::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(Population::Units)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Population, A::Error> {
                PopulationCount::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Population::Count)
            }
        }

        deserializer.deserialize_any(PopulationVisitor)
    }
}

/// How many units (would) see one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Exposure {
    /// Units: counted, or estimated as `share · population` rounded.
    pub units: u64,
    /// Share of the units hashed.
    pub share: f64,
    /// Share for uniformly distributed hashes, exactly, from the weights
    /// and the modulo arithmetic of the algorithm.
    pub expected_share: f64,
    /// 95 % Wilson interval of the share, when estimated from a sample.
    pub interval: Option<[f64; 2]>,
    /// The ids, in input order, for a list population (empty for a count).
    pub unit_ids: Vec<String>,
}

/// One variant's exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VariantExposure {
    /// The variant's name (flagd percentages: `on` / `off`).
    pub variant: String,
    /// Who is served it.
    pub exposure: Exposure,
}

/// How many units of a population get a flag and each of its variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlagExposure {
    /// The flag's key.
    pub flag: String,
    /// Whose bucketing.
    pub algorithm: FlagAlgorithm,
    /// Units in the population.
    pub population: u64,
    /// Units hashed (all of a list; the sample of a count).
    pub sampled: u64,
    /// Whether the counts are exact (a list) or estimated (a count).
    pub exact: bool,
    /// Units that get the flag.
    pub enabled: Exposure,
    /// Units that do not.
    pub disabled: Exposure,
    /// Units per variant served, in the flag's order (empty without variants
    /// for Unleash).
    pub variants: Vec<VariantExposure>,
    /// Why: what was counted and how.
    pub reasons: Vec<Reason>,
}

/// Deterministic ids for a counted population: splitmix64 from `seed`,
/// two outputs per id, written as a version-4 UUID.
pub(crate) struct SampleIds(u64);

impl SampleIds {
    pub(crate) fn new(seed: u64) -> Self {
        SampleIds(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn next_id(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// How many units of `population` see `flag` and each variant: exact counts
/// (and the ids) for a list of unit ids; for a count, estimates from a
/// seeded sample of synthetic ids with 95 % Wilson intervals. Each outcome
/// also carries the share expected for uniform hashes, computed exactly.
///
/// Errors: those of [`flag_enabled`](crate::flag_enabled), and
/// `invalid_input` at `population/sample` for a sample above 10,000,000.
///
/// ```
/// use rollgate::delivery::{Flag, Population};
/// let flag: Flag = rollgate::wire::from_json(r#"{"key": "AB12A", "percentage": 25}"#)?;
/// let users = Population::Units(vec!["122".into(), "123".into(), "124".into()]);
/// let exposure = rollgate::flag_exposure(&flag, &users)?;
/// assert_eq!(exposure.enabled.units + exposure.disabled.units, 3);
/// assert!(exposure.enabled.unit_ids.contains(&"122".to_string()));
///
/// let many = Population::Count(rollgate::delivery::PopulationCount { count: 1_000_000, sample: 20_000, seed: 1 });
/// let estimate = rollgate::flag_exposure(&flag, &many)?;
/// let [low, high] = estimate.enabled.interval.unwrap();
/// assert!(low < 0.25 && 0.25 < high);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn flag_exposure(flag: &Flag, population: &Population) -> Result<FlagExposure> {
    let rollout = Rollout::new(flag)?;
    let (distribution, _) = rollout.distribution();
    let names: Vec<String> = distribution.iter().map(|(n, _)| n.to_string()).collect();
    let show_variants = !(flag.algorithm == FlagAlgorithm::Unleash && flag.variants.is_empty());
    let (tally, total, exact) = tally(&rollout, population, names.len())?;
    let expected = expected_shares(&rollout);
    let sampled = tally.sampled;
    let outcome = |count: u64, ids: Vec<String>, expected_share: f64| {
        let share = if sampled == 0 {
            0.0
        } else {
            count as f64 / sampled as f64
        };
        Exposure {
            units: if exact {
                count
            } else {
                (share * total as f64).round() as u64
            },
            share,
            expected_share,
            interval: (!exact && sampled > 0).then(|| wilson(count, sampled)),
            unit_ids: ids,
        }
    };
    let variants = if show_variants {
        tally
            .variants
            .into_iter()
            .zip(names)
            .zip(expected.variants.iter())
            .map(|(((count, ids), name), e)| VariantExposure {
                variant: name,
                exposure: outcome(count, ids, *e),
            })
            .collect()
    } else {
        Vec::new()
    };
    let enabled = outcome(tally.enabled.0, tally.enabled.1, expected.enabled);
    let disabled = outcome(tally.disabled.0, tally.disabled.1, 1.0 - expected.enabled);
    let reason = if exact {
        Reason::new(
            "exposure_counted",
            format!("{total} unit ids hashed: {} get the flag", enabled.units),
        )
    } else {
        Reason::new(
            "exposure_sampled",
            format!(
                "{sampled} synthetic ids hashed for {total} units: about {} get the flag",
                enabled.units
            ),
        )
        .with_evidence("sample", sampled)
    };
    Ok(FlagExposure {
        flag: flag.key.clone(),
        algorithm: flag.algorithm,
        population: total,
        sampled,
        exact,
        enabled,
        disabled,
        variants,
        reasons: vec![reason.with_subjects([flag.key.clone()])],
    })
}

/// Each unit's outcome counted: every id of a list (exact), or a seeded
/// sample standing in for a count. Returns the tally, the population size
/// and whether the counts are exact.
fn tally(
    rollout: &Rollout,
    population: &Population,
    variants: usize,
) -> Result<(Tally, u64, bool)> {
    let mut tally = Tally::new(variants);
    match population {
        Population::Units(ids) => {
            for id in ids {
                tally.add(rollout.evaluate(id), Some(id));
            }
            Ok((tally, ids.len() as u64, true))
        }
        Population::Count(c) => {
            if c.sample > MAX_SAMPLE {
                return Err(Error::invalid_input(
                    "population/sample",
                    format!(
                        "a sample of {} ids is more than the maximum {MAX_SAMPLE}",
                        c.sample
                    ),
                ));
            }
            let mut ids = SampleIds::new(c.seed);
            for _ in 0..c.sample.min(c.count) {
                tally.add(rollout.evaluate(&ids.next_id()), None);
            }
            Ok((tally, c.count, false))
        }
    }
}

/// Counts (and ids) per outcome.
struct Tally {
    sampled: u64,
    enabled: (u64, Vec<String>),
    disabled: (u64, Vec<String>),
    variants: Vec<(u64, Vec<String>)>,
}

impl Tally {
    fn new(variants: usize) -> Self {
        Tally {
            sampled: 0,
            enabled: (0, Vec::new()),
            disabled: (0, Vec::new()),
            variants: vec![(0, Vec::new()); variants],
        }
    }

    fn add(&mut self, (enabled, variant, _): (bool, Option<usize>, u32), id: Option<&String>) {
        self.sampled += 1;
        let slot = if enabled {
            &mut self.enabled
        } else {
            &mut self.disabled
        };
        slot.0 += 1;
        slot.1.extend(id.cloned());
        if let Some(v) = variant.and_then(|v| self.variants.get_mut(v)) {
            v.0 += 1;
            v.1.extend(id.cloned());
        }
    }
}

/// Exact shares of each outcome when the 32-bit hash is uniform.
struct ExpectedShares {
    enabled: f64,
    variants: Vec<f64>,
}

const TWO_32: f64 = 4_294_967_296.0;

/// How many 32-bit values `h` have `h mod m < k` (for `k ≤ m`).
fn below_mod(m: u64, k: u64) -> u64 {
    let full = (1u64 << 32) / m;
    let rest = (1u64 << 32) % m;
    full * k + k.min(rest)
}

fn expected_shares(rollout: &Rollout<'_>) -> ExpectedShares {
    let (distribution, total) = rollout.distribution();
    let weights: Vec<u64> = distribution.iter().map(|(_, w)| *w).collect();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut running = 0u64;
    for w in &weights {
        running += w;
        cumulative.push(running);
    }
    match rollout.algorithm() {
        FlagAlgorithm::Unleash => {
            let enabled = below_mod(100, u64::from(rollout.percentage())) as f64 / TWO_32;
            // target = h mod total + 1 ≤ cumulative  ⇔  h mod total < cumulative
            let mut previous = 0u64;
            let variants = cumulative
                .iter()
                .map(|c| {
                    let n = if total == 0 { 0 } else { below_mod(total, *c) };
                    let share = (n - previous) as f64 / TWO_32;
                    previous = n;
                    enabled * share
                })
                .collect();
            ExpectedShares { enabled, variants }
        }
        FlagAlgorithm::Flagd => {
            // bucket = h·total >> 32 < c  ⇔  h < ⌈c·2³² / total⌉
            let below = |c: u64| {
                if total == 0 {
                    0
                } else {
                    (u128::from(c) << 32).div_ceil(u128::from(total)) as u64
                }
            };
            let mut previous = 0u64;
            let variants: Vec<f64> = cumulative
                .iter()
                .map(|c| {
                    let n = below(*c);
                    let share = (n - previous) as f64 / TWO_32;
                    previous = n;
                    share
                })
                .collect();
            let enabled = if rollout.is_fractional() {
                variants.iter().sum()
            } else {
                variants.first().copied().unwrap_or(0.0)
            };
            ExpectedShares { enabled, variants }
        }
    }
}

/// 95 % Wilson score interval for `k` successes in `n` trials.
fn wilson(k: u64, n: u64) -> [f64; 2] {
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_ids_are_uuid_shaped_and_seeded() {
        let mut a = SampleIds::new(7);
        let mut b = SampleIds::new(7);
        let id = a.next_id();
        assert_eq!(id, b.next_id());
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(a.next_id(), id);
    }

    #[test]
    fn modulo_counts_are_exact() {
        // 2^32 = 42,949,672 · 100 + 96: remainders 0..95 occur once more.
        assert_eq!(below_mod(100, 100), 1 << 32);
        assert_eq!(below_mod(100, 1), 42_949_673);
        assert_eq!(below_mod(100, 97), 42_949_672 * 97 + 96);
    }

    #[test]
    fn wilson_matches_a_hand_value() {
        // k = 50, n = 100: centre 0.5, half 1.96·√(0.0025 + 0.000096)/1.0384
        let [lo, hi] = wilson(50, 100);
        assert!((lo - 0.403_831_5).abs() < 1e-6, "{lo}");
        assert!((hi - 0.596_168_5).abs() < 1e-6, "{hi}");
    }
}
