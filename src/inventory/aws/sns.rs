use std::collections::BTreeMap;

use aws_sdk_sns::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::sns::{dead_letter_target, TopicAttributes};

const SERVICE: &str = "sns";

impl AwsReader {
    fn sns(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
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
        self.per_resource(topics, |arn| {
            let client = client.clone();
            async move {
                let out = client
                    .get_topic_attributes()
                    .topic_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "GetTopicAttributes", Some(&arn), &e))?;
                Ok(TopicAttributes {
                    kms_master_key_id: out
                        .attributes()
                        .and_then(|a| a.get("KmsMasterKeyId"))
                        .filter(|k| !k.is_empty())
                        .cloned(),
                })
            }
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
        self.per_resource(subscriptions, |arn| {
            let client = client.clone();
            async move {
                let out = client
                    .get_subscription_attributes()
                    .subscription_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| {
                        fetch_error(SERVICE, "GetSubscriptionAttributes", Some(&arn), &e)
                    })?;
                Ok(out
                    .attributes()
                    .and_then(|a| a.get("RedrivePolicy"))
                    .and_then(|policy| dead_letter_target(policy)))
            }
        })
        .await
    }
}
