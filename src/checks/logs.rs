use crate::verdict::count;
use globset::{GlobBuilder, GlobSetBuilder};
use serde_json::json;

use super::{listed, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const LOG_GROUP: &str = "AWS::Logs::LogGroup";

/// Logs that never expire keep growing (cost, personal data past any policy); logs kept
/// too briefly are gone before the incident review. A maximum is a team's cost choice,
/// so there is none unless orr.toml sets one.
pub async fn retention(ctx: CheckCtx) -> Vec<Observation> {
    let groups = match listed(&ctx, ctx.inventory.logs_log_groups(ctx.region()).await) {
        Ok(groups) => groups,
        Err(errors) => return errors,
    };
    let limits = &ctx.rules.thresholds.logs;
    let mut patterns = GlobSetBuilder::new();
    for pattern in &limits.long_retention_patterns {
        // The config loader rejects invalid globs, so each one here compiles. Log group
        // names are free-form (`/Security/Audit`): the patterns match without case.
        if let Ok(glob) = GlobBuilder::new(pattern).case_insensitive(true).build() {
            patterns.add(glob);
        }
    }
    let long_allowed = patterns
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty());
    let min = limits.min_retention_days as i32;
    let max = limits.max_retention_days.map(|days| days as i32);
    let observations = groups
        .iter()
        .map(|group| {
            let resource = Resource::new(
                LOG_GROUP,
                group.arn.clone().unwrap_or_else(|| super::arn(&ctx, "logs", &format!("log-group:{}", group.name))),
            );
            if group.is_delivery_class() {
                return Observation::not_applicable(
                    &resource,
                    format!("log group {} is DELIVERY class: it passes logs on to S3 or Firehose and AWS fixes its retention at one day", group.name),
                );
            }
            let may_keep_longer = long_allowed.is_match(&group.name);
            let (ok, message) = match (group.retention_days, max) {
                (None, _) => (false, format!("log group {} never expires its logs", group.name)),
                (Some(days), _) if days < min => (false, format!("log group {} keeps logs {}, under {min}", group.name, count(days.into(), "day"))),
                (Some(days), Some(max)) if days > max && !may_keep_longer => (
                    false,
                    format!("log group {} keeps logs {}, over {max} (not an audit log group)", group.name, count(days.into(), "day")),
                ),
                (Some(days), _) => (true, format!("log group {} keeps logs {}", group.name, count(days.into(), "day"))),
            };
            Observation::judge(
                ok,
                &resource,
                message,
                json!({ "retention_days": group.retention_days, "min_retention_days": min, "max_retention_days": max, "longer_allowed": may_keep_longer }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        format!("no log groups in {}", ctx.region())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::logs::LogGroup;

    fn groups() -> InventoryData {
        let group = |name: &str, days: Option<i32>| LogGroup {
            name: name.into(),
            arn: None,
            retention_days: days,
            ..LogGroup::default()
        };
        let mut data = data();
        data.region_mut(REGION).logs.log_groups = Memo::ready(Fetched::Ok(vec![
            group("/ecs/api", Some(30)),
            group("/ecs/worker", None),
            group("/aws/lambda/thumbs", Some(7)),
            group("/app/debug", Some(365)),
            group("/Security/AUDIT-trail", Some(3653)),
        ]));
        data
    }

    #[tokio::test]
    async fn retention_has_a_minimum_and_no_maximum_by_default() {
        let found = run(groups(), true, retention).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    ":/ecs/api",
                    ":/ecs/worker",
                    ":/aws/lambda/thumbs",
                    ":/app/debug",
                    ":/Security/AUDIT-trail"
                ]
            ),
            [
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Pass,
                Status::Pass
            ],
            "a year of application logs passes"
        );
        assert!(found
            .iter()
            .any(|o| o.message == "log group /ecs/worker never expires its logs"));
    }

    #[tokio::test]
    async fn a_configured_maximum_spares_audit_groups_whatever_their_case() {
        let mut thresholds = crate::config::Thresholds::default();
        thresholds.logs.max_retention_days = Some(90);
        let found = run_with(groups(), true, thresholds, retention).await;
        assert_eq!(
            statuses_of(
                &found,
                &[":/ecs/api", ":/app/debug", ":/Security/AUDIT-trail"]
            ),
            [Status::Pass, Status::Fail, Status::Pass]
        );
        assert!(found.iter().any(|o| o.message
            == "log group /app/debug keeps logs 365 days, over 90 (not an audit log group)"));
    }
}
