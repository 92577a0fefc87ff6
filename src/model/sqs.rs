use serde::{Deserialize, Serialize};

/// A queue's attributes that matter to the audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Queue {
    pub url: String,
    pub arn: String,
    pub kms_key_id: Option<String>,
    pub sqs_managed_sse: bool,
    /// The queue its failed messages go to, and after how many receives.
    pub dead_letter_target: Option<String>,
    pub max_receive_count: Option<i64>,
    /// Set on a queue that declares which queues may use it as their DLQ.
    pub redrive_allow_policy: Option<String>,
}

impl Queue {
    pub fn name(&self) -> &str {
        self.arn.rsplit(':').next().unwrap_or(&self.url)
    }

    /// `redrivePermission` of the queue's `RedriveAllowPolicy` (`allowAll`, `denyAll`
    /// or `byQueue`), where it has one that parses.
    pub fn redrive_permission(&self) -> Option<String> {
        let policy: serde_json::Value =
            serde_json::from_str(self.redrive_allow_policy.as_deref()?).ok()?;
        policy
            .get("redrivePermission")?
            .as_str()
            .map(str::to_string)
    }
}

/// `denyAll`: no queue may use this one as its dead-letter queue (SQS's documented
/// values are `allowAll`, the default, `denyAll` and `byQueue`; they are JSON inside an
/// attribute, with no SDK enum).
pub const REDRIVE_DENY_ALL: &str = "denyAll";

/// The queue's name, from its URL (`https://sqs.../123456789012/name`).
pub fn queue_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}
