//! DynamoDB's pieces, per region: the table list, each table's backups and TTL, and
//! each table's description (read only when a check or policy declares it).

use super::{accessors, pieces, Memo, PerResource};
use crate::model::dynamodb::{TableBackups, TableDescription, TableTtl};

pieces! {
    pub struct DynamoDbRegional {
        tables: Memo<Vec<String>>,
        continuous_backups: Memo<PerResource<TableBackups>>,
        ttl: Memo<PerResource<TableTtl>>,
        table_descriptions: Memo<PerResource<TableDescription>>,
    }
}

accessors! {
    iam "dynamodb";
    regional dynamodb_tables: Vec<String> = dynamodb.tables, "ListTables",
        |_inventory, aws, region| aws.dynamodb_tables(region);
    regional dynamodb_continuous_backups: PerResource<TableBackups> = dynamodb.continuous_backups, "DescribeContinuousBackups",
        each dynamodb_tables(Vec::clone) |aws, region, names| aws.dynamodb_continuous_backups(region, names);
    regional dynamodb_ttl: PerResource<TableTtl> = dynamodb.ttl, "DescribeTimeToLive",
        each dynamodb_tables(Vec::clone) |aws, region, names| aws.dynamodb_ttl(region, names);
    regional dynamodb_table_descriptions: PerResource<TableDescription> = dynamodb.table_descriptions, "DescribeTable",
        each dynamodb_tables(Vec::clone) |aws, region, names| aws.dynamodb_table_descriptions(region, names);
}
