use aws_sdk_health::types::{Event, EventFilter, EventStatusCode, EventTypeCategory};
use aws_sdk_health::Client;

use super::{fetch_error, instant, is_code, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::health::{HealthEvent, OpenIssues};

const SERVICE: &str = "health";

impl AwsReader {
    /// AWS Health has one endpoint per partition, in its first region (us-east-1 for
    /// the commercial partition); events of every region come from there.
    pub(crate) async fn health_open_issues(&self, home_region: &str) -> Fetched<OpenIssues> {
        let region = health_region(home_region);
        let client = Client::new(&self.region_config(region));
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
