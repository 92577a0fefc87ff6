//! EC2 Auto Scaling groups: zones and health checks.

use serde_json::json;

use super::{judge_each, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::autoscaling::AutoScalingGroup;

const GROUP: &str = "AWS::AutoScaling::AutoScalingGroup";

fn resource(group: &AutoScalingGroup) -> Resource {
    Resource::new(GROUP, group.arn.clone())
}

async fn each_group(
    ctx: &CheckCtx,
    judge: impl Fn(&AutoScalingGroup) -> Observation,
) -> Vec<Observation> {
    let region = ctx.region();
    let listing = ctx.inventory.autoscaling_groups(region).await;
    judge_each(
        ctx,
        listing,
        || format!("no Auto Scaling group in {region}"),
        judge,
    )
}

pub async fn multi_az(ctx: CheckCtx) -> Vec<Observation> {
    each_group(&ctx, |group| {
        let zones = group.availability_zones.len();
        Observation::judge(
            zones >= 2,
            &resource(group),
            format!(
                "Auto Scaling group {} launches into {zones} Availability Zone(s)",
                group.name
            ),
            json!({ "availability_zones": group.availability_zones }),
        )
    })
    .await
}

/// With only EC2 status checks, an instance whose application stopped answering stays
/// in service: the group replaces it only when it heeds its load balancer's health.
pub async fn elb_health_check(ctx: CheckCtx) -> Vec<Observation> {
    each_group(&ctx, |group| {
        let Some(needed) = group.needed_health_check() else {
            return Observation::not_applicable(
                &resource(group),
                format!(
                    "Auto Scaling group {} is attached to no load balancer, target group or VPC Lattice service",
                    group.name
                ),
            );
        };
        let on = group.has_health_check(needed);
        Observation::judge(
            on,
            &resource(group),
            format!(
                "Auto Scaling group {} takes traffic from {} and {} {needed} health checks",
                group.name,
                group.traffic_sources.join(", "),
                if on { "uses" } else { "does not use" }
            ),
            json!({
                "health_check_type": group.health_check_type,
                "traffic_sources": group.traffic_sources,
            }),
        )
    })
    .await
}
