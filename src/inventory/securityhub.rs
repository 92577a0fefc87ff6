//! Security Hub's pieces, per region: the hub, its standards and its active failed
//! critical and high findings (the last two only where the hub is enabled).

use super::{accessors, pieces, then, Fetched, Memo};
use crate::model::guardduty::FindingSample;
use crate::model::securityhub::{Hub, StandardSubscription};

pieces! {
    pub struct SecurityHubRegional {
        hub: Memo<Option<Hub>>,
        standards: Memo<Vec<StandardSubscription>>,
        failed_findings: Memo<FindingSample>,
    }
}

accessors! {
    iam "securityhub";
    /// `None` where Security Hub is not enabled.
    regional securityhub_hub: Option<Hub> = securityhub.hub, "DescribeHub",
        |_inventory, aws, region| aws.securityhub_hub(region);
    regional securityhub_standards: Vec<StandardSubscription> = securityhub.standards, "GetEnabledStandards" after [securityhub_hub],
        |inventory, aws, region| async move {
            then(inventory.securityhub_hub(region).await, |hub| async move {
                match hub {
                    Some(_) => aws.securityhub_standards(region).await,
                    None => Fetched::Ok(Vec::new()),
                }
            })
            .await
        };
    regional securityhub_failed_findings: FindingSample = securityhub.failed_findings, "GetFindings" after [securityhub_hub],
        |inventory, aws, region| async move {
            then(inventory.securityhub_hub(region).await, |hub| async move {
                match hub {
                    Some(_) => aws.securityhub_failed_findings(inventory.account_id(), region).await,
                    None => Fetched::Ok(FindingSample::default()),
                }
            })
            .await
        };
}
