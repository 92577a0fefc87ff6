use aws_sdk_cloudwatchlogs::Client;

use super::AwsReader;
use crate::inventory::memo::Fetched;
use crate::model::logs::LogGroup;

impl AwsReader {
    pub(crate) async fn logs_log_groups(&self, region: &str) -> Fetched<Vec<LogGroup>> {
        let client = Client::new(&self.region_config(region));
        let items = client.describe_log_groups().into_paginator().items().send();
        self.listed("logs", "DescribeLogGroups", region, items, |g| LogGroup {
            name: g.log_group_name().unwrap_or_default().to_string(),
            arn: g.arn().map(str::to_string),
            retention_days: g.retention_in_days(),
        })
        .await
    }
}
