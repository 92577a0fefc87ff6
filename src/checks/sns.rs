use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const TOPIC: &str = "AWS::SNS::Topic";

pub async fn encrypted(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let topics = match listed(&ctx, ctx.inventory.sns_topics(region).await) {
        Ok(topics) => topics,
        Err(errors) => return errors,
    };
    let attributes = ctx.inventory.sns_topic_attributes(region).await;
    let observations = topics
        .iter()
        .map(|arn| {
            let resource = Resource::new(TOPIC, arn.clone());
            let name = arn.rsplit(':').next().unwrap_or(arn);
            match lookup(attributes, arn) {
                Err(error) => Observation::unverified(&resource, &error),
                Ok(topic) => Observation::judge(
                    topic.kms_master_key_id.is_some(),
                    &resource,
                    match &topic.kms_master_key_id {
                        Some(key) => format!("topic {name} is encrypted with KMS key {key}"),
                        None => format!("topic {name} is not encrypted with a KMS key"),
                    },
                    json!({ "kms_master_key_id": topic.kms_master_key_id }),
                ),
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || format!("no SNS topics in {region}"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo};
    use crate::model::sns::TopicAttributes;

    #[tokio::test]
    async fn topics_need_a_kms_key() {
        let arn = |name: &str| format!("arn:aws:sns:us-east-1:{ACCOUNT}:{name}");
        let mut data = data();
        let sns = &mut data.region_mut(REGION).sns;
        sns.topics = Memo::ready(Fetched::Ok(vec![
            arn("alerts"),
            arn("events"),
            arn("denied"),
        ]));
        sns.topic_attributes = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                arn("alerts"),
                Fetched::Ok(TopicAttributes {
                    kms_master_key_id: Some("alias/aws/sns".into()),
                }),
            ),
            (
                arn("events"),
                Fetched::Ok(TopicAttributes {
                    kms_master_key_id: None,
                }),
            ),
            (arn("denied"), err("sns", "GetTopicAttributes")),
        ])));
        let found = run(data, true, encrypted).await;
        assert_eq!(status_of(&found, ":alerts"), Status::Pass);
        assert_eq!(status_of(&found, ":events"), Status::Fail);
        assert_eq!(status_of(&found, ":denied"), Status::Error);
    }
}
