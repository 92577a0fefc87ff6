use aws_sdk_eventbridge::types::Target;
use aws_sdk_eventbridge::Client;

use futures::future::try_join_all;

use super::AwsReader;
use crate::fetched::{FetchError, Fetched};
use crate::model::eventbridge::TargetDeadLetter;

const SERVICE: &str = "events";

impl AwsReader {
    fn eventbridge(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// Every rule target of every event bus in the region that has a dead-letter queue.
    /// EventBridge's list calls take a token but have no SDK paginator (`token_paged`).
    pub(crate) async fn eventbridge_target_dead_letters(
        &self,
        region: &str,
    ) -> Fetched<Vec<TargetDeadLetter>> {
        let client = self.eventbridge(region);
        let buses = self
            .token_paged(SERVICE, "ListEventBuses", region, |token| {
                let request = client.list_event_buses().set_next_token(token).send();
                async move {
                    request.await.map(|out| {
                        let names = out
                            .event_buses()
                            .iter()
                            .filter_map(|b| b.name().map(str::to_string))
                            .collect();
                        (names, out.next_token().map(str::to_string))
                    })
                }
            })
            .await;
        let buses: Vec<String> = match buses {
            Ok(buses) => buses,
            Err(error) => return Fetched::Error(error),
        };
        // Each bus's rules, and each rule's targets, are asked for together (within the
        // request bound): on a slow link a chain of single calls is what costs.
        let rules = try_join_all(buses.iter().map(|bus| {
            let client = &client;
            async move {
                let rules = self
                    .token_paged(SERVICE, "ListRules", bus, |token| {
                        let request = client
                            .list_rules()
                            .event_bus_name(bus)
                            .set_next_token(token)
                            .send();
                        async move {
                            request.await.map(|out| {
                                let names = out
                                    .rules()
                                    .iter()
                                    .filter_map(|r| r.name().map(str::to_string))
                                    .collect::<Vec<_>>();
                                (names, out.next_token().map(str::to_string))
                            })
                        }
                    })
                    .await?;
                Ok::<_, FetchError>(rules.into_iter().map(move |rule| (bus, rule)))
            }
        }))
        .await;
        let rules: Vec<(&String, String)> = match rules {
            Ok(rules) => rules.into_iter().flatten().collect(),
            Err(error) => return Fetched::Error(error),
        };
        let client = &client;
        let targets = try_join_all(rules.iter().map(|(bus, rule)| {
            self.token_paged(SERVICE, "ListTargetsByRule", rule, move |token| {
                let request = client
                    .list_targets_by_rule()
                    .rule(rule)
                    .event_bus_name(*bus)
                    .set_next_token(token)
                    .send();
                async move {
                    request.await.map(|out| {
                        let targets = out
                            .targets()
                            .iter()
                            .filter_map(|t| dead_letter(bus, rule, t))
                            .collect::<Vec<_>>();
                        (targets, out.next_token().map(str::to_string))
                    })
                }
            })
        }))
        .await;
        let found = match targets {
            Ok(targets) => targets.into_iter().flatten().collect(),
            Err(error) => return Fetched::Error(error),
        };
        Fetched::Ok(found)
    }
}

fn dead_letter(bus: &str, rule: &str, target: &Target) -> Option<TargetDeadLetter> {
    Some(TargetDeadLetter {
        event_bus: bus.to_string(),
        rule: rule.to_string(),
        target_id: target.id().to_string(),
        dead_letter_arn: target.dead_letter_config()?.arn()?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eventbridge::types::DeadLetterConfig;

    /// SDK targets through the conversion: only targets with a dead-letter queue count.
    #[test]
    fn targets_with_a_dead_letter_queue_are_kept() {
        let with = Target::builder()
            .id("orders-handler")
            .arn("arn:aws:lambda:us-east-1:123456789012:function:orders")
            .dead_letter_config(
                DeadLetterConfig::builder()
                    .arn("arn:aws:sqs:us-east-1:123456789012:orders-events-failed")
                    .build(),
            )
            .build()
            .unwrap();
        let without = Target::builder()
            .id("audit")
            .arn("arn:aws:sqs:us-east-1:123456789012:audit")
            .build()
            .unwrap();
        let kept = dead_letter("default", "orders", &with).unwrap();
        assert_eq!(
            kept.dead_letter_arn,
            "arn:aws:sqs:us-east-1:123456789012:orders-events-failed"
        );
        assert_eq!(
            (kept.event_bus.as_str(), kept.rule.as_str()),
            ("default", "orders")
        );
        assert!(dead_letter("default", "orders", &without).is_none());
    }
}
