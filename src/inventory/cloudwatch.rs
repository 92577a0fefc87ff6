//! CloudWatch's pieces: alarms per region; dashboards once for the account (they are
//! global resources).

use super::{accessors, pieces, Memo};
use crate::model::cloudwatch::{Alarm, Dashboard};

pieces! {
    pub struct CloudWatchGlobal {
        dashboards: Memo<Vec<Dashboard>>,
    }
}

pieces! {
    pub struct CloudWatchRegional {
        alarms: Memo<Vec<Alarm>>,
    }
}

accessors! {
    iam "cloudwatch";
    global cloudwatch_dashboards: Vec<Dashboard> = cloudwatch.dashboards, "ListDashboards",
        |inventory, aws| aws.cloudwatch_dashboards(inventory.home_region());
    regional cloudwatch_alarms: Vec<Alarm> = cloudwatch.alarms, "DescribeAlarms",
        |_inventory, aws, region| aws.cloudwatch_alarms(region);
}
