use serde::{Deserialize, Serialize};

/// A rule's target that has a dead-letter queue for the events it fails to deliver.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetDeadLetter {
    /// The name of the event bus the rule is on (`default` for the account's default bus).
    pub event_bus: String,
    /// The rule's name (ListRules).
    pub rule: String,
    /// The target's `Id`, unique within its rule (ListTargetsByRule).
    pub target_id: String,
    /// The SQS queue events go to when delivery to the target fails.
    pub dead_letter_arn: String,
}
