//! CloudWatch Synthetics: canaries that exercise the service from outside.

use serde_json::json;

use super::CheckCtx;
use crate::finding::{Observation, Resource};

const CANARY: &str = "AWS::Synthetics::Canary";

/// Metrics and alarms see the service from inside; a canary sees what a user sees.
/// Account-wide: one region's canaries cover a service run from that region.
pub async fn canaries(ctx: CheckCtx) -> Vec<Observation> {
    let mut observations = Vec::new();
    let mut found = 0;
    for region in ctx.inventory.regions() {
        let canaries = match ctx.inventory.synthetics_canaries(region).await.as_result() {
            Ok(canaries) => canaries,
            Err(error) => {
                observations.push(Observation::unverified(&ctx.account(), error).in_region(region));
                continue;
            }
        };
        found += canaries.len();
        for canary in canaries {
            let resource = Resource::new(
                CANARY,
                format!("arn:aws:synthetics:{region}:{}:canary:{}", ctx.inventory.account_id(), canary.name),
            );
            let evidence = json!({
                "state": canary.state,
                "state_reason": canary.state_reason,
                "last_run_state": canary.last_run_state,
                "last_run_reason": canary.last_run_reason,
            });
            let name = &canary.name;
            let observation = if !canary.is_running() {
                Observation::fail(&resource, format!("canary {name} is {}, not running", canary.state), evidence)
            } else {
                match canary.last_run_passed() {
                    Some(true) => Observation::pass(&resource, format!("canary {name} runs and its last run passed"), evidence),
                    Some(false) => Observation::fail(
                        &resource,
                        format!("canary {name}'s last run failed: {}", canary.last_run_reason.as_deref().unwrap_or("no reason given")),
                        evidence,
                    ),
                    None => Observation::cannot_judge(
                        &resource,
                        format!("canary {name} has no finished run yet (last run: {})", canary.last_run_state.as_deref().unwrap_or("none")),
                        evidence,
                    ),
                }
            };
            observations.push(observation.in_region(region));
        }
    }
    if found == 0 && observations.is_empty() {
        observations.push(Observation::fail(
            &ctx.account(),
            format!("no CloudWatch Synthetics canary in {}", ctx.inventory.regions().join(", ")),
            json!({ "canaries": [] }),
        ));
    }
    observations
}
