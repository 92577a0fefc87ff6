use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TopicAttributes {
    pub kms_master_key_id: Option<String>,
}

/// The dead-letter queue of a subscription's `RedrivePolicy`, if it has one.
pub fn dead_letter_target(redrive_policy: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(redrive_policy)
        .ok()?
        .get("deadLetterTargetArn")?
        .as_str()
        .map(str::to_string)
}
