use serde_json::json;

use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::guardduty::Detector;

const DETECTOR: &str = "AWS::GuardDuty::Detector";

fn detector_resource(ctx: &CheckCtx, detector: &Detector) -> Resource {
    Resource::new(
        DETECTOR,
        super::arn(ctx, "guardduty", &format!("detector/{}", detector.id)),
    )
}

pub async fn enabled(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let detectors = match listed(&ctx, ctx.inventory.guardduty_detectors(region).await) {
        Ok(detectors) => detectors,
        Err(errors) => return errors,
    };
    let on: Vec<&Detector> = detectors.iter().filter(|d| d.is_enabled()).collect();
    let evidence = json!({ "detectors": detectors });
    let observation = match on.first() {
        Some(detector) => Observation::pass(
            &detector_resource(&ctx, detector),
            format!("GuardDuty detector {} is enabled in {region}", detector.id),
            evidence,
        ),
        None if detectors.is_empty() => Observation::fail(
            &ctx.account(),
            format!("no GuardDuty detector in {region}"),
            evidence,
        ),
        None => Observation::fail(
            &detector_resource(&ctx, &detectors[0]),
            format!(
                "GuardDuty detector {} in {region} is {}",
                detectors[0].id, detectors[0].status
            ),
            evidence,
        ),
    };
    vec![observation]
}

pub async fn no_high_findings(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let detectors = match listed(&ctx, ctx.inventory.guardduty_detectors(region).await) {
        Ok(detectors) => detectors,
        Err(errors) => return errors,
    };
    let on: Vec<&Detector> = detectors.iter().filter(|d| d.is_enabled()).collect();
    if on.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("GuardDuty is not enabled in {region} (see guardduty.enabled)"),
        )];
    }
    let findings = ctx.inventory.guardduty_high_findings(region).await;
    on.into_iter()
        .map(|detector| {
            let resource = detector_resource(&ctx, detector);
            match lookup(findings, &detector.id) {
                Err(error) => Observation::unverified(&resource, &error),
                Ok(sample) => Observation::judge(
                    sample.total == 0,
                    &resource,
                    if sample.total == 0 {
                        "no active GuardDuty finding of severity 7 or more".to_string()
                    } else {
                        sample.describe("active GuardDuty finding", "of severity 7 or more")
                    },
                    json!({ "total": sample.total, "first": sample.first }),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::guardduty::{FindingSample, FindingTitle};

    fn with(
        detectors: Vec<(&str, &str)>,
        findings: Vec<(&str, Fetched<FindingSample>)>,
    ) -> InventoryData {
        let mut data = data();
        let pieces = &mut data.region_mut(REGION).guardduty;
        pieces.detectors = Memo::ready(Fetched::Ok(
            detectors
                .into_iter()
                .map(|(id, status)| Detector {
                    id: id.into(),
                    status: status.into(),
                    finding_publishing_frequency: None,
                })
                .collect(),
        ));
        pieces.high_findings = Memo::ready(Fetched::Ok(
            findings
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
        ));
        data
    }

    #[tokio::test]
    async fn enabled_needs_an_enabled_detector() {
        let on = run(with(vec![("d1", "ENABLED")], vec![]), true, enabled).await;
        assert_eq!(statuses(&on), [Status::Pass]);
        let off = run(with(vec![("d1", "DISABLED")], vec![]), true, enabled).await;
        assert_eq!(statuses(&off), [Status::Fail]);
        assert!(off[0].message.contains("DISABLED"));
        let none = run(with(vec![], vec![]), true, enabled).await;
        assert_eq!(statuses(&none), [Status::Fail]);
    }

    #[tokio::test]
    async fn high_findings_are_counted_and_named() {
        let sample = FindingSample {
            total: 7,
            first: vec![FindingTitle {
                title: "SSH brute force".into(),
                severity: Some(8.0),
                resource: None,
            }],
        };
        let found = run(
            with(vec![("d1", "ENABLED")], vec![("d1", Fetched::Ok(sample))]),
            true,
            no_high_findings,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Fail]);
        assert!(
            found[0].message.starts_with("7 active")
                && found[0].message.contains("SSH brute force; and 6 more")
        );

        let clean = with(
            vec![("d1", "ENABLED")],
            vec![("d1", Fetched::Ok(FindingSample::default()))],
        );
        assert_eq!(
            statuses(&run(clean, true, no_high_findings).await),
            [Status::Pass]
        );
        let unreadable = with(
            vec![("d1", "ENABLED")],
            vec![("d1", err("guardduty", "ListFindings"))],
        );
        assert_eq!(
            statuses(&run(unreadable, true, no_high_findings).await),
            [Status::Error]
        );
        let off = with(vec![("d1", "DISABLED")], vec![]);
        assert_eq!(
            statuses(&run(off, true, no_high_findings).await),
            [Status::NotApplicable]
        );
    }
}
