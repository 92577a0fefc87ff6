use aws_sdk_secretsmanager::types::SecretListEntry;
use aws_sdk_secretsmanager::Client;

use super::{instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::secretsmanager::Secret;

const SERVICE: &str = "secretsmanager";

impl AwsReader {
    /// Secrets scheduled for deletion are left out (ListSecrets' default).
    pub(crate) async fn secretsmanager_secrets(&self, region: &str) -> Fetched<Vec<Secret>> {
        let client = self.client(region, Client::new);
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
        last_accessed: entry.last_accessed_date().and_then(instant),
        last_changed: entry.last_changed_date().and_then(instant),
        created: entry.created_date().and_then(instant),
        kms_key_id: entry.kms_key_id().map(str::to_string),
        primary_region: entry.primary_region().map(str::to_string),
        description: entry.description().map(str::to_string),
        tags: super::tag_map(entry.tags().iter().map(|t| (t.key(), t.value()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_secretsmanager::primitives::DateTime;
    use aws_sdk_secretsmanager::types::RotationRulesType;

    use crate::checks::secretsmanager::rotation;
    use crate::checks::testing::{data, failed, now, ok, run, statuses, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, NotApplicable, Pass};

    fn days_ago(days: i64) -> DateTime {
        DateTime::from_secs((now() - chrono::Duration::days(days)).timestamp())
    }

    /// What ListSecrets says of a secret besides its rotation comes through.
    #[test]
    fn list_entry_attributes_are_carried() {
        use aws_sdk_secretsmanager::types::Tag;

        let converted = secret(
            &SecretListEntry::builder()
                .arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf")
                .name("orders-db")
                .last_accessed_date(DateTime::from_secs(1_700_006_400))
                .last_changed_date(DateTime::from_secs(1_700_000_000))
                .created_date(DateTime::from_secs(1_690_000_000))
                .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
                .primary_region("eu-west-1")
                .description("orders database credentials")
                .tags(Tag::builder().key("team").value("payments").build())
                .tags(Tag::builder().key("pci").build())
                .build(),
        );
        assert_eq!(
            (
                converted.last_accessed.map(|t| t.timestamp()),
                converted.last_changed.map(|t| t.timestamp()),
                converted.created.map(|t| t.timestamp()),
            ),
            (
                Some(1_700_006_400),
                Some(1_700_000_000),
                Some(1_690_000_000)
            )
        );
        assert_eq!(
            (
                converted.kms_key_id.as_deref(),
                converted.primary_region.as_deref(),
                converted.description.as_deref(),
            ),
            (
                Some("arn:aws:kms:us-east-1:123456789012:key/k"),
                Some("eu-west-1"),
                Some("orders database credentials")
            )
        );
        assert_eq!(
            converted.tags,
            std::collections::BTreeMap::from([
                ("pci".to_string(), String::new()),
                ("team".to_string(), "payments".to_string())
            ])
        );
        let bare = secret(&SecretListEntry::builder().name("x").build());
        assert_eq!((bare.last_accessed, bare.kms_key_id), (None, None));
        assert!(bare.tags.is_empty());
    }

    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let every_30_days = RotationRulesType::builder()
            .automatically_after_days(30)
            .build();
        let entry = |name: &str| {
            SecretListEntry::builder()
                .arn(format!(
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}"
                ))
                .name(name)
        };
        let secrets = vec![
            secret(
                &entry("fresh")
                    .rotation_enabled(true)
                    .rotation_rules(every_30_days.clone())
                    .last_rotated_date(days_ago(10))
                    .build(),
            ),
            secret(
                &entry("stuck")
                    .rotation_enabled(true)
                    .rotation_rules(every_30_days.clone())
                    .last_rotated_date(days_ago(45))
                    .build(),
            ),
            secret(
                &entry("late-a-day")
                    .rotation_enabled(true)
                    .rotation_rules(every_30_days)
                    .last_rotated_date(days_ago(31))
                    .build(),
            ),
            secret(&entry("static").build()),
            secret(
                &entry("scheduled")
                    .rotation_enabled(true)
                    .rotation_rules(
                        RotationRulesType::builder()
                            .schedule_expression("cron(0 4 ? * SUN *)")
                            .build(),
                    )
                    .next_rotation_date(days_ago(-3))
                    .build(),
            ),
            secret(&entry("never").rotation_enabled(true).build()),
            secret(&entry("events!connection").owning_service("events").build()),
            secret(
                &entry("rds!db-orders")
                    .owning_service("rds")
                    .rotation_enabled(true)
                    .rotation_rules(
                        RotationRulesType::builder()
                            .automatically_after_days(7)
                            .build(),
                    )
                    .last_rotated_date(days_ago(20))
                    .build(),
            ),
            secret(
                &entry("unknowable")
                    .rotation_enabled(true)
                    .last_rotated_date(days_ago(3))
                    .build(),
            ),
        ];
        let mut account = data();
        account.region_mut(REGION).secretsmanager.secrets = ok(secrets);
        let observations = run(account, true, rotation).await;
        assert_eq!(
            statuses_of(
                &observations,
                &[
                    ":fresh",
                    ":stuck",
                    ":late-a-day",
                    ":static",
                    ":scheduled",
                    ":never",
                    ":unknowable",
                    ":events!connection",
                    ":rds!db-orders"
                ]
            ),
            [
                Pass,
                Fail,
                Pass,
                Fail,
                Pass,
                Fail,
                Error,
                NotApplicable,
                Fail
            ]
        );
        let owned = observations
            .iter()
            .find(|o| o.resource_id.ends_with(":events!connection"));
        assert!(
            owned.is_some_and(|o| o.message.contains("owned by the events service")),
            "{observations:#?}"
        );

        let mut none = data();
        none.region_mut(REGION).secretsmanager.secrets = ok(vec![]);
        assert_eq!(statuses(&run(none, true, rotation).await), [NotApplicable]);
        let mut denied = data();
        denied.region_mut(REGION).secretsmanager.secrets = failed("secretsmanager", "ListSecrets");
        assert_eq!(statuses(&run(denied, true, rotation).await), [Error]);
    }
}
