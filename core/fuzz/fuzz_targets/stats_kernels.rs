//! Every numeric kernel of `rollgate::stats` with arbitrary `f64`s: NaN,
//! ±inf, subnormals, ±1e300, huge and fractional counts, ties, samples up
//! to 50,000 values.
//!
//! Input: a selector byte (the kernel, by position in `KERNELS`), a byte
//! for the alternative (`% 3`) and the correction (`/ 3 % 3`), then the
//! kernel's arguments in the encoding of `rollgate_fuzz::numbers`.
//!
//! Checked: no panic; an error has a code and a path naming the argument;
//! a result has finite numbers and p-values in [0, 1] (`rollgate_fuzz::check`),
//! the two-sample tests are symmetric (swapping `x` and `y` gives
//! `U_y = n·m − U_x`, the negated estimate, the same two-sided p-value), and
//! a rate comparison depends only on the ratio of the exposures.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollgate::stats::{self, Alternative, Correction};
use rollgate_fuzz::calls::{function, Args};
use rollgate_fuzz::numbers::Bytes;
use rollgate_fuzz::{check, errors, known};
use serde_json::Value;

/// The kernels, in selector order (`core/fuzz/seeds.py` reads this list).
const KERNELS: [&str; 9] = [
    "mann_whitney",
    "welch_t_test",
    "ks_test",
    "compare_proportions",
    "compare_rates",
    "quantile_ci",
    "compare_quantiles",
    "adjust_p_values",
    "sequential_count_test",
];

