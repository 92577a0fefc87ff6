use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::ecs::{EcsService, DESIRED_COUNT};
use aws_sdk_applicationautoscaling::types::{MetricType, PolicyType};

const CLUSTER: &str = "AWS::ECS::Cluster";
const SERVICE: &str = "AWS::ECS::Service";

pub async fn container_insights(ctx: CheckCtx) -> Vec<Observation> {
    let clusters = match listed(&ctx, ctx.inventory.ecs_clusters(ctx.region()).await) {
        Ok(clusters) => clusters,
        Err(errors) => return errors,
    };
    let observations = clusters
        .iter()
        .map(|cluster| {
            let setting = cluster.container_insights.as_deref();
            let on = matches!(setting, Some("enabled" | "enhanced"));
            Observation::judge(
                on,
                &Resource::new(CLUSTER, cluster.arn.clone()),
                match setting {
                    Some(value) if on => format!("ECS cluster {} has Container Insights {value}", cluster.name),
                    other => format!(
                        "ECS cluster {} has Container Insights {}: no task-level CPU, memory or task-count metrics",
                        cluster.name,
                        other.unwrap_or("unset")
                    ),
                },
                json!({ "containerInsights": setting }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no ECS clusters in {}", ctx.region())
    })
}

/// Every service of the region's clusters, and one ERROR per cluster whose services
/// could not be read (or one for the region, if the clusters could not be listed).
pub(crate) async fn services(
    ctx: &CheckCtx,
) -> Result<(Vec<&EcsService>, Vec<Observation>), Vec<Observation>> {
    let region = ctx.region();
    let clusters = listed(ctx, ctx.inventory.ecs_clusters(region).await)?;
    let per_cluster = ctx.inventory.ecs_services(region).await;
    let mut services = Vec::new();
    let mut errors = Vec::new();
    for cluster in clusters {
        match lookup(per_cluster, &cluster.arn) {
            Ok(found) => services.extend(found.iter()),
            Err(error) => errors.push(Observation::unverified(
                &Resource::new(CLUSTER, cluster.arn.clone()),
                &error,
            )),
        }
    }
    Ok((services, errors))
}

fn service_resource(service: &EcsService) -> Resource {
    Resource::new(SERVICE, service.arn.clone())
}

fn service_label(service: &EcsService) -> String {
    format!("ECS service {}/{}", service.cluster_name(), service.name)
}

pub async fn service_autoscaling(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let (services, mut observations) = match services(&ctx).await {
        Ok(found) => found,
        Err(errors) => return errors,
    };
    if services.is_empty() {
        return or_not_applicable(&ctx, observations, || {
            format!("no ECS services in {region}")
        });
    }
    let (targets, policies) = match (
        listed(&ctx, ctx.inventory.ecs_scalable_targets(region).await),
        listed(&ctx, ctx.inventory.ecs_scaling_policies(region).await),
    ) {
        (Ok(targets), Ok(policies)) => (targets, policies),
        (Err(errors), _) | (_, Err(errors)) => return errors,
    };
    let limits = &ctx.rules.thresholds.ecs;
    for service in services {
        if service.daemon {
            observations.push(Observation::not_applicable(
                &service_resource(service),
                format!(
                    "{} is a DAEMON service (one task per container instance): Service Auto Scaling does not apply",
                    service_label(service)
                ),
            ));
            continue;
        }
        let id = service.scaling_resource_id();
        let target = targets
            .iter()
            .find(|t| t.resource_id == id && t.dimension == DESIRED_COUNT);
        let tracking: Vec<_> = policies
            .iter()
            .filter(|p| p.resource_id == id && p.dimension == DESIRED_COUNT)
            .filter(|p| {
                PolicyType::from(p.policy_type.as_str()) == PolicyType::TargetTrackingScaling
            })
            .collect();
        let mut problems = Vec::new();
        match target {
            None => problems.push("no scalable target on its desired count".to_string()),
            Some(t) => {
                if t.min_capacity < limits.min_capacity as i32 {
                    problems.push(format!(
                        "minimum {} is below {}",
                        t.min_capacity, limits.min_capacity
                    ));
                }
                if t.max_capacity <= t.min_capacity {
                    problems.push(format!(
                        "maximum {} does not exceed minimum {}",
                        t.max_capacity, t.min_capacity
                    ));
                }
                if let Some(ceiling) = limits.max_capacity.filter(|c| t.max_capacity > *c as i32) {
                    problems.push(format!(
                        "maximum {} is above the cost ceiling {ceiling}",
                        t.max_capacity
                    ));
                }
            }
        }
        if tracking.is_empty() {
            problems.push("no target-tracking scaling policy".to_string());
        }
        for policy in &tracking {
            let (metric, ceiling) = match policy.predefined_metric.as_deref().map(MetricType::from)
            {
                Some(MetricType::EcsServiceAverageCpuUtilization) => {
                    ("CPU", limits.cpu_target_percent)
                }
                Some(MetricType::EcsServiceAverageMemoryUtilization) => {
                    ("memory", limits.memory_target_percent)
                }
                _ => continue,
            };
            if let Some(value) = policy.target_value.filter(|v| *v > ceiling) {
                problems.push(format!(
                    "policy {} targets {metric} at {value} %, above {ceiling} %",
                    policy.name
                ));
            }
        }
        let label = service_label(service);
        let message = if problems.is_empty() {
            let t = target.expect("no problem means a target");
            format!(
                "{label} scales between {} and {} tasks with {} target-tracking polic(ies)",
                t.min_capacity,
                t.max_capacity,
                tracking.len()
            )
        } else {
            format!("{label}: {}", problems.join("; "))
        };
        observations.push(Observation::judge(
            problems.is_empty(),
            &service_resource(service),
            message,
            json!({ "scalable_target": target, "target_tracking_policies": tracking }),
        ));
    }
    observations
}

pub async fn circuit_breaker(ctx: CheckCtx) -> Vec<Observation> {
    let (services, mut observations) = match services(&ctx).await {
        Ok(found) => found,
        Err(errors) => return errors,
    };
    for service in services {
        let resource = service_resource(service);
        let label = service_label(service);
        let controller = service.deployment_controller.as_deref().unwrap_or("ECS");
        observations.push(match (controller, service.circuit_breaker) {
            ("ECS", Some(breaker)) => Observation::judge(
                breaker.enable && breaker.rollback,
                &resource,
                match (breaker.enable, breaker.rollback) {
                    (true, true) => format!("{label} rolls back failed deployments (circuit breaker on)"),
                    (true, false) => format!("{label} has the circuit breaker on but rollback off"),
                    _ => format!("{label} has no deployment circuit breaker: a bad deployment keeps replacing tasks"),
                },
                json!({ "deployment_controller": controller, "circuit_breaker": breaker }),
            ),
            ("ECS", None) => Observation::cannot_judge(
                &resource,
                format!("{label}: ECS did not report a deployment configuration; verify the circuit breaker by hand"),
                json!({ "deployment_controller": controller, "circuit_breaker": null }),
            ),
            (other, _) => Observation::not_applicable(
                &resource,
                format!("{label} deploys with {other}, which has its own rollback: the ECS circuit breaker does not apply"),
            ),
        });
    }
    or_not_applicable(&ctx, observations, || {
        format!("no ECS services in {}", ctx.region())
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::ecs::{CircuitBreaker, EcsCluster, ScalableTarget, ScalingPolicy};

    const PROD: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

    fn service(name: &str, controller: Option<&str>, breaker: Option<(bool, bool)>) -> EcsService {
        EcsService {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:service/prod/{name}"),
            name: name.into(),
            cluster_arn: PROD.into(),
            deployment_controller: controller.map(str::to_string),
            circuit_breaker: breaker.map(|(enable, rollback)| CircuitBreaker { enable, rollback }),
            desired_count: 2,
            daemon: false,
        }
    }

    fn account(
        services: Vec<EcsService>,
        targets: Vec<(&str, i32, i32)>,
        policies: Vec<(&str, &str, f64)>,
    ) -> InventoryData {
        let mut data = data();
        let ecs = &mut data.region_mut(REGION).ecs;
        ecs.clusters = Memo::ready(Fetched::Ok(vec![
            EcsCluster {
                arn: PROD.into(),
                name: "prod".into(),
                container_insights: Some("enabled".into()),
            },
            EcsCluster {
                arn: "arn:aws:ecs:us-east-1:123456789012:cluster/batch".into(),
                name: "batch".into(),
                container_insights: Some("disabled".into()),
            },
        ]));
        ecs.services = Memo::ready(Fetched::Ok(BTreeMap::from([
            (PROD.to_string(), Fetched::Ok(services)),
            (
                "arn:aws:ecs:us-east-1:123456789012:cluster/batch".to_string(),
                err("ecs", "ListServices"),
            ),
        ])));
        ecs.scalable_targets = Memo::ready(Fetched::Ok(
            targets
                .into_iter()
                .map(|(name, min, max)| ScalableTarget {
                    resource_id: format!("service/prod/{name}"),
                    dimension: DESIRED_COUNT.into(),
                    min_capacity: min,
                    max_capacity: max,
                })
                .collect(),
        ));
        ecs.scaling_policies = Memo::ready(Fetched::Ok(
            policies
                .into_iter()
                .map(|(name, metric, target)| ScalingPolicy {
                    name: format!("{name}-{metric}"),
                    resource_id: format!("service/prod/{name}"),
                    dimension: DESIRED_COUNT.into(),
                    policy_type: PolicyType::TargetTrackingScaling.as_str().into(),
                    target_value: Some(target),
                    predefined_metric: Some(metric.into()),
                })
                .collect(),
        ));
        data
    }

    #[tokio::test]
    async fn container_insights_per_cluster() {
        let found = run(account(vec![], vec![], vec![]), true, container_insights).await;
        assert_eq!(status_of(&found, "cluster/prod"), Status::Pass);
        assert_eq!(status_of(&found, "cluster/batch"), Status::Fail);
    }

    #[tokio::test]
    async fn autoscaling_needs_a_sane_target_and_a_tracking_policy() {
        let cpu = MetricType::EcsServiceAverageCpuUtilization.as_str();
        let memory = MetricType::EcsServiceAverageMemoryUtilization.as_str();
        let services = ["api", "worker", "fixed", "hot", "huge"]
            .map(|n| service(n, None, None))
            .to_vec();
        let data = account(
            services,
            vec![
                ("api", 2, 10),
                ("worker", 0, 4),
                ("fixed", 2, 2),
                ("hot", 1, 4),
                ("huge", 1, 50),
            ],
            vec![
                ("api", cpu, 70.0),
                ("api", memory, 80.0),
                ("worker", cpu, 60.0),
                ("hot", cpu, 90.0),
                ("huge", cpu, 50.0),
            ],
        );
        let found = run(data, true, service_autoscaling).await;
        assert_eq!(status_of(&found, "prod/api"), Status::Pass);
        let message = |suffix: &str| {
            found
                .iter()
                .find(|o| o.resource_id.ends_with(suffix))
                .unwrap()
                .message
                .clone()
        };
        assert_eq!(status_of(&found, "prod/worker"), Status::Fail);
        assert!(message("prod/worker").contains("minimum 0 is below 1"));
        assert!(
            message("prod/fixed").contains("does not exceed")
                && message("prod/fixed").contains("no target-tracking")
        );
        assert!(message("prod/hot").contains("targets CPU at 90 %, above 70 %"));
        assert_eq!(
            status_of(&found, "prod/huge"),
            Status::Pass,
            "no ceiling on the maximum by default"
        );
        // The cluster whose services could not be read is one ERROR, the rest judged.
        assert_eq!(status_of(&found, "cluster/batch"), Status::Error);

        let mut thresholds = crate::config::Thresholds::default();
        thresholds.ecs.max_capacity = Some(10);
        let data = account(
            vec![service("huge", None, None)],
            vec![("huge", 1, 50)],
            vec![("huge", cpu, 50.0)],
        );
        let found = run_with(data, true, thresholds, service_autoscaling).await;
        assert_eq!(status_of(&found, "prod/huge"), Status::Fail);
        assert!(found
            .iter()
            .any(|o| o.message.contains("above the cost ceiling 10")));

        let mut daemon = service("agent", None, None);
        daemon.daemon = true;
        let found = run(
            account(vec![daemon], vec![], vec![]),
            true,
            service_autoscaling,
        )
        .await;
        assert_eq!(status_of(&found, "prod/agent"), Status::NotApplicable);
    }

    #[tokio::test]
    async fn circuit_breaker_with_rollback_or_not_applicable() {
        let data = account(
            vec![
                service("api", None, Some((true, true))),
                service("worker", Some("ECS"), Some((true, false))),
                service("web", Some("CODE_DEPLOY"), None),
                service("unknown", None, None),
            ],
            vec![],
            vec![],
        );
        let found = run(data, true, circuit_breaker).await;
        assert_eq!(status_of(&found, "prod/api"), Status::Pass);
        assert_eq!(status_of(&found, "prod/worker"), Status::Fail);
        assert_eq!(status_of(&found, "prod/web"), Status::NotApplicable);
        assert_eq!(status_of(&found, "prod/unknown"), Status::Error);
    }
}
