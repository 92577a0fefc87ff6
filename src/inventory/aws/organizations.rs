use aws_sdk_organizations::operation::describe_organization::DescribeOrganizationError;
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus};

use super::{fetch_error, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::organizations::Organization;

/// A member of the organization as `ListAccounts` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: Option<String>,
    /// Only ACTIVE accounts can be audited: suspended and closing ones refuse every call.
    pub active: bool,
}

impl AwsReader {
    /// Every account of the caller's organization (run from the management account or a
    /// delegated administrator).
    pub async fn organization_accounts(&self, region: &str) -> Result<Vec<OrgAccount>, FetchError> {
        let client = self.client(region, aws_sdk_organizations::Client::new);
        let pages = self
            .call(client.list_accounts().into_paginator().send().try_collect())
            .await
            .map_err(|e| fetch_error("organizations", "ListAccounts", None, &e))?;
        Ok(pages
            .iter()
            .flat_map(|page| page.accounts())
            .filter_map(org_account)
            .collect())
    }
}

impl AwsReader {
    /// The caller's organization, or `None` when the account belongs to none. Any
    /// account of an organization may call DescribeOrganization; its endpoint is global.
    pub(crate) async fn organization(&self, region: &str) -> Fetched<Option<Organization>> {
        let client = self.client(region, aws_sdk_organizations::Client::new);
        match self.call(client.describe_organization().send()).await {
            Ok(out) => Fetched::Ok(out.organization().and_then(organization)),
            Err(error)
                if matches!(
                    error.as_service_error(),
                    Some(DescribeOrganizationError::AwsOrganizationsNotInUseException(_))
                ) =>
            {
                Fetched::Ok(None)
            }
            Err(error) => Fetched::Error(fetch_error(
                "organizations",
                "DescribeOrganization",
                None,
                &error,
            )),
        }
    }
}

fn organization(org: &aws_sdk_organizations::types::Organization) -> Option<Organization> {
    Some(Organization {
        id: org.id()?.to_string(),
        management_account_id: org.master_account_id()?.to_string(),
    })
}

fn org_account(account: &Account) -> Option<OrgAccount> {
    // `State` replaces `Status` (retired in 2026); either says ACTIVE.
    let active = match (account.state(), account.status()) {
        (Some(state), _) => *state == AccountState::Active,
        (None, Some(status)) => *status == AccountStatus::Active,
        (None, None) => false,
    };
    Some(OrgAccount {
        id: account.id()?.to_string(),
        name: account.name().map(str::to_string),
        active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_active_accounts_are_active_whichever_field_says_so() {
        let account = |state: Option<AccountState>, status: Option<AccountStatus>| {
            let mut builder = Account::builder().id("111111111111").name("prod");
            if let Some(state) = state {
                builder = builder.state(state);
            }
            if let Some(status) = status {
                builder = builder.status(status);
            }
            org_account(&builder.build()).unwrap().active
        };
        assert!(account(Some(AccountState::Active), None));
        assert!(account(None, Some(AccountStatus::Active)));
        assert!(!account(
            Some(AccountState::Suspended),
            Some(AccountStatus::Active)
        ));
        assert!(!account(None, Some(AccountStatus::PendingClosure)));
        assert!(!account(None, None));
    }
}
