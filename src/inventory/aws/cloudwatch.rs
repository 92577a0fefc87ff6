use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{AlarmType, CompositeAlarm, Dimension, MetricAlarm};
use aws_sdk_cloudwatch::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::cloudwatch::{Alarm, Dashboard, MetricRef};

const SERVICE: &str = "cloudwatch";

impl AwsReader {
    fn cloudwatch(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
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
    }
}

fn composite_alarm(alarm: &CompositeAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        arn: alarm.alarm_arn().map(str::to_string),
        kind: "composite".to_string(),
        actions_enabled: alarm.actions_enabled().unwrap_or(false),
        alarm_actions: alarm.alarm_actions().to_vec(),
        metrics: Vec::new(),
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
}