/// A number as JSON, non-finite as `null` (as the bindings would show it).
fn json(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn list(values: &[f64]) -> Value {
    Value::Array(values.iter().copied().map(json).collect())
}

/// Checks an error against the kernel's parameters (`args` in their order).
fn check_error<T>(name: &str, args: Vec<Value>, result: &rollgate::Result<T>) {
    if let (Err(err), Some(f)) = (result, function(name)) {
        errors::error(f, &Args::Values(&args), err);
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let name = KERNELS[usize::from(bytes.byte()) % KERNELS.len()];
    let flags = bytes.byte();
    let alternative = [
        Alternative::TwoSided,
        Alternative::Greater,
        Alternative::Less,
    ][usize::from(flags % 3)];
    let correction =
        [Correction::None, Correction::Holm, Correction::Bh][usize::from(flags / 3 % 3)];
    let alt = json_alternative(alternative);
    match name {
        "mann_whitney" => {
            let (x, y) = (bytes.sample(Bytes::f64), bytes.sample(Bytes::f64));
            let confidence = bytes.unit();
            let r = stats::mann_whitney(&x, &y, alternative, confidence);
            check_error(name, vec![list(&x), list(&y), alt, json(confidence)], &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::mann_whitney(&x, &y, &r);
            if alternative == Alternative::TwoSided {
                let s = stats::mann_whitney(&y, &x, alternative, confidence)
                    .unwrap_or_else(|e| panic!("swapped samples rejected: {e}"));
                let nm = x.len() as f64 * y.len() as f64;
                assert_eq!(r.statistic + s.statistic, nm, "U_x + U_y ≠ n·m");
                assert_eq!(r.estimate, -s.estimate, "estimate not antisymmetric");
                assert!(
                    close(r.p_value, s.p_value),
                    "p {} vs {}",
                    r.p_value,
                    s.p_value
                );
            }
        }
        "welch_t_test" => {
            let (x, y) = (bytes.sample(Bytes::f64), bytes.sample(Bytes::f64));
            let confidence = bytes.unit();
            let Some(r) = known::welch(|| stats::welch_t_test(&x, &y, alternative, confidence))
            else {
                return;
            };
            check_error(name, vec![list(&x), list(&y), alt, json(confidence)], &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::welch(&r);
        }
        "ks_test" => {
            let (x, y) = (bytes.sample(Bytes::f64), bytes.sample(Bytes::f64));
            let r = stats::ks_test(&x, &y);
            check_error(name, vec![list(&x), list(&y)], &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::ks(&r);
            let s =
                stats::ks_test(&y, &x).unwrap_or_else(|e| panic!("swapped samples rejected: {e}"));
            assert_eq!(r.statistic, s.statistic, "D not symmetric");
            assert!(
                close(r.p_value, s.p_value),
                "p {} vs {}",
                r.p_value,
                s.p_value
            );
        }
        "compare_proportions" | "compare_rates" => {
            let counts = [bytes.f64(), bytes.f64(), bytes.f64(), bytes.f64()];
            let confidence = bytes.unit();
            let [a, b, c, d] = counts;
            let mut args: Vec<Value> = counts.iter().copied().map(json).collect();
            args.extend([alt, json(confidence)]);
            if name == "compare_proportions" {
                let r = stats::compare_proportions(a, b, c, d, alternative, confidence);
                check_error(name, args, &r);
                let Ok(r) = r else { return };
                check::numbers(&r);
                check::proportions(&r);
            } else {
                let r = stats::compare_rates(a, b, c, d, alternative, confidence);
                check_error(name, args, &r);
                let Ok(r) = r else { return };
                check::numbers(&r);
                check::rates(&r);
                // Only the ratio of the exposures matters: halving both
                // (exact while they stay normal) changes nothing — unless a
                // rate leaves the double range, which is a typed
                // `invalid_count` by design (tiny exposure, huge count).
                let (hb, hd) = (b / 2.0, d / 2.0);
                if hb >= f64::MIN_POSITIVE
                    && hd >= f64::MIN_POSITIVE
                    && (a / hb).is_finite()
                    && (c / hd).is_finite()
                {
                    let h = stats::compare_rates(a, hb, c, hd, alternative, confidence)
                        .unwrap_or_else(|e| panic!("halved exposures rejected: {e}"));
                    assert!(
                        close(r.p_value, h.p_value),
                        "p {} vs {} halved",
                        r.p_value,
                        h.p_value
                    );
                }
            }
        }
        "quantile_ci" => {
            let x = bytes.sample(Bytes::f64);
            let (quantile, confidence) = (bytes.unit(), bytes.unit());
            let r = stats::quantile_ci(&x, quantile, confidence);
            check_error(name, vec![list(&x), json(quantile), json(confidence)], &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::quantile_interval(&x, confidence, &r);
        }
        "compare_quantiles" => {
            let (x, y) = (bytes.sample(Bytes::f64), bytes.sample(Bytes::f64));
            let (quantile, confidence) = (bytes.unit(), bytes.unit());
            let r = stats::compare_quantiles(&x, &y, quantile, alternative, confidence);
            let args = vec![list(&x), list(&y), json(quantile), alt, json(confidence)];
            check_error(name, args, &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::quantile_comparison(&r);
        }
        "adjust_p_values" => {
            let p = bytes.sample(Bytes::unit);
            let r = stats::adjust_p_values(&p, correction);
            check_error(name, vec![list(&p), Value::Null], &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::adjusted(&p, correction, &r);
        }
        _ => {
            let n = bytes.len(1024);
            let looks: Vec<[f64; 2]> = (0..n)
                .map_while(|_| (!bytes.is_empty()).then(|| [bytes.f64(), bytes.f64()]))
                .collect();
            let (allocation, concentration, alpha) = (bytes.unit(), bytes.f64(), bytes.unit());
            let r = stats::sequential_count_test(&looks, allocation, concentration, alpha);
            let looks_json = Value::Array(looks.iter().map(|l| list(l)).collect());
            let args = vec![
                looks_json,
                json(allocation),
                json(concentration),
                json(alpha),
            ];
            check_error(name, args, &r);
            let Ok(r) = r else { return };
            check::numbers(&r);
            check::sequential(&looks, alpha, &r);
        }
    }
});

fn json_alternative(alternative: Alternative) -> Value {
    serde_json::to_value(alternative).unwrap_or(Value::Null)
}
