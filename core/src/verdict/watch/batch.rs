//! Reading one batch of a canary watch — per metric, the new samples or
//! event counts of each arm since the last update — into the sufficient
//! statistics of the state. Every value is checked: a non-finite or
//! negative sample, or a negative, fractional or inconsistent count, is an
//! error naming the metric and the index, and the state is left unchanged.

use std::collections::BTreeMap;

use super::config::{MetricPlan, TestKind};
use super::state::{CountArm, MetricState};
use crate::error::{pointer_token, CanaryError, Error, Result};
use crate::stats::sequential::histogram::Histogram;
use crate::stats::sequential::means::Moments;
use crate::verdict::config::NanPolicy;
use crate::verdict::data::{CanaryData, Counts, Sample};

/// One arm's addition from a batch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Addition {
    Counts(CountArm),
    Moments(Moments),
    Histogram(Histogram),
}

/// Reads a batch: for each metric of the batch, the baseline's and the
/// canary's additions. Metrics absent from the batch add nothing.
pub(crate) fn read(
    batch: &CanaryData,
    plans: &[MetricPlan<'_>],
) -> Result<BTreeMap<String, [Addition; 2]>> {
    for name in batch.keys() {
        if !plans.iter().any(|p| &p.metric.name == name) {
            return Err(Error::new(
                format!("batch/{}", pointer_token(name)),
                CanaryError::UnknownMetric {
                    metric: name.clone(),
                },
            ));
        }
    }
    let mut out = BTreeMap::new();
    for plan in plans {
        let Some(data) = batch.get(&plan.metric.name) else {
            continue;
        };
        let baseline = arm(plan, &data.baseline, "baseline")?;
        let canary = arm(plan, &data.canary, "canary")?;
        out.insert(plan.metric.name.clone(), [baseline, canary]);
    }
    Ok(out)
}

fn side_path(metric: &str, side: &str) -> String {
    format!("batch/{}/{side}", pointer_token(metric))
}

fn arm(plan: &MetricPlan<'_>, sample: &Sample, side: &str) -> Result<Addition> {
    let name = &plan.metric.name;
    match (&plan.test, sample) {
        (TestKind::Counts, Sample::Counts(counts)) => Ok(Addition::Counts(count_arm(counts, &side_path(name, side))?)),
        (TestKind::Counts, Sample::Values(_)) => Err(Error::invalid_config(
            side_path(name, side),
            format!("metric `{name}` is a count metric: give {{\"events\"}} (with \"trials\" or \"exposure\" if known) for each arm"),
        )),
        (_, Sample::Counts(_)) => Err(Error::invalid_config(
            side_path(name, side),
            format!("metric `{name}` takes a list of samples for each arm"),
        )),
        (TestKind::Means, Sample::Values(values)) => Ok(Addition::Moments(Moments::of(&clean(plan, values, side)?))),
        (TestKind::Quantiles(_), Sample::Values(values)) => {
            let mut h = Histogram::default();
            h.add(&clean(plan, values, side)?);
            Ok(Addition::Histogram(h))
        }
    }
}

/// The finite, non-negative samples; NaN and infinities are an error or
/// dropped (`nan_policy`), negative values always an error.
fn clean(plan: &MetricPlan<'_>, values: &[f64], side: &str) -> Result<Vec<f64>> {
    let name = &plan.metric.name;
    let mut kept = Vec::with_capacity(values.len());
    for (index, &v) in values.iter().enumerate() {
        let problem = if !v.is_finite() {
            if plan.metric.nan_policy == NanPolicy::Remove {
                continue;
            }
            Some(crate::stats::format_non_finite(v))
        } else if v < 0.0 {
            Some(v.to_string())
        } else {
            None
        };
        if let Some(value) = problem {
            return Err(Error::new(
                format!("{}/{index}", side_path(name, side)),
                CanaryError::InvalidSample {
                    metric: Some(name.clone()),
                    index,
                    value,
                },
            ));
        }
        kept.push(v + 0.0);
    }
    Ok(kept)
}

/// Largest count a state holds (counts stay exact in every language).
const MAX_COUNT: f64 = 9.0e15;

fn whole(value: f64, path: String) -> Result<u64> {
    crate::stats::proportions::check_count(value, &path, false)
}

fn count_arm(counts: &Counts, path: &str) -> Result<CountArm> {
    let events = whole(counts.events, format!("{path}/events"))?;
    let trials = match counts.trials {
        Some(t) => Some(whole(t, format!("{path}/trials"))?),
        None => None,
    };
    if let Some(t) = trials {
        if events > t {
            return Err(Error::new(
                format!("{path}/events"),
                CanaryError::InvalidCount {
                    value: counts.events.to_string(),
                    reason: format!("events exceed trials ({t})"),
                },
            ));
        }
    }
    if let Some(e) = counts.exposure {
        if !(0.0..=MAX_COUNT).contains(&e) {
            return Err(Error::new(
                format!("{path}/exposure"),
                CanaryError::InvalidCount {
                    value: e.to_string(),
                    reason: "exposure must be finite and >= 0".into(),
                },
            ));
        }
        if trials.is_some() {
            return Err(Error::invalid_config(
                path.to_string(),
                "give `trials` or `exposure`, not both".to_string(),
            ));
        }
    }
    Ok(CountArm {
        events,
        trials,
        exposure: counts.exposure,
    })
}

/// Adds a batch's additions to a metric's state; `path` names the metric
/// in the batch for errors. Trials or exposure must be given in every batch
/// or in none.
pub(crate) fn apply(state: &mut MetricState, additions: &[Addition; 2], path: &str) -> Result<()> {
    match state {
        MetricState::DirichletMultinomial {
            baseline, canary, ..
        } => {
            for (arm, (add, side)) in [baseline, canary]
                .into_iter()
                .zip(additions.iter().zip(["baseline", "canary"]))
            {
                if let Addition::Counts(add) = add {
                    add_counts(arm, add, &format!("{path}/{side}"))?;
                }
            }
        }
        MetricState::NormalMixture {
            baseline, canary, ..
        } => {
            for (arm, add) in [baseline, canary].into_iter().zip(additions) {
                if let Addition::Moments(add) = add {
                    arm.merge(add);
                }
            }
        }
        MetricState::QuantileSequence {
            baseline, canary, ..
        } => {
            for (arm, add) in [baseline, canary].into_iter().zip(additions) {
                if let Addition::Histogram(add) = add {
                    arm.merge(add);
                }
            }
        }
    }
    Ok(())
}

fn add_counts(arm: &mut CountArm, add: &CountArm, path: &str) -> Result<()> {
    let first = arm.events == 0 && arm.trials.is_none() && arm.exposure.is_none();
    let same_form = first
        || (arm.trials.is_some() == add.trials.is_some()
            && arm.exposure.is_some() == add.exposure.is_some());
    if !same_form {
        return Err(Error::invalid_config(
            path.to_string(),
            "give `trials` (or `exposure`) in every batch of a metric or in none".to_string(),
        ));
    }
    let too_large = |total: f64, field: &str| {
        Error::new(
            format!("{path}/{field}"),
            CanaryError::InvalidCount {
                value: total.to_string(),
                reason: "the running total is too large".into(),
            },
        )
    };
    let events = arm.events + add.events;
    if events as f64 > MAX_COUNT {
        return Err(too_large(events as f64, "events"));
    }
    let trials = match (first, arm.trials, add.trials) {
        (true, _, t) => t,
        (false, Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    if trials.is_some_and(|t| t as f64 > MAX_COUNT) {
        return Err(too_large(trials.unwrap_or(0) as f64, "trials"));
    }
    let exposure = match (first, arm.exposure, add.exposure) {
        (true, _, e) => e,
        (false, Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    *arm = CountArm {
        events,
        trials,
        exposure,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn setup(metrics: serde_json::Value) -> crate::verdict::CanaryConfig {
        crate::verdict::parse_config(json!({"metrics": metrics})).unwrap()
    }

    fn batch(v: serde_json::Value) -> CanaryData {
        crate::verdict::parse_data(v).unwrap()
    }

    #[test]
    fn bad_values_name_metric_and_index() {
        let c = setup(
            json!([{"name": "lat"}, {"name": "err", "kind": "count"}, {"name": "p", "kind": "quantile", "nan_policy": "remove"}]),
        );
        let (_, plans) = super::super::config::plan(&c).unwrap();
        let err_of = |b: serde_json::Value| read(&batch(b), &plans).unwrap_err();
        let e = err_of(json!({"lat": {"baseline": [1, 2], "canary": [1, -3.5]}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_sample", "batch/lat/canary/1")
        );
        assert_eq!(
            (
                e.details()["metric"].clone(),
                e.details()["index"].clone(),
                e.details()["value"].clone()
            ),
            (json!("lat"), json!(1), json!("-3.5"))
        );
        let e = err_of(json!({"lat": {"baseline": [1, null], "canary": [1]}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_sample", "batch/lat/baseline/1")
        );
        assert_eq!(e.details()["value"], "NaN");
        let e = err_of(json!({"err": {"baseline": {"events": -1}, "canary": {"events": 0}}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_count", "batch/err/baseline/events")
        );
        let e = err_of(
            json!({"err": {"baseline": {"events": 3, "trials": 2}, "canary": {"events": 0}}}),
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_count", "batch/err/baseline/events")
        );
        let e = err_of(json!({"err": {"baseline": {"events": 1}, "canary": {"events": 0.5}}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_count", "batch/err/canary/events")
        );
        let e = err_of(
            json!({"err": {"baseline": {"events": 1, "exposure": -1}, "canary": {"events": 0}}}),
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_count", "batch/err/baseline/exposure")
        );
        let e = err_of(json!({"err": {"baseline": [1], "canary": [1]}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_config", "batch/err/baseline")
        );
        let e = err_of(json!({"lat": {"baseline": {"events": 1}, "canary": [1]}}));
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_config", "batch/lat/baseline")
        );
        let e = err_of(json!({"nope": {"baseline": [1], "canary": [1]}}));
        assert_eq!((e.code(), e.path()), ("unknown_metric", "batch/nope"));
        // nan_policy remove drops non-finite values but never negative ones.
        let ok = read(
            &batch(json!({"p": {"baseline": [1, null, 2], "canary": []}})),
            &plans,
        )
        .unwrap();
        let Addition::Histogram(h) = &ok["p"][0] else {
            panic!()
        };
        assert_eq!(h.n, 2);
        let e = err_of(json!({"p": {"baseline": [1, null, -2], "canary": []}}));
        assert_eq!(e.path(), "batch/p/baseline/2");
    }

    #[test]
    fn counts_keep_their_form_across_batches() {
        let mut arm = CountArm::default();
        add_counts(
            &mut arm,
            &CountArm {
                events: 2,
                trials: Some(100),
                exposure: None,
            },
            "x",
        )
        .unwrap();
        add_counts(
            &mut arm,
            &CountArm {
                events: 1,
                trials: Some(50),
                exposure: None,
            },
            "x",
        )
        .unwrap();
        assert_eq!(
            arm,
            CountArm {
                events: 3,
                trials: Some(150),
                exposure: None
            }
        );
        let e = add_counts(
            &mut arm,
            &CountArm {
                events: 1,
                trials: None,
                exposure: None,
            },
            "batch/e/canary",
        )
        .unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_config", "batch/e/canary"));
        let mut events_only = CountArm::default();
        add_counts(
            &mut events_only,
            &CountArm {
                events: 4,
                trials: None,
                exposure: None,
            },
            "x",
        )
        .unwrap();
        add_counts(
            &mut events_only,
            &CountArm {
                events: 0,
                trials: None,
                exposure: None,
            },
            "x",
        )
        .unwrap();
        assert_eq!(
            events_only,
            CountArm {
                events: 4,
                trials: None,
                exposure: None
            }
        );
        let mut exposed = CountArm::default();
        add_counts(
            &mut exposed,
            &CountArm {
                events: 1,
                trials: None,
                exposure: Some(0.5),
            },
            "x",
        )
        .unwrap();
        add_counts(
            &mut exposed,
            &CountArm {
                events: 1,
                trials: None,
                exposure: Some(0.25),
            },
            "x",
        )
        .unwrap();
        assert_eq!(exposed.exposure, Some(0.75));
        let mut huge = CountArm {
            events: 8_000_000_000_000_000,
            trials: None,
            exposure: None,
        };
        let e = add_counts(
            &mut huge,
            &CountArm {
                events: 2_000_000_000_000_000,
                trials: None,
                exposure: None,
            },
            "x",
        )
        .unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "x/events"));
    }
}
