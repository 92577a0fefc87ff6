use aws_sdk_backup::types::BackupJobState;
use serde_json::json;

use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource};
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
    selection: &'a str,
    rule: &'a BackupRule,
    interval: chrono::TimeDelta,
}

/// The hours a rule allows since the last backup: the threshold is the allowance for a
/// rule that runs at least daily; a less frequent rule adds the rest of its interval.
fn allowance(interval: chrono::TimeDelta, threshold: i64) -> i64 {
    interval
        .num_hours()
        .max(24)
        .saturating_sub(24)
        .saturating_add(threshold)
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
            // Every selection covering it counts: the most frequent rule of any of them
            // sets the allowance. One selecting it by its own ARN makes its own plans'
            // allowance certain; a wildcard or tag conditions hold only while it exists
            // and matches them.
            let mut schedule_unknown = Vec::new();
            let mut unparseable = Vec::new();
            let mut schedule: Option<Schedule> = None;
            let mut certain: Option<Schedule> = None;
            for (plan, detail, how) in &selecting {
                match lookup(rules, &plan.id) {
                    Ok(rules) if rules.is_empty() => unparseable.push(json!({
                        "plan": plan.name,
                        "rule": null,
                    })),
                    Ok(rules) => {
                        for rule in rules {
                            let Some(interval) = rule.interval() else {
                                unparseable.push(json!({ "plan": plan.name, "rule": rule }));
                                continue;
                            };
                            let candidate = || Schedule {
                                plan: &plan.name,
                                selection: &detail.name,
                                rule,
                                interval,
                            };
                            if schedule.as_ref().is_none_or(|s| interval < s.interval) {
                                schedule = Some(candidate());
                            }
                            if *how == Selects::Yes
                                && certain.as_ref().is_none_or(|s| interval < s.interval)
                            {
                                certain = Some(candidate());
                            }
                        }
                    }
                    Err(error) => schedule_unknown.push((plan.name.as_str(), error)),
                }
            }
            // A selecting plan whose schedule is unknown may run daily: the allowance is
            // then capped at the daily one.
            let capped = !schedule_unknown.is_empty() || !unparseable.is_empty();
            let mut allowed = schedule
                .as_ref()
                .map_or(threshold, |s| allowance(s.interval, threshold));
            if capped {
                allowed = allowed.min(threshold);
            }
            let wanted = match &schedule {
                Some(s) if !capped || allowance(s.interval, threshold) <= threshold => format!(
                    "at most {allowed} hours wanted by rule {} of plan {} ({})",
                    s.rule.name,
                    s.plan,
                    s.rule.schedule.as_deref().unwrap_or_default()
                ),
                _ => format!(
                    "at most {allowed} hours wanted: the schedule of a plan selecting it was not read"
                ),
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
                "selected_by": selecting.iter().map(|(plan, detail, how)| json!({
                    "plan": plan.name,
                    "selection": detail.name,
                    "by": if *how == Selects::Yes { "arn" } else { "wildcard or tags" },
                    "tag_conditions": detail.tag_conditions,
                })).collect::<Vec<_>>(),
                "schedule": schedule.as_ref().map(|s| json!({ "plan": s.plan, "selection": s.selection, "rule": s.rule })),
                "schedules_not_read": schedule_unknown.iter().map(|(plan, error)| json!({ "plan": plan, "fetch_error": error })).collect::<Vec<_>>(),
                "schedules_not_understood": unparseable,
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
            // Overdue even for the plans naming it by ARN, whose rules were read: any
            // unread schedule or wildcard selection could only want it sooner.
            if let Some(s) = &certain {
                let limit = allowance(s.interval, threshold);
                if age.is_none_or(|hours| hours > limit) {
                    let seen = match age {
                        Some(hours) => format!(
                            "the last backup of {} completed {hours} hour(s) ago (at most {limit} hours wanted by rule {} of plan {} ({}))",
                            resource.arn,
                            s.rule.name,
                            s.plan,
                            s.rule.schedule.as_deref().unwrap_or_default()
                        ),
                        None => seen,
                    };
                    return Observation::fail(&subject, seen, evidence);
                }
            }
            if capped {
                let mut plans: Vec<&str> = schedule_unknown
                    .iter()
                    .map(|(plan, _)| *plan)
                    .chain(unparseable.iter().filter_map(|u| u["plan"].as_str()))
                    .collect();
                plans.sort_unstable();
                plans.dedup();
                return Observation::cannot_judge(
                    &subject,
                    format!(
                        "{seen}, but the schedule of plan(s) {} selecting it could not be read or understood: it may run daily, so a backup older than {threshold} hours is unverified",
                        plans.join(", ")
                    ),
                    evidence,
                );
            }
            let (plan, selection) = schedule
                .as_ref()
                .map(|s| (s.plan, s.selection))
                .unwrap_or_else(|| (&selecting[0].0.name, &selecting[0].1.name));
            Observation::cannot_judge(
                &subject,
                format!(
                    "{seen}, but only a wildcard or tag conditions select it that often (selection {selection} of plan {plan}), which orr does not resolve: overdue if it still exists and matches them"
                ),
                evidence,
            )
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

    /// A plan: its id, its one rule's schedule (`None`: GetBackupPlan failed) and its
    /// selections, each with the resource ARNs (or patterns) it names.
    type Plan<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a [&'a str])]);

    /// An account whose AWS Backup has `plans` and protects `resources`, each backed
    /// up the given hours ago.
    fn scenario(plans: &[Plan], resources: &[(&str, i64)]) -> InventoryData {
        use crate::model::backup::{BackupRule, ProtectedResource, SelectionDetail};

        let mut data = account(
            plans
                .iter()
                .map(|(id, _, selections)| {
                    let listed = selections
                        .iter()
                        .map(|(name, _)| BackupSelection {
                            id: name.to_string(),
                            name: name.to_string(),
                        })
                        .collect();
                    (*id, Fetched::Ok(listed))
                })
                .collect(),
        );
        let backup = &mut data.region_mut(REGION).backup;
        backup.rules = Memo::ready(Fetched::Ok(
            plans
                .iter()
                .map(|(id, schedule, _)| {
                    let rules = match schedule {
                        Some(schedule) => Fetched::Ok(vec![BackupRule {
                            name: format!("{id}-rule"),
                            schedule: Some(schedule.to_string()),
                        }]),
                        None => err("backup", "GetBackupPlan"),
                    };
                    (id.to_string(), rules)
                })
                .collect(),
        ));
        backup.selection_details = Memo::ready(Fetched::Ok(
            plans
                .iter()
                .flat_map(|(id, _, selections)| {
                    selections.iter().map(move |(name, arns)| {
                        (
                            format!("{id}/{name}"),
                            Fetched::Ok(SelectionDetail {
                                plan_id: id.to_string(),
                                selection_id: name.to_string(),
                                name: name.to_string(),
                                resources: arns.iter().map(|a| a.to_string()).collect(),
                                not_resources: vec![],
                                tag_conditions: vec![],
                            }),
                        )
                    })
                })
                .collect(),
        ));
        backup.protected_resources = Memo::ready(Fetched::Ok(
            resources
                .iter()
                .map(|(arn, hours)| ProtectedResource {
                    arn: arn.to_string(),
                    resource_type: "EBS".into(),
                    last_backup: Some(now() - chrono::Duration::hours(*hours)),
                })
                .collect(),
        ));
        backup.jobs = Memo::ready(Fetched::Ok(vec![]));
        data
    }

    const DAY: i64 = 24;

    #[tokio::test]
    async fn an_unknown_schedule_of_any_selecting_plan_caps_the_allowance_at_daily() {
        let resources = [
            ("vol:a", 20 * DAY),
            ("vol:b", 20 * DAY),
            ("vol:c", 10),
            ("vol:d", 40 * DAY),
        ];
        // A monthly plan names every volume; another plan, whose GetBackupPlan failed,
        // selects them all by wildcard and may run daily.
        let unread: &[Plan] = &[
            (
                "monthly",
                Some("cron(0 5 1 * ? *)"),
                &[("m", &["vol:a", "vol:b", "vol:c", "vol:d"])],
            ),
            ("unread", None, &[("all", &["vol:*"])]),
        ];
        let found = run(scenario(unread, &resources), true, recent_jobs).await;
        assert_eq!(
            statuses_of(&found, &["vol:a", "vol:b", "vol:c", "vol:d"]),
            // 20 days: within the monthly rule but not the daily cap, so unverified;
            // 10 hours: within both; 40 days: overdue even for the monthly rule that
            // names it, which the unread plan could only make stricter.
            [Status::Error, Status::Error, Status::Pass, Status::Fail]
        );
        let a = found.iter().find(|o| o.resource_id == "vol:a").unwrap();
        assert!(a.message.contains("unread-plan"), "{}", a.message);
        assert_eq!(a.evidence["max_backup_age_hours"], 26);

        // A rule whose schedule cannot be understood (a rate too large for a duration,
        // which used to panic) counts as unknown.
        for schedule in ["rate(999999999999999 days)", "at(2026-01-01T00:00:00)"] {
            let unparseable: &[Plan] = &[
                (
                    "monthly",
                    Some("cron(0 5 1 * ? *)"),
                    &[("m", &["vol:a", "vol:c"])],
                ),
                ("odd", Some(schedule), &[("o", &["vol:a", "vol:c"])]),
            ];
            let found = run(scenario(unparseable, &resources[..3]), true, recent_jobs).await;
            assert_eq!(
                statuses_of(&found, &["vol:a", "vol:b", "vol:c"]),
                // vol:b is selected by no plan.
                [Status::Error, Status::NotApplicable, Status::Pass],
                "{schedule}"
            );
        }
    }

    #[tokio::test]
    async fn the_most_frequent_rule_of_every_covering_selection_sets_the_allowance() {
        let resources = [("vol:a", 3 * DAY), ("vol:b", 40 * DAY), ("vol:c", 10)];
        // Each volume is named by a monthly plan and covered by a daily wildcard.
        let monthly_by_arn: &[Plan] = &[
            (
                "monthly",
                Some("cron(0 5 1 * ? *)"),
                &[("m", &["vol:a", "vol:b", "vol:c"])],
            ),
            (
                "daily",
                Some("cron(0 5 ? * * *)"),
                &[("every-volume", &["vol:*"])],
            ),
        ];
        let found = run(scenario(monthly_by_arn, &resources), true, recent_jobs).await;
        assert_eq!(
            statuses_of(&found, &["vol:a", "vol:b", "vol:c"]),
            // 3 days: overdue for the daily wildcard, which holds only while it still
            // matches; 40 days: overdue for the monthly plan naming it.
            [Status::Error, Status::Fail, Status::Pass]
        );
        let a = found.iter().find(|o| o.resource_id == "vol:a").unwrap();
        assert!(
            a.message
                .contains("selection every-volume of plan daily-plan"),
            "{}",
            a.message
        );
        assert_eq!(a.evidence["max_backup_age_hours"], 26);
        assert_eq!(a.evidence["selected_by"].as_array().unwrap().len(), 2);

        // Named by a daily plan, also covered by a monthly wildcard: the daily one rules.
        let daily_by_arn: &[Plan] = &[
            (
                "daily",
                Some("rate(1 day)"),
                &[("d", &["vol:a", "vol:b", "vol:c"])],
            ),
            (
                "monthly",
                Some("cron(0 5 1 * ? *)"),
                &[("every-volume", &["vol:*"])],
            ),
        ];
        let found = run(scenario(daily_by_arn, &resources), true, recent_jobs).await;
        assert_eq!(
            statuses_of(&found, &["vol:a", "vol:b", "vol:c"]),
            [Status::Fail, Status::Fail, Status::Pass]
        );
    }

    #[tokio::test]
    async fn a_wildcard_only_selection_cannot_judge_and_keeps_its_evidence() {
        let wildcard: &[Plan] = &[("weekly", Some("cron(0 5 ? * SUN *)"), &[("w", &["vol:*"])])];
        let found = run(
            scenario(wildcard, &[("vol:a", 10 * DAY)]),
            true,
            recent_jobs,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Error]);
        assert!(found[0].message.contains("selection w of plan weekly-plan"));
        // Not an unverified read: the evidence says what was seen.
        assert!(found[0].evidence.get("fetch_error").is_none());
        assert_eq!(found[0].evidence["max_backup_age_hours"], 6 * 24 + 26);
        assert_eq!(found[0].evidence["schedule"]["selection"], "w");
    }
}
