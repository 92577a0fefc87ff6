//! Application, Network and Gateway Load Balancers: zones, deletion protection, access
//! logs and plaintext.

use serde_json::json;

use super::{judge_each, lookup, CheckCtx};
use crate::fetched::Fetched;
use crate::finding::{Observation, Resource};
use crate::inventory::PerResource;
use crate::model::elbv2::{Listener, ListenerRule, LoadBalancer, SslPolicy};

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
/// balancer; `instead` gives the observation for a load balancer the attribute does not
/// judge (N/A saying why, or ERROR when that cannot be told).
async fn attribute_on(
    ctx: CheckCtx,
    key: &'static str,
    what: &'static str,
    instead: impl Fn(&LoadBalancer) -> Option<Observation>,
) -> Vec<Observation> {
    let attributes = ctx.inventory.elbv2_attributes(ctx.region()).await;
    each_load_balancer(&ctx, |lb| {
        if let Some(observation) = instead(lb) {
            return observation;
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

/// A Network Load Balancer writes access logs only for its TLS listeners' connections,
/// so one without a TLS listener has nothing to log whatever the attribute says.
pub async fn access_logs(ctx: CheckCtx) -> Vec<Observation> {
    let (inventory, region) = (ctx.inventory.clone(), ctx.region().to_string());
    let listeners = inventory.elbv2_listeners(&region).await;
    attribute_on(ctx, "access_logs.s3.enabled", "access logs to S3", |lb| {
        if lb.is_gateway() {
            return Some(Observation::not_applicable(
                &resource(lb),
                format!("Gateway Load Balancer {} has no access logs in ELB (it forwards packets, not requests)", lb.name),
            ));
        }
        if !lb.is_network() {
            return None;
        }
        match lookup(listeners, &lb.arn) {
            Err(error) => Some(Observation::unverified(&resource(lb), &error)),
            Ok(found) if found.iter().any(Listener::terminates_tls) => None,
            Ok(found) => Some(Observation::not_applicable(
                &resource(lb),
                format!(
                    "Network Load Balancer {} has no TLS listener ({}): its access logs record TLS connections only",
                    lb.name,
                    listed_protocols(found)
                ),
            )),
        }
    })
    .await
}

/// A load balancer's listeners as `PROTOCOL:port`, or `no listener`.
fn listed_protocols(listeners: &[Listener]) -> String {
    if listeners.is_empty() {
        return "no listener".to_string();
    }
    listeners
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l.protocol,
                l.port.map_or("?".into(), |p| p.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong with one listener: plaintext served by its default action or a rule,
/// or a security policy that accepts less than TLS 1.2. `Err` is the load balancer's
/// ERROR when a read it needs failed or a policy was not described.
fn listener_problems(
    listener: &Listener,
    rules: &Fetched<PerResource<Vec<ListenerRule>>>,
    policies: &Fetched<Vec<SslPolicy>>,
    resource: &Resource,
) -> Result<Vec<String>, Box<Observation>> {
    let port = listener.port.map_or("?".to_string(), |p| p.to_string());
    if listener.is_plain_http() {
        if listener
            .default_actions
            .iter()
            .any(|a| a.serves_plaintext())
        {
            return Ok(vec![format!(
                "HTTP:{port} serves requests in plaintext (its default action does not redirect to HTTPS)"
            )]);
        }
        let rules = lookup(rules, &listener.arn)
            .map_err(|e| Box::new(Observation::unverified(resource, &e)))?;
        return Ok(rules
            .iter()
            .filter(|r| r.actions.iter().any(|a| a.serves_plaintext()))
            .map(|rule| {
                format!(
                    "HTTP:{port} rule {} serves requests in plaintext",
                    rule.priority
                )
            })
            .collect());
    }
    if !listener.terminates_tls() {
        return Ok(Vec::new());
    }
    let protocol = &listener.protocol;
    let Some(name) = &listener.ssl_policy else {
        return Ok(vec![format!("{protocol}:{port} names no security policy")]);
    };
    let known = policies
        .as_result()
        .map_err(|e| Box::new(Observation::unverified(resource, e)))?;
    let Some(policy) = known.iter().find(|p| &p.name == name) else {
        return Err(Box::new(Observation::cannot_judge(
            resource,
            format!("DescribeSSLPolicies did not describe {name}, which {protocol}:{port} uses"),
            json!({ "ssl_policy": name }),
        )));
    };
    let legacy = policy.legacy_protocols();
    Ok(if legacy.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{protocol}:{port} policy {name} accepts {}",
            legacy.join(", ")
        )]
    })
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
                format!(
                    "Gateway Load Balancer {} carries packets (GENEVE), not HTTP or TLS",
                    lb.name
                ),
            );
        }
        let found = match lookup(listeners, &lb.arn) {
            Ok(found) => found,
            Err(error) => return Observation::unverified(&resource, &error),
        };
        let mut problems = Vec::new();
        for listener in found {
            match listener_problems(listener, rules, policies, &resource) {
                Ok(found) => problems.extend(found),
                Err(unverified) => return *unverified,
            }
        }
        let evidence = json!({ "listeners": found, "problems": problems });
        if problems.is_empty() {
            Observation::pass(
                &resource,
                format!(
                    "{} {}: no plaintext HTTP, TLS 1.2 or later on every TLS listener",
                    lb.kind, lb.name
                ),
                evidence,
            )
        } else {
            Observation::fail(
                &resource,
                format!("{} {}: {}", lb.kind, lb.name, problems.join("; ")),
                evidence,
            )
        }
    })
    .await
}
