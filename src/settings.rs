//! Flags over orr.toml, resolved once: every command works from one `Settings` value
//! instead of asking "flag or file?" wherever a value is used.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::accounts::{self, AccountScope};
use crate::catalog::Catalog;
use crate::checks::Rules;
use crate::cli::{PolicyArgs, ScopeArgs};
use crate::config::{Config, PoliciesConfig, Selection, Signatory, Waiver};
use crate::finding::Severity;
use crate::inventory::aws::{ConnectOptions, Resilience};
use crate::registry::{self, SelectedCheck};
use crate::rego::{Policy, PolicyOptions};

const DEFAULT_CONCURRENCY: usize = 16;
const DEFAULT_CHECK_TIMEOUT_SECS: u64 = 300;

pub struct Settings {
    pub checks: Vec<SelectedCheck>,
    pub connect: ConnectOptions,
    pub accounts: AccountScope,
    pub fail_on: Severity,
    pub check_timeout: Duration,
    pub rules: Arc<Rules>,
    pub waivers: Vec<Waiver>,
    pub signoff: Vec<Signatory>,
}

/// The flags of a command that are not about scope (only `audit` has them).
#[derive(Default)]
pub struct RunFlags {
    pub fail_on: Option<Severity>,
    pub check_timeout_secs: Option<u64>,
}

impl Settings {
    /// Each flag given replaces that part of the file; the file's exclusions, severity
    /// overrides, thresholds and attestations always apply.
    pub fn resolve(scope: &ScopeArgs, flags: RunFlags, config: Config) -> Result<Settings> {
        let (catalog, policies) =
            catalog_with_policies(&scope.selection.policies, &config.policies)?;
        let file = &config.selection;
        let selection = Selection {
            checks: flag_or_file(&scope.selection.checks, &file.checks),
            categories: flag_or_file(&scope.selection.categories, &file.categories),
            services: flag_or_file(&scope.selection.services, &file.services),
            exclude: file.exclude.clone(),
        };
        let mut checks = registry::select(&catalog, &policies, &selection)?;
        registry::apply_severity_overrides(&mut checks, &catalog, &config.severity)?;

        for (n, attestation) in config.attestations.iter().enumerate() {
            let item = attestation.item.as_str();
            if !crate::checks::manual::ITEMS.contains(&item)
                && !crate::checks::organizations::ATTESTABLE.contains(&item)
            {
                bail!(
                    "attestations[{n}].item '{}' is not a manual criterion or a check a member account may attest (known: {}, {})",
                    attestation.item,
                    crate::checks::manual::ITEMS.join(", "),
                    crate::checks::organizations::ATTESTABLE.join(", ")
                );
            }
        }

        let waivers = config.waivers()?;
        for waiver in &waivers {
            if catalog.get(&waiver.check).is_none() {
                bail!(
                    "waivers[{}].check '{}' is not a check id (run `orr checks list` to see them)",
                    waiver.index,
                    waiver.check
                );
            }
        }

        let regions = flag_or_file(&scope.regions, &config.regions);
        for region in &regions {
            crate::regions::validate(region).map_err(anyhow::Error::msg)?;
        }
        if let Some(endpoint) = &scope.endpoint_url {
            validate_endpoint(endpoint)?;
        }
        let accounts = account_scope(&scope.accounts, &config.accounts)?;
        let connect = ConnectOptions {
            profile: scope.profile.clone().or(config.profile),
            endpoint_url: scope.endpoint_url.clone(),
            all_regions: scope.all_regions,
            regions: crate::regions::dedup(regions),
            concurrency: scope
                .concurrency
                .map(usize::from)
                .or(config.concurrency)
                .unwrap_or(DEFAULT_CONCURRENCY),
            resilience: {
                let default = Resilience::default();
                Resilience {
                    retry_mode: scope
                        .retry_mode
                        .or(config.retry_mode)
                        .unwrap_or(default.retry_mode),
                    max_attempts: scope
                        .max_attempts
                        .or(config.max_attempts)
                        .unwrap_or(default.max_attempts),
                    call_timeout: scope
                        .call_timeout
                        .or(config.call_timeout_secs)
                        .map_or(default.call_timeout, Duration::from_secs),
                }
            },
        };
        Ok(Settings {
            checks,
            connect,
            accounts,
            fail_on: flags.fail_on.or(config.fail_on).unwrap_or(Severity::High),
            check_timeout: Duration::from_secs(
                flags
                    .check_timeout_secs
                    .or(config.check_timeout_secs)
                    .unwrap_or(DEFAULT_CHECK_TIMEOUT_SECS),
            ),
            rules: Arc::new(Rules {
                thresholds: config.thresholds,
                attestations: config.attestations,
                audited_accounts: Default::default(),
            }),
            waivers,
            signoff: config.signoff,
        })
    }
}

