//! EC2's pieces, per region: security groups, the entries of the prefix lists their
//! rules name, EBS default encryption, route tables and VPC endpoints.

use super::{accessors, each_of, pieces, unique, Inventory, Memo, PerResource};
use crate::model::ec2::{RouteTable, SecurityGroup, VpcEndpoint};

pieces! {
    pub struct Ec2Regional {
        security_groups: Memo<Vec<SecurityGroup>>,
        prefix_list_entries: Memo<PerResource<Vec<String>>>,
        ebs_encryption_by_default: Memo<bool>,
        route_tables: Memo<Vec<RouteTable>>,
        vpc_endpoints: Memo<Vec<VpcEndpoint>>,
    }
}

impl Inventory {
    accessors! {
        regional ec2_security_groups: Vec<SecurityGroup> = ec2.security_groups, "DescribeSecurityGroups",
            |_inventory, aws, region| aws.ec2_security_groups(region);
        /// The CIDRs of every prefix list an ingress rule names, keyed by its id.
        regional ec2_prefix_list_entries: PerResource<Vec<String>> = ec2.prefix_list_entries, "GetManagedPrefixListEntries",
            |inventory, aws, region| async move {
                let named = |groups: &Vec<SecurityGroup>| {
                    unique(groups.iter().flat_map(|g| &g.ingress).flat_map(|r| r.prefix_lists.clone()))
                };
                let listing = inventory.ec2_security_groups(region).await;
                each_of(listing, named, |ids| aws.ec2_prefix_list_entries(region, ids)).await
            };
        regional ec2_ebs_encryption_by_default: bool = ec2.ebs_encryption_by_default, "GetEbsEncryptionByDefault",
            |_inventory, aws, region| aws.ec2_ebs_encryption_by_default(region);
        regional ec2_route_tables: Vec<RouteTable> = ec2.route_tables, "DescribeRouteTables",
            |_inventory, aws, region| aws.ec2_route_tables(region);
        regional ec2_vpc_endpoints: Vec<VpcEndpoint> = ec2.vpc_endpoints, "DescribeVpcEndpoints",
            |_inventory, aws, region| aws.ec2_vpc_endpoints(region);
    }
}
