//! Check ids to their implementations, and the selection of which ones run.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::{bail, Result};
use futures::future::BoxFuture;

use crate::catalog::{Catalog, CatalogEntry};
use crate::checks::{self, CheckCtx};
use crate::config::Selection;
use crate::finding::{Observation, Severity};
use crate::rego::Policy;

pub type CheckFn = fn(CheckCtx) -> BoxFuture<'static, Vec<Observation>>;

/// `check!(s3::bucket_encryption)`: the check `s3.bucket_encryption`, implemented by
/// `checks::s3::bucket_encryption`. The id comes from the path, so the two cannot differ.
macro_rules! check {
    ($service:ident :: $name:ident) => {
        (
            concat!(stringify!($service), ".", stringify!($name)),
            (|ctx| Box::pin(checks::$service::$name(ctx))) as CheckFn,
        )
    };
}

/// Every implemented check. Adding one: its catalog entry, its function, a line here.
pub const IMPLEMENTATIONS: &[(&str, CheckFn)] = &[
    check!(acm::certificate_expiry),
    check!(autoscaling::elb_health_check),
    check!(autoscaling::multi_az),
    check!(backup::plan_exists),
    check!(backup::recent_jobs),
    check!(budgets::monthly_budget),
    check!(budgets::within_limit),
    check!(ce::anomaly_detection),
    check!(cloudtrail::kms_encrypted),
    check!(cloudtrail::log_file_validation),
    check!(cloudtrail::multi_region_logging),
    check!(cloudwatch::alarm_actions),
    check!(cloudwatch::alarm_coverage),
    check!(cloudwatch::dashboards),
    check!(config::conformance_pack),
    check!(config::recorder_enabled),
    check!(dynamodb::deletion_protection),
    check!(dynamodb::pitr),
    check!(dynamodb::ttl),
    check!(ec2::ebs_default_encryption),
    check!(ec2::gateway_endpoints),
    check!(ec2::imdsv2_account_default),
    check!(ec2::imdsv2_required),
    check!(ec2::launch_template_imdsv2),
    check!(ec2::no_open_admin_ports),
    check!(ec2::no_public_amis),
    check!(ec2::no_public_snapshots),
    check!(ec2::vpc_flow_logs),
    check!(ecs::circuit_breaker),
    check!(ecs::container_insights),
    check!(ecs::service_autoscaling),
    check!(elasticache::at_rest_encryption),
    check!(elasticache::auth),
    check!(elasticache::automatic_failover),
    check!(elasticache::in_transit_encryption),
    check!(elbv2::access_logs),
    check!(elbv2::deletion_protection),
    check!(elbv2::https_only),
    check!(elbv2::multi_az),
    check!(guardduty::enabled),
    check!(guardduty::no_high_findings),
    check!(health::open_issues),
    check!(health::scheduled_changes),
    check!(iam::access_key_rotation),
    check!(iam::aws_managed_admin_policies),
    check!(iam::console_user_mfa),
    check!(iam::no_admin_policies),
    check!(iam::password_policy),
    check!(iam::root_mfa),
    check!(iam::root_no_access_keys),
    check!(iam::server_certificate_expiry),
    check!(iam::unused_credentials),
    check!(kms::rotation),
    check!(lambda::concurrency_headroom),
    check!(lambda::reserved_concurrency),
    check!(lambda::sqs_partial_batch),
    check!(logs::retention),
    check!(manual::backup_restore_tested),
    check!(manual::chaos_experiment),
    check!(manual::load_test),
    check!(manual::rate_limiter_tested),
    check!(manual::runbooks_reviewed),
    check!(manual::stakeholder_signoff),
    check!(rds::backup_retention),
    check!(rds::deletion_protection),
    check!(rds::enhanced_monitoring),
    check!(rds::force_ssl),
    check!(rds::multi_az),
    check!(rds::no_public_snapshots),
    check!(rds::not_public),
    check!(rds::performance_insights),
    check!(rds::storage_encrypted),
    check!(s3::account_public_access_block),
    check!(s3::bucket_encryption),
    check!(s3::bucket_public_access_block),
    check!(s3::bucket_tls_only),
    check!(s3::storage_lens),
    check!(s3::storage_tiering),
    check!(secretsmanager::rotation),
    check!(securityhub::enabled),
    check!(securityhub::fsbp_enabled),
    check!(securityhub::no_critical_failed),
    check!(sns::encrypted),
    check!(sqs::dead_letter_queue),
    check!(sqs::encrypted),
    check!(synthetics::canaries),
];

/// A check chosen to run: its metadata and its implementation.
#[derive(Clone, Debug)]
pub struct SelectedCheck {
    pub entry: CatalogEntry,
    pub implementation: Implementation,
}

/// What judges: a function compiled into orr, or a user's Rego policy.
#[derive(Clone, Debug)]
pub enum Implementation {
    Builtin(CheckFn),
    Policy(Arc<Policy>),
}

impl SelectedCheck {
    pub fn run(&self, ctx: CheckCtx) -> BoxFuture<'static, Vec<Observation>> {
        match &self.implementation {
            Implementation::Builtin(run) => run(ctx),
            Implementation::Policy(policy) => Box::pin(crate::rego::run(policy.clone(), ctx)),
        }
    }
}

