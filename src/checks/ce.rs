use serde_json::json;

use super::{listed, organizations, CheckCtx};
use crate::finding::Observation;
use crate::verdict::count;

/// A monitor only matters when a subscription with a subscriber that has not declined
/// sends its anomalies. A member account without one of its own may be watched by
/// its management account's monitors, which only that account shows.
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
    if let Some((monitor, subscribed)) = watched.first() {
        return vec![Observation::pass(
            &account,
            format!(
                "anomaly monitor {monitor} alerts through {}",
                subscribed.join(", ")
            ),
            evidence,
        )];
    }
    if monitors.is_empty() {
        if let Some(management) = ctx.management_account().await {
            return vec![organizations::attested_elsewhere(
                &ctx,
                "ce.anomaly_detection",
                management,
                "this member account has no anomaly monitor of its own: confirm that a monitor of the organization's management account covers it (an AWS services monitor, or a linked-account monitor naming it) and alerts a subscriber",
                evidence,
            )];
        }
        return vec![Observation::fail(
            &account,
            "no Cost Anomaly Detection monitor",
            evidence,
        )];
    }
    let declined: usize = subscriptions.iter().map(|s| s.declined).sum();
    vec![Observation::fail(
        &account,
        format!(
            "{}, but no subscription with a subscriber sends their alerts{}",
            count(monitors.len() as i64, "anomaly monitor"),
            if declined > 0 {
                format!(" ({} declined)", count(declined as i64, "subscriber"))
            } else {
                String::new()
            }
        ),
        evidence,
    )]
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
                declined: 0,
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

    /// A member without a monitor of its own is watched, or not, from its management
    /// account: N/A when this run audits that account, else MANUAL until attested.
    #[tokio::test]
    async fn a_member_without_a_monitor_is_judged_in_its_management_account() {
        let member = || {
            let mut data = account(0, 0);
            data.global.organizations.organization =
                ok(Some(crate::model::organizations::Organization {
                    id: "o-abc".into(),
                    management_account_id: "111111111111".into(),
                }));
            data
        };
        assert_eq!(
            statuses(&run(member(), false, anomaly_detection).await),
            [Status::Manual]
        );
        assert_eq!(
            statuses(
                &run_under(
                    member(),
                    false,
                    auditing(&[ACCOUNT, "111111111111"]),
                    anomaly_detection
                )
                .await
            ),
            [Status::NotApplicable]
        );
        let mut own_monitor_unsubscribed = member();
        own_monitor_unsubscribed.global.ce = account(1, 0).global.ce;
        assert_eq!(
            statuses(&run(own_monitor_unsubscribed, false, anomaly_detection).await),
            [Status::Fail],
            "its own monitor is the member's to fix"
        );
    }
}
