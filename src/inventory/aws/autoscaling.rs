use aws_sdk_autoscaling::types::AutoScalingGroup as SdkGroup;
use aws_sdk_autoscaling::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::autoscaling::AutoScalingGroup;

const SERVICE: &str = "autoscaling";

impl AwsReader {
    pub(crate) async fn autoscaling_groups(&self, region: &str) -> Fetched<Vec<AutoScalingGroup>> {
        let client = self.client(region, Client::new);
        let items = client
            .describe_auto_scaling_groups()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeAutoScalingGroups", region, items, group)
            .await
    }
}

fn group(group: &SdkGroup) -> AutoScalingGroup {
    let mut traffic_sources: Vec<String> = group
        .load_balancer_names()
        .iter()
        .map(|name| format!("elb:{name}"))
        .chain(
            group
                .target_group_arns()
                .iter()
                .map(|arn| format!("elbv2:{arn}")),
        )
        .chain(group.traffic_sources().iter().map(|source| {
            format!(
                "{}:{}",
                source.r#type().unwrap_or("elbv2"),
                source.identifier().unwrap_or_default()
            )
        }))
        .collect();
    // TrafficSources repeats what LoadBalancerNames and TargetGroupARNs list.
    traffic_sources.sort();
    traffic_sources.dedup();
    AutoScalingGroup {
        name: group
            .auto_scaling_group_name()
            .unwrap_or_default()
            .to_string(),
        arn: group
            .auto_scaling_group_arn()
            .unwrap_or_default()
            .to_string(),
        availability_zones: group.availability_zones().to_vec(),
        health_check_type: group.health_check_type().unwrap_or("EC2").to_string(),
        traffic_sources,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::TrafficSourceIdentifier;

    use super::*;
    use crate::checks::autoscaling::{elb_health_check, multi_az};
    use crate::checks::testing::{data, failed, ok, run, statuses, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};

    fn sdk_group(
        name: &str,
        zones: &[&str],
        health: &str,
    ) -> aws_sdk_autoscaling::types::builders::AutoScalingGroupBuilder {
        SdkGroup::builder()
            .auto_scaling_group_name(name)
            .auto_scaling_group_arn(format!("arn:aws:autoscaling:{REGION}:123456789012:autoScalingGroup:1:autoScalingGroupName/{name}"))
            .set_availability_zones(Some(zones.iter().map(|z| z.to_string()).collect()))
            .health_check_type(health)
    }

    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let target_group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
        let groups = || {
            vec![
                // Listed both ways, as AWS does: one traffic source, not two.
                group(
                    &sdk_group("web", &["a", "b"], "ELB")
                        .target_group_arns(target_group)
                        .traffic_sources(
                            TrafficSourceIdentifier::builder()
                                .identifier(target_group)
                                .r#type("elbv2")
                                .build(),
                        )
                        .build(),
                ),
                group(
                    &sdk_group("worker", &["a"], "EC2")
                        .load_balancer_names("classic")
                        .build(),
                ),
                group(&sdk_group("batch", &["a", "b"], "EC2").build()),
                group(
                    &sdk_group("lattice", &["a", "b"], "EC2,VPC_LATTICE")
                        .traffic_sources(
                            TrafficSourceIdentifier::builder()
                                .identifier("tg-lattice")
                                .r#type("vpc-lattice")
                                .build(),
                        )
                        .build(),
                ),
            ]
        };
        assert_eq!(
            groups()[0].traffic_sources,
            [format!("elbv2:{target_group}")]
        );
        let account = || {
            let mut data = data();
            data.region_mut(REGION).autoscaling.groups = ok(groups());
            data
        };
        let order = ["/web", "/worker", "/batch", "/lattice"];
        let observations = run(account(), true, multi_az).await;
        assert_eq!(statuses_of(&observations, &order), [Pass, Fail, Pass, Pass]);
        let observations = run(account(), true, elb_health_check).await;
        assert_eq!(
            statuses_of(&observations, &order),
            [Pass, Fail, NotApplicable, Pass]
        );

        let mut denied = data();
        denied.region_mut(REGION).autoscaling.groups =
            failed("autoscaling", "DescribeAutoScalingGroups");
        assert_eq!(statuses(&run(denied, true, multi_az).await), [Error]);
    }
}
