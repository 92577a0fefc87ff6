use std::collections::BTreeMap;

use aws_sdk_backup::primitives::DateTime;
use aws_sdk_backup::types::{
    BackupJob as SdkBackupJob, BackupPlansListMember, BackupRule as SdkBackupRule,
    BackupSelection as SdkSelection, BackupSelectionsListMember, ConditionParameter,
    ProtectedResource as SdkProtectedResource, RestoreJobsListMember,
};
use aws_sdk_backup::Client;

use super::{all_items, fetch_error, instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::backup::{
    BackupJob, BackupPlan, BackupRule, BackupSelection, ProtectedResource, RestoreJob,
    SelectionDetail, RECENT_JOBS_DAYS, RESTORE_JOBS_DAYS,
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

    pub(crate) async fn backup_rules(
        &self,
        region: &str,
        plans: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<BackupRule>>> {
        let client = self.backup(region);
        let send = |plan: &str| client.get_backup_plan().backup_plan_id(plan).send();
        self.each_answer(SERVICE, "GetBackupPlan", plans, send, |out| {
            out.backup_plan()
                .map(|p| p.rules().iter().map(rule).collect())
                .unwrap_or_default()
        })
        .await
    }

    /// `keys` are `plan id/selection id`.
    pub(crate) async fn backup_selection_details(
        &self,
        region: &str,
        keys: Vec<String>,
    ) -> BTreeMap<String, Fetched<SelectionDetail>> {
        let client = self.backup(region);
        self.per_resource(keys, |key| {
            let client = client.clone();
            async move {
                let (plan, selection) = key.split_once('/').unwrap_or((&key, ""));
                let out = client
                    .get_backup_selection()
                    .backup_plan_id(plan)
                    .selection_id(selection)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "GetBackupSelection", Some(&key), &e))?;
                Ok(selection_detail(plan, selection, out.backup_selection()))
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

fn rule(rule: &SdkBackupRule) -> BackupRule {
    BackupRule {
        name: rule.rule_name().to_string(),
        schedule: rule.schedule_expression().map(str::to_string),
    }
}

fn selection_detail(plan: &str, id: &str, selection: Option<&SdkSelection>) -> SelectionDetail {
    let conditions = selection.and_then(|s| s.conditions());
    let parameters = |operator: &str, parameters: &[ConditionParameter]| {
        parameters
            .iter()
            .map(|p| {
                format!(
                    "{operator} {} = {}",
                    p.condition_key().unwrap_or_default(),
                    p.condition_value().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
    };
    let mut tag_conditions: Vec<String> = selection
        .map(|s| s.list_of_tags())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            format!(
                "{} {} = {}",
                c.condition_type().as_str(),
                c.condition_key(),
                c.condition_value()
            )
        })
        .collect();
    if let Some(c) = conditions {
        tag_conditions.extend(parameters("StringEquals", c.string_equals()));
        tag_conditions.extend(parameters("StringNotEquals", c.string_not_equals()));
        tag_conditions.extend(parameters("StringLike", c.string_like()));
        tag_conditions.extend(parameters("StringNotLike", c.string_not_like()));
    }
    SelectionDetail {
        plan_id: plan.to_string(),
        selection_id: id.to_string(),
        name: selection
            .map(|s| s.selection_name().to_string())
            .unwrap_or_default(),
        resources: selection
            .map(|s| s.resources().to_vec())
            .unwrap_or_default(),
        not_resources: selection
            .map(|s| s.not_resources().to_vec())
            .unwrap_or_default(),
        tag_conditions,
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
        use crate::checks::testing::{data, each, now, ok, run, statuses, statuses_of, REGION};
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
        let arns = [
            "db:fresh",
            "db:failing",
            "db:stale",
            "db:running",
            "db:never",
        ];
        backup.plans = ok(vec![plan(
            &BackupPlansListMember::builder()
                .backup_plan_id("p1")
                .backup_plan_name("daily")
                .build(),
        )]);
        backup.selections = each([(
            "p1",
            vec![BackupSelection {
                id: "s1".into(),
                name: "databases".into(),
            }],
        )]);
        backup.rules = each([(
            "p1",
            vec![rule(
                &SdkBackupRule::builder()
                    .rule_name("daily")
                    .target_backup_vault_name("main")
                    .schedule_expression("cron(0 5 ? * * *)")
                    .build()
                    .unwrap(),
            )],
        )]);
        backup.selection_details = each([(
            "p1/s1",
            selection_detail(
                "p1",
                "s1",
                Some(
                    &SdkSelection::builder()
                        .selection_name("databases")
                        .iam_role_arn("arn:aws:iam::123456789012:role/backup")
                        .set_resources(Some(arns.map(String::from).to_vec()))
                        .build()
                        .unwrap(),
                ),
            ),
        )]);
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
            statuses_of(&observations, &arns),
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

    /// moto has no GetBackupSelection or ListProtectedResources: SDK values through the
    /// conversions and backup.recent_jobs. A resource is judged against the rule of the
    /// plan whose selection covers it; one no current selection covers is N/A.
    #[tokio::test]
    async fn resources_are_judged_against_the_rule_that_selects_them() {
        use aws_sdk_backup::types::{Condition, ConditionType, Conditions};

        use crate::checks::backup::recent_jobs;
        use crate::checks::testing::{data, each, now, ok, run, statuses_of, REGION};
        use crate::finding::Status::{Error, Fail, NotApplicable, Pass};

        let db = |name: &str| format!("arn:aws:rds:us-east-1:123456789012:db:{name}");
        let days_ago =
            |days: i64| DateTime::from_secs((now() - chrono::Duration::days(days)).timestamp());
        let resource = |name: &str, days: i64| {
            protected_resource(
                &SdkProtectedResource::builder()
                    .resource_arn(db(name))
                    .resource_type("RDS")
                    .last_backup_time(days_ago(days))
                    .build(),
            )
        };
        let weekly = SdkSelection::builder()
            .selection_name("weekly-dbs")
            .iam_role_arn("arn:aws:iam::123456789012:role/backup")
            .set_resources(Some(vec![db("weekly-ok"), db("weekly-late")]))
            .build()
            .unwrap();
        let tagged = SdkSelection::builder()
            .selection_name("tagged")
            .iam_role_arn("arn:aws:iam::123456789012:role/backup")
            .resources("arn:aws:rds:*:*:db:tagged-*")
            .list_of_tags(
                Condition::builder()
                    .condition_type(ConditionType::Stringequals)
                    .condition_key("backup")
                    .condition_value("daily")
                    .build()
                    .unwrap(),
            )
            .conditions(Conditions::builder().build())
            .build()
            .unwrap();
        let detail = selection_detail("p-tagged", "s-tagged", Some(&tagged));
        assert_eq!(
            detail.tag_conditions,
            [format!(
                "{} backup = daily",
                ConditionType::Stringequals.as_str()
            )]
        );
        let sdk_rule = |name: &str, schedule: &str| {
            rule(
                &SdkBackupRule::builder()
                    .rule_name(name)
                    .target_backup_vault_name("main")
                    .schedule_expression(schedule)
                    .build()
                    .unwrap(),
            )
        };
        let mut account = data();
        let backup = &mut account.region_mut(REGION).backup;
        backup.plans = ok(["p-weekly", "p-tagged"]
            .map(|id| {
                plan(
                    &BackupPlansListMember::builder()
                        .backup_plan_id(id)
                        .backup_plan_name(id)
                        .build(),
                )
            })
            .to_vec());
        let listed = |id: &str| {
            vec![BackupSelection {
                id: id.into(),
                name: id.into(),
            }]
        };
        backup.selections = each([
            ("p-weekly", listed("s-weekly")),
            ("p-tagged", listed("s-tagged")),
        ]);
        backup.rules = each([
            ("p-weekly", vec![sdk_rule("sundays", "cron(0 3 ? * SUN *)")]),
            ("p-tagged", vec![sdk_rule("nightly", "cron(0 3 * * ? *)")]),
        ]);
        backup.selection_details = each([
            (
                "p-weekly/s-weekly",
                selection_detail("p-weekly", "s-weekly", Some(&weekly)),
            ),
            ("p-tagged/s-tagged", detail),
        ]);
        backup.protected_resources = ok(vec![
            resource("weekly-ok", 5),
            resource("weekly-late", 9),
            resource("deleted", 40),
            resource("tagged-ok", 0),
            resource("tagged-late", 3),
        ]);
        backup.jobs = ok(vec![]);
        let found = run(account, true, recent_jobs).await;
        let names = [
            "weekly-ok",
            "weekly-late",
            "deleted",
            "tagged-ok",
            "tagged-late",
        ]
        .map(db);
        assert_eq!(
            statuses_of(&found, &names.each_ref().map(String::as_str)),
            [Pass, Fail, NotApplicable, Pass, Error]
        );
        let message = |name: &str| {
            &found
                .iter()
                .find(|o| o.resource_id == db(name))
                .unwrap()
                .message
        };
        assert!(
            message("weekly-late").contains(
                "at most 170 hours wanted by rule sundays of plan p-weekly (cron(0 3 ? * SUN *))"
            ),
            "{}",
            message("weekly-late")
        );
        assert!(
            message("deleted").ends_with("is not selected by any current backup plan (its recovery points are kept under their own retention)"),
            "{}",
            message("deleted")
        );
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
