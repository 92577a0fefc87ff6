//! AWS Config's pieces: recorders and conformance packs, per region.

use super::{accessors, pieces, Memo};
use crate::model::config::{ConfigRecorder, ConformancePack};

pieces! {
    pub struct ConfigRegional {
        recorders: Memo<Vec<ConfigRecorder>>,
        conformance_packs: Memo<Vec<ConformancePack>>,
    }
}

accessors! {
    iam "config";
    regional config_recorders: Vec<ConfigRecorder> = config.recorders, "DescribeConfigurationRecorders" "DescribeConfigurationRecorderStatus",
        |_inventory, aws, region| aws.config_recorders(region);
    regional config_conformance_packs: Vec<ConformancePack> = config.conformance_packs, "DescribeConformancePacks" "DescribeConformancePackStatus",
        |_inventory, aws, region| aws.config_conformance_packs(region);
}
