use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationGroup {
    pub id: String,
    pub arn: Option<String>,
    /// `redis` or `valkey` where ElastiCache reports it.
    pub engine: Option<String>,
    pub at_rest_encryption: bool,
    pub transit_encryption: bool,
    pub auth_token_enabled: bool,
    pub user_group_ids: Vec<String>,
    /// `enabled`, `enabling`, `disabled` or `disabling`.
    pub automatic_failover: Option<String>,
    /// `enabled` or `disabled`.
    pub multi_az: Option<String>,
    pub member_clusters: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheCluster {
    pub id: String,
    pub arn: Option<String>,
    /// `redis`, `valkey` or `memcached`.
    pub engine: String,
    pub replication_group_id: Option<String>,
    pub at_rest_encryption: bool,
    pub transit_encryption: bool,
    pub auth_token_enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerlessCache {
    pub name: String,
    pub arn: Option<String>,
    pub engine: String,
    pub user_group_id: Option<String>,
}
