use std::collections::HashSet;
use std::time::Instant;

use anyhow::{bail, Result};
use chrono::Utc;

use super::{emit, fleet, Exports};
use crate::audit::{
    self, AccountStatus, Attachments, AttestationRecord, Audit, Baseline, Run, Source,
};
use crate::cli::AuditArgs;
use crate::config::Config;
use crate::finding::{BaselineMark, Finding, Fingerprint};
use crate::inventory::snapshot;
use crate::report;
use crate::s3_evidence::EvidenceStore;
use crate::settings::{RunFlags, Settings};
use crate::verdict::EXIT_UNABLE;

pub async fn run(config: Config, args: AuditArgs) -> Result<i32> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let flags = RunFlags {
        fail_on: args.fail_on,
        check_timeout_secs: args.check_timeout,
    };
    let attestations = attestation_records(&config);
    let settings = Settings::resolve(&args.scope, flags, config)?;
    let exports = Exports::plan(&args.export, settings.accounts.shard)?;
    // Read before the run: a wrong baseline path costs seconds, not an audit.
    let baseline = args.baseline.as_deref().map(Audit::load).transpose()?;
    let fail_on = settings.fail_on;

    if args.snapshot.is_some() {
        if let Some(flag) = args.scope.aws_only_flags().first() {
            bail!("{flag} cannot be used with --snapshot: a snapshot audit makes no AWS call (drop one of them)");
        }
    }
    // S3 exports are checked before the audit starts, with the connection the audit
    // then uses (the caller's own credentials); a snapshot audit connects only for them.
    let mut connection = match exports.objects.is_empty() {
        true => None,
        false => Some(fleet::connect(&settings).await?),
    };
    let mut store = connection.as_ref().map(|caller| {
        EvidenceStore::new(
            caller.reader.clone(),
            caller.home_region.clone(),
            settings.connect.resilience.call_timeout,
        )
    });
    if let Some(store) = store.as_mut() {
        exports.check_objects(store).await?;
    }
    let (fleet, source) = match &args.snapshot {
        Some(path) => {
            let snapshot = snapshot::open(path)?;
            let fleet = fleet::offline(&settings, path, snapshot, &args.scope.regions).await?;
            (fleet, Source::Snapshot)
        }
        None => {
            let caller = match connection.take() {
                Some(caller) => caller,
                None => fleet::connect(&settings).await?,
            };
            let fleet = fleet::live_from(&settings, caller, fleet::Keep::Findings).await?;
            (fleet, Source::Aws)
        }
    };
    let caller = fleet.caller.clone();
    let (accounts, mut findings) = fleet.findings();

    let checks: Vec<String> = settings.checks.iter().map(|c| c.entry.id.clone()).collect();
    let waivers = crate::waivers::apply(
        &mut findings,
        &settings.waivers,
        &checks,
        started_at.date_naive(),
    );
    let baseline = baseline.map(|(old, sha256)| mark_against_baseline(&mut findings, &old, sha256));

    let mut catalog: std::collections::BTreeMap<_, _> = settings
        .checks
        .iter()
        .map(|c| (c.entry.id.clone(), c.entry.clone()))
        .collect();
    if accounts
        .iter()
        .any(|a| a.status == AccountStatus::Unreachable)
    {
        let entry = crate::accounts::access_entry();
        catalog.insert(entry.id.clone(), entry);
    }
    let regions = audit::regions_of(&accounts);
    let audit = Audit::new(
        Run {
            account_id: caller.account_id,
            regions,
            source,
            as_of: audit::as_of_oldest(&accounts, started_at),
            collected_by: caller.arn,
            accounts,
            started_at,
            duration_ms: clock.elapsed().as_millis() as u64,
            fail_on,
            checks,
            baseline,
            shard: settings.accounts.shard,
            merged_from: Vec::new(),
        },
        findings,
        Attachments {
            catalog,
            waivers,
            attestations,
            signoff: if settings.signoff.is_empty() {
                audit::default_signoff()
            } else {
                settings.signoff.clone()
            },
        },
    );
    let written = emit(
        &audit,
        report::json::sha256_hex(&audit)?,
        args.output,
        &exports,
        store.as_mut(),
        args.table,
    )
    .await?;
    Ok(match (written, args.exit_zero) {
        (false, _) => EXIT_UNABLE,
        (true, true) => 0,
        (true, false) => audit.exit_code,
    })
}

fn attestation_records(config: &Config) -> Vec<AttestationRecord> {
    config
        .attestations
        .iter()
        .filter_map(|a| {
            Some(AttestationRecord {
                item: a.item.clone(),
                by: a.by.clone(),
                // Validated as a day when the config was loaded.
                date: crate::config::day_of(&a.date)?,
                evidence: a.evidence.clone(),
            })
        })
        .collect()
}

/// Marks each FAIL or ERROR as new or already known: known when the baseline had a
/// problem with the same fingerprint (waived ones included: a waiver that lapses does
/// not make an old problem new).
fn mark_against_baseline(findings: &mut [Finding], old: &Audit, sha256: String) -> Baseline {
    let was_problem = |f: &Finding| f.status.is_problem() || f.waiver.is_some();
    let known: HashSet<Fingerprint> = old
        .findings
        .iter()
        .filter(|f| was_problem(f))
        .map(|f| f.fingerprint)
        .collect();
    for finding in findings.iter_mut().filter(|f| f.status.is_problem()) {
        finding.baseline = Some(if known.contains(&finding.fingerprint) {
            BaselineMark::Existing
        } else {
            BaselineMark::New
        });
    }
    Baseline {
        sha256,
        started_at: old.run.started_at,
        problems: known.len(),
    }
}
