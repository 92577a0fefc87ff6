use serde::{Deserialize, Serialize};

/// An EventBridge pipe as ListPipes describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pipe {
    pub name: String,
    pub arn: String,
    /// The ARN (or, for brokers, the URL) the pipe reads from.
    pub source: Option<String>,
    pub target: Option<String>,
    /// `CurrentState` (`RUNNING`, `STOPPED`, `CREATE_FAILED`, ...).
    pub current_state: Option<String>,
}

impl Pipe {
    /// Whether the pipe reads a Kinesis or DynamoDB stream: the only sources whose
    /// parameters have a `DeadLetterConfig`.
    pub fn reads_a_stream(&self) -> bool {
        let service = self.source.as_deref().and_then(|arn| arn.split(':').nth(2));
        matches!(service, Some("kinesis" | "dynamodb"))
    }
}
