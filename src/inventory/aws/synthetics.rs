use std::collections::BTreeMap;

use aws_sdk_synthetics::types::{Canary as SdkCanary, CanaryLastRun};
use aws_sdk_synthetics::Client;

use super::AwsReader;
use crate::fetched::Fetched;
use crate::model::synthetics::{Canary, CanaryRun};

const SERVICE: &str = "synthetics";

impl AwsReader {
    fn synthetics(&self, region: &str) -> Client {
        self.client(region, Client::new)
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

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_synthetics::types::{
        CanaryRun as SdkRun, CanaryRunState, CanaryRunStatus, CanaryState, CanaryStatus,
    };

    use crate::checks::synthetics::canaries;
    use crate::checks::testing::{data, failed, ok, run, statuses, statuses_of, REGION};
    use crate::finding::Status::{Error, Fail, Pass};

    fn sdk_canary(name: &str, state: CanaryState) -> Canary {
        canary(
            &SdkCanary::builder()
                .name(name)
                .id(name)
                .status(CanaryStatus::builder().state(state).build())
                .build(),
        )
    }

    fn sdk_run(name: &str, state: CanaryRunState) -> (String, CanaryRun) {
        last_run(
            &CanaryLastRun::builder()
                .canary_name(name)
                .last_run(
                    SdkRun::builder()
                        .status(
                            CanaryRunStatus::builder()
                                .state(state)
                                .state_reason("timeout")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .unwrap()
    }

    /// moto cannot answer DescribeCanariesLastRun and sends timestamps the SDK refuses.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let mut account = data();
        let synthetics = &mut account.region_mut(REGION).synthetics;
        synthetics.canaries = ok(vec![
            sdk_canary("green", CanaryState::Running),
            sdk_canary("red", CanaryState::Running),
            sdk_canary("paused", CanaryState::Stopped),
            sdk_canary("fresh", CanaryState::Running),
        ]);
        synthetics.last_runs = ok([
            sdk_run("green", CanaryRunState::Passed),
            sdk_run("red", CanaryRunState::Failed),
            sdk_run("fresh", CanaryRunState::Running),
        ]
        .into_iter()
        .collect());
        let observations = run(account, false, canaries).await;
        assert_eq!(
            statuses_of(&observations, &[":green", ":red", ":paused", ":fresh"]),
            [Pass, Fail, Fail, Error]
        );

        let mut none = data();
        none.region_mut(REGION).synthetics.canaries = ok(vec![]);
        assert_eq!(statuses(&run(none, false, canaries).await), [Fail]);
        let mut denied = data();
        denied.region_mut(REGION).synthetics.canaries = failed("synthetics", "DescribeCanaries");
        assert_eq!(statuses(&run(denied, false, canaries).await), [Error]);
    }
}
