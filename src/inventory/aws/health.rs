use aws_sdk_health::types::{Event, EventFilter, EventStatusCode, EventTypeCategory};
use aws_sdk_health::Client;

use super::{fetch_error, instant, is_code, AwsReader};
use crate::fetched::Fetched;
use crate::model::health::{HealthEvent, OpenIssues};

const SERVICE: &str = "health";

impl AwsReader {
    /// AWS Health has one endpoint per partition, in its first region (us-east-1 for
    /// the commercial partition); events of every region come from there.
    pub(crate) async fn health_open_issues(&self, home_region: &str) -> Fetched<OpenIssues> {
        let region = health_region(home_region);
        let client = self.client(region, Client::new);
        let filter = EventFilter::builder()
            .event_status_codes(EventStatusCode::Open)
            .event_type_categories(EventTypeCategory::Issue)
            .build();
        let items = client
            .describe_events()
            .filter(filter)
            .into_paginator()
            .items()
            .send();
        match self.call(items.try_collect()).await {
            Ok(events) => Fetched::Ok(OpenIssues {
                unavailable: None,
                events: events.iter().map(health_event).collect(),
            }),
            Err(error) if is_code(&error, "SubscriptionRequiredException") => {
                Fetched::Ok(OpenIssues {
                    unavailable: Some(
                        "the AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan (SubscriptionRequiredException)"
                            .to_string(),
                    ),
                    events: Vec::new(),
                })
            }
            Err(error) => Fetched::Error(fetch_error(SERVICE, "DescribeEvents", Some(region), &error)),
        }
    }
}

fn health_region(home_region: &str) -> &'static str {
    if home_region.starts_with("cn-") {
        "cn-northwest-1"
    } else if home_region.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

fn health_event(event: &Event) -> HealthEvent {
    HealthEvent {
        arn: event.arn().unwrap_or_default().to_string(),
        service: event.service().unwrap_or_default().to_string(),
        event_type_code: event.event_type_code().unwrap_or_default().to_string(),
        region: event.region().unwrap_or_default().to_string(),
        scope: event
            .event_scope_code()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        start_time: event.start_time().and_then(instant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_health::types::EventScopeCode;

    use crate::checks::health::open_issues;
    use crate::checks::testing::{data, failed, ok, run, statuses};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};

    fn sdk_event(region: &str, scope: EventScopeCode) -> HealthEvent {
        health_event(
            &Event::builder()
                .arn(format!("arn:aws:health:{region}::event/EC2/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED/{region}-{}", scope.as_str()))
                .service("EC2")
                .event_type_code("AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED")
                .region(region)
                .event_scope_code(scope)
                .build(),
        )
    }

    /// Health answers only with a Business or Enterprise support plan; moto answers 500.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let account = |issues: OpenIssues| {
            let mut data = data();
            data.global.health.open_issues = ok(issues);
            data
        };
        let public_here = sdk_event("us-east-1", EventScopeCode::Public);
        let mine_elsewhere = sdk_event("ap-south-1", EventScopeCode::AccountSpecific);
        let mine_here = sdk_event("us-east-1", EventScopeCode::AccountSpecific);
        let mine_global = sdk_event("global", EventScopeCode::AccountSpecific);
        let quiet = OpenIssues {
            unavailable: None,
            events: vec![public_here.clone(), mine_elsewhere],
        };
        let observations = run(account(quiet), false, open_issues).await;
        assert_eq!(statuses(&observations), [Pass]);
        assert!(
            observations[0].message.contains("1 public service event"),
            "{}",
            observations[0].message
        );
        let troubled = OpenIssues {
            unavailable: None,
            events: vec![public_here, mine_here, mine_global],
        };
        assert_eq!(
            statuses(&run(account(troubled), false, open_issues).await),
            [Fail, Fail]
        );
        let no_plan = OpenIssues {
            unavailable: Some("needs a support plan".into()),
            events: vec![],
        };
        assert_eq!(
            statuses(&run(account(no_plan), false, open_issues).await),
            [NotApplicable]
        );
        let mut denied = data();
        denied.global.health.open_issues = failed("health", "DescribeEvents");
        assert_eq!(statuses(&run(denied, false, open_issues).await), [Error]);
        assert_eq!(health_region("eu-west-1"), "us-east-1");
        assert_eq!(health_region("cn-north-1"), "cn-northwest-1");
    }
}
