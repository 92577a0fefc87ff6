use aws_sdk_cloudtrail::types::ReadWriteType;
use serde::{Deserialize, Serialize};

/// A CloudTrail trail that applies to the region (DescribeTrails, shadow trails included).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trail {
    /// The trail's name.
    pub name: String,
    /// `TrailARN`: the owning account's ID is in it.
    pub arn: String,
    /// `HomeRegion`: where the trail was created (the region read, if AWS leaves it out).
    pub home_region: String,
    /// `IsMultiRegionTrail`: it logs events of every region; `false` if AWS leaves it out.
    pub is_multi_region: bool,
    /// `LogFileValidationEnabled`: CloudTrail writes signed digest files that prove the logs
    /// unchanged; `false` if AWS leaves it out.
    pub log_file_validation: bool,
    /// `KmsKeyId`: the ARN of the KMS key encrypting its log files; `None` for S3-managed
    /// encryption (SSE-S3).
    pub kms_key_id: Option<String>,
    /// `S3BucketName`: the bucket its log files are delivered to.
    pub s3_bucket: Option<String>,
    /// `IsOrganizationTrail`: it logs every account of the organization; `false` if AWS
    /// leaves it out.
    pub is_organization_trail: bool,
    /// `HasCustomEventSelectors`: false means the trail records what a trail records by
    /// default, every management event, read and write. It is what an account that does
    /// not own the trail (a member under an organization trail) can know of its selectors.
    #[serde(default)]
    pub has_custom_event_selectors: Option<bool>,
}

impl Trail {
    /// The account that owns the trail (from its ARN): another account's trail is an
    /// organization trail its management account created for every member.
    pub fn owner(&self) -> Option<&str> {
        super::account_of(&self.arn)
    }

    /// Whether an account other than `account` owns it.
    pub fn owned_elsewhere(&self, account: &str) -> bool {
        self.owner().is_some_and(|owner| owner != account)
    }
}

/// A trail's logging status (GetTrailStatus).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrailStatus {
    /// `IsLogging`: the trail is recording events; `false` if AWS leaves it out.
    pub is_logging: bool,
    /// The S3 error of the latest failed delivery (`AccessDenied`, `NoSuchBucket`):
    /// `IsLogging` stays true while no log file reaches the bucket.
    pub latest_delivery_error: Option<String>,
}

impl TrailStatus {
    /// Logging and delivering: on, and the latest delivery to S3 did not fail.
    pub fn delivers(&self) -> bool {
        self.is_logging
            && self
                .latest_delivery_error
                .as_deref()
                .is_none_or(|e| e.trim().is_empty())
    }
}

/// Which events a trail records (GetEventSelectors): basic or advanced selectors, never
/// both.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventSelectors {
    /// `EventSelectors`: the basic selectors.
    pub basic: Vec<BasicEventSelector>,
    /// `AdvancedEventSelectors`: the advanced selectors.
    pub advanced: Vec<AdvancedEventSelector>,
}

/// A basic event selector (`EventSelectors`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BasicEventSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: String,
    /// `IncludeManagementEvents`: management events are recorded; `true`, AWS's default,
    /// when it leaves it out.
    pub include_management_events: bool,
    /// Event sources whose management events are left out (`kms.amazonaws.com`,
    /// `rdsdata.amazonaws.com`).
    #[serde(default)]
    pub exclude_management_event_sources: Vec<String>,
}

/// An advanced event selector: events matching all of its field selectors are recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdvancedEventSelector {
    /// `Name`: a label, e.g. `Log all management events`.
    pub name: Option<String>,
    /// `FieldSelectors`: the conditions an event must meet.
    pub field_selectors: Vec<FieldSelector>,
}

/// One condition of an advanced event selector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldSelector {
    /// `Field`: the event field compared, e.g. `eventCategory`, `eventSource`,
    /// `resources.type`.
    pub field: String,
    /// `Equals`: the values that match (e.g. `Management`, `Data`); other operators
    /// (`NotEquals`, `StartsWith`, ...) are not kept.
    pub equals: Vec<String>,
}

impl EventSelectors {
    /// Whether every management event, read and write, is recorded. One rule for both
    /// kinds of selector: leaving out any event source (a basic selector's
    /// `ExcludeManagementEventSources`, an advanced selector's `eventSource` field) or
    /// the read or write half records only part of them.
    pub fn records_all_management_events(&self) -> bool {
        let basic = self.basic.iter().any(|s| {
            s.include_management_events
                && ReadWriteType::from(s.read_write_type.as_str()) == ReadWriteType::All
                && s.exclude_management_event_sources.is_empty()
        });
        let advanced = self.advanced.iter().any(|selector| {
            let mut management = false;
            let mut narrowed = false;
            for field in &selector.field_selectors {
                match field.field.as_str() {
                    "eventCategory" => {
                        management = field.equals.iter().any(|v| v == "Management");
                    }
                    // Any other field selector keeps only part of the management events.
                    _ => narrowed = true,
                }
            }
            management && !narrowed
        });
        basic || advanced
    }
}
