use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::{FetchError, Fetched, PerResource};
use std::collections::BTreeMap;

use crate::model::sqs::{queue_name, Queue, REDRIVE_DENY_ALL};

const QUEUE: &str = "AWS::SQS::Queue";
/// Names that declare a queue a dead-letter queue even when no source in the audited
/// region points at it.
const DLQ_SUFFIXES: [&str; 4] = ["-dlq", "_dlq", "-deadletter", "-dead-letter"];

/// The region's queues whose attributes could be read, and one ERROR for each that
/// could not.
async fn queues(ctx: &CheckCtx) -> Result<(Vec<&Queue>, Vec<Observation>), Vec<Observation>> {
    let region = ctx.region();
    let urls = listed(ctx, ctx.inventory.sqs_queue_urls(region).await)?;
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
    Ok((queues, observations))
}

/// Judges each queue whose attributes could be read; one ERROR for each that could not.
async fn each_queue(ctx: &CheckCtx, judge: impl Fn(&Queue) -> Observation) -> Vec<Observation> {
    let (queues, mut observations) = match queues(ctx).await {
        Ok(found) => found,
        Err(errors) => return errors,
    };
    observations.extend(queues.iter().map(|queue| judge(queue)));
    or_not_applicable(ctx, observations, || {
        format!("no SQS queues in {}", ctx.region())
    })
}

