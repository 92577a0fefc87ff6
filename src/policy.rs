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

    /// Every check run over the demo snapshot (which has data for each of them), as the
    /// runner runs it: the pieces it asks for are the inputs its entry declares, so the
    /// permissions derived from them are the ones its reads need.
    #[tokio::test]
    async fn each_check_declares_the_pieces_it_reads() {
        use std::collections::BTreeSet;
        use std::sync::Arc;

        use crate::catalog::Scope;
        use crate::checks::{CheckCtx, Rules};
        use crate::inventory::{snapshot, Inventory};

        let demo = include_str!("../examples/demo-account.json");
        let checks =
            crate::registry::select(&Catalog::embedded(), &[], &Selection::default()).unwrap();
        // Reads that depend on data the demo does not have: a security group naming a
        // managed prefix list, an Oracle instance's option groups, an account without a
        // budget or an anomaly monitor of its own (which may be its organization's).
        let conditional = [
            ("ec2.no_open_admin_ports", "ec2.prefix_list_entries"),
            ("rds.force_ssl", "rds.option_groups"),
            ("budgets.monthly_budget", "organizations.organization"),
            ("ce.anomaly_detection", "organizations.organization"),
        ];
        let mut wrong = Vec::new();
        for check in &checks {
            let data = snapshot::parse(demo).unwrap().accounts.remove(0);
            let inventory = Arc::new(Inventory::offline(data));
            let regions: Vec<Option<String>> = match check.entry.scope {
                Scope::Global => vec![None],
                Scope::Regional => inventory.regions().iter().cloned().map(Some).collect(),
            };
            for region in regions {
                let ctx = CheckCtx::new(inventory.clone(), Arc::new(Rules::default()), region);
                check.run(ctx).await;
            }
            let mut read = inventory.pieces_read();
            for (id, piece) in conditional {
                if id == check.entry.id {
                    read.insert(piece);
                }
            }
            // A check names the pieces it uses; reading one reads the pieces it is
            // declared after (a listing) when it is read from AWS, which the permissions
            // derived from the inputs include.
            let declared: BTreeSet<&str> = check.entry.inputs.iter().map(String::as_str).collect();
            let with_reads_first: BTreeSet<&str> = declared
                .iter()
                .flat_map(|name| {
                    crate::inventory::named::find(name)
                        .unwrap()
                        .with_reads_first()
                })
                .collect();
            if !read.is_superset(&declared) || !read.is_subset(&with_reads_first) {
                wrong.push(format!(
                    "{} reads {read:?}, declares {declared:?}",
                    check.entry.id
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
        // rds.no_public_snapshots sweeps every enabled region, which EC2 lists.
        assert!(
            rds.iter().all(|a| a.starts_with("rds:")
                || a == CREDENTIAL_CHECK
                || a == "ec2:DescribeRegions"),
            "{rds:?}"
        );
    }
}
