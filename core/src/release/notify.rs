//! Notifications: `{placeholder}` templates filled from an action or any
//! other object; a placeholder without a value is an error, never an empty
//! string.

use serde_json::Value;

use crate::error::{Error, ReleaseError, Result};

/// The predefined incident template (`"incident"`), filled from an
/// `escalate` action.
pub const INCIDENT_TEMPLATE: &str = "[{severity}] release {release}: rule {rule} fired\n\
Regions: {regions}\n\
Services: {services}\n\
Why: {evidence}\n\
Rollback: {rollback_steps}\n\
Notified: {notify}";

/// The predefined downtime template (`"downtime"`), filled from a context
/// with `release`, `regions`, `start`, `end` and `reasons`.
pub const DOWNTIME_TEMPLATE: &str = "Planned maintenance: release {release} in {regions} \
from {start} to {end}. {reasons}";

/// Fills `template` — `"incident"`, `"downtime"` or the text of a template —
/// from `context`: `{name}` is the value of `name` in the context (a dotted
/// name reaches into objects: `{plan.recommendation}`), `{{` and `}}` are
/// literal braces. Strings are used as they are, numbers and booleans as
/// JSON, a list as its items joined by `, ` (`none` when empty), a reason
/// (an object with a `message`) as its message, reasons joined by `; `.
///
/// Errors: `unknown_placeholder` (path `template`) naming a placeholder the
/// context has no value for (absent or `null`); `invalid_input` (path
/// `template`) for an unclosed `{`.
///
/// ```
/// let context = serde_json::json!({"release": "shop", "severity": "sev1", "regions": ["eu", "us"]});
/// let text = rollgate::render_notification("{severity}: {release} in {regions}", &context)?;
/// assert_eq!(text, "sev1: shop in eu, us");
/// let err = rollgate::render_notification("{owner}", &context).unwrap_err();
/// assert_eq!((err.code(), err.details()["placeholder"].as_str()), ("unknown_placeholder", Some("owner")));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn render_notification(template: &str, context: &Value) -> Result<String> {
    let text = match template {
        "incident" => INCIDENT_TEMPLATE,
        "downtime" => DOWNTIME_TEMPLATE,
        other => other,
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let Some(end) = after.find('}') else {
                return Err(Error::invalid_input(
                    "template",
                    "a `{` is not closed (write `{{` for a literal brace)",
                ));
            };
            let name = after.get(..end).unwrap_or("").trim();
            out.push_str(&lookup(context, name)?);
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            out.push('}');
            rest = tail.get(1..).unwrap_or("");
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The text of placeholder `name` in `context`.
fn lookup(context: &Value, name: &str) -> Result<String> {
    let missing = || {
        Error::new(
            "template",
            ReleaseError::UnknownPlaceholder {
                placeholder: name.to_string(),
            },
        )
    };
    let mut value = context;
    for part in name.split('.') {
        value = value.get(part).ok_or_else(missing)?;
    }
    if value.is_null() || name.is_empty() {
        return Err(missing());
    }
    Ok(text_of(value))
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "none".to_string(),
        Value::Array(items) => {
            let reasons = items.iter().all(|v| v.get("message").is_some());
            let sep = if reasons { "; " } else { ", " };
            items.iter().map(text_of).collect::<Vec<_>>().join(sep)
        }
        Value::Object(map) => match map.get("message") {
            Some(Value::String(m)) => m.clone(),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}
