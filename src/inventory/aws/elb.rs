use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancing::operation::describe_load_balancer_attributes::DescribeLoadBalancerAttributesOutput;
use aws_sdk_elasticloadbalancing::types::{ListenerDescription, LoadBalancerDescription};
use aws_sdk_elasticloadbalancing::Client;

use super::{instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::elb::{
    ClassicAccessLog, ClassicAttributes, ClassicListener, ClassicLoadBalancer,
};

const SERVICE: &str = "elb";

impl AwsReader {
    fn elb(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// The region's Classic Load Balancers, their ARNs built in `partition` for `account`.
    pub(crate) async fn elb_load_balancers(
        &self,
        region: &str,
        partition: &str,
        account: &str,
    ) -> Fetched<Vec<ClassicLoadBalancer>> {
        let client = self.elb(region);
        let items = client
            .describe_load_balancers()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeLoadBalancers", region, items, |lb| {
            load_balancer(lb, partition, region, account)
        })
        .await
    }

    pub(crate) async fn elb_attributes(
        &self,
        region: &str,
        names: Vec<String>,
    ) -> BTreeMap<String, Fetched<ClassicAttributes>> {
        let client = self.elb(region);
        let send = |name: &str| {
            client
                .describe_load_balancer_attributes()
                .load_balancer_name(name)
                .send()
        };
        self.each_answer(
            SERVICE,
            "DescribeLoadBalancerAttributes",
            names,
            send,
            |out| attributes(&out),
        )
        .await
    }
}

fn load_balancer(
    lb: &LoadBalancerDescription,
    partition: &str,
    region: &str,
    account: &str,
) -> ClassicLoadBalancer {
    let name = lb.load_balancer_name().unwrap_or_default();
    ClassicLoadBalancer {
        arn: format!("arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/{name}"),
        name: name.to_string(),
        dns_name: lb.dns_name().map(str::to_string),
        scheme: lb.scheme().map(str::to_string),
        availability_zones: lb.availability_zones().to_vec(),
        subnets: lb.subnets().to_vec(),
        vpc_id: lb.vpc_id().map(str::to_string),
        listeners: lb
            .listener_descriptions()
            .iter()
            .filter_map(listener)
            .collect(),
        security_groups: lb.security_groups().to_vec(),
        created: lb.created_time().and_then(instant),
    }
}

/// A listener description without its listener describes nothing to judge.
fn listener(description: &ListenerDescription) -> Option<ClassicListener> {
    let listener = description.listener()?;
    Some(ClassicListener {
        protocol: listener.protocol().to_string(),
        port: listener.load_balancer_port(),
        instance_protocol: listener.instance_protocol().map(str::to_string),
        instance_port: Some(listener.instance_port()),
        ssl_certificate_id: listener.ssl_certificate_id().map(str::to_string),
        policy_names: description.policy_names().to_vec(),
    })
}

