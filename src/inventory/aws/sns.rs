use std::collections::BTreeMap;

use aws_sdk_sns::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::sns::{dead_letter_target, TopicAttributes};

const SERVICE: &str = "sns";

impl AwsReader {
    fn sns(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn sns_topics(&self, region: &str) -> Fetched<Vec<String>> {
        let client = self.sns(region);
        let items = client.list_topics().into_paginator().items().send();
        self.listed(SERVICE, "ListTopics", region, items, |t| {
            t.topic_arn().unwrap_or_default().to_string()
        })
        .await
    }

    pub(crate) async fn sns_topic_attributes(
        &self,
        region: &str,
        topics: Vec<String>,
    ) -> BTreeMap<String, Fetched<TopicAttributes>> {
        let client = self.sns(region);
        let send = |arn: &str| client.get_topic_attributes().topic_arn(arn).send();
        self.each_answer(SERVICE, "GetTopicAttributes", topics, send, |out| {
            topic_attributes(out.attributes())
        })
        .await
    }

    /// Subscription ARNs; pending confirmations (`PendingConfirmation`) have none yet.
    pub(crate) async fn sns_subscriptions(&self, region: &str) -> Fetched<Vec<String>> {
        let client = self.sns(region);
        let items = client.list_subscriptions().into_paginator().items().send();
        match self
            .listed(SERVICE, "ListSubscriptions", region, items, |s| {
                s.subscription_arn().unwrap_or_default().to_string()
            })
            .await
        {
            Fetched::Ok(arns) => {
                Fetched::Ok(arns.into_iter().filter(|a| a.starts_with("arn:")).collect())
            }
            error => error,
        }
    }

    pub(crate) async fn sns_subscription_dead_letter_targets(
        &self,
        region: &str,
        subscriptions: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<String>>> {
        let client = self.sns(region);
        let send = |arn: &str| {
            client
                .get_subscription_attributes()
                .subscription_arn(arn)
                .send()
        };
        self.each_answer(
            SERVICE,
            "GetSubscriptionAttributes",
            subscriptions,
            send,
            |out| {
                out.attributes()
                    .and_then(|a| a.get("RedrivePolicy"))
                    .and_then(|policy| dead_letter_target(policy))
            },
        )
        .await
    }
}

fn topic_attributes(
    attributes: Option<&std::collections::HashMap<String, String>>,
) -> TopicAttributes {
    TopicAttributes {
        kms_master_key_id: attributes
            .and_then(|a| a.get("KmsMasterKeyId"))
            .filter(|k| !k.is_empty())
            .cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sns::operation::get_subscription_attributes::GetSubscriptionAttributesOutput;
    use aws_sdk_sns::operation::get_topic_attributes::GetTopicAttributesOutput;

    /// SDK outputs through the conversions and the check: a topic with a KMS key
    /// passes, one without fails; a subscription's RedrivePolicy names its DLQ.
    #[tokio::test]
    async fn sdk_outputs_reach_the_right_verdicts() {
        use crate::checks::sns::encrypted;
        use crate::checks::testing::{data, each, ok, run, statuses_of, REGION};
        use crate::finding::Status;

        let topic = |key: Option<&str>| {
            let mut out = GetTopicAttributesOutput::builder();
            if let Some(key) = key {
                out = out.attributes("KmsMasterKeyId", key);
            }
            topic_attributes(out.build().attributes())
        };
        let arn = |name: &str| format!("arn:aws:sns:us-east-1:123456789012:{name}");
        let mut data = data();
        let sns = &mut data.region_mut(REGION).sns;
        sns.topics = ok(vec![arn("alerts"), arn("events")]);
        sns.topic_attributes = each([
            (arn("alerts"), topic(Some("alias/aws/sns"))),
            (arn("events"), topic(None)),
        ]);
        let found = run(data, true, encrypted).await;
        assert_eq!(
            statuses_of(&found, &[":alerts", ":events"]),
            [Status::Pass, Status::Fail]
        );

        let subscription = GetSubscriptionAttributesOutput::builder()
            .attributes(
                "RedrivePolicy",
                r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:failed"}"#,
            )
            .build();
        let policy = subscription.attributes().unwrap()["RedrivePolicy"].as_str();
        assert_eq!(
            dead_letter_target(policy).as_deref(),
            Some("arn:aws:sqs:us-east-1:123456789012:failed")
        );
    }
}
