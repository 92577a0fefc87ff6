//! Many accounts in one run: which ones (the caller's, a role's, the organization's,
//! narrowed and sharded), each reached and audited concurrently under one bound on
//! calls in flight; an account that cannot be reached costs only itself.

use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use futures::stream::{self, StreamExt};
use indicatif::ProgressBar;

use crate::accounts::{self, Target};
use crate::audit::{AccountRun, AccountStatus};
use crate::checks::Rules;
use crate::finding::Finding;
use crate::inventory::aws::{AwsReader, ConnectError, Connection};
use crate::inventory::snapshot::{Caller, Opened, Unreachable};
use crate::inventory::{Inventory, InventoryData};
use crate::runner::{self, RunOptions};
use crate::settings::Settings;

/// What a run covered: who ran it, and each account's outcome (in the order of ids).
pub struct Fleet {
    pub caller: Caller,
    pub accounts: Vec<AccountOutcome>,
}

pub struct AccountOutcome {
    pub record: AccountRun,
    pub findings: Vec<Finding>,
    /// What was read (for `orr collect`); none for an account that could not be read.
    pub inventory: Option<Arc<Inventory>>,
    /// Why it could not be read, for the snapshot.
    pub unreachable: Option<Unreachable>,
}

impl Fleet {
    pub fn findings(self) -> (Vec<AccountRun>, Vec<Finding>) {
        let mut records = Vec::new();
        let mut findings = Vec::with_capacity(self.accounts.iter().map(|a| a.findings.len()).sum());
        for outcome in self.accounts {
            records.push(outcome.record);
            findings.extend(outcome.findings);
        }
        crate::audit::sort_findings(&mut findings);
        (records, findings)
    }
}

/// What an audited account's outcome keeps besides its findings.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Findings,
    /// Its inventory too (`orr collect` writes it to a snapshot).
    Inventory,
}

/// Audits the selected accounts through AWS.
pub async fn live(settings: &Settings, keep: Keep) -> Result<Fleet> {
    live_from(settings, connect(settings).await?, keep).await
}

/// Audits the selected accounts through AWS from a verified connection (which the
/// caller may first use to check its outputs, before any work).
pub async fn live_from(settings: &Settings, caller: Connection, keep: Keep) -> Result<Fleet> {
    let chosen = targets(settings, &caller).await?;
    let rules = &in_one_run(settings, &chosen);
    let targets = settings.accounts.this_shard(chosen);
    announce(settings, targets.len());
    let progress = runner::progress_bar();
    let caller_ref = &caller;
    let progress_ref = &progress;
    let mut accounts: Vec<AccountOutcome> = stream::iter(targets)
        .map(|target| async move {
            match reach(settings, caller_ref, &target).await {
                Ok(inventory) => audited(settings, rules, inventory, progress_ref, keep).await,
                Err(error) => unreachable(target, error),
            }
        })
        .buffer_unordered(settings.accounts.concurrency)
        .collect()
        .await;
    progress.finish_and_clear();
    accounts.sort_by(|a, b| a.record.id.cmp(&b.record.id));
    Ok(Fleet {
        caller: Caller {
            account_id: caller.account_id.clone(),
            arn: Some(caller.caller_arn.clone()),
        },
        accounts,
    })
}

/// The inventory of the account the credentials belong to, read on demand
/// (`orr inventory show`).
pub async fn own_inventory(settings: &Settings) -> Result<Arc<Inventory>> {
    let caller = connect(settings).await?;
    let target = Target {
        id: caller.account_id.clone(),
        name: None,
        role_arn: None,
    };
    reach(settings, &caller, &target)
        .await
        .map_err(anyhow::Error::msg)
}

