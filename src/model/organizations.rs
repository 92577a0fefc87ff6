use serde::{Deserialize, Serialize};

/// The organization the audited account belongs to, as `DescribeOrganization` tells any
/// of its accounts: where the controls the organization centralises (its trail, its
/// budgets and anomaly monitors) are judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organization {
    /// The organization's ID (`o-` and 10 to 32 characters).
    pub id: String,
    /// `MasterAccountId`: the ID of the organization's management account.
    pub management_account_id: String,
}
