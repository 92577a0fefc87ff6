use aws_sdk_autoscaling::types::AutoScalingGroup as SdkGroup;
use aws_sdk_autoscaling::Client;

use super::AwsReader;
use crate::inventory::memo::Fetched;
use crate::model::autoscaling::AutoScalingGroup;

const SERVICE: &str = "autoscaling";

impl AwsReader {
    pub(crate) async fn autoscaling_groups(&self, region: &str) -> Fetched<Vec<AutoScalingGroup>> {
        let client = Client::new(&self.region_config(region));
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
