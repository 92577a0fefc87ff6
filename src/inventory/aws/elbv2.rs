use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, Listener as SdkListener, LoadBalancer as SdkLoadBalancer, Rule,
    SslPolicy as SdkSslPolicy,
};
use aws_sdk_elasticloadbalancingv2::Client;

use super::{all_items, fetch_error, instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::elbv2::{Listener, ListenerAction, ListenerRule, LoadBalancer, SslPolicy};

const SERVICE: &str = "elbv2";

impl AwsReader {
    fn elbv2(&self, region: &str) -> Client {
        self.client(region, Client::new)
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
                let found: Vec<SdkListener> = all_items(
                    SERVICE,
                    "DescribeListeners",
                    &arn,
                    client
                        .describe_listeners()
                        .load_balancer_arn(&arn)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
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
                let found: Vec<Rule> = all_items(
                    SERVICE,
                    "DescribeRules",
                    &arn,
                    client
                        .describe_rules()
                        .listener_arn(&arn)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(found.iter().filter_map(listener_rule).collect())
            }
        })
        .await
    }

    /// The named policies (the API pages with a marker the SDK has no paginator for);
    /// nothing to ask when no listener names one.
    pub(crate) async fn elbv2_ssl_policies(
        &self,
        region: &str,
        names: Vec<String>,
    ) -> Fetched<Vec<SslPolicy>> {
        if names.is_empty() {
            return Fetched::Ok(Vec::new());
        }
        let client = self.elbv2(region);
        self.token_paged(SERVICE, "DescribeSSLPolicies", region, |marker| {
            let request = client
                .describe_ssl_policies()
                .set_names(Some(names.clone()))
                .set_marker(marker)
                .send();
            async move {
                request.await.map(|out| {
                    let policies = out.ssl_policies().iter().map(ssl_policy).collect();
                    (policies, out.next_marker().map(str::to_string))
                })
            }
        })
        .await
        .into()
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
        vpc_id: lb.vpc_id().map(str::to_string),
        ip_address_type: lb.ip_address_type().map(|t| t.as_str().to_string()),
        dns_name: lb.dns_name().map(str::to_string),
        state: lb
            .state()
            .and_then(|s| s.code())
            .map(|c| c.as_str().to_string()),
        created: lb.created_time().and_then(instant),
        security_groups: lb.security_groups().to_vec(),
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

#[cfg(test)]
mod tests {
    use aws_sdk_elasticloadbalancingv2::types::{
        ActionTypeEnum, AvailabilityZone, LoadBalancerTypeEnum, ProtocolEnum, RedirectActionConfig,
    };

    use super::*;
    use crate::checks::elbv2::{access_logs, deletion_protection, https_only, multi_az};
    use crate::checks::testing::{data, each, failed, ok, run, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
    use crate::inventory::InventoryData;

    fn sdk_load_balancer(name: &str, kind: LoadBalancerTypeEnum, zones: &[&str]) -> LoadBalancer {
        let mut lb = SdkLoadBalancer::builder()
            .load_balancer_arn(format!(
                "arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/x/{name}/1"
            ))
            .load_balancer_name(name)
            .r#type(kind);
        for zone in zones {
            lb = lb.availability_zones(AvailabilityZone::builder().zone_name(*zone).build());
        }
        load_balancer(&lb.build())
    }

    fn sdk_action(kind: ActionTypeEnum, redirect_to: Option<&str>) -> Action {
        let mut action = Action::builder().r#type(kind);
        if let Some(protocol) = redirect_to {
            action =
                action.redirect_config(RedirectActionConfig::builder().protocol(protocol).build());
        }
        action.build()
    }

    fn sdk_listener(
        arn: &str,
        protocol: ProtocolEnum,
        policy: Option<&str>,
        action: Action,
    ) -> Listener {
        listener(
            &SdkListener::builder()
                .listener_arn(arn)
                .port(443)
                .protocol(protocol)
                .set_ssl_policy(policy.map(str::to_string))
                .default_actions(action)
                .build(),
        )
    }

    /// An ALB that redirects HTTP and serves TLS 1.2+, an NLB in one zone with a
    /// TLS 1.0 policy, an ALB whose redirecting HTTP listener forwards in one rule, a
    /// Gateway Load Balancer: from SDK values to every ELB check's verdict.
    fn account() -> InventoryData {
        let good = sdk_load_balancer("good", LoadBalancerTypeEnum::Application, &["a", "b"]);
        let weak = sdk_load_balancer("weak", LoadBalancerTypeEnum::Network, &["a"]);
        let leaky = sdk_load_balancer("leaky", LoadBalancerTypeEnum::Application, &["a", "b"]);
        let gateway = sdk_load_balancer("gw", LoadBalancerTypeEnum::Gateway, &["a", "b"]);
        let redirect = || sdk_action(ActionTypeEnum::Redirect, Some("HTTPS"));
        let forward = || sdk_action(ActionTypeEnum::Forward, None);
        let forwarding_rule = listener_rule(
            &Rule::builder()
                .rule_arn("rule-1")
                .priority("10")
                .is_default(false)
                .actions(forward())
                .build(),
        )
        .unwrap();
        let default_rule = Rule::builder()
            .rule_arn("rule-d")
            .priority("default")
            .is_default(true)
            .build();
        assert_eq!(
            listener_rule(&default_rule),
            None,
            "the default rule is the listener's own"
        );
        let policies = [
            (
                "ELBSecurityPolicy-TLS13-1-2-2021-06",
                vec!["TLSv1.3", "TLSv1.2"],
            ),
            (
                "ELBSecurityPolicy-2016-08",
                vec!["TLSv1", "TLSv1.1", "TLSv1.2"],
            ),
        ]
        .map(|(name, protocols)| {
            ssl_policy(
                &SdkSslPolicy::builder()
                    .name(name)
                    .set_ssl_protocols(Some(protocols.into_iter().map(String::from).collect()))
                    .build(),
            )
        });
        let mut data = data();
        let elbv2 = &mut data.region_mut(REGION).elbv2;
        let attributes = |protection: &str, logs: &str| {
            [
                ("deletion_protection.enabled", protection),
                ("access_logs.s3.enabled", logs),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into_iter()
            .collect::<BTreeMap<_, _>>()
        };
        elbv2.attributes = each([
            (good.arn.clone(), attributes("true", "true")),
            (weak.arn.clone(), attributes("false", "false")),
            (gateway.arn.clone(), attributes("true", "false")),
        ]);
        elbv2.listeners = each([
            (
                good.arn.clone(),
                vec![
                    sdk_listener("good-http", ProtocolEnum::Http, None, redirect()),
                    sdk_listener(
                        "good-https",
                        ProtocolEnum::Https,
                        Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                        forward(),
                    ),
                ],
            ),
            (
                weak.arn.clone(),
                vec![
                    sdk_listener(
                        "weak-tls",
                        ProtocolEnum::Tls,
                        Some("ELBSecurityPolicy-2016-08"),
                        forward(),
                    ),
                    sdk_listener("weak-tcp", ProtocolEnum::Tcp, None, forward()),
                ],
            ),
            (
                leaky.arn.clone(),
                vec![sdk_listener(
                    "leaky-http",
                    ProtocolEnum::Http,
                    None,
                    redirect(),
                )],
            ),
            (gateway.arn.clone(), vec![]),
        ]);
        elbv2.listener_rules = each([("good-http", vec![]), ("leaky-http", vec![forwarding_rule])]);
        elbv2.ssl_policies = ok(policies.to_vec());
        elbv2.load_balancers = ok(vec![good, weak, leaky, gateway]);
        data.region_mut(REGION).elb.load_balancers = ok(vec![]);
        data
    }

    const ORDER: [&str; 4] = ["/good/1", "/weak/1", "/leaky/1", "/gw/1"];

    /// What DescribeLoadBalancers says of the load balancer itself comes through.
    #[test]
    fn load_balancer_attributes_are_carried() {
        use aws_sdk_elasticloadbalancingv2::primitives::DateTime;
        use aws_sdk_elasticloadbalancingv2::types::{
            IpAddressType, LoadBalancerSchemeEnum, LoadBalancerState, LoadBalancerStateEnum,
        };

        let lb = load_balancer(
            &SdkLoadBalancer::builder()
                .load_balancer_arn(
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
                )
                .load_balancer_name("web")
                .r#type(LoadBalancerTypeEnum::Application)
                .scheme(LoadBalancerSchemeEnum::InternetFacing)
                .vpc_id("vpc-0a1b2c3d")
                .ip_address_type(IpAddressType::Dualstack)
                .dns_name("web-1.us-east-1.elb.amazonaws.com")
                .state(
                    LoadBalancerState::builder()
                        .code(LoadBalancerStateEnum::Active)
                        .build(),
                )
                .created_time(DateTime::from_secs(1_700_000_000))
                .security_groups("sg-0123")
                .security_groups("sg-4567")
                .build(),
        );
        assert_eq!(
            (lb.kind.as_str(), lb.scheme.as_str()),
            (
                LoadBalancerTypeEnum::Application.as_str(),
                LoadBalancerSchemeEnum::InternetFacing.as_str()
            )
        );
        assert_eq!(
            (
                lb.vpc_id.as_deref(),
                lb.ip_address_type.as_deref(),
                lb.dns_name.as_deref(),
                lb.state.as_deref(),
            ),
            (
                Some("vpc-0a1b2c3d"),
                Some(IpAddressType::Dualstack.as_str()),
                Some("web-1.us-east-1.elb.amazonaws.com"),
                Some(LoadBalancerStateEnum::Active.as_str())
            )
        );
        assert_eq!(lb.created.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(lb.security_groups, ["sg-0123", "sg-4567"]);
        let bare = load_balancer(&SdkLoadBalancer::builder().build());
        assert_eq!((bare.vpc_id, bare.created), (None, None));
        assert!(bare.security_groups.is_empty());
    }

    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let observations = run(account(), true, multi_az).await;
        assert_eq!(statuses_of(&observations, &ORDER), [Pass, Fail, Pass, Pass]);
        let observations = run(account(), true, deletion_protection).await;
        // The leaky ALB's attributes are not in the piece: unverified, not assumed.
        assert_eq!(
            statuses_of(&observations, &ORDER),
            [Pass, Fail, Error, Pass]
        );
        let observations = run(account(), true, access_logs).await;
        assert_eq!(
            statuses_of(&observations, &ORDER),
            [Pass, Fail, Error, NotApplicable]
        );
        let observations = run(account(), true, https_only).await;
        assert_eq!(
            statuses_of(&observations, &ORDER),
            [Pass, Fail, Fail, NotApplicable]
        );
        let weak = observations
            .iter()
            .find(|o| o.resource_id.ends_with("/weak/1"))
            .unwrap();
        assert!(
            weak.message.contains("accepts TLSv1, TLSv1.1"),
            "{}",
            weak.message
        );
    }

    /// NLB access logs record TLS connections only: an NLB with TCP listeners alone is
    /// N/A, one whose listeners cannot be read is ERROR; the NLB with a TLS listener
    /// ("weak") is still judged.
    #[tokio::test]
    async fn network_load_balancers_without_tls_have_no_access_logs() {
        let with_plain_nlb = |listeners_readable: bool| {
            let mut data = account();
            let elbv2 = &mut data.region_mut(REGION).elbv2;
            let plain = sdk_load_balancer("plain", LoadBalancerTypeEnum::Network, &["a", "b"]);
            let off = [("access_logs.s3.enabled".to_string(), "false".to_string())];
            let mut attributes = elbv2.attributes.get().cloned().unwrap();
            if let crate::fetched::Fetched::Ok(map) = &mut attributes {
                map.insert(plain.arn.clone(), crate::fetched::Fetched::Ok(off.into()));
            }
            elbv2.attributes = crate::inventory::Memo::ready(attributes);
            let tcp = sdk_listener(
                "plain-tcp",
                ProtocolEnum::Tcp,
                None,
                sdk_action(ActionTypeEnum::Forward, None),
            );
            elbv2.listeners = if listeners_readable {
                each([(plain.arn.clone(), vec![tcp])])
            } else {
                failed("elbv2", "DescribeListeners")
            };
            let mut lbs = elbv2.load_balancers.get().cloned().unwrap();
            if let crate::fetched::Fetched::Ok(list) = &mut lbs {
                list.push(plain);
            }
            elbv2.load_balancers = crate::inventory::Memo::ready(lbs);
            data
        };
        let observations = run(with_plain_nlb(true), true, access_logs).await;
        assert_eq!(
            statuses_of(&observations, &["/plain/1", "/gw/1"]),
            [NotApplicable, NotApplicable]
        );
        let plain = observations
            .iter()
            .find(|o| o.resource_id.ends_with("/plain/1"));
        assert!(
            plain.is_some_and(|o| o.message.contains("no TLS listener (TCP:443)")),
            "{observations:#?}"
        );
        let observations = run(with_plain_nlb(false), true, access_logs).await;
        assert_eq!(
            statuses_of(&observations, &["/good/1", "/weak/1", "/plain/1"]),
            [Pass, Error, Error],
            "an NLB whose listeners are unknown cannot be judged; an ALB needs none"
        );
    }

    #[tokio::test]
    async fn an_unreadable_policy_or_rule_is_error_and_no_load_balancer_is_na() {
        let mut unreadable = account();
        unreadable.region_mut(REGION).elbv2.ssl_policies = failed("elbv2", "DescribeSSLPolicies");
        let observations = run(unreadable, true, https_only).await;
        assert_eq!(statuses_of(&observations, &ORDER[..2]), [Error, Error]);

        let mut none = data();
        none.region_mut(REGION).elbv2.load_balancers = ok(vec![]);
        none.region_mut(REGION).elb.load_balancers = ok(vec![]);
        let observations = run(none, true, multi_az).await;
        assert_eq!(observations[0].status, NotApplicable);
        let mut denied = data();
        denied.region_mut(REGION).elbv2.load_balancers = failed("elbv2", "DescribeLoadBalancers");
        assert_eq!(run(denied, true, multi_az).await[0].status, Error);
    }
}
