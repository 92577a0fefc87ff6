use aws_sdk_fis::types::ExperimentSummary;
use aws_sdk_fis::Client;

use super::{instant, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::fis::Experiment;

const SERVICE: &str = "fis";

impl AwsReader {
    pub(crate) async fn fis_experiments(&self, region: &str) -> Fetched<Vec<Experiment>> {
        let client = Client::new(&self.region_config(region));
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
