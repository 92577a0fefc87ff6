//! AWS Security Finding Format (ASFF), the shape Security Hub imports: a JSON array of
//! findings for `aws securityhub batch-import-findings` (at most 100 a call). orr never
//! writes to Security Hub itself. Validated in a test against the BatchImportFindings
//! input shape of the published Security Hub API model.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::audit::Audit;
use crate::finding::{Category, Finding, Severity, Status};

pub fn render(audit: &Audit) -> Result<String> {
    array_of(audit, "ASFF", finding)
}

/// A JSON array of one value per exported finding. PASS is exported too, so a findings
/// store can resolve what was fixed; NA and MANUAL findings say nothing about a
/// resource's state and are left out.
pub(crate) fn array_of(
    audit: &Audit,
    format: &str,
    convert: fn(&Audit, &Finding) -> Value,
) -> Result<String> {
    let values: Vec<Value> = audit
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.status,
                Status::Pass | Status::Fail | Status::Error | Status::Waived
            )
        })
        .map(|f| convert(audit, f))
        .collect();
    let mut text = serde_json::to_string_pretty(&values)
        .with_context(|| format!("cannot serialize {format}"))?;
    text.push('\n');
    Ok(text)
}

fn finding(audit: &Audit, finding: &Finding) -> Value {
    let entry = audit.entry(&finding.check_id);
    let partition = partition(audit, finding);
    let region = finding
        .region
        .as_deref()
        .map(str::to_string)
        .or_else(|| home_region(audit, &finding.account_id))
        .unwrap_or_else(|| "us-east-1".to_string());
    let account = &finding.account_id;
    let at = audit
        .run
        .started_at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (compliance, workflow) = match finding.status {
        Status::Pass => ("PASSED", "RESOLVED"),
        Status::Fail => ("FAILED", "NEW"),
        Status::Waived => ("FAILED", "SUPPRESSED"),
        _ => ("NOT_AVAILABLE", "NEW"),
    };
    let mut value = json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("orr/{account}/{}", finding.fingerprint),
        "ProductArn": format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        "ProductName": "orr",
        "CompanyName": "orr",
        "GeneratorId": format!("orr/{}", finding.check_id),
        "AwsAccountId": account,
        "Types": [finding_type(finding.category)],
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": { "Label": label(finding.severity), "Original": finding.severity.as_str() },
        "Title": clip(&finding.title, 256),
        "Description": clip(&finding.message, 1024),
        "Resources": [{
            "Type": resource_type(&finding.resource_type),
            "Id": clip(&finding.resource_id, 512),
            "Partition": partition,
            "Region": region,
        }],
        "Compliance": { "Status": compliance },
        "Workflow": { "Status": workflow },
        "RecordState": "ACTIVE",
        "ProductFields": {
            "orr/CheckId": finding.check_id,
            "orr/Status": finding.status.as_str(),
            "orr/Fingerprint": finding.fingerprint,
        },
    });
    if let Some(entry) = entry {
        // Security Hub takes at most 32 related requirements per finding.
        let requirements: Vec<String> = entry
            .compliance
            .well_architected
            .iter()
            .map(|id| format!("AWS Well-Architected {id}"))
            .chain(
                entry
                    .compliance
                    .orr_lens
                    .iter()
                    .map(|id| format!("AWS ORR lens {id}")),
            )
            .take(32)
            .collect();
        if !requirements.is_empty() {
            value["Compliance"]["RelatedRequirements"] = json!(requirements);
        }
        let mut recommendation = json!({ "Text": clip(&entry.remediation.summary, 512) });
        if let Some(url) = entry.references.first() {
            recommendation["Url"] = json!(url);
        }
        value["Remediation"] = json!({ "Recommendation": recommendation });
    }
    if let Some(waiver) = &finding.waiver {
        value["Note"] = json!({
            "Text": clip(&format!("waived until {}: {}", waiver.expires, waiver.reason), 512),
            "UpdatedBy": clip(&waiver.approved_by, 512),
            "UpdatedAt": at,
        });
    }
    value
}

