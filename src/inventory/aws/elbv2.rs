use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, Listener as SdkListener, LoadBalancer as SdkLoadBalancer, Rule,
    SslPolicy as SdkSslPolicy,
};
use aws_sdk_elasticloadbalancingv2::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::elbv2::{Listener, ListenerAction, ListenerRule, LoadBalancer, SslPolicy};

const SERVICE: &str = "elbv2";

impl AwsReader {
    fn elbv2(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    pub(crate) async fn elbv2_load_balancers(&self, region: &str) -> Fetched<Vec<LoadBalancer>> {
        let client = self.elbv2(region);
        let items = client
            .describe_load_balancers()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeLoadBalancers",
            region,
            items,
            load_balancer,
        )
        .await
    }

    pub(crate) async fn elbv2_attributes(
        &self,
        region: &str,
        arns: Vec<String>,
    ) -> BTreeMap<String, Fetched<BTreeMap<String, String>>> {
        let client = self.elbv2(region);
        self.per_resource(arns, |arn| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| {
                        fetch_error(SERVICE, "DescribeLoadBalancerAttributes", Some(&arn), &e)
                    })?;
                Ok(out
                    .attributes()
                    .iter()
                    .filter_map(|a| Some((a.key()?.to_string(), a.value()?.to_string())))
                    .collect())
            }
        })
        .await
    }

    pub(crate) async fn elbv2_listeners(
        &self,
        region: &str,
        arns: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<Listener>>> {
        let client = self.elbv2(region);
        self.per_resource(arns, |arn| {
            let client = client.clone();
            async move {
                let found: Vec<SdkListener> = client
                    .describe_listeners()
                    .load_balancer_arn(&arn)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeListeners", Some(&arn), &e))?;
                Ok(found.iter().map(listener).collect())
            }
        })
        .await
    }

    pub(crate) async fn elbv2_listener_rules(
        &self,
        region: &str,
        listener_arns: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<ListenerRule>>> {
        let client = self.elbv2(region);
        self.per_resource(listener_arns, |arn| {
            let client = client.clone();
            async move {
                let found: Vec<Rule> = client
                    .describe_rules()
                    .listener_arn(&arn)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeRules", Some(&arn), &e))?;
                Ok(found.iter().filter_map(listener_rule).collect())
            }
        })
        .await
    }

    /// The named policies, page by page (the API pages with a marker the SDK has no
    /// paginator for); nothing to ask when no listener names one.
    pub(crate) async fn elbv2_ssl_policies(
        &self,
        region: &str,
        names: Vec<String>,
    ) -> Fetched<Vec<SslPolicy>> {
        if names.is_empty() {
            return Fetched::Ok(Vec::new());
        }
        let client = self.elbv2(region);
        let mut policies = Vec::new();
        let mut marker = None;
        loop {
            let request = client
                .describe_ssl_policies()
                .set_names(Some(names.clone()))
                .set_marker(marker.take())
                .send();
            match self.call_to(SERVICE, request).await {
                Ok(out) => {
                    policies.extend(out.ssl_policies().iter().map(ssl_policy));
                    match out.next_marker() {
                        Some(next) if !next.is_empty() => marker = Some(next.to_string()),
                        _ => return Fetched::Ok(policies),
                    }
                }
                Err(e) => {
                    return Fetched::Error(fetch_error(
                        SERVICE,
                        "DescribeSSLPolicies",
                        Some(region),
                        &e,
                    ))
                }
            }
        }
    }
}

fn load_balancer(lb: &SdkLoadBalancer) -> LoadBalancer {
    LoadBalancer {
        arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
        name: lb.load_balancer_name().unwrap_or_default().to_string(),
        kind: lb
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        scheme: lb
            .scheme()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        availability_zones: lb
            .availability_zones()
            .iter()
            .filter_map(|z| z.zone_name().map(str::to_string))
            .collect(),
    }
}

fn action(action: &Action) -> ListenerAction {
    ListenerAction {
        kind: action
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        redirect_protocol: action
            .redirect_config()
            .and_then(|r| r.protocol())
            .map(str::to_string),
    }
}

fn listener(listener: &SdkListener) -> Listener {
    Listener {
        arn: listener.listener_arn().unwrap_or_default().to_string(),
        port: listener.port(),
        protocol: listener
            .protocol()
            .map(|p| p.as_str())
            .unwrap_or_default()
            .to_string(),
        ssl_policy: listener.ssl_policy().map(str::to_string),
        default_actions: listener.default_actions().iter().map(action).collect(),
    }
}

/// The listener's rules other than its default (which the listener itself holds).
fn listener_rule(rule: &Rule) -> Option<ListenerRule> {
    if rule.is_default() == Some(true) {
        return None;
    }
    Some(ListenerRule {
        arn: rule.rule_arn().unwrap_or_default().to_string(),
        priority: rule.priority().unwrap_or_default().to_string(),
        actions: rule.actions().iter().map(action).collect(),
    })
}

fn ssl_policy(policy: &SdkSslPolicy) -> SslPolicy {
    SslPolicy {
        name: policy.name().unwrap_or_default().to_string(),
        protocols: policy.ssl_protocols().to_vec(),
    }
}
