//! SQS's pieces, per region: the queue list each queue's attributes.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::sqs::Queue;

pieces! {
    pub struct SqsRegional {
        queue_urls: Memo<Vec<String>>,
        queues: Memo<PerResource<Queue>>,
    }
}

accessors! {
    iam "sqs";
    regional sqs_queue_urls: Vec<String> = sqs.queue_urls, "ListQueues",
        |_inventory, aws, region| aws.sqs_queue_urls(region);
    /// Each queue's attributes, keyed by its URL.
    regional sqs_queues: PerResource<Queue> = sqs.queues, "GetQueueAttributes",
        each sqs_queue_urls(Vec::clone) |aws, region, names| aws.sqs_queues(region, names);
}
