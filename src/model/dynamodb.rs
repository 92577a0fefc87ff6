use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A table's continuous backups (DescribeContinuousBackups).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableBackups {
    /// PointInTimeRecoveryStatus: `ENABLED` or `DISABLED`.
    pub point_in_time_recovery: Option<String>,
}

/// A table's time to live (DescribeTimeToLive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableTtl {
    /// TimeToLiveStatus: `ENABLED`, `ENABLING`, `DISABLED` or `DISABLING`.
    pub status: String,
    /// AttributeName: the attribute holding each item's expiry time, where TTL is set.
    pub attribute: Option<String>,
}

/// A table as DescribeTable describes it (`Table`). DescribeTable returns no tags
/// (ListTagsOfResource would): `tagging.resources` holds them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableDescription {
    /// TableArn: the table's ARN.
    pub arn: String,
    /// TableName: the table's name.
    pub name: String,
    /// TableStatus: `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`,
    /// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`, `ARCHIVING` or `ARCHIVED`.
    #[serde(default)]
    pub status: Option<String>,
    /// BillingModeSummary.BillingMode: `PROVISIONED` or `PAY_PER_REQUEST` (on-demand);
    /// `None` where DescribeTable leaves the summary out.
    #[serde(default)]
    pub billing_mode: Option<String>,
    /// ProvisionedThroughput.ReadCapacityUnits: provisioned reads per second (0 on demand).
    #[serde(default)]
    pub read_capacity_units: Option<i64>,
    /// ProvisionedThroughput.WriteCapacityUnits: provisioned writes per second (0 on demand).
    #[serde(default)]
    pub write_capacity_units: Option<i64>,
    /// ItemCount: the number of items, updated by DynamoDB about every six hours.
    #[serde(default)]
    pub item_count: Option<i64>,
    /// TableSizeBytes: the table's size, updated by DynamoDB about every six hours.
    #[serde(default)]
    pub size_bytes: Option<i64>,
    /// CreationDateTime: when the table was created.
    #[serde(default)]
    pub creation_time: Option<DateTime<Utc>>,
    /// DeletionProtectionEnabled: whether deletion protection blocks deleting the table.
    #[serde(default)]
    pub deletion_protection_enabled: Option<bool>,
    /// SSEDescription.Status: `ENABLING`, `ENABLED`, `DISABLING`, `DISABLED` or
    /// `UPDATING`; `None`: no SSEDescription, the table is encrypted with a key AWS owns.
    #[serde(default)]
    pub sse_status: Option<String>,
    /// SSEDescription.SSEType: `KMS` (a KMS key in the account) or `AES256`.
    #[serde(default)]
    pub sse_type: Option<String>,
    /// SSEDescription.KMSMasterKeyArn: the KMS key encrypting the table, for `KMS`.
    #[serde(default)]
    pub kms_key_arn: Option<String>,
    /// StreamSpecification.StreamEnabled: whether DynamoDB Streams is on.
    #[serde(default)]
    pub stream_enabled: bool,
    /// StreamSpecification.StreamViewType: `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or
    /// `NEW_AND_OLD_IMAGES`, where the stream is on.
    #[serde(default)]
    pub stream_view_type: Option<String>,
    /// LatestStreamArn: the ARN of the table's latest stream.
    #[serde(default)]
    pub latest_stream_arn: Option<String>,
    /// TableClassSummary.TableClass: `STANDARD` or `STANDARD_INFREQUENT_ACCESS`; `None`
    /// where DescribeTable leaves the summary out.
    #[serde(default)]
    pub table_class: Option<String>,
    /// GlobalTableVersion: the global tables version (`2019.11.21` or `2017.11.29`),
    /// where the table is replicated across regions.
    #[serde(default)]
    pub global_table_version: Option<String>,
    /// Replicas[].RegionName: the regions of the global table's replicas.
    #[serde(default)]
    pub replica_regions: Vec<String>,
    /// KeySchema's `HASH` element: the partition key's attribute name.
    #[serde(default)]
    pub partition_key: Option<String>,
    /// KeySchema's `RANGE` element: the sort key's attribute name, if the table has one.
    #[serde(default)]
    pub sort_key: Option<String>,
}
