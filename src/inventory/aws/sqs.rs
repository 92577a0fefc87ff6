use std::collections::{BTreeMap, HashMap};

use aws_sdk_sqs::types::QueueAttributeName;
use aws_sdk_sqs::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::sqs::Queue;

const SERVICE: &str = "sqs";
/// Queues per ListQueues page (AWS allows 1 to 1,000).
const LIST_QUEUES_PAGE: i32 = 1000;

impl AwsReader {
    fn sqs(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn sqs_queue_urls(&self, region: &str) -> Fetched<Vec<String>> {
        let client = self.sqs(region);
        // Without MaxResults, ListQueues returns at most 1,000 queues and no token.
        let items = client
            .list_queues()
            .max_results(LIST_QUEUES_PAGE)
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "ListQueues", region, items, String::clone)
            .await
    }

    /// Each queue's attributes, keyed by URL.
    pub(crate) async fn sqs_queues(
        &self,
        region: &str,
        urls: Vec<String>,
    ) -> BTreeMap<String, Fetched<Queue>> {
        let client = self.sqs(region);
        self.per_resource(urls, |url| {
            let client = client.clone();
            async move {
                let out = client
                    .get_queue_attributes()
                    .queue_url(&url)
                    .attribute_names(QueueAttributeName::All)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "GetQueueAttributes", Some(&url), &e))?;
                queue(&url, out.attributes().unwrap_or(&HashMap::new()))
            }
        })
        .await
    }
}

