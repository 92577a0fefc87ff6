//! AWS Backup's pieces, per region: plans, their rules and selections and what each
//! selection selects; the protected resources, recent backup jobs and restore jobs.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::backup::{
    BackupJob, BackupPlan, BackupRule, BackupSelection, ProtectedResource, RestoreJob,
    SelectionDetail,
};

pieces! {
    pub struct BackupRegional {
        plans: Memo<Vec<BackupPlan>>,
        selections: Memo<PerResource<Vec<BackupSelection>>>,
        rules: Memo<PerResource<Vec<BackupRule>>>,
        selection_details: Memo<PerResource<SelectionDetail>>,
        protected_resources: Memo<Vec<ProtectedResource>>,
        jobs: Memo<Vec<BackupJob>>,
        restore_jobs: Memo<Vec<RestoreJob>>,
    }
}

accessors! {
    iam "backup";
    regional backup_plans: Vec<BackupPlan> = backup.plans, "ListBackupPlans",
        |_inventory, aws, region| aws.backup_plans(region);
    /// Each plan's selections, keyed by plan id.
    regional backup_selections: PerResource<Vec<BackupSelection>> = backup.selections, "ListBackupSelections",
        each backup_plans(|plans: &Vec<BackupPlan>| plans.iter().map(|p| p.id.clone()).collect()) |aws, region, ids| aws.backup_selections(region, ids);
    /// Each plan's rules (their schedules), keyed by plan id.
    regional backup_rules: PerResource<Vec<BackupRule>> = backup.rules, "GetBackupPlan",
        each backup_plans(|plans: &Vec<BackupPlan>| plans.iter().map(|p| p.id.clone()).collect()) |aws, region, ids| aws.backup_rules(region, ids);
    /// What each listed selection selects, keyed by `plan id/selection id`: one
    /// GetBackupSelection per selection.
    regional backup_selection_details: PerResource<SelectionDetail> = backup.selection_details, "GetBackupSelection",
        each backup_selections(|selections: &PerResource<Vec<BackupSelection>>| {
                selections
                    .iter()
                    .filter_map(|(plan, listed)| Some((plan, listed.as_result().ok()?)))
                    .flat_map(|(plan, listed)| listed.iter().map(move |s| format!("{plan}/{}", s.id)))
                    .collect()
            }) |aws, region, keys| aws.backup_selection_details(region, keys);
    regional backup_protected_resources: Vec<ProtectedResource> = backup.protected_resources, "ListProtectedResources",
        |_inventory, aws, region| aws.backup_protected_resources(region);
    /// Backup jobs created in the last `RECENT_JOBS_DAYS` days.
    regional backup_jobs: Vec<BackupJob> = backup.jobs, "ListBackupJobs",
        |_inventory, aws, region| aws.backup_jobs(region);
    /// Restore jobs created in the last `RESTORE_JOBS_DAYS` days.
    regional backup_restore_jobs: Vec<RestoreJob> = backup.restore_jobs, "ListRestoreJobs",
        |_inventory, aws, region| aws.backup_restore_jobs(region);
}
