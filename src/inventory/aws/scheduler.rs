use std::collections::BTreeMap;

use aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput;
use aws_sdk_scheduler::types::ScheduleSummary;
use aws_sdk_scheduler::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::scheduler::Schedule;

const SERVICE: &str = "scheduler";

impl AwsReader {
    fn scheduler(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// The schedules of every group.
    pub(crate) async fn scheduler_schedules(&self, region: &str) -> Fetched<Vec<Schedule>> {
        let client = self.scheduler(region);
        let items = client.list_schedules().into_paginator().items().send();
        self.listed(SERVICE, "ListSchedules", region, items, schedule)
            .await
    }

    /// Each schedule's dead-letter queue, from GetSchedule; `keys` are `group/name`.
    pub(crate) async fn scheduler_dead_letters(
        &self,
        region: &str,
        keys: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<String>>> {
        let client = self.scheduler(region);
        let send = |key: &str| {
            let (group, name) = key.split_once('/').unwrap_or(("default", key));
            client.get_schedule().group_name(group).name(name).send()
        };
        self.each_answer(SERVICE, "GetSchedule", keys, send, |out| dead_letter(&out))
            .await
    }
}

fn schedule(summary: &ScheduleSummary) -> Schedule {
    Schedule {
        name: summary.name().unwrap_or_default().to_string(),
        // ListSchedules always names the group; a schedule created without one is in
        // `default`.
        group_name: summary.group_name().unwrap_or("default").to_string(),
        arn: summary.arn().unwrap_or_default().to_string(),
        state: summary.state().map(|s| s.as_str().to_string()),
        target: summary.target().map(|t| t.arn().to_string()),
    }
}

fn dead_letter(schedule: &GetScheduleOutput) -> Option<String> {
    schedule
        .target()?
        .dead_letter_config()?
        .arn()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_scheduler::types::{DeadLetterConfig, ScheduleState, Target, TargetSummary};

    const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:nightly-failed";

    /// moto 5.2.1 answers ListSchedules and GetSchedule (with the DeadLetterConfig);
    /// these SDK values pin the conversion.
    #[test]
    fn schedules_and_their_dead_letter_queues_are_read() {
        let summary = ScheduleSummary::builder()
            .name("nightly")
            .group_name("reports")
            .arn("arn:aws:scheduler:us-east-1:123456789012:schedule/reports/nightly")
            .state(ScheduleState::Enabled)
            .target(
                TargetSummary::builder()
                    .arn("arn:aws:lambda:us-east-1:123456789012:function:report")
                    .build()
                    .unwrap(),
            )
            .build();
        let converted = schedule(&summary);
        assert_eq!(converted.key(), "reports/nightly");
        assert_eq!(
            converted.state.as_deref(),
            Some(ScheduleState::Enabled.as_str())
        );

        let target = |dlq: Option<&str>| {
            Target::builder()
                .arn("arn:aws:lambda:us-east-1:123456789012:function:report")
                .role_arn("arn:aws:iam::123456789012:role/scheduler")
                .set_dead_letter_config(dlq.map(|arn| DeadLetterConfig::builder().arn(arn).build()))
                .build()
                .unwrap()
        };
        let got =
            |target: Target| dead_letter(&GetScheduleOutput::builder().target(target).build());
        assert_eq!(got(target(Some(DLQ))).as_deref(), Some(DLQ));
        assert_eq!(got(target(None)), None);
        assert_eq!(dead_letter(&GetScheduleOutput::builder().build()), None);
    }
}
