use crate::verdict::count;
use globset::{Glob, GlobSetBuilder};
use serde_json::json;

use super::{listed, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const LOG_GROUP: &str = "AWS::Logs::LogGroup";

pub async fn retention(ctx: CheckCtx) -> Vec<Observation> {
    let groups = match listed(&ctx, ctx.inventory.logs_log_groups(ctx.region()).await) {
        Ok(groups) => groups,
        Err(errors) => return errors,
    };
    let limits = &ctx.rules.thresholds.logs;
    let mut patterns = GlobSetBuilder::new();
    for pattern in &limits.long_retention_patterns {
        // The config loader rejects invalid globs, so each one here compiles.
        if let Ok(glob) = Glob::new(pattern) {
            patterns.add(glob);
        }
    }
    let long_allowed = patterns
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty());
    let (min, max) = (
        limits.min_retention_days as i32,
        limits.max_retention_days as i32,
    );
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
            let (ok, message) = match group.retention_days {
                None => (false, format!("log group {} never expires its logs", group.name)),
                Some(days) if days < min => (false, format!("log group {} keeps logs {}, under {min}", group.name, count(days.into(), "day"))),
                Some(days) if days > max && !may_keep_longer => (
                    false,
                    format!("log group {} keeps logs {}, over {max} (not an audit log group)", group.name, count(days.into(), "day")),
                ),
                Some(days) => (true, format!("log group {} keeps logs {}", group.name, count(days.into(), "day"))),
            };
            Observation::judge(
                ok,
                &resource,
                message,
                json!({ "retention_days": group.retention_days, "bounds_days": [min, max], "longer_allowed": may_keep_longer }),
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
    use crate::inventory::{Fetched, Memo};
    use crate::model::logs::LogGroup;

    #[tokio::test]
    async fn retention_within_bounds_and_audit_logs_may_keep_longer() {
        let group = |name: &str, days: Option<i32>| LogGroup {
            name: name.into(),
            arn: None,
            retention_days: days,
            class: None,
        };
        let mut data = data();
        data.region_mut(REGION).logs.log_groups = Memo::ready(Fetched::Ok(vec![
            group("/ecs/api", Some(30)),
            group("/ecs/worker", None),
            group("/aws/lambda/thumbs", Some(7)),
            group("/app/debug", Some(365)),
            group("/security/audit-trail", Some(365)),
        ]));
        let found = run(data, true, retention).await;
        assert_eq!(status_of(&found, ":/ecs/api"), Status::Pass);
        assert_eq!(status_of(&found, ":/ecs/worker"), Status::Fail);
        assert_eq!(status_of(&found, ":/aws/lambda/thumbs"), Status::Fail);
        assert_eq!(status_of(&found, ":/app/debug"), Status::Fail);
        assert_eq!(status_of(&found, ":/security/audit-trail"), Status::Pass);
        assert!(found
            .iter()
            .any(|o| o.message == "log group /ecs/worker never expires its logs"));
    }
}
