//! ECS's pieces, per region: clusters, each cluster's services (one failing cluster
//! costs only its services), and Application Auto Scaling's targets and policies for
//! ECS services.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::ecs::{EcsCluster, EcsService, ScalableTarget, ScalingPolicy};

pieces! {
    pub struct EcsRegional {
        clusters: Memo<Vec<EcsCluster>>,
        services: Memo<PerResource<Vec<EcsService>>>,
        scalable_targets: Memo<Vec<ScalableTarget>>,
        scaling_policies: Memo<Vec<ScalingPolicy>>,
    }
}

accessors! {
    iam "ecs";
    regional ecs_clusters: Vec<EcsCluster> = ecs.clusters, "ListClusters" "DescribeClusters",
        |_inventory, aws, region| aws.ecs_clusters(region);
    /// Each cluster's services, keyed by the cluster's ARN.
    regional ecs_services: PerResource<Vec<EcsService>> = ecs.services, "ListServices" "DescribeServices",
        each ecs_clusters(|clusters: &Vec<EcsCluster>| clusters.iter().map(|c| c.arn.clone()).collect()) |aws, region, arns| aws.ecs_services(region, arns);
    regional ecs_scalable_targets: Vec<ScalableTarget> = ecs.scalable_targets, "DescribeScalableTargets" grants ["application-autoscaling:DescribeScalableTargets"],
        |_inventory, aws, region| aws.ecs_scalable_targets(region);
    regional ecs_scaling_policies: Vec<ScalingPolicy> = ecs.scaling_policies, "DescribeScalingPolicies" grants ["application-autoscaling:DescribeScalingPolicies"],
        |_inventory, aws, region| aws.ecs_scaling_policies(region);
}
