use aws_sdk_elasticache::types::{AuthenticationType, TransitEncryptionMode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A Redis OSS or Valkey replication group (DescribeReplicationGroups; tags need
/// ListTagsForResource, which is not read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplicationGroup {
    /// ReplicationGroupId: the group's name.
    pub id: String,
    /// ARN: the group's ARN.
    pub arn: Option<String>,
    /// Engine: `redis` or `valkey` where ElastiCache reports it.
    pub engine: Option<String>,
    /// AtRestEncryptionEnabled: whether data on disk is encrypted.
    pub at_rest_encryption: bool,
    /// TransitEncryptionEnabled: whether TLS is on.
    pub transit_encryption: bool,
    /// TransitEncryptionMode: `required` or `preferred` (TLS optional: plaintext
    /// connections still accepted); absent on engines older than the setting, where TLS on
    /// meant required.
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    /// AuthTokenEnabled: whether clients must send an AUTH token.
    pub auth_token_enabled: bool,
    /// UserGroupIds: the RBAC user groups the group authenticates against.
    pub user_group_ids: Vec<String>,
    /// AutomaticFailover: `enabled`, `enabling`, `disabled` or `disabling`.
    pub automatic_failover: Option<String>,
    /// MultiAZ: `enabled` or `disabled`.
    pub multi_az: Option<String>,
    /// MemberClusters: the ids of its cache clusters (nodes).
    pub member_clusters: Vec<String>,
    /// Description: the group's description, as its owner wrote it.
    #[serde(default)]
    pub description: Option<String>,
    /// CacheNodeType: the nodes' compute and memory class, e.g. `cache.r7g.large`.
    #[serde(default)]
    pub node_type: Option<String>,
    /// SnapshotRetentionLimit: days of automatic snapshots kept (0: none).
    #[serde(default)]
    pub snapshot_retention_days: Option<i32>,
    /// KmsKeyId: the customer managed KMS key that encrypts data at rest, if any.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// AutoMinorVersionUpgrade: whether minor engine upgrades are applied automatically.
    #[serde(default)]
    pub auto_minor_version_upgrade: Option<bool>,
    /// ClusterEnabled: whether data is partitioned across shards (cluster mode).
    #[serde(default)]
    pub cluster_enabled: Option<bool>,
    /// ReplicationGroupCreateTime: when the group was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
}

/// A cache cluster: a Memcached cluster or one node of a replication group
/// (DescribeCacheClusters; tags need ListTagsForResource, which is not read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheCluster {
    /// CacheClusterId: the cluster's (node's) name.
    pub id: String,
    /// ARN: the cluster's ARN.
    pub arn: Option<String>,
    /// Engine: `redis`, `valkey` or `memcached`.
    pub engine: String,
    /// ReplicationGroupId: the replication group it is a member of.
    pub replication_group_id: Option<String>,
    /// AtRestEncryptionEnabled: whether data on disk is encrypted.
    pub at_rest_encryption: bool,
    /// TransitEncryptionEnabled: whether TLS is on.
    pub transit_encryption: bool,
    /// TransitEncryptionMode: `required` or `preferred`.
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    /// AuthTokenEnabled: whether clients must send an AUTH token.
    pub auth_token_enabled: bool,
    /// EngineVersion: the engine's version, e.g. `7.1.0` or `1.6.22`.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// CacheNodeType: the nodes' compute and memory class, e.g. `cache.t4g.micro`.
    #[serde(default)]
    pub node_type: Option<String>,
    /// NumCacheNodes: how many nodes the cluster has.
    #[serde(default)]
    pub num_cache_nodes: Option<i32>,
    /// SnapshotRetentionLimit: days of automatic snapshots kept (0: none).
    #[serde(default)]
    pub snapshot_retention_days: Option<i32>,
    /// AutoMinorVersionUpgrade: whether minor engine upgrades are applied automatically.
    #[serde(default)]
    pub auto_minor_version_upgrade: Option<bool>,
    /// CacheSubnetGroupName: the subnet group it is placed in.
    #[serde(default)]
    pub subnet_group: Option<String>,
    /// SecurityGroups' SecurityGroupId: its VPC security groups.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// CacheClusterCreateTime: when the cluster was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
}

/// Whether a cache refuses plaintext: TLS on, and not in `preferred` mode, where AWS
/// keeps accepting unencrypted connections during a migration.
pub fn requires_tls(enabled: bool, mode: Option<&str>) -> bool {
    enabled && mode.map(TransitEncryptionMode::from) != Some(TransitEncryptionMode::Preferred)
}

/// An RBAC user group with its users, as DescribeUserGroups and DescribeUsers give them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserGroup {
    /// UserGroupId: the group's id.
    pub id: String,
    /// The users the group lists, as DescribeUsers returns them.
    pub users: Vec<CacheUser>,
    /// User ids the group lists that DescribeUsers did not return.
    #[serde(default)]
    pub missing_user_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheUser {
    /// UserId: the user's id.
    pub id: String,
    /// UserName: the name clients sign in with (`default` for the default user).
    pub name: String,
    /// Authentication.Type: `password`, `no-password` or `iam`.
    pub authentication: Option<String>,
    /// AccessString: Redis ACL rules, e.g. `on ~* +@all`.
    pub access_string: Option<String>,
}

impl CacheUser {
    /// The user every connection is signed in as before (or instead of) AUTH.
    pub const DEFAULT: &'static str = "default";

    /// Whether a client that sends no credentials gets in as this user and can run
    /// commands: no password, the user switched on (`on`, the last of `on`/`off` wins)
    /// and at least one command allowed (`+...` or `allcommands`).
    pub fn admits_anyone(&self) -> bool {
        let no_password = self.authentication.as_deref().map(AuthenticationType::from)
            == Some(AuthenticationType::NoPassword);
        let rules: Vec<&str> = self
            .access_string
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let on = rules
            .iter()
            .rev()
            .find(|rule| matches!(**rule, "on" | "off"))
            .is_some_and(|rule| *rule == "on");
        let commands = rules
            .iter()
            .any(|rule| rule.starts_with('+') || *rule == "allcommands");
        no_password && on && commands
    }
}

impl UserGroup {
    /// The group's `default` user when it lets anyone in.
    pub fn open_default_user(&self) -> Option<&CacheUser> {
        self.users
            .iter()
            .find(|u| u.name == CacheUser::DEFAULT && u.admits_anyone())
    }
}

/// A serverless cache (DescribeServerlessCaches; tags need ListTagsForResource, which is
/// not read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServerlessCache {
    /// ServerlessCacheName: the cache's name.
    pub name: String,
    /// ARN: the cache's ARN.
    pub arn: Option<String>,
    /// Engine: `redis`, `valkey` or `memcached`.
    pub engine: String,
    /// UserGroupId: the RBAC user group it authenticates against.
    pub user_group_id: Option<String>,
    /// FullEngineVersion: the engine's version, e.g. `7.1`.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// MajorEngineVersion: the engine's major version, e.g. `7`.
    #[serde(default)]
    pub major_engine_version: Option<String>,
    /// SnapshotRetentionLimit: days of automatic snapshots kept.
    #[serde(default)]
    pub snapshot_retention_days: Option<i32>,
    /// KmsKeyId: the customer managed KMS key that encrypts the data, if any.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// SecurityGroupIds: its VPC security groups.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// SubnetIds: the subnets of its VPC endpoint.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Description: the cache's description, as its owner wrote it.
    #[serde(default)]
    pub description: Option<String>,
    /// CreateTime: when the cache was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
}
