//! Delivery performance and feature-flag exposure.
//!
//! Deployment and incident records come in ([`Deployment`], [`Incident`]);
//! out come the DORA keys and rework rate with their tiers
//! ([`dora_metrics`]), a maturity assessment per practice area
//! ([`assess_maturity`]), and the exact bucketing of Unleash and flagd
//! feature flags, so a portal can predict who sees a feature
//! ([`flag_bucket`], [`flag_enabled`], [`flag_exposure`]).
//!
//! One file per concern: `records` (inputs and their checks), `dora` (the
//! report), `facts` (each record's facts, computed once), `metrics` (one
//! group over one window), `series` (UTC weeks, months and the fourkeys
//! bucket), `tiers` (the report-year tables), `maturity` (the model),
//! `flags` (bucketing), `exposure` (populations).

mod dora;
mod exposure;
mod facts;
mod flags;
mod maturity;
mod metrics;
mod records;
mod series;
mod tiers;

pub use dora::{dora_metrics, DoraReport, GroupMetrics, SeriesBucket, UNOWNED};
pub use exposure::{
    flag_exposure, Exposure, FlagExposure, Population, PopulationCount, VariantExposure,
    DEFAULT_SAMPLE, MAX_SAMPLE,
};
pub use flags::{flag_bucket, flag_enabled, Flag, FlagAlgorithm, FlagDecision, FlagVariant};
#[cfg(feature = "schema")]
pub(crate) use maturity::practice_ids;
pub use maturity::{assess_maturity, AreaMaturity, MaturityArea, MaturityAssessment, NextPractice};
pub use metrics::{
    ChangeFailRate, DeliveryMetrics, DeploymentCounts, DeploymentFrequency, DoraTiers, LeadTime,
    Recovery, Rework,
};
pub use records::{
    Commit, Deployment, DeploymentStatus, DoraOptions, GroupBy, Incident, SeriesPeriod,
};
pub use series::{FrequencyBucket, MAX_BUCKETS};
pub use tiers::{DoraMetric, DoraTier, TierRating, REPORT_YEARS};
