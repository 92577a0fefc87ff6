use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, Dimension, MetricAlarm};
use aws_sdk_cloudwatch::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::Fetched;
use crate::model::cloudwatch::{Alarm, Dashboard, MetricRef, COMPOSITE};

const SERVICE: &str = "cloudwatch";

impl AwsReader {
    fn cloudwatch(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// Metric and composite alarms.
    pub(crate) async fn cloudwatch_alarms(&self, region: &str) -> Fetched<Vec<Alarm>> {
        let client = self.cloudwatch(region);
        let pages = self
            .call(
                client
                    .describe_alarms()
                    .alarm_types(AlarmType::MetricAlarm)
                    .alarm_types(AlarmType::CompositeAlarm)
                    .into_paginator()
                    .send()
                    .try_collect(),
            )
            .await;
        match pages {
            Ok(pages) => Fetched::Ok(
                pages
                    .iter()
                    .flat_map(|page| {
                        page.metric_alarms()
                            .iter()
                            .map(metric_alarm)
                            .chain(page.composite_alarms().iter().map(composite_alarm))
                    })
                    .collect(),
            ),
            Err(e) => Fetched::Error(fetch_error(SERVICE, "DescribeAlarms", Some(region), &e)),
        }
    }

    pub(crate) async fn cloudwatch_dashboards(&self, region: &str) -> Fetched<Vec<Dashboard>> {
        let client = self.cloudwatch(region);
        let items = client.list_dashboards().into_paginator().items().send();
        self.listed(SERVICE, "ListDashboards", region, items, |d| Dashboard {
            name: d.dashboard_name().unwrap_or_default().to_string(),
            arn: d.dashboard_arn().map(str::to_string),
        })
        .await
    }
}

fn dimensions(dimensions: &[Dimension]) -> BTreeMap<String, String> {
    dimensions
        .iter()
        .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
        .collect()
}

/// A metric alarm watches its own metric, or (metric math) every metric its queries read.
fn metric_alarm(alarm: &MetricAlarm) -> Alarm {
    let own = alarm.metric_name().map(|name| MetricRef {
        namespace: alarm.namespace().unwrap_or_default().to_string(),
        metric_name: name.to_string(),
        dimensions: dimensions(alarm.dimensions()),
    });
    let queried = alarm
        .metrics()
        .iter()
        .filter_map(|query| query.metric_stat()?.metric())
        .map(|metric| MetricRef {
            namespace: metric.namespace().unwrap_or_default().to_string(),
            metric_name: metric.metric_name().unwrap_or_default().to_string(),
            dimensions: dimensions(metric.dimensions()),
        });
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        arn: alarm.alarm_arn().map(str::to_string),
        kind: "metric".to_string(),
        actions_enabled: alarm.actions_enabled().unwrap_or(false),
        alarm_actions: alarm.alarm_actions().to_vec(),
        metrics: own.into_iter().chain(queried).collect(),
        alarm_rule: None,
    }
}

