use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnomalyMonitor {
    pub arn: String,
    pub name: String,
    pub monitor_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnomalySubscription {
    pub arn: Option<String>,
    pub name: String,
    pub monitor_arns: Vec<String>,
    /// Subscribers that receive its alerts: every subscriber but those whose status is
    /// DECLINED (an email address that declined the subscription gets nothing).
    pub subscribers: usize,
    /// Subscribers that declined.
    #[serde(default)]
    pub declined: usize,
}
