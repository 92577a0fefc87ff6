use serde::{Deserialize, Serialize};

/// The dimension an ECS service's task count scales on.
pub const DESIRED_COUNT: &str = "ecs:service:DesiredCount";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsCluster {
    pub arn: String,
    pub name: String,
    /// The `containerInsights` setting: `enabled`, `enhanced` or `disabled`; `None` if unset.
    pub container_insights: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsService {
    pub arn: String,
    pub name: String,
    pub cluster_arn: String,
    /// `ECS`, `CODE_DEPLOY` or `EXTERNAL`; `None` means ECS.
    pub deployment_controller: Option<String>,
    /// `None` when ECS did not report a deployment configuration at all.
    pub circuit_breaker: Option<CircuitBreaker>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScalableTarget {
    /// `service/<cluster>/<service>`.
    pub resource_id: String,
    pub dimension: String,
    pub min_capacity: i32,
    pub max_capacity: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScalingPolicy {
    pub name: String,
    pub resource_id: String,
    pub dimension: String,
    /// `TargetTrackingScaling`, `StepScaling`, ...
    pub policy_type: String,
    pub target_value: Option<f64>,
    /// `ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`, ...
    pub predefined_metric: Option<String>,
}
