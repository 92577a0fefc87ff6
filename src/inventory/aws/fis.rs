use aws_sdk_fis::types::{ExperimentOptions, ExperimentSummary};
use aws_sdk_fis::Client;

use super::{fetch_error, instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::fis::Experiment;

const SERVICE: &str = "fis";

impl AwsReader {
    /// The region's experiments with their actions mode. ListExperiments carries each
    /// experiment's options; a completed experiment whose summary lacks the actions
    /// mode is asked with GetExperiment, as only a completed one can count as evidence.
    pub(crate) async fn fis_experiments(&self, region: &str) -> Fetched<Vec<Experiment>> {
        let client = self.client(region, Client::new);
        let items = client.list_experiments().into_paginator().items().send();
        let mut experiments = match self
            .listed(SERVICE, "ListExperiments", region, items, experiment)
            .await
        {
            Fetched::Ok(experiments) => experiments,
            Fetched::Error(error) => return Fetched::Error(error),
        };
        let unknown = experiments
            .iter()
            .filter(|e| e.is_completed() && e.actions_mode.is_none())
            .map(|e| e.id.clone());
        let modes = self
            .per_resource(unknown, |id| {
                let client = client.clone();
                async move {
                    client
                        .get_experiment()
                        .id(&id)
                        .send()
                        .await
                        .map(|out| {
                            out.experiment()
                                .and_then(|e| actions_mode(e.experiment_options()))
                        })
                        .map_err(|e| fetch_error(SERVICE, "GetExperiment", Some(&id), &e))
                }
            })
            .await;
        for (id, mode) in modes {
            match mode {
                Fetched::Ok(mode) => {
                    if let Some(experiment) = experiments.iter_mut().find(|e| e.id == id) {
                        experiment.actions_mode = mode;
                    }
                }
                Fetched::Error(error) => return Fetched::Error(error),
            }
        }
        Fetched::Ok(experiments)
    }
}

fn actions_mode(options: Option<&ExperimentOptions>) -> Option<String> {
    options
        .and_then(|o| o.actions_mode())
        .map(|m| m.as_str().to_string())
}

fn experiment(summary: &ExperimentSummary) -> Experiment {
    let state = summary.state();
    Experiment {
        id: summary.id().unwrap_or_default().to_string(),
        template_id: summary.experiment_template_id().map(str::to_string),
        status: state
            .and_then(|s| s.status())
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        reason: state.and_then(|s| s.reason()).map(str::to_string),
        created: summary.creation_time().and_then(instant),
        actions_mode: actions_mode(summary.experiment_options()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_fis::primitives::DateTime;
    use aws_sdk_fis::types::{ActionsMode, ExperimentState, ExperimentStatus};

    use crate::checks::manual::chaos_experiment;
    use crate::checks::testing::{data, now, ok, run, statuses, REGION};
    use crate::finding::Status::{Manual, Pass};

    fn sdk_experiment(id: &str, status: ExperimentStatus, days_ago: i64) -> Experiment {
        sdk_experiment_in(id, status, days_ago, None)
    }

    fn sdk_experiment_in(
        id: &str,
        status: ExperimentStatus,
        days_ago: i64,
        mode: Option<ActionsMode>,
    ) -> Experiment {
        experiment(
            &ExperimentSummary::builder()
                .id(id)
                .experiment_template_id("EXT-az")
                .state(ExperimentState::builder().status(status).build())
                .creation_time(DateTime::from_secs(
                    (now() - chrono::Duration::days(days_ago)).timestamp(),
                ))
                .set_experiment_options(
                    mode.map(|m| ExperimentOptions::builder().actions_mode(m).build()),
                )
                .build(),
        )
    }

    /// An experiment started with actionsMode skip-all ends `completed` having injected
    /// nothing: not evidence, and named when nothing else is.
    #[tokio::test]
    async fn a_skip_all_experiment_is_not_evidence() {
        let account = |experiments: Vec<Experiment>| {
            let mut data = data();
            data.region_mut(REGION).fis.experiments = ok(experiments);
            data
        };
        let dry_run = sdk_experiment_in(
            "EXP-dry",
            ExperimentStatus::Completed,
            1,
            Some(ActionsMode::SkipAll),
        );
        assert_eq!(dry_run.actions_mode.as_deref(), Some("skip-all"));
        let skipped = run(account(vec![dry_run.clone()]), false, chaos_experiment).await;
        assert_eq!(statuses(&skipped), [Manual]);
        assert!(
            skipped[0].message.contains(
                "experiment EXP-dry in us-east-1 completed with actionsMode skip-all: no fault was injected"
            ),
            "{}",
            skipped[0].message
        );
        let real = sdk_experiment_in(
            "EXP-real",
            ExperimentStatus::Completed,
            5,
            Some(ActionsMode::RunAll),
        );
        let evidenced = run(account(vec![dry_run, real]), false, chaos_experiment).await;
        assert_eq!(statuses(&evidenced), [Pass]);
        assert!(
            evidenced[0].message.contains("EXP-real"),
            "{}",
            evidenced[0].message
        );
    }

    /// GetExperiment's options (asked when a summary lacks them) convert the same way.
    #[test]
    fn get_experiment_options_give_the_actions_mode() {
        let got = aws_sdk_fis::types::Experiment::builder()
            .id("EXP-dry")
            .experiment_options(
                ExperimentOptions::builder()
                    .actions_mode(ActionsMode::SkipAll)
                    .build(),
            )
            .build();
        assert_eq!(
            actions_mode(got.experiment_options()).as_deref(),
            Some(ActionsMode::SkipAll.as_str())
        );
        assert_eq!(actions_mode(None), None);
    }

    /// moto has no FIS: SDK values through the conversion and manual.chaos_experiment.
    #[tokio::test]
    async fn a_recent_completed_experiment_evidences_the_manual_item() {
        let account = |experiments: Vec<Experiment>| {
            let mut data = data();
            data.region_mut(REGION).fis.experiments = ok(experiments);
            data
        };
        let evidenced = run(
            account(vec![
                sdk_experiment("EXP-old", ExperimentStatus::Completed, 200),
                sdk_experiment("EXP-recent", ExperimentStatus::Completed, 20),
                sdk_experiment("EXP-stopped", ExperimentStatus::Stopped, 2),
            ]),
            false,
            chaos_experiment,
        )
        .await;
        assert_eq!(statuses(&evidenced), [Pass]);
        assert!(
            evidenced[0].message.contains("EXP-recent"),
            "{}",
            evidenced[0].message
        );
        assert_eq!(evidenced[0].evidence["experiment"]["id"], "EXP-recent");
        let stale = run(
            account(vec![
                sdk_experiment("EXP-old", ExperimentStatus::Completed, 200),
                sdk_experiment("EXP-failed", ExperimentStatus::Failed, 2),
            ]),
            false,
            chaos_experiment,
        )
        .await;
        assert_eq!(statuses(&stale), [Manual]);
        assert!(
            stale[0]
                .message
                .starts_with("no AWS FIS experiment completed in the last 90 days"),
            "{}",
            stale[0].message
        );
    }
}
