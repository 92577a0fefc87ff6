use std::collections::BTreeMap;

use aws_sdk_autoscaling::types::{
    AutoScalingGroup as SdkGroup, LaunchTemplateSpecification, TagDescription,
};
use aws_sdk_autoscaling::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::autoscaling::{AutoScalingGroup, LaunchTemplateRef};

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
        min_size: group.min_size(),
        max_size: group.max_size(),
        desired_capacity: group.desired_capacity(),
        launch_template: group.launch_template().map(launch_template),
        mixed_instances_launch_template: group
            .mixed_instances_policy()
            .and_then(|p| p.launch_template())
            .and_then(|t| t.launch_template_specification())
            .map(launch_template),
        launch_configuration_name: group.launch_configuration_name().map(str::to_string),
        health_check_grace_period_secs: group.health_check_grace_period(),
        // VPCZoneIdentifier is one string: the subnet ids separated by commas.
        subnet_ids: group
            .vpc_zone_identifier()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect(),
        tags: tags(group.tags()),
    }
}

fn launch_template(spec: &LaunchTemplateSpecification) -> LaunchTemplateRef {
    LaunchTemplateRef {
        id: spec.launch_template_id().map(str::to_string),
        name: spec.launch_template_name().map(str::to_string),
        version: spec.version().map(str::to_string),
    }
}

fn tags(list: &[TagDescription]) -> BTreeMap<String, String> {
    super::tag_map(list.iter().map(|t| (t.key(), t.value())))
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

    /// Sizes, launch templates, the grace period, subnets and tags come through.
    #[test]
    fn group_attributes_and_tags_are_carried() {
        use aws_sdk_autoscaling::types::{LaunchTemplate, MixedInstancesPolicy};

        let template = |id: &str, version: &str| {
            LaunchTemplateSpecification::builder()
                .launch_template_id(id)
                .launch_template_name(format!("{id}-name"))
                .version(version)
                .build()
        };
        let found = group(
            &sdk_group("web", &["a", "b"], "ELB")
                .min_size(2)
                .max_size(6)
                .desired_capacity(3)
                .launch_template(template("lt-web", "$Latest"))
                .health_check_grace_period(300)
                .vpc_zone_identifier("subnet-a, subnet-b")
                .tags(TagDescription::builder().key("team").value("web").build())
                .build(),
        );
        assert_eq!(
            (found.min_size, found.max_size, found.desired_capacity),
            (Some(2), Some(6), Some(3))
        );
        let launch = found.launch_template.as_ref().unwrap();
        assert_eq!(
            (
                launch.id.as_deref(),
                launch.name.as_deref(),
                launch.version.as_deref()
            ),
            (Some("lt-web"), Some("lt-web-name"), Some("$Latest"))
        );
        assert_eq!(found.health_check_grace_period_secs, Some(300));
        assert_eq!(found.subnet_ids, ["subnet-a", "subnet-b"]);
        assert_eq!(found.tags.get("team").map(String::as_str), Some("web"));
        assert_eq!(found.launch_configuration_name, None);

        let mixed = group(
            &sdk_group("batch", &["a"], "EC2")
                .mixed_instances_policy(
                    MixedInstancesPolicy::builder()
                        .launch_template(
                            LaunchTemplate::builder()
                                .launch_template_specification(template("lt-batch", "4"))
                                .build(),
                        )
                        .build(),
                )
                .build(),
        );
        assert_eq!(mixed.launch_template, None);
        assert_eq!(
            mixed
                .mixed_instances_launch_template
                .and_then(|t| t.version),
            Some("4".to_string())
        );
        assert!(mixed.subnet_ids.is_empty() && mixed.tags.is_empty());

        let legacy = group(
            &sdk_group("legacy", &["a"], "EC2")
                .launch_configuration_name("legacy-lc")
                .build(),
        );
        assert_eq!(
            legacy.launch_configuration_name.as_deref(),
            Some("legacy-lc")
        );
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
