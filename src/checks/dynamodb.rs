use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::{Fetched, PerResource};
use aws_sdk_dynamodb::types::{PointInTimeRecoveryStatus, TimeToLiveStatus};

const TABLE: &str = "AWS::DynamoDB::Table";

/// Judges each table of the region on one per-table piece.
async fn each_table<T>(
    ctx: &CheckCtx,
    piece: &Fetched<PerResource<T>>,
    judge: impl Fn(&str, &T) -> (bool, String, serde_json::Value),
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
                Ok(value) => {
                    let (ok, message, evidence) = judge(table, value);
                    Observation::judge(ok, &resource, message, evidence)
                }
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
            on,
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
            on,
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