/// The built-in catalog with the entries of the policies that `--policy` and
/// `[policies]` name, and those policies, loaded and checked.
pub fn catalog_with_policies(
    flags: &PolicyArgs,
    file: &PoliciesConfig,
) -> Result<(Catalog, Vec<Arc<Policy>>)> {
    let mut catalog = Catalog::embedded();
    let options = PolicyOptions {
        dirs: file.dirs.iter().chain(&flags.dirs).cloned().collect(),
        timeout: file.timeout_secs.map(Duration::from_secs),
        thresholds: file.thresholds.clone(),
    };
    let policies = crate::rego::load(&options, &catalog)?;
    catalog.extend(policies.iter().map(|policy| policy.entry.clone()));
    Ok((catalog, policies))
}

/// The accounts flags over the `[accounts]` table, each id and the role checked.
fn account_scope(
    flags: &crate::cli::AccountArgs,
    file: &crate::config::AccountsConfig,
) -> Result<AccountScope> {
    let default = AccountScope::default();
    let scope = AccountScope {
        role_arn: flags.role_arn.clone().or_else(|| file.role_arn.clone()),
        external_id: flags
            .external_id
            .clone()
            .or_else(|| file.external_id.clone()),
        org: flags.org || file.org,
        org_role: flags
            .org_role
            .clone()
            .or_else(|| file.org_role.clone())
            .unwrap_or(default.org_role),
        include: flag_or_file(&flags.accounts, &file.include),
        exclude: flag_or_file(&flags.exclude_accounts, &file.exclude),
        concurrency: flags
            .account_concurrency
            .map(usize::from)
            .or(file.concurrency)
            .unwrap_or(default.concurrency),
        shard: flags.shard,
    };
    for id in scope.include.iter().chain(&scope.exclude) {
        accounts::validate_account_id(id).map_err(anyhow::Error::msg)?;
    }
    if let Some(arn) = &scope.role_arn {
        accounts::account_of_role(arn).map_err(anyhow::Error::msg)?;
        if scope.names_accounts() {
            bail!("--role-arn audits one account; --org and --accounts reach each account through --org-role: use one or the other");
        }
    }
    let role = &scope.org_role;
    if role.is_empty() || role.contains([':', '/']) || role.len() > 64 {
        bail!(
            "--org-role '{role}' is not a role name: give the name alone, e.g. {}",
            accounts::DEFAULT_ORG_ROLE
        );
    }
    Ok(scope)
}

/// An emulator's address: an http(s) URL with a host, said plainly when it is not.
fn validate_endpoint(endpoint: &str) -> Result<()> {
    let hint = "give an http(s) URL such as http://127.0.0.1:5000";
    match url::Url::parse(endpoint) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        Ok(url) => bail!(
            "--endpoint-url '{endpoint}' is a {} URL without an http(s) host: {hint}",
            url.scheme()
        ),
        Err(error) => bail!("--endpoint-url '{endpoint}' is not a URL ({error}): {hint}"),
    }
}

fn flag_or_file<T: Clone>(flag: &[T], file: &[T]) -> Vec<T> {
    if flag.is_empty() { file } else { flag }.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn scope(args: &[&str]) -> ScopeArgs {
        let mut all = vec!["orr", "audit"];
        all.extend(args);
        match crate::cli::Cli::parse_from(all).command {
            crate::cli::Command::Audit(audit) => audit.scope,
            _ => unreachable!(),
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_fills_the_rest() {
        let config = Config::parse(
            "regions = [\"eu-west-1\"]\nconcurrency = 4\nfail_on = \"critical\"\n[selection]\nservices = [\"rds\"]\nexclude = [\"rds.multi_az\"]\n",
        )
        .unwrap();
        let settings = Settings::resolve(
            &scope(&["--region", "us-east-1"]),
            RunFlags::default(),
            config,
        )
        .unwrap();
        assert_eq!(settings.connect.regions, ["us-east-1"]);
        assert_eq!(settings.connect.concurrency, 4);
        assert_eq!(settings.fail_on, Severity::Critical);
        assert!(settings.checks.iter().all(|c| c.entry.service() == "rds"));
        assert!(!settings.checks.iter().any(|c| c.entry.id == "rds.multi_az"));
        assert_eq!(
            settings.check_timeout,
            Duration::from_secs(DEFAULT_CHECK_TIMEOUT_SECS)
        );
    }

    #[test]
    fn an_attestation_of_an_unknown_item_names_the_key() {
        let config = Config::parse(
            "[[attestations]]\nitem = \"manual.yoga\"\nby = \"jane\"\ndate = 2026-11-20\n",
        )
        .unwrap();
        let error = Settings::resolve(&scope(&[]), RunFlags::default(), config)
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("attestations[0].item") && error.contains("manual.yoga"),
            "{error}"
        );
    }
}
