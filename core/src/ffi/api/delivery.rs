//! Bodies of the exported functions about delivery: DORA metrics, maturity
//! and feature flags.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::Plan;

pub(super) fn dora_metrics<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let deployments: Vec<crate::Deployment> = a.doc(0)?;
    let incidents: Vec<crate::Incident> = a.arg(1)?;
    let options: Option<crate::DoraOptions> = a.opt(2)?;
    let plan: Option<Plan> = a.opt(3)?;
    a.finish(move || crate::dora_metrics(&deployments, &incidents, options.as_ref(), plan.as_ref()))
}

pub(super) fn assess_maturity<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let metrics: Option<crate::DeliveryMetrics> = a.doc(0)?;
    let practices: std::collections::BTreeMap<String, bool> = a.arg(1)?;
    a.finish(move || crate::assess_maturity(metrics.as_ref(), &practices))
}

pub(super) fn flag_bucket<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let flag_key: String = a.arg(0)?;
    let unit_id: String = a.arg(1)?;
    let algorithm = match a.opt::<String>(2)? {
        Some(text) => crate::FlagAlgorithm::parse(&text, "algorithm")?,
        None => crate::FlagAlgorithm::default(),
    };
    a.finish(move || Ok(crate::flag_bucket(&flag_key, &unit_id, algorithm)))
}

pub(super) fn flag_enabled<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let flag: crate::Flag = a.doc(0)?;
    let unit_id: String = a.arg(1)?;
    a.finish(move || crate::flag_enabled(&flag, &unit_id))
}

pub(super) fn flag_exposure<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let flag: crate::Flag = a.doc(0)?;
    let population: crate::Population = a.arg(1)?;
    a.finish(move || crate::flag_exposure(&flag, &population))
}
