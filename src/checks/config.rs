use serde_json::json;

use super::{listed, CheckCtx};
use crate::finding::{Observation, Resource, Status};

const RECORDER: &str = "AWS::Config::ConfigurationRecorder";

pub async fn recorder_enabled(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let recorders = match listed(&ctx, ctx.inventory.config_recorders(region).await) {
        Ok(recorders) => recorders,
        Err(errors) => return errors,
    };
    // Service-linked recorders record what their service needs, not the account.
    let (linked, own): (Vec<_>, Vec<_>) = recorders
        .iter()
        .partition(|r| r.service_principal.is_some());
    if own.is_empty() {
        return vec![Observation::fail(
            &ctx.account(),
            format!("no customer-managed AWS Config recorder in {region}"),
            json!({ "recorders": [], "service_linked": linked }),
        )];
    }
    own.into_iter()
        .map(|recorder| {
            let resource = Resource::new(RECORDER, recorder.name.clone());
            let mut problems = Vec::new();
            if !recorder.records_all_resource_types() {
                problems.push("does not record all resource types");
            }
            match recorder.recording {
                Some(true) => {}
                Some(false) => problems.push("is stopped"),
                None => problems.push("has never been started"),
            }
            let failure;
            if recorder.last_recording_failed() {
                failure = match &recorder.last_error {
                    Some(error) => format!("last recording failed ({error})"),
                    None => "last recording failed".to_string(),
                };
                problems.push(&failure);
            }
            let message = if problems.is_empty() {
                "records all resource types and is recording".to_string()
            } else {
                format!("recorder {}", problems.join(", "))
            };
            Observation::judge(problems.is_empty(), &resource, message, json!(recorder))
        })
        .collect()
}

