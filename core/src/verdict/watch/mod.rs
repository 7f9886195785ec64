//! Watching a canary continuously: anytime-valid verdicts with a state the
//! caller stores between polls.
//!
//! Deploy tools poll a canary every minute until they can promote or must
//! roll back. Re-running a fixed-horizon test ([`judge_canary`](super::judge_canary))
//! on the cumulative data at every poll inflates false rollbacks far above
//! its level; the tests here keep the chance of a false rollback over the
//! whole run at most `watch.alpha`, however often they are looked at.
//!
//! ```text
//! let mut state = start_canary_watch(&config)?;
//! every minute:
//!     let update = update_canary_watch(&config, &state, &batch, now)?;
//!     state = update.state;                       // store it (JSON)
//!     match update.verdict.decision { Rollback | Promote | Inconclusive => stop, Continue => wait }
//! ```
//!
//! # Tests
//!
//! | metric | test | state per arm |
//! |---|---|---|
//! | `kind: count` | Dirichlet-multinomial mixture on the canary's share of the events, with a confidence sequence on the rate ratio | events (and trials or exposure) |
//! | `kind: continuous` | normal-mixture SPRT on the difference of means, variance estimated from the data | n, mean, M2 |
//! | `kind: quantile` | beta-binomial confidence sequences for the quantile of each arm | a histogram of 128 bins per doubling |
//! | `compare: distribution` | the quantile test at 0.5, 0.9 and 0.99 for an increase (0.01, 0.1, 0.5 for a decrease, all five for either) | a histogram |
//!
//! Each deciding metric gets `alpha / m` of the run's level (m deciding
//! metrics, dry-run metrics excluded), so the chance that any metric falsely
//! shows harm — and so of a false rollback — is at most `alpha`. A metric
//! shows harm when its anytime-valid p-value of "no harm beyond the allowed
//! effect" falls to its level, which is when its confidence sequence for the
//! canary/baseline ratio lies wholly beyond `allowed_increase` (or below
//! `allowed_decrease`); it rules harm out when the sequence lies wholly
//! within. With the default allowed ratio of 1 (any increase is harmful) a
//! metric can show harm but never rule it out: set `allowed_increase` (for
//! example 1.05) for the watch to promote. The verdict rules are in
//! `rules`; the tests' defaults and how to choose their mixing parameters in
//! [`WatchConfig`].
//!
//! Guarantees: the count and quantile tests are exact at any sample size
//! (for quantiles of continuous metrics); the mean test is valid as samples
//! grow (its variance is estimated), which is why a mean metric waits for
//! `min_samples` (default 30) per arm. `benches/watch_quality` measures the
//! false-rollback rates, power and speed.
//!
//! What the watch does not use: `correction` (the watch always holds the
//! run's level), `confidence` (the watch's level is `watch.alpha`),
//! `outliers` (trimming each batch would make the result depend on how the
//! data was batched), and the SLO bounds `min`/`max`/`failure_limit`.
//!
//! # State
//!
//! The state ([`WatchState`]) is JSON: per metric and arm the sufficient
//! statistics of its test, never the raw samples, so its size does not grow
//! with the number of samples; a version and a fingerprint of the
//! configuration, so that a state only continues under the configuration
//! that started it (`incompatible_state` otherwise). A state started in
//! Python continues in Node or Rust with the same verdicts.

mod batch;
mod config;
mod evidence;
mod messages;
mod rules;
mod state;
mod verdict;

use std::collections::BTreeMap;

pub use config::WatchConfig;
pub use state::{CountArm, MetricState, Running, WatchState, WATCH_STATE_VERSION};
pub use verdict::{ArmSummary, MetricVerdict, WatchMetric, WatchUpdate, WatchVerdict};

use crate::change::Timestamp;
use crate::error::{pointer_token, CalendarError, Error, Result};
use crate::verdict::config::CanaryConfig;
use crate::verdict::data::CanaryData;

