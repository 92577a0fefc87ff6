//! Criteria only a person can attest (a load test, a runbook review): MANUAL until an
//! `[[attestations]]` entry in orr.toml names who attested them, when, and the evidence.
//! Two of them AWS records: a chaos experiment (AWS FIS) and a tested restore (AWS
//! Backup restore jobs) pass from the account's own records when no one attested them.

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::{json, Value};

use super::CheckCtx;
use crate::finding::{Observation, Status};
use crate::inventory::Fetched;
use crate::model::backup::RestoreJob;
use crate::model::fis::Experiment;

/// The latest attestation of `id`, as a PASS that names who, when and the evidence.
pub(super) fn attestation(ctx: &CheckCtx, id: &str, also: &str) -> Option<Observation> {
    let attestation = ctx.rules.attestations.iter().rev().find(|a| a.item == id)?;
    Some(Observation::pass(
        &ctx.account(),
        format!(
            "attested by {} on {}{also}",
            attestation.by, attestation.date
        ),
        json!({
            "by": attestation.by,
            "date": attestation.date.to_string(),
            "evidence": attestation.evidence,
        }),
    ))
}

pub(super) fn not_attested(ctx: &CheckCtx, id: &str, found: &str) -> Observation {
    Observation::new(
        Status::Manual,
        &ctx.account(),
        format!("{found}not attested: a person confirms it in orr.toml ([[attestations]] item = \"{id}\", by, date, evidence)"),
        json!({}),
    )
}

fn attested(ctx: &CheckCtx, id: &str) -> Vec<Observation> {
    vec![attestation(ctx, id, "").unwrap_or_else(|| not_attested(ctx, id, ""))]
}

/// What the account itself records of a criterion: the newest qualifying record
/// (its message and evidence), or what was looked at and not found.
type AccountEvidence = Result<(String, Value), String>;

/// An attestation wins (and says what the account shows besides); else evidence from
/// the account passes; else it stays MANUAL, saying what was looked for.
fn evidenced(ctx: &CheckCtx, id: &str, found: AccountEvidence) -> Vec<Observation> {
    let also = match &found {
        Ok((message, _)) => format!(" (the account also shows {message})"),
        Err(_) => String::new(),
    };
    let observation = match (attestation(ctx, id, &also), found) {
        (Some(attested), _) => attested,
        (None, Ok((message, evidence))) => Observation::pass(
            &ctx.account(),
            format!("evidenced by the account: {message}"),
            evidence,
        ),
        (None, Err(looked)) => not_attested(ctx, id, &format!("{looked}; ")),
    };
    vec![observation]
}

/// Regional records of every audited region, the failed reads named.
async fn in_every_region<'a, T: 'a>(
    ctx: &'a CheckCtx,
    read: impl Fn(&'a str) -> BoxFuture<'a, &'a Fetched<Vec<T>>>,
) -> (Vec<(&'a str, &'a T)>, Vec<String>) {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for region in ctx.inventory.regions() {
        match read(region).await.as_result() {
            Ok(items) => found.extend(items.iter().map(|item| (region.as_str(), item))),
            Err(error) => unreadable.push(format!("{region}: {error}")),
        }
    }
    (found, unreadable)
}

fn not_found(what: String, unreadable: Vec<String>) -> String {
    if unreadable.is_empty() {
        what
    } else {
        format!("{what} (could not read {})", unreadable.join("; "))
    }
}

/// Of the records that completed recently, the newest that is evidence; else the newest
/// that is not, so the message can say a test ran and why it does not count.
fn newest_proof<'a, T>(
    recent: Vec<(&'a str, &'a T)>,
    when: impl Fn(&T) -> Option<DateTime<Utc>>,
    proves: impl Fn(&T) -> bool,
) -> Result<(&'a str, &'a T), Option<(&'a str, &'a T)>> {
    let (proofs, others): (Vec<_>, Vec<_>) = recent.into_iter().partition(|(_, r)| proves(r));
    let newest = |records: Vec<(&'a str, &'a T)>| records.into_iter().max_by_key(|(_, r)| when(r));
    newest(proofs).ok_or_else(|| newest(others))
}

