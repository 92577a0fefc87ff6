//! EC2's pieces, per region: security groups, EBS default encryption, route tables
//! and VPC endpoints.

use super::{accessors, pieces, Inventory, Memo};
use crate::model::ec2::{RouteTable, SecurityGroup, VpcEndpoint};

pieces! {
    pub struct Ec2Regional {
        security_groups: Memo<Vec<SecurityGroup>>,
        ebs_encryption_by_default: Memo<bool>,
        route_tables: Memo<Vec<RouteTable>>,
        vpc_endpoints: Memo<Vec<VpcEndpoint>>,
    }
}

impl Inventory {
    accessors! {
        regional ec2_security_groups: Vec<SecurityGroup> = ec2.security_groups, "DescribeSecurityGroups",
            |_inventory, aws, region| aws.ec2_security_groups(region);
        regional ec2_ebs_encryption_by_default: bool = ec2.ebs_encryption_by_default, "GetEbsEncryptionByDefault",
            |_inventory, aws, region| aws.ec2_ebs_encryption_by_default(region);
        regional ec2_route_tables: Vec<RouteTable> = ec2.route_tables, "DescribeRouteTables",
            |_inventory, aws, region| aws.ec2_route_tables(region);
        regional ec2_vpc_endpoints: Vec<VpcEndpoint> = ec2.vpc_endpoints, "DescribeVpcEndpoints",
            |_inventory, aws, region| aws.ec2_vpc_endpoints(region);
    }
}
