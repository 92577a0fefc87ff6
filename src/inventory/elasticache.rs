//! ElastiCache's pieces, per region: replication groups, node-based clusters and
//! serverless caches, each read on its own so one failing listing costs only its kind;
//! RBAC user groups with their users only when a cache uses one.

use super::{accessors, pieces, Memo};
use crate::model::elasticache::{CacheCluster, ReplicationGroup, ServerlessCache, UserGroup};

pieces! {
    pub struct ElastiCacheRegional {
        replication_groups: Memo<Vec<ReplicationGroup>>,
        cache_clusters: Memo<Vec<CacheCluster>>,
        serverless_caches: Memo<Vec<ServerlessCache>>,
        user_groups: Memo<Vec<UserGroup>>,
    }
}

accessors! {
    iam "elasticache";
    regional elasticache_replication_groups: Vec<ReplicationGroup> = elasticache.replication_groups, "DescribeReplicationGroups",
        |_inventory, aws, region| aws.elasticache_replication_groups(region);
    regional elasticache_cache_clusters: Vec<CacheCluster> = elasticache.cache_clusters, "DescribeCacheClusters",
        |_inventory, aws, region| aws.elasticache_cache_clusters(region);
    regional elasticache_serverless_caches: Vec<ServerlessCache> = elasticache.serverless_caches, "DescribeServerlessCaches",
        |_inventory, aws, region| aws.elasticache_serverless_caches(region);
    regional elasticache_user_groups: Vec<UserGroup> = elasticache.user_groups, "DescribeUserGroups" "DescribeUsers",
        |_inventory, aws, region| aws.elasticache_user_groups(region);
}
