//! Vector dispatch for the environment functions: parity, promotion,
//! migrations, access, teardown and isolation. Argument names (error-path
//! prefixes) match the bindings.

use serde_json::Value;

use crate::common::{arg, out};

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "check_parity" => (|| {
            let environments: Vec<rollgate::EnvironmentSpec> = arg(input, 0, "")?;
            let path: Vec<String> = arg(input, 1, "promotion_path")?;
            let rules: Option<rollgate::ParityRules> = arg(input, 2, "rules")?;
            out(rollgate::check_parity(
                &environments,
                &path,
                &rules.unwrap_or_default(),
            ))
        })(),
        "check_promotion" => (|| {
            let path: Vec<String> = arg(input, 0, "promotion_path")?;
            let deployments: Vec<rollgate::PromotionDeployment> = arg(input, 1, "deployments")?;
            let artifact: rollgate::Artifact = arg(input, 2, "artifact")?;
            let rules: Option<rollgate::PromotionRules> = arg(input, 3, "rules")?;
            out(rollgate::check_promotion(
                &path,
                &deployments,
                &artifact,
                &rules.unwrap_or_default(),
            ))
        })(),
        "plan_migrations" => (|| {
            let migrations: Vec<rollgate::MigrationScript> = arg(input, 0, "")?;
            let environments: Vec<rollgate::MigrationHistory> = arg(input, 1, "environments")?;
            out(rollgate::plan_migrations(&migrations, &environments))
        })(),
        "evaluate_access" => (|| {
            let request: rollgate::AccessRequest = arg(input, 0, "")?;
            let policy: rollgate::AccessPolicy = arg(input, 1, "policy")?;
            let now: rollgate::Timestamp = arg(input, 2, "now")?;
            out(rollgate::evaluate_access(&request, &policy, now))
        })(),
        "teardown_candidates" => (|| {
            let environments: Vec<rollgate::EnvironmentSpec> = arg(input, 0, "")?;
            let policy: Option<rollgate::TeardownPolicy> = arg(input, 1, "policy")?;
            let now: rollgate::Timestamp = arg(input, 2, "now")?;
            out(rollgate::teardown_candidates(
                &environments,
                &policy.unwrap_or_default(),
                now,
            ))
        })(),
        "isolation_plan" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let services: Vec<String> = arg(input, 1, "services")?;
            let options: Option<rollgate::IsolationOptions> = arg(input, 2, "options")?;
            out(rollgate::isolation_plan(
                &plan,
                &services,
                &options.unwrap_or_default(),
            ))
        })(),
        _ => return None,
    };
    Some(result)
}