fn queue(url: &str, attributes: &HashMap<QueueAttributeName, String>) -> Result<Queue, FetchError> {
    let get = |name: QueueAttributeName| attributes.get(&name).cloned();
    // SQS answers every attribute as a string: numbers and booleans in their usual
    // spelling, timestamps as epoch seconds.
    let number = |name: QueueAttributeName| get(name).and_then(|v| v.parse::<i64>().ok());
    let flag = |name: QueueAttributeName| get(name).as_deref() == Some("true");
    let time = |name: QueueAttributeName| {
        number(name).and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
    };
    let arn = get(QueueAttributeName::QueueArn).ok_or_else(|| {
        FetchError::new(
            SERVICE,
            "GetQueueAttributes",
            Some(url),
            "IncompleteResponse",
            "the answer has no QueueArn",
        )
    })?;
    let redrive: Option<serde_json::Value> =
        get(QueueAttributeName::RedrivePolicy).and_then(|text| serde_json::from_str(&text).ok());
    Ok(Queue {
        url: url.to_string(),
        arn,
        kms_key_id: get(QueueAttributeName::KmsMasterKeyId).filter(|k| !k.is_empty()),
        sqs_managed_sse: flag(QueueAttributeName::SqsManagedSseEnabled),
        dead_letter_target: redrive
            .as_ref()
            .and_then(|r| r.get("deadLetterTargetArn"))
            .and_then(|v| v.as_str())
            .map(str::to_string),
        // AWS writes the count as a number, some tools as a string.
        max_receive_count: redrive
            .as_ref()
            .and_then(|r| r.get("maxReceiveCount"))
            .and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            }),
        redrive_allow_policy: get(QueueAttributeName::RedriveAllowPolicy),
        visibility_timeout_secs: number(QueueAttributeName::VisibilityTimeout),
        message_retention_secs: number(QueueAttributeName::MessageRetentionPeriod),
        max_message_size_bytes: number(QueueAttributeName::MaximumMessageSize),
        delay_secs: number(QueueAttributeName::DelaySeconds),
        receive_wait_secs: number(QueueAttributeName::ReceiveMessageWaitTimeSeconds),
        kms_data_key_reuse_secs: number(QueueAttributeName::KmsDataKeyReusePeriodSeconds),
        fifo: flag(QueueAttributeName::FifoQueue),
        content_based_deduplication: flag(QueueAttributeName::ContentBasedDeduplication),
        created: time(QueueAttributeName::CreatedTimestamp),
        last_modified: time(QueueAttributeName::LastModifiedTimestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redrive_policies_in_either_spelling_are_read() {
        let attributes = HashMap::from([
            (
                QueueAttributeName::QueueArn,
                "arn:aws:sqs:us-east-1:123456789012:orders".to_string(),
            ),
            (
                QueueAttributeName::RedrivePolicy,
                r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq","maxReceiveCount":"5"}"#
                    .to_string(),
            ),
            (QueueAttributeName::SqsManagedSseEnabled, "true".to_string()),
        ]);
        let queue = queue("https://sqs/123456789012/orders", &attributes).unwrap();
        assert_eq!(queue.name(), "orders");
        assert_eq!(queue.max_receive_count, Some(5));
        assert!(queue.dead_letter_target.unwrap().ends_with(":orders-dlq"));
        assert!(queue.sqs_managed_sse && queue.kms_key_id.is_none());
        assert!(super::queue("u", &HashMap::new()).is_err());
    }

    /// The attributes a policy writer reads come through, typed; absent ones stay absent.
    #[test]
    fn queue_attributes_are_carried() {
        let text = |name: QueueAttributeName, value: &str| (name, value.to_string());
        let attributes = HashMap::from([
            text(
                QueueAttributeName::QueueArn,
                "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
            ),
            text(QueueAttributeName::VisibilityTimeout, "45"),
            text(QueueAttributeName::MessageRetentionPeriod, "1209600"),
            text(QueueAttributeName::MaximumMessageSize, "262144"),
            text(QueueAttributeName::DelaySeconds, "5"),
            text(QueueAttributeName::ReceiveMessageWaitTimeSeconds, "20"),
            text(QueueAttributeName::KmsDataKeyReusePeriodSeconds, "300"),
            text(QueueAttributeName::FifoQueue, "true"),
            text(QueueAttributeName::ContentBasedDeduplication, "true"),
            text(QueueAttributeName::CreatedTimestamp, "1700000000"),
            text(QueueAttributeName::LastModifiedTimestamp, "1700086400"),
        ]);
        let fifo = queue("https://sqs/123456789012/orders.fifo", &attributes).unwrap();
        assert_eq!(
            (
                fifo.visibility_timeout_secs,
                fifo.message_retention_secs,
                fifo.max_message_size_bytes,
                fifo.delay_secs,
                fifo.receive_wait_secs,
                fifo.kms_data_key_reuse_secs,
            ),
            (
                Some(45),
                Some(1_209_600),
                Some(262_144),
                Some(5),
                Some(20),
                Some(300)
            )
        );
        assert!(fifo.fifo && fifo.content_based_deduplication);
        assert_eq!(
            (
                fifo.created.map(|t| t.timestamp()),
                fifo.last_modified.map(|t| t.timestamp())
            ),
            (Some(1_700_000_000), Some(1_700_086_400))
        );
        let plain = queue(
            "https://sqs/123456789012/plain",
            &HashMap::from([text(
                QueueAttributeName::QueueArn,
                "arn:aws:sqs:us-east-1:123456789012:plain",
            )]),
        )
        .unwrap();
        assert_eq!((plain.visibility_timeout_secs, plain.created), (None, None));
        assert!(!plain.fifo);
    }

    /// SDK values (attribute names as `QueueAttributeName`) through the conversion and
    /// both checks.
    #[tokio::test]
    async fn sdk_attributes_reach_the_right_verdicts() {
        use crate::checks::sqs::{dead_letter_queue, encrypted};
        use crate::checks::testing::{data, each, ok, run, statuses_of, REGION};
        use crate::finding::Status;

        let arn = |name: &str| format!("arn:aws:sqs:us-east-1:123456789012:{name}");
        let url = |name: &str| format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}");
        let attributes = |name: &str, extra: &[(QueueAttributeName, String)]| {
            let mut map = HashMap::from([(QueueAttributeName::QueueArn, arn(name))]);
            map.extend(extra.iter().cloned());
            queue(&url(name), &map).unwrap()
        };
        let queues = [
            attributes(
                "orders",
                &[
                    (QueueAttributeName::KmsMasterKeyId, "alias/orders".into()),
                    (
                        QueueAttributeName::RedrivePolicy,
                        format!(
                            r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":5}}"#,
                            arn("parking")
                        ),
                    ),
                ],
            ),
            attributes(
                "parking",
                &[(QueueAttributeName::SqsManagedSseEnabled, "true".into())],
            ),
            attributes(
                "refusing",
                &[(
                    QueueAttributeName::RedriveAllowPolicy,
                    r#"{"redrivePermission":"denyAll"}"#.into(),
                )],
            ),
        ];
        let account = || {
            let mut data = data();
            let region = data.region_mut(REGION);
            region.sqs.queue_urls = ok(queues.iter().map(|q| q.url.clone()).collect());
            region.sqs.queues = each(queues.iter().map(|q| (q.url.clone(), q.clone())));
            region.lambda.functions = ok(vec![]);
            region.sns.subscription_dead_letter_targets = ok(Default::default());
            region.eventbridge.target_dead_letters = ok(vec![]);
            region.lambda.failure_destinations = ok(Default::default());
            region.lambda.event_source_mappings = ok(vec![]);
            region.pipes.dead_letters = ok(Default::default());
            region.scheduler.dead_letters = ok(Default::default());
            data
        };
        let found = run(account(), true, encrypted).await;
        assert_eq!(
            statuses_of(&found, &[":orders", ":parking", ":refusing"]),
            [Status::Pass, Status::Pass, Status::Fail]
        );
        let found = run(account(), true, dead_letter_queue).await;
        assert_eq!(
            statuses_of(&found, &[":orders", ":parking", ":refusing"]),
            [Status::Pass, Status::NotApplicable, Status::Fail]
        );
    }
}
