//! EC2's pieces, per region: security groups, the entries of the prefix lists their
//! rules name, EBS default encryption, route tables, subnets and VPC endpoints;
//! instances, VPCs, their flow logs and the network interfaces in the default VPC; the
//! snapshots and AMIs the account owns, who may use them, and snapshot block public
//! access.

use super::{accessors, each_of, pieces, unique, Memo, PerResource};
use crate::model::ec2::{
    CreateVolumePermissions, FlowLog, Image, Instance, RouteTable, SecurityGroup, Snapshot, Subnet,
    Vpc, VpcEndpoint,
};

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
        snapshot_permissions: Memo<PerResource<CreateVolumePermissions>>,
        snapshot_block_public_access: Memo<Option<String>>,
        images: Memo<Vec<Image>>,
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
    /// Each owned snapshot's `createVolumePermission`, keyed by snapshot id.
    regional ec2_snapshot_permissions: PerResource<CreateVolumePermissions> = ec2.snapshot_permissions, "DescribeSnapshotAttribute",
        each ec2_snapshots(|snapshots: &Vec<Snapshot>| snapshots.iter().map(|s| s.id.clone()).collect()) |aws, region, ids| aws.ec2_snapshot_permissions(region, ids);
    /// The region's block public access for snapshots: `block-all-sharing`,
    /// `block-new-sharing` or `unblocked` (`None` where the answer gives no state).
    regional ec2_snapshot_block_public_access: Option<String> = ec2.snapshot_block_public_access, "GetSnapshotBlockPublicAccessState",
        |_inventory, aws, region| aws.ec2_snapshot_block_public_access(region);
    /// The AMIs the account owns.
    regional ec2_images: Vec<Image> = ec2.images, "DescribeImages",
        |_inventory, aws, region| aws.ec2_images(region);
}
