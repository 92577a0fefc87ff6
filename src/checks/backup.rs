use serde_json::json;

use super::{listed, lookup, CheckCtx};
use crate::finding::Observation;

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
