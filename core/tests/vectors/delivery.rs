//! Vector dispatch for the delivery-performance and feature-flag functions.
//! Argument names (error-path prefixes) match the bindings.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{arg, out};

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "dora_metrics" => (|| {
            let deployments: Vec<rollgate::Deployment> = arg(input, 0, "")?;
            let incidents: Vec<rollgate::Incident> = arg(input, 1, "incidents")?;
            let options: Option<rollgate::DoraOptions> = arg(input, 2, "options")?;
            let plan: Option<rollgate::Plan> = arg(input, 3, "plan")?;
            out(rollgate::dora_metrics(
                &deployments,
                &incidents,
                options.as_ref(),
                plan.as_ref(),
            ))
        })(),
        "assess_maturity" => (|| {
            let metrics: Option<rollgate::DeliveryMetrics> = arg(input, 0, "")?;
            let practices: BTreeMap<String, bool> = arg(input, 1, "practices")?;
            out(rollgate::assess_maturity(metrics.as_ref(), &practices))
        })(),
        "flag_bucket" => (|| {
            let key: String = arg(input, 0, "flag_key")?;
            let unit: String = arg(input, 1, "unit_id")?;
            let algorithm: Option<String> = arg(input, 2, "algorithm")?;
            let algorithm = match algorithm {
                Some(a) => rollgate::FlagAlgorithm::parse(&a, "algorithm")?,
                None => rollgate::FlagAlgorithm::default(),
            };
            out(Ok(rollgate::flag_bucket(&key, &unit, algorithm)))
        })(),
        "flag_enabled" => (|| {
            let flag: rollgate::Flag = arg(input, 0, "")?;
            let unit: String = arg(input, 1, "unit_id")?;
            out(rollgate::flag_enabled(&flag, &unit))
        })(),
        "flag_exposure" => (|| {
            let flag: rollgate::Flag = arg(input, 0, "")?;
            let population: rollgate::Population = arg(input, 1, "population")?;
            out(rollgate::flag_exposure(&flag, &population))
        })(),
        _ => return None,
    };
    Some(result)
}