/// Audits the selected accounts of a snapshot (narrowed to `regions` when given), one
/// account at a time: each is parsed when its turn comes and dropped when audited.
pub async fn offline(
    settings: &Settings,
    path: &std::path::Path,
    snapshot: Opened,
    regions: &[String],
) -> Result<Fleet> {
    let caller = snapshot.caller.clone().unwrap_or_else(|| Caller {
        account_id: snapshot
            .accounts
            .first()
            .map(|a| a.account_id.clone())
            .unwrap_or_default(),
        arn: snapshot
            .accounts
            .first()
            .and_then(|a| a.collected_by.clone()),
    });
    let candidates: Vec<Target> = snapshot
        .accounts
        .iter()
        .map(|account| Target {
            id: account.account_id.clone(),
            name: account.account_name.clone(),
            role_arn: account.role_arn.clone(),
        })
        .chain(snapshot.unreachable.iter().map(Target::from))
        .collect();
    let chosen = settings
        .accounts
        .chosen(candidates, &format!("snapshot {}", path.display()))
        .map_err(anyhow::Error::msg)?;
    let rules = &in_one_run(settings, &chosen);
    let chosen = settings.accounts.this_shard(chosen);
    announce(settings, chosen.len());
    let progress = runner::progress_bar();
    let mut accounts = Vec::new();
    for account in &snapshot.accounts {
        if chosen.iter().any(|t| t.id == account.account_id) {
            let data = snapshot
                .read(account)
                .with_context(|| format!("invalid snapshot {}", path.display()))?;
            let data = narrowed(data, path, regions)?;
            let inventory = Arc::new(Inventory::offline(data));
            accounts.push(audited(settings, rules, inventory, &progress, Keep::Findings).await);
        }
    }
    for gone in snapshot.unreachable {
        if chosen.iter().any(|t| t.id == gone.id) {
            accounts.push(unreachable(Target::from(&gone), gone.error));
        }
    }
    progress.finish_and_clear();
    accounts.sort_by(|a, b| a.record.id.cmp(&b.record.id));
    Ok(Fleet { caller, accounts })
}

/// A snapshot account narrowed to the regions asked for, each of which it must hold.
fn narrowed(
    mut data: InventoryData,
    path: &std::path::Path,
    regions: &[String],
) -> Result<InventoryData> {
    if regions.is_empty() {
        return Ok(data);
    }
    let regions = crate::regions::dedup(regions.to_vec());
    for region in &regions {
        if !data.regions.contains(region) {
            bail!(
                "region {region} is not in snapshot {} for account {} (it has: {})",
                path.display(),
                data.account_id,
                data.regions.join(", ")
            );
        }
    }
    data.regions = regions;
    Ok(data)
}

/// A shard or a narrowing may leave nothing to audit: say so rather than print an empty
/// table without a word.
fn announce(settings: &Settings, accounts: usize) {
    if accounts == 0 {
        let shard = settings
            .accounts
            .shard
            .map(|s| format!(" in shard {s}"))
            .unwrap_or_default();
        eprintln!("orr: no account to audit{shard}");
    } else if accounts > 1 && std::io::stderr().is_terminal() {
        eprintln!(
            "orr: auditing {accounts} accounts, {} at a time",
            settings.accounts.concurrency
        );
    }
}

/// Connects with the credential chain and verifies the credentials.
pub async fn connect(settings: &Settings) -> Result<Connection> {
    // The first call can wait on a slow endpoint or an SSO refresh: say what is going on.
    let spinner = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    spinner.set_message(format!(
        "checking credentials (sts GetCallerIdentity, up to {} s)",
        settings.connect.resilience.call_timeout.as_secs()
    ));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let connection = AwsReader::connect(&settings.connect).await;
    spinner.finish_and_clear();
    let connection = connection?;
    crate::regions::validate(&connection.home_region)
        .map_err(|e| anyhow::anyhow!("{e} (from your AWS configuration)"))?;
    Ok(connection)
}

