use serde::{Deserialize, Serialize};

/// An EventBridge pipe as ListPipes describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pipe {
    /// The pipe's name, unique within the region.
    pub name: String,
    /// The pipe's ARN.
    pub arn: String,
    /// The ARN (or, for brokers, the URL) the pipe reads from.
    pub source: Option<String>,
    /// The ARN of the resource the pipe sends events to.
    pub target: Option<String>,
    /// `CurrentState` (`RUNNING`, `STOPPED`, `CREATE_FAILED`, ...).
    pub current_state: Option<String>,
}

impl Pipe {
    /// Whether the pipe reads a Kinesis or DynamoDB stream: the only sources whose
    /// parameters have a `DeadLetterConfig`.
    pub fn reads_a_stream(&self) -> bool {
        let service = self.source.as_deref().and_then(super::service_of);
        matches!(service, Some("kinesis" | "dynamodb"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stream_sourced_pipes_can_have_a_dead_letter_queue() {
        let pipe = |source: Option<&str>| Pipe {
            name: "p".into(),
            arn: "arn:aws:pipes:us-east-1:123456789012:pipe/p".into(),
            source: source.map(str::to_string),
            target: None,
            current_state: None,
        };
        let streams = [
            "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000",
        ];
        assert!(streams.iter().all(|s| pipe(Some(s)).reads_a_stream()));
        assert!(!pipe(Some("arn:aws:sqs:us-east-1:123456789012:orders")).reads_a_stream());
        assert!(!pipe(Some("smk://broker.example.com:9092")).reads_a_stream());
        assert!(!pipe(None).reads_a_stream());
    }
}
