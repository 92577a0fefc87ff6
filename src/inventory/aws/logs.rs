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
        log_group_arn: group.log_group_arn().map(str::to_string),
        retention_days: group.retention_in_days(),
        class: group.log_group_class().map(|c| c.as_str().to_string()),
        kms_key_id: group.kms_key_id().map(str::to_string),
        stored_bytes: group.stored_bytes(),
        creation_time: group
            .creation_time()
            .and_then(chrono::DateTime::from_timestamp_millis),
        metric_filter_count: group.metric_filter_count(),
        data_protection_status: group
            .data_protection_status()
            .map(|s| s.as_str().to_string()),
        deletion_protection_enabled: group.deletion_protection_enabled(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::logs::retention;
    use crate::checks::testing::{data, run, status_of, REGION};
    use crate::finding::Status;
    use crate::inventory::Memo;
    use aws_sdk_cloudwatchlogs::types::{
        DataProtectionStatus, LogGroup as SdkGroup, LogGroupClass,
    };

    /// Every attribute DescribeLogGroups returns reaches the model.
    #[test]
    fn sdk_attributes_reach_the_model() {
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api";
        let group = log_group(
            &SdkGroup::builder()
                .log_group_name("/ecs/api")
                .arn(format!("{arn}:*"))
                .log_group_arn(arn)
                .retention_in_days(30)
                .log_group_class(LogGroupClass::InfrequentAccess)
                .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/1234abcd")
                .stored_bytes(52_428_800)
                .creation_time(1_700_000_000_123)
                .metric_filter_count(2)
                .data_protection_status(DataProtectionStatus::Activated)
                .deletion_protection_enabled(true)
                .build(),
        );
        assert_eq!(group.arn.as_deref(), Some(format!("{arn}:*").as_str()));
        assert_eq!(group.log_group_arn.as_deref(), Some(arn));
        assert_eq!(
            group.class.as_deref(),
            Some(LogGroupClass::InfrequentAccess.as_str())
        );
        assert_eq!(
            group.kms_key_id.as_deref(),
            Some("arn:aws:kms:us-east-1:123456789012:key/1234abcd")
        );
        assert_eq!(group.stored_bytes, Some(52_428_800));
        assert_eq!(
            group.creation_time.map(|t| t.timestamp_millis()),
            Some(1_700_000_000_123)
        );
        assert_eq!(group.metric_filter_count, Some(2));
        assert_eq!(
            group.data_protection_status.as_deref(),
            Some(DataProtectionStatus::Activated.as_str())
        );
        assert_eq!(group.deletion_protection_enabled, Some(true));
    }

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
