//! AWS Backup's pieces, per region: plans each plan's selections.

use super::{accessors, each_of, pieces, Inventory, Memo, PerResource};
use crate::model::backup::{BackupPlan, BackupSelection};

pieces! {
    pub struct BackupRegional {
        plans: Memo<Vec<BackupPlan>>,
        selections: Memo<PerResource<Vec<BackupSelection>>>,
    }
}

impl Inventory {
    accessors! {
        regional backup_plans: Vec<BackupPlan> = backup.plans, "ListBackupPlans",
            |_inventory, aws, region| aws.backup_plans(region);
        /// Each plan's selections, keyed by plan id.
        regional backup_selections: PerResource<Vec<BackupSelection>> = backup.selections, "ListBackupSelections",
            |inventory, aws, region| async move {
                let ids = |plans: &Vec<BackupPlan>| plans.iter().map(|p| p.id.clone()).collect();
                let listing = inventory.backup_plans(region).await;
                each_of(listing, ids, |ids| aws.backup_selections(region, ids)).await
            };
    }
}
