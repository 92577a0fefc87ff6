//! Runs the selected checks concurrently, each under a timeout, with progress on a
//! terminal, and stamps their observations into findings.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::task::JoinSet;

use crate::catalog::Scope;
use crate::checks::{CheckCtx, Rules};
use crate::finding::{Category, Finding, Fingerprint, Observation, Severity};
use crate::inventory::{named, Inventory};
use crate::registry::SelectedCheck;

pub struct RunOptions {
    pub check_timeout: Duration,
    /// Where progress goes: one bar for every account of a run (hidden when not wanted).
    pub progress: ProgressBar,
}

/// One check in one region (or once, for a global check).
struct Job<'a> {
    check: &'a SelectedCheck,
    stamp: Stamp,
}

/// What the runner adds to a check's observations to make findings: the names every
/// finding of a check (and of an account) shares, not copied into each.
#[derive(Clone)]
struct Stamp {
    check_id: Arc<str>,
    title: Arc<str>,
    severity: Severity,
    category: Category,
    account_id: Arc<str>,
    region: Option<Arc<str>>,
}

pub async fn run(
    checks: &[SelectedCheck],
    inventory: Arc<Inventory>,
    rules: Arc<Rules>,
    options: &RunOptions,
) -> Vec<Finding> {
    let account_id: Arc<str> = inventory.account_id().into();
    let regions: Vec<Arc<str>> = inventory
        .regions()
        .iter()
        .map(|r| r.as_str().into())
        .collect();
    let mut jobs: Vec<Job> = checks
        .iter()
        .flat_map(|check| {
            let regions: Vec<Option<Arc<str>>> = match check.entry.scope {
                Scope::Global => vec![None],
                Scope::Regional => regions.iter().cloned().map(Some).collect(),
            };
            let stamp = Stamp {
                check_id: check.entry.id.as_str().into(),
                title: check.entry.title.as_str().into(),
                severity: check.entry.severity,
                category: check.entry.category,
                account_id: account_id.clone(),
                region: None,
            };
            regions.into_iter().map(move |region| Job {
                check,
                stamp: Stamp {
                    region,
                    ..stamp.clone()
                },
            })
        })
        .collect();
    // In the order findings are reported, so that the results of the jobs, put end to
    // end, are (almost) sorted already.
    jobs.sort_by(|a, b| {
        (&a.stamp.check_id, &a.stamp.region).cmp(&(&b.stamp.check_id, &b.stamp.region))
    });
    let progress = &options.progress;
    progress.inc_length(jobs.len() as u64);
    // Dropped when the checks are done: a read no check waits for any more stops.
    let _reads = start_declared_reads(checks, &inventory);
    let _requests = show_requests(progress, &inventory);

    let mut running: FuturesUnordered<_> = jobs
        .iter()
        .enumerate()
        .map(|(index, job)| {
            let ctx = CheckCtx::new(
                inventory.clone(),
                rules.clone(),
                job.stamp.region.as_deref().map(str::to_string),
            );
            let account = ctx.account();
            let timeout = options.check_timeout;
            let check = job.check.run(ctx);
            let stamp = job.stamp.clone();
            // Each check in its own task: a panic in one is that check's ERROR, not a
            // lost run. The task stamps its own findings, so that work is spread over
            // the cores too.
            let work = tokio::spawn(async move {
                let observations = tokio::time::timeout(timeout, check).await?;
                Ok::<_, tokio::time::error::Elapsed>(stamp.all(observations))
            });
            let stamp = job.stamp.clone();
            async move {
                let findings = match work.await {
                    Ok(Ok(findings)) => findings,
                    Ok(Err(_)) => stamp.all(vec![Observation::cannot_judge(
                        &account,
                        format!("the check did not finish within {} s", timeout.as_secs()),
                        serde_json::json!({ "timeout_secs": timeout.as_secs() }),
                    )]),
                    Err(failure) => stamp.all(vec![Observation::cannot_judge(
                        &account,
                        format!(
                            "the check stopped on an internal error: {}",
                            panic_text(failure)
                        ),
                        serde_json::json!({ "internal_error": true }),
                    )]),
                };
                (index, findings)
            }
        })
        .collect();

    let mut results: Vec<Vec<Finding>> = Vec::new();
    results.resize_with(jobs.len(), Vec::new);
    while let Some((index, findings)) = running.next().await {
        progress.set_message(jobs[index].check.entry.id.clone());
        progress.inc(1);
        results[index] = findings;
    }
    let mut findings = Vec::with_capacity(results.iter().map(Vec::len).sum());
    for result in results {
        findings.extend(result);
    }
    findings.sort_by(|a, b| {
        (&a.check_id, &a.region, &a.resource_id).cmp(&(&b.check_id, &b.region, &b.resource_id))
    });
    findings
}

