//! EC2 Auto Scaling's pieces, per region: the groups.

use super::{accessors, pieces, Memo};
use crate::model::autoscaling::AutoScalingGroup;

pieces! {
    pub struct AutoScalingRegional {
        groups: Memo<Vec<AutoScalingGroup>>,
    }
}

accessors! {
    iam "autoscaling";
    regional autoscaling_groups: Vec<AutoScalingGroup> = autoscaling.groups, "DescribeAutoScalingGroups",
        |_inventory, aws, region| aws.autoscaling_groups(region);
}
