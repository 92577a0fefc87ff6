use aws_sdk_eventbridge::types::Target;
use aws_sdk_eventbridge::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::Fetched;
use crate::model::eventbridge::TargetDeadLetter;

const SERVICE: &str = "events";

impl AwsReader {
    fn eventbridge(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    /// Every rule target of every event bus in the region that has a dead-letter queue.
    /// EventBridge's list calls take a token but have no SDK paginator: followed by hand.
    pub(crate) async fn eventbridge_target_dead_letters(
        &self,
        region: &str,
    ) -> Fetched<Vec<TargetDeadLetter>> {
        let client = self.eventbridge(region);
        let mut buses = Vec::new();
        let mut token: Option<String> = None;
        loop {
            match self
                .call(
                    client
                        .list_event_buses()
                        .set_next_token(token.take())
                        .send(),
                )
                .await
            {
                Ok(out) => {
                    buses.extend(
                        out.event_buses()
                            .iter()
                            .filter_map(|b| b.name().map(str::to_string)),
                    );
                    match out.next_token() {
                        Some(next) => token = Some(next.to_string()),
                        None => break,
                    }
                }
                Err(e) => {
                    return Fetched::Error(fetch_error(SERVICE, "ListEventBuses", Some(region), &e))
                }
            }
        }
        let mut found = Vec::new();
        for bus in buses {
            let mut rules = Vec::new();
            let mut token: Option<String> = None;
            loop {
                match self
                    .call(
                        client
                            .list_rules()
                            .event_bus_name(&bus)
                            .set_next_token(token.take())
                            .send(),
                    )
                    .await
                {
                    Ok(out) => {
                        rules.extend(
                            out.rules()
                                .iter()
                                .filter_map(|r| r.name().map(str::to_string)),
                        );
                        match out.next_token() {
                            Some(next) => token = Some(next.to_string()),
                            None => break,
                        }
                    }
                    Err(e) => {
                        return Fetched::Error(fetch_error(SERVICE, "ListRules", Some(&bus), &e))
                    }
                }
            }
            for rule in rules {
                let mut token: Option<String> = None;
                loop {
                    match self
                        .call(
                            client
                                .list_targets_by_rule()
                                .rule(&rule)
                                .event_bus_name(&bus)
                                .set_next_token(token.take())
                                .send(),
                        )
                        .await
                    {
                        Ok(out) => {
                            found.extend(
                                out.targets()
                                    .iter()
                                    .filter_map(|t| dead_letter(&bus, &rule, t)),
                            );
                            match out.next_token() {
                                Some(next) => token = Some(next.to_string()),
                                None => break,
                            }
                        }
                        Err(e) => {
                            return Fetched::Error(fetch_error(
                                SERVICE,
                                "ListTargetsByRule",
                                Some(&rule),
                                &e,
                            ))
                        }
                    }
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
