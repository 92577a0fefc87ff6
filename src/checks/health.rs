//! AWS Health: open issues and scheduled changes.

use serde_json::json;

use super::{listed, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::health::HealthEvent;

const EVENT: &str = "AWS::Health::Event";

/// Events in the audited regions (or global), split into those AWS scopes to this
/// account, which are judged, and public ones, which are only named.
fn audited_events<'a, T>(
    ctx: &CheckCtx,
    events: &'a [T],
    event: impl Fn(&T) -> &HealthEvent,
) -> (Vec<&'a T>, Vec<&'a T>) {
    let audited = ctx.inventory.regions();
    events
        .iter()
        .filter(|e| event(e).region == "global" || audited.contains(&event(e).region))
        .partition(|e| event(e).is_account_specific())
}

fn named(event: &HealthEvent) -> String {
    format!(
        "{} {} in {}",
        event.service, event.event_type_code, event.region
    )
}

fn start(event: &HealthEvent) -> String {
    event
        .start_time
        .map_or("an unknown time".to_string(), |t| t.to_rfc3339())
}

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
    let (own, public) = audited_events(&ctx, &issues.events, |e| e);
    if own.is_empty() {
        let public: Vec<String> = public.iter().map(|e| named(e)).collect();
        let also = if public.is_empty() {
            String::new()
        } else {
            format!(
                " ({} public service event(s) open: {})",
                public.len(),
                public.join(", ")
            )
        };
        return vec![Observation::pass(
            &ctx.account(),
            format!(
                "no open AWS Health issue for this account in {}{also}",
                ctx.inventory.regions().join(", ")
            ),
            json!({ "public_events": public }),
        )];
    }
    own.iter()
        .map(|event| {
            Observation::fail(
                &Resource::new(EVENT, event.arn.clone()),
                format!(
                    "open AWS Health issue for this account: {} since {}",
                    named(event),
                    start(event)
                ),
                json!({ "event": event }),
            )
        })
        .collect()
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
    let (own, public) = audited_events(&ctx, &changes.events, |c| &c.event);
    if own.is_empty() {
        return vec![Observation::pass(
            &ctx.account(),
            format!(
                "no open or upcoming scheduled change for this account's resources in {} ({} public one(s))",
                ctx.inventory.regions().join(", "),
                public.len()
            ),
            json!({ "public_events": public.len() }),
        )];
    }
    own.iter()
        .map(|change| {
            Observation::fail(
                &Resource::new(EVENT, change.event.arn.clone()),
                format!(
                    "AWS Health has scheduled a change to this account's resources: {} ({}, from {})",
                    named(&change.event),
                    change.status,
                    start(&change.event)
                ),
                json!({ "event": change }),
            )
        })
        .collect()
}
