//! Bodies of the exported functions about a plan's services, calendars and
//! rollout schedule: ordering, blast radius, windows, rollout, rollback.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::{CalendarSpec, DurationSecs, HaltedAt, Plan, Schedule};

pub(super) fn order_services<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    a.finish(move || crate::order_services(&plan))
}

pub(super) fn blast_radius<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let services: Option<Vec<String>> = a.opt(1)?;
    a.finish(move || crate::blast_radius(&plan, services.as_deref()))
}

pub(super) fn schedule_services<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let max_parallel = a.count(1, 1)?;
    a.finish(move || crate::schedule_services(&plan, max_parallel))
}

pub(super) fn check_window<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let calendar: CalendarSpec = a.doc(0)?;
    let at = a.time(1)?;
    let duration: DurationSecs = a.arg(2)?;
    a.finish(move || crate::check_window(&calendar, at, duration))
}

pub(super) fn next_window<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let calendar: CalendarSpec = a.doc(0)?;
    let after = a.time(1)?;
    let duration: DurationSecs = a.arg(2)?;
    let horizon = a.opt(3)?.unwrap_or(crate::window::DEFAULT_HORIZON);
    a.finish(move || crate::next_window(&calendar, after, duration, horizon))
}

pub(super) fn schedule_rollout<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let start = a.time(1)?;
    a.finish(move || crate::schedule_rollout(&plan, start))
}

pub(super) fn rollback_plan<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let schedule: Schedule = a.doc(0)?;
    let halted_at: HaltedAt = a.arg(1)?;
    a.finish(move || crate::rollback_plan(&schedule, &halted_at))
}

pub(super) fn to_mermaid_gantt<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let schedule: Schedule = a.doc(0)?;
    a.finish(move || crate::to_mermaid_gantt(&schedule))
}
