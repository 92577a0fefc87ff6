//! Check evaluation over a generated fleet of about 100,000 resources (every check of
//! the catalog, every account and region of a many-account snapshot), parsing aside.
//! Then one check against the Rego policy that does its work with one exception
//! (`rds.backup_retention` and examples/policies' `org.backup_retention`), side by side
//! over the same fleet. `cargo bench --bench evaluate`; BENCHMARKS.md has the numbers.

#[path = "fleet_snapshot.rs"]
mod fleet_snapshot;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use orr::catalog::Catalog;
use orr::checks::Rules;
use orr::config::Selection;
use orr::finding::Finding;
use orr::inventory::{snapshot, Inventory};
use orr::registry::{self, SelectedCheck};
use orr::rego::PolicyOptions;
use orr::runner::{self, RunOptions};

/// 92 accounts of 17 regions of the demo's busiest region (1,092 distinct resources
/// with a verdict an account): just over 100,000.
const ACCOUNTS: usize = 92;

async fn evaluate(checks: &[SelectedCheck], fleet: &[Arc<Inventory>]) -> Vec<Finding> {
    let options = RunOptions {
        check_timeout: Duration::from_secs(300),
        progress: indicatif::ProgressBar::hidden(),
    };
    let rules = Arc::new(Rules::default());
    let mut findings = Vec::new();
    for inventory in fleet {
        findings.extend(runner::run(checks, inventory.clone(), rules.clone(), &options).await);
    }
    findings
}

fn bench(c: &mut Criterion) {
    let text = fleet_snapshot::fleet_json(ACCOUNTS);
    let fleet: Vec<Arc<Inventory>> = snapshot::parse(&text)
        .expect("the generated snapshot is valid")
        .accounts
        .into_iter()
        .map(|data| Arc::new(Inventory::offline(data)))
        .collect();
    let checks = registry::select(&Catalog::embedded(), &[], &Selection::default()).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    let findings = runtime.block_on(evaluate(&checks, &fleet));
    let resources: BTreeSet<_> = findings
        .iter()
        .map(|f| (&f.account_id, &f.region, &f.resource_id))
        .collect();
    eprintln!(
        "fleet: {ACCOUNTS} accounts, {} regions each, {} checks, {} findings, {} distinct resources, snapshot {:.1} MB",
        fleet_snapshot::REGIONS.len(),
        checks.len(),
        findings.len(),
        resources.len(),
        text.len() as f64 / 1e6
    );
    drop(text);

    let mut group = c.benchmark_group("evaluate");
    group.sample_size(10);
    group.bench_function("100k_resources", |b| {
        b.iter(|| runtime.block_on(evaluate(&checks, &fleet)))
    });
    group.finish();

    let options = PolicyOptions {
        dirs: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies").into()],
        ..PolicyOptions::default()
    };
    let mut catalog = Catalog::embedded();
    let policies = orr::rego::load(&options, &catalog).expect("the example policies load");
    catalog.extend(policies.iter().map(|p| p.entry.clone()));
    let one = |id: &str| {
        let selection = Selection {
            checks: vec![id.to_string()],
            ..Selection::default()
        };
        registry::select(&catalog, &policies, &selection).unwrap()
    };
    let (builtin, policy) = (one("rds.backup_retention"), one("org.backup_retention"));
    let judged = |checks: &[SelectedCheck]| runtime.block_on(evaluate(checks, &fleet)).len();
    eprintln!(
        "backup retention: built-in {} findings, policy {} findings",
        judged(&builtin),
        judged(&policy)
    );
    let mut group = c.benchmark_group("backup_retention");
    group.sample_size(10);
    group.bench_function("builtin", |b| {
        b.iter(|| runtime.block_on(evaluate(&builtin, &fleet)))
    });
    group.bench_function("rego_policy", |b| {
        b.iter(|| runtime.block_on(evaluate(&policy, &fleet)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
