//! Controls that an AWS Organization keeps in another account than the audited one: the
//! organization trail (its management account), budgets and anomaly monitors (the
//! payer). A member account is judged on what it controls; a finding about what another
//! account owns names that account, and an audit that covers it too (`--org`,
//! `--accounts`) judges it there, once.

use serde_json::Value;

use super::manual::{attestation, not_attested};
use super::CheckCtx;
use crate::finding::{Observation, Resource, Status};

/// The checks whose subject a member account may keep in another account of its
/// organization, and which a person may therefore attest in orr.toml after checking
/// that account (`[[attestations]] item = "budgets.monthly_budget"`).
pub const ATTESTABLE: &[&str] = &[
    "budgets.monthly_budget",
    "ce.anomaly_detection",
    "cloudtrail.multi_region_logging",
];

impl CheckCtx {
    /// The management account of the audited account's organization, when the audited
    /// account is a member other than the management account itself. An organization
    /// that could not be read counts as none: the account is judged as if it stood alone.
    pub async fn management_account(&self) -> Option<&str> {
        let organization = self
            .inventory
            .organizations_organization()
            .await
            .as_result()
            .ok()?
            .as_ref()?;
        (organization.management_account_id != self.inventory.account_id())
            .then_some(organization.management_account_id.as_str())
    }

    /// Whether `account` is audited in this run too (`--org`, `--accounts`), in this
    /// shard or another, so that its own findings judge what it owns.
    pub fn audits(&self, account: &str) -> bool {
        self.rules.audited_accounts.contains(account)
    }
}

/// Where a finding about `owner`'s control is judged, in words.
fn where_judged(ctx: &CheckCtx, owner: &str) -> String {
    if ctx.audits(owner) {
        format!("judged in account {owner}, which this audit covers")
    } else {
        format!("judged in account {owner}: audit it (--accounts {owner}, or --org)")
    }
}

/// N/A: `what` belongs to account `owner`, which alone can change it.
pub fn judged_elsewhere(
    ctx: &CheckCtx,
    resource: &Resource,
    owner: &str,
    what: &str,
    evidence: Value,
) -> Observation {
    Observation::new(
        Status::NotApplicable,
        resource,
        format!(
            "{what} belongs to account {owner}: {}",
            where_judged(ctx, owner)
        ),
        evidence,
    )
}

/// A member's obligation that only account `owner` shows (a budget the management
/// account keeps for it): N/A when this audit covers `owner`, which judges it there;
/// else an attestation of `check` passes it; else MANUAL, saying what a person confirms
/// in `owner` (`confirm`) and how to attest it.
pub fn attested_elsewhere(
    ctx: &CheckCtx,
    check: &str,
    owner: &str,
    confirm: &str,
    evidence: Value,
) -> Observation {
    let account = ctx.account();
    if ctx.audits(owner) {
        return Observation::new(
            Status::NotApplicable,
            &account,
            format!("{confirm}: {}", where_judged(ctx, owner)),
            evidence,
        );
    }
    let seen = format!("this account cannot show it: {confirm} in account {owner}, then ");
    match attestation(ctx, check, &format!(" (in account {owner})")) {
        Some(attested) => attested,
        None => {
            let mut manual = not_attested(ctx, check, &seen);
            manual.evidence = evidence;
            manual
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::checks::testing::*;
    use crate::checks::Rules;
    use crate::config::Attestation;
    use crate::inventory::Inventory;
    use crate::model::organizations::Organization;

    const MANAGEMENT: &str = "111111111111";

    fn ctx(member: bool, audited: &[&str], attested: bool) -> CheckCtx {
        let mut data = data();
        data.global.organizations.organization = ok(Some(Organization {
            id: "o-abc".into(),
            management_account_id: if member { MANAGEMENT } else { ACCOUNT }.into(),
        }));
        let rules = Rules {
            audited_accounts: audited
                .iter()
                .map(|a| a.to_string())
                .collect::<BTreeSet<_>>(),
            attestations: attested
                .then(|| Attestation {
                    item: "budgets.monthly_budget".into(),
                    by: "jane".into(),
                    date: "2026-11-20".parse().unwrap(),
                    evidence: None,
                })
                .into_iter()
                .collect(),
            ..Rules::default()
        };
        CheckCtx::new(Arc::new(Inventory::offline(data)), Arc::new(rules), None)
    }

    #[tokio::test]
    async fn only_a_member_has_a_management_account_elsewhere() {
        assert_eq!(
            ctx(true, &[], false).management_account().await,
            Some(MANAGEMENT)
        );
        assert_eq!(ctx(false, &[], false).management_account().await, None);
        let mut unknown = data();
        unknown.global.organizations.organization = failed("organizations", "DescribeOrganization");
        let unknown = CheckCtx::new(
            Arc::new(Inventory::offline(unknown)),
            Arc::new(Rules::default()),
            None,
        );
        assert_eq!(unknown.management_account().await, None);
    }

    #[test]
    fn an_obligation_kept_elsewhere_is_na_when_audited_there_else_attested_or_manual() {
        let judge = |ctx: &CheckCtx| {
            attested_elsewhere(
                ctx,
                "budgets.monthly_budget",
                MANAGEMENT,
                "confirm a monthly cost budget covers this account",
                json!({}),
            )
        };
        let org = judge(&ctx(true, &[ACCOUNT, MANAGEMENT], false));
        assert_eq!(org.status, Status::NotApplicable);
        assert!(
            org.message.contains("which this audit covers"),
            "{}",
            org.message
        );
        let alone = judge(&ctx(true, &[ACCOUNT], false));
        assert_eq!(alone.status, Status::Manual);
        assert!(
            alone.message.contains("in account 111111111111")
                && alone.message.contains("item = \"budgets.monthly_budget\""),
            "{}",
            alone.message
        );
        let attested = judge(&ctx(true, &[ACCOUNT], true));
        assert_eq!(attested.status, Status::Pass);
        assert!(
            attested.message.contains("attested by jane"),
            "{}",
            attested.message
        );
    }
}
