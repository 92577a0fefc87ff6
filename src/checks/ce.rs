use serde_json::json;

use super::{listed, CheckCtx};
use crate::finding::Observation;
use crate::verdict::count;

/// A monitor only matters when a subscription with a subscriber sends its anomalies.
pub async fn anomaly_detection(ctx: CheckCtx) -> Vec<Observation> {
    let (monitors, subscriptions) = match (
        listed(&ctx, ctx.inventory.ce_anomaly_monitors().await),
        listed(&ctx, ctx.inventory.ce_anomaly_subscriptions().await),
    ) {
        (Ok(monitors), Ok(subscriptions)) => (monitors, subscriptions),
        (Err(errors), _) | (_, Err(errors)) => return errors,
    };
    let watched: Vec<_> = monitors
        .iter()
        .filter_map(|monitor| {
            let subscribed: Vec<&str> = subscriptions
                .iter()
                .filter(|s| s.subscribers > 0 && s.monitor_arns.contains(&monitor.arn))
                .map(|s| s.name.as_str())
                .collect();
            (!subscribed.is_empty()).then_some((monitor.name.as_str(), subscribed))
        })
        .collect();
    let account = ctx.account();
    let evidence = json!({ "monitors": monitors, "subscriptions": subscriptions });
    vec![match (monitors.is_empty(), watched.first()) {
        (true, _) => Observation::fail(&account, "no Cost Anomaly Detection monitor", evidence),
        (false, None) => Observation::fail(
            &account,
            format!(
                "{}, but no subscription with a subscriber sends their alerts",
                count(monitors.len() as i64, "anomaly monitor")
            ),
            evidence,
        ),
        (false, Some((monitor, subscribed))) => Observation::pass(
            &account,
            format!(
                "anomaly monitor {monitor} alerts through {}",
                subscribed.join(", ")
            ),
            evidence,
        ),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::ce::{AnomalyMonitor, AnomalySubscription};

    fn account(monitors: usize, subscribers: usize) -> InventoryData {
        let mut data = data();
        let arn = "arn:aws:ce::123456789012:anomalymonitor/services".to_string();
        data.global.ce.anomaly_monitors = Memo::ready(Fetched::Ok(
            (0..monitors)
                .map(|_| AnomalyMonitor {
                    arn: arn.clone(),
                    name: "services".into(),
                    monitor_type: "DIMENSIONAL".into(),
                })
                .collect(),
        ));
        data.global.ce.anomaly_subscriptions =
            Memo::ready(Fetched::Ok(vec![AnomalySubscription {
                arn: None,
                name: "daily".into(),
                monitor_arns: vec![arn],
                subscribers,
            }]));
        data
    }

    #[tokio::test]
    async fn a_monitor_needs_a_subscription_with_subscribers() {
        assert_eq!(
            statuses(&run(account(1, 1), false, anomaly_detection).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(1, 0), false, anomaly_detection).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(0, 1), false, anomaly_detection).await),
            [Status::Fail]
        );
        let mut unreadable = account(1, 1);
        unreadable.global.ce.anomaly_monitors = Memo::ready(err("ce", "GetAnomalyMonitors"));
        assert_eq!(
            statuses(&run(unreadable, false, anomaly_detection).await),
            [Status::Error]
        );
    }
}
