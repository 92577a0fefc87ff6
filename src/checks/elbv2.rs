//! Application, Network and Gateway Load Balancers: zones, deletion protection, access
//! logs and plaintext.

use serde_json::json;

use super::{judge_each, lookup, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::elbv2::LoadBalancer;

const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

fn resource(lb: &LoadBalancer) -> Resource {
    Resource::new(LOAD_BALANCER, lb.arn.clone())
}

/// Judges every load balancer of the region.
async fn each_load_balancer(
    ctx: &CheckCtx,
    judge: impl Fn(&LoadBalancer) -> Observation,
) -> Vec<Observation> {
    let region = ctx.region();
    let listing = ctx.inventory.elbv2_load_balancers(region).await;
    judge_each(
        ctx,
        listing,
        || format!("no Application, Network or Gateway Load Balancer in {region}"),
        judge,
    )
}

/// A load balancer in one zone is down with that zone; ELB routes only to zones it
/// has a node in.
pub async fn multi_az(ctx: CheckCtx) -> Vec<Observation> {
    each_load_balancer(&ctx, |lb| {
        let zones = lb.availability_zones.len();
        Observation::judge(
            zones >= 2,
            &resource(lb),
            format!(
                "{} load balancer {} has nodes in {zones} Availability Zone(s){}",
                lb.kind,
                lb.name,
                if zones >= 2 {
                    ""
                } else {
                    ": one zone's outage takes it down"
                }
            ),
            json!({ "type": lb.kind, "availability_zones": lb.availability_zones }),
        )
    })
    .await
}

/// Judges one documented boolean attribute (`"true"` / `"false"`) of every load
/// balancer; `skip` gives the reason a load balancer has no such attribute.
async fn attribute_on(
    ctx: CheckCtx,
    key: &'static str,
    what: &'static str,
    skip: impl Fn(&LoadBalancer) -> Option<String>,
) -> Vec<Observation> {
    let attributes = ctx.inventory.elbv2_attributes(ctx.region()).await;
    each_load_balancer(&ctx, |lb| {
        if let Some(reason) = skip(lb) {
            return Observation::not_applicable(&resource(lb), reason);
        }
        match lookup(attributes, &lb.arn) {
            Err(error) => Observation::unverified(&resource(lb), &error),
            Ok(found) => match found.get(key).map(String::as_str) {
                Some(value @ ("true" | "false")) => {
                    let on = value == "true";
                    Observation::judge(
                        on,
                        &resource(lb),
                        format!(
                            "{} {}: {what} {}",
                            lb.kind,
                            lb.name,
                            if on { "on" } else { "off" }
                        ),
                        json!({ key: value }),
                    )
                }
                other => Observation::cannot_judge(
                    &resource(lb),
                    format!(
                        "DescribeLoadBalancerAttributes gave {} for {key}, not true or false",
                        other.map_or("nothing".to_string(), |v| format!("'{v}'"))
                    ),
                    json!({ "attributes": found }),
                ),
            },
        }
    })
    .await
}

pub async fn deletion_protection(ctx: CheckCtx) -> Vec<Observation> {
    attribute_on(
        ctx,
        "deletion_protection.enabled",
        "deletion protection",
        |_| None,
    )
    .await
}

pub async fn access_logs(ctx: CheckCtx) -> Vec<Observation> {
    attribute_on(ctx, "access_logs.s3.enabled", "access logs to S3", |lb| {
        lb.is_gateway()
            .then(|| format!("Gateway Load Balancer {} has no access logs in ELB (it forwards packets, not requests)", lb.name))
    })
    .await
}

/// Plain-HTTP listeners of an ALB may only redirect to HTTPS (or answer fixed
/// responses), by default and in every rule; listeners that terminate TLS must refuse
/// anything below TLS 1.2. Network load balancers' TCP and UDP listeners carry whatever
/// the application speaks and are not judged.
pub async fn https_only(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let listeners = ctx.inventory.elbv2_listeners(region).await;
    // Both read nothing from AWS when no listener needs them.
    let rules = ctx.inventory.elbv2_listener_rules(region).await;
    let policies = ctx.inventory.elbv2_ssl_policies(region).await;
    each_load_balancer(&ctx, |lb| {
        let resource = resource(lb);
        if lb.is_gateway() {
            return Observation::not_applicable(
                &resource,
                format!("Gateway Load Balancer {} carries packets (GENEVE), not HTTP or TLS", lb.name),
            );
        }
        let found = match lookup(listeners, &lb.arn) {
            Ok(found) => found,
            Err(error) => return Observation::unverified(&resource, &error),
        };
        let mut problems = Vec::new();
        for listener in found {
            let port = listener.port.map_or("?".to_string(), |p| p.to_string());
            if listener.is_plain_http() {
                if listener.default_actions.iter().any(|a| a.serves_plaintext()) {
                    problems.push(format!("HTTP:{port} serves requests in plaintext (its default action does not redirect to HTTPS)"));
                    continue;
                }
                match lookup(rules, &listener.arn) {
                    Err(error) => return Observation::unverified(&resource, &error),
                    Ok(rules) => {
                        for rule in rules.iter().filter(|r| r.actions.iter().any(|a| a.serves_plaintext())) {
                            problems.push(format!("HTTP:{port} rule {} serves requests in plaintext", rule.priority));
                        }
                    }
                }
            }
            if listener.terminates_tls() {
                let Some(name) = &listener.ssl_policy else {
                    problems.push(format!("{}:{port} names no security policy", listener.protocol));
                    continue;
                };
                let known = match policies.as_result() {
                    Ok(known) => known,
                    Err(error) => return Observation::unverified(&resource, error),
                };
                match known.iter().find(|p| &p.name == name) {
                    None => {
                        return Observation::cannot_judge(
                            &resource,
                            format!("DescribeSSLPolicies did not describe {name}, which {}:{port} uses", listener.protocol),
                            json!({ "ssl_policy": name }),
                        )
                    }
                    Some(policy) => {
                        let legacy = policy.legacy_protocols();
                        if !legacy.is_empty() {
                            problems.push(format!(
                                "{}:{port} policy {name} accepts {}",
                                listener.protocol,
                                legacy.join(", ")
                            ));
                        }
                    }
                }
            }
        }
        let evidence = json!({ "listeners": found, "problems": problems });
        if problems.is_empty() {
            Observation::pass(
                &resource,
                format!("{} {}: no plaintext HTTP, TLS 1.2 or later on every TLS listener", lb.kind, lb.name),
                evidence,
            )
        } else {
            Observation::fail(&resource, format!("{} {}: {}", lb.kind, lb.name, problems.join("; ")), evidence)
        }
    })
    .await
}
