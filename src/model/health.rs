use aws_sdk_health::types::EventScopeCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The open issues AWS Health reports (DescribeEvents, category `issue`, status
/// `open`), or why the account cannot ask.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenIssues {
    /// Set when the API answered SubscriptionRequiredException: the AWS Health API needs
    /// a Business, Enterprise On-Ramp or Enterprise support plan.
    pub unavailable: Option<String>,
    /// The open issue events, public ones included.
    pub events: Vec<HealthEvent>,
}

/// One AWS Health event (DescribeEvents).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HealthEvent {
    /// The event's ARN.
    pub arn: String,
    /// The service it is about (`EC2`, `RDS`, ...).
    pub service: String,
    /// `eventTypeCode`: what happened, e.g. `AWS_EC2_OPERATIONAL_ISSUE`.
    pub event_type_code: String,
    /// A region, or `global`.
    pub region: String,
    /// `ACCOUNT_SPECIFIC` (about this account's resources), `PUBLIC` (about a service in
    /// a region, for everyone) or `NONE`.
    pub scope: String,
    /// `startTime`: when the issue began.
    pub start_time: Option<DateTime<Utc>>,
}

impl HealthEvent {
    pub fn is_account_specific(&self) -> bool {
        EventScopeCode::from(self.scope.as_str()) == EventScopeCode::AccountSpecific
    }
}

/// The scheduled changes AWS Health lists for the account (DescribeEvents, category
/// `scheduledChange`, status `open` or `upcoming`): instance retirements, required
/// RDS, ElastiCache or OpenSearch maintenance, certificate or runtime end of support.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScheduledChanges {
    /// Set when the API answered SubscriptionRequiredException: the AWS Health API needs
    /// a Business, Enterprise On-Ramp or Enterprise support plan.
    pub unavailable: Option<String>,
    /// The open and upcoming scheduled-change events, public ones included.
    pub events: Vec<ScheduledChange>,
}

/// One scheduled-change event: an event as `open_issues` holds them, with its status
/// and the end of its window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScheduledChange {
    /// The event: ARN, service, type, region, scope and start.
    #[serde(flatten)]
    pub event: HealthEvent,
    /// `statusCode`: `open` (the change window has begun) or `upcoming`.
    pub status: String,
    /// `endTime`: when the change window ends, where AWS gives one.
    #[serde(default)]
    pub end_time: Option<DateTime<Utc>>,
}
