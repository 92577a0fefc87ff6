use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalyMonitor {
    pub arn: String,
    pub name: String,
    pub monitor_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalySubscription {
    pub arn: Option<String>,
    pub name: String,
    pub monitor_arns: Vec<String>,
    pub subscribers: usize,
}
