use std::collections::BTreeMap;

use aws_sdk_synthetics::types::{Canary as SdkCanary, CanaryLastRun};
use aws_sdk_synthetics::Client;

use super::AwsReader;
use crate::inventory::memo::Fetched;
use crate::model::synthetics::{Canary, CanaryRun};

const SERVICE: &str = "synthetics";

impl AwsReader {
    fn synthetics(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
    }

    pub(crate) async fn synthetics_canaries(&self, region: &str) -> Fetched<Vec<Canary>> {
        let pages = self
            .synthetics(region)
            .describe_canaries()
            .into_paginator()
            .send();
        self.listed(SERVICE, "DescribeCanaries", region, pages, |page| {
            page.canaries().iter().map(canary).collect::<Vec<_>>()
        })
        .await
        .map(|pages| pages.into_iter().flatten().collect())
    }

    pub(crate) async fn synthetics_last_runs(
        &self,
        region: &str,
    ) -> Fetched<BTreeMap<String, CanaryRun>> {
        let pages = self
            .synthetics(region)
            .describe_canaries_last_run()
            .into_paginator()
            .send();
        self.listed(SERVICE, "DescribeCanariesLastRun", region, pages, |page| {
            page.canaries_last_run()
                .iter()
                .filter_map(last_run)
                .collect::<Vec<_>>()
        })
        .await
        .map(|pages| pages.into_iter().flatten().collect())
    }
}

fn canary(canary: &SdkCanary) -> Canary {
    let status = canary.status();
    Canary {
        name: canary.name().unwrap_or_default().to_string(),
        id: canary.id().unwrap_or_default().to_string(),
        state: status
            .and_then(|s| s.state())
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        state_reason: status.and_then(|s| s.state_reason()).map(str::to_string),
    }
}

fn last_run(run: &CanaryLastRun) -> Option<(String, CanaryRun)> {
    let status = run.last_run()?.status();
    Some((
        run.canary_name()?.to_string(),
        CanaryRun {
            state: status
                .and_then(|s| s.state())
                .map(|s| s.as_str().to_string()),
            reason: status.and_then(|s| s.state_reason()).map(str::to_string),
        },
    ))
}