/// What a crashed check task said, without a backtrace.
fn panic_text(failure: tokio::task::JoinError) -> String {
    match failure.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string()),
        Err(_) => "the task was cancelled".to_string(),
    }
}

impl Stamp {
    fn all(&self, observations: Vec<Observation>) -> Vec<Finding> {
        observations.into_iter().map(|o| self.finding(o)).collect()
    }

    fn finding(&self, observation: Observation) -> Finding {
        let region = observation
            .region
            .map(Arc::from)
            .or_else(|| self.region.clone());
        Finding {
            fingerprint: Fingerprint::of(
                &self.check_id,
                &self.account_id,
                region.as_deref(),
                &observation.resource_id,
            ),
            check_id: self.check_id.clone(),
            title: self.title.clone(),
            status: observation.status,
            severity: self.severity,
            category: self.category,
            account_id: self.account_id.clone(),
            resource_id: observation.resource_id,
            resource_type: observation.resource_type,
            region,
            message: observation.message,
            evidence: observation.evidence.into(),
            waiver: None,
            baseline: None,
        }
    }
}

/// Starts the read of every piece the checks declare, each once (a regional piece in
/// every audited region), bounded by the request bound like any read: a check then
/// finds its inputs read or under way, instead of starting each when it first awaits it,
/// one after another. Offline, every piece is already there.
fn start_declared_reads(checks: &[SelectedCheck], inventory: &Arc<Inventory>) -> JoinSet<()> {
    let mut reads = JoinSet::new();
    if !inventory.is_live() {
        return reads;
    }
    let mut started = BTreeSet::new();
    for name in checks.iter().flat_map(|check| &check.entry.inputs) {
        let Some(piece) = named::find(name) else {
            continue;
        };
        let regions: Vec<String> = match piece.scope {
            crate::scope::Scope::Global => vec![String::new()],
            crate::scope::Scope::Regional => inventory.regions().to_vec(),
        };
        for region in regions {
            if started.insert((piece.name, region.clone())) {
                let inventory = inventory.clone();
                reads.spawn(async move { (piece.warm)(&inventory, &region).await });
            }
        }
    }
    reads
}

