use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: Option<String>,
    /// `metric` or `composite`.
    pub kind: String,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    /// The metrics the alarm watches: its own, or each one its metric math reads.
    pub metrics: Vec<MetricRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRef {
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub arn: Option<String>,
}
