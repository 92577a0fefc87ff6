use aws_sdk_fis::types::{ActionsMode, ExperimentStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An AWS FIS experiment (ListExperiments).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Experiment {
    pub id: String,
    pub template_id: Option<String>,
    /// `pending`, `initiating`, `running`, `completed`, `stopping`, `stopped`, `failed`,
    /// `cancelled`.
    pub status: String,
    pub reason: Option<String>,
    pub created: Option<DateTime<Utc>>,
    /// `run-all` or `skip-all` (ExperimentOptions.actionsMode, set when the experiment
    /// is started). `None` where AWS reports none: its documented default, `run-all`.
    #[serde(default)]
    pub actions_mode: Option<String>,
}

impl Experiment {
    pub fn is_completed(&self) -> bool {
        ExperimentStatus::from(self.status.as_str()) == ExperimentStatus::Completed
    }

    /// Whether its actions ran: a `skip-all` experiment resolves its targets and ends
    /// `completed` without injecting any fault.
    pub fn injects_faults(&self) -> bool {
        self.actions_mode.as_deref().map(ActionsMode::from) != Some(ActionsMode::SkipAll)
    }
}
