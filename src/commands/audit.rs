use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use chrono::Utc;

use super::{connect, emit, run_checks};
use crate::audit::{self, Attachments, AttestationRecord, Audit, Baseline, Run, Source};
use crate::cli::AuditArgs;
use crate::config::Config;
use crate::finding::{BaselineMark, Finding};
use crate::inventory::{snapshot, Inventory};
use crate::report;
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
    let exports = report::plan_exports(&args.export)?;
    // Read before the run: a wrong baseline path costs seconds, not an audit.
    let baseline = args.baseline.as_deref().map(Audit::load).transpose()?;
    let fail_on = settings.fail_on;

    if args.snapshot.is_some() {
        if let Some(flag) = args.scope.aws_only_flags().first() {
            bail!("{flag} cannot be used with --snapshot: a snapshot audit makes no AWS call (drop one of them)");
        }
    }
    let (inventory, source) = match &args.snapshot {
        Some(path) => (offline(path, &args.scope.regions)?, Source::Snapshot),
        None => (connect(&settings).await?, Source::Aws),
    };
    let inventory = Arc::new(inventory);
    let mut findings = run_checks(&settings, inventory.clone()).await;

    let checks: Vec<String> = settings.checks.iter().map(|c| c.entry.id.clone()).collect();
    let waivers = crate::waivers::apply(
        &mut findings,
        &settings.waivers,
        &checks,
        started_at.date_naive(),
    );
    let baseline = baseline.map(|(old, sha256)| mark_against_baseline(&mut findings, &old, sha256));

    let audit = Audit::new(
        Run {
            account_id: inventory.account_id().to_string(),
            regions: inventory.regions().to_vec(),
            source,
            as_of: inventory.as_of(),
            collected_by: inventory.collected_by().map(str::to_string),
            started_at,
            duration_ms: clock.elapsed().as_millis() as u64,
            fail_on,
            checks,
            baseline,
        },
        findings,
        Attachments {
            catalog: settings
                .checks
                .iter()
                .map(|c| (c.entry.id.clone(), c.entry.clone()))
                .collect(),
            waivers,
            attestations,
            signoff: if settings.signoff.is_empty() {
                audit::default_signoff()
            } else {
                settings.signoff.clone()
            },
        },
    );
    let json = report::json::render(&audit)?;
    let written = emit(
        &audit,
        audit::sha256_hex(json.as_bytes()),
        args.output,
        &exports,
        args.all,
    )?;
    Ok(if written {
        audit.exit_code
    } else {
        EXIT_UNABLE
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
    let known: HashSet<&str> = old
        .findings
        .iter()
        .filter(|f| was_problem(f))
        .map(|f| f.fingerprint.as_str())
        .collect();
    for finding in findings.iter_mut().filter(|f| f.status.is_problem()) {
        finding.baseline = Some(if known.contains(finding.fingerprint.as_str()) {
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

/// A snapshot, narrowed to the regions asked for (each of which it must contain).
fn offline(path: &std::path::Path, regions: &[String]) -> Result<Inventory> {
    let mut data = snapshot::load(path)?;
    if !regions.is_empty() {
        let regions = crate::regions::dedup(regions.to_vec());
        for region in &regions {
            if !data.regions.contains(region) {
                bail!(
                    "region {region} is not in snapshot {} (it has: {})",
                    path.display(),
                    data.regions.join(", ")
                );
            }
        }
        data.regions = regions;
    }
    Ok(Inventory::offline(data))
}
