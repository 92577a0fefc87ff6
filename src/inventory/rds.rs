//! RDS's pieces, per region: instances, clusters, the parameters of the groups they
//! use, and the options of Oracle instances' option groups; manual snapshots and who
//! may restore them. Account-wide: the manual snapshots of every enabled region and,
//! up to a bound, who may restore them.

use super::ec2::in_every_enabled_region;
use super::{accessors, each_of, pieces, then, unique, Fetched, Memo, PerResource};
use crate::inventory::aws::ParameterGroupKind;
use crate::model::rds::{
    is_oracle, DbCluster, DbInstance, DbOption, DbSnapshot, Parameters, RegionDbSnapshots,
};

/// RDS has no filter for public snapshots: each one's `restore` attribute is its own
/// call. An account with tens of thousands of manual snapshots would spend the run on
/// them, so at most this many are read a region; the rest are named as unread (ERROR).
pub const SNAPSHOT_ATTRIBUTE_READS_PER_REGION: usize = 1000;

pieces! {
    pub struct RdsGlobal {
        snapshots_everywhere: Memo<PerResource<RegionDbSnapshots>>,
    }
}

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
    /// The manual snapshots of every enabled region, keyed by region (an audited
    /// region's listing is its `rds.snapshots`, read once), with the `restore`
    /// attribute of the first [`SNAPSHOT_ATTRIBUTE_READS_PER_REGION`] of each region.
    global rds_snapshots_everywhere: PerResource<RegionDbSnapshots> = rds.snapshots_everywhere, "DescribeDBSnapshotAttributes" "DescribeDBClusterSnapshotAttributes" after [ec2_enabled_regions, rds_snapshots],
        |inventory, aws| in_every_enabled_region(inventory, move |region| async move {
            let listing = if inventory.audits(&region) {
                inventory.rds_snapshots(&region).await.clone()
            } else {
                aws.rds_manual_snapshots(&region).await
            };
            let snapshots = match listing {
                Fetched::Ok(snapshots) => snapshots,
                Fetched::Error(error) => return Fetched::Error(error),
            };
            let (read, unread) = snapshots.split_at(snapshots.len().min(SNAPSHOT_ATTRIBUTE_READS_PER_REGION));
            let restore = aws.rds_snapshot_restore(&region, read).await;
            let unread = unread.iter().map(|s| s.arn.clone()).collect();
            Fetched::Ok(RegionDbSnapshots { snapshots, restore, unread })
        });
}
