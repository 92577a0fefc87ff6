use aws_sdk_securityhub::types::StandardsStatus;
use serde_json::json;

use super::{listed, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::securityhub::Hub;

const HUB: &str = "AWS::SecurityHub::Hub";

fn hub_resource(hub: &Hub) -> Resource {
    Resource::new(HUB, hub.arn.clone())
}

/// The hub, or the one observation for a region without one (`when_off`) or whose
/// hub could not be read.
async fn hub(
    ctx: &CheckCtx,
    when_off: impl FnOnce(&CheckCtx) -> Observation,
) -> Result<&Hub, Vec<Observation>> {
    match listed(ctx, ctx.inventory.securityhub_hub(ctx.region()).await)? {
        Some(hub) => Ok(hub),
        None => Err(vec![when_off(ctx)]),
    }
}

fn not_enabled(ctx: &CheckCtx) -> Observation {
    Observation::not_applicable(
        &ctx.account(),
        format!(
            "Security Hub is not enabled in {} (see securityhub.enabled)",
            ctx.region()
        ),
    )
}

pub async fn enabled(ctx: CheckCtx) -> Vec<Observation> {
    let off = |ctx: &CheckCtx| {
        Observation::fail(
            &ctx.account(),
            format!("Security Hub is not enabled in {}", ctx.region()),
            json!({ "hub": null }),
        )
    };
    match hub(&ctx, off).await {
        Ok(hub) => vec![Observation::pass(
            &hub_resource(hub),
            format!("Security Hub is enabled in {}", ctx.region()),
            json!(hub),
        )],
        Err(observations) => observations,
    }
}

pub async fn fsbp_enabled(ctx: CheckCtx) -> Vec<Observation> {
    let hub = match hub(&ctx, not_enabled).await {
        Ok(hub) => hub,
        Err(observations) => return observations,
    };
    let standards = match listed(
        &ctx,
        ctx.inventory.securityhub_standards(ctx.region()).await,
    ) {
        Ok(standards) => standards,
        Err(errors) => return errors,
    };
    let fsbp = standards.iter().find(|s| s.is_fsbp());
    let message = match fsbp {
        Some(s) if StandardsStatus::from(s.status.as_str()) == StandardsStatus::Ready => {
            "AWS Foundational Security Best Practices is subscribed and READY".to_string()
        }
        Some(s) => format!(
            "AWS Foundational Security Best Practices is subscribed but {}",
            s.status
        ),
        None => "AWS Foundational Security Best Practices is not subscribed".to_string(),
    };
    vec![Observation::judge(
        fsbp.is_some_and(|s| StandardsStatus::from(s.status.as_str()) == StandardsStatus::Ready),
        &hub_resource(hub),
        message,
        json!({ "standards": standards }),
    )]
}

pub async fn no_critical_failed(ctx: CheckCtx) -> Vec<Observation> {
    let hub = match hub(&ctx, not_enabled).await {
        Ok(hub) => hub,
        Err(observations) => return observations,
    };
    let sample = match listed(
        &ctx,
        ctx.inventory
            .securityhub_failed_findings(ctx.region())
            .await,
    ) {
        Ok(sample) => sample,
        Err(errors) => return errors,
    };
    vec![Observation::judge(
        sample.total == 0,
        &hub_resource(hub),
        if sample.total == 0 {
            "no active FAILED finding of CRITICAL or HIGH severity".to_string()
        } else {
            sample.describe("active FAILED finding", "of CRITICAL or HIGH severity")
        },
        json!({ "total": sample.total, "first": sample.first }),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::guardduty::{FindingSample, FindingTitle};
    use crate::model::securityhub::StandardSubscription;

    const FSBP: &str =
        "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";

    fn with(hub: bool, standards: Vec<(&str, &str)>, failed: usize) -> InventoryData {
        let mut data = data();
        let pieces = &mut data.region_mut(REGION).securityhub;
        pieces.hub = Memo::ready(Fetched::Ok(hub.then(|| Hub {
            arn: format!("arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"),
            subscribed_at: None,
        })));
        pieces.standards = Memo::ready(Fetched::Ok(
            standards
                .into_iter()
                .map(|(arn, status)| StandardSubscription {
                    subscription_arn: "sub".into(),
                    standards_arn: arn.into(),
                    status: status.into(),
                })
                .collect(),
        ));
        pieces.failed_findings = Memo::ready(Fetched::Ok(FindingSample {
            total: failed,
            first: (0..failed.min(2))
                .map(|n| FindingTitle {
                    title: format!("control {n}"),
                    severity: Some(90.0),
                    resource: None,
                })
                .collect(),
        }));
        data
    }

    #[tokio::test]
    async fn hub_standard_and_findings() {
        assert_eq!(
            statuses(&run(with(true, vec![], 0), true, enabled).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(with(false, vec![], 0), true, enabled).await),
            [Status::Fail]
        );

        assert_eq!(
            statuses(&run(with(true, vec![(FSBP, "READY")], 0), true, fsbp_enabled).await),
            [Status::Pass]
        );
        let pending = run(with(true, vec![(FSBP, "PENDING")], 0), true, fsbp_enabled).await;
        assert_eq!(statuses(&pending), [Status::Fail]);
        assert!(pending[0].message.contains("PENDING"));
        let cis = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0";
        assert_eq!(
            statuses(&run(with(true, vec![(cis, "READY")], 0), true, fsbp_enabled).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(with(false, vec![], 0), true, fsbp_enabled).await),
            [Status::NotApplicable]
        );

        assert_eq!(
            statuses(&run(with(true, vec![], 0), true, no_critical_failed).await),
            [Status::Pass]
        );
        let failing = run(with(true, vec![], 12), true, no_critical_failed).await;
        assert_eq!(statuses(&failing), [Status::Fail]);
        assert!(
            failing[0].message.starts_with("12 active")
                && failing[0].message.contains("and 10 more")
        );

        let mut unreadable = with(true, vec![], 0);
        unreadable.region_mut(REGION).securityhub.standards =
            Memo::ready(err("securityhub", "GetEnabledStandards"));
        assert_eq!(
            statuses(&run(unreadable, true, fsbp_enabled).await),
            [Status::Error]
        );
    }
}
