//! JSON Schemas of the wire value types whose readers are hand-written
//! (`schema` feature): each says exactly what its reader accepts, and the
//! tests in `core/tests/schemas.rs` hold the schema to the reader on the
//! same strings.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::time::Timestamp;
use super::{DurationSecs, MAX_DURATION_SECS};

/// The grammar of a duration string (surrounding white space allowed): a
/// bare number of seconds (`"90"`), or one or more `<number><unit>` parts
/// with units `d`, `h`, `m`, `s` (`"1h30m"`, `"1.5h"`).
pub const DURATION_PATTERN: &str =
    r"^\s*(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[dhms])+)\s*$";

/// The grammar of a strict RFC 3339 timestamp with offset, with the ranges
/// of each field (the day is checked against its month by the reader alone).
pub const TIMESTAMP_PATTERN: &str = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$";

impl JsonSchema for DurationSecs {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "rollgate::wire::DurationSecs".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let seconds = json_schema!({
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_DURATION_SECS,
        });
        if generator.contract().is_serialize() {
            return json_schema!({
                "description": "A duration in whole seconds.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_DURATION_SECS,
            });
        }
        json_schema!({
                "description": format!(
                    "A duration: a whole number of seconds (`90`, `90.0`), or a string of one or \
                     more `<number><unit>` parts with units `d`, `h`, `m`, `s` (`\"90s\"`, \
                     `\"1h30m\"`, `\"1.5h\"`, `\"2d\"`); a bare numeric string (`\"90\"`) is \
                     seconds. The total must be a whole number of seconds (`\"1.5s\"` is \
                     rejected) and at most {MAX_DURATION_SECS} (100 years)."
                ),
                "anyOf": [
                    seconds,
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
        })
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "rollgate::wire::time::Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An instant as strict RFC 3339 with offset \
                (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, e.g. `2026-11-26T09:00:00-05:00`): \
                no space separator, no missing offset, no `+0100`.",
            "type": "string",
            "format": "date-time",
            "pattern": TIMESTAMP_PATTERN,
        })
    }
}
