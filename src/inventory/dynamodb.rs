//! DynamoDB's pieces, per region: the table list each table's backups and TTL.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::dynamodb::{TableBackups, TableTtl};

pieces! {
    pub struct DynamoDbRegional {
        tables: Memo<Vec<String>>,
        continuous_backups: Memo<PerResource<TableBackups>>,
        ttl: Memo<PerResource<TableTtl>>,
    }
}

accessors! {
    regional dynamodb_tables: Vec<String> = dynamodb.tables, "ListTables" needs ["dynamodb:ListTables"],
        |_inventory, aws, region| aws.dynamodb_tables(region);
    regional dynamodb_continuous_backups: PerResource<TableBackups> = dynamodb.continuous_backups, "DescribeContinuousBackups" needs ["dynamodb:DescribeContinuousBackups", "dynamodb:ListTables"],
        |inventory, aws, region| async move {
            let listing = inventory.dynamodb_tables(region).await;
            each_of(listing, Vec::clone, |names| aws.dynamodb_continuous_backups(region, names)).await
        };
    regional dynamodb_ttl: PerResource<TableTtl> = dynamodb.ttl, "DescribeTimeToLive" needs ["dynamodb:DescribeTimeToLive", "dynamodb:ListTables"],
        |inventory, aws, region| async move {
            let listing = inventory.dynamodb_tables(region).await;
            each_of(listing, Vec::clone, |names| aws.dynamodb_ttl(region, names)).await
        };
}
