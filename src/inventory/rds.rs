//! RDS's pieces, per region: instances, clusters, the parameters of the groups they
//! use, and the options of Oracle instances' option groups; manual snapshots and who
//! may restore them.

use super::{accessors, each_of, pieces, then, unique, Fetched, Memo, PerResource};
use crate::inventory::aws::ParameterGroupKind;
use crate::model::rds::{is_oracle, DbCluster, DbInstance, DbOption, DbSnapshot, Parameters};

pieces! {
    pub struct RdsRegional {
        instances: Memo<Vec<DbInstance>>,
        clusters: Memo<Vec<DbCluster>>,
        parameters: Memo<PerResource<Parameters>>,
        cluster_parameters: Memo<PerResource<Parameters>>,
        option_groups: Memo<PerResource<Vec<DbOption>>>,
        snapshots: Memo<Vec<DbSnapshot>>,
        snapshot_restore: Memo<PerResource<Vec<String>>>,
    }
}

accessors! {
    iam "rds";
    regional rds_instances: Vec<DbInstance> = rds.instances, "DescribeDBInstances",
        |_inventory, aws, region| aws.rds_instances(region);
    regional rds_clusters: Vec<DbCluster> = rds.clusters, "DescribeDBClusters",
        |_inventory, aws, region| aws.rds_clusters(region);
    /// The parameters of every DB parameter group a stand-alone instance uses.
    regional rds_parameters: PerResource<Parameters> = rds.parameters, "DescribeDBParameters" after [rds_instances],
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
    regional rds_cluster_parameters: PerResource<Parameters> = rds.cluster_parameters, "DescribeDBClusterParameters" after [rds_clusters],
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
    /// The options of every option group an Oracle instance uses (where Oracle's
    /// network encryption and TLS listener are configured).
    regional rds_option_groups: PerResource<Vec<DbOption>> = rds.option_groups, "DescribeOptionGroups",
        each rds_instances(|instances: &Vec<DbInstance>| {
                let oracle = instances.iter().filter(|i| is_oracle(&i.engine));
                unique(oracle.flat_map(|i| i.option_groups.clone()))
            }) |aws, region, groups| aws.rds_option_groups(region, groups);
    /// Manual DB snapshots and DB cluster snapshots the account owns.
    regional rds_snapshots: Vec<DbSnapshot> = rds.snapshots, "DescribeDBSnapshots" "DescribeDBClusterSnapshots",
        |_inventory, aws, region| aws.rds_manual_snapshots(region);
    /// Each manual snapshot's `restore` attribute values, keyed by its ARN.
    regional rds_snapshot_restore: PerResource<Vec<String>> = rds.snapshot_restore, "DescribeDBSnapshotAttributes" "DescribeDBClusterSnapshotAttributes" after [rds_snapshots],
        |inventory, aws, region| async move {
            let listing = inventory.rds_snapshots(region).await;
            then(listing, |snapshots| async move {
                Fetched::Ok(aws.rds_snapshot_restore(region, snapshots).await)
            })
            .await
        };
}
