use serde::{Deserialize, Serialize};

/// The attributes of an SNS topic that orr reads (GetTopicAttributes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TopicAttributes {
    /// `KmsMasterKeyId`: the KMS key (ID, alias or ARN) encrypting the topic at rest; `None`
    /// when the topic is not encrypted (the attribute is absent or empty).
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
