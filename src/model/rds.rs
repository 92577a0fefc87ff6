use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub id: String,
    pub arn: String,
    pub engine: String,
    pub engine_version: String,
    /// Set for Aurora members: cluster-level settings live on the cluster.
    pub cluster_id: Option<String>,
    pub storage_encrypted: bool,
    pub publicly_accessible: bool,
    pub multi_az: bool,
    pub deletion_protection: bool,
    pub backup_retention_days: i32,
    pub parameter_group: Option<String>,
    /// `None` where RDS did not report the field (it always does; emulators may not).
    pub performance_insights_enabled: Option<bool>,
    pub performance_insights_retention_days: Option<i32>,
    pub monitoring_interval_secs: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub id: String,
    pub arn: String,
    pub engine: String,
    pub engine_version: String,
    pub storage_encrypted: bool,
    pub multi_az: bool,
    pub deletion_protection: bool,
    pub backup_retention_days: i32,
    pub parameter_group: Option<String>,
}

/// A parameter group's parameters: name to value, `None` where the group leaves the
/// engine default in place.
pub type Parameters = BTreeMap<String, Option<String>>;
