//! Multiple-comparison control across metrics.

use serde::{Deserialize, Serialize};

use crate::error::{CanaryError, Error, Result};

/// How p-values of several metrics are adjusted before they are compared
/// with the significance level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// No adjustment (each metric at the nominal level).
    #[default]
    None,
    /// Holm's step-down method: controls the family-wise error rate.
    Holm,
    /// Benjamini-Hochberg: controls the false discovery rate.
    Bh,
}

impl Correction {
    /// Parses `"none"`, `"holm"` or `"bh"` (also `"fdr"`, `"BH"`); errors are
    /// `invalid_config` at `path`.
    ///
    /// ```
    /// use rollgate::stats::Correction;
    /// assert_eq!(Correction::parse("holm", "method").unwrap(), Correction::Holm);
    /// ```
    pub fn parse(text: &str, path: &str) -> Result<Self> {
        match text {
            "none" => Ok(Correction::None),
            "holm" => Ok(Correction::Holm),
            "bh" | "BH" | "fdr" => Ok(Correction::Bh),
            other => Err(Error::invalid_config(
                path.to_string(),
                format!("correction must be \"none\", \"holm\" or \"bh\", got {other:?}"),
            )),
        }
    }
}

/// Adjusted p-values, in the input order, as R's `p.adjust(p, method)` with
/// `"holm"` or `"BH"`.
///
/// Errors: `invalid_sample` (path `p_values/i`) for a value outside [0, 1].
///
/// ```
/// use rollgate::stats::{adjust_p_values, Correction};
/// let adj = adjust_p_values(&[0.01, 0.04, 0.03], Correction::Holm).unwrap();
/// assert_eq!(adj, vec![0.03, 0.06, 0.06]);
/// ```
pub fn adjust_p_values(p_values: &[f64], method: Correction) -> Result<Vec<f64>> {
    if let Some(index) = p_values
        .iter()
        .position(|p| !(p.is_finite() && (0.0..=1.0).contains(p)))
    {
        return Err(Error::new(
            format!("p_values/{index}"),
            CanaryError::InvalidSample {
                metric: None,
                index,
                value: p_values
                    .get(index)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            },
        ));
    }
    let n = p_values.len();
    let nf = n as f64;
    // Stable order by p (ties keep input order, as R's order()).
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let pa = p_values.get(a).copied().unwrap_or(0.0);
        let pb = p_values.get(b).copied().unwrap_or(0.0);
        pa.total_cmp(&pb)
    });
    let mut out = p_values.to_vec();
    match method {
        Correction::None => {}
        Correction::Holm => {
            let mut running = 0.0_f64;
            for (rank, &i) in order.iter().enumerate() {
                let p = p_values.get(i).copied().unwrap_or(1.0);
                running = running.max((nf - rank as f64) * p);
                if let Some(slot) = out.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
        Correction::Bh => {
            let mut running = f64::INFINITY;
            for (rank, &i) in order.iter().enumerate().rev() {
                let p = p_values.get(i).copied().unwrap_or(1.0);
                running = running.min(nf / (rank as f64 + 1.0) * p);
                if let Some(slot) = out.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bh_matches_hand_computation() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.5), "BH") = 0.04 0.0533 0.0533 0.5
        let adj = adjust_p_values(&[0.01, 0.04, 0.03, 0.5], Correction::Bh).unwrap();
        let want = [0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.5];
        for (a, w) in adj.iter().zip(want) {
            assert!((a - w).abs() < 1e-15);
        }
    }

    #[test]
    fn rejects_out_of_range() {
        let e = adjust_p_values(&[0.1, 1.5], Correction::Holm).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "p_values/1"));
    }
}
