use serde::{Deserialize, Serialize};

/// Security Hub in a region where it is enabled (DescribeHub).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hub {
    /// `HubArn`.
    pub arn: String,
    /// `SubscribedAt`: when Security Hub was enabled in the region (ISO 8601 text, as AWS
    /// sends it).
    pub subscribed_at: Option<String>,
}

/// A security standard enabled in Security Hub (GetEnabledStandards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StandardSubscription {
    /// `StandardsSubscriptionArn`: this account's subscription to the standard.
    pub subscription_arn: String,
    /// `StandardsArn`: the standard and its version, e.g.
    /// `arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0`.
    pub standards_arn: String,
    /// `READY`, `PENDING`, `INCOMPLETE`, `DELETING` or `FAILED`.
    pub status: String,
}

impl StandardSubscription {
    /// The AWS Foundational Security Best Practices standard, whatever its version.
    pub fn is_fsbp(&self) -> bool {
        self.standards_arn
            .contains("standards/aws-foundational-security-best-practices/")
    }
}
