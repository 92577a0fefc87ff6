//! SQS's pieces, per region: the queue list each queue's attributes.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::sqs::Queue;

pieces! {
    pub struct SqsRegional {
        queue_urls: Memo<Vec<String>>,
        queues: Memo<PerResource<Queue>>,
    }
}

accessors! {
    regional sqs_queue_urls: Vec<String> = sqs.queue_urls, "ListQueues" needs ["sqs:ListQueues"],
        |_inventory, aws, region| aws.sqs_queue_urls(region);
    /// Each queue's attributes, keyed by its URL.
    regional sqs_queues: PerResource<Queue> = sqs.queues, "GetQueueAttributes" needs ["sqs:GetQueueAttributes", "sqs:ListQueues"],
        |inventory, aws, region| async move {
            let listing = inventory.sqs_queue_urls(region).await;
            each_of(listing, Vec::clone, |names| aws.sqs_queues(region, names)).await
        };
}