fn implementation(id: &str, policies: &[Arc<Policy>]) -> Option<Implementation> {
    IMPLEMENTATIONS
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, run)| Implementation::Builtin(*run))
        .or_else(|| {
            policies
                .iter()
                .find(|policy| policy.entry.id == id)
                .map(|policy| Implementation::Policy(policy.clone()))
        })
}

/// The checks that `selection` names (all of them when it names none), minus its
/// exclusions. Unknown ids, services or an empty result are errors: a typo must not
/// quietly audit less. `catalog` holds the policies' entries too.
pub fn select(
    catalog: &Catalog,
    policies: &[Arc<Policy>],
    selection: &Selection,
) -> Result<Vec<SelectedCheck>> {
    let known_ids: BTreeSet<&str> = catalog.entries().iter().map(|e| e.id.as_str()).collect();
    for id in selection.checks.iter().chain(&selection.exclude) {
        if !known_ids.contains(id.as_str()) {
            bail!("unknown check id '{id}' (run `orr checks list` to see them)");
        }
    }
    let services = catalog.services();
    for service in &selection.services {
        if !services.contains(service.as_str()) {
            let known: Vec<&str> = services.iter().copied().collect();
            bail!("unknown service '{service}' (known: {})", known.join(", "));
        }
    }
    let chosen: Vec<SelectedCheck> = catalog
        .entries()
        .iter()
        .filter(|e| selection.checks.is_empty() || selection.checks.contains(&e.id))
        .filter(|e| selection.categories.is_empty() || selection.categories.contains(&e.category))
        .filter(|e| {
            selection.services.is_empty() || selection.services.iter().any(|s| s == e.service())
        })
        .filter(|e| !selection.exclude.contains(&e.id))
        .map(|e| SelectedCheck {
            entry: e.clone(),
            implementation: implementation(&e.id, policies)
                .unwrap_or_else(|| panic!("check {} has no implementation", e.id)),
        })
        .collect();
    if chosen.is_empty() {
        bail!("no check matches the selection (--checks, --category, --service, orr.toml [selection])");
    }
    Ok(chosen)
}

/// Gives checks the severity a team set for them in orr.toml.
pub fn apply_severity_overrides(
    selected: &mut [SelectedCheck],
    catalog: &Catalog,
    overrides: &BTreeMap<String, Severity>,
) -> Result<()> {
    for id in overrides.keys() {
        if catalog.get(id).is_none() {
            bail!("unknown check id '{id}' in [severity] (run `orr checks list` to see them)");
        }
    }
    for check in selected {
        if let Some(severity) = overrides.get(&check.entry.id) {
            check.entry.severity = *severity;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_entry_has_an_implementation_and_the_other_way_round() {
        let catalog = Catalog::embedded();
        let catalogued: BTreeSet<&str> = catalog.entries().iter().map(|e| e.id.as_str()).collect();
        let implemented: BTreeSet<&str> = IMPLEMENTATIONS.iter().map(|(id, _)| *id).collect();
        assert_eq!(catalogued, implemented);
        assert_eq!(
            implemented.len(),
            IMPLEMENTATIONS.len(),
            "an id is registered twice"
        );
    }

    fn selection(checks: &[&str], services: &[&str], exclude: &[&str]) -> Selection {
        Selection {
            checks: checks.iter().map(|s| s.to_string()).collect(),
            categories: vec![],
            services: services.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn selection_narrows_and_rejects_typos() {
        let catalog = Catalog::embedded();
        let all = select(&catalog, &[], &Selection::default()).unwrap();
        assert_eq!(all.len(), catalog.entries().len());

        let rds = select(&catalog, &[], &selection(&[], &["rds"], &["rds.multi_az"])).unwrap();
        assert!(rds.iter().all(|c| c.entry.service() == "rds"));
        assert!(!rds.iter().any(|c| c.entry.id == "rds.multi_az"));

        let typo = select(
            &catalog,
            &[],
            &selection(&["s3.bucket_encription"], &[], &[]),
        );
        assert!(typo
            .unwrap_err()
            .to_string()
            .contains("s3.bucket_encription"));
        assert!(select(&catalog, &[], &selection(&[], &["ec3"], &[])).is_err());
        let nothing = select(&catalog, &[], &selection(&["iam.root_mfa"], &["rds"], &[]));
        assert!(nothing
            .unwrap_err()
            .to_string()
            .contains("no check matches"));
    }

    #[test]
    fn severity_overrides_apply_and_unknown_ids_are_rejected() {
        let catalog = Catalog::embedded();
        let mut chosen = select(&catalog, &[], &selection(&["rds.multi_az"], &[], &[])).unwrap();
        let overrides = BTreeMap::from([("rds.multi_az".to_string(), Severity::Critical)]);
        apply_severity_overrides(&mut chosen, &catalog, &overrides).unwrap();
        assert_eq!(chosen[0].entry.severity, Severity::Critical);
        let typo = BTreeMap::from([("rds.multiaz".to_string(), Severity::Low)]);
        assert!(apply_severity_overrides(&mut chosen, &catalog, &typo).is_err());
    }
}
