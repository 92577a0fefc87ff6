use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, StandardsSubscription, StringFilter,
    StringFilterComparison,
};
use aws_sdk_securityhub::Client;

use super::{fetch_error, is_code, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::guardduty::{FindingSample, FindingTitle};
use crate::model::securityhub::{Hub, StandardSubscription};

const SERVICE: &str = "securityhub";

impl AwsReader {
    fn securityhub(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    /// `None` where Security Hub is not enabled (it answers InvalidAccessException).
    pub(crate) async fn securityhub_hub(&self, region: &str) -> Fetched<Option<Hub>> {
        match self
            .call(self.securityhub(region).describe_hub().send())
            .await
        {
            Ok(out) => Fetched::Ok(out.hub_arn().map(|arn| Hub {
                arn: arn.to_string(),
                subscribed_at: out.subscribed_at().map(str::to_string),
            })),
            Err(e) if is_code(&e, "InvalidAccessException") => Fetched::Ok(None),
            Err(e) => Fetched::Error(fetch_error(SERVICE, "DescribeHub", Some(region), &e)),
        }
    }

    pub(crate) async fn securityhub_standards(
        &self,
        region: &str,
    ) -> Fetched<Vec<StandardSubscription>> {
        let client = self.securityhub(region);
        let items = client
            .get_enabled_standards()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "GetEnabledStandards", region, items, standard)
            .await
    }

    /// Active findings whose compliance check FAILED at CRITICAL or HIGH severity:
    /// all counted, only the first few kept.
    pub(crate) async fn securityhub_failed_findings(&self, region: &str) -> Fetched<FindingSample> {
        let mut items = self
            .securityhub(region)
            .get_findings()
            .filters(failed_critical_filters())
            .max_results(100)
            .into_paginator()
            .items()
            .send();
        let mut found = FindingSample::default();
        let read = self
            .call(async {
                while let Some(finding) = items.next().await {
                    add(&mut found, &finding?);
                }
                Ok(())
            })
            .await;
        match read {
            Ok(()) => Fetched::Ok(found),
            Err(e) => Fetched::Error(fetch_error(SERVICE, "GetFindings", Some(region), &e)),
        }
    }
}

fn equals(value: &str) -> StringFilter {
    StringFilter::builder()
        .value(value)
        .comparison(StringFilterComparison::Equals)
        .build()
}

fn failed_critical_filters() -> AwsSecurityFindingFilters {
    AwsSecurityFindingFilters::builder()
        .compliance_status(equals("FAILED"))
        .severity_label(equals("CRITICAL"))
        .severity_label(equals("HIGH"))
        .record_state(equals("ACTIVE"))
        .workflow_status(equals("NEW"))
        .workflow_status(equals("NOTIFIED"))
        .build()
}

fn standard(subscription: &StandardsSubscription) -> StandardSubscription {
    StandardSubscription {
        subscription_arn: subscription
            .standards_subscription_arn()
            .unwrap_or_default()
            .to_string(),
        standards_arn: subscription.standards_arn().unwrap_or_default().to_string(),
        status: subscription
            .standards_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
    }
}

/// Counts one more finding, keeping it if the sample has room.
fn add(sample: &mut FindingSample, finding: &AwsSecurityFinding) {
    sample.total += 1;
    if sample.first.len() < FindingSample::NAMED {
        sample.first.push(FindingTitle {
            title: finding.title().unwrap_or("(untitled)").to_string(),
            severity: finding
                .severity()
                .and_then(|s| s.normalized())
                .map(f64::from),
            resource: finding
                .resources()
                .first()
                .and_then(|r| r.id())
                .map(str::to_string),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_securityhub::types::{Resource, Severity, StandardsStatus};

    // moto does not route GetEnabledStandards (HTTP 404, see shared/MOTO.md), and its
    // GetFindings has nothing to return: both conversions are tested on SDK values.
    #[test]
    fn standards_and_findings_convert() {
        let fsbp = StandardsSubscription::builder()
            .standards_subscription_arn(
                "arn:aws:securityhub:us-east-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0",
            )
            .standards_arn(
                "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
            )
            .standards_status(StandardsStatus::Ready)
            .build();
        let converted = standard(&fsbp);
        assert!(converted.is_fsbp());
        assert_eq!(converted.status, "READY");

        let finding = AwsSecurityFinding::builder()
            .title("S3 general purpose buckets should block public access")
            .severity(Severity::builder().normalized(90).build())
            .resources(
                Resource::builder()
                    .id("arn:aws:s3:::acme")
                    .r#type("AwsS3Bucket")
                    .build(),
            )
            .build();
        let mut sampled = FindingSample::default();
        for _ in 0..7 {
            add(&mut sampled, &finding);
        }
        assert_eq!(sampled.total, 7);
        assert_eq!(sampled.first.len(), FindingSample::NAMED);
        assert_eq!(
            sampled.first[0].resource.as_deref(),
            Some("arn:aws:s3:::acme")
        );

        let filters = failed_critical_filters();
        assert_eq!(filters.severity_label().len(), 2);
        assert_eq!(filters.compliance_status()[0].value(), Some("FAILED"));
    }
}