/// Starts watching a canary: the empty state for `config` (metrics, the
/// `watch` section's level, bake and budget), to store and pass to
/// [`update_canary_watch`] with each batch.
///
/// Errors (`canary` family): `invalid_config` for the configuration
/// (including `/watch/allocation` outside (0, 1)).
///
/// ```
/// use rollgate::verdict::{start_canary_watch, CanaryConfig};
/// let config: CanaryConfig = rollgate::wire::from_json(r#"{
///   "metrics": [{"name": "errors", "kind": "count", "direction": "increase"}],
///   "watch": {"allocation": 0.1}
/// }"#)?;
/// let state = start_canary_watch(&config)?;
/// assert_eq!((state.version, state.looks), (1, 0));
/// assert!(state.metrics.contains_key("errors"));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn start_canary_watch(config: &CanaryConfig) -> Result<WatchState> {
    let (_, plans) = config::plan(config)?;
    Ok(state::fresh(state::fingerprint(config), &plans))
}

/// Adds one batch to a canary watch and decides: `rollback`, `promote`,
/// `continue` or `inconclusive`, with the evidence per metric.
///
/// `batch` maps metric names to `{baseline, canary}`: the new samples (or
/// `{events, trials?|exposure?}` counts) of this interval only. Batches may
/// be uneven, a metric may be absent, a batch may be empty. `at` is the
/// batch's time: the engine reads no clock. `state` is not changed; the new
/// state is in the result.
///
/// Errors: `invalid_config` (configuration, or a batch of the wrong shape),
/// `unknown_metric` (`batch/<name>`), `invalid_sample` (a NaN, infinite or
/// negative sample, with metric and index), `invalid_count` (a negative,
/// fractional or inconsistent count), `incompatible_state` (a state from
/// another configuration or a newer version), `invalid_timestamp` (`at`
/// earlier than the state's last update).
///
/// ```
/// use rollgate::verdict::{start_canary_watch, update_canary_watch, CanaryConfig, CanaryData, Decision};
/// let config: CanaryConfig = rollgate::wire::from_json(r#"{
///   "metrics": [{"name": "errors", "kind": "count", "direction": "increase", "critical": true}]
/// }"#)?;
/// let state = start_canary_watch(&config)?;
/// // The canary (half the traffic) has 60 errors against the baseline's 20.
/// let batch: CanaryData = rollgate::wire::from_json(r#"{
///   "errors": {"baseline": {"events": 20}, "canary": {"events": 60}}
/// }"#)?;
/// let at = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:01:00Z").unwrap();
/// let update = update_canary_watch(&config, &state, &batch, at)?;
/// assert_eq!(update.verdict.decision, Decision::Rollback);
/// assert!(update.verdict.metrics["errors"].ci[0] > 1.0);
/// assert_eq!(update.state.looks, 1);
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn update_canary_watch(
    config: &CanaryConfig,
    state: &WatchState,
    batch: &CanaryData,
    at: chrono::DateTime<chrono::FixedOffset>,
) -> Result<WatchUpdate> {
    let at = Timestamp(at);
    let (watch, plans) = config::plan(config)?;
    state::check(state, &state::fingerprint(config), &plans)?;
    if let Some(last) = state.last_at {
        if at < last {
            return Err(Error::new(
                "at",
                CalendarError::InvalidTimestamp {
                    value: at.to_rfc3339(),
                    message: format!(
                        "the batch is earlier than the watch's last update ({})",
                        last.to_rfc3339()
                    ),
                },
            ));
        }
    }
    let additions = batch::read(batch, &plans)?;
    let mut next = state.clone();
    let mut looks = Vec::with_capacity(plans.len());
    for plan in &plans {
        let name = &plan.metric.name;
        let Some(metric_state) = next.metrics.get_mut(name) else {
            continue;
        };
        if let Some(add) = additions.get(name) {
            batch::apply(metric_state, add, &format!("batch/{}", pointer_token(name)))?;
        }
        looks.push(evidence::look(plan, &watch, metric_state));
    }
    next.looks += 1;
    let started = *next.started_at.get_or_insert(at);
    next.last_at = Some(at);
    let elapsed_seconds = (at - started).num_seconds().max(0) as u64;
    let verdicts: Vec<_> = plans
        .iter()
        .zip(&looks)
        .map(|(p, l)| rules::metric_verdict(p, l))
        .collect();
    let seen: Vec<rules::Seen<'_>> = plans
        .iter()
        .zip(&looks)
        .zip(&verdicts)
        .map(|((plan, look), (verdict, reason))| rules::Seen {
            plan,
            verdict: *verdict,
            look,
            reason,
        })
        .collect();
    let progress = rules::progress(&watch, elapsed_seconds, &seen);
    let (decision, reasons, score) = rules::decide(config, &progress, &seen);
    let metrics: BTreeMap<String, WatchMetric> = seen
        .iter()
        .map(|s| (s.plan.metric.name.clone(), report(s)))
        .collect();
    Ok(WatchUpdate {
        verdict: WatchVerdict {
            decision,
            reasons,
            alpha: watch.alpha,
            looks: next.looks,
            elapsed_seconds,
            bake_complete: progress.bake_complete,
            score,
            metrics,
        },
        state: next,
    })
}

