use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::lambda::EventSourceMapping;

const MAPPING: &str = "AWS::Lambda::EventSourceMapping";
const FUNCTION: &str = "AWS::Lambda::Function";

async fn sqs_mappings(ctx: &CheckCtx) -> Result<Vec<&EventSourceMapping>, Vec<Observation>> {
    let mappings = listed(
        ctx,
        ctx.inventory
            .lambda_event_source_mappings(ctx.region())
            .await,
    )?;
    Ok(mappings.iter().filter(|m| m.is_sqs()).collect())
}

fn source_name(mapping: &EventSourceMapping) -> &str {
    let arn = mapping.event_source_arn.as_deref().unwrap_or_default();
    arn.rsplit(':').next().unwrap_or(arn)
}

pub async fn sqs_partial_batch(ctx: CheckCtx) -> Vec<Observation> {
    let mappings = match sqs_mappings(&ctx).await {
        Ok(mappings) => mappings,
        Err(errors) => return errors,
    };
    let observations = mappings
        .into_iter()
        .map(|mapping| {
            let reports = mapping.reports_batch_item_failures();
            Observation::judge(
                reports,
                &Resource::new(MAPPING, super::arn(&ctx, "lambda", &format!("event-source-mapping:{}", mapping.uuid))),
                if reports {
                    format!("{} reports batch item failures for queue {}", mapping.function_name(), source_name(mapping))
                } else {
                    format!(
                        "{} does not report batch item failures for queue {}: one bad message retries the whole batch",
                        mapping.function_name(),
                        source_name(mapping)
                    )
                },
                json!({ "function": mapping.function_arn, "queue": mapping.event_source_arn, "function_response_types": mapping.function_response_types }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no SQS event source mappings in {}", ctx.region())
    })
}

/// A function triggered by SQS is bounded either by its reserved concurrency or, per
/// queue, by its event source mapping's `ScalingConfig.MaximumConcurrency` (AWS's own
/// control for a backlog draining into Lambda): it passes when every SQS mapping is
/// bounded one way or the other.
pub async fn reserved_concurrency(ctx: CheckCtx) -> Vec<Observation> {
    let mappings = match sqs_mappings(&ctx).await {
        Ok(mappings) => mappings,
        Err(errors) => return errors,
    };
    let mut functions: Vec<&str> = mappings.iter().map(|m| m.function_name()).collect();
    functions.sort();
    functions.dedup();
    // Reserved concurrency is read only for functions some SQS mapping leaves unbounded.
    let unbounded = |name: &str| {
        mappings
            .iter()
            .filter(|m| m.function_name() == name)
            .any(|m| m.maximum_concurrency.is_none())
    };
    let concurrency = if functions.iter().any(|f| unbounded(f)) {
        Some(
            ctx.inventory
                .lambda_reserved_concurrency(ctx.region())
                .await,
        )
    } else {
        None
    };
    let observations = functions
        .into_iter()
        .map(|name| {
            let resource = Resource::new(FUNCTION, super::arn(&ctx, "lambda", &format!("function:{name}")));
            let limits: Vec<_> = mappings
                .iter()
                .filter(|m| m.function_name() == name)
                .map(|m| json!({ "queue": m.event_source_arn, "maximum_concurrency": m.maximum_concurrency }))
                .collect();
            if !unbounded(name) {
                return Observation::pass(
                    &resource,
                    format!("function {name}: every SQS event source mapping sets a maximum concurrency"),
                    json!({ "sqs_mappings": limits }),
                );
            }
            match lookup(concurrency.expect("read when a mapping is unbounded"), name) {
                Err(error) => Observation::unverified(&resource, &error),
                Ok(reserved) => {
                    let (ok, message) = match reserved {
                        Some(0) => (false, format!("function {name} has reserved concurrency 0: it is throttled completely")),
                        Some(n) => (true, format!("function {name} has {n} reserved concurrent executions")),
                        None => (false, format!("function {name} is triggered by SQS with neither reserved concurrency nor a maximum concurrency on its event source mapping: a backlog can exhaust the account's concurrency")),
                    };
                    Observation::judge(ok, &resource, message, json!({ "reserved_concurrent_executions": reserved, "sqs_mappings": limits }))
                }
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no function in {} is triggered by SQS", ctx.region())
    })
}

/// Functions share what reserved concurrency leaves of the region's quota; when
/// reservations take most of it, a burst of any other function is throttled.
pub async fn concurrency_headroom(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let pool = match listed(&ctx, ctx.inventory.lambda_account_concurrency(region).await) {
        Ok(pool) => pool,
        Err(errors) => return errors,
    };
    let minimum = ctx.rules.thresholds.lambda.min_unreserved_percent;
    let evidence = json!({
        "concurrent_executions": pool.limit,
        "unreserved_concurrent_executions": pool.unreserved,
        "min_unreserved_percent": minimum,
    });
    if pool.limit <= 0 {
        return vec![Observation::cannot_judge(
            &ctx.account(),
            format!(
                "GetAccountSettings gave a concurrency quota of {} in {region}",
                pool.limit
            ),
            evidence,
        )];
    }
    let percent = f64::from(pool.unreserved) * 100.0 / f64::from(pool.limit);
    vec![Observation::judge(
        percent >= minimum,
        &ctx.account(),
        format!(
            "{} of {} concurrent executions ({percent:.0}%) are unreserved in {region} (at least {minimum}% wanted)",
            pool.unreserved, pool.limit
        ),
        evidence,
    )]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use aws_sdk_lambda::types::FunctionResponseType;

    fn mapping(function: &str, source: &str, report: bool) -> EventSourceMapping {
        EventSourceMapping {
            uuid: format!("{function}-{source}"),
            function_arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}"),
            event_source_arn: Some(source.to_string()),
            function_response_types: if report {
                vec![FunctionResponseType::ReportBatchItemFailures
                    .as_str()
                    .into()]
            } else {
                vec![]
            },
            state: Some("Enabled".into()),
            maximum_concurrency: None,
            on_failure_destination: None,
        }
    }

    fn account() -> InventoryData {
        let mut data = data();
        let lambda = &mut data.region_mut(REGION).lambda;
        lambda.event_source_mappings = Memo::ready(Fetched::Ok(vec![
            mapping("orders", "arn:aws:sqs:us-east-1:123456789012:orders", true),
            mapping("emails", "arn:aws:sqs:us-east-1:123456789012:emails", false),
            EventSourceMapping {
                maximum_concurrency: Some(50),
                ..mapping(
                    "bounded",
                    "arn:aws:sqs:us-east-1:123456789012:bounded",
                    true,
                )
            },
            mapping(
                "stream",
                "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
                false,
            ),
        ]));
        lambda.reserved_concurrency = Memo::ready(Fetched::Ok(BTreeMap::from([
            ("orders".into(), Fetched::Ok(Some(20))),
            ("emails".into(), Fetched::Ok(None)),
        ])));
        data
    }

    #[tokio::test]
    async fn sqs_mappings_report_batch_item_failures() {
        let found = run(account(), true, sqs_partial_batch).await;
        assert_eq!(found.len(), 3, "only SQS mappings");
        assert_eq!(
            status_of(&found, "orders-arn:aws:sqs:us-east-1:123456789012:orders"),
            Status::Pass
        );
        assert_eq!(
            status_of(&found, "emails-arn:aws:sqs:us-east-1:123456789012:emails"),
            Status::Fail
        );
    }

    #[tokio::test]
    async fn sqs_triggered_functions_reserve_concurrency() {
        let found = run(account(), true, reserved_concurrency).await;
        assert_eq!(status_of(&found, "function:orders"), Status::Pass);
        assert_eq!(status_of(&found, "function:emails"), Status::Fail);
        assert_eq!(
            status_of(&found, "function:bounded"),
            Status::Pass,
            "its SQS mapping sets a maximum concurrency"
        );
        assert!(!found
            .iter()
            .any(|o| o.resource_id.ends_with("function:stream")));
    }
}
