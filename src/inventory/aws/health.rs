use aws_sdk_health::types::{Event, EventFilter, EventStatusCode, EventTypeCategory};
use aws_sdk_health::Client;

use super::{fetch_error, instant, is_code, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::health::{HealthEvent, OpenIssues, ScheduledChange, ScheduledChanges};

const SERVICE: &str = "health";

impl AwsReader {
    /// AWS Health has one endpoint per partition, in its first region (us-east-1 for
    /// the commercial partition); events of every region come from there.
    pub(crate) async fn health_open_issues(&self, home_region: &str) -> Fetched<OpenIssues> {
        let filter = EventFilter::builder()
            .event_status_codes(EventStatusCode::Open)
            .event_type_categories(EventTypeCategory::Issue)
            .build();
        self.health_events(home_region, filter)
            .await
            .map(|(unavailable, events)| OpenIssues {
                unavailable,
                events: events.iter().map(health_event).collect(),
            })
            .into()
    }

    /// Retirements and required maintenance, whether their window has begun or not.
    pub(crate) async fn health_scheduled_changes(
        &self,
        home_region: &str,
    ) -> Fetched<ScheduledChanges> {
        let filter = EventFilter::builder()
            .event_status_codes(EventStatusCode::Open)
            .event_status_codes(EventStatusCode::Upcoming)
            .event_type_categories(EventTypeCategory::ScheduledChange)
            .build();
        self.health_events(home_region, filter)
            .await
            .map(|(unavailable, events)| ScheduledChanges {
                unavailable,
                events: events.iter().map(scheduled_change).collect(),
            })
            .into()
    }

    /// The events `filter` selects, or why the account cannot ask (no support plan).
    async fn health_events(
        &self,
        home_region: &str,
        filter: EventFilter,
    ) -> Result<(Option<String>, Vec<Event>), FetchError> {
        let region = self.health_region(home_region).await;
        let client = self.client(region, Client::new);
        let items = client
            .describe_events()
            .filter(filter)
            .into_paginator()
            .items()
            .send();
        match self.call(items.try_collect()).await {
            Ok(events) => Ok((None, events)),
            Err(error) if is_code(&error, "SubscriptionRequiredException") => Ok((
                Some(
                    "the AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan (SubscriptionRequiredException)"
                        .to_string(),
                ),
                Vec::new(),
            )),
            Err(error) => Err(fetch_error(SERVICE, "DescribeEvents", Some(region), &error)),
        }
    }
}

impl AwsReader {
    /// The AWS Health region to call. The commercial partition's API is an
    /// active-passive pair (us-east-1, us-east-2): AWS documents finding the active one
    /// by a DNS lookup of the global endpoint, a CNAME to it. Looked up once a run, in
    /// two seconds at most; an emulator (an endpoint override), another partition, or
    /// an answer that names neither region keeps the default, us-east-1.
    async fn health_region(&self, home_region: &str) -> &'static str {
        let default = health_region(home_region);
        if default != "us-east-1" || self.endpoint_override().is_some() {
            return default;
        }
        *self
            .health_region
            .get_or_init(|| async {
                let lookup = active_health_endpoint();
                match tokio::time::timeout(super::DNS_DEADLINE, lookup).await {
                    Ok(Some(target)) => active_region(&target).unwrap_or(default),
                    _ => default,
                }
            })
            .await
    }
}

/// The CNAME target of AWS Health's global endpoint, if the system resolver gives one.
async fn active_health_endpoint() -> Option<String> {
    use hickory_resolver::proto::rr::{RData, RecordType};
    let resolver = super::system_resolver().ok()?;
    let answer = resolver
        .lookup("global.health.amazonaws.com.", RecordType::CNAME)
        .await
        .ok()?;
    answer
        .answers()
        .iter()
        .find_map(|record| match &record.data {
            RData::CNAME(target) => Some(target.0.to_utf8()),
            _ => None,
        })
}

/// `health.us-east-2.amazonaws.com.` names us-east-2: the two regions AWS documents.
fn active_region(target: &str) -> Option<&'static str> {
    let mut labels = target.trim_end_matches('.').split('.');
    if labels.next() != Some("health") {
        return None;
    }
    match labels.next()? {
        "us-east-1" => Some("us-east-1"),
        "us-east-2" => Some("us-east-2"),
        _ => None,
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

fn scheduled_change(event: &Event) -> ScheduledChange {
    ScheduledChange {
        event: health_event(event),
        status: event
            .status_code()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        end_time: event.end_time().and_then(instant),
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
        assert_eq!(
            active_region("health.us-east-2.amazonaws.com."),
            Some("us-east-2")
        );
        assert_eq!(
            active_region("health.us-east-1.amazonaws.com"),
            Some("us-east-1")
        );
        assert_eq!(active_region("health.eu-west-1.amazonaws.com."), None);
        assert_eq!(active_region("elb.us-east-2.amazonaws.com."), None);
    }

    /// A retirement scheduled for the account's instance is a FAIL naming it and when;
    /// a public maintenance notice is counted, not judged.
    #[tokio::test]
    async fn scheduled_changes_from_sdk_values() {
        use crate::checks::health::scheduled_changes;
        use aws_sdk_health::types::EventStatusCode;

        let change = |region: &str, scope: EventScopeCode, status: EventStatusCode| {
            scheduled_change(
                &Event::builder()
                    .arn(format!("arn:aws:health:{region}::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/{}", scope.as_str()))
                    .service("EC2")
                    .event_type_code("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED")
                    .event_type_category(EventTypeCategory::ScheduledChange)
                    .region(region)
                    .event_scope_code(scope)
                    .status_code(status)
                    .start_time(aws_sdk_health::primitives::DateTime::from_secs(1_767_225_600))
                    .build(),
            )
        };
        let account = |events: Vec<ScheduledChange>, unavailable: Option<&str>| {
            let mut data = data();
            data.global.health.scheduled_changes = ok(ScheduledChanges {
                unavailable: unavailable.map(str::to_string),
                events,
            });
            data
        };
        let retiring = change(
            "us-east-1",
            EventScopeCode::AccountSpecific,
            EventStatusCode::Upcoming,
        );
        assert_eq!(retiring.status, "upcoming");
        assert!(retiring.event.start_time.is_some());
        let public = change("us-east-1", EventScopeCode::Public, EventStatusCode::Open);
        let elsewhere = change(
            "ap-south-1",
            EventScopeCode::AccountSpecific,
            EventStatusCode::Open,
        );

        let observations = run(
            account(vec![retiring, public.clone(), elsewhere.clone()], None),
            false,
            scheduled_changes,
        )
        .await;
        assert_eq!(statuses(&observations), [Fail]);
        assert!(
            observations[0].message.contains(
                "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED in us-east-1 (upcoming, from 2026-01-01"
            ),
            "{}",
            observations[0].message
        );
        assert_eq!(
            statuses(
                &run(
                    account(vec![public, elsewhere], None),
                    false,
                    scheduled_changes
                )
                .await
            ),
            [Pass]
        );
        assert_eq!(
            statuses(
                &run(
                    account(vec![], Some("needs a plan")),
                    false,
                    scheduled_changes
                )
                .await
            ),
            [NotApplicable]
        );
        let mut denied = data();
        denied.global.health.scheduled_changes = failed("health", "DescribeEvents");
        assert_eq!(
            statuses(&run(denied, false, scheduled_changes).await),
            [Error]
        );
    }
}
