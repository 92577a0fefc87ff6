use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A function's configuration as ListFunctions returns it (its unpublished `$LATEST`
/// version). Its code and its environment variables are never kept. ListFunctions
/// returns no tags: `tagging.resources` has them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LambdaFunction {
    /// FunctionName: the function's name.
    pub name: String,
    /// FunctionArn: the function's ARN.
    pub arn: String,
    /// DeadLetterConfig.TargetArn: where failed asynchronous invocations go.
    #[serde(default)]
    pub dead_letter_target: Option<String>,
    /// Runtime: the runtime identifier, e.g. `python3.13`, `nodejs22.x`; `None` for a
    /// container image function.
    #[serde(default)]
    pub runtime: Option<String>,
    /// Architectures: the instruction set, `x86_64` or `arm64`.
    #[serde(default)]
    pub architectures: Vec<String>,
    /// MemorySize: the memory available to the function, in MB.
    #[serde(default)]
    pub memory_size_mb: Option<i32>,
    /// Timeout: the seconds a single invocation may run.
    #[serde(default)]
    pub timeout_secs: Option<i32>,
    /// PackageType: `Zip` (a .zip archive) or `Image` (a container image).
    #[serde(default)]
    pub package_type: Option<String>,
    /// Role: the ARN of the function's execution role.
    #[serde(default)]
    pub role: Option<String>,
    /// VpcConfig: the VPC the function reaches, if it is connected to one.
    #[serde(default)]
    pub vpc_config: Option<FunctionVpcConfig>,
    /// Layers[].Arn: the layer versions the function uses.
    #[serde(default)]
    pub layers: Vec<String>,
    /// TracingConfig.Mode: `Active` (X-Ray samples and traces) or `PassThrough`.
    #[serde(default)]
    pub tracing_mode: Option<String>,
    /// LastModified: when the function's configuration or code last changed.
    #[serde(default)]
    pub last_modified: Option<DateTime<Utc>>,
    /// CodeSize: the size of the deployment package, in bytes.
    #[serde(default)]
    pub code_size_bytes: Option<i64>,
    /// EphemeralStorage.Size: the size of the function's `/tmp`, in MB (512 to 10,240).
    #[serde(default)]
    pub ephemeral_storage_mb: Option<i32>,
}

/// A function's VPC connection (VpcConfig).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionVpcConfig {
    /// VpcId: the VPC.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// SubnetIds: the subnets its network interfaces are placed in.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// SecurityGroupIds: the security groups of its network interfaces.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventSourceMapping {
    /// UUID: the mapping's id.
    pub uuid: String,
    /// FunctionArn: the function it invokes.
    pub function_arn: String,
    /// EventSourceArn: the queue, stream or topic it reads (`None` for a self-managed Kafka source).
    pub event_source_arn: Option<String>,
    /// FunctionResponseTypes: `ReportBatchItemFailures` when the function reports which records of a batch failed.
    pub function_response_types: Vec<String>,
    /// State: `Enabled`, `Disabled`, `Creating`, `Updating`, ...
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountConcurrency {
    /// `AccountLimit.ConcurrentExecutions`: the region's quota.
    pub limit: i32,
    /// `AccountLimit.UnreservedConcurrentExecutions`: what functions without reserved
    /// concurrency share.
    pub unreserved: i32,
}
