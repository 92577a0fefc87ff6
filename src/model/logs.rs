use aws_sdk_cloudwatchlogs::types::LogGroupClass;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A log group as DescribeLogGroups returns it. DescribeLogGroups returns no tags
/// (ListTagsForResource would): `tagging.resources` holds them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogGroup {
    /// logGroupName: the log group's name, e.g. `/aws/lambda/checkout`.
    pub name: String,
    /// arn: the log group's ARN with a trailing `:*`, as IAM policies name it.
    pub arn: Option<String>,
    /// logGroupArn: the log group's ARN without the trailing `:*`, as tagging names it.
    #[serde(default)]
    pub log_group_arn: Option<String>,
    /// `None`: the logs never expire.
    pub retention_days: Option<i32>,
    /// `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY`; `None` where not reported.
    #[serde(default)]
    pub class: Option<String>,
    /// kmsKeyId: the ARN of the KMS key encrypting its data; `None`: CloudWatch Logs'
    /// own encryption.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// storedBytes: the bytes stored.
    #[serde(default)]
    pub stored_bytes: Option<i64>,
    /// creationTime: when the log group was created.
    #[serde(default)]
    pub creation_time: Option<DateTime<Utc>>,
    /// metricFilterCount: how many metric filters read it.
    #[serde(default)]
    pub metric_filter_count: Option<i32>,
    /// dataProtectionStatus: `ACTIVATED`, `DELETED`, `ARCHIVED` or `DISABLED`; `None`:
    /// it never had a data protection policy.
    #[serde(default)]
    pub data_protection_status: Option<String>,
    /// deletionProtectionEnabled: whether deletion protection blocks deleting it.
    #[serde(default)]
    pub deletion_protection_enabled: Option<bool>,
}

impl LogGroup {
    /// A `DELIVERY`-class group only passes logs on (to S3 or Firehose): CloudWatch
    /// keeps them one day, and its retention cannot be changed.
    pub fn is_delivery_class(&self) -> bool {
        self.class.as_deref().map(LogGroupClass::from) == Some(LogGroupClass::Delivery)
    }
}
