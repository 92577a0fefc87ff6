//! Load balancers of both Elastic Load Balancing APIs: Application, Network and Gateway
//! Load Balancers (v2) and Classic Load Balancers (the 2012 API, which v2 does not list).
//! Zones, deletion protection, access logs and plaintext.

use serde_json::json;

use super::{lookup, or_not_applicable, CheckCtx};
use crate::fetched::Fetched;
use crate::finding::{Observation, Resource};
use crate::inventory::PerResource;
use crate::model::elb::ClassicLoadBalancer;
use crate::model::elbv2::{Listener, ListenerRule, LoadBalancer, SslPolicy};

const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
const CLASSIC_LOAD_BALANCER: &str = "AWS::ElasticLoadBalancing::LoadBalancer";

fn resource(lb: &LoadBalancer) -> Resource {
    Resource::new(LOAD_BALANCER, lb.arn.clone())
}

fn classic_resource(lb: &ClassicLoadBalancer) -> Resource {
    Resource::new(CLASSIC_LOAD_BALANCER, lb.arn.clone())
}

/// Judges every load balancer of the region, v2 by `judge` and Classic by `classic`.
/// Each API's listing fails alone: one ERROR for it, the other's load balancers still
/// judged; N/A only when both answered and listed none.
async fn each_load_balancer(
    ctx: &CheckCtx,
    judge: impl Fn(&LoadBalancer) -> Observation,
    classic: impl Fn(&ClassicLoadBalancer) -> Observation,
) -> Vec<Observation> {
    let region = ctx.region();
    let mut observations = judged(ctx, ctx.inventory.elbv2_load_balancers(region).await, judge);
    observations.extend(judged(
        ctx,
        ctx.inventory.elb_load_balancers(region).await,
        classic,
    ));
    or_not_applicable(ctx, observations, || {
        format!("no Application, Network, Gateway or Classic Load Balancer in {region}")
    })
}

/// Each item of a listing judged, or the one ERROR that says why it is unknown.
fn judged<T>(
    ctx: &CheckCtx,
    listing: &Fetched<Vec<T>>,
    judge: impl Fn(&T) -> Observation,
) -> Vec<Observation> {
    match listing.as_result() {
        Err(error) => vec![Observation::unverified(&ctx.account(), error)],
        Ok(items) => items.iter().map(judge).collect(),
    }
}

/// A load balancer's zones judged: one zone is a FAIL (FSBP ELB.10 for Classic, ELB.13
/// for v2).
fn zones_judged(resource: &Resource, what: &str, zones: &[String]) -> Observation {
    let count = zones.len();
    Observation::judge(
        count >= 2,
        resource,
        format!(
            "{what} has nodes in {count} Availability Zone(s){}",
            if count >= 2 {
                ""
            } else {
                ": one zone's outage takes it down"
            }
        ),
        json!({ "availability_zones": zones }),
    )
}

/// A load balancer in one zone is down with that zone; ELB routes only to zones it
/// has a node in.
pub async fn multi_az(ctx: CheckCtx) -> Vec<Observation> {
    each_load_balancer(
        &ctx,
        |lb| {
            let what = format!("{} load balancer {}", lb.kind, lb.name);
            zones_judged(&resource(lb), &what, &lb.availability_zones)
        },
        |lb| {
            let what = format!("Classic Load Balancer {}", lb.name);
            zones_judged(&classic_resource(lb), &what, &lb.availability_zones)
        },
    )
    .await
}

/// Judges one documented boolean attribute (`"true"` / `"false"`) of every v2 load
/// balancer; `instead` gives the observation for a load balancer the attribute does not
/// judge (N/A saying why, or ERROR when that cannot be told), `classic` judges the
/// Classic Load Balancers.
async fn attribute_on(
    ctx: CheckCtx,
    key: &'static str,
    what: &'static str,
    instead: impl Fn(&LoadBalancer) -> Option<Observation>,
    classic: impl Fn(&ClassicLoadBalancer) -> Observation,
) -> Vec<Observation> {
    let attributes = ctx.inventory.elbv2_attributes(ctx.region()).await;
    let judge = |lb: &LoadBalancer| {
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
    };
    each_load_balancer(&ctx, judge, classic).await
}

