//! Environment specs: what runs in an environment and on what, in the
//! canonical JSON shape, and the checks every environment function makes
//! before deciding anything (unique ids, expiry after creation, finite
//! non-negative costs and volumes, known environments in paths and rules).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Deserialize as DeserializeDerive, Serialize, Serializer};

use crate::error::{pointer_token, CalendarError, EnvironmentError, Error, PlanError, Result};
use crate::wire::time::Timestamp;

/// One environment: its tier, owner, lifetime, the services it runs and the
/// infrastructure they run on.
///
/// ```
/// let env: rollgate::EnvironmentSpec = rollgate::wire::from_json(r#"{
///     "id": "staging", "tier": "staging", "owner": "platform",
///     "created_at": "2026-01-05T09:00:00Z",
///     "services": {"payments": {"version": "1.4.2", "artifact_digest": "sha256:aa",
///                               "config": {"pool.size": 20}, "replicas": 2}},
///     "infrastructure": {"postgres.engine_version": "16.4"},
///     "data_volume": {"orders_rows": 1200000},
///     "monthly_cost": 1800
/// }"#).unwrap();
/// assert_eq!(env.services["payments"].replicas, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeDerive)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSpec {
    /// Unique, non-empty id (`dev`, `staging`, `prod`, `pr-1234`).
    pub id: String,
    /// What the environment is for.
    pub tier: EnvironmentTier,
    /// The owning team or person (none: no owner on record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When something was last deployed to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_deployed_at: Option<Timestamp>,
    /// When it is due to expire (must not be before `created_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Free-form labels (`protected`, `team`, ...).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The services deployed, by id.
    #[serde(default)]
    pub services: BTreeMap<String, ServiceDeployment>,
    /// Flat facts about the infrastructure: instance types, engine versions,
    /// network topology (`"postgres.engine_version": "16.4"`).
    #[serde(default)]
    pub infrastructure: BTreeMap<String, Scalar>,
    /// Size of each data store (rows or bytes; the same unit in every
    /// environment), finite and at least 0.
    #[serde(default)]
    pub data_volume: BTreeMap<String, f64>,
    /// What the environment costs per month, finite and at least 0.
    #[serde(default)]
    pub monthly_cost: f64,
}

/// What an environment is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, DeserializeDerive,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentTier {
    /// Developers' shared environment.
    Development,
    /// Automated or manual testing.
    Test,
    /// The last stop before production.
    Staging,
    /// Serves customers; never torn down.
    Production,
    /// Short-lived (a pull request, an experiment).
    Ephemeral,
}

impl EnvironmentTier {
    /// The tier's wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::EnvironmentTier::Ephemeral.as_str(), "ephemeral");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EnvironmentTier::Development => "development",
            EnvironmentTier::Test => "test",
            EnvironmentTier::Staging => "staging",
            EnvironmentTier::Production => "production",
            EnvironmentTier::Ephemeral => "ephemeral",
        }
    }
}

/// One service as deployed in an environment.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeDerive)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceDeployment {
    /// The version running (`1.4.2`, `v2.0.0-rc.1`; any text, ordered as a
    /// release version when it reads as one).
    pub version: String,
    /// Digest of the artifact running (`sha256:...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_digest: Option<String>,
    /// Flat configuration, key → value.
    #[serde(default)]
    pub config: BTreeMap<String, Scalar>,
    /// How many replicas run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
}

/// A flat configuration or infrastructure value: a string, a finite number
/// or a boolean. Numbers compare by value (`2` equals `2.0`).
///
/// ```
/// use rollgate::environments::Scalar;
/// let v: Scalar = rollgate::wire::from_json("2").unwrap();
/// assert_eq!(v, Scalar::Number(2.0));
/// assert!(rollgate::wire::from_json::<Scalar>("[1]").is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `true` or `false`.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// Text.
    Text(String),
}

impl Scalar {
    /// The value as JSON.
    ///
    /// ```
    /// use rollgate::environments::Scalar;
    /// assert_eq!(Scalar::Text("16.4".into()).to_json(), serde_json::json!("16.4"));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Scalar::Bool(b) => serde_json::Value::Bool(*b),
            Scalar::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Scalar::Text(s) => serde_json::Value::String(s.clone()),
        }
    }
}

/// What the reader of [`Scalar`] accepts: a string, a finite number or a
/// boolean (JSON has no non-finite numbers).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Scalar {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A flat configuration or infrastructure value: a string, a finite \
                number or a boolean. Numbers compare by value (`2` equals `2.0`).",
            "type": ["string", "number", "boolean"],
        })
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Scalar::Bool(b) => serializer.serialize_bool(*b),
            Scalar::Number(n) => serializer.serialize_f64(*n),
            Scalar::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a finite number or a boolean")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
                if v.is_finite() {
                    Ok(Scalar::Number(v))
                } else {
                    Err(E::custom(format!("expected a finite number, got {v}")))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// The environments of one call, checked, with their positions by id.
pub(crate) struct Estate<'a> {
    pub(crate) specs: &'a [EnvironmentSpec],
    index: HashMap<&'a str, usize>,
}

