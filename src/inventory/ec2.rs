//! EC2's pieces, per region: security groups, the entries of the prefix lists their
//! rules name, EBS default encryption, route tables, subnets and VPC endpoints;
//! instances, VPCs, their flow logs and the network interfaces in the default VPC; the
//! snapshots and AMIs the account owns, who may use them, and snapshot block public
//! access. Account-wide: the enabled regions, and the public snapshots and owned AMIs
//! of every one of them (exposure in a region nobody audits is still exposure).

use std::future::Future;

use super::{accessors, each_of, pieces, then, unique, Fetched, Inventory, Memo, PerResource};
use crate::model::autoscaling::AutoScalingGroup;
use crate::model::ec2::{
    CreateVolumePermissions, FlowLog, Image, Instance, InstanceMetadataDefaults,
    LaunchTemplateVersion, PublicSnapshots, RouteTable, SecurityGroup, Snapshot, Subnet, Vpc,
    VpcEndpoint,
};

pieces! {
    pub struct Ec2Global {
        enabled_regions: Memo<Vec<String>>,
        public_snapshots_everywhere: Memo<PerResource<PublicSnapshots>>,
        images_everywhere: Memo<PerResource<Vec<Image>>>,
    }
}

pieces! {
    pub struct Ec2Regional {
        security_groups: Memo<Vec<SecurityGroup>>,
        prefix_list_entries: Memo<PerResource<Vec<String>>>,
        ebs_encryption_by_default: Memo<bool>,
        route_tables: Memo<Vec<RouteTable>>,
        subnets: Memo<Vec<Subnet>>,
        vpc_endpoints: Memo<Vec<VpcEndpoint>>,
        instances: Memo<Vec<Instance>>,
        vpcs: Memo<Vec<Vpc>>,
        flow_logs: Memo<Vec<FlowLog>>,
        default_vpc_interfaces: Memo<PerResource<Vec<String>>>,
        snapshots: Memo<Vec<Snapshot>>,
        /// Each snapshot's `createVolumePermission`, read one call a snapshot before the
        /// account-wide sweep listed public snapshots in one: kept so that older
        /// snapshots load, read no more.
        snapshot_permissions: Memo<PerResource<CreateVolumePermissions>>,
        snapshot_block_public_access: Memo<Option<String>>,
        images: Memo<Vec<Image>>,
        instance_metadata_defaults: Memo<InstanceMetadataDefaults>,
        launch_template_versions: Memo<PerResource<Vec<LaunchTemplateVersion>>>,
    }
}

