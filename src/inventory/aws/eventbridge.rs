use aws_sdk_eventbridge::types::Target;
use aws_sdk_eventbridge::Client;

use super::AwsReader;
use crate::fetched::Fetched;
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
        let mut found = Vec::new();
        for bus in buses {
            let rules = self
                .token_paged(SERVICE, "ListRules", &bus, |token| {
                    let request = client
                        .list_rules()
                        .event_bus_name(&bus)
                        .set_next_token(token)
                        .send();
                    async move {
                        request.await.map(|out| {
                            let names = out
                                .rules()
                                .iter()
                                .filter_map(|r| r.name().map(str::to_string))
                                .collect();
                            (names, out.next_token().map(str::to_string))
                        })
                    }
                })
                .await;
            let rules: Vec<String> = match rules {
                Ok(rules) => rules,
                Err(error) => return Fetched::Error(error),
            };
            for rule in rules {
                let targets = self
                    .token_paged(SERVICE, "ListTargetsByRule", &rule, |token| {
                        let request = client
                            .list_targets_by_rule()
                            .rule(&rule)
                            .event_bus_name(&bus)
                            .set_next_token(token)
                            .send();
                        let (bus, rule) = (&bus, &rule);
                        async move {
                            request.await.map(|out| {
                                let targets = out
                                    .targets()
                                    .iter()
                                    .filter_map(|t| dead_letter(bus, rule, t))
                                    .collect();
                                (targets, out.next_token().map(str::to_string))
                            })
                        }
                    })
                    .await;
                match targets {
                    Ok(targets) => found.extend(targets),
                    Err(error) => return Fetched::Error(error),
                }
            }
        }
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
