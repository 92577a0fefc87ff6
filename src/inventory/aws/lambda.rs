use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use aws_sdk_lambda::types::{
    DestinationConfig, EventSourceMappingConfiguration, FunctionConfiguration,
    FunctionEventInvokeConfig,
};
use aws_sdk_lambda::Client;

use super::{all_items, fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::lambda::{
    AccountConcurrency, EventSourceMapping, FunctionVpcConfig, LambdaFunction,
};

const SERVICE: &str = "lambda";

impl AwsReader {
    fn lambda(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn lambda_account_concurrency(
        &self,
        region: &str,
    ) -> Fetched<AccountConcurrency> {
        self.call(self.lambda(region).get_account_settings().send())
            .await
            .map_err(|e| fetch_error(SERVICE, "GetAccountSettings", Some(region), &e))
            .and_then(|out| {
                account_concurrency(&out).ok_or_else(|| {
                    FetchError::new(
                        SERVICE,
                        "GetAccountSettings",
                        Some(region),
                        "IncompleteAnswer",
                        "the answer has no AccountLimit.ConcurrentExecutions or UnreservedConcurrentExecutions",
                    )
                })
            })
            .into()
    }

    pub(crate) async fn lambda_functions(&self, region: &str) -> Fetched<Vec<LambdaFunction>> {
        let client = self.lambda(region);
        let items = client.list_functions().into_paginator().items().send();
        self.listed(SERVICE, "ListFunctions", region, items, function)
            .await
    }

    pub(crate) async fn lambda_event_source_mappings(
        &self,
        region: &str,
    ) -> Fetched<Vec<EventSourceMapping>> {
        let client = self.lambda(region);
        let items = client
            .list_event_source_mappings()
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "ListEventSourceMappings", region, items, mapping)
            .await
    }

    /// Each function's `OnFailure` destinations for asynchronous invocations.
    pub(crate) async fn lambda_failure_destinations(
        &self,
        region: &str,
        functions: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<String>>> {
        let client = self.lambda(region);
        self.per_resource(functions, |name| {
            let client = client.clone();
            async move {
                let configs: Vec<FunctionEventInvokeConfig> = all_items(
                    SERVICE,
                    "ListFunctionEventInvokeConfigs",
                    &name,
                    client
                        .list_function_event_invoke_configs()
                        .function_name(&name)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(configs.iter().filter_map(failure_destination).collect())
            }
        })
        .await
    }

    pub(crate) async fn lambda_reserved_concurrency(
        &self,
        region: &str,
        functions: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<i32>>> {
        let client = self.lambda(region);
        self.per_resource(functions, |name| {
            let client = client.clone();
            async move {
                client
                    .get_function_concurrency()
                    .function_name(&name)
                    .send()
                    .await
                    .map(|out| out.reserved_concurrent_executions())
                    .map_err(|e| fetch_error(SERVICE, "GetFunctionConcurrency", Some(&name), &e))
            }
        })
        .await
    }
}

/// A function's configuration. ListFunctions also returns each function's environment
/// variables: they are dropped here, never stored, never printed.
fn function(f: &FunctionConfiguration) -> LambdaFunction {
    let text = |s: Option<&str>| s.map(str::to_string);
    LambdaFunction {
        name: f.function_name().unwrap_or_default().to_string(),
        arn: f.function_arn().unwrap_or_default().to_string(),
        dead_letter_target: text(f.dead_letter_config().and_then(|d| d.target_arn())),
        runtime: f.runtime().map(|r| r.as_str().to_string()),
        architectures: f
            .architectures()
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        memory_size_mb: f.memory_size(),
        timeout_secs: f.timeout(),
        package_type: f.package_type().map(|p| p.as_str().to_string()),
        role: text(f.role()),
        vpc_config: f.vpc_config().map(|v| FunctionVpcConfig {
            vpc_id: text(v.vpc_id()),
            subnet_ids: v.subnet_ids().to_vec(),
            security_group_ids: v.security_group_ids().to_vec(),
        }),
        layers: f.layers().iter().filter_map(|l| text(l.arn())).collect(),
        tracing_mode: f
            .tracing_config()
            .and_then(|t| t.mode())
            .map(|m| m.as_str().to_string()),
        last_modified: f.last_modified().and_then(last_modified),
        // The SDK reads an absent CodeSize as 0; no deployment package is empty.
        code_size_bytes: Some(f.code_size()).filter(|&size| size > 0),
        ephemeral_storage_mb: f.ephemeral_storage().map(|e| e.size()),
    }
}

/// LastModified is a string, not a timestamp: ISO 8601 with an offset and no colon in it
/// (`2024-11-05T17:10:20.617+0000`); RFC 3339 is read too. `None` when it is neither.
fn last_modified(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn account_concurrency(
    out: &aws_sdk_lambda::operation::get_account_settings::GetAccountSettingsOutput,
) -> Option<AccountConcurrency> {
    let limit = out.account_limit()?;
    Some(AccountConcurrency {
        limit: limit.concurrent_executions(),
        unreserved: limit.unreserved_concurrent_executions()?,
    })
}

fn failure_destination(config: &FunctionEventInvokeConfig) -> Option<String> {
    on_failure(config.destination_config())
}

/// `DestinationConfig.OnFailure.Destination`, the same shape for asynchronous
/// invocations and for event source mappings.
fn on_failure(config: Option<&DestinationConfig>) -> Option<String> {
    config?.on_failure()?.destination().map(str::to_string)
}

fn mapping(mapping: &EventSourceMappingConfiguration) -> EventSourceMapping {
    EventSourceMapping {
        uuid: mapping.uuid().unwrap_or_default().to_string(),
        function_arn: mapping.function_arn().unwrap_or_default().to_string(),
        event_source_arn: mapping.event_source_arn().map(str::to_string),
        function_response_types: mapping
            .function_response_types()
            .iter()
            .map(|t| t.as_str().to_string())
            .collect(),
        maximum_concurrency: mapping
            .scaling_config()
            .and_then(|c| c.maximum_concurrency()),
        state: mapping.state().map(str::to_string),
        on_failure_destination: on_failure(mapping.destination_config()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lambda::{reserved_concurrency, sqs_partial_batch};
    use crate::checks::testing::{data, run, status_of, statuses, REGION};
    use crate::finding::Status;
    use crate::inventory::Memo;
    use aws_sdk_lambda::types::{FunctionResponseType, ScalingConfig};

    /// What a policy reads of a function comes through from the SDK's values; its
    /// environment variables (names and values) are not kept.
    #[test]
    fn function_attributes_are_carried_and_the_environment_is_not() {
        use aws_sdk_lambda::types::{
            Architecture, EnvironmentResponse, EphemeralStorage, Layer, PackageType, Runtime,
            TracingConfigResponse, TracingMode, VpcConfigResponse,
        };

        let sdk = FunctionConfiguration::builder()
            .function_name("thumbs")
            .function_arn("arn:aws:lambda:us-east-1:123456789012:function:thumbs")
            .runtime(Runtime::Python39)
            .architectures(Architecture::Arm64)
            .memory_size(1024)
            .timeout(30)
            .package_type(PackageType::Zip)
            .role("arn:aws:iam::123456789012:role/thumbs")
            .vpc_config(
                VpcConfigResponse::builder()
                    .vpc_id("vpc-1")
                    .subnet_ids("subnet-a")
                    .subnet_ids("subnet-b")
                    .security_group_ids("sg-fn")
                    .build(),
            )
            .layers(
                Layer::builder()
                    .arn("arn:aws:lambda:us-east-1:123456789012:layer:pillow:3")
                    .build(),
            )
            .tracing_config(
                TracingConfigResponse::builder()
                    .mode(TracingMode::Active)
                    .build(),
            )
            .last_modified("2024-11-05T17:10:20.617+0000")
            .code_size(5_242_880)
            .ephemeral_storage(EphemeralStorage::builder().size(2048).build().unwrap())
            .environment(
                EnvironmentResponse::builder()
                    .variables("DB_PASSWORD", "hunter2-not-for-policies")
                    .build(),
            )
            .build();
        let found = function(&sdk);
        assert_eq!(found.runtime.as_deref(), Some("python3.9"));
        assert_eq!(found.architectures, ["arm64"]);
        assert_eq!(
            (found.memory_size_mb, found.timeout_secs),
            (Some(1024), Some(30))
        );
        assert_eq!(found.package_type.as_deref(), Some("Zip"));
        assert_eq!(
            found.role.as_deref(),
            Some("arn:aws:iam::123456789012:role/thumbs")
        );
        let vpc = found.vpc_config.as_ref().unwrap();
        assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-1"));
        assert_eq!(vpc.subnet_ids, ["subnet-a", "subnet-b"]);
        assert_eq!(vpc.security_group_ids, ["sg-fn"]);
        assert_eq!(
            found.layers,
            ["arn:aws:lambda:us-east-1:123456789012:layer:pillow:3"]
        );
        assert_eq!(found.tracing_mode.as_deref(), Some("Active"));
        assert_eq!(
            found.last_modified.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-11-05T17:10:20.617+00:00")
        );
        assert_eq!(found.code_size_bytes, Some(5_242_880));
        assert_eq!(found.ephemeral_storage_mb, Some(2048));
        let stored = serde_json::to_string(&found).unwrap();
        assert!(
            !stored.contains("hunter2") && !stored.contains("DB_PASSWORD"),
            "{stored}"
        );

        let image = function(
            &FunctionConfiguration::builder()
                .function_name("resizer")
                .package_type(PackageType::Image)
                .last_modified("yesterday")
                .build(),
        );
        assert_eq!(
            (image.runtime, image.vpc_config, image.last_modified),
            (None, None, None)
        );
        assert_eq!(image.code_size_bytes, None);
        assert_eq!(
            last_modified("2024-11-05T17:10:20Z").map(|t| t.timestamp()),
            Some(1_730_826_620)
        );
    }

    #[test]
    fn on_failure_destinations_are_read() {
        use aws_sdk_lambda::types::OnFailure;
        let config = FunctionEventInvokeConfig::builder()
            .function_arn("arn:aws:lambda:us-east-1:123456789012:function:thumbs")
            .destination_config(
                DestinationConfig::builder()
                    .on_failure(
                        OnFailure::builder()
                            .destination("arn:aws:sqs:us-east-1:123456789012:thumbs-failed")
                            .build(),
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            failure_destination(&config).as_deref(),
            Some("arn:aws:sqs:us-east-1:123456789012:thumbs-failed")
        );
        assert_eq!(
            failure_destination(&FunctionEventInvokeConfig::builder().build()),
            None
        );
    }

    /// SDK values through the conversion and sqs.dead_letter_queue: the queue a Kinesis
    /// mapping sends the records of discarded batches to is a dead-letter queue.
    #[tokio::test]
    async fn a_stream_mappings_on_failure_destination_is_a_dead_letter_queue() {
        use crate::checks::sqs::dead_letter_queue;
        use crate::checks::testing::{each, ok};
        use crate::model::sqs::Queue;
        use aws_sdk_lambda::types::OnFailure;

        let queue_arn = "arn:aws:sqs:us-east-1:123456789012:clicks-discarded";
        let sdk = EventSourceMappingConfiguration::builder()
            .uuid("a1b2")
            .function_arn("arn:aws:lambda:us-east-1:123456789012:function:clicks")
            .event_source_arn("arn:aws:kinesis:us-east-1:123456789012:stream/clicks")
            .destination_config(
                DestinationConfig::builder()
                    .on_failure(OnFailure::builder().destination(queue_arn).build())
                    .build(),
            )
            .build();
        let converted = mapping(&sdk);
        assert_eq!(converted.on_failure_destination.as_deref(), Some(queue_arn));
        assert_eq!(
            mapping(&EventSourceMappingConfiguration::builder().build()).on_failure_destination,
            None
        );

        let url = "https://sqs.us-east-1.amazonaws.com/123456789012/clicks-discarded";
        let mut data = data();
        let region = data.region_mut(REGION);
        region.sqs.queue_urls = ok(vec![url.to_string()]);
        region.sqs.queues = each([(
            url,
            Queue {
                url: url.into(),
                arn: queue_arn.into(),
                kms_key_id: None,
                sqs_managed_sse: true,
                dead_letter_target: None,
                max_receive_count: None,
                redrive_allow_policy: None,
                ..Default::default()
            },
        )]);
        region.lambda.functions = ok(vec![]);
        region.lambda.failure_destinations = ok(BTreeMap::new());
        region.lambda.event_source_mappings = ok(vec![converted]);
        region.eventbridge.target_dead_letters = ok(vec![]);
        region.sns.subscription_dead_letter_targets = ok(BTreeMap::new());
        region.pipes.dead_letters = ok(BTreeMap::new());
        region.scheduler.dead_letters = ok(BTreeMap::new());
        assert_eq!(
            statuses(&run(data, true, dead_letter_queue).await),
            [Status::NotApplicable]
        );
    }

    /// SDK values through the conversion and the checks: an SQS mapping that reports
    /// batch item failures and bounds its concurrency passes both checks without any
    /// reserved concurrency being read.
    #[tokio::test]
    async fn an_sqs_mapping_with_a_maximum_concurrency_is_bounded() {
        let sdk = EventSourceMappingConfiguration::builder()
            .uuid("abc")
            .function_arn("arn:aws:lambda:us-east-1:123456789012:function:orders")
            .event_source_arn("arn:aws:sqs:us-east-1:123456789012:orders")
            .function_response_types(FunctionResponseType::ReportBatchItemFailures)
            .scaling_config(ScalingConfig::builder().maximum_concurrency(20).build())
            .build();
        let converted = mapping(&sdk);
        assert_eq!(converted.maximum_concurrency, Some(20));
        let account = || {
            let mut data = data();
            data.region_mut(REGION).lambda.event_source_mappings =
                Memo::ready(Fetched::Ok(vec![converted.clone()]));
            data
        };
        assert_eq!(
            statuses(&run(account(), true, sqs_partial_batch).await),
            [Status::Pass]
        );
        let found = run(account(), true, reserved_concurrency).await;
        assert_eq!(status_of(&found, "function:orders"), Status::Pass);
    }

    /// moto has no GetAccountSettings (404): SDK values through the conversion and
    /// lambda.concurrency_headroom.
    #[tokio::test]
    async fn account_concurrency_reaches_the_right_verdicts() {
        use aws_sdk_lambda::operation::get_account_settings::GetAccountSettingsOutput;
        use aws_sdk_lambda::types::AccountLimit;

        use crate::checks::lambda::concurrency_headroom;
        use crate::checks::testing::{data, ok, run, statuses, REGION};
        use crate::finding::Status::{Error, Fail, Pass};

        let settings = |limit: i32, unreserved: Option<i32>| {
            let mut account_limit = AccountLimit::builder().concurrent_executions(limit);
            if let Some(unreserved) = unreserved {
                account_limit = account_limit.unreserved_concurrent_executions(unreserved);
            }
            account_concurrency(
                &GetAccountSettingsOutput::builder()
                    .account_limit(account_limit.build())
                    .build(),
            )
        };
        assert_eq!(
            settings(1000, None),
            None,
            "an answer without the unreserved pool is incomplete"
        );
        let verdict = |pool: AccountConcurrency| async move {
            let mut data = data();
            data.region_mut(REGION).lambda.account_concurrency = ok(pool);
            statuses(&run(data, true, concurrency_headroom).await)
        };
        assert_eq!(verdict(settings(1000, Some(850)).unwrap()).await, [Pass]);
        assert_eq!(verdict(settings(1000, Some(200)).unwrap()).await, [Pass]);
        assert_eq!(verdict(settings(1000, Some(100)).unwrap()).await, [Fail]);
        assert_eq!(verdict(settings(0, Some(0)).unwrap()).await, [Error]);
    }
}
