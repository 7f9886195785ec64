//! Feature-flag bucketing, bit-compatible with Unleash and flagd, so that a
//! portal can predict exactly which units see a feature.
//!
//! - **Unleash** gradual rollout: `bucket = murmur3_x86_32("groupId:unitId",
//!   seed 0) mod 100 + 1` (1–100); the unit gets the flag iff
//!   `bucket ≤ percentage`. Variants (Unleash strategy variants, hashed with
//!   the same `groupId`) use seed 86028157: `target = hash mod total + 1`,
//!   and the first variant whose running weight reaches the target wins.
//! - **flagd** fractional evaluation: `bucket = (murmur3_32(flagKey +
//!   targetingKey) · totalWeight) >> 32` (0 to totalWeight − 1); the first
//!   variant whose running weight exceeds the bucket wins. A percentage `p`
//!   is `[["on", p], ["off", 100 − p]]`.
//!
//! Strings are hashed as their UTF-8 bytes, as Unleash's Rust engine
//! (Yggdrasil), Java and Go SDKs and flagd do. Unleash's older Node SDK
//! (murmurhash3js) hashes the low byte of each UTF-16 unit instead, so ids
//! with non-ASCII characters may land elsewhere there.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use crate::error::{DeliveryError, Error, Result};
use crate::explain::Reason;

/// The seed of Unleash's variant hash (`VARIANT_NORMALIZATION_SEED`).
const UNLEASH_VARIANT_SEED: u32 = 86_028_157;

/// Whose bucketing to reproduce.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagAlgorithm {
    /// Unleash gradual rollout (buckets 1–100).
    #[default]
    Unleash,
    /// flagd fractional evaluation (buckets 0 to total weight − 1).
    Flagd,
}

impl FlagAlgorithm {
    /// Reads `"unleash"` or `"flagd"`; errors are `invalid_input` at `path`.
    ///
    /// ```
    /// use rollgate::delivery::FlagAlgorithm;
    /// assert_eq!(FlagAlgorithm::parse("flagd", "algorithm").unwrap(), FlagAlgorithm::Flagd);
    /// assert_eq!(FlagAlgorithm::parse("launchdarkly", "algorithm").unwrap_err().path(), "algorithm");
    /// ```
    pub fn parse(text: &str, path: &str) -> Result<Self> {
        match text {
            "unleash" => Ok(FlagAlgorithm::Unleash),
            "flagd" => Ok(FlagAlgorithm::Flagd),
            other => Err(Error::invalid_input(
                path,
                format!("unknown flag algorithm `{other}`, expected `unleash` or `flagd`"),
            )),
        }
    }
}

/// A variant of a flag and its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagVariant {
    /// The variant's name; unique within the flag.
    pub name: String,
    /// Its weight (default 1, as flagd); Unleash weights usually add up to 1000.
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// A feature flag's rollout, as Unleash or flagd would evaluate it.
///
/// ```
/// let flag: rollgate::delivery::Flag = rollgate::wire::from_json(
///     r#"{"key": "new-checkout", "percentage": 25}"#).unwrap();
/// assert_eq!(flag.algorithm, rollgate::delivery::FlagAlgorithm::Unleash);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Flag {
    /// The flag's key (Unleash: its name; flagd: its flag key).
    pub key: String,
    /// Whose bucketing (default `unleash`).
    #[serde(default)]
    pub algorithm: FlagAlgorithm,
    /// Share of units that get the flag, a whole number 0–100 (default 100).
    /// Unleash: the gradual rollout's `rollout`; flagd: on/off weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<f64>,
    /// Unleash's `groupId` (default: the key). Not for flagd.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Variants and weights. Unleash: served to units that get the flag;
    /// flagd: the fractional distribution (instead of a percentage).
    #[serde(default)]
    pub variants: Vec<FlagVariant>,
}

/// Whether one unit gets a flag, which variant, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagDecision {
    /// The flag's key.
    pub flag: String,
    /// The unit evaluated (user, session, tenant, ...).
    pub unit_id: String,
    /// Whether the unit gets the flag.
    pub enabled: bool,
    /// The variant served (flagd percentages: `on` / `off`), if any.
    pub variant: Option<String>,
    /// The unit's rollout bucket (Unleash 1–100; flagd 0 to total − 1).
    pub bucket: u32,
    /// Why: the bucket against the rollout, and the variant's range.
    pub reasons: Vec<Reason>,
}

/// MurmurHash3 x86 32-bit of UTF-8 text (the `murmur3` crate, which
/// Unleash's own Rust engine uses).
pub(crate) fn murmur3_32(text: &str, seed: u32) -> u32 {
    // Reading from memory cannot fail; 0 would only mask a broken crate,
    // and the reference-value tests would catch that.
    murmur3::murmur3_32(&mut Cursor::new(text.as_bytes()), seed).unwrap_or(0)
}

