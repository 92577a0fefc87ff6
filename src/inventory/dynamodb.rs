//! DynamoDB's pieces, per region: the table list, then each table's backups and TTL.

use super::{accessors, pieces, then, Fetched, Inventory, Memo, PerResource};
use crate::model::dynamodb::{TableBackups, TableTtl};

pieces! {
    pub struct DynamoDbRegional {
        tables: Memo<Vec<String>>,
        continuous_backups: Memo<PerResource<TableBackups>>,
        ttl: Memo<PerResource<TableTtl>>,
    }
}

impl Inventory {
    accessors! {
        regional dynamodb_tables: Vec<String> = dynamodb.tables, "ListTables",
            |_inventory, aws, region| aws.dynamodb_tables(region);
        regional dynamodb_continuous_backups: PerResource<TableBackups> = dynamodb.continuous_backups, "DescribeContinuousBackups",
            |inventory, aws, region| async move {
                then(inventory.dynamodb_tables(region).await, |tables| async move {
                    Fetched::Ok(aws.dynamodb_continuous_backups(region, tables.clone()).await)
                })
                .await
            };
        regional dynamodb_ttl: PerResource<TableTtl> = dynamodb.ttl, "DescribeTimeToLive",
            |inventory, aws, region| async move {
                then(inventory.dynamodb_tables(region).await, |tables| async move {
                    Fetched::Ok(aws.dynamodb_ttl(region, tables.clone()).await)
                })
                .await
            };
    }
}
