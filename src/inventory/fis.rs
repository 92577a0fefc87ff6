//! AWS FIS's pieces, per region: the experiments run.

use super::{accessors, pieces, Inventory, Memo};
use crate::model::fis::Experiment;

pieces! {
    pub struct FisRegional {
        experiments: Memo<Vec<Experiment>>,
    }
}

impl Inventory {
    accessors! {
        regional fis_experiments: Vec<Experiment> = fis.experiments, "ListExperiments",
            |_inventory, aws, region| aws.fis_experiments(region);
    }
}
