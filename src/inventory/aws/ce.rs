use aws_sdk_costexplorer::types::{
    AnomalyMonitor as SdkMonitor, AnomalySubscription as SdkSubscription, SubscriberStatus,
};
use aws_sdk_costexplorer::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::ce::{AnomalyMonitor, AnomalySubscription};

const SERVICE: &str = "ce";
/// Cost Explorer is a global service answered in us-east-1.
const REGION: &str = "us-east-1";

impl AwsReader {
    fn ce(&self) -> Client {
        self.client(REGION, Client::new)
    }

    pub(crate) async fn ce_anomaly_monitors(&self) -> Fetched<Vec<AnomalyMonitor>> {
        let client = self.ce();
        let items = client
            .get_anomaly_monitors()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "GetAnomalyMonitors", REGION, items, monitor)
            .await
    }

    pub(crate) async fn ce_anomaly_subscriptions(&self) -> Fetched<Vec<AnomalySubscription>> {
        let client = self.ce();
        let items = client
            .get_anomaly_subscriptions()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "GetAnomalySubscriptions",
            REGION,
            items,
            subscription,
        )
        .await
    }
}

fn monitor(monitor: &SdkMonitor) -> AnomalyMonitor {
    AnomalyMonitor {
        arn: monitor.monitor_arn().unwrap_or_default().to_string(),
        name: monitor.monitor_name().to_string(),
        monitor_type: monitor.monitor_type().as_str().to_string(),
    }
}

fn subscription(subscription: &SdkSubscription) -> AnomalySubscription {
    AnomalySubscription {
        arn: subscription.subscription_arn().map(str::to_string),
        name: subscription.subscription_name().to_string(),
        monitor_arns: subscription.monitor_arn_list().to_vec(),
        subscribers: subscription
            .subscribers()
            .iter()
            .filter(|s| !declined(s))
            .count(),
        declined: subscription
            .subscribers()
            .iter()
            .filter(|s| declined(s))
            .count(),
    }
}

fn declined(subscriber: &aws_sdk_costexplorer::types::Subscriber) -> bool {
    subscriber.status() == Some(&SubscriberStatus::Declined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_costexplorer::types::{
        AnomalySubscriptionFrequency, MonitorType, Subscriber, SubscriberType,
    };

    // moto does not implement the anomaly monitor APIs (HTTP 500, see shared/MOTO.md):
    // the conversions are tested on SDK values built here.
    #[test]
    fn monitors_and_subscriptions_convert() {
        let sdk = SdkMonitor::builder()
            .monitor_arn("arn:aws:ce::123456789012:anomalymonitor/m1")
            .monitor_name("services")
            .monitor_type(MonitorType::Dimensional)
            .build()
            .unwrap();
        assert_eq!(monitor(&sdk).monitor_type, "DIMENSIONAL");
        let sdk = SdkSubscription::builder()
            .subscription_name("daily")
            .monitor_arn_list("arn:aws:ce::123456789012:anomalymonitor/m1")
            .subscribers(
                Subscriber::builder()
                    .address("finops@example.com")
                    .r#type(SubscriberType::Email)
                    .build(),
            )
            .frequency(AnomalySubscriptionFrequency::Daily)
            .build()
            .unwrap();
        let converted = subscription(&sdk);
        assert_eq!(converted.subscribers, 1);
        assert_eq!(converted.monitor_arns.len(), 1);
        // A subscriber that declined receives nothing.
        let sdk = SdkSubscription::builder()
            .subscription_name("declined")
            .monitor_arn_list("arn:aws:ce::123456789012:anomalymonitor/m1")
            .subscribers(
                Subscriber::builder()
                    .address("finops@example.com")
                    .r#type(SubscriberType::Email)
                    .status(SubscriberStatus::Declined)
                    .build(),
            )
            .subscribers(
                Subscriber::builder()
                    .address("ops@example.com")
                    .r#type(SubscriberType::Email)
                    .status(SubscriberStatus::Confirmed)
                    .build(),
            )
            .frequency(AnomalySubscriptionFrequency::Daily)
            .build()
            .unwrap();
        let converted = subscription(&sdk);
        assert_eq!((converted.subscribers, converted.declined), (1, 1));
    }

    /// SDK values through the conversions and the check: a monitor passes only once a
    /// subscription with a subscriber sends its anomalies.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::ce::anomaly_detection;
        use crate::checks::testing::{data, ok, run, statuses};
        use crate::finding::Status;

        let monitors = vec![monitor(
            &SdkMonitor::builder()
                .monitor_arn("arn:aws:ce::123456789012:anomalymonitor/m1")
                .monitor_name("services")
                .monitor_type(MonitorType::Dimensional)
                .build()
                .unwrap(),
        )];
        let subscribed = |subscribers: usize| {
            let mut sdk = SdkSubscription::builder()
                .subscription_name("finops")
                .monitor_arn_list("arn:aws:ce::123456789012:anomalymonitor/m1")
                .frequency(AnomalySubscriptionFrequency::Daily)
                .account_id("123456789012")
                .set_subscribers(Some(Vec::new()));
            for n in 0..subscribers {
                sdk = sdk.subscribers(
                    Subscriber::builder()
                        .address(format!("finops-{n}@example.com"))
                        .r#type(SubscriberType::Email)
                        .build(),
                );
            }
            subscription(&sdk.build().unwrap())
        };
        let account = |subscribers: usize| {
            let mut data = data();
            data.global.ce.anomaly_monitors = ok(monitors.clone());
            data.global.ce.anomaly_subscriptions = ok(vec![subscribed(subscribers)]);
            data
        };
        assert_eq!(
            statuses(&run(account(1), false, anomaly_detection).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(0), false, anomaly_detection).await),
            [Status::Fail]
        );
    }
}