/// Security Hub's type taxonomy (namespace/category): security checks are best
/// practices; the other categories are operational standards.
fn finding_type(category: Category) -> &'static str {
    match category {
        Category::Security => "Software and Configuration Checks/AWS Security Best Practices",
        _ => "Software and Configuration Checks/Industry and Regulatory Standards",
    }
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// Security Hub's names for the resource types orr reports; anything else is `Other`
/// (a type Security Hub accepts).
const RESOURCE_TYPES: &[(&str, &str)] = &[
    ("AWS::::Account", "AwsAccount"),
    (
        "AWS::AutoScaling::AutoScalingGroup",
        "AwsAutoScalingAutoScalingGroup",
    ),
    (
        "AWS::CertificateManager::Certificate",
        "AwsCertificateManagerCertificate",
    ),
    ("AWS::CloudTrail::Trail", "AwsCloudTrailTrail"),
    ("AWS::CloudWatch::Alarm", "AwsCloudWatchAlarm"),
    ("AWS::DynamoDB::Table", "AwsDynamoDbTable"),
    ("AWS::EC2::Instance", "AwsEc2Instance"),
    ("AWS::EC2::SecurityGroup", "AwsEc2SecurityGroup"),
    ("AWS::EC2::VPC", "AwsEc2Vpc"),
    ("AWS::ECS::Cluster", "AwsEcsCluster"),
    ("AWS::ECS::Service", "AwsEcsService"),
    (
        "AWS::ElastiCache::CacheCluster",
        "AwsElastiCacheCacheCluster",
    ),
    (
        "AWS::ElastiCache::ReplicationGroup",
        "AwsElastiCacheReplicationGroup",
    ),
    (
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AwsElbv2LoadBalancer",
    ),
    ("AWS::GuardDuty::Detector", "AwsGuardDutyDetector"),
    ("AWS::IAM::Policy", "AwsIamPolicy"),
    ("AWS::IAM::Role", "AwsIamRole"),
    ("AWS::IAM::User", "AwsIamUser"),
    ("AWS::KMS::Key", "AwsKmsKey"),
    (
        "AWS::Lambda::EventSourceMapping",
        "AwsLambdaEventSourceMapping",
    ),
    ("AWS::Lambda::Function", "AwsLambdaFunction"),
    ("AWS::RDS::DBCluster", "AwsRdsDbCluster"),
    ("AWS::RDS::DBClusterSnapshot", "AwsRdsDbClusterSnapshot"),
    ("AWS::RDS::DBInstance", "AwsRdsDbInstance"),
    ("AWS::RDS::DBSnapshot", "AwsRdsDbSnapshot"),
    ("AWS::S3::Bucket", "AwsS3Bucket"),
    ("AWS::SecretsManager::Secret", "AwsSecretsManagerSecret"),
    ("AWS::SNS::Topic", "AwsSnsTopic"),
    ("AWS::SQS::Queue", "AwsSqsQueue"),
];

fn resource_type(kind: &str) -> &'static str {
    RESOURCE_TYPES
        .iter()
        .find(|(ours, _)| *ours == kind)
        .map_or("Other", |(_, theirs)| theirs)
}

/// The partition of the account, from the identity that read it.
pub(crate) fn partition(audit: &Audit, finding: &Finding) -> String {
    let arn = audit
        .run
        .accounts
        .iter()
        .find(|a| *a.id == *finding.account_id)
        .and_then(|a| a.collected_by.as_deref().or(a.role_arn.as_deref()))
        .or(audit.run.collected_by.as_deref())
        .unwrap_or("arn:aws");
    crate::accounts::partition_of(arn).to_string()
}

/// Where a global finding of an account is filed: its first audited region.
pub(crate) fn home_region(audit: &Audit, account: &str) -> Option<String> {
    audit
        .run
        .accounts
        .iter()
        .find(|a| a.id == account)
        .and_then(|a| a.regions.first())
        .or(audit.run.regions.first())
        .cloned()
}

/// At most `max` characters, as the API allows.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        super::shorten(text, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_follow_security_hub_names() {
        assert_eq!(resource_type("AWS::S3::Bucket"), "AwsS3Bucket");
        assert_eq!(resource_type("AWS::RDS::DBInstance"), "AwsRdsDbInstance");
        assert_eq!(resource_type("AWS::IAM::RootUser"), "Other");
    }
}
