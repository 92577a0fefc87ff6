use serde::{Deserialize, Serialize};

/// An EC2 Auto Scaling group (DescribeAutoScalingGroups).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub availability_zones: Vec<String>,
    /// Comma-separated health check types: `EC2` (always on), `ELB`, `VPC_LATTICE`, `EBS`.
    pub health_check_type: String,
    /// Classic Load Balancers, target groups and VPC Lattice target groups the group
    /// registers its instances with (`LoadBalancerNames`, `TargetGroupARNs`,
    /// `TrafficSources`), each as `type:identifier`.
    pub traffic_sources: Vec<String>,
}

impl AutoScalingGroup {
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
