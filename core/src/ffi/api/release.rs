//! Bodies of the exported functions that drive a release: start, advance,
//! notifications and readiness.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::{Change, Plan};

pub(super) fn start_release<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let start = a.time(1)?;
    let options: Option<crate::release::ReleaseOptions> = a.opt(2)?;
    a.finish(move || crate::start_release(&plan, start, options.as_ref()))
}

pub(super) fn advance_release<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let state: serde_json::Value = a.arg(1)?;
    let events: serde_json::Value = a.arg(2)?;
    let now = a.time(3)?;
    a.finish(move || {
        let state = crate::release::parse_state(state)?;
        let events = crate::release::parse_events(events)?;
        crate::advance_release(&plan, &state, &events, now)
    })
}

pub(super) fn render_notification<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let template: String = a.arg(0)?;
    let context: serde_json::Value = a.arg(1)?;
    a.finish(move || crate::render_notification(&template, &context))
}

pub(super) fn evaluate_release_readiness<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let change: Change = a.arg(1)?;
    let context: Option<crate::release::ReadinessContext> = a.opt(2)?;
    a.finish(move || {
        crate::evaluate_release_readiness(&plan, &change, &context.unwrap_or_default())
    })
}
