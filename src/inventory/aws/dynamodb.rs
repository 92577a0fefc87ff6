use std::collections::BTreeMap;

use aws_sdk_dynamodb::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::dynamodb::{TableBackups, TableTtl};

const SERVICE: &str = "dynamodb";

impl AwsReader {
    fn dynamodb(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
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
                Ok(TableBackups {
                    point_in_time_recovery: out
                        .continuous_backups_description()
                        .and_then(|d| d.point_in_time_recovery_description())
                        .and_then(|p| p.point_in_time_recovery_status())
                        .map(|s| s.as_str().to_string()),
                })
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
                let description = out.time_to_live_description();
                Ok(TableTtl {
                    status: description
                        .and_then(|d| d.time_to_live_status())
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_else(|| "DISABLED".to_string()),
                    attribute: description
                        .and_then(|d| d.attribute_name())
                        .map(str::to_string),
                })
            }
        })
        .await
    }
}
