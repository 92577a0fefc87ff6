use aws_sdk_cloudtrail::types::ReadWriteType;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub is_multi_region: bool,
    pub log_file_validation: bool,
    pub kms_key_id: Option<String>,
    pub s3_bucket: Option<String>,
    pub is_organization_trail: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrailStatus {
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventSelectors {
    pub basic: Vec<BasicEventSelector>,
    pub advanced: Vec<AdvancedEventSelector>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BasicEventSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: String,
    pub include_management_events: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdvancedEventSelector {
    pub name: Option<String>,
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSelector {
    pub field: String,
    pub equals: Vec<String>,
}

impl EventSelectors {
    /// Whether every management event, read and write, is recorded.
    pub fn records_all_management_events(&self) -> bool {
        let basic = self.basic.iter().any(|s| {
            s.include_management_events
                && ReadWriteType::from(s.read_write_type.as_str()) == ReadWriteType::All
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
