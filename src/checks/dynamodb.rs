use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::{Fetched, PerResource};
use aws_sdk_dynamodb::types::{PointInTimeRecoveryStatus, TimeToLiveStatus};

const TABLE: &str = "AWS::DynamoDB::Table";

/// Judges each table of the region on one per-table piece: `judge` says whether it
/// passes, or `None` when the answer does not say.
async fn each_table<T>(
    ctx: &CheckCtx,
    piece: &Fetched<PerResource<T>>,
    judge: impl Fn(&str, &T) -> (Option<bool>, String, serde_json::Value),
) -> Vec<Observation> {
    let tables = match listed(ctx, ctx.inventory.dynamodb_tables(ctx.region()).await) {
        Ok(tables) => tables,
        Err(errors) => return errors,
    };
    let observations = tables
        .iter()
        .map(|table| {
            let resource = Resource::new(
                TABLE,
                super::arn(ctx, "dynamodb", &format!("table/{table}")),
            );
            match lookup(piece, table) {
                Err(error) => Observation::unverified(&resource, &error),
                Ok(value) => match judge(table, value) {
                    (Some(ok), message, evidence) => {
                        Observation::judge(ok, &resource, message, evidence)
                    }
                    (None, message, evidence) => {
                        Observation::cannot_judge(&resource, message, evidence)
                    }
                },
            }
        })
        .collect();
    or_not_applicable(ctx, observations, || {
        format!("no DynamoDB tables in {}", ctx.region())
    })
}

pub async fn pitr(ctx: CheckCtx) -> Vec<Observation> {
    let backups = ctx
        .inventory
        .dynamodb_continuous_backups(ctx.region())
        .await;
    each_table(&ctx, backups, |table, backups| {
        let status = backups.point_in_time_recovery.as_deref().unwrap_or("DISABLED");
        let on = PointInTimeRecoveryStatus::from(status) == PointInTimeRecoveryStatus::Enabled;
        (
            Some(on),
            if on {
                format!("table {table} has point-in-time recovery")
            } else {
                format!("table {table} has point-in-time recovery {status}: no restore to a moment before a bad write")
            },
            json!({ "point_in_time_recovery": status }),
        )
    })
    .await
}

pub async fn ttl(ctx: CheckCtx) -> Vec<Observation> {
    let ttl = ctx.inventory.dynamodb_ttl(ctx.region()).await;
    each_table(&ctx, ttl, |table, ttl| {
        let on = matches!(
            TimeToLiveStatus::from(ttl.status.as_str()),
            TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling
        );
        (
            Some(on),
            match (&ttl.attribute, on) {
                (Some(attribute), true) => format!("table {table} expires items on {attribute}"),
                (_, true) => format!("table {table} has TTL {}", ttl.status),
                _ => format!(
                    "table {table} has TTL {}: expired items are stored and paid for",
                    ttl.status
                ),
            },
            json!({ "ttl_status": ttl.status, "attribute": ttl.attribute }),
        )
    })
    .await
}

/// DescribeTable always states `DeletionProtectionEnabled`; an answer without it
/// cannot be judged.
pub async fn deletion_protection(ctx: CheckCtx) -> Vec<Observation> {
    let tables = ctx
        .inventory
        .dynamodb_table_descriptions(ctx.region())
        .await;
    each_table(&ctx, tables, |table, description| {
        match description.deletion_protection_enabled {
            Some(true) => (Some(true), format!("table {table} has deletion protection"), json!({ "deletion_protection_enabled": true })),
            Some(false) => (Some(false), format!("table {table} has no deletion protection: one DeleteTable call removes it and its data"), json!({ "deletion_protection_enabled": false })),
            None => (None, format!("table {table}: DescribeTable did not say whether deletion protection is on"), json!({ "deletion_protection_enabled": null })),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{InventoryData, Memo};
    use crate::model::dynamodb::{TableBackups, TableTtl};

    fn account() -> InventoryData {
        let mut data = data();
        let dynamodb = &mut data.region_mut(REGION).dynamodb;
        dynamodb.tables = Memo::ready(Fetched::Ok(vec![
            "orders".into(),
            "sessions".into(),
            "denied".into(),
        ]));
        dynamodb.continuous_backups = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "orders".into(),
                Fetched::Ok(TableBackups {
                    point_in_time_recovery: Some("ENABLED".into()),
                }),
            ),
            (
                "sessions".into(),
                Fetched::Ok(TableBackups {
                    point_in_time_recovery: Some("DISABLED".into()),
                }),
            ),
            (
                "denied".into(),
                err("dynamodb", "DescribeContinuousBackups"),
            ),
        ])));
        dynamodb.ttl = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "orders".into(),
                Fetched::Ok(TableTtl {
                    status: "DISABLED".into(),
                    attribute: None,
                }),
            ),
            (
                "sessions".into(),
                Fetched::Ok(TableTtl {
                    status: "ENABLED".into(),
                    attribute: Some("expires_at".into()),
                }),
            ),
            (
                "denied".into(),
                Fetched::Ok(TableTtl {
                    status: "ENABLING".into(),
                    attribute: None,
                }),
            ),
        ])));
        data
    }

    #[tokio::test]
    async fn pitr_and_ttl_per_table() {
        let found = run(account(), true, pitr).await;
        assert_eq!(status_of(&found, "table/orders"), Status::Pass);
        assert_eq!(status_of(&found, "table/sessions"), Status::Fail);
        assert_eq!(status_of(&found, "table/denied"), Status::Error);
        let found = run(account(), true, ttl).await;
        assert_eq!(status_of(&found, "table/orders"), Status::Fail);
        assert_eq!(status_of(&found, "table/sessions"), Status::Pass);
        assert_eq!(status_of(&found, "table/denied"), Status::Pass);
    }
}
