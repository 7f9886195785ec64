//! Writing results: rollgate's canonical JSON (the form change-log hashes
//! are computed over: keys sorted, no whitespace), or the same keys, order
//! and numbers indented (`--pretty`).

use rollgate::changelog::canonical_json;
use serde_json::Value;

/// The canonical JSON of `value`, or with `pretty` the same indented by two
/// spaces; numbers and strings are written exactly as in the canonical form.
pub fn json(value: &Value, pretty: bool) -> String {
    if !pretty {
        return canonical_json(value);
    }
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out
}

fn write_pretty(value: &Value, depth: usize, out: &mut String) {
    let indent = |out: &mut String, depth: usize| out.push_str(&"  ".repeat(depth));
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, depth + 1);
                write_pretty(item, depth + 1, out);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            // Sorted by UTF-8 bytes, as the canonical form sorts them.
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push_str("{\n");
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, depth + 1);
                out.push_str(&canonical_json(&Value::String(key.clone())));
                out.push_str(": ");
                write_pretty(item, depth + 1, out);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
        scalar => out.push_str(&canonical_json(scalar)),
    }
}

#[cfg(test)]
mod tests {
    use super::json;

    #[test]
    fn pretty_has_the_canonical_order_and_numbers() {
        let v = serde_json::json!({"b": [1.0, 1e-7], "a": {}, "c": []});
        assert_eq!(json(&v, false), r#"{"a":{},"b":[1,0.0000001],"c":[]}"#);
        assert_eq!(
            json(&v, true),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    0.0000001\n  ],\n  \"c\": []\n}"
        );
    }
}
