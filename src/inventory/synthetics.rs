//! CloudWatch Synthetics' pieces, per region: the canaries, and the last run of each
//! (read only when some canary runs).

use std::collections::BTreeMap;

use super::{accessors, pieces, then, Fetched, Memo};
use crate::model::synthetics::{Canary, CanaryRun};

pieces! {
    pub struct SyntheticsRegional {
        canaries: Memo<Vec<Canary>>,
        last_runs: Memo<BTreeMap<String, CanaryRun>>,
    }
}

accessors! {
    iam "synthetics";
    regional synthetics_canaries: Vec<Canary> = synthetics.canaries, "DescribeCanaries",
        |_inventory, aws, region| aws.synthetics_canaries(region);
    /// The last run of every canary that has run, keyed by canary name.
    regional synthetics_last_runs: BTreeMap<String, CanaryRun> = synthetics.last_runs, "DescribeCanariesLastRun" after [synthetics_canaries],
        |inventory, aws, region| async move {
            let listing = inventory.synthetics_canaries(region).await;
            then(listing, |canaries| async move {
                if canaries.iter().any(Canary::is_running) {
                    aws.synthetics_last_runs(region).await
                } else {
                    Fetched::Ok(BTreeMap::new())
                }
            })
            .await
        };
}
