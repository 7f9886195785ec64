//! Durations on the wire: a number of seconds, or a human string such as
//! `"90s"` or `"1h30m"`; always whole seconds on output.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::error::InputError;

/// A non-negative whole number of seconds.
///
/// On input it accepts a number of seconds (`90`, `90.0`) or a human string of
/// one or more `<number><unit>` parts with units `d`, `h`, `m`, `s` (`"90s"`,
/// `"1h30m"`, `"2d"`, `"1.5h"`); a bare numeric string (`"90"`) means seconds.
/// The total must be a whole number of seconds. On output it is the number of
/// seconds.
///
/// ```
/// use rollgate::DurationSecs;
/// assert_eq!("1h30m".parse::<DurationSecs>().unwrap().as_secs(), 5400);
/// assert_eq!("1.5m".parse::<DurationSecs>().unwrap().as_secs(), 90);
/// assert!("ten minutes".parse::<DurationSecs>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DurationSecs(pub u64);

/// The longest accepted duration: 100 years, far beyond any release plan and
/// far below overflow when durations are added up.
pub const MAX_DURATION_SECS: u64 = 100 * 366 * 86_400;

impl DurationSecs {
    /// The duration in seconds.
    ///
    /// ```
    /// assert_eq!(rollgate::DurationSecs(42).as_secs(), 42);
    /// ```
    pub fn as_secs(self) -> u64 {
        self.0
    }

    fn from_f64(seconds: f64) -> std::result::Result<Self, String> {
        if !seconds.is_finite() || seconds < 0.0 {
            return Err("must be a finite, non-negative number of seconds".into());
        }
        if seconds.fract() != 0.0 {
            return Err("must be a whole number of seconds".into());
        }
        if seconds > MAX_DURATION_SECS as f64 {
            return Err(format!("must be at most {MAX_DURATION_SECS} seconds"));
        }
        // In range and integral: the conversion is exact.
        Ok(DurationSecs(seconds as u64))
    }
}

impl std::str::FromStr for DurationSecs {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let s = text.trim();
        if s.is_empty() {
            return Err("is empty".into());
        }
        if let Ok(seconds) = s.parse::<f64>() {
            if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return Self::from_f64(seconds);
            }
        }
        let mut total = 0.0_f64;
        let mut number = String::new();
        let mut parts = 0;
        for c in s.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let unit = match c {
                'd' => 86_400.0,
                'h' => 3_600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => {
                    return Err(format!(
                        "unexpected character `{c}` (use units d, h, m, s, e.g. \"1h30m\")"
                    ))
                }
            };
            let value: f64 = number
                .parse()
                .map_err(|_| format!("expected a number before unit `{c}`"))?;
            total += value * unit;
            number.clear();
            parts += 1;
        }
        if !number.is_empty() {
            return Err(format!("number `{number}` has no unit (use d, h, m, s)"));
        }
        if parts == 0 {
            return Err("has no parts".into());
        }
        // Round away representation noise such as 0.1h = 359.99999 s.
        let rounded = (total * 1e6).round() / 1e6;
        Self::from_f64(rounded)
    }
}

impl fmt::Display for DurationSecs {
    /// Formats as a human string such as `1h30m` (`0s` for zero).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for DurationSecs {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for DurationSecs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct DurationVisitor;

        fn fail<E: de::Error>(value: String, reason: String) -> E {
            super::fail_with(InputError::InvalidDuration { value, reason })
        }

        impl Visitor<'_> for DurationVisitor {
            type Value = DurationSecs;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration: seconds as a number, or a string like \"90s\" or \"1h30m\"",
                )
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v as f64).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v as f64).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<DurationSecs, E> {
                DurationSecs::from_f64(v).map_err(|r| fail(v.to_string(), r))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<DurationSecs, E> {
                v.parse().map_err(|r| fail(format!("\"{v}\""), r))
            }

            fn visit_unit<E: de::Error>(self) -> std::result::Result<DurationSecs, E> {
                Err(fail(
                    "null".into(),
                    "expected seconds or a string like \"90s\"".into(),
                ))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<DurationSecs, E> {
                Err(fail(
                    v.to_string(),
                    "expected seconds or a string like \"90s\"".into(),
                ))
            }
        }

        deserializer.deserialize_any(DurationVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::from_json;

    #[test]
    fn parses_human_durations() {
        for (text, secs) in [
            ("0s", 0),
            ("90s", 90),
            ("1h30m", 5400),
            ("2d", 172_800),
            ("1.5h", 5400),
            ("90", 90),
            (" 5m ", 300),
            ("1d2h3m4s", 93_784),
        ] {
            assert_eq!(
                text.parse::<DurationSecs>(),
                Ok(DurationSecs(secs)),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_bad_durations() {
        for text in ["", "abc", "5", "5x", "m", "1.5s", "-5s", "1e3s", "10"] {
            let parsed = text.parse::<DurationSecs>();
            if text == "10" {
                assert!(parsed.is_ok());
            } else if text == "5" {
                assert_eq!(parsed, Ok(DurationSecs(5)));
            } else {
                assert!(parsed.is_err(), "{text} parsed as {parsed:?}");
            }
        }
    }

    #[test]
    fn displays_round_trip() {
        for secs in [0, 1, 59, 60, 3599, 3600, 5400, 86_400, 93_784] {
            let text = DurationSecs(secs).to_string();
            assert_eq!(text.parse::<DurationSecs>(), Ok(DurationSecs(secs)));
        }
    }

    #[test]
    fn duration_errors_carry_value_and_path() {
        let err = from_json::<Vec<DurationSecs>>(r#"["5s", "5 parsecs"]"#).unwrap_err();
        assert_eq!(err.code(), "invalid_duration");
        assert_eq!(err.path(), "/1");
        let err = from_json::<Vec<DurationSecs>>("[-3]").unwrap_err();
        assert_eq!(err.code(), "invalid_duration");
    }
}
