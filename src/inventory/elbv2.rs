//! Elastic Load Balancing (v2) pieces, per region: the load balancers, each one's
//! attributes and listeners, the rules of plain-HTTP listeners that redirect by
//! default, and the security policies the TLS listeners name.

use std::collections::BTreeMap;

use super::{accessors, pieces, then, unique, Memo, PerResource};
use crate::model::elbv2::{Listener, ListenerRule, LoadBalancer, SslPolicy};

pieces! {
    pub struct Elbv2Regional {
        load_balancers: Memo<Vec<LoadBalancer>>,
        attributes: Memo<PerResource<BTreeMap<String, String>>>,
        listeners: Memo<PerResource<Vec<Listener>>>,
        listener_rules: Memo<PerResource<Vec<ListenerRule>>>,
        ssl_policies: Memo<Vec<SslPolicy>>,
    }
}

/// The listeners read successfully, over every load balancer.
fn every_listener(listeners: &PerResource<Vec<Listener>>) -> impl Iterator<Item = &Listener> {
    listeners
        .values()
        .filter_map(|l| l.as_result().ok())
        .flatten()
}

accessors! {
    iam "elasticloadbalancing";
    regional elbv2_load_balancers: Vec<LoadBalancer> = elbv2.load_balancers, "DescribeLoadBalancers",
        |_inventory, aws, region| aws.elbv2_load_balancers(region);
    /// Each load balancer's attributes (key -> value), keyed by its ARN.
    regional elbv2_attributes: PerResource<BTreeMap<String, String>> = elbv2.attributes, "DescribeLoadBalancerAttributes",
        each elbv2_load_balancers(|lbs: &Vec<LoadBalancer>| lbs.iter().map(|lb| lb.arn.clone()).collect()) |aws, region, arns| aws.elbv2_attributes(region, arns);
    /// Each load balancer's listeners, keyed by its ARN.
    regional elbv2_listeners: PerResource<Vec<Listener>> = elbv2.listeners, "DescribeListeners",
        each elbv2_load_balancers(|lbs: &Vec<LoadBalancer>| lbs.iter().map(|lb| lb.arn.clone()).collect()) |aws, region, arns| aws.elbv2_listeners(region, arns);
    /// The rules of the plain-HTTP listeners whose default action does not serve
    /// plaintext (a rule may still forward), keyed by listener ARN.
    regional elbv2_listener_rules: PerResource<Vec<ListenerRule>> = elbv2.listener_rules, "DescribeRules",
        each elbv2_listeners(|listeners: &PerResource<Vec<Listener>>| {
                every_listener(listeners)
                    .filter(|l| l.is_plain_http() && !l.default_actions.iter().any(|a| a.serves_plaintext()))
                    .map(|l| l.arn.clone())
                    .collect()
            }) |aws, region, arns| aws.elbv2_listener_rules(region, arns);
    /// The security policies the region's TLS listeners name.
    regional elbv2_ssl_policies: Vec<SslPolicy> = elbv2.ssl_policies, "DescribeSSLPolicies" after [elbv2_listeners],
        |inventory, aws, region| async move {
            let listing = inventory.elbv2_listeners(region).await;
            then(listing, |listeners| {
                let names = unique(every_listener(listeners).filter_map(|l| l.ssl_policy.clone()));
                aws.elbv2_ssl_policies(region, names)
            })
            .await
        };
}
