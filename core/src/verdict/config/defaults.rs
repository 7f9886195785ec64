//! The settings a metric leaves unset, derived from the rest of its
//! configuration: the fewest samples before it is tested, and its
//! significance level as the decimal the configuration states.

use super::{MetricConfig, MetricKind};

impl MetricConfig {
    /// The fewest samples per side before `judge_canary` tests the metric
    /// (see [`MetricConfig::min_samples`]).
    pub(crate) fn judge_min_samples(&self) -> usize {
        let default = match self.kind {
            MetricKind::Continuous => 30,
            MetricKind::Count => 1,
            MetricKind::Quantile => {
                let q = self.quantile.unwrap_or(0.99);
                (10.0 / (1.0 - q)).ceil().min(1e9) as usize
            }
        };
        self.min_samples.unwrap_or(default).max(1)
    }

    /// The significance level: `1 − confidence` (default 0.05), taken as the
    /// decimal the configuration states ([`alpha_of_confidence`]).
    pub(crate) fn alpha(&self) -> f64 {
        alpha_of_confidence(self.confidence.unwrap_or(0.95))
    }
}

/// `1 − confidence` as the decimal it is meant to be: 0.05 for a confidence
/// of 0.95, not the 0.050000000000000044 of floating-point subtraction
/// (0.95 is not exactly representable). The confidence's shortest decimal
/// form (what the configuration said) is complemented digit by digit and
/// read back, so that a p-value of exactly 0.05 is significant at 0.95 as
/// exactly as 0.10 is at 0.90. `confidence` must be in (0, 1).
pub(crate) fn alpha_of_confidence(confidence: f64) -> f64 {
    // Rust's shortest round-trip form of a value in (0, 1) is "0.d₁…d_k"
    // with d_k ≠ 0, and 1 − 0.d₁…d_k = 0.(9 − d₁)…(9 − d_{k−1})(10 − d_k):
    // no borrow reaches past a digit.
    let text = format!("{confidence}");
    let digits = match text.strip_prefix("0.") {
        Some(d) if !d.is_empty() && !d.ends_with('0') && d.bytes().all(|b| b.is_ascii_digit()) => d,
        _ => return 1.0 - confidence,
    };
    let last = digits.len() - 1;
    let complement: String = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = b - b'0';
            char::from(b'0' + if i == last { 10 - d } else { 9 - d })
        })
        .collect();
    format!("0.{complement}")
        .parse()
        .unwrap_or(1.0 - confidence)
}
