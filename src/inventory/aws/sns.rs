use std::collections::BTreeMap;

use aws_sdk_sns::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::sns::TopicAttributes;

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
}
