use serde::{Deserialize, Serialize};

/// The organization the audited account belongs to, as `DescribeOrganization` tells any
/// of its accounts: where the controls the organization centralises (its trail, its
/// budgets and anomaly monitors) are judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organization {
    pub id: String,
    pub management_account_id: String,
}
