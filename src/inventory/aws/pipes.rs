use std::collections::BTreeMap;

use aws_sdk_pipes::operation::describe_pipe::DescribePipeOutput;
use aws_sdk_pipes::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::pipes::Pipe;

const SERVICE: &str = "pipes";

impl AwsReader {
    fn pipes(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn pipes_pipes(&self, region: &str) -> Fetched<Vec<Pipe>> {
        let client = self.pipes(region);
        let items = client.list_pipes().into_paginator().items().send();
        self.listed(SERVICE, "ListPipes", region, items, |p| Pipe {
            name: p.name().unwrap_or_default().to_string(),
            arn: p.arn().unwrap_or_default().to_string(),
            source: p.source().map(str::to_string),
            target: p.target().map(str::to_string),
            current_state: p.current_state().map(|s| s.as_str().to_string()),
        })
        .await
    }

    /// Each named pipe's dead-letter queue, from DescribePipe.
    pub(crate) async fn pipes_dead_letters(
        &self,
        region: &str,
        names: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<String>>> {
        let client = self.pipes(region);
        let send = |name: &str| client.describe_pipe().name(name).send();
        self.each_answer(SERVICE, "DescribePipe", names, send, |out| {
            dead_letter(&out)
        })
        .await
    }
}

/// The `DeadLetterConfig.Arn` of the pipe's stream source parameters (Kinesis or
/// DynamoDB: no other source has one).
fn dead_letter(pipe: &DescribePipeOutput) -> Option<String> {
    let source = pipe.source_parameters()?;
    let config = match (
        source.kinesis_stream_parameters(),
        source.dynamo_db_stream_parameters(),
    ) {
        (Some(kinesis), _) => kinesis.dead_letter_config(),
        (None, Some(dynamodb)) => dynamodb.dead_letter_config(),
        (None, None) => None,
    };
    config?.arn().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_pipes::types::{
        DeadLetterConfig, DynamoDbStreamStartPosition, KinesisStreamStartPosition,
        PipeSourceDynamoDbStreamParameters, PipeSourceKinesisStreamParameters,
        PipeSourceParameters, PipeSourceSqsQueueParameters,
    };

    const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:clicks-discarded";

    fn described(source: PipeSourceParameters) -> DescribePipeOutput {
        DescribePipeOutput::builder()
            .name("clicks")
            .source_parameters(source)
            .build()
    }

    fn dlq() -> DeadLetterConfig {
        DeadLetterConfig::builder().arn(DLQ).build()
    }

    /// moto 5.2.1 answers ListPipes and DescribePipe (with the DeadLetterConfig); these
    /// SDK values pin the conversion of each stream source.
    #[test]
    fn the_dead_letter_queue_of_a_stream_source_is_read() {
        let kinesis = PipeSourceKinesisStreamParameters::builder()
            .starting_position(KinesisStreamStartPosition::Latest)
            .dead_letter_config(dlq())
            .build()
            .unwrap();
        let dynamodb = PipeSourceDynamoDbStreamParameters::builder()
            .starting_position(DynamoDbStreamStartPosition::TrimHorizon)
            .dead_letter_config(dlq())
            .build()
            .unwrap();
        let without = PipeSourceKinesisStreamParameters::builder()
            .starting_position(KinesisStreamStartPosition::Latest)
            .build()
            .unwrap();
        let source = PipeSourceParameters::builder();
        assert_eq!(
            dead_letter(&described(
                source.clone().kinesis_stream_parameters(kinesis).build()
            ))
            .as_deref(),
            Some(DLQ)
        );
        assert_eq!(
            dead_letter(&described(
                source.clone().dynamo_db_stream_parameters(dynamodb).build()
            ))
            .as_deref(),
            Some(DLQ)
        );
        assert_eq!(
            dead_letter(&described(
                source.clone().kinesis_stream_parameters(without).build()
            )),
            None
        );
        let sqs = PipeSourceSqsQueueParameters::builder()
            .batch_size(10)
            .build();
        assert_eq!(
            dead_letter(&described(source.sqs_queue_parameters(sqs).build())),
            None
        );
        assert_eq!(dead_letter(&DescribePipeOutput::builder().build()), None);
    }
}
