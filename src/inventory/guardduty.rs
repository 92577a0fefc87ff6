//! GuardDuty's pieces, per region: the detectors, and for each enabled one its
//! active high-severity findings.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::guardduty::{Detector, FindingSample};

pieces! {
    pub struct GuardDutyRegional {
        detectors: Memo<Vec<Detector>>,
        high_findings: Memo<PerResource<FindingSample>>,
    }
}

accessors! {
    iam "guardduty";
    regional guardduty_detectors: Vec<Detector> = guardduty.detectors, "ListDetectors" "GetDetector",
        |_inventory, aws, region| aws.guardduty_detectors(region);
    /// Per enabled detector: unarchived findings of severity 7 or more about the audited
    /// account (not a delegated administrator's members').
    regional guardduty_high_findings: PerResource<FindingSample> = guardduty.high_findings, "ListFindings" "GetFindings" after [guardduty_detectors],
        |inventory, aws, region| async move {
            let enabled = |detectors: &Vec<Detector>| {
                detectors.iter().filter(|d| d.is_enabled()).map(|d| d.id.clone()).collect()
            };
            let listing = inventory.guardduty_detectors(region).await;
            each_of(listing, enabled, |ids| aws.guardduty_high_findings(region, inventory.account_id(), ids)).await
        };
}
