use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::sqs::{queue_name, Queue};

const QUEUE: &str = "AWS::SQS::Queue";
/// Names that declare a queue a dead-letter queue even when no source in the audited
/// region points at it.
const DLQ_SUFFIXES: [&str; 4] = ["-dlq", "_dlq", "-deadletter", "-dead-letter"];

/// Judges each queue whose attributes could be read; one ERROR for each that could not.
async fn each_queue(
    ctx: &CheckCtx,
    judge: impl Fn(&Queue, &[&Queue]) -> Observation,
) -> Vec<Observation> {
    let region = ctx.region();
    let urls = match listed(ctx, ctx.inventory.sqs_queue_urls(region).await) {
        Ok(urls) => urls,
        Err(errors) => return errors,
    };
    let attributes = ctx.inventory.sqs_queues(region).await;
    let mut queues = Vec::new();
    let mut observations = Vec::new();
    for url in urls {
        match lookup(attributes, url) {
            Ok(queue) => queues.push(queue),
            Err(error) => observations.push(Observation::unverified(
                &Resource::new(QUEUE, url.clone()),
                &error,
            )),
        }
    }
    observations.extend(queues.iter().map(|queue| judge(queue, &queues)));
    or_not_applicable(ctx, observations, || format!("no SQS queues in {region}"))
}

pub async fn encrypted(ctx: CheckCtx) -> Vec<Observation> {
    each_queue(&ctx, |queue, _| {
        let message = match (&queue.kms_key_id, queue.sqs_managed_sse) {
            (Some(key), _) => format!("queue {} is encrypted with KMS key {key}", queue.name()),
            (None, true) => format!("queue {} is encrypted with SQS-managed keys", queue.name()),
            (None, false) => format!("queue {} is not encrypted at rest", queue.name()),
        };
        Observation::judge(
            queue.kms_key_id.is_some() || queue.sqs_managed_sse,
            &Resource::new(QUEUE, queue.arn.clone()),
            message,
            json!({ "kms_key_id": queue.kms_key_id, "sqs_managed_sse": queue.sqs_managed_sse }),
        )
    })
    .await
}

/// Why `queue` is a dead-letter queue, if it is one.
fn dead_letter_role(queue: &Queue, all: &[&Queue]) -> Option<String> {
    let sources: Vec<&str> = all
        .iter()
        .filter(|q| q.dead_letter_target.as_deref() == Some(queue.arn.as_str()))
        .map(|q| q.name())
        .collect();
    if !sources.is_empty() {
        return Some(format!(
            "it is the dead-letter queue of {}",
            sources.join(", ")
        ));
    }
    if queue.redrive_allow_policy.is_some() {
        return Some("its redrive allow policy declares it a dead-letter queue".to_string());
    }
    let name = queue_name(&queue.url).to_ascii_lowercase();
    let name = name.trim_end_matches(".fifo");
    DLQ_SUFFIXES
        .iter()
        .find(|suffix| name.ends_with(*suffix))
        .map(|suffix| format!("its name ends with {suffix}"))
}

pub async fn dead_letter_queue(ctx: CheckCtx) -> Vec<Observation> {
    each_queue(&ctx, |queue, all| {
        let resource = Resource::new(QUEUE, queue.arn.clone());
        if let Some(reason) = dead_letter_role(queue, all) {
            return Observation::not_applicable(&resource, format!("queue {} is a dead-letter queue: {reason}", queue.name()));
        }
        let message = match (&queue.dead_letter_target, queue.max_receive_count) {
            (Some(target), Some(count)) => format!(
                "queue {} sends messages to {} after {count} receives",
                queue.name(),
                target.rsplit(':').next().unwrap_or(target)
            ),
            (Some(target), None) => format!("queue {} redrives to {target}", queue.name()),
            (None, _) => format!("queue {} has no redrive policy: failing messages are retried until they expire", queue.name()),
        };
        Observation::judge(
            queue.dead_letter_target.is_some(),
            &resource,
            message,
            json!({ "dead_letter_target": queue.dead_letter_target, "max_receive_count": queue.max_receive_count }),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};

    fn queue(name: &str, kms: Option<&str>, managed: bool, dlq: Option<&str>) -> Queue {
        Queue {
            url: format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{name}"),
            arn: format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"),
            kms_key_id: kms.map(str::to_string),
            sqs_managed_sse: managed,
            dead_letter_target: dlq.map(|d| format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{d}")),
            max_receive_count: dlq.map(|_| 5),
            redrive_allow_policy: None,
        }
    }

    fn account(queues: Vec<Queue>, broken: &[&str]) -> InventoryData {
        let mut data = data();
        let mut urls: Vec<String> = queues.iter().map(|q| q.url.clone()).collect();
        let mut map: BTreeMap<String, Fetched<Queue>> = queues
            .into_iter()
            .map(|q| (q.url.clone(), Fetched::Ok(q)))
            .collect();
        for name in broken {
            let url = format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{name}");
            map.insert(url.clone(), err("sqs", "GetQueueAttributes"));
            urls.push(url);
        }
        let sqs = &mut data.region_mut(REGION).sqs;
        sqs.queue_urls = Memo::ready(Fetched::Ok(urls));
        sqs.queues = Memo::ready(Fetched::Ok(map));
        data
    }

    #[tokio::test]
    async fn encryption_by_kms_or_sqs_managed_keys() {
        let data = account(
            vec![
                queue("kms", Some("alias/app"), false, None),
                queue("managed", None, true, None),
                queue("plain", None, false, None),
            ],
            &["denied"],
        );
        let found = run(data, true, encrypted).await;
        assert_eq!(status_of(&found, ":kms"), Status::Pass);
        assert_eq!(status_of(&found, ":managed"), Status::Pass);
        assert_eq!(status_of(&found, ":plain"), Status::Fail);
        assert_eq!(status_of(&found, "/denied"), Status::Error);
    }

    #[tokio::test]
    async fn every_queue_but_the_dead_letter_queues_needs_a_redrive_policy() {
        let data = account(
            vec![
                queue("orders", None, true, Some("orders-failed")),
                queue("orders-failed", None, true, None),
                queue("emails", None, true, None),
                queue("emails-dlq", None, true, None),
            ],
            &[],
        );
        let found = run(data, true, dead_letter_queue).await;
        assert_eq!(status_of(&found, ":orders"), Status::Pass);
        assert_eq!(status_of(&found, ":orders-failed"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":emails"), Status::Fail);
        assert_eq!(status_of(&found, ":emails-dlq"), Status::NotApplicable);
    }
}
