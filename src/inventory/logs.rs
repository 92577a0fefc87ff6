//! CloudWatch Logs' pieces, per region.

use super::{accessors, pieces, Memo};
use crate::model::logs::LogGroup;

pieces! {
    pub struct LogsRegional {
        log_groups: Memo<Vec<LogGroup>>,
    }
}

accessors! {
    iam "logs";
    regional logs_log_groups: Vec<LogGroup> = logs.log_groups, "DescribeLogGroups",
        |_inventory, aws, region| aws.logs_log_groups(region);
}
