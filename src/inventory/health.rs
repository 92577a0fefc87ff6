//! AWS Health's piece, for the account: the open issues.

use super::{accessors, pieces, Memo};
use crate::model::health::OpenIssues;

pieces! {
    pub struct HealthGlobal {
        open_issues: Memo<OpenIssues>,
    }
}

accessors! {
    iam "health";
    global health_open_issues: OpenIssues = health.open_issues, "DescribeEvents",
        |inventory, aws| aws.health_open_issues(inventory.home_region());
}
