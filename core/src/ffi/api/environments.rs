//! Bodies of the exported functions about environments: parity, promotion,
//! migrations, access, teardown and isolation.
//!
//! Each reads its arguments with [`Args`] and runs the library function
//! under [`Args::finish`]; the name, parameters and doc are in the table in
//! `mod.rs`.

use crate::ffi::args::{Args, Outcome};
use crate::ffi::host::Host;
use crate::Plan;

pub(super) fn check_parity<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let environments: Vec<crate::EnvironmentSpec> = a.doc(0)?;
    let path: Vec<String> = a.arg(1)?;
    let rules: crate::ParityRules = a.opt(2)?.unwrap_or_default();
    a.finish(move || crate::check_parity(&environments, &path, &rules))
}

pub(super) fn check_promotion<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let path: Vec<String> = a.doc(0)?;
    let deployments: Vec<crate::PromotionDeployment> = a.arg(1)?;
    let artifact: crate::Artifact = a.arg(2)?;
    let rules: crate::PromotionRules = a.opt(3)?.unwrap_or_default();
    a.finish(move || crate::check_promotion(&path, &deployments, &artifact, &rules))
}

pub(super) fn plan_migrations<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let migrations: Vec<crate::MigrationScript> = a.doc(0)?;
    let environments: Vec<crate::MigrationHistory> = a.arg(1)?;
    a.finish(move || crate::plan_migrations(&migrations, &environments))
}

pub(super) fn evaluate_access<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let request: crate::AccessRequest = a.doc(0)?;
    let policy: crate::AccessPolicy = a.arg(1)?;
    let now = a.time(2)?;
    a.finish(move || crate::evaluate_access(&request, &policy, now.into()))
}

pub(super) fn teardown_candidates<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let environments: Vec<crate::EnvironmentSpec> = a.doc(0)?;
    let policy: crate::TeardownPolicy = a.opt(1)?.unwrap_or_default();
    let now = a.time(2)?;
    a.finish(move || crate::teardown_candidates(&environments, &policy, now.into()))
}

pub(super) fn isolation_plan<H: Host>(a: &Args<'_, H>) -> Outcome<H> {
    let plan: Plan = a.doc(0)?;
    let services: Vec<String> = a.arg(1)?;
    let options: crate::IsolationOptions = a.opt(2)?.unwrap_or_default();
    a.finish(move || crate::isolation_plan(&plan, &services, &options))
}
