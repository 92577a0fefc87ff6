//! ElastiCache's pieces, per region: replication groups, node-based clusters and
//! serverless caches, each read on its own so one failing listing costs only its kind.

use super::{accessors, pieces, Inventory, Memo};
use crate::model::elasticache::{CacheCluster, ReplicationGroup, ServerlessCache};

pieces! {
    pub struct ElastiCacheRegional {
        replication_groups: Memo<Vec<ReplicationGroup>>,
        cache_clusters: Memo<Vec<CacheCluster>>,
        serverless_caches: Memo<Vec<ServerlessCache>>,
    }
}

impl Inventory {
    accessors! {
        regional elasticache_replication_groups: Vec<ReplicationGroup> = elasticache.replication_groups, "DescribeReplicationGroups",
            |_inventory, aws, region| aws.elasticache_replication_groups(region);
        regional elasticache_cache_clusters: Vec<CacheCluster> = elasticache.cache_clusters, "DescribeCacheClusters",
            |_inventory, aws, region| aws.elasticache_cache_clusters(region);
        regional elasticache_serverless_caches: Vec<ServerlessCache> = elasticache.serverless_caches, "DescribeServerlessCaches",
            |_inventory, aws, region| aws.elasticache_serverless_caches(region);
    }
}