fn composite_alarm(alarm: &CompositeAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        arn: alarm.alarm_arn().map(str::to_string),
        kind: COMPOSITE.to_string(),
        actions_enabled: alarm.actions_enabled().unwrap_or(false),
        alarm_actions: alarm.alarm_actions().to_vec(),
        metrics: Vec::new(),
        alarm_rule: alarm.alarm_rule().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::types::{Metric, MetricDataQuery, MetricStat};

    // moto stores metric-math alarms, but the conversion of their queries is checked
    // here on an SDK value so the matching rules do not depend on the emulator.
    #[test]
    fn metric_math_alarms_watch_every_metric_they_read() {
        let alarm = MetricAlarm::builder()
            .alarm_name("orders-errors-ratio")
            .actions_enabled(true)
            .alarm_actions("arn:aws:sns:us-east-1:123456789012:oncall")
            .metrics(
                MetricDataQuery::builder()
                    .id("errors")
                    .metric_stat(
                        MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .namespace("AWS/Lambda")
                                    .metric_name("Errors")
                                    .dimensions(
                                        Dimension::builder()
                                            .name("FunctionName")
                                            .value("orders")
                                            .build(),
                                    )
                                    .build(),
                            )
                            .period(60)
                            .stat("Sum")
                            .build(),
                    )
                    .build(),
            )
            .metrics(
                MetricDataQuery::builder()
                    .id("ratio")
                    .expression("errors / 10")
                    .build(),
            )
            .build();
        let converted = metric_alarm(&alarm);
        assert_eq!(converted.metrics.len(), 1);
        assert_eq!(converted.metrics[0].metric_name, "Errors");
        assert_eq!(converted.metrics[0].dimensions["FunctionName"], "orders");
        assert!(converted.actions_enabled);
    }

    /// SDK alarms through the conversions and the checks: a function watched on every
    /// key metric (one of them through metric math) passes coverage; a composite alarm
    /// without actions fails alarm_actions.
    #[tokio::test]
    async fn sdk_alarms_reach_the_right_verdicts() {
        use crate::checks::cloudwatch::{alarm_actions, alarm_coverage};
        use crate::checks::testing::{data, ok, run, statuses_of, REGION};
        use crate::finding::Status;
        use crate::model::lambda::LambdaFunction;

        let function = |name: &str| {
            Dimension::builder()
                .name("FunctionName")
                .value(name)
                .build()
        };
        let plain = |alarm: &str, metric: &str, name: &str| {
            metric_alarm(
                &MetricAlarm::builder()
                    .alarm_name(alarm)
                    .actions_enabled(true)
                    .alarm_actions("arn:aws:sns:us-east-1:123456789012:oncall")
                    .namespace("AWS/Lambda")
                    .metric_name(metric)
                    .dimensions(function(name))
                    .build(),
            )
        };
        let math = metric_alarm(
            &MetricAlarm::builder()
                .alarm_name("orders-duration-p99")
                .actions_enabled(true)
                .alarm_actions("arn:aws:sns:us-east-1:123456789012:oncall")
                .metrics(
                    MetricDataQuery::builder()
                        .id("duration")
                        .metric_stat(
                            MetricStat::builder()
                                .metric(
                                    Metric::builder()
                                        .namespace("AWS/Lambda")
                                        .metric_name("Duration")
                                        .dimensions(function("orders"))
                                        .build(),
                                )
                                .period(60)
                                .stat("p99")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        );
        let silent = composite_alarm(
            &CompositeAlarm::builder()
                .alarm_name("orders-degraded")
                .actions_enabled(true)
                .build(),
        );
        // No action of its own: it notifies through the composite that reads it.
        let quiet = metric_alarm(
            &MetricAlarm::builder()
                .alarm_name("orders-latency")
                .actions_enabled(true)
                .namespace("AWS/Lambda")
                .metric_name("Duration")
                .dimensions(function("orders"))
                .build(),
        );
        let paging = composite_alarm(
            &CompositeAlarm::builder()
                .alarm_name("orders-paging")
                .alarm_arn("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-paging")
                .actions_enabled(true)
                .alarm_actions("arn:aws:sns:us-east-1:123456789012:oncall")
                .alarm_rule(r#"ALARM("orders-latency") AND NOT ALARM(orders-degraded)"#)
                .build(),
        );
        let alarms = vec![
            quiet,
            paging,
            plain("orders-errors", "Errors", "orders"),
            plain("orders-throttles", "Throttles", "orders"),
            math,
            plain("thumbs-errors", "Errors", "thumbs"),
            silent,
        ];
        let account = || {
            let mut data = data();
            let region = data.region_mut(REGION);
            region.cloudwatch.alarms = ok(alarms.clone());
            region.lambda.functions = ok(["orders", "thumbs"]
                .map(|name| LambdaFunction {
                    name: name.into(),
                    arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
                    dead_letter_target: None,
                    ..Default::default()
                })
                .to_vec());
            region.rds.instances = ok(vec![]);
            region.sqs.queue_urls = ok(vec![]);
            region.ecs.clusters = ok(vec![]);
            region.ecs.services = ok(Default::default());
            data
        };
        let found = run(account(), true, alarm_coverage).await;
        assert_eq!(
            statuses_of(&found, &["function:orders", "function:thumbs"]),
            [Status::Pass, Status::Fail]
        );
        let found = run(account(), true, alarm_actions).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "orders-errors",
                    "orders-degraded",
                    "orders-latency",
                    "orders-paging"
                ]
            ),
            [Status::Pass, Status::Fail, Status::Pass, Status::Pass],
            "orders-latency notifies through orders-paging; orders-degraded only mutes it"
        );
        let fed = found
            .iter()
            .find(|o| o.resource_id.ends_with("orders-latency"));
        assert!(
            fed.is_some_and(|o| o.message.contains("composite alarm orders-paging")),
            "{found:#?}"
        );
    }
}
