//! AWS Health: open issues and scheduled changes.

use serde_json::json;

use super::{listed, CheckCtx};
use crate::finding::{Observation, Resource};

const EVENT: &str = "AWS::Health::Event";

/// An open issue AWS reports about the account's own resources (a degraded host, an
/// instance scheduled for retirement under an outage, a failing volume) is a reason
/// not to go live until it closes. Public events about a service in a region are
/// shown, not judged: AWS does not say they touch this account.
pub async fn open_issues(ctx: CheckCtx) -> Vec<Observation> {
    let issues = match listed(&ctx, ctx.inventory.health_open_issues().await) {
        Ok(issues) => issues,
        Err(errors) => return errors,
    };
    if let Some(reason) = &issues.unavailable {
        return vec![Observation::not_applicable(&ctx.account(), reason.clone())];
    }
    let audited = ctx.inventory.regions();
    let here: Vec<_> = issues
        .events
        .iter()
        .filter(|e| e.region == "global" || audited.contains(&e.region))
        .collect();
    let public: Vec<String> = here
        .iter()
        .filter(|e| !e.is_account_specific())
        .map(|e| format!("{} {} ({})", e.service, e.event_type_code, e.region))
        .collect();
    let mut observations: Vec<Observation> = here
        .iter()
        .filter(|e| e.is_account_specific())
        .map(|event| {
            Observation::fail(
                &Resource::new(EVENT, event.arn.clone()),
                format!(
                    "open AWS Health issue for this account: {} {} in {} since {}",
                    event.service,
                    event.event_type_code,
                    event.region,
                    event
                        .start_time
                        .map_or("an unknown time".to_string(), |t| t.to_rfc3339())
                ),
                json!({ "event": event }),
            )
        })
        .collect();
    if observations.is_empty() {
        let also = if public.is_empty() {
            String::new()
        } else {
            format!(
                " ({} public service event(s) open: {})",
                public.len(),
                public.join(", ")
            )
        };
        observations.push(Observation::pass(
            &ctx.account(),
            format!(
                "no open AWS Health issue for this account in {}{also}",
                audited.join(", ")
            ),
            json!({ "public_events": public }),
        ));
    }
    observations
}

/// A retirement or required maintenance AWS has scheduled for the account's own
/// resources: each is a change to make or plan before going live (stop and start a
/// retiring instance, apply the maintenance in a chosen window), not an outage now.
pub async fn scheduled_changes(ctx: CheckCtx) -> Vec<Observation> {
    let changes = match listed(&ctx, ctx.inventory.health_scheduled_changes().await) {
        Ok(changes) => changes,
        Err(errors) => return errors,
    };
    if let Some(reason) = &changes.unavailable {
        return vec![Observation::not_applicable(&ctx.account(), reason.clone())];
    }
    let audited = ctx.inventory.regions();
    let here: Vec<_> = changes
        .events
        .iter()
        .filter(|e| e.region == "global" || audited.contains(&e.region))
        .collect();
    let when = |time: Option<chrono::DateTime<chrono::Utc>>| {
        time.map_or("an unknown time".to_string(), |t| t.to_rfc3339())
    };
    let mut observations: Vec<Observation> = here
        .iter()
        .filter(|e| e.is_account_specific())
        .map(|change| {
            Observation::fail(
                &Resource::new(EVENT, change.arn.clone()),
                format!(
                    "AWS Health has scheduled a change to this account's resources: {} {} in {} ({}, from {})",
                    change.service,
                    change.event_type_code,
                    change.region,
                    change.status,
                    when(change.start_time)
                ),
                json!({ "event": change }),
            )
        })
        .collect();
    if observations.is_empty() {
        let public = here.len();
        observations.push(Observation::pass(
            &ctx.account(),
            format!(
                "no open or upcoming scheduled change for this account's resources in {} ({public} public one(s))",
                audited.join(", ")
            ),
            json!({ "public_events": public }),
        ));
    }
    observations
}
