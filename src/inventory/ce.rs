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
    global ce_anomaly_monitors: Vec<AnomalyMonitor> = ce.anomaly_monitors, "GetAnomalyMonitors" needs ["ce:GetAnomalyMonitors"],
        |_inventory, aws| aws.ce_anomaly_monitors();
    global ce_anomaly_subscriptions: Vec<AnomalySubscription> = ce.anomaly_subscriptions, "GetAnomalySubscriptions" needs ["ce:GetAnomalySubscriptions"],
        |_inventory, aws| aws.ce_anomaly_subscriptions();
}
