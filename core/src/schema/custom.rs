//! Documents whose schema or reader is written by hand: the error details
//! (every error kind in one shape), the practices (keys from the maturity
//! model), and the plan and practices as the functions that take them read
//! them, stricter than their types.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::verdict::CanaryConfig;
use crate::Plan;

/// The shape of an error's details ([`Error::details`](crate::Error::details),
/// the Python exception's `.details`, the Node error's properties): the
/// stable `code`, the JSON-pointer `path` and the fields of that code.
#[derive(Debug, Clone, Copy)]
pub struct ErrorDetails;

impl JsonSchema for ErrorDetails {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorDetails".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        use crate::error::{
            CalendarError, CanaryError, ChangeError, DeliveryError, EnvironmentError, InputError,
            InternalError, PlanError, ReleaseError,
        };
        let kinds = [
            generator.subschema_for::<InputError>(),
            generator.subschema_for::<PlanError>(),
            generator.subschema_for::<CalendarError>(),
            generator.subschema_for::<CanaryError>(),
            generator.subschema_for::<ChangeError>(),
            generator.subschema_for::<ReleaseError>(),
            generator.subschema_for::<EnvironmentError>(),
            generator.subschema_for::<DeliveryError>(),
            generator.subschema_for::<InternalError>(),
        ];
        schemars::json_schema!({
            "description": "An error's details: the stable `code`, the JSON pointer `path` of \
                the offending value and the fields of that code.",
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable code."},
                "path": {"type": "string", "description": "JSON pointer to the offending value."},
            },
            "required": ["code", "path"],
            "anyOf": kinds,
        })
    }
}

/// The practices [`assess_maturity`](crate::assess_maturity) takes:
/// `{practice id: adopted}`, every id one of the maturity model's.
#[derive(Debug, Clone, Copy)]
pub struct Practices;

impl JsonSchema for Practices {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Practices".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let properties: serde_json::Map<String, serde_json::Value> =
            crate::delivery::practice_ids()
                .map(|(id, level, description)| {
                    let description = format!("Level {level}: {description}.");
                    let schema = serde_json::json!({"type": "boolean", "description": description});
                    (id.to_string(), schema)
                })
                .collect();
        schemars::json_schema!({
            "description": "The practices adopted: practice id → whether it is adopted \
                (a practice left out is not adopted).",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}

/// A plan as the release functions read it: the sections `rollout.analysis`
/// and `rollout.escalation` (JSON values to the plan's own reader, which the
/// other functions ignore) read as the canary configuration and escalation
/// policy [`start_release`](crate::start_release) reads them as.
pub(super) fn read_plan(value: serde_json::Value) -> crate::Result<()> {
    let plan: Plan = crate::wire::from_value(value)?;
    if let Some(rollout) = plan.rollout {
        if let Some(analysis) = rollout.analysis {
            crate::wire::from_value::<CanaryConfig>(analysis)?;
        }
        if let Some(escalation) = rollout.escalation {
            crate::wire::from_value::<crate::release::EscalationPolicy>(escalation)?;
        }
    }
    Ok(())
}

/// The practices as [`assess_maturity`](crate::assess_maturity) reads them:
/// a map of booleans whose keys it knows.
pub(super) fn read_practices(value: serde_json::Value) -> crate::Result<()> {
    let practices: BTreeMap<String, bool> = crate::wire::from_value(value)?;
    crate::assess_maturity(None, &practices).map(drop)
}
