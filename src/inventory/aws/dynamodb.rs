use std::collections::BTreeMap;

use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput;
use aws_sdk_dynamodb::operation::describe_time_to_live::DescribeTimeToLiveOutput;
use aws_sdk_dynamodb::types::{KeyType, TimeToLiveStatus};
use aws_sdk_dynamodb::Client;

use super::{fetch_error, instant, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::dynamodb::{TableBackups, TableDescription, TableTtl};

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
        let send = |table: &str| {
            client
                .describe_continuous_backups()
                .table_name(table)
                .send()
        };
        self.each_answer(SERVICE, "DescribeContinuousBackups", tables, send, |out| {
            table_backups(&out)
        })
        .await
    }

    pub(crate) async fn dynamodb_ttl(
        &self,
        region: &str,
        tables: Vec<String>,
    ) -> BTreeMap<String, Fetched<TableTtl>> {
        let client = self.dynamodb(region);
        let send = |table: &str| client.describe_time_to_live().table_name(table).send();
        self.each_answer(SERVICE, "DescribeTimeToLive", tables, send, |out| {
            table_ttl(&out)
        })
        .await
    }

    pub(crate) async fn dynamodb_table_descriptions(
        &self,
        region: &str,
        tables: Vec<String>,
    ) -> BTreeMap<String, Fetched<TableDescription>> {
        let client = self.dynamodb(region);
        self.per_resource(tables, |table| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_table()
                    .table_name(&table)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeTable", Some(&table), &e))?;
                out.table().map(table_description).ok_or_else(|| {
                    FetchError::new(
                        SERVICE,
                        "DescribeTable",
                        Some(&table),
                        "IncompleteAnswer",
                        "the answer has no Table",
                    )
                })
            }
        })
        .await
    }
}

