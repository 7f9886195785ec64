//! Vector dispatch for the dependency-graph functions.

use serde_json::Value;

use crate::common::{arg, count, out};

pub fn call(function: &str, input: &[Value]) -> Option<rollgate::Result<Value>> {
    let result = match function {
        "order_services" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            out(rollgate::order_services(&plan))
        })(),
        "blast_radius" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let services: Option<Vec<String>> = arg(input, 1, "services")?;
            out(rollgate::blast_radius(&plan, services.as_deref()))
        })(),
        "schedule_services" => (|| {
            let plan: rollgate::Plan = arg(input, 0, "")?;
            let max_parallel = count(input, 1, "max_parallel", 1)?;
            out(rollgate::schedule_services(&plan, max_parallel))
        })(),
        _ => return None,
    };
    Some(result)
}
