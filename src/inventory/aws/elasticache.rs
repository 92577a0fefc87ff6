use aws_sdk_elasticache::types::{
    CacheCluster as SdkCluster, ReplicationGroup as SdkGroup, ServerlessCache as SdkServerless,
};
use aws_sdk_elasticache::Client;

use super::AwsReader;
use crate::inventory::memo::Fetched;
use crate::model::elasticache::{CacheCluster, ReplicationGroup, ServerlessCache};

const SERVICE: &str = "elasticache";

impl AwsReader {
    fn elasticache(&self, region: &str) -> Client {
        Client::new(&self.region_config(region))
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

fn replication_group(group: &SdkGroup) -> ReplicationGroup {
    ReplicationGroup {
        id: group.replication_group_id().unwrap_or_default().to_string(),
        arn: group.arn().map(str::to_string),
        engine: group.engine().map(str::to_string),
        at_rest_encryption: group.at_rest_encryption_enabled().unwrap_or(false),
        transit_encryption: group.transit_encryption_enabled().unwrap_or(false),
        auth_token_enabled: group.auth_token_enabled().unwrap_or(false),
        user_group_ids: group.user_group_ids().to_vec(),
        automatic_failover: group.automatic_failover().map(|s| s.as_str().to_string()),
        multi_az: group.multi_az().map(|s| s.as_str().to_string()),
        member_clusters: group.member_clusters().to_vec(),
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
        auth_token_enabled: cluster.auth_token_enabled().unwrap_or(false),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // moto does not implement DescribeServerlessCaches: tested on an SDK value.
    #[test]
    fn serverless_caches_convert() {
        let cache = SdkServerless::builder()
            .serverless_cache_name("sessions")
            .engine("valkey")
            .user_group_id("app-users")
            .build();
        let converted = serverless_cache(&cache);
        assert_eq!(converted.name, "sessions");
        assert_eq!(converted.user_group_id.as_deref(), Some("app-users"));
    }
}