/// `hash · total >> 32`: flagd's map of a 32-bit hash onto `0..total`.
fn scale(hash: u32, total: u64) -> u64 {
    (u64::from(hash) * total) >> 32
}

/// A unit's bucket for a flag key: Unleash's normalised value of
/// `flag_key:unit_id` (1–100), or flagd's bucket of `flag_key + unit_id`
/// for a total weight of 100 (0–99).
///
/// ```
/// use rollgate::delivery::FlagAlgorithm;
/// // Unleash's published vector: groupId "AB12A", userId "122".
/// assert_eq!(rollgate::flag_bucket("AB12A", "122", FlagAlgorithm::Unleash), 23);
/// // flagd's: flag "fractional-flag", targeting key "jack".
/// assert_eq!(rollgate::flag_bucket("fractional-flag", "jack", FlagAlgorithm::Flagd), 62);
/// ```
pub fn flag_bucket(flag_key: &str, unit_id: &str, algorithm: FlagAlgorithm) -> u32 {
    match algorithm {
        FlagAlgorithm::Unleash => murmur3_32(&format!("{flag_key}:{unit_id}"), 0) % 100 + 1,
        FlagAlgorithm::Flagd => scale(murmur3_32(&format!("{flag_key}{unit_id}"), 0), 100) as u32,
    }
}

/// A flag checked once, ready to evaluate many units.
pub(crate) struct Rollout<'a> {
    flag: &'a Flag,
    percentage: u32,
    /// flagd's distribution: `(name, weight)`; for a percentage, on/off.
    distribution: Vec<(&'a str, u64)>,
    total: u64,
}

impl<'a> Rollout<'a> {
    /// Checks the flag: a whole percentage 0–100, unique variant names,
    /// flagd with either a percentage or variants (and no group id) and a
    /// total weight that fits in 31 bits, as flagd requires.
    pub(crate) fn new(flag: &'a Flag) -> Result<Self> {
        let percentage = match flag.percentage {
            None => 100,
            Some(p) if p.is_finite() && (0.0..=100.0).contains(&p) && p.fract() == 0.0 => p as u32,
            Some(p) => {
                return Err(Error::new(
                    "/percentage",
                    DeliveryError::InvalidPercentage {
                        value: p,
                        message: "a rollout percentage is a whole number from 0 to 100".into(),
                    },
                ))
            }
        };
        for (i, v) in flag.variants.iter().enumerate() {
            if let Some(first) = flag.variants.iter().position(|w| w.name == v.name) {
                if first < i {
                    return Err(Error::new(
                        format!("/variants/{i}/name"),
                        DeliveryError::DuplicateRecord {
                            id: v.name.clone(),
                            first_path: format!("/variants/{first}/name"),
                        },
                    ));
                }
            }
        }
        let mut distribution: Vec<(&str, u64)> = flag
            .variants
            .iter()
            .map(|v| (v.name.as_str(), u64::from(v.weight)))
            .collect();
        if flag.algorithm == FlagAlgorithm::Flagd {
            if flag.group_id.is_some() {
                return Err(Error::invalid_input(
                    "/group_id",
                    "flagd flags have no group id",
                ));
            }
            if flag.percentage.is_some() && !flag.variants.is_empty() {
                return Err(Error::invalid_input(
                    "/percentage",
                    "a flagd flag takes either a percentage or variants, not both",
                ));
            }
            if flag.variants.is_empty() {
                distribution = vec![
                    ("on", u64::from(percentage)),
                    ("off", u64::from(100 - percentage)),
                ];
            }
        }
        let total: u64 = distribution.iter().map(|(_, w)| w).sum();
        if flag.algorithm == FlagAlgorithm::Flagd && total > i32::MAX as u64 {
            return Err(Error::invalid_input(
                "/variants",
                format!(
                    "the weights add up to {total}, more than flagd's maximum {}",
                    i32::MAX
                ),
            ));
        }
        Ok(Rollout {
            flag,
            percentage,
            distribution,
            total,
        })
    }

