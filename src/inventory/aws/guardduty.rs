use std::collections::BTreeMap;

use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::types::{Condition, FindingCriteria};
use aws_sdk_guardduty::Client;

use super::{all_items, fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::guardduty::{Detector, FindingSample, FindingTitle};

const SERVICE: &str = "guardduty";

impl AwsReader {
    fn guardduty(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn guardduty_detectors(&self, region: &str) -> Fetched<Vec<Detector>> {
        let client = self.guardduty(region);
        let ids: Vec<String> = match self
            .call(
                client
                    .list_detectors()
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await
        {
            Ok(ids) => ids,
            Err(e) => {
                return Fetched::Error(fetch_error(SERVICE, "ListDetectors", Some(region), &e))
            }
        };
        let details = self
            .per_resource(ids, |id| {
                let client = client.clone();
                async move {
                    let out = client
                        .get_detector()
                        .detector_id(&id)
                        .send()
                        .await
                        .map_err(|e| fetch_error(SERVICE, "GetDetector", Some(&id), &e))?;
                    Ok(detector(&id, &out))
                }
            })
            .await;
        // A detector is what makes GuardDuty "on": one that cannot be described leaves
        // the region unverified rather than quietly shorter.
        let mut detectors = Vec::new();
        for (_, outcome) in details {
            match outcome {
                Fetched::Ok(detector) => detectors.push(detector),
                Fetched::Error(error) => return Fetched::Error(error),
            }
        }
        Fetched::Ok(detectors)
    }

    /// Per detector: active (unarchived) findings of severity 7 or more about `account`,
    /// counted in full, the first few by title. A delegated administrator's detector
    /// also lists its members' findings: those are each member's own.
    pub(crate) async fn guardduty_high_findings(
        &self,
        region: &str,
        account: &str,
        detectors: Vec<String>,
    ) -> BTreeMap<String, Fetched<FindingSample>> {
        let client = self.guardduty(region);
        self.per_resource(detectors, |id| {
            let client = client.clone();
            async move {
                let ids: Vec<String> = all_items(
                    SERVICE,
                    "ListFindings",
                    &id,
                    client
                        .list_findings()
                        .detector_id(&id)
                        .finding_criteria(high_active_findings(account))
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                let first: Vec<String> = ids.iter().take(FindingSample::NAMED).cloned().collect();
                let titles = if first.is_empty() {
                    Vec::new()
                } else {
                    let out = client
                        .get_findings()
                        .detector_id(&id)
                        .set_finding_ids(Some(first))
                        .send()
                        .await
                        .map_err(|e| fetch_error(SERVICE, "GetFindings", Some(&id), &e))?;
                    finding_titles(out.findings())
                };
                Ok::<_, FetchError>(FindingSample {
                    total: ids.len(),
                    first: titles,
                })
            }
        })
        .await
    }
}

fn detector(id: &str, out: &GetDetectorOutput) -> Detector {
    Detector {
        id: id.to_string(),
        status: out
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        finding_publishing_frequency: out
            .finding_publishing_frequency()
            .map(|f| f.as_str().to_string()),
    }
}

fn high_active_findings(account: &str) -> FindingCriteria {
    FindingCriteria::builder()
        .criterion("accountId", Condition::builder().equals(account).build())
        .criterion(
            "severity",
            Condition::builder().greater_than_or_equal(7).build(),
        )
        .criterion(
            "service.archived",
            Condition::builder().equals("false").build(),
        )
        .build()
}

fn finding_titles(findings: &[aws_sdk_guardduty::types::Finding]) -> Vec<FindingTitle> {
    findings
        .iter()
        .map(|f| FindingTitle {
            title: f.title().unwrap_or("(untitled)").to_string(),
            severity: f.severity(),
            resource: f
                .resource()
                .and_then(|r| r.resource_type())
                .map(str::to_string),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // moto does not route GuardDuty ListFindings/GetFindings (HTTP 404, see
    // shared/MOTO.md): the conversion is tested on SDK values built here.
    #[test]
    fn findings_become_titles_with_severity_and_resource_type() {
        let finding = aws_sdk_guardduty::types::Finding::builder()
            .account_id("123456789012")
            .arn("arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f")
            .created_at("2026-11-01T00:00:00Z")
            .id("f")
            .region("us-east-1")
            .schema_version("2.0")
            .r#type("UnauthorizedAccess:EC2/SSHBruteForce")
            .updated_at("2026-11-01T00:00:00Z")
            .severity(8.0)
            .title("SSH brute force against i-0abc")
            .resource(
                aws_sdk_guardduty::types::Resource::builder()
                    .resource_type("Instance")
                    .build(),
            )
            .build();
        let titles = finding_titles(&[finding]);
        assert_eq!(titles[0].title, "SSH brute force against i-0abc");
        assert_eq!(titles[0].severity, Some(8.0));
        assert_eq!(titles[0].resource.as_deref(), Some("Instance"));
        let criteria = high_active_findings("123456789012");
        let criterion = criteria.criterion().unwrap();
        assert_eq!(criterion["severity"].greater_than_or_equal(), Some(7));
        assert_eq!(criterion["service.archived"].equals(), ["false"]);
        // A delegated administrator's own findings only: its members' are theirs.
        assert_eq!(criterion["accountId"].equals(), ["123456789012"]);
    }

    /// SDK outputs through the conversions and both checks: an ENABLED detector among
    /// suspended ones passes; its high findings fail the second check.
    #[tokio::test]
    async fn sdk_outputs_reach_the_right_verdicts() {
        use crate::checks::guardduty::{enabled, no_high_findings};
        use crate::checks::testing::{data, each, ok, run, statuses, REGION};
        use crate::finding::Status;
        use aws_sdk_guardduty::types::DetectorStatus;

        let out = |status: DetectorStatus| {
            GetDetectorOutput::builder()
                .status(status)
                .service_role("arn:aws:iam::123456789012:role/aws-service-role/guardduty")
                .build()
        };
        let finding = aws_sdk_guardduty::types::Finding::builder()
            .account_id("123456789012")
            .arn("arn:aws:guardduty:us-east-1:123456789012:detector/on/finding/f")
            .created_at("2026-11-01T00:00:00Z")
            .id("f")
            .region("us-east-1")
            .schema_version("2.0")
            .r#type("CryptoCurrency:EC2/BitcoinTool.B!DNS")
            .updated_at("2026-11-01T00:00:00Z")
            .severity(8.0)
            .title("EC2 instance querying a Bitcoin domain")
            .build();
        let account = |detectors: Vec<Detector>| {
            let mut data = data();
            let guardduty = &mut data.region_mut(REGION).guardduty;
            guardduty.detectors = ok(detectors);
            guardduty.high_findings = each([(
                "on",
                FindingSample {
                    total: 1,
                    first: finding_titles(std::slice::from_ref(&finding)),
                },
            )]);
            data
        };
        let both = || {
            vec![
                detector("off", &out(DetectorStatus::Disabled)),
                detector("on", &out(DetectorStatus::Enabled)),
            ]
        };
        assert_eq!(
            statuses(&run(account(both()), true, enabled).await),
            [Status::Pass]
        );
        let suspended = vec![detector("off", &out(DetectorStatus::Disabled))];
        assert_eq!(
            statuses(&run(account(suspended), true, enabled).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(both()), true, no_high_findings).await),
            [Status::Fail]
        );
    }
}
