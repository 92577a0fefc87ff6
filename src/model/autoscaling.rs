use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An EC2 Auto Scaling group (DescribeAutoScalingGroups).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutoScalingGroup {
    /// AutoScalingGroupName: the group's name.
    pub name: String,
    /// AutoScalingGroupARN: the group's ARN.
    pub arn: String,
    /// AvailabilityZones: the zones the group launches instances in.
    pub availability_zones: Vec<String>,
    /// HealthCheckType: comma-separated health check types, `EC2` (always on), `ELB`,
    /// `VPC_LATTICE`, `EBS`.
    pub health_check_type: String,
    /// Classic Load Balancers, target groups and VPC Lattice target groups the group
    /// registers its instances with (`LoadBalancerNames`, `TargetGroupARNs`,
    /// `TrafficSources`), each as `type:identifier`.
    pub traffic_sources: Vec<String>,
    /// MinSize: the fewest instances the group keeps.
    #[serde(default)]
    pub min_size: Option<i32>,
    /// MaxSize: the most instances the group launches.
    #[serde(default)]
    pub max_size: Option<i32>,
    /// DesiredCapacity: the instances the group aims to run now.
    #[serde(default)]
    pub desired_capacity: Option<i32>,
    /// LaunchTemplate: the launch template the group launches from, if it names one.
    #[serde(default)]
    pub launch_template: Option<LaunchTemplateRef>,
    /// MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification: the launch
    /// template of a mixed instances policy.
    #[serde(default)]
    pub mixed_instances_launch_template: Option<LaunchTemplateRef>,
    /// LaunchConfigurationName: the (legacy) launch configuration, if the group uses one.
    #[serde(default)]
    pub launch_configuration_name: Option<String>,
    /// HealthCheckGracePeriod: seconds before a new instance's health checks count.
    #[serde(default)]
    pub health_check_grace_period_secs: Option<i32>,
    /// VPCZoneIdentifier: the subnets the group launches instances in.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Tags: the group's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A launch template as a group names it (LaunchTemplateSpecification).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LaunchTemplateRef {
    /// LaunchTemplateId: e.g. `lt-0123456789abcdef0`.
    #[serde(default)]
    pub id: Option<String>,
    /// LaunchTemplateName: the template's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Version: a version number, `$Latest` or `$Default`.
    #[serde(default)]
    pub version: Option<String>,
}

impl LaunchTemplateRef {
    /// How the group names the template: its id, else its name (`None`: neither).
    pub fn key(&self) -> Option<&str> {
        self.id.as_deref().or(self.name.as_deref())
    }

    /// The version the group launches: `$Default` where it names none, as AWS documents.
    pub fn version_or_default(&self) -> &str {
        self.version.as_deref().unwrap_or("$Default")
    }
}

impl AutoScalingGroup {
    /// The launch templates the group launches from: its own, and its mixed instances
    /// policy's.
    pub fn launch_templates(&self) -> impl Iterator<Item = &LaunchTemplateRef> {
        self.launch_template
            .iter()
            .chain(&self.mixed_instances_launch_template)
    }

    fn health_checks(&self) -> impl Iterator<Item = &str> {
        self.health_check_type.split(',').map(str::trim)
    }

    /// The health check the group's traffic sources need: `VPC_LATTICE` when VPC Lattice
    /// sends it traffic, else `ELB`; `None` when nothing sends it traffic.
    pub fn needed_health_check(&self) -> Option<&'static str> {
        if self.traffic_sources.is_empty() {
            None
        } else if self
            .traffic_sources
            .iter()
            .all(|s| s.starts_with("vpc-lattice:"))
        {
            Some("VPC_LATTICE")
        } else {
            Some("ELB")
        }
    }

    pub fn has_health_check(&self, kind: &str) -> bool {
        self.health_checks().any(|h| h == kind)
    }
}
