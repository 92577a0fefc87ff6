//! The least-privilege IAM policy for a selection of checks: the union of the actions
//! their catalog entries declare, plus the credential check every run makes.

use std::collections::BTreeSet;

use serde_json::json;

use crate::registry::SelectedCheck;

/// Made by every run before any check: it names the account and the identity.
const CREDENTIAL_CHECK: &str = "sts:GetCallerIdentity";

pub fn actions(checks: &[SelectedCheck]) -> BTreeSet<String> {
    checks
        .iter()
        .flat_map(|check| check.entry.permissions.iter().cloned())
        .chain(std::iter::once(CREDENTIAL_CHECK.to_string()))
        .collect()
}

pub fn render(checks: &[SelectedCheck]) -> String {
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "OrrReadOnlyAudit",
            "Effect": "Allow",
            "Action": actions(checks),
            "Resource": "*",
        }]
    });
    serde_json::to_string_pretty(&policy).expect("a JSON value serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::config::Selection;

    #[test]
    fn every_automated_check_declares_reads_and_only_reads() {
        let catalog = Catalog::embedded();
        for entry in catalog.entries() {
            // Manual items read only where AWS records their evidence.
            assert!(
                entry.service() == "manual" || !entry.permissions.is_empty(),
                "{} declares no permissions",
                entry.id
            );
            for action in &entry.permissions {
                let (_, name) = action.split_once(':').unwrap_or(("", action));
                assert!(
                    [
                        "List",
                        "Describe",
                        "Get",
                        "View",
                        "GenerateCredentialReport"
                    ]
                    .iter()
                    .any(|read| name.starts_with(read)),
                    "{}: {action} is not a read",
                    entry.id
                );
            }
        }
    }

    #[test]
    fn a_narrower_selection_needs_fewer_actions() {
        let catalog = Catalog::embedded();
        let all = crate::registry::select(&catalog, &[], &Selection::default()).unwrap();
        let rds_only = crate::registry::select(
            &catalog,
            &[],
            &Selection {
                services: vec!["rds".into()],
                ..Selection::default()
            },
        )
        .unwrap();
        let (all, rds) = (actions(&all), actions(&rds_only));
        assert!(rds.len() < all.len());
        assert!(
            rds.iter()
                .all(|a| a.starts_with("rds:") || a == CREDENTIAL_CHECK),
            "{rds:?}"
        );
    }
}
