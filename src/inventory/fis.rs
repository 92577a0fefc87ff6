//! AWS FIS's pieces, per region: the experiments run.

use super::{accessors, pieces, Memo};
use crate::model::fis::Experiment;

pieces! {
    pub struct FisRegional {
        experiments: Memo<Vec<Experiment>>,
    }
}

accessors! {
    regional fis_experiments: Vec<Experiment> = fis.experiments, "ListExperiments" needs ["fis:ListExperiments", "fis:GetExperiment"],
        |_inventory, aws, region| aws.fis_experiments(region);
}
