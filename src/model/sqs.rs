use serde::{Deserialize, Serialize};

/// A queue's attributes that matter to the audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

/// The queue's name, from its URL (`https://sqs.../123456789012/name`).
pub fn queue_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}
