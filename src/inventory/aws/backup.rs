use std::collections::BTreeMap;

use aws_sdk_backup::types::{BackupPlansListMember, BackupSelectionsListMember};
use aws_sdk_backup::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::backup::{BackupPlan, BackupSelection};

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
