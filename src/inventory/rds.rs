//! RDS's pieces, per region: instances, clusters, and the parameters of the groups
//! they use.

use super::{accessors, each_of, pieces, unique, Inventory, Memo, PerResource};
use crate::inventory::aws::ParameterGroupKind;
use crate::model::rds::{DbCluster, DbInstance, Parameters};

pieces! {
    pub struct RdsRegional {
        instances: Memo<Vec<DbInstance>>,
        clusters: Memo<Vec<DbCluster>>,
        parameters: Memo<PerResource<Parameters>>,
        cluster_parameters: Memo<PerResource<Parameters>>,
    }
}

impl Inventory {
    accessors! {
        regional rds_instances: Vec<DbInstance> = rds.instances, "DescribeDBInstances",
            |_inventory, aws, region| aws.rds_instances(region);
        regional rds_clusters: Vec<DbCluster> = rds.clusters, "DescribeDBClusters",
            |_inventory, aws, region| aws.rds_clusters(region);
        /// The parameters of every DB parameter group a stand-alone instance uses.
        regional rds_parameters: PerResource<Parameters> = rds.parameters, "DescribeDBParameters",
            |inventory, aws, region| async move {
                let groups = |instances: &Vec<DbInstance>| {
                    let standalone = instances.iter().filter(|i| i.cluster_id.is_none());
                    unique(standalone.filter_map(|i| i.parameter_group.clone()))
                };
                let listing = inventory.rds_instances(region).await;
                each_of(listing, groups, |groups| {
                    aws.rds_parameters(region, ParameterGroupKind::Instance, groups)
                })
                .await
            };
        /// The parameters of every DB cluster parameter group a cluster uses.
        regional rds_cluster_parameters: PerResource<Parameters> = rds.cluster_parameters, "DescribeDBClusterParameters",
            |inventory, aws, region| async move {
                let groups = |clusters: &Vec<DbCluster>| {
                    unique(clusters.iter().filter_map(|c| c.parameter_group.clone()))
                };
                let listing = inventory.rds_clusters(region).await;
                each_of(listing, groups, |groups| {
                    aws.rds_parameters(region, ParameterGroupKind::Cluster, groups)
                })
                .await
            };
    }
}
