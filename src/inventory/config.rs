//! AWS Config's pieces: recorders and conformance packs, per region.

use super::{accessors, pieces, Inventory, Memo};
use crate::model::config::{ConfigRecorder, ConformancePack};

pieces! {
    pub struct ConfigRegional {
        recorders: Memo<Vec<ConfigRecorder>>,
        conformance_packs: Memo<Vec<ConformancePack>>,
    }
}

impl Inventory {
    accessors! {
        regional config_recorders: Vec<ConfigRecorder> = config.recorders, "DescribeConfigurationRecorders",
            |_inventory, aws, region| aws.config_recorders(region);
        regional config_conformance_packs: Vec<ConformancePack> = config.conformance_packs, "DescribeConformancePacks",
            |_inventory, aws, region| aws.config_conformance_packs(region);
    }
}