accessors! {
    iam "ec2";
    regional ec2_security_groups: Vec<SecurityGroup> = ec2.security_groups, "DescribeSecurityGroups",
        |_inventory, aws, region| aws.ec2_security_groups(region);
    /// The CIDRs of every prefix list an ingress rule names, keyed by its id.
    regional ec2_prefix_list_entries: PerResource<Vec<String>> = ec2.prefix_list_entries, "GetManagedPrefixListEntries",
        each ec2_security_groups(|groups: &Vec<SecurityGroup>| {
                unique(groups.iter().flat_map(|g| &g.ingress).flat_map(|r| r.prefix_lists.clone()))
            }) |aws, region, ids| aws.ec2_prefix_list_entries(region, ids);
    regional ec2_ebs_encryption_by_default: bool = ec2.ebs_encryption_by_default, "GetEbsEncryptionByDefault",
        |_inventory, aws, region| aws.ec2_ebs_encryption_by_default(region);
    regional ec2_route_tables: Vec<RouteTable> = ec2.route_tables, "DescribeRouteTables",
        |_inventory, aws, region| aws.ec2_route_tables(region);
    regional ec2_subnets: Vec<Subnet> = ec2.subnets, "DescribeSubnets",
        |_inventory, aws, region| aws.ec2_subnets(region);
    regional ec2_vpc_endpoints: Vec<VpcEndpoint> = ec2.vpc_endpoints, "DescribeVpcEndpoints",
        |_inventory, aws, region| aws.ec2_vpc_endpoints(region);
    regional ec2_instances: Vec<Instance> = ec2.instances, "DescribeInstances",
        |_inventory, aws, region| aws.ec2_instances(region);
    regional ec2_vpcs: Vec<Vpc> = ec2.vpcs, "DescribeVpcs",
        |_inventory, aws, region| aws.ec2_vpcs(region);
    regional ec2_flow_logs: Vec<FlowLog> = ec2.flow_logs, "DescribeFlowLogs",
        |_inventory, aws, region| aws.ec2_flow_logs(region);
    /// The network interfaces in the account's own default VPC (at most one a region),
    /// keyed by VPC id: whether anything runs in it.
    regional ec2_default_vpc_interfaces: PerResource<Vec<String>> = ec2.default_vpc_interfaces, "DescribeNetworkInterfaces" after [ec2_vpcs],
        |inventory, aws, region| async move {
            let account = inventory.account_id();
            let defaults = |vpcs: &Vec<Vpc>| {
                vpcs.iter()
                    .filter(|v| v.is_own_default(account))
                    .map(|v| v.id.clone())
                    .collect()
            };
            let listing = inventory.ec2_vpcs(region).await;
            each_of(listing, defaults, |ids| aws.ec2_vpc_interfaces(region, ids)).await
        };
    /// The EBS snapshots the account owns.
    regional ec2_snapshots: Vec<Snapshot> = ec2.snapshots, "DescribeSnapshots",
        |_inventory, aws, region| aws.ec2_snapshots(region);
    /// The region's block public access for snapshots: `block-all-sharing`,
    /// `block-new-sharing` or `unblocked` (`None` where the answer gives no state).
    regional ec2_snapshot_block_public_access: Option<String> = ec2.snapshot_block_public_access, "GetSnapshotBlockPublicAccessState",
        |_inventory, aws, region| aws.ec2_snapshot_block_public_access(region);
    /// The AMIs the account owns.
    regional ec2_images: Vec<Image> = ec2.images, "DescribeImages",
        |_inventory, aws, region| aws.ec2_images(region);
    /// The region's account-level instance metadata defaults for new instances.
    regional ec2_instance_metadata_defaults: InstanceMetadataDefaults = ec2.instance_metadata_defaults, "GetInstanceMetadataDefaults",
        |_inventory, aws, region| aws.ec2_instance_metadata_defaults(region);
    /// The launch template versions the Auto Scaling groups launch from (their own and
    /// their mixed instances policy's), keyed by how a group names the template: its id,
    /// else its name.
    regional ec2_launch_template_versions: PerResource<Vec<LaunchTemplateVersion>> = ec2.launch_template_versions, "DescribeLaunchTemplateVersions" after [autoscaling_groups],
        |inventory, aws, region| async move {
            let launched = |groups: &Vec<AutoScalingGroup>| {
                groups.iter().flat_map(|g| g.launch_templates()).cloned().collect()
            };
            then(inventory.autoscaling_groups(region).await, |groups| async move {
                Fetched::Ok(aws.ec2_launch_template_versions(region, launched(groups)).await)
            })
            .await
        };
    /// The account's enabled regions (DescribeRegions from the first audited region):
    /// where the account-wide sweeps read.
    global ec2_enabled_regions: Vec<String> = ec2.enabled_regions, "DescribeRegions",
        |inventory, aws| async move {
            aws.ec2_enabled_regions(inventory.home_region()).await.map(|found| found.regions).into()
        };
    /// The account's public EBS snapshots in every enabled region, keyed by region, with
    /// the region's block public access where one is public.
    global ec2_public_snapshots_everywhere: PerResource<PublicSnapshots> = ec2.public_snapshots_everywhere, "DescribeSnapshots" "GetSnapshotBlockPublicAccessState" after [ec2_enabled_regions],
        |inventory, aws| in_every_enabled_region(inventory, move |region| async move {
            let snapshots = match aws.ec2_public_snapshots(&region).await {
                Fetched::Ok(snapshots) => snapshots,
                Fetched::Error(error) => return Fetched::Error(error),
            };
            let block_public_access = if snapshots.is_empty() {
                None
            } else if inventory.audits(&region) {
                Some(inventory.ec2_snapshot_block_public_access(&region).await.clone())
            } else {
                Some(aws.ec2_snapshot_block_public_access(&region).await)
            };
            Fetched::Ok(PublicSnapshots { snapshots, block_public_access })
        });
    /// The AMIs the account owns in every enabled region, keyed by region (an audited
    /// region's are its `ec2.images`, read once).
    global ec2_images_everywhere: PerResource<Vec<Image>> = ec2.images_everywhere, "DescribeImages" after [ec2_enabled_regions, ec2_images],
        |inventory, aws| in_every_enabled_region(inventory, move |region| async move {
            if inventory.audits(&region) {
                inventory.ec2_images(&region).await.clone()
            } else {
                aws.ec2_images(&region).await
            }
        });
}

/// Runs `read` in every enabled region at once (the run's bound on requests in flight
/// still applies), keyed by region: a region whose read fails costs only its own answer;
/// enabled regions that cannot be listed are this read's error.
pub(crate) async fn in_every_enabled_region<'a, T, Fut>(
    inventory: &'a Inventory,
    read: impl Fn(String) -> Fut,
) -> Fetched<PerResource<T>>
where
    Fut: Future<Output = Fetched<T>> + 'a,
{
    then(
        inventory.ec2_enabled_regions().await,
        |regions| async move {
            let reads = regions.iter().map(|region| {
                let answer = read(region.clone());
                async move { (region.clone(), answer.await) }
            });
            Fetched::Ok(futures::future::join_all(reads).await.into_iter().collect())
        },
    )
    .await
}

impl Inventory {
    /// Whether `region` is one of the run's audited regions (whose regional pieces exist).
    pub fn audits(&self, region: &str) -> bool {
        self.regions().iter().any(|audited| audited == region)
    }
}

impl super::named::PieceValue for InstanceMetadataDefaults {}