/// Reads a stored watch state from any serde source; a value that is not a
/// state (wrong type, unknown field) is `incompatible_state` with a path
/// starting with `state`.
///
/// ```
/// let err = rollgate::verdict::watch::parse_state(serde_json::json!({"version": "one"})).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("incompatible_state", "state/version"));
/// ```
pub fn parse_state(value: serde_json::Value) -> Result<WatchState> {
    crate::wire::from_value(value).map_err(as_state_error)
}

/// Turns a generic wire error met while reading a stored state into
/// `incompatible_state` under `state` (bindings reading a host value use it).
pub fn as_state_error(err: Error) -> Error {
    match err.kind() {
        crate::error::ErrorKind::Input(_) => Error::new(
            err.path(),
            crate::error::CanaryError::IncompatibleState {
                message: err.message(),
            },
        )
        .with_path_prefix("state"),
        _ => err.with_path_prefix("state"),
    }
}

/// Reads a batch from any serde source (the shape of
/// [`CanaryData`]); malformed input is
/// `invalid_config` with a path starting with `batch`.
///
/// ```
/// let err = rollgate::verdict::watch::parse_batch(serde_json::json!({"errors": {"baseline": 1}})).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_config", "batch/errors/baseline"));
/// ```
pub fn parse_batch(value: serde_json::Value) -> Result<CanaryData> {
    crate::wire::from_value(value).map_err(|e| crate::verdict::as_canary_error(e, "batch"))
}

/// A metric's evidence as the verdict reports it.
fn report(s: &rules::Seen<'_>) -> WatchMetric {
    let look = s.look;
    let arm = |i: usize| ArmSummary {
        samples: look.samples.get(i).copied().unwrap_or(0.0),
        events: look.events.and_then(|e| e.get(i).copied()),
        estimate: look.estimates.get(i).copied().flatten(),
    };
    WatchMetric {
        verdict: s.verdict,
        test: s.plan.test.name(),
        dry_run: s.plan.metric.dry_run,
        critical: s.plan.metric.critical,
        direction: s.plan.metric.direction,
        alpha: s.plan.alpha,
        p_value: look.p_value,
        ci: look.ci,
        effect_kind: match s.plan.test {
            config::TestKind::Counts => "rate_ratio",
            config::TestKind::Means => "mean_ratio",
            config::TestKind::Quantiles(_) => "quantile_ratio",
        },
        effect: look.effect,
        quantile: look.quantile,
        bayes_factor: look.bayes_factor,
        allowed: [s.plan.up, s.plan.down],
        baseline: arm(0),
        canary: arm(1),
        reasons: vec![s.reason.clone()],
    }
}
