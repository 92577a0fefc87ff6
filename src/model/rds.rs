use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An RDS DB instance as DescribeDBInstances returns it (Neptune and DocumentDB left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbInstance {
    /// DBInstanceIdentifier: the instance's name, e.g. `orders-db`.
    pub id: String,
    /// DBInstanceArn: the instance's ARN.
    pub arn: String,
    /// Engine: the database engine, e.g. `postgres`, `mysql`, `aurora-postgresql`.
    pub engine: String,
    /// EngineVersion: the engine's version, e.g. `16.4`.
    pub engine_version: String,
    /// DBClusterIdentifier: set for Aurora members (cluster-level settings live on the cluster).
    pub cluster_id: Option<String>,
    /// StorageEncrypted: whether the instance's storage is encrypted.
    pub storage_encrypted: bool,
    /// PubliclyAccessible: whether the endpoint resolves to a public IP address.
    pub publicly_accessible: bool,
    /// MultiAZ: whether the instance has a standby in another Availability Zone.
    pub multi_az: bool,
    /// DeletionProtection: whether the instance refuses to be deleted.
    pub deletion_protection: bool,
    /// BackupRetentionPeriod: days of automated backups kept (0: none).
    pub backup_retention_days: i32,
    /// DBParameterGroups[0].DBParameterGroupName: the instance's DB parameter group.
    pub parameter_group: Option<String>,
    /// DBParameterGroups[0].ParameterApplyStatus: whether the group's values are in effect
    /// (`in-sync`) or wait for a reboot (`pending-reboot`) and the like; `None` in snapshots
    /// taken before it was read.
    #[serde(default)]
    pub parameter_apply_status: Option<String>,
    /// DBInstanceClass: the compute and memory class, e.g. `db.r6g.large`; `None` in
    /// snapshots taken before it was read.
    #[serde(default)]
    pub instance_class: Option<String>,
    /// PerformanceInsightsEnabled; `None` where RDS did not report it (it always does;
    /// emulators may not).
    pub performance_insights_enabled: Option<bool>,
    /// PerformanceInsightsRetentionPeriod: days of Performance Insights data kept.
    pub performance_insights_retention_days: Option<i32>,
    /// MonitoringInterval: seconds between Enhanced Monitoring samples (0: off).
    pub monitoring_interval_secs: Option<i32>,
    /// ReadReplicaSourceDBInstanceIdentifier or ReadReplicaSourceDBClusterIdentifier: the
    /// instance (or cluster) this one is a read replica of.
    #[serde(default)]
    pub read_replica_source: Option<String>,
    /// OptionGroupMemberships' names: its option groups (Oracle's TLS and network
    /// encryption are options).
    #[serde(default)]
    pub option_groups: Vec<String>,
    /// StorageType: `gp2`, `gp3`, `io1`, `io2`, `standard` (magnetic) or `aurora`.
    #[serde(default)]
    pub storage_type: Option<String>,
    /// AllocatedStorage: the allocated storage in GiB.
    #[serde(default)]
    pub allocated_storage_gib: Option<i32>,
    /// IAMDatabaseAuthenticationEnabled: whether IAM database authentication is on.
    #[serde(default)]
    pub iam_database_authentication: Option<bool>,
    /// CACertificateIdentifier: the CA of the server certificate, e.g. `rds-ca-rsa2048-g1`.
    #[serde(default)]
    pub ca_certificate: Option<String>,
    /// AutoMinorVersionUpgrade: whether minor engine upgrades are applied in the
    /// maintenance window.
    #[serde(default)]
    pub auto_minor_version_upgrade: Option<bool>,
    /// DBSubnetGroup.DBSubnetGroupName: the subnet group the instance is placed in.
    #[serde(default)]
    pub subnet_group: Option<String>,
    /// DBSubnetGroup.VpcId: the VPC the instance is in.
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Endpoint.Port: the port the database listens on.
    #[serde(default)]
    pub port: Option<i32>,
    /// InstanceCreateTime: when the instance was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// TagList: the instance's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbOption {
    /// OptionName: e.g. `NATIVE_NETWORK_ENCRYPTION`.
    pub name: String,
    /// OptionSettings: each setting's name to its value.
    pub settings: BTreeMap<String, String>,
}

/// An RDS or Aurora DB cluster as DescribeDBClusters returns it (Neptune and DocumentDB
/// left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbCluster {
    /// DBClusterIdentifier: the cluster's name.
    pub id: String,
    /// DBClusterArn: the cluster's ARN.
    pub arn: String,
    /// Engine: e.g. `aurora-postgresql`, `aurora-mysql`, or `postgres` for a Multi-AZ DB cluster.
    pub engine: String,
    /// EngineVersion: the engine's version, e.g. `15.4`.
    pub engine_version: String,
    /// StorageEncrypted: whether the cluster's storage is encrypted.
    pub storage_encrypted: bool,
    /// MultiAZ: whether the cluster has instances in more than one Availability Zone.
    pub multi_az: bool,
    /// DeletionProtection: whether the cluster refuses to be deleted.
    pub deletion_protection: bool,
    /// BackupRetentionPeriod: days of automated backups kept.
    pub backup_retention_days: i32,
    /// DBClusterParameterGroup: the cluster's DB cluster parameter group.
    pub parameter_group: Option<String>,
    /// DBClusterInstanceClass: the class of a Multi-AZ DB cluster's instances (Aurora
    /// clusters leave it out: each instance has its own).
    #[serde(default)]
    pub instance_class: Option<String>,
    /// StorageType: e.g. `aurora`, `aurora-iopt1`, `io1`, `gp3`.
    #[serde(default)]
    pub storage_type: Option<String>,
    /// AllocatedStorage: GiB for a Multi-AZ DB cluster (Aurora reports 1: its storage grows).
    #[serde(default)]
    pub allocated_storage_gib: Option<i32>,
    /// IAMDatabaseAuthenticationEnabled: whether IAM database authentication is on.
    #[serde(default)]
    pub iam_database_authentication: Option<bool>,
    /// CertificateDetails.CAIdentifier: the CA of the server certificate (Multi-AZ DB
    /// clusters; Aurora keeps it on each instance).
    #[serde(default)]
    pub ca_certificate: Option<String>,
    /// AutoMinorVersionUpgrade: whether minor engine upgrades are applied (Multi-AZ DB
    /// clusters; Aurora keeps it on each instance).
    #[serde(default)]
    pub auto_minor_version_upgrade: Option<bool>,
    /// PubliclyAccessible: whether a Multi-AZ DB cluster's endpoint is public (Aurora
    /// keeps it on each instance).
    #[serde(default)]
    pub publicly_accessible: Option<bool>,
    /// DBSubnetGroup: the subnet group the cluster is placed in.
    #[serde(default)]
    pub subnet_group: Option<String>,
    /// Port: the port the database listens on.
    #[serde(default)]
    pub port: Option<i32>,
    /// ClusterCreateTime: when the cluster was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// TagList: the cluster's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A parameter group's parameters: name to value, `None` where the group leaves the
/// engine default in place.
pub type Parameters = BTreeMap<String, Option<String>>;

/// A manual DB snapshot or DB cluster snapshot the account owns, and the accounts its
/// `restore` attribute lets restore it (`all`: every AWS account).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DbSnapshot {
    /// DBSnapshotIdentifier or DBClusterSnapshotIdentifier: the snapshot's name.
    pub id: String,
    /// DBSnapshotArn or DBClusterSnapshotArn: the snapshot's ARN.
    pub arn: String,
    /// `instance` (DescribeDBSnapshots) or `cluster` (DescribeDBClusterSnapshots).
    pub kind: String,
    /// Encrypted (StorageEncrypted for a cluster snapshot): whether its data is encrypted.
    pub encrypted: bool,
}

/// One enabled region's manual snapshots and, for as many as the run reads (a bound
/// for accounts with tens of thousands), their `restore` attribute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegionDbSnapshots {
    /// The manual DB snapshots and DB cluster snapshots the account owns in the region.
    pub snapshots: Vec<DbSnapshot>,
    /// Each read snapshot's `restore` attribute values, keyed by its ARN.
    pub restore: BTreeMap<String, crate::fetched::Fetched<Vec<String>>>,
    /// The ARNs of the snapshots whose attribute was not read: past the bound.
    #[serde(default)]
    pub unread: Vec<String>,
}

pub const INSTANCE_SNAPSHOT: &str = "instance";
pub const CLUSTER_SNAPSHOT: &str = "cluster";

/// The documented value of the `restore` attribute that makes a snapshot public.
pub fn restorable_by_anyone(restore: &[String]) -> bool {
    restore.iter().any(|account| account == "all")
}
