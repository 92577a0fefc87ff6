use aws_sdk_synthetics::types::{CanaryRunState, CanaryState};
use serde::{Deserialize, Serialize};

/// A CloudWatch Synthetics canary (DescribeCanaries) and its last run
/// (DescribeCanariesLastRun).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Canary {
    pub name: String,
    pub id: String,
    /// `RUNNING`, `STOPPED`, `ERROR`, `READY`, `CREATING`, ...
    pub state: String,
    pub state_reason: Option<String>,
    /// `PASSED`, `FAILED` or `RUNNING`; `None` before its first run.
    pub last_run_state: Option<String>,
    pub last_run_reason: Option<String>,
}

impl Canary {
    pub fn is_running(&self) -> bool {
        CanaryState::from(self.state.as_str()) == CanaryState::Running
    }

    pub fn last_run_passed(&self) -> Option<bool> {
        match self.last_run_state.as_deref().map(CanaryRunState::from) {
            Some(CanaryRunState::Passed) => Some(true),
            Some(CanaryRunState::Failed) => Some(false),
            // Running now, or never ran: the previous outcome is not in this answer.
            _ => None,
        }
    }
}
