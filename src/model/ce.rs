use serde::{Deserialize, Serialize};

/// A Cost Anomaly Detection monitor (Cost Explorer GetAnomalyMonitors).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnomalyMonitor {
    /// `MonitorArn`; empty if AWS left it out.
    pub arn: String,
    /// `MonitorName`.
    pub name: String,
    /// `MonitorType`: `DIMENSIONAL` (by AWS service, linked account, ...) or `CUSTOM`.
    pub monitor_type: String,
}

/// A Cost Anomaly Detection alert subscription (Cost Explorer GetAnomalySubscriptions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnomalySubscription {
    /// `SubscriptionArn`.
    pub arn: Option<String>,
    /// `SubscriptionName`.
    pub name: String,
    /// `MonitorArnList`: the monitors whose anomalies it sends.
    pub monitor_arns: Vec<String>,
    /// Subscribers that receive its alerts: every subscriber but those whose status is
    /// DECLINED (an email address that declined the subscription gets nothing).
    pub subscribers: usize,
    /// Subscribers that declined.
    #[serde(default)]
    pub declined: usize,
}
