use aws_sdk_fis::types::ExperimentSummary;
use aws_sdk_fis::Client;

use super::{instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::fis::Experiment;

const SERVICE: &str = "fis";

impl AwsReader {
    pub(crate) async fn fis_experiments(&self, region: &str) -> Fetched<Vec<Experiment>> {
        let client = self.client(region, Client::new);
        let items = client.list_experiments().into_paginator().items().send();
        self.listed(SERVICE, "ListExperiments", region, items, experiment)
            .await
    }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_fis::primitives::DateTime;
    use aws_sdk_fis::types::{ExperimentState, ExperimentStatus};

    use crate::checks::manual::chaos_experiment;
    use crate::checks::testing::{data, now, ok, run, statuses, REGION};
    use crate::finding::Status::{Manual, Pass};

    fn sdk_experiment(id: &str, status: ExperimentStatus, days_ago: i64) -> Experiment {
        experiment(
            &ExperimentSummary::builder()
                .id(id)
                .experiment_template_id("EXT-az")
                .state(ExperimentState::builder().status(status).build())
                .creation_time(DateTime::from_secs(
                    (now() - chrono::Duration::days(days_ago)).timestamp(),
                ))
                .build(),
        )
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
