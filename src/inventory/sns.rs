//! SNS's pieces, per region: the topic list, each topic's attributes, and the
//! subscriptions with the dead-letter queue of each (read only to tell DLQs apart).

use super::{accessors, pieces, Memo, PerResource};
use crate::model::sns::TopicAttributes;

pieces! {
    pub struct SnsRegional {
        topics: Memo<Vec<String>>,
        topic_attributes: Memo<PerResource<TopicAttributes>>,
        subscriptions: Memo<Vec<String>>,
        subscription_dead_letter_targets: Memo<PerResource<Option<String>>>,
    }
}

accessors! {
    iam "sns";
    regional sns_topics: Vec<String> = sns.topics, "ListTopics",
        |_inventory, aws, region| aws.sns_topics(region);
    /// Each topic's attributes, keyed by its ARN.
    regional sns_topic_attributes: PerResource<TopicAttributes> = sns.topic_attributes, "GetTopicAttributes",
        each sns_topics(Vec::clone) |aws, region, names| aws.sns_topic_attributes(region, names);
    regional sns_subscriptions: Vec<String> = sns.subscriptions, "ListSubscriptions",
        |_inventory, aws, region| aws.sns_subscriptions(region);
    /// Each subscription's dead-letter queue (its `RedrivePolicy`), keyed by its ARN.
    regional sns_subscription_dead_letter_targets: PerResource<Option<String>> = sns.subscription_dead_letter_targets, "GetSubscriptionAttributes",
        each sns_subscriptions(Vec::clone) |aws, region, arns| aws.sns_subscription_dead_letter_targets(region, arns);
}
