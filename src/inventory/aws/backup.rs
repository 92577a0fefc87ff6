use std::collections::BTreeMap;

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
        self.listed(SERVICE, "ListBackupPlans", region, items, |p| BackupPlan {
            id: p.backup_plan_id().unwrap_or_default().to_string(),
            name: p.backup_plan_name().unwrap_or_default().to_string(),
            arn: p.backup_plan_arn().map(str::to_string),
        })
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
                Ok(selections
                    .iter()
                    .map(|s| BackupSelection {
                        id: s.selection_id().unwrap_or_default().to_string(),
                        name: s.selection_name().unwrap_or_default().to_string(),
                    })
                    .collect())
            }
        })
        .await
    }
}