fn attributes(out: &DescribeLoadBalancerAttributesOutput) -> ClassicAttributes {
    let Some(found) = out.load_balancer_attributes() else {
        return ClassicAttributes::default();
    };
    ClassicAttributes {
        access_log: found.access_log().map(|log| ClassicAccessLog {
            enabled: log.enabled(),
            bucket: log.s3_bucket_name().map(str::to_string),
            prefix: log.s3_bucket_prefix().map(str::to_string),
            emit_interval: log.emit_interval(),
        }),
        cross_zone: found.cross_zone_load_balancing().map(|c| c.enabled()),
        connection_draining: found.connection_draining().map(|d| d.enabled()),
        connection_draining_timeout: found.connection_draining().and_then(|d| d.timeout()),
        idle_timeout: found.connection_settings().map(|s| s.idle_timeout()),
        additional: found
            .additional_attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_string(), a.value()?.to_string())))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_elasticloadbalancing::primitives::DateTime;
    use aws_sdk_elasticloadbalancing::types::{
        AccessLog, AdditionalAttribute, ConnectionDraining, ConnectionSettings,
        CrossZoneLoadBalancing, Listener, LoadBalancerAttributes,
    };

    use super::*;
    use crate::checks::elbv2::{access_logs, deletion_protection, https_only, multi_az};
    use crate::checks::testing::{
        data, each, failed, ok, run, statuses, statuses_of, ACCOUNT, REGION,
    };
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
    use crate::inventory::InventoryData;
    use crate::model::elb::protocol;

    /// A listener as DescribeLoadBalancers describes it (Protocol is a plain string in
    /// the API, so the model's constants stand in for an SDK enum).
    fn sdk_listener(front: &str, port: i32, certificate: Option<&str>) -> ListenerDescription {
        ListenerDescription::builder()
            .listener(
                Listener::builder()
                    .protocol(front)
                    .load_balancer_port(port)
                    .instance_protocol(front)
                    .instance_port(8080)
                    .set_ssl_certificate_id(certificate.map(str::to_string))
                    .build()
                    .unwrap(),
            )
            .policy_names("ELBSecurityPolicy-TLS-1-2-2017-01")
            .build()
    }

    fn sdk_load_balancer(
        name: &str,
        zones: &[&str],
        listeners: Vec<ListenerDescription>,
    ) -> ClassicLoadBalancer {
        let lb = LoadBalancerDescription::builder()
            .load_balancer_name(name)
            .set_availability_zones(Some(zones.iter().map(|z| z.to_string()).collect()))
            .set_listener_descriptions(Some(listeners))
            .build();
        load_balancer(&lb, "aws", REGION, ACCOUNT)
    }

    fn sdk_attributes(access_log: Option<(bool, Option<&str>)>) -> ClassicAttributes {
        let mut found = LoadBalancerAttributes::builder()
            .cross_zone_load_balancing(CrossZoneLoadBalancing::builder().enabled(true).build());
        if let Some((enabled, bucket)) = access_log {
            found = found.access_log(
                AccessLog::builder()
                    .enabled(enabled)
                    .set_s3_bucket_name(bucket.map(str::to_string))
                    .build(),
            );
        }
        attributes(
            &DescribeLoadBalancerAttributesOutput::builder()
                .load_balancer_attributes(found.build())
                .build(),
        )
    }

    /// What DescribeLoadBalancers and DescribeLoadBalancerAttributes say comes through,
    /// with the ARN built from the name.
    #[test]
    fn sdk_values_are_carried() {
        let lb = load_balancer(
            &LoadBalancerDescription::builder()
                .load_balancer_name("legacy")
                .dns_name("legacy-1.us-east-1.elb.amazonaws.com")
                .scheme("internet-facing")
                .availability_zones("us-east-1a")
                .subnets("subnet-0a")
                .vpc_id("vpc-0a1b")
                .security_groups("sg-0123")
                .created_time(DateTime::from_secs(1_700_000_000))
                .listener_descriptions(sdk_listener(
                    protocol::HTTPS,
                    443,
                    Some("arn:aws:acm:us-east-1:123456789012:certificate/1"),
                ))
                // A description without its listener has nothing to judge.
                .listener_descriptions(ListenerDescription::builder().build())
                .build(),
            "aws-us-gov",
            "us-gov-west-1",
            ACCOUNT,
        );
        assert_eq!(
            lb.arn,
            "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/legacy"
        );
        assert_eq!(
            (
                lb.dns_name.as_deref(),
                lb.scheme.as_deref(),
                lb.vpc_id.as_deref()
            ),
            (
                Some("legacy-1.us-east-1.elb.amazonaws.com"),
                Some("internet-facing"),
                Some("vpc-0a1b")
            )
        );
        assert_eq!(
            (lb.availability_zones, lb.subnets, lb.security_groups),
            (
                vec!["us-east-1a".to_string()],
                vec!["subnet-0a".to_string()],
                vec!["sg-0123".to_string()]
            )
        );
        assert_eq!(lb.created.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(
            lb.listeners,
            [ClassicListener {
                protocol: protocol::HTTPS.to_string(),
                port: 443,
                instance_protocol: Some(protocol::HTTPS.to_string()),
                instance_port: Some(8080),
                ssl_certificate_id: Some("arn:aws:acm:us-east-1:123456789012:certificate/1".into()),
                policy_names: vec!["ELBSecurityPolicy-TLS-1-2-2017-01".into()],
            }]
        );

        let found = attributes(
            &DescribeLoadBalancerAttributesOutput::builder()
                .load_balancer_attributes(
                    LoadBalancerAttributes::builder()
                        .access_log(
                            AccessLog::builder()
                                .enabled(true)
                                .s3_bucket_name("logs")
                                .s3_bucket_prefix("clb")
                                .emit_interval(5)
                                .build(),
                        )
                        .cross_zone_load_balancing(
                            CrossZoneLoadBalancing::builder().enabled(false).build(),
                        )
                        .connection_draining(
                            ConnectionDraining::builder()
                                .enabled(true)
                                .timeout(300)
                                .build(),
                        )
                        .connection_settings(
                            ConnectionSettings::builder()
                                .idle_timeout(60)
                                .build()
                                .unwrap(),
                        )
                        .additional_attributes(
                            AdditionalAttribute::builder()
                                .key("elb.http.desyncmitigationmode")
                                .value("defensive")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        );
        assert_eq!(
            found.access_log,
            Some(ClassicAccessLog {
                enabled: true,
                bucket: Some("logs".into()),
                prefix: Some("clb".into()),
                emit_interval: Some(5),
            })
        );
        assert_eq!(
            (
                found.cross_zone,
                found.connection_draining,
                found.connection_draining_timeout,
                found.idle_timeout
            ),
            (Some(false), Some(true), Some(300), Some(60))
        );
        assert_eq!(
            found.additional.get("elb.http.desyncmitigationmode"),
            Some(&"defensive".to_string())
        );
        let empty = attributes(&DescribeLoadBalancerAttributesOutput::builder().build());
        assert_eq!(empty, ClassicAttributes::default());
    }

    /// A Classic Load Balancer in one zone serving HTTP without logs, one in two zones
    /// serving HTTPS and SSL with logs, one serving TCP whose attributes were not read,
    /// one without listeners whose answer had no AccessLog.
    fn account() -> InventoryData {
        let certificate = Some("arn:aws:acm:us-east-1:123456789012:certificate/1");
        let single = sdk_load_balancer(
            "single",
            &["us-east-1a"],
            vec![sdk_listener(protocol::HTTP, 80, None)],
        );
        let good = sdk_load_balancer(
            "good",
            &["us-east-1a", "us-east-1b"],
            vec![
                sdk_listener(protocol::HTTPS, 443, certificate),
                sdk_listener(protocol::SSL, 8443, certificate),
            ],
        );
        let tcp = sdk_load_balancer(
            "tcp",
            &["us-east-1a", "us-east-1b"],
            vec![sdk_listener(protocol::TCP, 25, None)],
        );
        let bare = sdk_load_balancer("bare", &["us-east-1a", "us-east-1b"], vec![]);
        let mut data = data();
        let region = data.region_mut(REGION);
        region.elbv2.load_balancers = ok(vec![]);
        region.elb.attributes = each([
            ("single", sdk_attributes(Some((false, None)))),
            ("good", sdk_attributes(Some((true, Some("logs"))))),
            ("bare", sdk_attributes(None)),
        ]);
        region.elb.load_balancers = ok(vec![single, good, tcp, bare]);
        data
    }

    const ORDER: [&str; 4] = [
        "loadbalancer/single",
        "loadbalancer/good",
        "loadbalancer/tcp",
        "loadbalancer/bare",
    ];

    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let observations = run(account(), true, multi_az).await;
        assert_eq!(statuses_of(&observations, &ORDER), [Fail, Pass, Pass, Pass]);
        assert!(
            observations[0]
                .message
                .contains("Classic Load Balancer single has nodes in 1 Availability Zone(s)"),
            "{}",
            observations[0].message
        );

        let observations = run(account(), true, deletion_protection).await;
        assert_eq!(statuses(&observations), [NotApplicable; 4]);
        assert!(
            observations[0]
                .message
                .contains("Classic Load Balancers have none"),
            "{}",
            observations[0].message
        );

        // tcp's attributes are not in the piece: unverified, not assumed; bare's answer
        // had no AccessLog: cannot be judged.
        let observations = run(account(), true, access_logs).await;
        assert_eq!(
            statuses_of(&observations, &ORDER),
            [Fail, Pass, Error, Error]
        );
        assert!(
            observations[1].message.contains("on (bucket logs)"),
            "{}",
            observations[1].message
        );

        let observations = run(account(), true, https_only).await;
        assert_eq!(
            statuses_of(&observations, &ORDER),
            [Fail, Pass, Fail, NotApplicable]
        );
        let messages: Vec<&str> = observations.iter().map(|o| o.message.as_str()).collect();
        assert!(
            messages[0].contains("HTTP:80 not HTTPS or SSL"),
            "{messages:?}"
        );
        assert!(messages[1].contains("HTTPS:443, SSL:8443"), "{messages:?}");
        assert!(
            messages[2].contains("TCP:25 not HTTPS or SSL"),
            "{messages:?}"
        );
    }

    /// Each API's listing fails alone: a refused Classic listing is one ERROR beside the
    /// v2 load balancers' verdicts; N/A only when both listed nothing.
    #[tokio::test]
    async fn a_failed_listing_costs_only_its_own_load_balancers() {
        let mut refused = account();
        let region = refused.region_mut(REGION);
        region.elb.load_balancers = failed("elb", "DescribeLoadBalancers");
        let mut v2 = crate::model::elbv2::LoadBalancer {
            arn: format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/1"),
            name: "web".into(),
            kind: "application".into(),
            scheme: "internal".into(),
            availability_zones: vec!["us-east-1a".into(), "us-east-1b".into()],
            vpc_id: None,
            ip_address_type: None,
            dns_name: None,
            state: None,
            created: None,
            security_groups: vec![],
        };
        region.elbv2.load_balancers = ok(vec![v2.clone()]);
        let observations = run(refused, true, multi_az).await;
        assert_eq!(statuses(&observations), [Pass, Error]);
        assert!(
            observations[1].message.contains("DescribeLoadBalancers"),
            "{}",
            observations[1].message
        );

        let mut refused_v2 = account();
        refused_v2.region_mut(REGION).elbv2.load_balancers =
            failed("elbv2", "DescribeLoadBalancers");
        let observations = run(refused_v2, true, multi_az).await;
        assert_eq!(statuses(&observations), [Error, Fail, Pass, Pass, Pass]);

        let mut none = data();
        let region = none.region_mut(REGION);
        region.elb.load_balancers = ok(vec![]);
        region.elbv2.load_balancers = ok(vec![]);
        let observations = run(none, true, multi_az).await;
        assert_eq!(statuses(&observations), [NotApplicable]);
        assert!(
            observations[0].message.contains("Classic Load Balancer"),
            "{}",
            observations[0].message
        );
        v2.availability_zones.pop();
        let mut only_v2 = data();
        let region = only_v2.region_mut(REGION);
        region.elb.load_balancers = ok(vec![]);
        region.elbv2.load_balancers = ok(vec![v2]);
        assert_eq!(statuses(&run(only_v2, true, multi_az).await), [Fail]);
    }
}
