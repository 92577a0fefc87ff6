use aws_sdk_secretsmanager::types::SecretListEntry;
use aws_sdk_secretsmanager::Client;

use super::{instant, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::secretsmanager::Secret;

const SERVICE: &str = "secretsmanager";

impl AwsReader {
    /// Secrets scheduled for deletion are left out (ListSecrets' default).
    pub(crate) async fn secretsmanager_secrets(&self, region: &str) -> Fetched<Vec<Secret>> {
        let client = Client::new(&self.region_config(region));
        let pages = client.list_secrets().into_paginator().send();
        self.listed(SERVICE, "ListSecrets", region, pages, |page| {
            page.secret_list().iter().map(secret).collect::<Vec<_>>()
        })
        .await
        .map(|pages| pages.into_iter().flatten().collect())
    }
}

fn secret(entry: &SecretListEntry) -> Secret {
    let rules = entry.rotation_rules();
    Secret {
        arn: entry.arn().unwrap_or_default().to_string(),
        name: entry.name().unwrap_or_default().to_string(),
        rotation_enabled: entry.rotation_enabled().unwrap_or(false),
        rotation_days: rules.and_then(|r| r.automatically_after_days()),
        schedule: rules
            .and_then(|r| r.schedule_expression())
            .map(str::to_string),
        last_rotated: entry.last_rotated_date().and_then(instant),
        next_rotation: entry.next_rotation_date().and_then(instant),
        owning_service: entry.owning_service().map(str::to_string),
    }
}
