use std::collections::BTreeMap;

use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput;
use aws_sdk_dynamodb::operation::describe_time_to_live::DescribeTimeToLiveOutput;
use aws_sdk_dynamodb::types::TimeToLiveStatus;
use aws_sdk_dynamodb::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::Fetched;
use crate::model::dynamodb::{TableBackups, TableTtl};

const SERVICE: &str = "dynamodb";

impl AwsReader {
    fn dynamodb(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn dynamodb_tables(&self, region: &str) -> Fetched<Vec<String>> {
        let client = self.dynamodb(region);
        let items = client.list_tables().into_paginator().items().send();
        self.listed(SERVICE, "ListTables", region, items, String::clone)
            .await
    }

    pub(crate) async fn dynamodb_continuous_backups(
        &self,
        region: &str,
        tables: Vec<String>,
    ) -> BTreeMap<String, Fetched<TableBackups>> {
        let client = self.dynamodb(region);
        self.per_resource(tables, |table| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_continuous_backups()
                    .table_name(&table)
                    .send()
                    .await
                    .map_err(|e| {
                        fetch_error(SERVICE, "DescribeContinuousBackups", Some(&table), &e)
                    })?;
                Ok(table_backups(&out))
            }
        })
        .await
    }

    pub(crate) async fn dynamodb_ttl(
        &self,
        region: &str,
        tables: Vec<String>,
    ) -> BTreeMap<String, Fetched<TableTtl>> {
        let client = self.dynamodb(region);
        self.per_resource(tables, |table| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_time_to_live()
                    .table_name(&table)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeTimeToLive", Some(&table), &e))?;
                Ok(table_ttl(&out))
            }
        })
        .await
    }
}

fn table_backups(out: &DescribeContinuousBackupsOutput) -> TableBackups {
    TableBackups {
        point_in_time_recovery: out
            .continuous_backups_description()
            .and_then(|d| d.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .map(|s| s.as_str().to_string()),
    }
}

fn table_ttl(out: &DescribeTimeToLiveOutput) -> TableTtl {
    let description = out.time_to_live_description();
    TableTtl {
        status: description
            .and_then(|d| d.time_to_live_status())
            // No description: TTL was never set, which DescribeTimeToLive reports as off.
            .unwrap_or(&TimeToLiveStatus::Disabled)
            .as_str()
            .to_string(),
        attribute: description
            .and_then(|d| d.attribute_name())
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::{
        ContinuousBackupsDescription, ContinuousBackupsStatus, PointInTimeRecoveryDescription,
        PointInTimeRecoveryStatus, TimeToLiveDescription,
    };

    /// SDK outputs through the conversions and both checks.
    #[tokio::test]
    async fn sdk_outputs_reach_the_right_verdicts() {
        use crate::checks::dynamodb::{pitr, ttl};
        use crate::checks::testing::{data, each, ok, run, statuses_of, REGION};
        use crate::finding::Status;

        let backups = |status: PointInTimeRecoveryStatus| {
            table_backups(
                &DescribeContinuousBackupsOutput::builder()
                    .continuous_backups_description(
                        ContinuousBackupsDescription::builder()
                            .continuous_backups_status(ContinuousBackupsStatus::Enabled)
                            .point_in_time_recovery_description(
                                PointInTimeRecoveryDescription::builder()
                                    .point_in_time_recovery_status(status)
                                    .build(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
        };
        let expiry = |status: Option<TimeToLiveStatus>| {
            let mut out = DescribeTimeToLiveOutput::builder();
            if let Some(status) = status {
                out = out.time_to_live_description(
                    TimeToLiveDescription::builder()
                        .time_to_live_status(status)
                        .attribute_name("expires_at")
                        .build(),
                );
            }
            table_ttl(&out.build())
        };
        let account = || {
            let mut data = data();
            let dynamodb = &mut data.region_mut(REGION).dynamodb;
            dynamodb.tables = ok(vec!["orders".into(), "sessions".into(), "new".into()]);
            dynamodb.continuous_backups = each([
                ("orders", backups(PointInTimeRecoveryStatus::Enabled)),
                ("sessions", backups(PointInTimeRecoveryStatus::Disabled)),
                ("new", backups(PointInTimeRecoveryStatus::Disabled)),
            ]);
            dynamodb.ttl = each([
                ("orders", expiry(Some(TimeToLiveStatus::Enabling))),
                ("sessions", expiry(Some(TimeToLiveStatus::Disabled))),
                ("new", expiry(None)),
            ]);
            data
        };
        let tables = ["table/orders", "table/sessions", "table/new"];
        assert_eq!(
            statuses_of(&run(account(), true, pitr).await, &tables),
            [Status::Pass, Status::Fail, Status::Fail]
        );
        assert_eq!(
            statuses_of(&run(account(), true, ttl).await, &tables),
            [Status::Pass, Status::Fail, Status::Fail]
        );
    }
}
