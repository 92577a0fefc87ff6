//! AWS Health's piece, for the account: the open issues.

use super::{accessors, pieces, Memo};
use crate::model::health::{OpenIssues, ScheduledChanges};

pieces! {
    pub struct HealthGlobal {
        open_issues: Memo<OpenIssues>,
        scheduled_changes: Memo<ScheduledChanges>,
    }
}

accessors! {
    iam "health";
    global health_open_issues: OpenIssues = health.open_issues, "DescribeEvents",
        |inventory, aws| aws.health_open_issues(inventory.home_region());
    global health_scheduled_changes: ScheduledChanges = health.scheduled_changes, "DescribeEvents",
        |inventory, aws| aws.health_scheduled_changes(inventory.home_region());
}
