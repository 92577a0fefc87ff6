use aws_sdk_elasticache::types::{AuthenticationType, TransitEncryptionMode};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplicationGroup {
    pub id: String,
    pub arn: Option<String>,
    /// `redis` or `valkey` where ElastiCache reports it.
    pub engine: Option<String>,
    pub at_rest_encryption: bool,
    pub transit_encryption: bool,
    /// `required` or `preferred` (TLS optional: plaintext connections still accepted);
    /// absent on engines older than the setting, where TLS on meant required.
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    pub auth_token_enabled: bool,
    pub user_group_ids: Vec<String>,
    /// `enabled`, `enabling`, `disabled` or `disabling`.
    pub automatic_failover: Option<String>,
    /// `enabled` or `disabled`.
    pub multi_az: Option<String>,
    pub member_clusters: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheCluster {
    pub id: String,
    pub arn: Option<String>,
    /// `redis`, `valkey` or `memcached`.
    pub engine: String,
    pub replication_group_id: Option<String>,
    pub at_rest_encryption: bool,
    pub transit_encryption: bool,
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    pub auth_token_enabled: bool,
}

/// Whether a cache refuses plaintext: TLS on, and not in `preferred` mode, where AWS
/// keeps accepting unencrypted connections during a migration.
pub fn requires_tls(enabled: bool, mode: Option<&str>) -> bool {
    enabled && mode.map(TransitEncryptionMode::from) != Some(TransitEncryptionMode::Preferred)
}

/// An RBAC user group with its users, as DescribeUserGroups and DescribeUsers give them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UserGroup {
    pub id: String,
    pub users: Vec<CacheUser>,
    /// User ids the group lists that DescribeUsers did not return.
    #[serde(default)]
    pub missing_user_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheUser {
    pub id: String,
    pub name: String,
    /// `password`, `no-password` or `iam`.
    pub authentication: Option<String>,
    /// Redis ACL rules, e.g. `on ~* +@all`.
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServerlessCache {
    pub name: String,
    pub arn: Option<String>,
    pub engine: String,
    pub user_group_id: Option<String>,
}
