use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, ComplianceStatus, RecordState, SeverityLabel,
    StandardsSubscription, StringFilter, StringFilterComparison, WorkflowStatus,
};
use aws_sdk_securityhub::Client;

use super::{fetch_error, is_code, AwsReader};
use crate::fetched::Fetched;
use crate::model::guardduty::{FindingSample, FindingTitle};
use crate::model::securityhub::{Hub, StandardSubscription};

const SERVICE: &str = "securityhub";

impl AwsReader {
    fn securityhub(&self, region: &str) -> Client {
        self.client(region, Client::new)
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

    /// Active findings about `account` in `region` whose compliance check FAILED at
    /// CRITICAL or HIGH severity: all counted, only the first few kept. An administrator
    /// account also sees its members' findings, and an aggregation region those of its
    /// linked regions: filtered out here (and again on each finding, should a filter be
    /// ignored), so that each finding is counted once, in its own account and region.
    pub(crate) async fn securityhub_failed_findings(
        &self,
        account: &str,
        region: &str,
    ) -> Fetched<FindingSample> {
        let mut items = self
            .securityhub(region)
            .get_findings()
            .filters(failed_critical_filters(account, region))
            .max_results(100)
            .into_paginator()
            .items()
            .send();
        let mut found = FindingSample::default();
        let read = self
            .call(async {
                while let Some(finding) = items.next().await {
                    let finding = finding?;
                    if is_about(&finding, account, region) {
                        add(&mut found, &finding);
                    }
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

fn failed_critical_filters(account: &str, region: &str) -> AwsSecurityFindingFilters {
    AwsSecurityFindingFilters::builder()
        .aws_account_id(equals(account))
        .region(equals(region))
        .compliance_status(equals(ComplianceStatus::Failed.as_str()))
        .severity_label(equals(SeverityLabel::Critical.as_str()))
        .severity_label(equals(SeverityLabel::High.as_str()))
        .record_state(equals(RecordState::Active.as_str()))
        .workflow_status(equals(WorkflowStatus::New.as_str()))
        .workflow_status(equals(WorkflowStatus::Notified.as_str()))
        .build()
}

/// A finding that is the audited account's, in the audited region, and (should the
/// service have ignored a filter) still FAILED, CRITICAL or HIGH and active.
fn is_about(finding: &AwsSecurityFinding, account: &str, region: &str) -> bool {
    let severity = finding.severity().and_then(|s| s.label());
    finding.aws_account_id() == Some(account)
        && finding.region().is_none_or(|r| r == region)
        && finding.compliance().and_then(|c| c.status()) == Some(&ComplianceStatus::Failed)
        && matches!(
            severity,
            Some(SeverityLabel::Critical | SeverityLabel::High)
        )
        && finding.record_state() != Some(&RecordState::Archived)
        && finding
            .workflow()
            .and_then(|w| w.status())
            .is_none_or(|s| matches!(s, WorkflowStatus::New | WorkflowStatus::Notified))
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
    use aws_sdk_securityhub::types::{Compliance, Resource, Severity, StandardsStatus, Workflow};

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

        let finding_in = |account: &str,
                          region: &str,
                          workflow: WorkflowStatus,
                          compliance: ComplianceStatus| {
            AwsSecurityFinding::builder()
                .aws_account_id(account)
                .region(region)
                .title("S3 general purpose buckets should block public access")
                .severity(
                    Severity::builder()
                        .label(SeverityLabel::Critical)
                        .normalized(90)
                        .build(),
                )
                .compliance(Compliance::builder().status(compliance).build())
                .record_state(RecordState::Active)
                .workflow(Workflow::builder().status(workflow).build())
                .resources(
                    Resource::builder()
                        .id("arn:aws:s3:::acme")
                        .r#type("AwsS3Bucket")
                        .build(),
                )
                .build()
        };
        let finding = |account: &str, region: &str| {
            finding_in(
                account,
                region,
                WorkflowStatus::New,
                ComplianceStatus::Failed,
            )
        };
        let mut sampled = FindingSample::default();
        for _ in 0..7 {
            let ours = finding("123456789012", "us-east-1");
            assert!(is_about(&ours, "123456789012", "us-east-1"));
            add(&mut sampled, &ours);
        }
        assert_eq!(sampled.total, 7);
        assert_eq!(sampled.first.len(), FindingSample::NAMED);
        assert_eq!(
            sampled.first[0].resource.as_deref(),
            Some("arn:aws:s3:::acme")
        );
        assert!(
            !is_about(
                &finding("210987654321", "us-east-1"),
                "123456789012",
                "us-east-1"
            ),
            "a member account's finding, seen from the administrator account"
        );
        assert!(
            !is_about(
                &finding("123456789012", "eu-west-1"),
                "123456789012",
                "us-east-1"
            ),
            "a linked region's finding, seen from the aggregation region"
        );
        let resolved = finding_in(
            "123456789012",
            "us-east-1",
            WorkflowStatus::Resolved,
            ComplianceStatus::Failed,
        );
        assert!(!is_about(&resolved, "123456789012", "us-east-1"));
        let passed = finding_in(
            "123456789012",
            "us-east-1",
            WorkflowStatus::New,
            ComplianceStatus::Passed,
        );
        assert!(!is_about(&passed, "123456789012", "us-east-1"));

        let filters = failed_critical_filters("123456789012", "us-east-1");
        assert_eq!(filters.severity_label().len(), 2);
        assert_eq!(
            filters.compliance_status()[0].value(),
            Some(ComplianceStatus::Failed.as_str())
        );
        assert_eq!(filters.aws_account_id()[0].value(), Some("123456789012"));
        assert_eq!(filters.region()[0].value(), Some("us-east-1"));
    }

    /// SDK values through the conversions and the three checks.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::securityhub::{enabled, fsbp_enabled, no_critical_failed};
        use crate::checks::testing::{data, ok, run, statuses, REGION};
        use crate::finding::Status;
        use crate::model::securityhub::Hub;

        let fsbp = |status: StandardsStatus| {
            standard(
                &StandardsSubscription::builder()
                    .standards_arn(
                        "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
                    )
                    .standards_status(status)
                    .build(),
            )
        };
        let own = AwsSecurityFinding::builder()
            .aws_account_id("123456789012")
            .region("us-east-1")
            .title("IAM root user access key should not exist")
            .severity(Severity::builder().label(SeverityLabel::Critical).build())
            .compliance(
                Compliance::builder()
                    .status(ComplianceStatus::Failed)
                    .build(),
            )
            .record_state(RecordState::Active)
            .build();
        let account = |standard: StandardsStatus, findings: &[AwsSecurityFinding]| {
            let mut sample = FindingSample::default();
            for finding in findings
                .iter()
                .filter(|f| is_about(f, "123456789012", REGION))
            {
                add(&mut sample, finding);
            }
            let mut data = data();
            let hub = &mut data.region_mut(REGION).securityhub;
            hub.hub = ok(Some(Hub {
                arn: "arn:aws:securityhub:us-east-1:123456789012:hub/default".into(),
                subscribed_at: None,
            }));
            hub.standards = ok(vec![fsbp(standard)]);
            hub.failed_findings = ok(sample);
            data
        };
        let ready = || account(StandardsStatus::Ready, &[]);
        assert_eq!(statuses(&run(ready(), true, enabled).await), [Status::Pass]);
        assert_eq!(
            statuses(&run(ready(), true, fsbp_enabled).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(ready(), true, no_critical_failed).await),
            [Status::Pass]
        );
        let pending = account(StandardsStatus::Incomplete, std::slice::from_ref(&own));
        assert_eq!(
            statuses(&run(pending, true, fsbp_enabled).await),
            [Status::Fail]
        );
        let failing = account(StandardsStatus::Ready, std::slice::from_ref(&own));
        assert_eq!(
            statuses(&run(failing, true, no_critical_failed).await),
            [Status::Fail]
        );
    }
}