/// A completed AWS FIS experiment recently, its actions run (an experiment started with
/// actionsMode `skip-all` completes without injecting anything): the team has injected
/// faults and watched the service cope.
pub async fn chaos_experiment(ctx: CheckCtx) -> Vec<Observation> {
    let max_age = ctx.rules.thresholds.manual.chaos_experiment_max_age_days;
    let since = ctx.now() - chrono::Duration::days(max_age);
    let (experiments, unreadable) = in_every_region(&ctx, |region| {
        Box::pin(ctx.inventory.fis_experiments(region))
    })
    .await;
    let recent = experiments
        .into_iter()
        .filter(|(_, e)| e.is_completed() && e.created.is_some_and(|t| t >= since))
        .collect();
    let found = match newest_proof(recent, |e| e.created, Experiment::injects_faults) {
        Ok((region, experiment)) => Ok((
            format!(
                "AWS FIS experiment {} (template {}) completed in {region}, started {}",
                experiment.id,
                experiment.template_id.as_deref().unwrap_or("none"),
                experiment
                    .created
                    .map(|t| t.date_naive().to_string())
                    .unwrap_or_default()
            ),
            json!({ "source": "fis:ListExperiments", "region": region, "experiment": experiment }),
        )),
        Err(skipped) => Err(not_found(
            format!(
                "no AWS FIS experiment completed in the last {max_age} days with its actions run{}",
                skipped
                    .map(|(region, e)| format!(
                        "; experiment {} in {region} completed with actionsMode {}: no fault was injected",
                        e.id,
                        e.actions_mode.as_deref().unwrap_or_default()
                    ))
                    .unwrap_or_default()
            ),
            unreadable,
        )),
    };
    evidenced(&ctx, "manual.chaos_experiment", found)
}

/// A completed AWS Backup restore job recently, by a person or a restore testing plan,
/// whose validation (when one ran) succeeded: a backup nobody has restored is a hope,
/// not a recovery plan.
pub async fn backup_restore_tested(ctx: CheckCtx) -> Vec<Observation> {
    let max_age = ctx.rules.thresholds.manual.restore_test_max_age_days;
    let since = ctx.now() - chrono::Duration::days(max_age);
    let (jobs, unreadable) = in_every_region(&ctx, |region| {
        Box::pin(ctx.inventory.backup_restore_jobs(region))
    })
    .await;
    let recent = jobs
        .into_iter()
        .filter(|(_, j)| j.is_completed() && j.completed.is_some_and(|t| t >= since))
        .collect();
    let found = match newest_proof(recent, |j| j.completed, RestoreJob::proves_restore) {
        Ok((region, job)) => Ok((
            format!(
                "AWS Backup restore job {} ({} recovery point) completed in {region} on {}{}",
                job.id,
                job.resource_type.as_deref().unwrap_or("resource"),
                job.completed
                    .map(|t| t.date_naive().to_string())
                    .unwrap_or_default(),
                job.restore_testing_plan
                    .as_deref()
                    .map(|plan| format!(" by restore testing plan {plan}"))
                    .unwrap_or_default()
            ),
            json!({ "source": "backup:ListRestoreJobs", "region": region, "restore_job": job }),
        )),
        Err(unvalidated) => Err(not_found(
            format!(
                "no AWS Backup restore job completed in the last {max_age} days with its validation, if one ran, SUCCESSFUL{}",
                unvalidated
                    .map(|(region, job)| format!(
                        "; restore job {} in {region} completed but its validation is {}{}",
                        job.id,
                        job.validation_status.as_deref().unwrap_or_default(),
                        job.validation_message
                            .as_deref()
                            .map(|m| format!(" ({m})"))
                            .unwrap_or_default()
                    ))
                    .unwrap_or_default()
            ),
            unreadable,
        )),
    };
    evidenced(&ctx, "manual.backup_restore_tested", found)
}

macro_rules! attested_items {
    ($($name:ident),* $(,)?) => {
        $(
            pub async fn $name(ctx: CheckCtx) -> Vec<Observation> {
                attested(&ctx, concat!("manual.", stringify!($name)))
            }
        )*
    };
}

attested_items!(
    load_test,
    rate_limiter_tested,
    runbooks_reviewed,
    stakeholder_signoff
);

/// The ids of every manual criterion, for validating attestations.
pub const ITEMS: &[&str] = &[
    "manual.backup_restore_tested",
    "manual.chaos_experiment",
    "manual.load_test",
    "manual.rate_limiter_tested",
    "manual.runbooks_reviewed",
    "manual.stakeholder_signoff",
];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::checks::{testing, Rules};
    use crate::config::Attestation;
    use crate::inventory::Inventory;

    #[tokio::test]
    async fn manual_until_attested_then_pass_with_who_when_and_evidence() {
        let inventory = Arc::new(Inventory::offline(testing::data()));
        let rules = Rules {
            attestations: vec![Attestation {
                item: "manual.load_test".into(),
                by: "jane.doe (platform)".into(),
                date: "2026-11-20".parse().unwrap(),
                evidence: Some("https://wiki.example.com/load-test".into()),
            }],
            ..Rules::default()
        };
        let ctx = CheckCtx::new(inventory, Arc::new(rules), None);
        let attested = load_test(ctx.clone()).await;
        assert_eq!(attested[0].status, Status::Pass);
        assert_eq!(
            attested[0].message,
            "attested by jane.doe (platform) on 2026-11-20"
        );
        assert_eq!(
            attested[0].evidence["evidence"],
            "https://wiki.example.com/load-test"
        );
        let open = chaos_experiment(ctx).await;
        assert_eq!(open[0].status, Status::Manual);
        assert_eq!(ITEMS.len(), 6);
    }
}
