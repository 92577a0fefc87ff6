use serde::{Deserialize, Serialize};

/// An EventBridge Scheduler schedule as ListSchedules describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Schedule {
    /// The schedule's name, unique within its group.
    pub name: String,
    /// The schedule group it belongs to; `default` for a schedule created without one.
    pub group_name: String,
    /// The schedule's ARN.
    pub arn: String,
    /// `ENABLED` or `DISABLED`.
    pub state: Option<String>,
    /// The ARN of the target it invokes.
    pub target: Option<String>,
}

impl Schedule {
    /// `group/name`: a schedule's name is unique only within its group, and neither may
    /// contain a slash.
    pub fn key(&self) -> String {
        format!("{}/{}", self.group_name, self.name)
    }
}
