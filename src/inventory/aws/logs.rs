use aws_sdk_cloudwatchlogs::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::logs::LogGroup;

impl AwsReader {
    pub(crate) async fn logs_log_groups(&self, region: &str) -> Fetched<Vec<LogGroup>> {
        let client = self.client(region, Client::new);
        let items = client.describe_log_groups().into_paginator().items().send();
        self.listed("logs", "DescribeLogGroups", region, items, log_group)
            .await
    }
}

fn log_group(group: &aws_sdk_cloudwatchlogs::types::LogGroup) -> LogGroup {
    LogGroup {
        name: group.log_group_name().unwrap_or_default().to_string(),
        arn: group.arn().map(str::to_string),
        retention_days: group.retention_in_days(),
        class: group.log_group_class().map(|c| c.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::logs::retention;
    use crate::checks::testing::{data, run, status_of, REGION};
    use crate::finding::Status;
    use crate::inventory::Memo;
    use aws_sdk_cloudwatchlogs::types::{LogGroup as SdkGroup, LogGroupClass};

    /// SDK values through the conversion and the check: a DELIVERY-class group, whose
    /// retention AWS fixes, is N/A; a STANDARD group that never expires FAILs.
    #[tokio::test]
    async fn delivery_class_groups_are_not_judged_on_retention() {
        let groups = [
            ("vended", LogGroupClass::Delivery),
            ("app", LogGroupClass::Standard),
        ]
        .map(|(name, class)| {
            log_group(
                &SdkGroup::builder()
                    .log_group_name(name)
                    .log_group_class(class)
                    .build(),
            )
        });
        let mut data = data();
        data.region_mut(REGION).logs.log_groups = Memo::ready(Fetched::Ok(groups.to_vec()));
        let found = run(data, true, retention).await;
        assert_eq!(status_of(&found, ":vended"), Status::NotApplicable);
        assert_eq!(status_of(&found, ":app"), Status::Fail);
    }
}
