use aws_sdk_config::types::{
    ConfigurationRecorder, ConfigurationRecorderStatus, ConformancePackDetail,
    ConformancePackStatusDetail,
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

    /// The region's packs joined with their deployment state: DescribeConformancePacks
    /// does not say whether a pack deployed, DescribeConformancePackStatus (one listing
    /// for all packs, asked only when there is a pack) does.
    pub(crate) async fn config_conformance_packs(
        &self,
        region: &str,
    ) -> Fetched<Vec<ConformancePack>> {
        let client = self.config(region);
        let items = client
            .describe_conformance_packs()
            .into_paginator()
            .items()
            .send();
        let packs = match self
            .listed(SERVICE, "DescribeConformancePacks", region, items, |d| {
                d.clone()
            })
            .await
        {
            Fetched::Ok(packs) => packs,
            Fetched::Error(error) => return Fetched::Error(error),
        };
        if packs.is_empty() {
            return Fetched::Ok(Vec::new());
        }
        let items = client
            .describe_conformance_pack_status()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeConformancePackStatus",
            region,
            items,
            |s| s.clone(),
        )
        .await
        .map(|statuses| join_packs(&packs, &statuses))
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

fn join_packs(
    packs: &[ConformancePackDetail],
    statuses: &[ConformancePackStatusDetail],
) -> Vec<ConformancePack> {
    packs
        .iter()
        .map(|detail| {
            let status = statuses
                .iter()
                .find(|s| s.conformance_pack_name() == detail.conformance_pack_name());
            ConformancePack {
                name: detail.conformance_pack_name().to_string(),
                arn: detail.conformance_pack_arn().to_string(),
                state: status.map(|s| s.conformance_pack_state().as_str().to_string()),
                status_reason: status
                    .and_then(|s| s.conformance_pack_status_reason())
                    .map(str::to_string),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_sdk_config::types::ConformancePackState;

    use super::*;

    fn sdk_pack(name: &str) -> ConformancePackDetail {
        ConformancePackDetail::builder()
            .conformance_pack_name(name)
            .conformance_pack_arn(format!(
                "arn:aws:config:us-east-1:123456789012:conformance-pack/{name}/conformance-pack-abc"
            ))
            .conformance_pack_id("conformance-pack-abc")
            .build()
            .unwrap()
    }

    fn sdk_status(name: &str, state: ConformancePackState) -> ConformancePackStatusDetail {
        ConformancePackStatusDetail::builder()
            .conformance_pack_name(name)
            .conformance_pack_id("conformance-pack-abc")
            .conformance_pack_arn("arn")
            .conformance_pack_state(state)
            .conformance_pack_status_reason("stack creation failed")
            .stack_arn("arn:aws:cloudformation:us-east-1:123456789012:stack/x")
            .last_update_requested_time(aws_sdk_config::primitives::DateTime::from_secs(0))
            .build()
            .unwrap()
    }

    // moto does not implement DescribeConformancePacks (HTTP 500, see shared/MOTO.md), so
    // the conversion is tested on SDK values built here.
    #[test]
    fn conformance_packs_keep_name_arn_and_deployment_state() {
        let joined = join_packs(
            &[sdk_pack("cis-aws-foundations"), sdk_pack("created-since")],
            &[sdk_status(
                "cis-aws-foundations",
                ConformancePackState::CreateFailed,
            )],
        );
        assert_eq!(joined[0].name, "cis-aws-foundations");
        assert!(joined[0].arn.ends_with("conformance-pack-abc"));
        assert_eq!(joined[0].state(), Some(ConformancePackState::CreateFailed));
        assert_eq!(
            joined[0].status_reason.as_deref(),
            Some("stack creation failed")
        );
        assert_eq!(joined[1].state, None);
    }

    /// The SDK's pack and status through the conversion and the check: CREATE_COMPLETE
    /// passes, CREATE_FAILED fails.
    #[tokio::test]
    async fn a_deployed_pack_from_sdk_values_passes_a_failed_one_fails() {
        use crate::checks::config::conformance_pack as check;
        use crate::checks::testing::{data, ok, run, statuses, REGION};
        use crate::finding::Status;

        let account = |state: ConformancePackState| {
            let mut data = data();
            data.region_mut(REGION).config.conformance_packs =
                ok(join_packs(&[sdk_pack("obp")], &[sdk_status("obp", state)]));
            data
        };
        assert_eq!(
            statuses(&run(account(ConformancePackState::CreateComplete), true, check).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(ConformancePackState::CreateFailed), true, check).await),
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
