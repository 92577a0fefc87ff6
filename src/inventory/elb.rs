//! Classic Load Balancer pieces, per region: the load balancers (with their listeners)
//! and each one's attributes. The v2 API (`elbv2.rs`) does not list them.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::elb::{ClassicAttributes, ClassicLoadBalancer};

pieces! {
    pub struct ElbRegional {
        load_balancers: Memo<Vec<ClassicLoadBalancer>>,
        attributes: Memo<PerResource<ClassicAttributes>>,
    }
}

accessors! {
    iam "elasticloadbalancing";
    /// The Classic Load Balancers, their listeners included; ARNs built in the account's
    /// partition (DescribeLoadBalancers names none).
    regional elb_load_balancers: Vec<ClassicLoadBalancer> = elb.load_balancers, "DescribeLoadBalancers",
        |inventory, aws, region| aws.elb_load_balancers(region, inventory.partition(), inventory.account_id());
    /// Each Classic Load Balancer's attributes, keyed by its name.
    regional elb_attributes: PerResource<ClassicAttributes> = elb.attributes, "DescribeLoadBalancerAttributes",
        each elb_load_balancers(|lbs: &Vec<ClassicLoadBalancer>| lbs.iter().map(|lb| lb.name.clone()).collect()) |aws, region, names| aws.elb_attributes(region, names);
}
