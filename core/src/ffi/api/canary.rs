//! Bodies of the exported functions of canary analysis: the verdict, the
//! canary watch and the statistical kernels.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::stats;
use crate::{CanaryConfig, CanaryData};

pub(super) fn judge_canary<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let config: CanaryConfig = a.canary(0, "")?;
    let data: CanaryData = a.canary(1, "data")?;
    a.finish(move || crate::judge_canary(&config, &data))
}

pub(super) fn start_canary_watch<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let config: CanaryConfig = a.canary(0, "")?;
    a.finish(move || crate::start_canary_watch(&config))
}

pub(super) fn update_canary_watch<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let config: CanaryConfig = a.canary(0, "")?;
    let state: crate::WatchState = a.watch_state(1)?;
    let batch: CanaryData = a.canary(2, "batch")?;
    let at = a.time(3)?;
    a.finish(move || crate::update_canary_watch(&config, &state, &batch, at))
}

pub(super) fn mann_whitney<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (x, y) = (a.samples(0)?, a.samples(1)?);
    let (alternative, confidence) = a.test_options(2)?;
    a.finish(move || stats::mann_whitney_owned(x, y, alternative, confidence))
}

pub(super) fn welch_t_test<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (x, y) = (a.samples(0)?, a.samples(1)?);
    let (alternative, confidence) = a.test_options(2)?;
    a.finish(move || stats::welch_t_test(&x, &y, alternative, confidence))
}

pub(super) fn ks_test<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (x, y) = (a.samples(0)?, a.samples(1)?);
    a.finish(move || stats::ks_test(&x, &y))
}

pub(super) fn compare_proportions<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (ex, tx, ey, ty) = (a.number(0)?, a.number(1)?, a.number(2)?, a.number(3)?);
    let (alternative, confidence) = a.test_options(4)?;
    a.finish(move || stats::compare_proportions(ex, tx, ey, ty, alternative, confidence))
}

pub(super) fn compare_rates<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (ex, ux, ey, uy) = (a.number(0)?, a.number(1)?, a.number(2)?, a.number(3)?);
    let (alternative, confidence) = a.test_options(4)?;
    a.finish(move || stats::compare_rates(ex, ux, ey, uy, alternative, confidence))
}

pub(super) fn quantile_ci<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let x = a.samples(0)?;
    let (quantile, confidence) = (a.number(1)?, a.number_or(2, 0.95)?);
    a.finish(move || stats::quantile_ci(&x, quantile, confidence))
}

pub(super) fn compare_quantiles<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let (x, y) = (a.samples(0)?, a.samples(1)?);
    let quantile = a.number(2)?;
    let (alternative, confidence) = a.test_options(3)?;
    a.finish(move || stats::compare_quantiles(&x, &y, quantile, alternative, confidence))
}

pub(super) fn adjust_p_values<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let p = a.samples(0)?;
    let method = a.correction(1)?;
    a.finish(move || stats::adjust_p_values(&p, method))
}

pub(super) fn sequential_count_test<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let looks: Vec<[f64; 2]> = a.canary(0, "looks")?;
    let allocation = a.number(1)?;
    let (concentration, alpha) = (a.number_or(2, 100.0)?, a.number_or(3, 0.05)?);
    a.finish(move || stats::sequential_count_test(&looks, allocation, concentration, alpha))
}
