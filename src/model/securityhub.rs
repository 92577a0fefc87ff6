use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hub {
    pub arn: String,
    pub subscribed_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StandardSubscription {
    pub subscription_arn: String,
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
