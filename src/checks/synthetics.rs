//! CloudWatch Synthetics: canaries that exercise the service from outside.

use std::collections::BTreeMap;

use serde_json::json;

use super::CheckCtx;
use crate::finding::{Observation, Resource};
use crate::inventory::Fetched;
use crate::model::synthetics::{Canary, CanaryRun};

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
        let runs = ctx.inventory.synthetics_last_runs(region).await;
        for canary in canaries {
            let resource = Resource::new(
                CANARY,
                format!(
                    "arn:{}:synthetics:{region}:{}:canary:{}",
                    ctx.inventory.partition(),
                    ctx.inventory.account_id(),
                    canary.name
                ),
            );
            observations.push(judge(canary, &resource, runs).in_region(region));
        }
    }
    if found == 0 && observations.is_empty() {
        observations.push(Observation::fail(
            &ctx.account(),
            format!(
                "no CloudWatch Synthetics canary in {}",
                ctx.inventory.regions().join(", ")
            ),
            json!({ "canaries": [] }),
        ));
    }
    observations
}

fn judge(
    canary: &Canary,
    resource: &Resource,
    runs: &Fetched<BTreeMap<String, CanaryRun>>,
) -> Observation {
    let name = &canary.name;
    if !canary.is_running() {
        return Observation::fail(
            resource,
            format!("canary {name} is {}, not running", canary.state),
            json!({ "state": canary.state, "state_reason": canary.state_reason }),
        );
    }
    let runs = match runs.as_result() {
        Ok(runs) => runs,
        Err(error) => return Observation::unverified(resource, error),
    };
    let run = runs.get(name);
    let evidence = json!({ "state": canary.state, "last_run": run });
    match run.and_then(|r| r.passed()) {
        Some(true) => Observation::pass(
            resource,
            format!("canary {name} runs and its last run passed"),
            evidence,
        ),
        Some(false) => Observation::fail(
            resource,
            format!(
                "canary {name}'s last run failed: {}",
                run.and_then(|r| r.reason.as_deref())
                    .unwrap_or("no reason given")
            ),
            evidence,
        ),
        None => Observation::cannot_judge(
            resource,
            format!("canary {name} has no finished run yet"),
            evidence,
        ),
    }
}
