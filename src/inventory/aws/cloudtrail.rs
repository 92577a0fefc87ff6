use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
use aws_sdk_cloudtrail::types::ReadWriteType;
use aws_sdk_cloudtrail::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::cloudtrail::{
    AdvancedEventSelector, BasicEventSelector, EventSelectors, FieldSelector, Trail, TrailStatus,
};

const SERVICE: &str = "cloudtrail";

impl AwsReader {
    fn cloudtrail(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// The trails that apply to `region`: its own and the multi-region trails it shadows.
    pub(crate) async fn cloudtrail_trails(&self, region: &str) -> Fetched<Vec<Trail>> {
        let out = self
            .call(
                self.cloudtrail(region)
                    .describe_trails()
                    .include_shadow_trails(true)
                    .send(),
            )
            .await
            .map_err(|e| fetch_error(SERVICE, "DescribeTrails", Some(region), &e));
        out.map(|out| out.trail_list().iter().map(|t| trail(t, region)).collect())
            .into()
    }

    /// Reads one thing per trail, each from the trail's home region.
    async fn per_trail<T, F, Fut>(&self, trails: &[&Trail], read: F) -> BTreeMap<String, Fetched<T>>
    where
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<T, FetchError>>,
    {
        let home: BTreeMap<&str, &str> = trails
            .iter()
            .map(|t| (t.arn.as_str(), t.home_region.as_str()))
            .collect();
        self.per_resource(home.keys().map(|arn| arn.to_string()), |arn| {
            read(self.cloudtrail(home[arn.as_str()]), arn)
        })
        .await
    }

    pub(crate) async fn cloudtrail_trail_status(
        &self,
        trails: &[&Trail],
    ) -> BTreeMap<String, Fetched<TrailStatus>> {
        self.per_trail(trails, |client, arn| async move {
            let out = client
                .get_trail_status()
                .name(&arn)
                .send()
                .await
                .map_err(|e| fetch_error(SERVICE, "GetTrailStatus", Some(&arn), &e))?;
            Ok(trail_status(&out))
        })
        .await
    }

    pub(crate) async fn cloudtrail_event_selectors(
        &self,
        trails: &[&Trail],
    ) -> BTreeMap<String, Fetched<EventSelectors>> {
        self.per_trail(trails, |client, arn| async move {
            let out = client
                .get_event_selectors()
                .trail_name(&arn)
                .send()
                .await
                .map_err(|e| fetch_error(SERVICE, "GetEventSelectors", Some(&arn), &e))?;
            Ok(event_selectors(&out))
        })
        .await
    }
}

fn trail(t: &aws_sdk_cloudtrail::types::Trail, region: &str) -> Trail {
    Trail {
        name: t.name().unwrap_or_default().to_string(),
        arn: t.trail_arn().unwrap_or_default().to_string(),
        home_region: t.home_region().unwrap_or(region).to_string(),
        is_multi_region: t.is_multi_region_trail().unwrap_or(false),
        log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
        kms_key_id: t.kms_key_id().map(str::to_string),
        s3_bucket: t.s3_bucket_name().map(str::to_string),
        is_organization_trail: t.is_organization_trail().unwrap_or(false),
        has_custom_event_selectors: t.has_custom_event_selectors(),
    }
}

fn trail_status(out: &GetTrailStatusOutput) -> TrailStatus {
    TrailStatus {
        is_logging: out.is_logging().unwrap_or(false),
        latest_delivery_error: out.latest_delivery_error().map(str::to_string),
    }
}

fn event_selectors(out: &GetEventSelectorsOutput) -> EventSelectors {
    EventSelectors {
        basic: out
            .event_selectors()
            .iter()
            .map(|s| BasicEventSelector {
                // The API documents `All` as the default.
                read_write_type: s
                    .read_write_type()
                    .unwrap_or(&ReadWriteType::All)
                    .as_str()
                    .to_string(),
                include_management_events: s.include_management_events().unwrap_or(true),
                exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
            })
            .collect(),
        advanced: out
            .advanced_event_selectors()
            .iter()
            .map(|s| AdvancedEventSelector {
                name: s.name().map(str::to_string),
                field_selectors: s
                    .field_selectors()
                    .iter()
                    .map(|f| FieldSelector {
                        field: f.field().to_string(),
                        equals: f.equals().to_vec(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector as SdkAdvanced, AdvancedFieldSelector};

    // moto answers GetEventSelectors with basic selectors only; advanced selectors are
    // converted here from SDK values built in the test.
    #[test]
    fn advanced_management_selectors_are_read() {
        let out = GetEventSelectorsOutput::builder()
            .advanced_event_selectors(
                SdkAdvanced::builder()
                    .name("Management events")
                    .field_selectors(
                        AdvancedFieldSelector::builder()
                            .field("eventCategory")
                            .equals("Management")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let selectors = event_selectors(&out);
        assert_eq!(selectors.advanced.len(), 1);
        assert!(selectors.records_all_management_events());
    }

    /// SDK values through the conversions and the three checks: a multi-region trail
    /// that is logging but whose deliveries fail does not count.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::cloudtrail::{kms_encrypted, log_file_validation, multi_region_logging};
        use crate::checks::testing::{data, each, ok, run, statuses, statuses_of, REGION};
        use crate::finding::Status;
        use aws_sdk_cloudtrail::types::EventSelector;

        let arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/org";
        let org = trail(
            &aws_sdk_cloudtrail::types::Trail::builder()
                .name("org")
                .trail_arn(arn)
                .home_region("us-east-1")
                .is_multi_region_trail(true)
                .log_file_validation_enabled(true)
                .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
                .build(),
            REGION,
        );
        let selectors = event_selectors(
            &GetEventSelectorsOutput::builder()
                .event_selectors(
                    EventSelector::builder()
                        .read_write_type(ReadWriteType::All)
                        .include_management_events(true)
                        .build(),
                )
                .build(),
        );
        let account = |delivery_error: Option<&str>| {
            let mut status = GetTrailStatusOutput::builder().is_logging(true);
            if let Some(error) = delivery_error {
                status = status.latest_delivery_error(error);
            }
            let mut data = data();
            data.region_mut(REGION).cloudtrail.trails = ok(vec![org.clone()]);
            data.global.cloudtrail.trail_status = each([(arn, trail_status(&status.build()))]);
            data.global.cloudtrail.event_selectors = each([(arn, selectors.clone())]);
            data
        };
        assert_eq!(
            statuses(&run(account(None), false, multi_region_logging).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(Some("AccessDenied")), false, multi_region_logging).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses_of(
                &run(account(None), false, log_file_validation).await,
                &["trail/org"]
            ),
            [Status::Pass]
        );
        assert_eq!(
            statuses_of(
                &run(account(None), false, kms_encrypted).await,
                &["trail/org"]
            ),
            [Status::Pass]
        );
    }

    /// A member's view of its organization trail (another account's ARN, default
    /// selectors) and a basic selector leaving out KMS events, from SDK values.
    #[tokio::test]
    async fn organization_trails_and_excluded_sources_from_sdk_values() {
        use crate::checks::cloudtrail::multi_region_logging;
        use crate::checks::testing::{data, each, ok, run, statuses, REGION};
        use crate::finding::Status;
        use aws_sdk_cloudtrail::types::EventSelector;

        let arn = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org";
        let org = trail(
            &aws_sdk_cloudtrail::types::Trail::builder()
                .name("org")
                .trail_arn(arn)
                .home_region("us-east-1")
                .is_multi_region_trail(true)
                .is_organization_trail(true)
                .has_custom_event_selectors(false)
                .build(),
            REGION,
        );
        assert_eq!(org.owner(), Some("111111111111"));
        assert_eq!(org.has_custom_event_selectors, Some(false));
        let mut member = data();
        member.region_mut(REGION).cloudtrail.trails = ok(vec![org]);
        member.global.cloudtrail.trail_status = each([(
            arn,
            trail_status(&GetTrailStatusOutput::builder().is_logging(true).build()),
        )]);
        member.global.cloudtrail.event_selectors = ok(Default::default());
        assert_eq!(
            statuses(&run(member, false, multi_region_logging).await),
            [Status::Pass]
        );

        let without_kms = event_selectors(
            &GetEventSelectorsOutput::builder()
                .event_selectors(
                    EventSelector::builder()
                        .read_write_type(ReadWriteType::All)
                        .include_management_events(true)
                        .exclude_management_event_sources("kms.amazonaws.com")
                        .build(),
                )
                .build(),
        );
        assert!(!without_kms.records_all_management_events());
    }
}
