//! AWS FIS's pieces, per region: the experiments run.

use super::{accessors, pieces, Memo};
use crate::model::fis::Experiment;

pieces! {
    pub struct FisRegional {
        experiments: Memo<Vec<Experiment>>,
    }
}

accessors! {
    iam "fis";
    regional fis_experiments: Vec<Experiment> = fis.experiments, "ListExperiments" "GetExperiment",
        |_inventory, aws, region| aws.fis_experiments(region);
}