impl<'a> Estate<'a> {
    /// Checks the specs: non-empty unique ids (`invalid_input`,
    /// `duplicate_id`), `expires_at` not before `created_at`
    /// (`invalid_timestamp`), finite non-negative `monthly_cost` and data
    /// volumes (`invalid_input`). Paths are `/<position>/<field>`.
    pub(crate) fn new(specs: &'a [EnvironmentSpec]) -> Result<Self> {
        let mut index = HashMap::with_capacity(specs.len());
        for (i, env) in specs.iter().enumerate() {
            if env.id.is_empty() {
                return Err(Error::invalid_input(
                    format!("/{i}/id"),
                    "id must not be empty",
                ));
            }
            if let Some(&first) = index.get(env.id.as_str()) {
                return Err(Error::new(
                    format!("/{i}/id"),
                    PlanError::DuplicateId {
                        id: env.id.clone(),
                        first_path: format!("/{first}/id"),
                    },
                ));
            }
            index.insert(env.id.as_str(), i);
            check_spec(i, env)?;
        }
        Ok(Estate { specs, index })
    }

    /// Position of an environment by id.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Positions of a promotion path's environments, in path order:
    /// `unknown_environment` or `duplicate_id` at `promotion_path/<i>`.
    pub(crate) fn path(&self, promotion_path: &[String]) -> Result<Vec<usize>> {
        resolve_path(promotion_path, |id| self.position(id))
    }

    /// The environment at a position.
    pub(crate) fn get(&self, position: usize) -> Option<&'a EnvironmentSpec> {
        self.specs.get(position)
    }
}

/// Resolves every id of a promotion path with `lookup`, rejecting unknown and
/// repeated ids (`promotion_path/<i>`).
pub(crate) fn resolve_path(
    promotion_path: &[String],
    lookup: impl Fn(&str) -> Option<usize>,
) -> Result<Vec<usize>> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(promotion_path.len());
    let mut out = Vec::with_capacity(promotion_path.len());
    for (i, id) in promotion_path.iter().enumerate() {
        if let Some(first) = seen.insert(id.as_str(), i) {
            return Err(Error::new(
                format!("promotion_path/{i}"),
                PlanError::DuplicateId {
                    id: id.clone(),
                    first_path: format!("promotion_path/{first}"),
                },
            ));
        }
        out.push(lookup(id).ok_or_else(|| unknown_environment(format!("promotion_path/{i}"), id))?);
    }
    Ok(out)
}

/// An `unknown_environment` error.
pub(crate) fn unknown_environment(path: String, id: &str) -> Error {
    Error::new(
        path,
        EnvironmentError::UnknownEnvironment {
            environment: id.to_string(),
        },
    )
}

fn check_spec(i: usize, env: &EnvironmentSpec) -> Result<()> {
    if let (Some(created), Some(expires)) = (env.created_at, env.expires_at) {
        if expires < created {
            return Err(Error::new(
                format!("/{i}/expires_at"),
                CalendarError::InvalidTimestamp {
                    value: expires.to_string(),
                    message: format!("expires_at is before created_at ({created})"),
                },
            ));
        }
    }
    check_amount(&format!("/{i}/monthly_cost"), env.monthly_cost)?;
    for (store, volume) in &env.data_volume {
        check_amount(
            &format!("/{i}/data_volume/{}", pointer_token(store)),
            *volume,
        )?;
    }
    Ok(())
}

/// A cost or volume must be a finite number of at least 0.
pub(crate) fn check_amount(path: &str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_input(
            path,
            format!("must be a finite number of at least 0, got {value}"),
        ))
    }
}

/// `t + seconds`, saturating at `t` where chrono's range ends.
pub(crate) fn add_seconds(t: Timestamp, seconds: u64) -> Timestamp {
    let delta = chrono::TimeDelta::try_seconds(i64::try_from(seconds).unwrap_or(i64::MAX));
    delta
        .and_then(|d| t.0.checked_add_signed(d))
        .map_or(t, Timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(json: serde_json::Value) -> EnvironmentSpec {
        crate::wire::from_value(json).unwrap()
    }

    #[test]
    fn rejects_duplicates_expiry_before_creation_and_bad_amounts() {
        let a = env(serde_json::json!({"id": "a", "tier": "test"}));
        let err = Estate::new(&[a.clone(), a.clone()]).err().unwrap();
        assert_eq!((err.code(), err.path()), ("duplicate_id", "/1/id"));
        let b = env(serde_json::json!({"id": "b", "tier": "ephemeral",
            "created_at": "2026-02-01T00:00:00Z", "expires_at": "2026-01-01T00:00:00Z"}));
        let err = Estate::new(&[a.clone(), b]).err().unwrap();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_timestamp", "/1/expires_at")
        );
        let mut c = a.clone();
        c.id = "c".into();
        c.data_volume.insert("x/y".into(), -1.0);
        let err = Estate::new(&[a, c]).err().unwrap();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_input", "/1/data_volume/x~1y")
        );
    }

    #[test]
    fn paths_must_name_known_environments_once() {
        let specs = [env(serde_json::json!({"id": "a", "tier": "test"}))];
        let estate = Estate::new(&specs).unwrap();
        let err = estate.path(&["a".into(), "b".into()]).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("unknown_environment", "promotion_path/1")
        );
        let err = estate.path(&["a".into(), "a".into()]).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("duplicate_id", "promotion_path/1")
        );
    }

    #[test]
    fn scalars_reject_nested_values_and_non_finite_numbers() {
        assert!(crate::wire::from_json::<Scalar>("{}").is_err());
        assert!(crate::wire::from_value::<Scalar>(serde_json::json!(true)).is_ok());
        assert_eq!(Scalar::Number(f64::NAN).to_json(), serde_json::Value::Null);
    }
}
