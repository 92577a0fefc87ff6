use aws_sdk_elasticache::types::{
    CacheCluster as SdkCluster, ReplicationGroup as SdkGroup, ServerlessCache as SdkServerless,
    User as SdkUser, UserGroup as SdkUserGroup,
};
use aws_sdk_elasticache::Client;

use super::{instant, AwsReader};
use crate::fetched::Fetched;
use crate::model::elasticache::{
    CacheCluster, CacheUser, ReplicationGroup, ServerlessCache, UserGroup,
};

const SERVICE: &str = "elasticache";

impl AwsReader {
    fn elasticache(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn elasticache_replication_groups(
        &self,
        region: &str,
    ) -> Fetched<Vec<ReplicationGroup>> {
        let client = self.elasticache(region);
        let items = client
            .describe_replication_groups()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeReplicationGroups",
            region,
            items,
            replication_group,
        )
        .await
    }

    pub(crate) async fn elasticache_cache_clusters(
        &self,
        region: &str,
    ) -> Fetched<Vec<CacheCluster>> {
        let client = self.elasticache(region);
        let items = client
            .describe_cache_clusters()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeCacheClusters",
            region,
            items,
            cache_cluster,
        )
        .await
    }

    pub(crate) async fn elasticache_serverless_caches(
        &self,
        region: &str,
    ) -> Fetched<Vec<ServerlessCache>> {
        let client = self.elasticache(region);
        let items = client
            .describe_serverless_caches()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "DescribeServerlessCaches",
            region,
            items,
            serverless_cache,
        )
        .await
    }
}

impl AwsReader {
    /// The region's RBAC user groups, each with its users (who can sign in, and how).
    pub(crate) async fn elasticache_user_groups(&self, region: &str) -> Fetched<Vec<UserGroup>> {
        let client = self.elasticache(region);
        let groups = client
            .describe_user_groups()
            .into_paginator()
            .items()
            .send();
        let users = client.describe_users().into_paginator().items().send();
        let (groups, users) = futures::join!(
            self.listed(SERVICE, "DescribeUserGroups", region, groups, Clone::clone),
            self.listed(SERVICE, "DescribeUsers", region, users, cache_user),
        );
        match (groups, users) {
            (Fetched::Ok(groups), Fetched::Ok(users)) => {
                Fetched::Ok(groups.iter().map(|g| user_group(g, &users)).collect())
            }
            (Fetched::Error(error), _) | (_, Fetched::Error(error)) => Fetched::Error(error),
        }
    }
}