    /// The flag's distribution and its total weight.
    pub(crate) fn distribution(&self) -> (&[(&'a str, u64)], u64) {
        (&self.distribution, self.total)
    }

    /// Whose bucketing.
    pub(crate) fn algorithm(&self) -> FlagAlgorithm {
        self.flag.algorithm
    }

    /// A flagd flag with variants: every unit is served a variant.
    pub(crate) fn is_fractional(&self) -> bool {
        self.flag.algorithm == FlagAlgorithm::Flagd && !self.flag.variants.is_empty()
    }

    /// The rollout percentage (100 when none was given).
    pub(crate) fn percentage(&self) -> u32 {
        self.percentage
    }

    /// Evaluates one unit: `(enabled, index of the variant served, bucket)`.
    pub(crate) fn evaluate(&self, unit_id: &str) -> (bool, Option<usize>, u32) {
        match self.flag.algorithm {
            FlagAlgorithm::Unleash => {
                let group = self.flag.group_id.as_deref().unwrap_or(&self.flag.key);
                let key = format!("{group}:{unit_id}");
                let bucket = murmur3_32(&key, 0) % 100 + 1;
                let enabled = self.percentage > 0 && bucket <= self.percentage;
                let variant = if enabled && self.total > 0 {
                    let target = u64::from(murmur3_32(&key, UNLEASH_VARIANT_SEED)) % self.total + 1;
                    pick(&self.distribution, |running| running >= target)
                } else {
                    None
                };
                (enabled, variant, bucket)
            }
            FlagAlgorithm::Flagd => {
                let hash = murmur3_32(&format!("{}{unit_id}", self.flag.key), 0);
                let bucket = scale(hash, self.total);
                let variant = pick(&self.distribution, |running| bucket < running);
                // Variants: any variant served; a percentage: `on` (the first).
                let enabled = variant.is_some_and(|v| self.is_fractional() || v == 0);
                (enabled, variant, u32::try_from(bucket).unwrap_or(u32::MAX))
            }
        }
    }
}

/// The first variant whose running weight satisfies `reached`.
fn pick(distribution: &[(&str, u64)], reached: impl Fn(u64) -> bool) -> Option<usize> {
    let mut running = 0u64;
    distribution.iter().position(|(_, w)| {
        running += w;
        *w > 0 && reached(running)
    })
}

/// Whether `unit_id` gets `flag`, and which variant — exactly as Unleash's
/// gradual rollout or flagd's fractional evaluation decides.
///
/// Errors: `invalid_percentage` (not a whole number 0–100),
/// `duplicate_record` (two variants of one name), `invalid_input` (a flagd
/// flag with both a percentage and variants, or a group id).
///
/// ```
/// let flag: rollgate::delivery::Flag = rollgate::wire::from_json(r#"{"key": "AB12A", "percentage": 25}"#)?;
/// let decision = rollgate::flag_enabled(&flag, "122")?;
/// assert_eq!(decision.bucket, 23);
/// assert!(decision.enabled);
/// assert_eq!(decision.reasons[0].code, "flag_rollout_in");
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn flag_enabled(flag: &Flag, unit_id: &str) -> Result<FlagDecision> {
    let rollout = Rollout::new(flag)?;
    let (enabled, variant, bucket) = rollout.evaluate(unit_id);
    let mut reasons = vec![rollout_reason(&rollout, enabled, bucket)];
    let variant_name = variant
        .and_then(|i| rollout.distribution.get(i))
        .map(|(name, _)| name.to_string());
    if let (Some(name), false) = (&variant_name, flag.variants.is_empty()) {
        let (low, high) = variant.map_or((0, 0), |i| range_of(&rollout.distribution, i));
        reasons.push(
            Reason::new(
                "flag_variant",
                format!(
                    "variant `{name}` holds weights {low}–{high} of {}",
                    rollout.total
                ),
            )
            .with_subjects([name.clone()])
            .with_evidence("total_weight", rollout.total),
        );
    }
    Ok(FlagDecision {
        flag: flag.key.clone(),
        unit_id: unit_id.to_string(),
        enabled,
        variant: variant_name,
        bucket,
        reasons,
    })
}

/// The weights `[low, high)` that variant `i` holds, 0-based.
fn range_of(distribution: &[(&str, u64)], i: usize) -> (u64, u64) {
    let low: u64 = distribution.iter().take(i).map(|(_, w)| w).sum();
    (low, low + distribution.get(i).map_or(0, |(_, w)| *w))
}

fn rollout_reason(rollout: &Rollout<'_>, enabled: bool, bucket: u32) -> Reason {
    let flag = rollout.flag;
    let code = if enabled {
        "flag_rollout_in"
    } else {
        "flag_rollout_out"
    };
    let message = match flag.algorithm {
        FlagAlgorithm::Unleash => format!(
            "Unleash bucket {bucket} of 1–100 is {} the rollout of {} %",
            if enabled { "within" } else { "outside" },
            rollout.percentage
        ),
        FlagAlgorithm::Flagd => format!(
            "flagd bucket {bucket} of 0–{} {}",
            rollout.total.saturating_sub(1),
            if enabled {
                "is served the flag"
            } else {
                "is not served the flag"
            }
        ),
    };
    Reason::new(code, message)
        .with_subjects([flag.key.clone()])
        .with_evidence("bucket", bucket)
        .with_evidence("percentage", rollout.percentage)
}

#[cfg(test)]
mod tests;
