use std::collections::BTreeMap;

use aws_sdk_synthetics::types::{Canary as SdkCanary, CanaryLastRun};
use aws_sdk_synthetics::Client;

use super::AwsReader;
use crate::inventory::memo::Fetched;
use crate::model::synthetics::Canary;

const SERVICE: &str = "synthetics";

impl AwsReader {
    /// The canaries (DescribeCanaries) joined with their last runs
    /// (DescribeCanariesLastRun): two listings, each paged to the end.
    pub(crate) async fn synthetics_canaries(&self, region: &str) -> Fetched<Vec<Canary>> {
        let client = Client::new(&self.region_config(region));
        let canaries = self.listed(
            SERVICE,
            "DescribeCanaries",
            region,
            client.describe_canaries().into_paginator().send(),
            |page| page.canaries().to_vec(),
        );
        let last_runs = self.listed(
            SERVICE,
            "DescribeCanariesLastRun",
            region,
            client.describe_canaries_last_run().into_paginator().send(),
            |page| page.canaries_last_run().to_vec(),
        );
        let (canaries, last_runs) = futures::join!(canaries, last_runs);
        match (canaries, last_runs) {
            (Fetched::Ok(canaries), Fetched::Ok(runs)) => {
                let runs: Vec<CanaryLastRun> = runs.into_iter().flatten().collect();
                Fetched::Ok(join(canaries.into_iter().flatten().collect(), &runs))
            }
            (Fetched::Error(error), _) | (_, Fetched::Error(error)) => Fetched::Error(error),
        }
    }
}

fn join(canaries: Vec<SdkCanary>, runs: &[CanaryLastRun]) -> Vec<Canary> {
    let last: BTreeMap<&str, &CanaryLastRun> = runs
        .iter()
        .filter_map(|r| Some((r.canary_name()?, r)))
        .collect();
    canaries
        .iter()
        .map(|canary| {
            let name = canary.name().unwrap_or_default();
            let run = last
                .get(name)
                .and_then(|r| r.last_run())
                .and_then(|r| r.status());
            Canary {
                name: name.to_string(),
                id: canary.id().unwrap_or_default().to_string(),
                state: canary
                    .status()
                    .and_then(|s| s.state())
                    .map(|s| s.as_str())
                    .unwrap_or_default()
                    .to_string(),
                state_reason: canary
                    .status()
                    .and_then(|s| s.state_reason())
                    .map(str::to_string),
                last_run_state: run.and_then(|s| s.state()).map(|s| s.as_str().to_string()),
                last_run_reason: run.and_then(|s| s.state_reason()).map(str::to_string),
            }
        })
        .collect()
}