fn table_description(table: &aws_sdk_dynamodb::types::TableDescription) -> TableDescription {
    let throughput = table.provisioned_throughput();
    let sse = table.sse_description();
    let stream = table.stream_specification();
    let key = |kind: KeyType| {
        table
            .key_schema()
            .iter()
            .find(|k| *k.key_type() == kind)
            .map(|k| k.attribute_name().to_string())
    };
    TableDescription {
        arn: table.table_arn().unwrap_or_default().to_string(),
        name: table.table_name().unwrap_or_default().to_string(),
        status: table.table_status().map(|s| s.as_str().to_string()),
        billing_mode: table
            .billing_mode_summary()
            .and_then(|b| b.billing_mode())
            .map(|m| m.as_str().to_string()),
        read_capacity_units: throughput.and_then(|t| t.read_capacity_units()),
        write_capacity_units: throughput.and_then(|t| t.write_capacity_units()),
        item_count: table.item_count(),
        size_bytes: table.table_size_bytes(),
        creation_time: table.creation_date_time().and_then(instant),
        deletion_protection_enabled: table.deletion_protection_enabled(),
        sse_status: sse.and_then(|s| s.status()).map(|s| s.as_str().to_string()),
        sse_type: sse
            .and_then(|s| s.sse_type())
            .map(|t| t.as_str().to_string()),
        kms_key_arn: sse.and_then(|s| s.kms_master_key_arn()).map(str::to_string),
        stream_enabled: stream.is_some_and(|s| s.stream_enabled()),
        stream_view_type: stream
            .and_then(|s| s.stream_view_type())
            .map(|v| v.as_str().to_string()),
        latest_stream_arn: table.latest_stream_arn().map(str::to_string),
        table_class: table
            .table_class_summary()
            .and_then(|c| c.table_class())
            .map(|c| c.as_str().to_string()),
        global_table_version: table.global_table_version().map(str::to_string),
        replica_regions: table
            .replicas()
            .iter()
            .filter_map(|r| r.region_name())
            .map(str::to_string)
            .collect(),
        partition_key: key(KeyType::Hash),
        sort_key: key(KeyType::Range),
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

    /// Every attribute of DescribeTable's `Table` the model keeps comes through.
    #[test]
    fn sdk_table_descriptions_reach_the_model() {
        use aws_sdk_dynamodb::primitives::DateTime;
        use aws_sdk_dynamodb::types::{
            BillingMode, BillingModeSummary, KeySchemaElement, ProvisionedThroughputDescription,
            ReplicaDescription, SseDescription, SseStatus, SseType, StreamSpecification,
            StreamViewType, TableClass, TableClassSummary, TableStatus,
        };
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
        let key_element = |name: &str, kind: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .unwrap()
        };
        let table = table_description(
            &aws_sdk_dynamodb::types::TableDescription::builder()
                .table_arn(arn)
                .table_name("orders")
                .table_status(TableStatus::Active)
                .billing_mode_summary(
                    BillingModeSummary::builder()
                        .billing_mode(BillingMode::PayPerRequest)
                        .build(),
                )
                .provisioned_throughput(
                    ProvisionedThroughputDescription::builder()
                        .read_capacity_units(0)
                        .write_capacity_units(0)
                        .build(),
                )
                .item_count(1_234)
                .table_size_bytes(56_789)
                .creation_date_time(DateTime::from_secs(1_700_000_000))
                .deletion_protection_enabled(true)
                .sse_description(
                    SseDescription::builder()
                        .status(SseStatus::Enabled)
                        .sse_type(SseType::Kms)
                        .kms_master_key_arn("arn:aws:kms:us-east-1:123456789012:key/1234abcd")
                        .build(),
                )
                .stream_specification(
                    StreamSpecification::builder()
                        .stream_enabled(true)
                        .stream_view_type(StreamViewType::NewAndOldImages)
                        .build()
                        .unwrap(),
                )
                .latest_stream_arn(format!("{arn}/stream/2024-01-01T00:00:00.000"))
                .table_class_summary(
                    TableClassSummary::builder()
                        .table_class(TableClass::StandardInfrequentAccess)
                        .build(),
                )
                .global_table_version("2019.11.21")
                .replicas(
                    ReplicaDescription::builder()
                        .region_name("us-east-1")
                        .build(),
                )
                .replicas(
                    ReplicaDescription::builder()
                        .region_name("eu-west-1")
                        .build(),
                )
                .key_schema(key_element("order_id", KeyType::Hash))
                .key_schema(key_element("placed_at", KeyType::Range))
                .build(),
        );
        assert_eq!(table.arn, arn);
        assert_eq!(table.name, "orders");
        assert_eq!(table.status.as_deref(), Some(TableStatus::Active.as_str()));
        assert_eq!(
            table.billing_mode.as_deref(),
            Some(BillingMode::PayPerRequest.as_str())
        );
        assert_eq!(
            (table.read_capacity_units, table.write_capacity_units),
            (Some(0), Some(0))
        );
        assert_eq!(
            (table.item_count, table.size_bytes),
            (Some(1_234), Some(56_789))
        );
        assert_eq!(
            table.creation_time.map(|t| t.timestamp()),
            Some(1_700_000_000)
        );
        assert_eq!(table.deletion_protection_enabled, Some(true));
        assert_eq!(
            table.sse_status.as_deref(),
            Some(SseStatus::Enabled.as_str())
        );
        assert_eq!(table.sse_type.as_deref(), Some(SseType::Kms.as_str()));
        assert_eq!(
            table.kms_key_arn.as_deref(),
            Some("arn:aws:kms:us-east-1:123456789012:key/1234abcd")
        );
        assert!(table.stream_enabled);
        assert_eq!(
            table.stream_view_type.as_deref(),
            Some(StreamViewType::NewAndOldImages.as_str())
        );
        assert!(table.latest_stream_arn.is_some());
        assert_eq!(
            table.table_class.as_deref(),
            Some(TableClass::StandardInfrequentAccess.as_str())
        );
        assert_eq!(table.global_table_version.as_deref(), Some("2019.11.21"));
        assert_eq!(table.replica_regions, ["us-east-1", "eu-west-1"]);
        assert_eq!(table.partition_key.as_deref(), Some("order_id"));
        assert_eq!(table.sort_key.as_deref(), Some("placed_at"));

        // A table DescribeTable says little about: no stream, no sort key, AWS-owned key.
        let bare = table_description(
            &aws_sdk_dynamodb::types::TableDescription::builder()
                .table_name("sessions")
                .key_schema(key_element("id", KeyType::Hash))
                .build(),
        );
        assert!(!bare.stream_enabled);
        assert_eq!((bare.sse_status, bare.sort_key), (None, None));
        assert!(bare.replica_regions.is_empty());
    }

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

    /// Deletion protection as DescribeTable states it: on, off, or not said.
    #[tokio::test]
    async fn deletion_protection_from_sdk_values() {
        use crate::checks::dynamodb::deletion_protection;
        use crate::checks::testing::{data, err, ok, run, statuses, statuses_of, REGION};
        use crate::finding::Status::{Error, Fail, NotApplicable, Pass};
        use crate::inventory::Fetched;

        let table = |name: &str, protected: Option<bool>| {
            let mut table = aws_sdk_dynamodb::types::TableDescription::builder().table_name(name);
            if let Some(protected) = protected {
                table = table.deletion_protection_enabled(protected);
            }
            (
                name.to_string(),
                Fetched::Ok(table_description(&table.build())),
            )
        };
        let mut account = data();
        let dynamodb = &mut account.region_mut(REGION).dynamodb;
        dynamodb.tables = ok(vec![
            "orders".into(),
            "scratch".into(),
            "quiet".into(),
            "denied".into(),
        ]);
        dynamodb.table_descriptions = ok(BTreeMap::from([
            table("orders", Some(true)),
            table("scratch", Some(false)),
            table("quiet", None),
            ("denied".to_string(), err("dynamodb", "DescribeTable")),
        ]));
        let tables = [
            "table/orders",
            "table/scratch",
            "table/quiet",
            "table/denied",
        ];
        assert_eq!(
            statuses_of(&run(account, true, deletion_protection).await, &tables),
            [Pass, Fail, Error, Error]
        );

        let mut empty = data();
        empty.region_mut(REGION).dynamodb.tables = ok(vec![]);
        empty.region_mut(REGION).dynamodb.table_descriptions = ok(BTreeMap::new());
        assert_eq!(
            statuses(&run(empty, true, deletion_protection).await),
            [NotApplicable]
        );
    }
}
