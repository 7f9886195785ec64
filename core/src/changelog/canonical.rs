//! The canonical JSON text that change-log hashes are computed over.
//!
//! # Why not RFC 8785 (JCS) from a crate
//!
//! rollgate's canonical form predates this module's use of any crate and
//! agrees with RFC 8785 on the values decision records hold in practice —
//! keys sorted, no whitespace, JSON.stringify's string escapes, integers and
//! ordinary decimals written alike (checked against `serde_json_canonicalizer`
//! by the `risk_canonical` property test). It differs in exactly these cases:
//!
//! | value | rollgate | RFC 8785 |
//! |---|---|---|
//! | integer above 2^53 (e.g. `9007199254740993`) | every digit | rounded to a double: `9007199254740992` |
//! | magnitude ≥ 1e21 (e.g. `1e300`) | all digits, no exponent | `1e+300` |
//! | non-zero magnitude < 1e-6 (e.g. `1e-7`) | `0.0000001` | `1e-7` |
//! | negative zero | `-0` | `0` |
//! | keys with characters beyond U+FFFF | sorted by UTF-8 bytes | sorted by UTF-16 code units |
//!
//! Switching would change the hash of every stored record holding such a
//! value, so logs written by earlier versions would no longer verify; and
//! RFC 8785's rounding would give two different decisions (say, two 64-bit
//! ids `9007199254740993` and `9007199254740992`) the same hash, which an
//! audit log must not do. The writer below is the whole of the difference:
//! about 60 lines, streaming into a reused buffer (no intermediate `Value`),
//! which `benches/benches/risk.rs` measures against the crate.

use std::io::Write;

use serde_json::Value;

/// The canonical JSON of a value: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, strings escaped as serde_json does, integers and
/// integral floats below 2^53 written as integers (so `1` and `1.0` hash the
/// same, whichever language produced them), other numbers in Rust's shortest
/// round-trip form without exponent. See the module docs for how this
/// relates to RFC 8785.
///
/// ```
/// let v = serde_json::json!({"b": [1.0, 2.5], "a": "x"});
/// assert_eq!(rollgate::changelog::canonical_json(&v), r#"{"a":"x","b":[1,2.5]}"#);
/// ```
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    // Only UTF-8 is ever written (serde_json's string escapes and ASCII).
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the canonical JSON of `value` to `out`.
pub(crate) fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            // serde_json's map is sorted already unless a crate in the build
            // turns on `preserve_order`; sorting keeps the text canonical then.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string exactly as serde_json writes it.
pub(crate) fn write_string(s: &str, out: &mut Vec<u8>) {
    // Writing a `str` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn write_number(n: &serde_json::Number, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail.
    let _ = if let Some(i) = n.as_i64() {
        write!(out, "{i}")
    } else if let Some(u) = n.as_u64() {
        write!(out, "{u}")
    } else {
        let f = n.as_f64().unwrap_or(0.0);
        if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
            write!(out, "{f:.0}")
        } else {
            write!(out, "{f}")
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sha2::{Digest, Sha256};

    #[test]
    fn sha256_of_empty_object_matches_known_digest() {
        // echo -n '{}' | sha256sum
        let digest = Sha256::digest(canonical_json(&json!({})).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn canonical_numbers_and_escapes() {
        let v = json!({"z": 1e300, "a": "q\"\u{1}", "m": [0.1, -0.0, 3.0, 2.5e-7], "t": true, "f": false, "n": null});
        assert_eq!(
            canonical_json(&v),
            format!(
                "{{\"a\":\"q\\\"\\u0001\",\"f\":false,\"m\":[0.1,-0,3,0.00000025],\"n\":null,\"t\":true,\"z\":{}}}",
                format_args!("{}", 1e300)
            )
        );
    }

    #[test]
    fn integers_keep_every_digit_and_large_floats_have_no_exponent() {
        let v = json!([
            9_007_199_254_740_993_u64,
            -9_007_199_254_740_993_i64,
            u64::MAX,
            2f64.powi(60)
        ]);
        assert_eq!(
            canonical_json(&v),
            "[9007199254740993,-9007199254740993,18446744073709551615,1152921504606847000]"
        );
    }

    #[test]
    fn nested_keys_sort_by_bytes() {
        let v = json!({"b": {"y": 1, "x": [2, {"d": 0, "c": 0}]}, "a": [], "B": {}});
        assert_eq!(
            canonical_json(&v),
            r#"{"B":{},"a":[],"b":{"x":[2,{"c":0,"d":0}],"y":1}}"#
        );
    }
}
