use aws_sdk_config::types::{
    ConfigurationRecorder, ConfigurationRecorderStatus, ConformancePackDetail,
};
use aws_sdk_config::Client;

use super::{fetch_error, AwsReader};
use crate::fetched::Fetched;
use crate::model::config::{ConfigRecorder, ConformancePack};

const SERVICE: &str = "config";

impl AwsReader {
    fn config(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    /// The region's recorders joined with their status.
    pub(crate) async fn config_recorders(&self, region: &str) -> Fetched<Vec<ConfigRecorder>> {
        let client = self.config(region);
        let (recorders, statuses) = futures::join!(
            self.call(client.describe_configuration_recorders().send()),
            self.call(client.describe_configuration_recorder_status().send()),
        );
        let recorders = match recorders {
            Ok(out) => out,
            Err(e) => {
                return Fetched::Error(fetch_error(
                    SERVICE,
                    "DescribeConfigurationRecorders",
                    Some(region),
                    &e,
                ))
            }
        };
        let statuses = match statuses {
            Ok(out) => out,
            Err(e) => {
                return Fetched::Error(fetch_error(
                    SERVICE,
                    "DescribeConfigurationRecorderStatus",
                    Some(region),
                    &e,
                ))
            }
        };
        Fetched::Ok(join_recorders(
            recorders.configuration_recorders(),
            statuses.configuration_recorders_status(),
        ))
    }

    pub(crate) async fn config_conformance_packs(
        &self,
        region: &str,
    ) -> Fetched<Vec<ConformancePack>> {
        let items = self
            .config(region)
            .describe_conformance_packs()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeConformancePacks",
            region,
            items,
            conformance_pack,
        )
        .await
    }
}

fn join_recorders(
    recorders: &[ConfigurationRecorder],
    statuses: &[ConfigurationRecorderStatus],
) -> Vec<ConfigRecorder> {
    recorders
        .iter()
        .map(|recorder| {
            let name = recorder.name().unwrap_or_default();
            let group = recorder.recording_group();
            let status = statuses.iter().find(|s| s.name() == Some(name));
            ConfigRecorder {
                name: name.to_string(),
                all_supported: group.is_some_and(|g| g.all_supported()),
                include_global_resource_types: group
                    .is_some_and(|g| g.include_global_resource_types()),
                recording_strategy: group
                    .and_then(|g| g.recording_strategy())
                    .and_then(|s| s.use_only())
                    .map(|s| s.as_str().to_string()),
                recording: status.map(|s| s.recording()),
                last_status: status
                    .and_then(|s| s.last_status())
                    .map(|s| s.as_str().to_string()),
                service_principal: recorder.service_principal().map(str::to_string),
                last_error: status.and_then(|s| {
                    let code = s.last_error_code()?;
                    Some(match s.last_error_message() {
                        Some(message) => format!("{code}: {message}"),
                        None => code.to_string(),
                    })
                }),
            }
        })
        .collect()
}

fn conformance_pack(detail: &ConformancePackDetail) -> ConformancePack {
    ConformancePack {
        name: detail.conformance_pack_name().to_string(),
        arn: detail.conformance_pack_arn().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // moto does not implement DescribeConformancePacks (HTTP 500, see shared/MOTO.md), so
    // the conversion is tested on an SDK value built here.
    #[test]
    fn conformance_packs_keep_name_and_arn() {
        let detail = ConformancePackDetail::builder()
            .conformance_pack_name("cis-aws-foundations")
            .conformance_pack_arn(
                "arn:aws:config:us-east-1:123456789012:conformance-pack/cis/conformance-pack-abc",
            )
            .conformance_pack_id("conformance-pack-abc")
            .build()
            .unwrap();
        let pack = conformance_pack(&detail);
        assert_eq!(pack.name, "cis-aws-foundations");
        assert!(pack.arn.ends_with("conformance-pack-abc"));
    }

    /// The SDK's pack through the conversion and the check.
    #[tokio::test]
    async fn a_deployed_pack_from_sdk_values_passes() {
        use crate::checks::config::conformance_pack as check;
        use crate::checks::testing::{data, ok, run, statuses, REGION};
        use crate::finding::Status;

        let detail = ConformancePackDetail::builder()
            .conformance_pack_name("operational-best-practices")
            .conformance_pack_arn("arn:aws:config:us-east-1:123456789012:conformance-pack/obp/x")
            .conformance_pack_id("x")
            .build()
            .unwrap();
        let account = |packs: Vec<ConformancePack>| {
            let mut data = data();
            data.region_mut(REGION).config.conformance_packs = ok(packs);
            data
        };
        let deployed = account(vec![conformance_pack(&detail)]);
        assert_eq!(statuses(&run(deployed, true, check).await), [Status::Pass]);
        assert_eq!(
            statuses(&run(account(vec![]), true, check).await),
            [Status::Fail]
        );
    }

    /// SDK values through the conversion and the check: a recorder whose latest
    /// recording failed (`RecorderStatus::Failure`, sent by AWS as `Failure`) FAILs.
    #[tokio::test]
    async fn a_failing_recorder_from_sdk_values_fails() {
        use aws_sdk_config::types::{
            RecorderStatus, RecordingGroup, RecordingStrategy, RecordingStrategyType,
        };

        use crate::checks::config::recorder_enabled;
        use crate::checks::testing::{data, run, statuses, REGION};
        use crate::finding::Status;
        use crate::inventory::Memo;

        let recorder = ConfigurationRecorder::builder()
            .name("default")
            .recording_group(
                RecordingGroup::builder()
                    .all_supported(true)
                    .include_global_resource_types(true)
                    .recording_strategy(
                        RecordingStrategy::builder()
                            .use_only(RecordingStrategyType::AllSupportedResourceTypes)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let status = |last: RecorderStatus| {
            ConfigurationRecorderStatus::builder()
                .name("default")
                .recording(true)
                .last_status(last)
                .last_error_code("NoSuchBucket")
                .last_error_message("The delivery bucket does not exist")
                .build()
        };
        let judge = |last: RecorderStatus| {
            let joined = join_recorders(std::slice::from_ref(&recorder), &[status(last)]);
            let mut data = data();
            data.region_mut(REGION).config.recorders = Memo::ready(Fetched::Ok(joined));
            async move { run(data, true, recorder_enabled).await }
        };
        let failing = judge(RecorderStatus::Failure).await;
        assert_eq!(statuses(&failing), [Status::Fail]);
        assert!(failing[0].message.contains("NoSuchBucket"), "{failing:?}");
        for fine in [RecorderStatus::Success, RecorderStatus::Pending] {
            assert_eq!(statuses(&judge(fine).await), [Status::Pass]);
        }
    }

    #[test]
    fn a_recorder_without_status_is_not_reported_as_recording() {
        let recorder = ConfigurationRecorder::builder().name("default").build();
        let joined = join_recorders(&[recorder], &[]);
        assert_eq!(joined[0].recording, None);
        assert!(!joined[0].all_supported);
    }
}
