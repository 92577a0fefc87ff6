use std::collections::BTreeMap;

use crate::verdict::count;
use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::config::metric_spec;
use crate::finding::{Observation, Resource};
use crate::model::cloudwatch::{Alarm, COMPOSITE};
use crate::model::sqs::queue_name;

const ALARM: &str = "AWS::CloudWatch::Alarm";

/// A resource that needs alarms: who it is, the dimensions its metrics carry, and the
/// metrics (`Namespace:MetricName`) that must each have an alarm.
struct Watched<'a> {
    resource: Resource,
    label: String,
    dimensions: Vec<(&'static str, String)>,
    metrics: &'a [String],
}

/// Whether `alarm` watches `metric` of the resource with `dimensions` (its own metric,
/// or one its metric math reads).
fn watches(alarm: &Alarm, namespace: &str, metric: &str, dimensions: &[(&str, String)]) -> bool {
    alarm.metrics.iter().any(|m| {
        m.namespace == namespace
            && m.metric_name == metric
            && dimensions
                .iter()
                .all(|(name, value)| m.dimensions.get(*name) == Some(value))
    })
}

/// What the region holds that must be watched, and one ERROR per listing that failed.
async fn watched<'a>(ctx: &'a CheckCtx) -> (Vec<Watched<'a>>, Vec<Observation>) {
    let region = ctx.region();
    let metrics = &ctx.rules.thresholds.cloudwatch;
    let mut watched = Vec::new();
    let mut errors = Vec::new();
    match super::ecs::services(ctx).await {
        Ok((services, failed)) => {
            errors.extend(failed);
            watched.extend(services.into_iter().map(|s| Watched {
                resource: Resource::new("AWS::ECS::Service", s.arn.clone()),
                label: format!("ECS service {}/{}", s.cluster_name(), s.name),
                dimensions: vec![
                    ("ClusterName", s.cluster_name().to_string()),
                    ("ServiceName", s.name.clone()),
                ],
                metrics: &metrics.ecs_service_metrics,
            }));
        }
        Err(failed) => errors.extend(failed),
    }
    match ctx.inventory.rds_instances(region).await.as_result() {
        Ok(instances) => watched.extend(instances.iter().map(|i| Watched {
            resource: Resource::new("AWS::RDS::DBInstance", i.arn.clone()),
            label: format!("RDS instance {}", i.id),
            dimensions: vec![("DBInstanceIdentifier", i.id.clone())],
            metrics: &metrics.rds_instance_metrics,
        })),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    let queues = ctx.inventory.sqs_queues(region).await;
    match ctx.inventory.sqs_queue_urls(region).await.as_result() {
        Ok(urls) => {
            for url in urls {
                let name = queue_name(url).to_string();
                match lookup(queues, url) {
                    Ok(queue) => watched.push(Watched {
                        resource: Resource::new("AWS::SQS::Queue", queue.arn.clone()),
                        label: format!("SQS queue {name}"),
                        dimensions: vec![("QueueName", name)],
                        metrics: &metrics.sqs_queue_metrics,
                    }),
                    Err(error) => errors.push(Observation::unverified(
                        &Resource::new("AWS::SQS::Queue", url.clone()),
                        &error,
                    )),
                }
            }
        }
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    match ctx.inventory.lambda_functions(region).await.as_result() {
        Ok(functions) => watched.extend(functions.iter().map(|f| Watched {
            resource: Resource::new("AWS::Lambda::Function", f.arn.clone()),
            label: format!("Lambda function {}", f.name),
            dimensions: vec![("FunctionName", f.name.clone())],
            metrics: &metrics.lambda_function_metrics,
        })),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    (watched, errors)
}

pub async fn alarm_coverage(ctx: CheckCtx) -> Vec<Observation> {
    let alarms = match listed(&ctx, ctx.inventory.cloudwatch_alarms(ctx.region()).await) {
        Ok(alarms) => alarms,
        Err(errors) => return errors,
    };
    let (resources, mut observations) = watched(&ctx).await;
    for resource in resources {
        let mut missing = Vec::new();
        let mut covered = BTreeMap::new();
        for spec in resource.metrics {
            let Some((namespace, metric)) = metric_spec(spec) else {
                continue;
            };
            let names: Vec<&str> = alarms
                .iter()
                .filter(|a| watches(a, namespace, metric, &resource.dimensions))
                .map(|a| a.name.as_str())
                .collect();
            if names.is_empty() {
                missing.push(metric);
            }
            covered.insert(spec.clone(), names);
        }
        let message = if missing.is_empty() {
            format!(
                "{} has alarms on {}",
                resource.label,
                resource.metrics.len()
            ) + if resource.metrics.len() == 1 {
                " key metric"
            } else {
                " key metrics"
            }
        } else {
            format!("{} has no alarm on {}", resource.label, missing.join(", "))
        };
        let dimensions: BTreeMap<_, _> = resource.dimensions.iter().cloned().collect();
        observations.push(Observation::judge(
            missing.is_empty(),
            &resource.resource,
            message,
            json!({ "dimensions": dimensions, "alarms_by_metric": covered, "missing": missing }),
        ));
    }
    or_not_applicable(&ctx, observations, || {
        format!(
            "no ECS services, RDS instances, SQS queues or Lambda functions in {}",
            ctx.region()
        )
    })
}

pub async fn alarm_actions(ctx: CheckCtx) -> Vec<Observation> {
    let alarms = match listed(&ctx, ctx.inventory.cloudwatch_alarms(ctx.region()).await) {
        Ok(alarms) => alarms,
        Err(errors) => return errors,
    };
    // A metric alarm without actions of its own may notify through a composite alarm
    // that reads it (AWS's noise-reduction pattern): the composite's actions count.
    let notifying_composites: Vec<&Alarm> = alarms
        .iter()
        .filter(|a| a.kind == COMPOSITE && a.notifies())
        .collect();
    let observations = alarms
        .iter()
        .map(|alarm| {
            let resource = Resource::new(
                ALARM,
                alarm.arn.clone().unwrap_or_else(|| super::arn(&ctx, "cloudwatch", &format!("alarm:{}", alarm.name))),
            );
            let through = notifying_composites.iter().find(|composite| {
                alarm.kind != COMPOSITE
                    && composite.alarms_in_rule().iter().any(|r| {
                        *r == alarm.name || alarm.arn.as_deref() == Some(*r)
                    })
            });
            if let (false, Some(composite)) = (alarm.notifies(), through) {
                return Observation::pass(
                    &resource,
                    format!(
                        "alarm {} has no action of its own but feeds composite alarm {}, which notifies {}",
                        alarm.name,
                        composite.name,
                        composite.alarm_actions.join(", ")
                    ),
                    json!({
                        "actions_enabled": alarm.actions_enabled,
                        "alarm_actions": alarm.alarm_actions,
                        "composite_alarm": composite.name,
                        "composite_rule": composite.alarm_rule,
                        "composite_actions": composite.alarm_actions,
                    }),
                );
            }
            let message = match (alarm.actions_enabled, alarm.alarm_actions.is_empty()) {
                (true, false) => format!("alarm {} notifies {}", alarm.name, alarm.alarm_actions.join(", ")),
                (false, _) => format!("alarm {} has its actions disabled: it fires silently", alarm.name),
                (true, true) => format!("alarm {} has no alarm action: it fires silently", alarm.name),
            };
            Observation::judge(
                alarm.notifies(),
                &resource,
                message,
                json!({ "actions_enabled": alarm.actions_enabled, "alarm_actions": alarm.alarm_actions }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no CloudWatch alarms in {}", ctx.region())
    })
}

pub async fn dashboards(ctx: CheckCtx) -> Vec<Observation> {
    let dashboards = match listed(&ctx, ctx.inventory.cloudwatch_dashboards().await) {
        Ok(dashboards) => dashboards,
        Err(errors) => return errors,
    };
    let wanted = ctx.rules.thresholds.cloudwatch.min_dashboards as usize;
    let names: Vec<&str> = dashboards.iter().map(|d| d.name.as_str()).collect();
    vec![Observation::judge(
        names.len() >= wanted,
        &ctx.account(),
        if names.is_empty() {
            "no CloudWatch dashboard".to_string()
        } else {
            format!(
                "{}: {} (at least {wanted} wanted)",
                count(names.len() as i64, "CloudWatch dashboard"),
                names.join(", ")
            )
        },
        json!({ "dashboards": names, "minimum": wanted }),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::cloudwatch::{Dashboard, MetricRef};
    use crate::model::lambda::LambdaFunction;

    fn alarm(name: &str, namespace: &str, metric: &str, dimensions: &[(&str, &str)]) -> Alarm {
        Alarm {
            name: name.into(),
            arn: None,
            kind: "metric".into(),
            actions_enabled: true,
            alarm_actions: vec!["arn:aws:sns:us-east-1:123456789012:oncall".into()],
            metrics: vec![MetricRef {
                namespace: namespace.into(),
                metric_name: metric.into(),
                dimensions: dimensions
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }],
            alarm_rule: None,
        }
    }

    #[test]
    fn a_composite_rule_names_the_alarms_whose_alarm_state_raises_it() {
        let composite = Alarm {
            kind: COMPOSITE.into(),
            alarm_rule: Some(
                r#"(ALARM("api errors") OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency)) AND NOT ALARM(deploying) AND OK(db) OR INSUFFICIENT_DATA(queue)"#
                    .into(),
            ),
            ..alarm("paging", "AWS/Lambda", "Errors", &[])
        };
        assert_eq!(
            composite.alarms_in_rule(),
            [
                "api errors",
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency"
            ]
        );
    }

    #[tokio::test]
    async fn a_metric_alarm_feeding_a_notifying_composite_passes() {
        let quiet = |name: &str| Alarm {
            alarm_actions: vec![],
            ..alarm(name, "AWS/Lambda", "Errors", &[])
        };
        let composite = |name: &str, rule: &str, actions_enabled: bool| Alarm {
            kind: COMPOSITE.into(),
            metrics: vec![],
            actions_enabled,
            alarm_rule: Some(rule.into()),
            ..alarm(name, "AWS/Lambda", "Errors", &[])
        };
        let found = run(
            account(vec![
                quiet("fed"),
                quiet("fed-to-disabled"),
                quiet("alone"),
                composite("paging", r#"ALARM("fed")"#, true),
                composite("disabled", r#"ALARM("fed-to-disabled")"#, false),
                quiet("muting"),
                quiet("also-muting"),
                quiet("under-two-nots"),
                composite(
                    "negated",
                    r#"NOT (ALARM("muting") OR ALARM(also-muting)) AND NOT (NOT ALARM(under-two-nots))"#,
                    true,
                ),
            ]),
            true,
            alarm_actions,
        )
        .await;
        assert_eq!(
            statuses_of(
                &found,
                &[":fed", ":fed-to-disabled", ":alone", ":paging", ":disabled"]
            ),
            [
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Pass,
                Status::Fail
            ]
        );
        assert!(
            found[0].message.contains("feeds composite alarm paging"),
            "{found:#?}"
        );
        // Under NOT (A OR B) an alarm going into ALARM mutes the composite: it feeds
        // nothing; under two NOTs it raises it.
        assert_eq!(
            statuses_of(&found, &[":muting", ":also-muting", ":under-two-nots"]),
            [Status::Fail, Status::Fail, Status::Pass]
        );
    }

    fn account(alarms: Vec<Alarm>) -> InventoryData {
        let mut data = data();
        let region = data.region_mut(REGION);
        region.cloudwatch.alarms = Memo::ready(Fetched::Ok(alarms));
        region.lambda.functions = Memo::ready(Fetched::Ok(vec![
            LambdaFunction {
                name: "orders".into(),
                arn: "arn:aws:lambda:us-east-1:123456789012:function:orders".into(),
                dead_letter_target: None,
                ..Default::default()
            },
            LambdaFunction {
                name: "thumbs".into(),
                arn: "arn:aws:lambda:us-east-1:123456789012:function:thumbs".into(),
                dead_letter_target: None,
                ..Default::default()
            },
        ]));
        region.rds.instances = Memo::ready(Fetched::Ok(vec![]));
        region.sqs.queue_urls = Memo::ready(Fetched::Ok(vec![]));
        region.sqs.queues = Memo::ready(Fetched::Ok(Default::default()));
        region.ecs.clusters = Memo::ready(err("ecs", "ListClusters"));
        data
    }

    #[tokio::test]
    async fn coverage_lists_the_missing_metrics_per_resource() {
        let orders = [("FunctionName", "orders")];
        let data = account(vec![
            alarm("orders-errors", "AWS/Lambda", "Errors", &orders),
            alarm("orders-throttles", "AWS/Lambda", "Throttles", &orders),
            alarm("orders-duration", "AWS/Lambda", "Duration", &orders),
            alarm(
                "thumbs-errors",
                "AWS/Lambda",
                "Errors",
                &[("FunctionName", "thumbs")],
            ),
            // Right metric, wrong namespace: does not count.
            alarm(
                "thumbs-custom",
                "Custom",
                "Throttles",
                &[("FunctionName", "thumbs")],
            ),
        ]);
        let found = run(data, true, alarm_coverage).await;
        assert_eq!(status_of(&found, "function:orders"), Status::Pass);
        let thumbs = found
            .iter()
            .find(|o| o.resource_id.ends_with("function:thumbs"))
            .unwrap();
        assert_eq!(thumbs.status, Status::Fail);
        assert_eq!(
            thumbs.message,
            "Lambda function thumbs has no alarm on Throttles, Duration"
        );
        // ECS could not be listed: one ERROR, the functions still judged.
        assert_eq!(
            found.iter().filter(|o| o.status == Status::Error).count(),
            1
        );
    }

    #[tokio::test]
    async fn the_metric_list_is_configurable() {
        let data = account(vec![alarm(
            "e",
            "AWS/Lambda",
            "Errors",
            &[("FunctionName", "thumbs")],
        )]);
        let mut thresholds = crate::config::Thresholds::default();
        thresholds.cloudwatch.lambda_function_metrics = vec!["AWS/Lambda:Errors".into()];
        let found = run_with(data, true, thresholds, alarm_coverage).await;
        assert_eq!(status_of(&found, "function:thumbs"), Status::Pass);
        assert_eq!(status_of(&found, "function:orders"), Status::Fail);
    }

    #[tokio::test]
    async fn alarms_need_enabled_actions() {
        let mut silent = alarm("silent", "AWS/Lambda", "Errors", &[]);
        silent.alarm_actions.clear();
        let mut disabled = alarm("disabled", "AWS/Lambda", "Errors", &[]);
        disabled.actions_enabled = false;
        let found = run(
            account(vec![
                alarm("loud", "AWS/Lambda", "Errors", &[]),
                silent,
                disabled,
            ]),
            true,
            alarm_actions,
        )
        .await;
        assert_eq!(status_of(&found, "alarm:loud"), Status::Pass);
        assert_eq!(status_of(&found, "alarm:silent"), Status::Fail);
        assert_eq!(status_of(&found, "alarm:disabled"), Status::Fail);
    }

    #[tokio::test]
    async fn dashboards_are_counted_once_for_the_account() {
        let mut data = data();
        data.global.cloudwatch.dashboards = Memo::ready(Fetched::Ok(vec![Dashboard {
            name: "prod".into(),
            arn: None,
        }]));
        assert_eq!(
            statuses(&run(data, false, dashboards).await),
            [Status::Pass]
        );
        let mut data = crate::checks::testing::data();
        data.global.cloudwatch.dashboards = Memo::ready(Fetched::Ok(vec![]));
        assert_eq!(
            statuses(&run(data, false, dashboards).await),
            [Status::Fail]
        );
    }
}
