//! Cost Explorer's pieces: global (the API lives in us-east-1), read once.

use super::{accessors, pieces, Memo};
use crate::model::ce::{AnomalyMonitor, AnomalySubscription};

pieces! {
    pub struct CeGlobal {
        anomaly_monitors: Memo<Vec<AnomalyMonitor>>,
        anomaly_subscriptions: Memo<Vec<AnomalySubscription>>,
    }
}

accessors! {
    iam "ce";
    global ce_anomaly_monitors: Vec<AnomalyMonitor> = ce.anomaly_monitors, "GetAnomalyMonitors",
        |_inventory, aws| aws.ce_anomaly_monitors();
    global ce_anomaly_subscriptions: Vec<AnomalySubscription> = ce.anomaly_subscriptions, "GetAnomalySubscriptions",
        |_inventory, aws| aws.ce_anomaly_subscriptions();
}
