use serde::{Deserialize, Serialize};

/// A rule's target that has a dead-letter queue for the events it fails to deliver.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetDeadLetter {
    pub event_bus: String,
    pub rule: String,
    pub target_id: String,
    /// The SQS queue events go to when delivery to the target fails.
    pub dead_letter_arn: String,
}