pub async fn encrypted(ctx: CheckCtx) -> Vec<Observation> {
    each_queue(&ctx, |queue| {
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

/// Why `queue` is a dead-letter queue, from what SQS itself says: another queue's
/// redrive policy targets it, its redrive allow policy admits sources, or its name says
/// so. A `denyAll` redrive allow policy declares nothing.
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
    if let Some(permission) = queue.redrive_permission().filter(|p| p != REDRIVE_DENY_ALL) {
        return Some(format!(
            "its redrive allow policy ({permission}) declares it a dead-letter queue"
        ));
    }
    let name = queue_name(&queue.url).to_ascii_lowercase();
    let name = name.trim_end_matches(".fifo");
    DLQ_SUFFIXES
        .iter()
        .find(|suffix| name.ends_with(*suffix))
        .map(|suffix| format!("its name ends with {suffix}"))
}

/// A piece's value, or the read that failed.
fn read<T>(piece: &Fetched<T>) -> Result<&T, FetchError> {
    piece.as_result().map_err(Clone::clone)
}

/// Each resource of a per-resource read with the dead-letter queue it names; or the
/// first read that failed, since any resource could name the queue being judged.
fn dead_letters_of(
    found: &PerResource<Option<String>>,
) -> Result<Vec<(&String, &String)>, FetchError> {
    found
        .iter()
        .filter_map(|(resource, target)| match target.as_result() {
            Ok(target) => target.as_ref().map(|target| Ok((resource, target))),
            Err(error) => Some(Err(error.clone())),
        })
        .collect()
}

/// The queues other services send their failures to: Lambda functions' dead-letter
/// queues and on-failure destinations (asynchronous invocations and event source
/// mappings), EventBridge rule targets', pipes' and schedules' dead-letter queues and
/// SNS subscriptions' redrive policies, each mapped to who uses it; or the read that
/// failed.
async fn dead_letter_users(ctx: &CheckCtx) -> Result<BTreeMap<String, Vec<String>>, FetchError> {
    let region = ctx.region();
    let inventory = &ctx.inventory;
    let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut used = |queue: &String, by: String| users.entry(queue.clone()).or_default().push(by);
    for function in read(inventory.lambda_functions(region).await)? {
        if let Some(target) = &function.dead_letter_target {
            used(target, format!("Lambda function {}", function.name));
        }
    }
    for (function, found) in read(inventory.lambda_failure_destinations(region).await)? {
        for destination in read(found)? {
            used(
                destination,
                format!("Lambda function {function} (on-failure destination)"),
            );
        }
    }
    for mapping in read(inventory.lambda_event_source_mappings(region).await)? {
        if let Some(destination) = &mapping.on_failure_destination {
            // Stream and Kafka sources send the records of the batches they discard here.
            let source = mapping.event_source_arn.as_deref().unwrap_or(&mapping.uuid);
            used(
                destination,
                format!(
                    "Lambda function {} (on-failure destination of its event source mapping for {source})",
                    mapping.function_name()
                ),
            );
        }
    }
    for target in read(inventory.eventbridge_target_dead_letters(region).await)? {
        used(
            &target.dead_letter_arn,
            format!(
                "EventBridge rule {} (bus {}, target {})",
                target.rule, target.event_bus, target.target_id
            ),
        );
    }
    let subscriptions = read(inventory.sns_subscription_dead_letter_targets(region).await)?;
    for (subscription, target) in dead_letters_of(subscriptions)? {
        used(target, format!("SNS subscription {subscription}"));
    }
    for (pipe, target) in dead_letters_of(read(inventory.pipes_dead_letters(region).await)?)? {
        used(target, format!("EventBridge pipe {pipe}"));
    }
    let schedules = read(inventory.scheduler_dead_letters(region).await)?;
    for (schedule, target) in dead_letters_of(schedules)? {
        used(target, format!("EventBridge Scheduler schedule {schedule}"));
    }
    Ok(users)
}

pub async fn dead_letter_queue(ctx: CheckCtx) -> Vec<Observation> {
    let (queues, mut observations) = match queues(&ctx).await {
        Ok(found) => found,
        Err(errors) => return errors,
    };
    let resource = |queue: &Queue| Resource::new(QUEUE, queue.arn.clone());
    // Other services are asked only about queues SQS alone does not explain.
    let unexplained = |queue: &Queue| {
        queue.dead_letter_target.is_none() && dead_letter_role(queue, &queues).is_none()
    };
    let users = if queues.iter().any(|q| unexplained(q)) {
        Some(dead_letter_users(&ctx).await)
    } else {
        None
    };
    for queue in &queues {
        if let Some(reason) = dead_letter_role(queue, &queues) {
            observations.push(Observation::not_applicable(
                &resource(queue),
                format!("queue {} is a dead-letter queue: {reason}", queue.name()),
            ));
            continue;
        }
        let evidence = json!({ "dead_letter_target": queue.dead_letter_target, "max_receive_count": queue.max_receive_count });
        let observation = match (&queue.dead_letter_target, queue.max_receive_count) {
            (Some(target), count) => Observation::pass(
                &resource(queue),
                match count {
                    Some(count) => format!(
                        "queue {} sends messages to {} after {count} receives",
                        queue.name(),
                        target.rsplit(':').next().unwrap_or(target)
                    ),
                    None => format!("queue {} redrives to {target}", queue.name()),
                },
                evidence,
            ),
            (None, _) => match users.as_ref().expect("read for unexplained queues") {
                Err(error) => Observation::unverified(&resource(queue), error),
                Ok(users) => match users.get(&queue.arn) {
                    Some(by) => Observation::not_applicable(
                        &resource(queue),
                        format!("queue {} is a dead-letter queue of {}", queue.name(), by.join(", ")),
                    ),
                    None => Observation::fail(
                        &resource(queue),
                        format!("queue {} has no redrive policy: failing messages are retried until they expire", queue.name()),
                        evidence,
                    ),
                },
            },
        };
        observations.push(observation);
    }
    or_not_applicable(&ctx, observations, || {
        format!("no SQS queues in {}", ctx.region())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::eventbridge::TargetDeadLetter;
    use crate::model::lambda::{EventSourceMapping, LambdaFunction};

    fn queue(name: &str, kms: Option<&str>, managed: bool, dlq: Option<&str>) -> Queue {
        Queue {
            url: format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{name}"),
            arn: format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"),
            kms_key_id: kms.map(str::to_string),
            sqs_managed_sse: managed,
            dead_letter_target: dlq.map(|d| format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{d}")),
            max_receive_count: dlq.map(|_| 5),
            redrive_allow_policy: None,
            ..Queue::default()
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
        let region = data.region_mut(REGION);
        region.sqs.queue_urls = Memo::ready(Fetched::Ok(urls));
        region.sqs.queues = Memo::ready(Fetched::Ok(map));
        region.lambda.functions = Memo::ready(Fetched::Ok(vec![]));
        region.sns.subscription_dead_letter_targets = Memo::ready(Fetched::Ok(BTreeMap::new()));
        region.eventbridge.target_dead_letters = Memo::ready(Fetched::Ok(vec![]));
        region.lambda.failure_destinations = Memo::ready(Fetched::Ok(BTreeMap::new()));
        region.lambda.event_source_mappings = Memo::ready(Fetched::Ok(vec![]));
        region.pipes.dead_letters = Memo::ready(Fetched::Ok(BTreeMap::new()));
        region.scheduler.dead_letters = Memo::ready(Fetched::Ok(BTreeMap::new()));
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

    #[tokio::test]
    async fn dead_letter_queues_of_other_services_and_deny_all_policies() {
        let mut denied = queue("no-dlq-here", None, true, None);
        denied.redrive_allow_policy = Some(r#"{"redrivePermission":"denyAll"}"#.into());
        let mut by_queue = queue("failures", None, true, None);
        by_queue.redrive_allow_policy = Some(format!(
            r#"{{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:{ACCOUNT}:x"]}}"#
        ));
        let mut data = account(
            vec![
                denied,
                by_queue,
                queue("lambda-failures", None, true, None),
                queue("sns-failures", None, true, None),
                queue("events-failures", None, true, None),
                queue("async-failures", None, true, None),
                queue("orphan", None, true, None),
            ],
            &[],
        );
        let arn = |name: &str| format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}");
        let region = data.region_mut(REGION);
        region.lambda.functions = Memo::ready(Fetched::Ok(vec![LambdaFunction {
            name: "thumbs".into(),
            arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:thumbs"),
            dead_letter_target: Some(arn("lambda-failures")),
            ..Default::default()
        }]));
        region.sns.subscription_dead_letter_targets = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "arn:aws:sns:us-east-1:123456789012:orders:1".to_string(),
                Fetched::Ok(Some(arn("sns-failures"))),
            ),
            (
                "arn:aws:sns:us-east-1:123456789012:orders:2".to_string(),
                Fetched::Ok(None),
            ),
        ])));
        region.eventbridge.target_dead_letters = Memo::ready(Fetched::Ok(vec![TargetDeadLetter {
            event_bus: "default".into(),
            rule: "orders-placed".into(),
            target_id: "handler".into(),
            dead_letter_arn: arn("events-failures"),
        }]));
        region.lambda.failure_destinations = Memo::ready(Fetched::Ok(BTreeMap::from([(
            "thumbs".to_string(),
            Fetched::Ok(vec![arn("async-failures")]),
        )])));
        let found = run(data, true, dead_letter_queue).await;
        assert_eq!(status_of(&found, ":events-failures"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":async-failures"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":no-dlq-here"), Status::Fail);
        assert_eq!(status_of(&found, ":failures"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":lambda-failures"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":sns-failures"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":orphan"), Status::Fail);

        let mut unreadable = account(vec![queue("orphan", None, true, None)], &[]);
        unreadable.region_mut(REGION).lambda.functions =
            Memo::ready(err("lambda", "ListFunctions"));
        let found = run(unreadable, true, dead_letter_queue).await;
        assert_eq!(
            statuses(&found),
            [Status::Error],
            "cannot tell whether it is a Lambda DLQ"
        );
    }

    /// A stream or Kafka source's on-failure destination is a dead-letter queue; if the
    /// mappings cannot be listed, an unexplained queue cannot be judged.
    #[tokio::test]
    async fn on_failure_destinations_of_event_source_mappings_are_dead_letter_queues() {
        let arn = |name: &str| format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}");
        let mappings = |data: &mut InventoryData, listed: Fetched<Vec<EventSourceMapping>>| {
            data.region_mut(REGION).lambda.event_source_mappings = Memo::ready(listed);
        };
        let clicks = EventSourceMapping {
            uuid: "a1b2".into(),
            function_arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:clicks"),
            event_source_arn: Some(format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/clicks")),
            function_response_types: vec![],
            state: Some("Enabled".into()),
            maximum_concurrency: None,
            on_failure_destination: Some(arn("clicks-discarded")),
        };
        let queues = || {
            vec![
                queue("clicks-discarded", None, true, None),
                queue("orphan", None, true, None),
            ]
        };
        let mut data = account(queues(), &[]);
        mappings(&mut data, Fetched::Ok(vec![clicks]));
        let found = run(data, true, dead_letter_queue).await;
        assert_eq!(
            status_of(&found, ":clicks-discarded"),
            Status::NotApplicable
        );
        let discarded = found
            .iter()
            .find(|o| o.resource_id.ends_with(":clicks-discarded"));
        assert!(discarded.is_some_and(|o| o.message.contains("stream/clicks")));
        assert_eq!(status_of(&found, ":orphan"), Status::Fail);

        let mut unreadable = account(queues(), &[]);
        mappings(&mut unreadable, err("lambda", "ListEventSourceMappings"));
        let found = run(unreadable, true, dead_letter_queue).await;
        assert_eq!(statuses(&found), [Status::Error, Status::Error]);
    }

    /// The dead-letter queues of EventBridge pipes (stream sources) and of EventBridge
    /// Scheduler schedules; a pipe or schedule that could not be read leaves an
    /// unexplained queue unverified.
    #[tokio::test]
    async fn dead_letter_queues_of_pipes_and_schedules() {
        let arn = |name: &str| format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}");
        let queues = || {
            vec![
                queue("pipe-failures", None, true, None),
                queue("schedule-failures", None, true, None),
                queue("orphan", None, true, None),
            ]
        };
        let with = |pipes: Fetched<Option<String>>, schedules: Fetched<Option<String>>| {
            let mut data = account(queues(), &[]);
            let region = data.region_mut(REGION);
            region.pipes.dead_letters = Memo::ready(Fetched::Ok(BTreeMap::from([
                ("clicks".to_string(), pipes),
                ("no-dlq".to_string(), Fetched::Ok(None)),
            ])));
            region.scheduler.dead_letters = Memo::ready(Fetched::Ok(BTreeMap::from([(
                "reports/nightly".to_string(),
                schedules,
            )])));
            data
        };
        let found = run(
            with(
                Fetched::Ok(Some(arn("pipe-failures"))),
                Fetched::Ok(Some(arn("schedule-failures"))),
            ),
            true,
            dead_letter_queue,
        )
        .await;
        assert_eq!(
            statuses_of(&found, &[":pipe-failures", ":schedule-failures", ":orphan"]),
            [Status::NotApplicable, Status::NotApplicable, Status::Fail]
        );
        let message = |suffix: &str| {
            let found = found.iter().find(|o| o.resource_id.ends_with(suffix));
            found.map(|o| o.message.clone()).unwrap_or_default()
        };
        assert!(message(":pipe-failures").contains("EventBridge pipe clicks"));
        assert!(message(":schedule-failures").contains("schedule reports/nightly"));

        let found = run(
            with(
                Fetched::Ok(Some(arn("pipe-failures"))),
                err("scheduler", "GetSchedule"),
            ),
            true,
            dead_letter_queue,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Error; 3]);

        let mut unlisted = account(queues(), &[]);
        unlisted.region_mut(REGION).pipes.dead_letters = failed("pipes", "ListPipes");
        let found = run(unlisted, true, dead_letter_queue).await;
        assert_eq!(statuses(&found), [Status::Error; 3]);
    }
}
