use serde::{Deserialize, Serialize};

/// A function's name and identity only: its code and environment are never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LambdaFunction {
    pub name: String,
    pub arn: String,
    /// Where failed asynchronous invocations go (`DeadLetterConfig.TargetArn`).
    #[serde(default)]
    pub dead_letter_target: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub function_arn: String,
    pub event_source_arn: Option<String>,
    pub function_response_types: Vec<String>,
    pub state: Option<String>,
    /// `ScalingConfig.MaximumConcurrency`: the most concurrent invocations this SQS
    /// source may drive (2 to 1,000), AWS's own bound on a queue backlog.
    #[serde(default)]
    pub maximum_concurrency: Option<i32>,
    /// `DestinationConfig.OnFailure.Destination`: where a stream or Kafka source sends
    /// the records of batches it discards (an SQS queue, an SNS topic, an S3 bucket).
    #[serde(default)]
    pub on_failure_destination: Option<String>,
}

impl EventSourceMapping {
    /// Whether the function reports which messages of a batch failed.
    pub fn reports_batch_item_failures(&self) -> bool {
        self.function_response_types.iter().any(|t| {
            aws_sdk_lambda::types::FunctionResponseType::from(t.as_str())
                == aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures
        })
    }

    pub fn is_sqs(&self) -> bool {
        self.event_source_arn
            .as_deref()
            .and_then(super::service_of)
            .is_some_and(|service| service == "sqs")
    }

    /// The function's name, from its (possibly qualified) ARN.
    pub fn function_name(&self) -> &str {
        let mut parts = self.function_arn.split(':');
        parts.nth(6).unwrap_or(&self.function_arn)
    }
}

/// The region's concurrency pool (GetAccountSettings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountConcurrency {
    /// `AccountLimit.ConcurrentExecutions`: the region's quota.
    pub limit: i32,
    /// `AccountLimit.UnreservedConcurrentExecutions`: what functions without reserved
    /// concurrency share.
    pub unreserved: i32,
}