/// The accounts of the run (every shard's), before any is reached.
async fn targets(settings: &Settings, caller: &Connection) -> Result<Vec<Target>> {
    let scope = &settings.accounts;
    let partition = accounts::partition_of(&caller.caller_arn);
    let candidates = if scope.org {
        let listed = caller
            .reader
            .organization_accounts(&caller.home_region)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot list the organization's accounts: {e}. Run --org with credentials of the management account or a delegated administrator, or name the accounts with --accounts"
                )
            })?;
        listed
            .into_iter()
            .filter(|account| account.active)
            .map(|account| Target {
                role_arn: (account.id != caller.account_id)
                    .then(|| accounts::role_arn(partition, &account.id, &scope.org_role)),
                id: account.id,
                name: account.name,
            })
            .collect()
    } else if !scope.include.is_empty() {
        scope.by_id(&caller.account_id, partition)
    } else if let Some(role) = &scope.role_arn {
        vec![Target {
            id: accounts::account_of_role(role).map_err(anyhow::Error::msg)?,
            name: None,
            role_arn: Some(role.clone()),
        }]
    } else {
        vec![Target {
            id: caller.account_id.clone(),
            name: None,
            role_arn: None,
        }]
    };
    let what = if scope.org {
        "the organization's ACTIVE accounts"
    } else {
        "the accounts given"
    };
    scope.chosen(candidates, what).map_err(anyhow::Error::msg)
}

/// The rules knowing every account of the run (`chosen`, all shards): what one of them
/// owns for the others is judged there.
fn in_one_run(settings: &Settings, chosen: &[Target]) -> Arc<Rules> {
    Arc::new(Rules {
        audited_accounts: chosen.iter().map(|t| t.id.clone()).collect(),
        ..(*settings.rules).clone()
    })
}

/// A live inventory of one account: the caller's own, or one reached through its role.
async fn reach(
    settings: &Settings,
    caller: &Connection,
    target: &Target,
) -> Result<Arc<Inventory>, String> {
    let assumed;
    let connection = match &target.role_arn {
        None => caller,
        Some(role) => {
            assumed = caller
                .reader
                .assume(
                    role,
                    settings.accounts.external_id.as_deref(),
                    &caller.home_region,
                    &settings.connect,
                )
                .await
                .map_err(|e| reason(&e))?;
            &assumed
        }
    };
    if connection.account_id != target.id {
        return Err(format!(
            "the credentials belong to account {}, not {}",
            connection.account_id, target.id
        ));
    }
    let regions = connection
        .regions(&settings.connect)
        .await
        .map_err(|e| reason(&e))?;
    Ok(Arc::new(Inventory::live(
        connection,
        regions,
        target.name.clone(),
        target.role_arn.clone(),
    )))
}

/// What went wrong reaching an account, without the advice meant for one's own
/// credentials.
fn reason(error: &ConnectError) -> String {
    match error {
        ConnectError::Unverified(fetch) => fetch.to_string(),
        other => other.to_string(),
    }
}

async fn audited(
    settings: &Settings,
    rules: &Arc<Rules>,
    inventory: Arc<Inventory>,
    progress: &ProgressBar,
    keep: Keep,
) -> AccountOutcome {
    let options = RunOptions {
        check_timeout: settings.check_timeout,
        progress: progress.clone(),
    };
    let findings = runner::run(&settings.checks, inventory.clone(), rules.clone(), &options).await;
    let data = inventory.data();
    AccountOutcome {
        record: AccountRun {
            id: data.account_id.clone(),
            name: data.account_name.clone(),
            role_arn: data.role_arn.clone(),
            status: AccountStatus::Audited,
            regions: data.regions.clone(),
            skipped_regions: data.skipped_regions.clone(),
            as_of: Some(data.collected_at),
            collected_by: data.collected_by.clone(),
            error: None,
        },
        findings,
        inventory: (keep == Keep::Inventory).then_some(inventory),
        unreachable: None,
    }
}

fn unreachable(target: Target, error: String) -> AccountOutcome {
    let finding = accounts::unreachable_finding(&target, &error);
    AccountOutcome {
        record: AccountRun {
            id: target.id.clone(),
            name: target.name.clone(),
            role_arn: target.role_arn.clone(),
            status: AccountStatus::Unreachable,
            regions: Vec::new(),
            skipped_regions: Vec::new(),
            as_of: None,
            collected_by: None,
            error: Some(error.clone()),
        },
        findings: vec![finding],
        inventory: None,
        unreachable: Some(Unreachable {
            id: target.id,
            name: target.name,
            role_arn: target.role_arn,
            error,
        }),
    }
}
