use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A queue and its attributes (GetQueueAttributes with `All`; its tags need ListQueueTags,
/// which is not read: see `tagging.resources`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Queue {
    /// The queue's URL, e.g. `https://sqs.us-east-1.amazonaws.com/123456789012/orders`.
    pub url: String,
    /// QueueArn: the queue's ARN.
    pub arn: String,
    /// KmsMasterKeyId: the KMS key (id, ARN or alias) of SSE-KMS, if used.
    pub kms_key_id: Option<String>,
    /// SqsManagedSseEnabled: whether SSE-SQS (SQS-owned keys) encrypts the queue.
    pub sqs_managed_sse: bool,
    /// RedrivePolicy.deadLetterTargetArn: the queue its failed messages go to.
    pub dead_letter_target: Option<String>,
    /// RedrivePolicy.maxReceiveCount: receives before a message moves to that queue.
    pub max_receive_count: Option<i64>,
    /// RedriveAllowPolicy (JSON): set on a queue that declares which queues may use it as
    /// their dead-letter queue.
    pub redrive_allow_policy: Option<String>,
    /// VisibilityTimeout: seconds a received message stays hidden from other consumers.
    #[serde(default)]
    pub visibility_timeout_secs: Option<i64>,
    /// MessageRetentionPeriod: seconds a message is kept (60 to 1,209,600).
    #[serde(default)]
    pub message_retention_secs: Option<i64>,
    /// MaximumMessageSize: the largest message accepted, in bytes.
    #[serde(default)]
    pub max_message_size_bytes: Option<i64>,
    /// DelaySeconds: the default delay before a new message can be received.
    #[serde(default)]
    pub delay_secs: Option<i64>,
    /// ReceiveMessageWaitTimeSeconds: the default long-polling wait (0: short polling).
    #[serde(default)]
    pub receive_wait_secs: Option<i64>,
    /// KmsDataKeyReusePeriodSeconds: how long SSE-KMS reuses a data key.
    #[serde(default)]
    pub kms_data_key_reuse_secs: Option<i64>,
    /// FifoQueue: whether it is a FIFO queue.
    #[serde(default)]
    pub fifo: bool,
    /// ContentBasedDeduplication: whether a FIFO queue deduplicates by a hash of the body.
    #[serde(default)]
    pub content_based_deduplication: bool,
    /// CreatedTimestamp: when the queue was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// LastModifiedTimestamp: when its attributes last changed.
    #[serde(default)]
    pub last_modified: Option<DateTime<Utc>>,
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
