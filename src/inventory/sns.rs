//! SNS's pieces, per region: the topic list each topic's attributes.

use super::{accessors, each_of, pieces, Inventory, Memo, PerResource};
use crate::model::sns::TopicAttributes;

pieces! {
    pub struct SnsRegional {
        topics: Memo<Vec<String>>,
        topic_attributes: Memo<PerResource<TopicAttributes>>,
    }
}

impl Inventory {
    accessors! {
        regional sns_topics: Vec<String> = sns.topics, "ListTopics",
            |_inventory, aws, region| aws.sns_topics(region);
        /// Each topic's attributes, keyed by its ARN.
        regional sns_topic_attributes: PerResource<TopicAttributes> = sns.topic_attributes, "GetTopicAttributes",
            |inventory, aws, region| async move {
                let listing = inventory.sns_topics(region).await;
                each_of(listing, Vec::clone, |names| aws.sns_topic_attributes(region, names)).await
            };
    }
}
