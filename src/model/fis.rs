use aws_sdk_fis::types::{ActionsMode, ExperimentStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An AWS FIS experiment (ListExperiments).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Experiment {
    /// The experiment's ID (`EXP...`).
    pub id: String,
    /// `experimentTemplateId`: the template it was started from.
    pub template_id: Option<String>,
    /// `pending`, `initiating`, `running`, `completed`, `stopping`, `stopped`, `failed`,
    /// `cancelled`.
    pub status: String,
    /// `state.reason`: AWS's explanation of the status, e.g. why it failed or stopped.
    pub reason: Option<String>,
    /// `creationTime`: when the experiment was started.
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
