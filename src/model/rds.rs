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
    /// The parameter group's `ParameterApplyStatus`: whether its values are in effect
    /// (`in-sync`) or wait for a reboot (`pending-reboot`) and the like. `None` in
    /// snapshots taken before it was read.
    #[serde(default)]
    pub parameter_apply_status: Option<String>,
    /// `DBInstanceClass` (`db.t3.micro`); `None` in snapshots taken before it was read.
    #[serde(default)]
    pub instance_class: Option<String>,
    /// `None` where RDS did not report the field (it always does; emulators may not).
    pub performance_insights_enabled: Option<bool>,
    pub performance_insights_retention_days: Option<i32>,
    pub monitoring_interval_secs: Option<i32>,
    /// The instance (or cluster) this one is a read replica of.
    #[serde(default)]
    pub read_replica_source: Option<String>,
    /// Its option groups (Oracle's TLS and network encryption are options).
    #[serde(default)]
    pub option_groups: Vec<String>,
}

impl DbInstance {
    /// A read replica's data, backups and failover are its source's: it cannot keep
    /// automated backups of its own on every engine (RDS for PostgreSQL), and promoting
    /// it is the recovery path rather than a standby of its own.
    pub fn is_read_replica(&self) -> bool {
        self.read_replica_source.is_some()
    }
}

/// Engines of other services that the RDS API also answers for (DescribeDBInstances and
/// DescribeDBClusters list Neptune and DocumentDB too): judged by their own services'
/// controls, not RDS's.
pub fn is_other_service(engine: &str) -> bool {
    matches!(engine, "neptune" | "docdb")
}

/// The `ParameterApplyStatus` of a parameter group whose values are in effect. The SDK
/// types the field as a string (no enum); the values are listed in
/// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBParameterGroupStatus.html
pub const PARAMETERS_IN_SYNC: &str = "in-sync";

/// Why Performance Insights (now Database Insights) cannot be turned on for an engine
/// and instance class, as the instance-class restrictions are documented in
/// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html,
/// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Engines.html
/// and (no Db2) https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.PerformanceInsights.html.
/// Engines and classes not listed there are supported.
pub fn performance_insights_unsupported(engine: &str, class: &str) -> Option<&'static str> {
    const SMALL_BURSTABLE: [&str; 6] = [
        "db.t2.micro",
        "db.t2.small",
        "db.t3.micro",
        "db.t3.small",
        "db.t4g.micro",
        "db.t4g.small",
    ];
    match engine {
        e if e.starts_with("db2") => Some("RDS for Db2 does not offer Performance Insights"),
        "mysql" | "mariadb" if SMALL_BURSTABLE.contains(&class) => {
            Some("Performance Insights is not offered on this instance class for MySQL and MariaDB")
        }
        "aurora-mysql" | "aurora"
            if class.starts_with("db.t2.")
                || class.starts_with("db.t3.")
                || SMALL_BURSTABLE.contains(&class) =>
        {
            Some("Aurora MySQL does not offer Performance Insights on db.t2, db.t3, db.t4g.micro or db.t4g.small")
        }
        _ => None,
    }
}

/// RDS for Oracle (`oracle-ee`, `oracle-se2`, and their `-cdb` forms); RDS Custom for
/// Oracle is `custom-oracle-*`.
pub fn is_oracle(engine: &str) -> bool {
    engine.starts_with("oracle-")
}

/// RDS Custom: the database host is the customer's, configured outside RDS's groups.
pub fn is_rds_custom(engine: &str) -> bool {
    engine.starts_with("custom-")
}

/// An option of an option group, with its settings (name to value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbOption {
    pub name: String,
    pub settings: BTreeMap<String, String>,
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

/// A manual DB snapshot or DB cluster snapshot the account owns, and the accounts its
/// `restore` attribute lets restore it (`all`: every AWS account).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbSnapshot {
    pub id: String,
    pub arn: String,
    /// `instance` (DescribeDBSnapshots) or `cluster` (DescribeDBClusterSnapshots).
    pub kind: String,
    pub encrypted: bool,
}

pub const INSTANCE_SNAPSHOT: &str = "instance";
pub const CLUSTER_SNAPSHOT: &str = "cluster";

/// The documented value of the `restore` attribute that makes a snapshot public.
pub fn restorable_by_anyone(restore: &[String]) -> bool {
    restore.iter().any(|account| account == "all")
}
