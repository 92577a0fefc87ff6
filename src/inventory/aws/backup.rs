use std::collections::BTreeMap;

use aws_sdk_backup::primitives::DateTime;
use aws_sdk_backup::types::{
    BackupJob as SdkBackupJob, BackupPlansListMember, BackupSelectionsListMember,
    ProtectedResource as SdkProtectedResource, RestoreJobsListMember,
};
use aws_sdk_backup::Client;

use super::{fetch_error, instant, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::backup::{
    BackupJob, BackupPlan, BackupSelection, ProtectedResource, RestoreJob, RECENT_JOBS_DAYS,
    RESTORE_JOBS_DAYS,
};

const SERVICE: &str = "backup";

impl AwsReader {
    fn backup(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    pub(crate) async fn backup_plans(&self, region: &str) -> Fetched<Vec<BackupPlan>> {
        let client = self.backup(region);
        let items = client.list_backup_plans().into_paginator().items().send();
        self.listed(SERVICE, "ListBackupPlans", region, items, plan)
            .await
    }

    pub(crate) async fn backup_selections(
        &self,
        region: &str,
        plans: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<BackupSelection>>> {
        let client = self.backup(region);
        self.per_resource(plans, |plan| {
            let client = client.clone();
            async move {
                let selections: Vec<_> = client
                    .list_backup_selections()
                    .backup_plan_id(&plan)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "ListBackupSelections", Some(&plan), &e))?;
                Ok(selections.iter().map(selection).collect())
            }
        })
        .await
    }
}

impl AwsReader {
    pub(crate) async fn backup_protected_resources(
        &self,
        region: &str,
    ) -> Fetched<Vec<ProtectedResource>> {
        let client = self.backup(region);
        let items = client
            .list_protected_resources()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "ListProtectedResources",
            region,
            items,
            protected_resource,
        )
        .await
    }

    pub(crate) async fn backup_jobs(&self, region: &str) -> Fetched<Vec<BackupJob>> {
        let client = self.backup(region);
        let items = client
            .list_backup_jobs()
            .by_created_after(days_ago(RECENT_JOBS_DAYS))
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "ListBackupJobs", region, items, backup_job)
            .await
    }

    pub(crate) async fn backup_restore_jobs(&self, region: &str) -> Fetched<Vec<RestoreJob>> {
        let client = self.backup(region);
        let items = client
            .list_restore_jobs()
            .by_created_after(days_ago(RESTORE_JOBS_DAYS))
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "ListRestoreJobs", region, items, restore_job)
            .await
    }
}

fn days_ago(days: i64) -> DateTime {
    DateTime::from_secs((chrono::Utc::now() - chrono::Duration::days(days)).timestamp())
}

fn protected_resource(resource: &SdkProtectedResource) -> ProtectedResource {
    ProtectedResource {
        arn: resource.resource_arn().unwrap_or_default().to_string(),
        resource_type: resource.resource_type().unwrap_or_default().to_string(),
        last_backup: resource.last_backup_time().and_then(instant),
    }
}

fn backup_job(job: &SdkBackupJob) -> BackupJob {
    BackupJob {
        id: job.backup_job_id().unwrap_or_default().to_string(),
        resource_arn: job.resource_arn().unwrap_or_default().to_string(),
        state: job
            .state()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        created: job.creation_date().and_then(instant),
        completed: job.completion_date().and_then(instant),
        status_message: job.status_message().map(str::to_string),
    }
}

fn restore_job(job: &RestoreJobsListMember) -> RestoreJob {
    RestoreJob {
        id: job.restore_job_id().unwrap_or_default().to_string(),
        status: job
            .status()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        resource_type: job.resource_type().map(str::to_string),
        recovery_point_arn: job.recovery_point_arn().map(str::to_string),
        created: job.creation_date().and_then(instant),
        completed: job.completion_date().and_then(instant),
        restore_testing_plan: job
            .created_by()
            .and_then(|c| c.restore_testing_plan_arn())
            .map(str::to_string),
    }
}

fn plan(plan: &BackupPlansListMember) -> BackupPlan {
    BackupPlan {
        id: plan.backup_plan_id().unwrap_or_default().to_string(),
        name: plan.backup_plan_name().unwrap_or_default().to_string(),
        arn: plan.backup_plan_arn().map(str::to_string),
    }
}

fn selection(selection: &BackupSelectionsListMember) -> BackupSelection {
    BackupSelection {
        id: selection.selection_id().unwrap_or_default().to_string(),
        name: selection.selection_name().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// moto does not implement ListBackupSelections (HTTP 500, shared/MOTO.md): SDK
    /// values through the conversions and the check instead.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::backup::plan_exists;
        use crate::checks::testing::{data, each, ok, run, statuses, REGION};
        use crate::finding::Status;

        let plans = vec![plan(
            &BackupPlansListMember::builder()
                .backup_plan_id("p1")
                .backup_plan_name("daily")
                .build(),
        )];
        let account = |selections: Vec<BackupSelection>| {
            let mut data = data();
            let backup = &mut data.region_mut(REGION).backup;
            backup.plans = ok(plans.clone());
            backup.selections = each([("p1", selections)]);
            data
        };
        let tagged = selection(
            &BackupSelectionsListMember::builder()
                .selection_id("s1")
                .selection_name("tagged-prod")
                .backup_plan_id("p1")
                .build(),
        );
        assert_eq!(
            statuses(&run(account(vec![tagged]), true, plan_exists).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(vec![]), true, plan_exists).await),
            [Status::Fail]
        );
    }
}
