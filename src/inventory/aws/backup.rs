use std::collections::BTreeMap;

use aws_sdk_backup::primitives::DateTime;
use aws_sdk_backup::types::{
    BackupJob as SdkBackupJob, BackupPlansListMember, BackupSelectionsListMember,
    ProtectedResource as SdkProtectedResource, RestoreJobsListMember,
};
use aws_sdk_backup::Client;

use super::{all_items, instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::backup::{
    BackupJob, BackupPlan, BackupSelection, ProtectedResource, RestoreJob, RECENT_JOBS_DAYS,
    RESTORE_JOBS_DAYS,
};

const SERVICE: &str = "backup";

impl AwsReader {
    fn backup(&self, region: &str) -> Client {
        self.client(region, Client::new)
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
                let selections: Vec<_> = all_items(
                    SERVICE,
                    "ListBackupSelections",
                    &plan,
                    client
                        .list_backup_selections()
                        .backup_plan_id(&plan)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
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
        validation_status: job.validation_status().map(|s| s.as_str().to_string()),
        validation_message: job.validation_status_message().map(str::to_string),
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

    /// moto has no ListProtectedResources, ListBackupJobs or ListRestoreJobs: SDK values
    /// through the conversions, backup.recent_jobs and manual.backup_restore_tested.
    #[tokio::test]
    async fn jobs_and_restores_reach_the_right_verdicts() {
        use aws_sdk_backup::types::{BackupJobState, RestoreJobCreator, RestoreJobStatus};

        use crate::checks::backup::recent_jobs;
        use crate::checks::manual::backup_restore_tested;
        use crate::checks::testing::{data, now, ok, run, statuses, statuses_of, REGION};
        use crate::finding::Status::{Fail, Manual, NotApplicable, Pass};

        let hours_ago =
            |hours: i64| DateTime::from_secs((now() - chrono::Duration::hours(hours)).timestamp());
        let resource = |arn: &str, last: Option<i64>| {
            protected_resource(
                &SdkProtectedResource::builder()
                    .resource_arn(arn)
                    .resource_type("RDS")
                    .set_last_backup_time(last.map(hours_ago))
                    .build(),
            )
        };
        let job =
            |id: &str, arn: &str, state: BackupJobState, created: i64, completed: Option<i64>| {
                backup_job(
                    &SdkBackupJob::builder()
                        .backup_job_id(id)
                        .resource_arn(arn)
                        .state(state)
                        .creation_date(hours_ago(created))
                        .set_completion_date(completed.map(hours_ago))
                        .status_message("Access denied to the KMS key")
                        .build(),
                )
            };
        let mut account = data();
        let backup = &mut account.region_mut(REGION).backup;
        backup.protected_resources = ok(vec![
            resource("db:fresh", Some(5)),
            resource("db:failing", Some(30)),
            resource("db:stale", Some(80)),
            resource("db:running", Some(20)),
            resource("db:never", None),
        ]);
        backup.jobs = ok(vec![
            job("1", "db:fresh", BackupJobState::Completed, 6, Some(5)),
            job("2", "db:failing", BackupJobState::Completed, 31, Some(30)),
            job("3", "db:failing", BackupJobState::Failed, 7, None),
            job("4", "db:running", BackupJobState::Completed, 21, Some(20)),
            job("5", "db:running", BackupJobState::Running, 1, None),
        ]);
        let observations = run(account, true, recent_jobs).await;
        assert_eq!(
            statuses_of(
                &observations,
                &[
                    "db:fresh",
                    "db:failing",
                    "db:stale",
                    "db:running",
                    "db:never"
                ]
            ),
            [Pass, Fail, Fail, Pass, Fail]
        );
        let mut none = data();
        none.region_mut(REGION).backup.protected_resources = ok(vec![]);
        assert_eq!(
            statuses(&run(none, true, recent_jobs).await),
            [NotApplicable]
        );

        let restore = |id: &str, status: RestoreJobStatus, days: i64, plan: Option<&str>| {
            restore_job(
                &RestoreJobsListMember::builder()
                    .restore_job_id(id)
                    .status(status)
                    .resource_type("RDS")
                    .creation_date(hours_ago(days * 24 + 1))
                    .completion_date(hours_ago(days * 24))
                    .set_created_by(plan.map(|p| {
                        RestoreJobCreator::builder()
                            .restore_testing_plan_arn(p)
                            .build()
                    }))
                    .build(),
            )
        };
        let restores = |jobs: Vec<RestoreJob>| {
            let mut data = data();
            data.region_mut(REGION).backup.restore_jobs = ok(jobs);
            data
        };
        let tested = run(
            restores(vec![
                restore("r-old", RestoreJobStatus::Completed, 120, None),
                restore(
                    "r-plan",
                    RestoreJobStatus::Completed,
                    10,
                    Some("arn:aws:backup:us-east-1:123456789012:restore-testing-plan:monthly"),
                ),
                restore("r-failed", RestoreJobStatus::Failed, 1, None),
            ]),
            false,
            backup_restore_tested,
        )
        .await;
        assert_eq!(statuses(&tested), [Pass]);
        assert!(
            tested[0].message.contains("r-plan")
                && tested[0].message.contains("restore-testing-plan:monthly"),
            "{}",
            tested[0].message
        );
        let untested = run(
            restores(vec![restore(
                "r-old",
                RestoreJobStatus::Completed,
                120,
                None,
            )]),
            false,
            backup_restore_tested,
        )
        .await;
        assert_eq!(statuses(&untested), [Manual]);
    }

    /// A restore test whose validation failed, timed out or is still running is not
    /// proof of a usable restore (RestoreValidationStatus through the conversion).
    #[tokio::test]
    async fn a_restore_whose_validation_did_not_succeed_is_not_proof() {
        use aws_sdk_backup::types::{RestoreJobStatus, RestoreValidationStatus};

        use crate::checks::manual::backup_restore_tested;
        use crate::checks::testing::{data, now, ok, run, statuses, REGION};
        use crate::finding::Status::{Manual, Pass};

        let validated = |validation: Option<RestoreValidationStatus>| {
            let job = restore_job(
                &RestoreJobsListMember::builder()
                    .restore_job_id("r-test")
                    .status(RestoreJobStatus::Completed)
                    .completion_date(DateTime::from_secs(
                        (now() - chrono::Duration::days(3)).timestamp(),
                    ))
                    .set_validation_status(validation)
                    .validation_status_message("table orders is empty")
                    .build(),
            );
            let mut data = data();
            data.region_mut(REGION).backup.restore_jobs = ok(vec![job]);
            run(data, false, backup_restore_tested)
        };
        for passing in [None, Some(RestoreValidationStatus::Successful)] {
            assert_eq!(statuses(&validated(passing).await), [Pass]);
        }
        for unproven in [
            RestoreValidationStatus::Failed,
            RestoreValidationStatus::TimedOut,
            RestoreValidationStatus::Validating,
        ] {
            let seen = validated(Some(unproven.clone())).await;
            assert_eq!(statuses(&seen), [Manual]);
            assert!(
                seen[0].message.contains(&format!(
                    "r-test in {REGION} completed but its validation is {}",
                    unproven.as_str()
                )),
                "{}",
                seen[0].message
            );
        }
    }
}
