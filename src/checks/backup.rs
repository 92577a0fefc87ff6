use aws_sdk_backup::types::BackupJobState;
use serde_json::json;

use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::backup::BackupJob;

/// orr's type for any resource AWS Backup protects (its own type, `RDS`, `EBS`, ..., is in
/// the evidence).
const PROTECTED: &str = "AWS::Backup::ProtectedResource";

/// At least one plan with a selection: a plan that selects nothing backs nothing up.
pub async fn plan_exists(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let plans = match listed(&ctx, ctx.inventory.backup_plans(region).await) {
        Ok(plans) => plans,
        Err(errors) => return errors,
    };
    let account = ctx.account();
    if plans.is_empty() {
        return vec![Observation::fail(
            &account,
            format!("no AWS Backup plan in {region}"),
            json!({ "plans": [] }),
        )];
    }
    let selections = ctx.inventory.backup_selections(region).await;
    let mut evidence = Vec::new();
    let mut unknown = None;
    for plan in plans {
        match lookup(selections, &plan.id) {
            Ok(found) if !found.is_empty() => {
                let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
                return vec![Observation::pass(
                    &account,
                    format!(
                        "backup plan {} selects resources ({})",
                        plan.name,
                        names.join(", ")
                    ),
                    json!({ "plan": plan, "selections": found }),
                )];
            }
            Ok(_) => evidence.push(json!({ "plan": plan.name, "selections": [] })),
            Err(error) => unknown = Some(error),
        }
    }
    match unknown {
        Some(error) => vec![Observation::unverified(&account, &error)],
        None => vec![Observation::fail(
            &account,
            format!("no backup plan in {region} selects any resource"),
            json!({ "plans": evidence }),
        )],
    }
}

/// A plan that exists but whose jobs fail backs nothing up: each protected resource's
/// newest backup job must have completed, within the threshold.
pub async fn recent_jobs(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let resources = match listed(&ctx, ctx.inventory.backup_protected_resources(region).await) {
        Ok(resources) => resources,
        Err(errors) => return errors,
    };
    if resources.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("AWS Backup protects no resource in {region}"),
        )];
    }
    let jobs = match listed(&ctx, ctx.inventory.backup_jobs(region).await) {
        Ok(jobs) => jobs,
        Err(errors) => return errors,
    };
    let max_age = ctx.rules.thresholds.backup.max_backup_age_hours;
    let now = ctx.now();
    resources
        .iter()
        .map(|resource| {
            let subject = Resource::new(PROTECTED, resource.arn.clone());
            let mut mine: Vec<&BackupJob> = jobs.iter().filter(|j| j.resource_arn == resource.arn).collect();
            mine.sort_by_key(|j| std::cmp::Reverse(j.created));
            let finished = mine.iter().find(|j| !j.in_progress());
            let last_completed = mine
                .iter()
                .filter(|j| j.state() == BackupJobState::Completed)
                .filter_map(|j| j.completed)
                .chain(resource.last_backup)
                .max();
            let evidence = json!({
                "resource_type": resource.resource_type,
                "latest_finished_job": finished,
                "last_backup": last_completed,
                "max_backup_age_hours": max_age,
            });
            if let Some(job) = finished.filter(|j| j.state() != BackupJobState::Completed) {
                return Observation::fail(
                    &subject,
                    format!(
                        "the latest backup job of {} is {}{}",
                        resource.arn,
                        job.state,
                        job.status_message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
                    ),
                    evidence,
                );
            }
            match last_completed {
                None => Observation::fail(&subject, format!("{} has no completed backup", resource.arn), evidence),
                Some(last) => {
                    let hours = (now - last).num_hours();
                    Observation::judge(
                        hours <= max_age,
                        &subject,
                        format!("the last backup of {} completed {hours} hour(s) ago (at most {max_age} wanted)", resource.arn),
                        evidence,
                    )
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::backup::{BackupPlan, BackupSelection};

    fn account(selections: Vec<(&str, Fetched<Vec<BackupSelection>>)>) -> InventoryData {
        let mut data = data();
        let backup = &mut data.region_mut(REGION).backup;
        backup.plans = Memo::ready(Fetched::Ok(
            selections
                .iter()
                .map(|(id, _)| BackupPlan {
                    id: id.to_string(),
                    name: format!("{id}-plan"),
                    arn: None,
                })
                .collect(),
        ));
        backup.selections = Memo::ready(Fetched::Ok(
            selections
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
        ));
        data
    }

    #[tokio::test]
    async fn a_plan_needs_a_selection() {
        let selection = BackupSelection {
            id: "s1".into(),
            name: "tagged-prod".into(),
        };
        let good = account(vec![
            ("empty", Fetched::Ok(vec![])),
            ("daily", Fetched::Ok(vec![selection])),
        ]);
        assert_eq!(
            statuses(&run(good, true, plan_exists).await),
            [Status::Pass]
        );
        let empty = account(vec![("empty", Fetched::Ok(vec![]))]);
        assert_eq!(
            statuses(&run(empty, true, plan_exists).await),
            [Status::Fail]
        );
        let none = account(vec![]);
        assert_eq!(
            statuses(&run(none, true, plan_exists).await),
            [Status::Fail]
        );
        let unknown = account(vec![
            ("empty", Fetched::Ok(vec![])),
            ("daily", err("backup", "ListBackupSelections")),
        ]);
        assert_eq!(
            statuses(&run(unknown, true, plan_exists).await),
            [Status::Error]
        );
    }
}
