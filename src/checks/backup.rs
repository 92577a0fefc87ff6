use aws_sdk_backup::types::BackupJobState;
use serde_json::json;

use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource, Status};
use crate::model::backup::{BackupJob, BackupPlan, BackupRule, SelectionDetail, Selects};

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

/// The rule that allows the shortest wait between two backups of a resource.
struct Schedule<'a> {
    plan: &'a str,
    rule: &'a BackupRule,
    interval: chrono::Duration,
}

/// A plan that exists but whose jobs fail backs nothing up: each resource a current
/// selection covers must have its newest finished job completed, and its last backup
/// no older than the most frequent rule selecting it allows. A resource AWS Backup
/// once protected that no current selection covers (deleted, deselected, backed up
/// once on demand) keeps its recovery points but is not expected to get new ones.
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
    let (jobs, plans) = match (
        listed(&ctx, ctx.inventory.backup_jobs(region).await),
        listed(&ctx, ctx.inventory.backup_plans(region).await),
    ) {
        (Ok(jobs), Ok(plans)) => (jobs, plans),
        (Err(errors), _) | (_, Err(errors)) => return errors,
    };
    let selections = ctx.inventory.backup_selections(region).await;
    let details = ctx.inventory.backup_selection_details(region).await;
    let rules = ctx.inventory.backup_rules(region).await;
    // Every current selection, and the reads that failed: a resource none of the
    // readable selections covers may be covered by an unreadable one.
    let mut current: Vec<(&BackupPlan, &SelectionDetail)> = Vec::new();
    let mut unreadable = Vec::new();
    for plan in plans {
        match lookup(selections, &plan.id) {
            Ok(listed) => {
                for selection in listed {
                    match lookup(details, &format!("{}/{}", plan.id, selection.id)) {
                        Ok(detail) => current.push((plan, detail)),
                        Err(error) => unreadable.push(error),
                    }
                }
            }
            Err(error) => unreadable.push(error),
        }
    }
    let threshold = ctx.rules.thresholds.backup.max_backup_age_hours;
    let now = ctx.now();
    resources
        .iter()
        .map(|resource| {
            let subject = Resource::new(PROTECTED, resource.arn.clone());
            let selecting: Vec<_> = current
                .iter()
                .map(|(plan, detail)| (*plan, *detail, detail.selects(&resource.arn)))
                .filter(|(_, _, how)| *how != Selects::No)
                .collect();
            if selecting.is_empty() {
                return match unreadable.first() {
                    Some(error) => Observation::unverified(&subject, error),
                    None => Observation::not_applicable(
                        &subject,
                        format!(
                            "{} is not selected by any current backup plan (its recovery points are kept under their own retention)",
                            resource.arn
                        ),
                    ),
                };
            }
            // Selected by its own ARN, it is judged on those plans; else only a wildcard
            // or tag conditions select it, which hold only while it exists and matches.
            let by_arn = selecting.iter().any(|(_, _, how)| *how == Selects::Yes);
            let judged: Vec<_> = selecting
                .iter()
                .filter(|(_, _, how)| !by_arn || *how == Selects::Yes)
                .collect();
            let mut schedule_unknown = None;
            let mut schedule: Option<Schedule> = None;
            for (plan, ..) in &judged {
                match lookup(rules, &plan.id) {
                    Ok(rules) => {
                        for rule in rules {
                            let Some(interval) = rule.interval() else { continue };
                            if schedule.as_ref().is_none_or(|s| interval < s.interval) {
                                schedule = Some(Schedule { plan: &plan.name, rule, interval });
                            }
                        }
                    }
                    Err(error) => schedule_unknown = Some(error),
                }
            }
            // The threshold is the allowance for a rule that runs at least daily; a
            // less frequent rule adds the rest of its interval.
            let allowed = schedule
                .as_ref()
                .map(|s| s.interval.num_hours().max(24) - 24 + threshold)
                .unwrap_or(threshold);
            let wanted = match &schedule {
                Some(s) => format!(
                    "at most {allowed} hours wanted by rule {} of plan {} ({})",
                    s.rule.name,
                    s.plan,
                    s.rule.schedule.as_deref().unwrap_or_default()
                ),
                None => format!("at most {allowed} hours wanted: no rule schedule was read"),
            };
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
                "selected_by": judged.iter().map(|(plan, detail, how)| json!({
                    "plan": plan.name,
                    "selection": detail.name,
                    "by": if *how == Selects::Yes { "arn" } else { "wildcard or tags" },
                    "tag_conditions": detail.tag_conditions,
                })).collect::<Vec<_>>(),
                "schedule": schedule.as_ref().map(|s| json!({ "plan": s.plan, "rule": s.rule })),
                "latest_finished_job": finished,
                "last_backup": last_completed,
                "max_backup_age_hours": allowed,
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
            let age = last_completed.map(|last| (now - last).num_hours());
            if age.is_some_and(|hours| hours <= allowed) {
                return Observation::pass(
                    &subject,
                    format!("the last backup of {} completed {} hour(s) ago ({wanted})", resource.arn, age.unwrap_or_default()),
                    evidence,
                );
            }
            let seen = match age {
                Some(hours) => format!("the last backup of {} completed {hours} hour(s) ago ({wanted})", resource.arn),
                None => format!("{} has no completed backup", resource.arn),
            };
            if let (None, Some(error)) = (&schedule, &schedule_unknown) {
                return Observation::unverified(&subject, error);
            }
            if !by_arn {
                let (plan, detail, _) = judged[0];
                return Observation::new(
                    Status::Error,
                    &subject,
                    format!(
                        "{seen}, but only a wildcard or tag conditions select it (selection {} of plan {}), which orr does not resolve: overdue if it still exists and matches them",
                        detail.name, plan.name
                    ),
                    evidence,
                );
            }
            Observation::fail(&subject, seen, evidence)
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

    #[tokio::test]
    async fn unreadable_schedules_or_selections_leave_a_late_resource_unverified() {
        use crate::model::backup::{BackupRule, ProtectedResource, SelectionDetail};

        let detail = |plan: &str, id: &str, arns: &[&str]| SelectionDetail {
            plan_id: plan.into(),
            selection_id: id.into(),
            name: id.into(),
            resources: arns.iter().map(|a| a.to_string()).collect(),
            not_resources: vec![],
            tag_conditions: vec![],
        };
        let resource = |arn: &str, hours: i64| ProtectedResource {
            arn: arn.into(),
            resource_type: "EBS".into(),
            last_backup: Some(now() - chrono::Duration::hours(hours)),
        };
        let mut data = account(vec![
            (
                "monthly",
                Fetched::Ok(vec![BackupSelection {
                    id: "m".into(),
                    name: "m".into(),
                }]),
            ),
            (
                "unknown-rules",
                Fetched::Ok(vec![BackupSelection {
                    id: "u".into(),
                    name: "u".into(),
                }]),
            ),
            (
                "unknown-selection",
                Fetched::Ok(vec![BackupSelection {
                    id: "x".into(),
                    name: "x".into(),
                }]),
            ),
        ]);
        let backup = &mut data.region_mut(REGION).backup;
        backup.rules = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "monthly".to_string(),
                Fetched::Ok(vec![BackupRule {
                    name: "first-of-month".into(),
                    schedule: Some("cron(0 5 1 * ? *)".into()),
                }]),
            ),
            ("unknown-rules".to_string(), err("backup", "GetBackupPlan")),
        ])));
        backup.selection_details = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "monthly/m".to_string(),
                Fetched::Ok(detail("monthly", "m", &["vol:monthly"])),
            ),
            (
                "unknown-rules/u".to_string(),
                Fetched::Ok(detail("unknown-rules", "u", &["vol:unknown-rules"])),
            ),
            (
                "unknown-selection/x".to_string(),
                err("backup", "GetBackupSelection"),
            ),
        ])));
        backup.protected_resources = Memo::ready(Fetched::Ok(vec![
            resource("vol:monthly", 20 * 24),
            resource("vol:unknown-rules", 30),
            resource("vol:elsewhere", 2),
        ]));
        backup.jobs = Memo::ready(Fetched::Ok(vec![]));
        let found = run(data, true, recent_jobs).await;
        assert_eq!(
            statuses_of(
                &found,
                &["vol:monthly", "vol:unknown-rules", "vol:elsewhere"]
            ),
            // A monthly rule allows 31 days; a plan whose schedule could not be read
            // leaves a backup older than a day unverified; a resource only an unreadable
            // selection may cover is unverified, not N/A.
            [Status::Pass, Status::Error, Status::Error]
        );
    }
}
