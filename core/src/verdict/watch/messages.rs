//! The sentences of a canary watch's reasons: bounds of a ratio said as a
//! release manager would say them ("at least 12% higher than baseline").

/// A number to three significant digits, without trailing zeros.
pub(crate) fn sig(x: f64) -> String {
    let text = if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    trim(text)
}

fn trim(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A confidence level `1 − alpha` in percent: `98.75%`.
pub(crate) fn confidence(alpha: f64) -> String {
    format!("{}%", trim(format!("{:.4}", 100.0 - 100.0 * alpha)))
}

/// A bound of the canary/baseline ratio: what the canary is at least
/// (`upper == false`) or at most (`upper == true`).
pub(crate) fn bound(ratio: f64, upper: bool) -> String {
    let (most, least) = if upper {
        ("at most", "at least")
    } else {
        ("at least", "at most")
    };
    if ratio.is_infinite() {
        "unbounded above".to_string()
    } else if ratio >= 2.0 {
        format!("{most} {} times baseline", sig(ratio))
    } else if ratio > 1.0 {
        format!(
            "{most} {}% higher than baseline",
            sig(100.0 * (ratio - 1.0))
        )
    } else if ratio == 1.0 {
        format!("{most} equal to baseline")
    } else {
        format!(
            "{least} {}% lower than baseline",
            sig(100.0 * (1.0 - ratio))
        )
    }
}

/// A ratio as a number, `unbounded` when infinite.
pub(crate) fn ratio(r: f64) -> String {
    if r.is_finite() {
        sig(r)
    } else {
        "unbounded".to_string()
    }
}

/// An allowed ratio: `baseline`, `5% above baseline`, `3 times baseline`.
pub(crate) fn limit(ratio: f64) -> String {
    if ratio >= 2.0 {
        format!("{} times baseline", sig(ratio))
    } else if ratio > 1.0 {
        format!("{}% above baseline", sig(100.0 * (ratio - 1.0)))
    } else if ratio == 1.0 {
        "baseline".to_string()
    } else {
        format!("{}% below baseline", sig(100.0 * (1.0 - ratio)))
    }
}

/// The allowed effect of a metric: `up to 5% above baseline`, `down to
/// baseline`, or both.
pub(crate) fn allowed(up: Option<f64>, down: Option<f64>) -> String {
    match (up, down) {
        (Some(u), Some(d)) => format!("down to {} and up to {}", limit(d), limit(u)),
        (Some(u), None) => format!("up to {}", limit(u)),
        (None, Some(d)) => format!("down to {}", limit(d)),
        (None, None) => "any change".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(
            (sig(12.345), sig(5.0), sig(0.4567), sig(123.4), sig(10.0)),
            (
                "12.3".into(),
                "5".into(),
                "0.46".into(),
                "123".into(),
                "10".into()
            )
        );
        assert_eq!(confidence(0.0125), "98.75%");
        assert_eq!(confidence(0.05), "95%");
        assert_eq!(confidence(0.01 / 3.0), "99.6667%");
    }

    #[test]
    fn bounds_say_which_side_they_bound() {
        assert_eq!(bound(1.12, false), "at least 12% higher than baseline");
        assert_eq!(bound(1.031, true), "at most 3.1% higher than baseline");
        assert_eq!(bound(0.9, true), "at least 10% lower than baseline");
        assert_eq!(bound(0.9, false), "at most 10% lower than baseline");
        assert_eq!(bound(2.5, false), "at least 2.5 times baseline");
        assert_eq!(bound(1.0, true), "at most equal to baseline");
        assert_eq!(bound(f64::INFINITY, true), "unbounded above");
        assert_eq!(allowed(Some(1.05), None), "up to 5% above baseline");
        assert_eq!(
            allowed(Some(1.0), Some(0.8)),
            "down to 20% below baseline and up to baseline"
        );
        assert_eq!(allowed(None, Some(1.0)), "down to baseline");
        assert_eq!(limit(3.0), "3 times baseline");
        assert_eq!(
            (ratio(0.2143), ratio(f64::INFINITY), ratio(0.0)),
            ("0.21".to_string(), "unbounded".to_string(), "0".to_string())
        );
    }
}
