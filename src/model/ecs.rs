use serde::{Deserialize, Serialize};

/// The dimension an ECS service's task count scales on.
pub const DESIRED_COUNT: &str = "ecs:service:DesiredCount";

/// An ECS cluster (ListClusters, then DescribeClusters with its settings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsCluster {
    /// `clusterArn`.
    pub arn: String,
    /// `clusterName`.
    pub name: String,
    /// The `containerInsights` setting: `enabled`, `enhanced` or `disabled`; `None` if unset.
    pub container_insights: Option<String>,
}

/// An ECS service of a cluster (ListServices, then DescribeServices).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsService {
    /// `serviceArn`.
    pub arn: String,
    /// `serviceName`, unique within its cluster.
    pub name: String,
    /// `clusterArn`: the cluster the service runs in.
    pub cluster_arn: String,
    /// `ECS`, `CODE_DEPLOY` or `EXTERNAL`; `None` means ECS.
    pub deployment_controller: Option<String>,
    /// `None` when ECS reported no `deploymentCircuitBreaker` (or no deployment
    /// configuration at all).
    pub circuit_breaker: Option<CircuitBreaker>,
    /// `desiredCount`: how many tasks the service keeps running (for a `DAEMON` service, what
    /// ECS computed from the container instances).
    pub desired_count: i32,
    /// `schedulingStrategy = DAEMON`: one task on each container instance, placed by
    /// ECS; Service Auto Scaling does not apply.
    #[serde(default)]
    pub daemon: bool,
}

impl EcsService {
    pub fn cluster_name(&self) -> &str {
        self.cluster_arn
            .rsplit('/')
            .next()
            .unwrap_or(&self.cluster_arn)
    }

    /// Application Auto Scaling's resource id for the service.
    pub fn scaling_resource_id(&self) -> String {
        format!("service/{}/{}", self.cluster_name(), self.name)
    }
}

/// `deploymentConfiguration.deploymentCircuitBreaker`: whether ECS stops a deployment
/// whose tasks fail to reach a steady state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CircuitBreaker {
    /// `enable`: a failing deployment is stopped (marked `FAILED`).
    pub enable: bool,
    /// `rollback`: a failed deployment is rolled back to the last completed one.
    pub rollback: bool,
}

/// An Application Auto Scaling target in the `ecs` namespace (DescribeScalableTargets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScalableTarget {
    /// `service/<cluster>/<service>`.
    pub resource_id: String,
    /// `ScalableDimension`: `ecs:service:DesiredCount` for a service's task count.
    pub dimension: String,
    /// `MinCapacity`: the fewest tasks scaling may leave.
    pub min_capacity: i32,
    /// `MaxCapacity`: the most tasks scaling may start.
    pub max_capacity: i32,
}

/// An Application Auto Scaling policy in the `ecs` namespace (DescribeScalingPolicies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScalingPolicy {
    /// `PolicyName`.
    pub name: String,
    /// `ResourceId`: `service/<cluster>/<service>`, the service it scales.
    pub resource_id: String,
    /// `ScalableDimension`: `ecs:service:DesiredCount` for a service's task count.
    pub dimension: String,
    /// `TargetTrackingScaling`, `StepScaling`, ...
    pub policy_type: String,
    /// The target-tracking policy's `TargetValue` (a percentage for CPU or memory
    /// utilization); `None` for other policy types.
    pub target_value: Option<f64>,
    /// `ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`, ...
    pub predefined_metric: Option<String>,
}