/// A conformance pack whose deployment completed: only then do its rules evaluate the
/// account (a pack that failed to create, is being deleted or failed to delete does not).
pub async fn conformance_pack(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let account = ctx.account();
    let packs = match listed(&ctx, ctx.inventory.config_conformance_packs(region).await) {
        Ok(packs) => packs,
        Err(errors) => return errors,
    };
    let evidence = json!({ "conformance_packs": packs });
    let deployed: Vec<&str> = packs
        .iter()
        .filter(|p| p.is_deployed())
        .map(|p| p.name.as_str())
        .collect();
    let observation = if !deployed.is_empty() {
        Observation::pass(
            &account,
            format!("conformance packs deployed: {}", deployed.join(", ")),
            evidence,
        )
    } else if packs.is_empty() {
        Observation::fail(
            &account,
            format!("no conformance pack deployed in {region}"),
            evidence,
        )
    } else if let Some(unknown) = packs.iter().find(|p| p.state.is_none()) {
        Observation::new(
            Status::Error,
            &account,
            format!(
                "the deployment state of conformance pack {} is not known (DescribeConformancePackStatus did not list it)",
                unknown.name
            ),
            evidence,
        )
    } else {
        let states: Vec<String> = packs
            .iter()
            .map(|p| {
                format!(
                    "{} is {}{}",
                    p.name,
                    p.state.as_deref().unwrap_or_default(),
                    p.status_reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        Observation::fail(
            &account,
            format!(
                "no conformance pack in {region} is deployed: {}",
                states.join("; ")
            ),
            evidence,
        )
    };
    vec![observation]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo};
    use crate::model::config::{ConfigRecorder, ConformancePack};
    use aws_sdk_config::types::{ConformancePackState, RecorderStatus, RecordingStrategyType};

    fn recorder(name: &str) -> ConfigRecorder {
        ConfigRecorder {
            name: name.to_string(),
            all_supported: true,
            include_global_resource_types: true,
            recording_strategy: None,
            recording: Some(true),
            last_status: Some(RecorderStatus::Success.as_str().into()),
            last_error: None,
            service_principal: None,
        }
    }

    async fn recorder_statuses(recorders: Vec<ConfigRecorder>) -> Vec<Status> {
        let mut data = data();
        data.regional.get_mut(REGION).unwrap().config.recorders =
            Memo::ready(Fetched::Ok(recorders));
        statuses(&run(data, true, recorder_enabled).await)
    }

    #[tokio::test]
    async fn recorder_must_record_everything_and_be_on() {
        assert_eq!(
            recorder_statuses(vec![recorder("default")]).await,
            [Status::Pass]
        );
        let mut partial = recorder("partial");
        partial.all_supported = false;
        let mut excluding = recorder("excluding");
        excluding.recording_strategy = Some(
            RecordingStrategyType::ExclusionByResourceTypes
                .as_str()
                .into(),
        );
        let mut stopped = recorder("stopped");
        stopped.recording = Some(false);
        let mut never = recorder("never");
        never.recording = None;
        let mut failing = recorder("failing");
        failing.last_status = Some(RecorderStatus::Failure.as_str().into());
        assert_eq!(
            recorder_statuses(vec![partial, excluding, stopped, never, failing]).await,
            [Status::Fail; 5]
        );
        assert_eq!(recorder_statuses(vec![]).await, [Status::Fail]);
        // A service-linked recorder is neither the account's recorder nor a failure
        // of it.
        let mut linked = recorder("AWSConfigurationRecorderForCloudWatch");
        linked.service_principal = Some("cloudwatch.amazonaws.com".into());
        linked.recording_strategy = Some(
            RecordingStrategyType::InclusionByResourceTypes
                .as_str()
                .into(),
        );
        assert_eq!(
            recorder_statuses(vec![linked.clone(), recorder("default")]).await,
            [Status::Pass]
        );
        assert_eq!(recorder_statuses(vec![linked]).await, [Status::Fail]);
    }

    #[tokio::test]
    async fn conformance_pack_present_or_not() {
        let with = |packs: Fetched<Vec<ConformancePack>>| {
            let mut data = data();
            data.regional
                .get_mut(REGION)
                .unwrap()
                .config
                .conformance_packs = Memo::ready(packs);
            data
        };
        let pack = |name: &str, state: Option<ConformancePackState>, reason: Option<&str>| {
            ConformancePack {
                name: name.into(),
                arn: format!("arn:aws:config:us-east-1:123456789012:conformance-pack/{name}/x"),
                state: state.map(|s| s.as_str().to_string()),
                status_reason: reason.map(str::to_string),
            }
        };
        let judged =
            |packs: Vec<ConformancePack>| run(with(Fetched::Ok(packs)), true, conformance_pack);
        let failed = pack(
            "cis",
            Some(ConformancePackState::CreateFailed),
            Some("CloudFormation stack failed: role not authorized"),
        );
        let found = judged(vec![
            failed.clone(),
            pack("obp", Some(ConformancePackState::CreateComplete), None),
        ])
        .await;
        assert_eq!(statuses(&found), [Status::Pass]);
        assert_eq!(found[0].message, "conformance packs deployed: obp");
        let found = judged(vec![]).await;
        assert_eq!(statuses(&found), [Status::Fail]);
        // A pack that did not deploy, or is going away, evaluates nothing.
        for state in [
            ConformancePackState::CreateFailed,
            ConformancePackState::CreateInProgress,
            ConformancePackState::DeleteInProgress,
            ConformancePackState::DeleteFailed,
        ] {
            let found = judged(vec![pack("cis", Some(state.clone()), None)]).await;
            assert_eq!(statuses(&found), [Status::Fail], "{state:?}");
        }
        let found = judged(vec![failed]).await;
        assert_eq!(
            found[0].message,
            "no conformance pack in us-east-1 is deployed: cis is CREATE_FAILED (CloudFormation stack failed: role not authorized)"
        );
        // A state not read (a snapshot from before orr read it) is not evidence.
        let found = judged(vec![pack("cis", None, None)]).await;
        assert_eq!(statuses(&found), [Status::Error]);
        let found = run(
            with(err("config", "DescribeConformancePacks")),
            true,
            conformance_pack,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Error]);
    }
}