fn cache_user(user: &SdkUser) -> CacheUser {
    CacheUser {
        id: user.user_id().unwrap_or_default().to_string(),
        name: user.user_name().unwrap_or_default().to_string(),
        authentication: user
            .authentication()
            .and_then(|a| a.r#type())
            .map(|t| t.as_str().to_string()),
        access_string: user.access_string().map(str::to_string),
    }
}

fn user_group(group: &SdkUserGroup, users: &[CacheUser]) -> UserGroup {
    let (found, missing): (Vec<&String>, Vec<&String>) = group
        .user_ids()
        .iter()
        .partition(|id| users.iter().any(|u| &u.id == *id));
    UserGroup {
        id: group.user_group_id().unwrap_or_default().to_string(),
        users: found
            .into_iter()
            .filter_map(|id| users.iter().find(|u| &u.id == id).cloned())
            .collect(),
        missing_user_ids: missing.into_iter().cloned().collect(),
    }
}

fn replication_group(group: &SdkGroup) -> ReplicationGroup {
    ReplicationGroup {
        id: group.replication_group_id().unwrap_or_default().to_string(),
        arn: group.arn().map(str::to_string),
        engine: group.engine().map(str::to_string),
        at_rest_encryption: group.at_rest_encryption_enabled().unwrap_or(false),
        transit_encryption: group.transit_encryption_enabled().unwrap_or(false),
        transit_encryption_mode: group
            .transit_encryption_mode()
            .map(|m| m.as_str().to_string()),
        auth_token_enabled: group.auth_token_enabled().unwrap_or(false),
        user_group_ids: group.user_group_ids().to_vec(),
        automatic_failover: group.automatic_failover().map(|s| s.as_str().to_string()),
        multi_az: group.multi_az().map(|s| s.as_str().to_string()),
        member_clusters: group.member_clusters().to_vec(),
        description: group.description().map(str::to_string),
        node_type: group.cache_node_type().map(str::to_string),
        snapshot_retention_days: group.snapshot_retention_limit(),
        kms_key_id: group.kms_key_id().map(str::to_string),
        auto_minor_version_upgrade: group.auto_minor_version_upgrade(),
        cluster_enabled: group.cluster_enabled(),
        created: group.replication_group_create_time().and_then(instant),
    }
}

fn cache_cluster(cluster: &SdkCluster) -> CacheCluster {
    CacheCluster {
        id: cluster.cache_cluster_id().unwrap_or_default().to_string(),
        arn: cluster.arn().map(str::to_string),
        engine: cluster.engine().unwrap_or_default().to_string(),
        replication_group_id: cluster.replication_group_id().map(str::to_string),
        at_rest_encryption: cluster.at_rest_encryption_enabled().unwrap_or(false),
        transit_encryption: cluster.transit_encryption_enabled().unwrap_or(false),
        transit_encryption_mode: cluster
            .transit_encryption_mode()
            .map(|m| m.as_str().to_string()),
        auth_token_enabled: cluster.auth_token_enabled().unwrap_or(false),
        engine_version: cluster.engine_version().map(str::to_string),
        node_type: cluster.cache_node_type().map(str::to_string),
        num_cache_nodes: cluster.num_cache_nodes(),
        snapshot_retention_days: cluster.snapshot_retention_limit(),
        auto_minor_version_upgrade: cluster.auto_minor_version_upgrade(),
        subnet_group: cluster.cache_subnet_group_name().map(str::to_string),
        security_groups: cluster
            .security_groups()
            .iter()
            .filter_map(|g| g.security_group_id())
            .map(str::to_string)
            .collect(),
        created: cluster.cache_cluster_create_time().and_then(instant),
    }
}

fn serverless_cache(cache: &SdkServerless) -> ServerlessCache {
    ServerlessCache {
        name: cache
            .serverless_cache_name()
            .unwrap_or_default()
            .to_string(),
        arn: cache.arn().map(str::to_string),
        engine: cache.engine().unwrap_or_default().to_string(),
        user_group_id: cache.user_group_id().map(str::to_string),
        engine_version: cache.full_engine_version().map(str::to_string),
        major_engine_version: cache.major_engine_version().map(str::to_string),
        snapshot_retention_days: cache.snapshot_retention_limit(),
        kms_key_id: cache.kms_key_id().map(str::to_string),
        security_groups: cache.security_group_ids().to_vec(),
        subnet_ids: cache.subnet_ids().to_vec(),
        description: cache.description().map(str::to_string),
        created: cache.create_time().and_then(instant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::elasticache::{
        at_rest_encryption, auth, automatic_failover, in_transit_encryption,
    };
    use crate::checks::testing::{data, run, status_of, statuses_of, REGION};
    use crate::finding::Status;
    use crate::inventory::Memo;
    use aws_sdk_elasticache::primitives::DateTime;
    use aws_sdk_elasticache::types::{
        Authentication, AuthenticationType, AutomaticFailoverStatus, TransitEncryptionMode,
    };

    /// SDK values through the conversions and the checks: TLS in `preferred` mode
    /// FAILs, and so does an RBAC group whose `default` user has no password.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        let sdk_group = |id: &str, mode: TransitEncryptionMode, user_group: &str| {
            SdkGroup::builder()
                .replication_group_id(id)
                .transit_encryption_enabled(true)
                .transit_encryption_mode(mode)
                .auth_token_enabled(false)
                .user_group_ids(user_group)
                .build()
        };
        let groups = vec![
            replication_group(&sdk_group(
                "open",
                TransitEncryptionMode::Preferred,
                "open-users",
            )),
            replication_group(&sdk_group(
                "closed",
                TransitEncryptionMode::Required,
                "closed-users",
            )),
        ];
        let user = |id: &str, name: &str, kind: AuthenticationType, access: &str| {
            cache_user(
                &SdkUser::builder()
                    .user_id(id)
                    .user_name(name)
                    .authentication(Authentication::builder().r#type(kind).build())
                    .access_string(access)
                    .build(),
            )
        };
        let users = vec![
            user(
                "open-default",
                "default",
                AuthenticationType::NoPassword,
                "on ~* +@all",
            ),
            user(
                "closed-default",
                "default",
                AuthenticationType::NoPassword,
                "off ~* -@all",
            ),
            user("app", "app", AuthenticationType::Iam, "on ~* +@all"),
        ];
        let user_groups = [
            ("open-users", "open-default"),
            ("closed-users", "closed-default"),
        ]
        .iter()
        .map(|(group, default)| {
            user_group(
                &SdkUserGroup::builder()
                    .user_group_id(*group)
                    .user_ids(*default)
                    .user_ids("app")
                    .build(),
                &users,
            )
        })
        .collect();
        let user_groups: Vec<UserGroup> = user_groups;
        let account = || {
            let mut data = data();
            let pieces = &mut data.region_mut(REGION).elasticache;
            pieces.replication_groups = Memo::ready(Fetched::Ok(groups.clone()));
            pieces.cache_clusters = Memo::ready(Fetched::Ok(vec![]));
            pieces.serverless_caches = Memo::ready(Fetched::Ok(vec![]));
            pieces.user_groups = Memo::ready(Fetched::Ok(user_groups.clone()));
            data
        };
        let transit = run(account(), true, in_transit_encryption).await;
        assert_eq!(status_of(&transit, "replicationgroup:open"), Status::Fail);
        assert_eq!(status_of(&transit, "replicationgroup:closed"), Status::Pass);
        let authenticated = run(account(), true, auth).await;
        assert_eq!(
            status_of(&authenticated, "replicationgroup:open"),
            Status::Fail
        );
        assert_eq!(
            status_of(&authenticated, "replicationgroup:closed"),
            Status::Pass
        );

        // At rest and failover, from the same SDK shapes.
        let group = |id: &str, secure: bool| {
            replication_group(
                &SdkGroup::builder()
                    .replication_group_id(id)
                    .at_rest_encryption_enabled(secure)
                    .automatic_failover(if secure {
                        AutomaticFailoverStatus::Enabled
                    } else {
                        AutomaticFailoverStatus::Disabled
                    })
                    .build(),
            )
        };
        let memcached = cache_cluster(
            &SdkCluster::builder()
                .cache_cluster_id("pages")
                .engine("memcached")
                .build(),
        );
        let resilient = || {
            let mut data = data();
            let pieces = &mut data.region_mut(REGION).elasticache;
            pieces.replication_groups = Memo::ready(Fetched::Ok(vec![
                group("safe", true),
                group("fragile", false),
            ]));
            pieces.cache_clusters = Memo::ready(Fetched::Ok(vec![memcached.clone()]));
            pieces.serverless_caches = Memo::ready(Fetched::Ok(vec![]));
            data
        };
        let ids = [
            "replicationgroup:safe",
            "replicationgroup:fragile",
            "cluster:pages",
        ];
        let (pass, fail, na) = (Status::Pass, Status::Fail, Status::NotApplicable);
        let found = run(resilient(), true, at_rest_encryption).await;
        assert_eq!(statuses_of(&found, &ids), [pass, fail, na]);
        let found = run(resilient(), true, automatic_failover).await;
        assert_eq!(statuses_of(&found, &ids), [pass, fail, na]);
    }

    // moto does not implement DescribeServerlessCaches: tested on an SDK value.
    #[test]
    fn serverless_caches_convert() {
        let cache = SdkServerless::builder()
            .serverless_cache_name("sessions")
            .engine("valkey")
            .user_group_id("app-users")
            .full_engine_version("8.0")
            .major_engine_version("8")
            .snapshot_retention_limit(7)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .security_group_ids("sg-0123")
            .subnet_ids("subnet-a")
            .subnet_ids("subnet-b")
            .description("web sessions")
            .create_time(DateTime::from_secs(1_700_000_000))
            .build();
        let converted = serverless_cache(&cache);
        assert_eq!(converted.name, "sessions");
        assert_eq!(converted.user_group_id.as_deref(), Some("app-users"));
        assert_eq!(
            (
                converted.engine_version.as_deref(),
                converted.major_engine_version.as_deref(),
                converted.snapshot_retention_days,
                converted.kms_key_id.as_deref(),
            ),
            (
                Some("8.0"),
                Some("8"),
                Some(7),
                Some("arn:aws:kms:us-east-1:123456789012:key/k")
            )
        );
        assert_eq!(
            (converted.security_groups, converted.subnet_ids),
            (
                vec!["sg-0123".to_string()],
                vec!["subnet-a".to_string(), "subnet-b".to_string()]
            )
        );
        assert_eq!(converted.description.as_deref(), Some("web sessions"));
        assert_eq!(
            converted.created.map(|t| t.timestamp()),
            Some(1_700_000_000)
        );
    }

    /// What DescribeReplicationGroups and DescribeCacheClusters say of the cache itself
    /// comes through; absent values stay absent.
    #[test]
    fn groups_and_clusters_carry_their_attributes() {
        use aws_sdk_elasticache::types::SecurityGroupMembership;

        let group = replication_group(
            &SdkGroup::builder()
                .replication_group_id("sessions")
                .description("web sessions")
                .cache_node_type("cache.r7g.large")
                .snapshot_retention_limit(5)
                .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
                .auto_minor_version_upgrade(true)
                .cluster_enabled(false)
                .replication_group_create_time(DateTime::from_secs(1_700_000_000))
                .build(),
        );
        assert_eq!(
            (
                group.description.as_deref(),
                group.node_type.as_deref(),
                group.snapshot_retention_days,
                group.kms_key_id.as_deref(),
                group.auto_minor_version_upgrade,
                group.cluster_enabled,
                group.created.map(|t| t.timestamp()),
            ),
            (
                Some("web sessions"),
                Some("cache.r7g.large"),
                Some(5),
                Some("arn:aws:kms:us-east-1:123456789012:key/k"),
                Some(true),
                Some(false),
                Some(1_700_000_000)
            )
        );
        let cluster = cache_cluster(
            &SdkCluster::builder()
                .cache_cluster_id("pages")
                .engine("memcached")
                .engine_version("1.6.22")
                .cache_node_type("cache.t4g.micro")
                .num_cache_nodes(2)
                .snapshot_retention_limit(0)
                .auto_minor_version_upgrade(false)
                .cache_subnet_group_name("private")
                .security_groups(
                    SecurityGroupMembership::builder()
                        .security_group_id("sg-0123")
                        .build(),
                )
                .cache_cluster_create_time(DateTime::from_secs(1_700_000_000))
                .build(),
        );
        assert_eq!(
            (
                cluster.engine_version.as_deref(),
                cluster.node_type.as_deref(),
                cluster.num_cache_nodes,
                cluster.snapshot_retention_days,
                cluster.auto_minor_version_upgrade,
                cluster.subnet_group.as_deref(),
            ),
            (
                Some("1.6.22"),
                Some("cache.t4g.micro"),
                Some(2),
                Some(0),
                Some(false),
                Some("private")
            )
        );
        assert_eq!(cluster.security_groups, ["sg-0123"]);
        assert_eq!(cluster.created.map(|t| t.timestamp()), Some(1_700_000_000));
        let bare = cache_cluster(&SdkCluster::builder().cache_cluster_id("x").build());
        assert_eq!(
            (bare.engine_version, bare.node_type, bare.created),
            (None, None, None)
        );
    }
}
