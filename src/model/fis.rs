use aws_sdk_fis::types::ExperimentStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An AWS FIS experiment (ListExperiments).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub id: String,
    pub template_id: Option<String>,
    /// `pending`, `initiating`, `running`, `completed`, `stopping`, `stopped`, `failed`,
    /// `cancelled`.
    pub status: String,
    pub reason: Option<String>,
    pub created: Option<DateTime<Utc>>,
}

impl Experiment {
    pub fn is_completed(&self) -> bool {
        ExperimentStatus::from(self.status.as_str()) == ExperimentStatus::Completed
    }
}
