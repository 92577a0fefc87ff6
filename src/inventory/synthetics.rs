//! CloudWatch Synthetics' pieces, per region: the canaries with their last runs.

use super::{accessors, pieces, Inventory, Memo};
use crate::model::synthetics::Canary;

pieces! {
    pub struct SyntheticsRegional {
        canaries: Memo<Vec<Canary>>,
    }
}

impl Inventory {
    accessors! {
        regional synthetics_canaries: Vec<Canary> = synthetics.canaries, "DescribeCanaries",
            |_inventory, aws, region| aws.synthetics_canaries(region);
    }
}