/// Classic Load Balancers have no deletion protection (their API has no such
/// attribute): N/A, saying so, rather than left out.
pub async fn deletion_protection(ctx: CheckCtx) -> Vec<Observation> {
    attribute_on(
        ctx,
        "deletion_protection.enabled",
        "deletion protection",
        |_| None,
        |lb| {
            Observation::not_applicable(
                &classic_resource(lb),
                format!(
                    "Classic Load Balancer {} cannot have deletion protection (Classic Load Balancers have none; Application and Network Load Balancers do)",
                    lb.name
                ),
            )
        },
    )
    .await
}

/// A Network Load Balancer writes access logs only for its TLS listeners' connections,
/// so one without a TLS listener has nothing to log whatever the attribute says. A
/// Classic Load Balancer's setting is its AccessLog attribute (FSBP ELB.5).
pub async fn access_logs(ctx: CheckCtx) -> Vec<Observation> {
    let (inventory, region) = (ctx.inventory.clone(), ctx.region().to_string());
    let listeners = inventory.elbv2_listeners(&region).await;
    let classic_attributes = inventory.elb_attributes(&region).await;
    let classic = |lb: &ClassicLoadBalancer| {
        let resource = classic_resource(lb);
        let found = match lookup(classic_attributes, &lb.name) {
            Ok(found) => found,
            Err(error) => return Observation::unverified(&resource, &error),
        };
        let Some(log) = &found.access_log else {
            return Observation::cannot_judge(
                &resource,
                format!(
                    "DescribeLoadBalancerAttributes gave no AccessLog for Classic Load Balancer {}",
                    lb.name
                ),
                json!({ "attributes": found }),
            );
        };
        Observation::judge(
            log.enabled,
            &resource,
            format!(
                "Classic Load Balancer {}: access logs to S3 {}",
                lb.name,
                match (log.enabled, &log.bucket) {
                    (true, Some(bucket)) => format!("on (bucket {bucket})"),
                    (true, None) => "on".to_string(),
                    (false, _) => "off".to_string(),
                }
            ),
            json!({ "access_log": log }),
        )
    };
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
    }, classic)
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

/// A Classic Load Balancer listener must be HTTPS or SSL (FSBP ELB.3): a Classic Load
/// Balancer cannot redirect, so an HTTP listener serves plaintext, and ELB.3 fails TCP
/// too. The TLS versions its SSL negotiation policies allow are not read.
fn classic_https_only(lb: &ClassicLoadBalancer) -> Observation {
    let resource = classic_resource(lb);
    let listed = |listeners: &mut dyn Iterator<Item = &crate::model::elb::ClassicListener>| {
        listeners
            .map(|l| format!("{}:{}", l.protocol, l.port))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if lb.listeners.is_empty() {
        return Observation::not_applicable(
            &resource,
            format!("Classic Load Balancer {} has no listener", lb.name),
        );
    }
    let plain = listed(&mut lb.listeners.iter().filter(|l| !l.terminates_tls()));
    let evidence = json!({ "listeners": lb.listeners });
    if plain.is_empty() {
        Observation::pass(
            &resource,
            format!(
                "Classic Load Balancer {}: every listener is HTTPS or SSL ({}); the TLS versions of its negotiation policies are not read",
                lb.name,
                listed(&mut lb.listeners.iter())
            ),
            evidence,
        )
    } else {
        Observation::fail(
            &resource,
            format!(
                "Classic Load Balancer {}: {plain} not HTTPS or SSL (a Classic Load Balancer cannot redirect HTTP to HTTPS)",
                lb.name
            ),
            evidence,
        )
    }
}

/// Plain-HTTP listeners of an ALB may only redirect to HTTPS (or answer fixed
/// responses), by default and in every rule; listeners that terminate TLS must refuse
/// anything below TLS 1.2. Network load balancers' TCP and UDP listeners carry whatever
/// the application speaks and are not judged. Classic Load Balancers: see
/// `classic_https_only`.
pub async fn https_only(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let listeners = ctx.inventory.elbv2_listeners(region).await;
    // Both read nothing from AWS when no listener needs them.
    let rules = ctx.inventory.elbv2_listener_rules(region).await;
    let policies = ctx.inventory.elbv2_ssl_policies(region).await;
    let judge = |lb: &LoadBalancer| {
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
    };
    each_load_balancer(&ctx, judge, classic_https_only).await
}