/// On a terminal, the requests in flight and done beside the checks, redrawn while the
/// checks run: on a slow link, where the time goes.
fn show_requests(progress: &ProgressBar, inventory: &Inventory) -> Option<AbortOnDrop> {
    let requests = inventory.requests_counter()?;
    if progress.is_hidden() {
        return None;
    }
    let progress = progress.clone();
    Some(AbortOnDrop(tokio::spawn(async move {
        loop {
            let (in_flight, done) = requests.counts();
            progress.set_prefix(format!("requests: {in_flight} in flight, {done} done"));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })))
}

/// A task stopped when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A bar on stderr when it is a terminal; the runs it is given to add their checks.
pub fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} checks {pos}/{len} [{elapsed}] {prefix} {wide_msg}",
        )
        .expect("the progress template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::checks::testing;
    use crate::config::Selection;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo};
    use crate::registry::{select, Implementation};

    fn selected(ids: &[&str]) -> Vec<SelectedCheck> {
        let selection = Selection {
            checks: ids.iter().map(|s| s.to_string()).collect(),
            ..Selection::default()
        };
        select(&Catalog::embedded(), &[], &selection).unwrap()
    }

    async fn run_offline(
        checks: &[SelectedCheck],
        data: crate::inventory::InventoryData,
    ) -> Vec<Finding> {
        run_offline_within(checks, data, Duration::from_secs(30)).await
    }

    async fn run_offline_within(
        checks: &[SelectedCheck],
        data: crate::inventory::InventoryData,
        check_timeout: Duration,
    ) -> Vec<Finding> {
        let options = RunOptions {
            check_timeout,
            progress: ProgressBar::hidden(),
        };
        let inventory = Arc::new(Inventory::offline(data));
        run(checks, inventory, Arc::new(Rules::default()), &options).await
    }

    #[tokio::test]
    async fn global_checks_run_once_and_regional_checks_per_region() {
        let mut data = crate::inventory::InventoryData::new(
            testing::ACCOUNT,
            &["us-east-1".to_string(), "eu-west-1".to_string()],
            testing::now(),
        );
        for region in ["us-east-1", "eu-west-1"] {
            data.region_mut(region).sqs.queue_urls = Memo::ready(Fetched::Ok(vec![]));
        }
        data.global.s3.account_public_access_block = Memo::ready(Fetched::Ok(None));
        let checks = selected(&["sqs.encrypted", "s3.account_public_access_block"]);
        let findings = run_offline(&checks, data).await;
        let regions: Vec<_> = findings
            .iter()
            .map(|f| (&*f.check_id, f.region.as_deref()))
            .collect();
        assert_eq!(
            regions,
            [
                ("s3.account_public_access_block", None),
                ("sqs.encrypted", Some("eu-west-1")),
                ("sqs.encrypted", Some("us-east-1")),
            ]
        );
        assert_eq!(findings[1].status, Status::NotApplicable);
        assert_eq!(findings[0].severity, crate::finding::Severity::Critical);
    }

    /// ERROR propagation, once for all checks: with nothing readable, every check of the
    /// catalog reports ERROR, none PASS, none is dropped. (Manual criteria read nothing:
    /// they are MANUAL until attested.)
    #[tokio::test]
    async fn every_check_turns_unreadable_data_into_errors() {
        let checks: Vec<SelectedCheck> = selected(&[])
            .into_iter()
            .filter(|c| c.entry.service() != "manual")
            .collect();
        let data = testing::data();
        let findings = run_offline(&checks, data).await;
        for check in &checks {
            let own: Vec<_> = findings
                .iter()
                .filter(|f| *f.check_id == *check.entry.id)
                .collect();
            assert!(!own.is_empty(), "{} produced nothing", check.entry.id);
            for finding in own {
                assert_eq!(finding.status, Status::Error, "{finding:#?}");
                assert_eq!(
                    finding.evidence.value()["fetch_error"]["code"],
                    "MissingFromSnapshot",
                    "{finding:#?}"
                );
            }
        }
    }

    #[tokio::test]
    async fn a_check_that_panics_is_an_error_and_the_others_still_report() {
        let mut checks = selected(&["iam.root_mfa", "iam.root_no_access_keys"]);
        checks[0].implementation = Implementation::Builtin(|_| Box::pin(async { panic!("boom") }));
        let findings = run_offline(&checks, testing::data()).await;
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].status, Status::Error);
        assert!(
            findings[0].message.contains("boom"),
            "{}",
            findings[0].message
        );
        assert_eq!(&*findings[1].check_id, "iam.root_no_access_keys");
    }

    #[tokio::test]
    async fn a_check_that_never_finishes_is_an_error_not_a_hang() {
        let mut checks = selected(&["iam.root_mfa"]);
        checks[0].implementation =
            Implementation::Builtin(|_| Box::pin(futures::future::pending()));
        let findings =
            run_offline_within(&checks, testing::data(), Duration::from_millis(20)).await;
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert!(
            findings[0].message.contains("did not finish"),
            "{}",
            findings[0].message
        );
    }
}
