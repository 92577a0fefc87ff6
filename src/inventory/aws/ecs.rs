use std::collections::BTreeMap;

use aws_sdk_applicationautoscaling::types::{
    ScalableTarget as SdkTarget, ScalingPolicy as SdkPolicy, ServiceNamespace,
};
use aws_sdk_ecs::types::{
    Cluster, ClusterField, ClusterSettingName, Failure, SchedulingStrategy, Service,
};
use aws_sdk_ecs::Client;

use super::{all_items, fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::ecs::{CircuitBreaker, EcsCluster, EcsService, ScalableTarget, ScalingPolicy};

const SERVICE: &str = "ecs";
const SCALING: &str = "application-autoscaling";
/// DescribeClusters takes up to 100 clusters, DescribeServices up to 10 services.
const CLUSTERS_PER_CALL: usize = 100;
const SERVICES_PER_CALL: usize = 10;

impl AwsReader {
    fn ecs(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    fn autoscaling(&self, region: &str) -> aws_sdk_applicationautoscaling::Client {
        self.client(region, aws_sdk_applicationautoscaling::Client::new)
    }

    pub(crate) async fn ecs_clusters(&self, region: &str) -> Fetched<Vec<EcsCluster>> {
        let client = self.ecs(region);
        let fail = |e| fetch_error(SERVICE, "ListClusters", Some(region), &e);
        let arns: Vec<String> = match self
            .call(
                client
                    .list_clusters()
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await
        {
            Ok(arns) => arns,
            Err(e) => return Fetched::Error(fail(e)),
        };
        let mut clusters = Vec::with_capacity(arns.len());
        for chunk in arns.chunks(CLUSTERS_PER_CALL) {
            let out = self
                .call(
                    client
                        .describe_clusters()
                        .set_clusters(Some(chunk.to_vec()))
                        .include(ClusterField::Settings)
                        .send(),
                )
                .await;
            match out {
                Ok(out) => {
                    if let Some(error) =
                        unexplained_failure(out.failures(), "DescribeClusters", region)
                    {
                        return Fetched::Error(error);
                    }
                    clusters.extend(out.clusters().iter().map(cluster))
                }
                Err(e) => {
                    return Fetched::Error(fetch_error(
                        SERVICE,
                        "DescribeClusters",
                        Some(region),
                        &e,
                    ))
                }
            }
        }
        Fetched::Ok(clusters)
    }

    /// Each cluster's services, keyed by cluster ARN: a cluster that cannot be read
    /// costs only its own services.
    pub(crate) async fn ecs_services(
        &self,
        region: &str,
        clusters: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<EcsService>>> {
        let client = self.ecs(region);
        self.per_resource(clusters, |cluster| {
            let client = client.clone();
            async move {
                let arns: Vec<String> = all_items(
                    SERVICE,
                    "ListServices",
                    &cluster,
                    client
                        .list_services()
                        .cluster(&cluster)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                let mut services = Vec::with_capacity(arns.len());
                for chunk in arns.chunks(SERVICES_PER_CALL) {
                    let out = client
                        .describe_services()
                        .cluster(&cluster)
                        .set_services(Some(chunk.to_vec()))
                        .send()
                        .await
                        .map_err(|e| {
                            fetch_error(SERVICE, "DescribeServices", Some(&cluster), &e)
                        })?;
                    if let Some(error) =
                        unexplained_failure(out.failures(), "DescribeServices", &cluster)
                    {
                        return Err(error);
                    }
                    services.extend(out.services().iter().map(|s| service(s, &cluster)));
                }
                Ok::<_, FetchError>(services)
            }
        })
        .await
    }

    pub(crate) async fn ecs_scalable_targets(&self, region: &str) -> Fetched<Vec<ScalableTarget>> {
        let client = self.autoscaling(region);
        let items = client
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Ecs)
            .into_paginator()
            .items()
            .send();
        self.listed(
            SCALING,
            "DescribeScalableTargets",
            region,
            items,
            scalable_target,
        )
        .await
    }

    pub(crate) async fn ecs_scaling_policies(&self, region: &str) -> Fetched<Vec<ScalingPolicy>> {
        let client = self.autoscaling(region);
        let items = client
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Ecs)
            .into_paginator()
            .items()
            .send();
        self.listed(
            SCALING,
            "DescribeScalingPolicies",
            region,
            items,
            scaling_policy,
        )
        .await
    }
}

/// ECS answers a describe call with `failures[]` for what it could not describe. One
/// that is `MISSING` was deleted since it was listed: there is nothing to judge. Any
/// other failure leaves resources unread: an error naming them and ECS's reason.
fn unexplained_failure(failures: &[Failure], operation: &str, scope: &str) -> Option<FetchError> {
    let unexplained: Vec<String> = failures
        .iter()
        .filter(|f| f.reason() != Some(MISSING))
        .map(|f| {
            format!(
                "{}: {}{}",
                f.arn().unwrap_or("(no ARN)"),
                f.reason().unwrap_or("no reason given"),
                f.detail().map(|d| format!(" ({d})")).unwrap_or_default()
            )
        })
        .collect();
    (!unexplained.is_empty()).then(|| {
        FetchError::new(
            SERVICE,
            operation,
            Some(scope),
            "Failure",
            format!("ECS could not describe {}", unexplained.join("; ")),
        )
    })
}

/// ECS's `failures[].reason` for a resource that no longer exists.
const MISSING: &str = "MISSING";

fn cluster(cluster: &Cluster) -> EcsCluster {
    EcsCluster {
        arn: cluster.cluster_arn().unwrap_or_default().to_string(),
        name: cluster.cluster_name().unwrap_or_default().to_string(),
        container_insights: cluster
            .settings()
            .iter()
            .find(|s| s.name() == Some(&ClusterSettingName::ContainerInsights))
            .and_then(|s| s.value())
            .map(str::to_string),
    }
}

fn service(service: &Service, cluster: &str) -> EcsService {
    EcsService {
        arn: service.service_arn().unwrap_or_default().to_string(),
        name: service.service_name().unwrap_or_default().to_string(),
        cluster_arn: service.cluster_arn().unwrap_or(cluster).to_string(),
        deployment_controller: service
            .deployment_controller()
            .map(|c| c.r#type().as_str().to_string()),
        circuit_breaker: service
            .deployment_configuration()
            .and_then(|c| c.deployment_circuit_breaker())
            .map(|b| CircuitBreaker {
                enable: b.enable(),
                rollback: b.rollback(),
            }),
        desired_count: service.desired_count(),
        daemon: service.scheduling_strategy() == Some(&SchedulingStrategy::Daemon),
    }
}

fn scalable_target(target: &SdkTarget) -> ScalableTarget {
    ScalableTarget {
        resource_id: target.resource_id().to_string(),
        dimension: target.scalable_dimension().as_str().to_string(),
        min_capacity: target.min_capacity(),
        max_capacity: target.max_capacity(),
    }
}

fn scaling_policy(policy: &SdkPolicy) -> ScalingPolicy {
    let tracking = policy.target_tracking_scaling_policy_configuration();
    ScalingPolicy {
        name: policy.policy_name().to_string(),
        resource_id: policy.resource_id().to_string(),
        dimension: policy.scalable_dimension().as_str().to_string(),
        policy_type: policy.policy_type().as_str().to_string(),
        target_value: tracking.map(|t| t.target_value()),
        predefined_metric: tracking
            .and_then(|t| t.predefined_metric_specification())
            .map(|p| p.predefined_metric_type().as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_applicationautoscaling::types::ScalableDimension;
    use aws_sdk_ecs::types::{
        DeploymentCircuitBreaker, DeploymentConfiguration, DeploymentController,
        DeploymentControllerType,
    };

    // moto does not keep deploymentCircuitBreaker (see shared/MOTO.md): the conversion
    // is tested on SDK values built here.
    #[test]
    fn circuit_breaker_and_controller_are_read() {
        let with_breaker = Service::builder()
            .service_name("api")
            .cluster_arn("arn:aws:ecs:us-east-1:123456789012:cluster/prod")
            .deployment_configuration(
                DeploymentConfiguration::builder()
                    .deployment_circuit_breaker(
                        DeploymentCircuitBreaker::builder()
                            .enable(true)
                            .rollback(true)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let converted = service(&with_breaker, "prod");
        assert_eq!(
            converted.circuit_breaker,
            Some(CircuitBreaker {
                enable: true,
                rollback: true
            })
        );
        assert_eq!(converted.scaling_resource_id(), "service/prod/api");

        let blue_green = Service::builder()
            .service_name("web")
            .deployment_controller(
                DeploymentController::builder()
                    .r#type(DeploymentControllerType::CodeDeploy)
                    .build()
                    .unwrap(),
            )
            .build();
        let converted = service(
            &blue_green,
            "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        );
        assert_eq!(
            converted.deployment_controller.as_deref(),
            Some("CODE_DEPLOY")
        );
        assert_eq!(converted.circuit_breaker, None);
        assert_eq!(
            ScalableDimension::EcsServiceDesiredCount.as_str(),
            crate::model::ecs::DESIRED_COUNT
        );
    }

    /// SDK values through the conversions and the three checks.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::ecs::{circuit_breaker, container_insights, service_autoscaling};
        use crate::checks::testing::{data, each, ok, run, status_of, statuses_of, REGION};
        use crate::finding::Status;
        use aws_sdk_applicationautoscaling::types::{
            MetricType, PolicyType, PredefinedMetricSpecification, ServiceNamespace,
            TargetTrackingScalingPolicyConfiguration,
        };
        use aws_sdk_ecs::types::{ClusterSetting, SchedulingStrategy};

        const PROD: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
        let clusters = vec![
            cluster(
                &Cluster::builder()
                    .cluster_arn(PROD)
                    .cluster_name("prod")
                    .settings(
                        ClusterSetting::builder()
                            .name(ClusterSettingName::ContainerInsights)
                            .value("enhanced")
                            .build(),
                    )
                    .build(),
            ),
            cluster(
                &Cluster::builder()
                    .cluster_arn("arn:aws:ecs:us-east-1:123456789012:cluster/batch")
                    .cluster_name("batch")
                    .build(),
            ),
        ];
        let breaker = DeploymentConfiguration::builder()
            .deployment_circuit_breaker(
                DeploymentCircuitBreaker::builder()
                    .enable(true)
                    .rollback(false)
                    .build(),
            )
            .build();
        let services = vec![
            service(
                &Service::builder()
                    .service_name("api")
                    .service_arn("arn:aws:ecs:us-east-1:123456789012:service/prod/api")
                    .scheduling_strategy(SchedulingStrategy::Replica)
                    .deployment_configuration(breaker)
                    .build(),
                PROD,
            ),
            service(
                &Service::builder()
                    .service_name("agent")
                    .service_arn("arn:aws:ecs:us-east-1:123456789012:service/prod/agent")
                    .scheduling_strategy(SchedulingStrategy::Daemon)
                    .build(),
                PROD,
            ),
        ];
        let target = scalable_target(
            &SdkTarget::builder()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id("service/prod/api")
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .min_capacity(2)
                .max_capacity(40)
                .role_arn("arn:aws:iam::123456789012:role/ecs-scaling")
                .creation_time(aws_sdk_applicationautoscaling::primitives::DateTime::from_secs(0))
                .build()
                .unwrap(),
        );
        let policy = scaling_policy(
            &SdkPolicy::builder()
                .policy_arn("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:api")
                .policy_name("api-cpu")
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id("service/prod/api")
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .policy_type(PolicyType::TargetTrackingScaling)
                .target_tracking_scaling_policy_configuration(
                    TargetTrackingScalingPolicyConfiguration::builder()
                        .target_value(60.0)
                        .predefined_metric_specification(
                            PredefinedMetricSpecification::builder()
                                .predefined_metric_type(MetricType::EcsServiceAverageCpuUtilization)
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .creation_time(aws_sdk_applicationautoscaling::primitives::DateTime::from_secs(0))
                .build()
                .unwrap(),
        );
        let account = || {
            let mut data = data();
            let ecs = &mut data.region_mut(REGION).ecs;
            ecs.clusters = ok(clusters.clone());
            ecs.services = each([
                (PROD, services.clone()),
                ("arn:aws:ecs:us-east-1:123456789012:cluster/batch", vec![]),
            ]);
            ecs.scalable_targets = ok(vec![target.clone()]);
            ecs.scaling_policies = ok(vec![policy.clone()]);
            data
        };
        let found = run(account(), true, container_insights).await;
        assert_eq!(
            statuses_of(&found, &["cluster/prod", "cluster/batch"]),
            [Status::Pass, Status::Fail]
        );
        let found = run(account(), true, service_autoscaling).await;
        assert_eq!(
            statuses_of(&found, &["prod/api", "prod/agent"]),
            [Status::Pass, Status::NotApplicable]
        );
        let found = run(account(), true, circuit_breaker).await;
        assert_eq!(
            status_of(&found, "prod/api"),
            Status::Fail,
            "enabled without rollback"
        );
    }

    #[test]
    fn failures_other_than_missing_are_errors() {
        let missing = Failure::builder()
            .arn("arn:aws:ecs:us-east-1:123456789012:service/prod/gone")
            .reason(MISSING)
            .build();
        assert!(
            unexplained_failure(std::slice::from_ref(&missing), "DescribeServices", "prod")
                .is_none()
        );
        let denied = Failure::builder()
            .arn("arn:aws:ecs:us-east-1:123456789012:service/prod/api")
            .reason("AccessDenied")
            .detail("not authorized")
            .build();
        let error = unexplained_failure(&[missing, denied], "DescribeServices", "prod").unwrap();
        assert!(
            error
                .message
                .contains("prod/api: AccessDenied (not authorized)"),
            "{error}"
        );
        assert!(!error.message.contains("gone"));
    }
}
