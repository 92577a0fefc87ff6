use aws_sdk_synthetics::types::{CanaryRunState, CanaryState};
use serde::{Deserialize, Serialize};

/// A CloudWatch Synthetics canary (DescribeCanaries).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Canary {
    /// The canary's name, unique within the region.
    pub name: String,
    /// The canary's ID.
    pub id: String,
    /// `RUNNING`, `STOPPED`, `ERROR`, `READY`, `CREATING`, ...
    pub state: String,
    /// `Status.StateReason`: why the canary is in its state, e.g. why it is in `ERROR`.
    pub state_reason: Option<String>,
}

impl Canary {
    pub fn is_running(&self) -> bool {
        CanaryState::from(self.state.as_str()) == CanaryState::Running
    }
}

/// A canary's most recent run (DescribeCanariesLastRun).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CanaryRun {
    /// `PASSED`, `FAILED` or `RUNNING`.
    pub state: Option<String>,
    /// `Status.StateReason`: why the run failed, when it did.
    pub reason: Option<String>,
}

impl CanaryRun {
    /// Whether it passed; `None` while it is still running.
    pub fn passed(&self) -> Option<bool> {
        match self.state.as_deref().map(CanaryRunState::from) {
            Some(CanaryRunState::Passed) => Some(true),
            Some(CanaryRunState::Failed) => Some(false),
            _ => None,
        }
    }
}
