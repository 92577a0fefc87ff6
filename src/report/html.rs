//! The ORR report a reviewer signs: one self-contained HTML page (no external CSS, JS,
//! fonts or images), rendered from the audit alone by the askama template
//! `templates/report.html`, which escapes every value. Complete with JavaScript off;
//! with it on, the findings can be filtered.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use askama::Template;

use super::{worst_first, RenderOptions};
use crate::audit::{Audit, Source};
use crate::catalog::CatalogEntry;
use crate::finding::{BaselineMark, Category, Finding, Status};
use crate::frameworks::{self, Framework};
use crate::waivers::WaiverState;

/// The statuses in the order the summary draws them.
const DRAWN: [Status; 6] = [
    Status::Fail,
    Status::Error,
    Status::Waived,
    Status::Manual,
    Status::Pass,
    Status::NotApplicable,
];

/// A check's status, worst first: the status of its worst finding, and its place in
/// the checklist.
const SIGN_OFF_ORDER: [Status; 6] = [
    Status::Fail,
    Status::Error,
    Status::Manual,
    Status::Waived,
    Status::Pass,
    Status::NotApplicable,
];

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    audit: &'a Audit,
    title: String,
    verdict_class: &'static str,
    verdict_label: &'static str,
    source: String,
    started_at: String,
    as_of: String,
    duration: String,
    baseline: Option<String>,
    categories: Vec<CategoryView>,
    checks: Vec<CheckView<'a>>,
    warnings: Vec<String>,
    waivers: Vec<WaiverView<'a>>,
    attestations: Vec<AttestationView<'a>>,
    audit_sha256: &'a str,
    statuses: Vec<&'static str>,
    /// One row per account when the run covered more than one.
    accounts: Vec<AccountView<'a>>,
    /// Pillar, then best practice, then the checks that ran for it.
    well_architected: Vec<FrameworkView>,
    /// Every question of AWS's ORR lens, with the checks that ran for it, if any.
    orr_lens: Vec<FrameworkView>,
}

struct FrameworkView {
    pillar: String,
    items: Vec<FrameworkItemView>,
}

struct FrameworkItemView {
    id: String,
    title: String,
    /// (check id, its status, the status's class)
    checks: Vec<(String, &'static str, &'static str)>,
}

struct AccountView<'a> {
    record: &'a crate::audit::AccountRun,
    verdict: &'static str,
    fail: usize,
    error: usize,
    /// The role it was read through, or why it could not be.
    note: String,
}

struct CategoryView {
    name: &'static str,
    total: usize,
    counts: Vec<(&'static str, usize)>,
    /// The bar's segments: (status class, x, width) in a 0..400 wide SVG.
    segments: Vec<(&'static str, String, String)>,
}

struct CheckView<'a> {
    entry: &'a CatalogEntry,
    /// Its status's place in `SIGN_OFF_ORDER`: what blocks the sign-off sorts first.
    rank: usize,
    status: &'static str,
    class: &'static str,
    tally: String,
    compliance: Vec<String>,
    findings: Vec<FindingView<'a>>,
}

struct FindingView<'a> {
    finding: &'a Finding,
    status: &'static str,
    class: &'static str,
    region: &'a str,
    /// Pretty JSON of what was observed; none when nothing was (an empty object).
    evidence: Option<String>,
    waiver: Option<String>,
    baseline: Option<&'static str>,
    search: String,
}

struct WaiverView<'a> {
    record: &'a crate::waivers::WaiverRecord,
    state: &'static str,
}

struct AttestationView<'a> {
    record: &'a crate::audit::AttestationRecord,
    /// Only http(s) evidence becomes a link: a `javascript:` URL stays text.
    link: Option<&'a str>,
}

pub fn render(audit: &Audit, options: &RenderOptions) -> Result<String> {
    let run = &audit.run;
    let (verdict_class, verdict_label) = match audit.verdict {
        crate::verdict::Verdict::Go => ("go", "GO"),
        crate::verdict::Verdict::NoGo => ("nogo", "NO-GO"),
        crate::verdict::Verdict::Warn => ("warn", "GO with warnings"),
    };
    let checks = check_views(audit);
    let page = ReportPage {
        audit,
        title: if audit.is_multi_account() {
            format!(
                "Operational readiness review: {} accounts",
                run.accounts.len()
            )
        } else {
            let audited = run.accounts.first().map_or(&run.account_id, |a| &a.id);
            format!("Operational readiness review: account {audited}")
        },
        accounts: if audit.is_multi_account() {
            run.accounts.iter().map(|record| account_view(audit, record)).collect()
        } else {
            Vec::new()
        },
        verdict_class,
        verdict_label,
        source: match run.source {
            Source::Aws => "read live from AWS".to_string(),
            Source::Snapshot => "read from a snapshot".to_string(),
        },
        started_at: run.started_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        as_of: run.as_of.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        duration: format!("{:.1} s", run.duration_ms as f64 / 1000.0),
        baseline: run.baseline.as_ref().map(|b| {
            format!(
                "audit of {} (SHA-256 {}): its {} FAIL/ERROR findings are marked known and do not count for the verdict",
                b.started_at.format("%Y-%m-%d %H:%M UTC"),
                b.sha256,
                b.problems
            )
        }),
        categories: Category::ALL
            .into_iter()
            .map(|c| category_view(audit, c))
            .collect(),
        well_architected: framework_views(Framework::WellArchitected, audit, &checks),
        orr_lens: framework_views(Framework::OrrLens, audit, &checks),
        checks,
        warnings: audit.warnings(),
        waivers: audit
            .waivers
            .iter()
            .map(|record| WaiverView {
                record,
                state: match record.state {
                    WaiverState::Applied => "applied",
                    WaiverState::Expired => "expired: no longer applies",
                    WaiverState::Unmatched => "matches nothing",
                    WaiverState::NotRun => "check not run",
                },
            })
            .collect(),
        attestations: audit
            .attestations
            .iter()
            .map(|record| AttestationView {
                record,
                link: record
                    .evidence
                    .as_deref()
                    .filter(|e| e.starts_with("https://") || e.starts_with("http://")),
            })
            .collect(),
        audit_sha256: &options.audit_sha256,
        statuses: DRAWN.iter().map(|s| s.as_str()).collect(),
    };
    page.render().context("cannot render the HTML report")
}

fn class(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
        Status::Waived => "waived",
        Status::Manual => "manual",
        Status::NotApplicable => "na",
    }
}

fn category_view(audit: &Audit, category: Category) -> CategoryView {
    let counts = &audit.summary.by_category[&category];
    let total: usize = DRAWN.iter().map(|s| counts[s]).sum();
    let mut x = 0.0;
    let mut segments = Vec::new();
    for status in DRAWN {
        let n = counts[&status];
        if n == 0 || total == 0 {
            continue;
        }
        let width = 400.0 * n as f64 / total as f64;
        segments.push((class(status), format!("{x:.2}"), format!("{width:.2}")));
        x += width;
    }
    CategoryView {
        name: category.as_str(),
        total,
        counts: DRAWN.iter().map(|s| (s.as_str(), counts[s])).collect(),
        segments,
    }
}

fn account_view<'a>(audit: &Audit, record: &'a crate::audit::AccountRun) -> AccountView<'a> {
    let summary = audit.summary.by_account.get(&record.id);
    let count = |status: Status| summary.map_or(0, |s| s.by_status[&status]);
    AccountView {
        record,
        verdict: summary.map_or("GO", |s| s.verdict.as_str()),
        fail: count(Status::Fail),
        error: count(Status::Error),
        note: match (&record.error, &record.role_arn) {
            (Some(error), _) => format!("not audited: {error}"),
            (None, Some(role)) => role.clone(),
            (None, None) => "orr's own credentials".to_string(),
        },
    }
}

/// Every check that ran, the ones that block the sign-off first (by severity), each
/// with its findings.
fn check_views(audit: &Audit) -> Vec<CheckView<'_>> {
    let mut by_check: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &audit.findings {
        by_check.entry(&finding.check_id).or_default().push(finding);
    }
    let mut views: Vec<CheckView> = audit
        .catalog
        .values()
        .map(|entry| {
            let mut findings = by_check.remove(entry.id.as_str()).unwrap_or_default();
            findings.sort_by(|a, b| worst_first(a, b));
            // The check's status is its worst finding's, in sign-off order.
            let rank = SIGN_OFF_ORDER
                .iter()
                .position(|s| findings.iter().any(|f| f.status == *s))
                .unwrap_or(SIGN_OFF_ORDER.len() - 1);
            let status = SIGN_OFF_ORDER[rank];
            let tally = DRAWN
                .iter()
                .filter_map(|s| {
                    let n = findings.iter().filter(|f| f.status == *s).count();
                    (n > 0).then(|| format!("{n} {s}"))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            CheckView {
                entry,
                rank,
                status: status.as_str(),
                class: class(status),
                tally,
                compliance: entry.compliance.labels(),
                findings: findings.into_iter().map(finding_view).collect(),
            }
        })
        .collect();
    views.sort_by(|a, b| {
        (a.rank, std::cmp::Reverse(a.entry.severity), &a.entry.id).cmp(&(
            b.rank,
            std::cmp::Reverse(b.entry.severity),
            &b.entry.id,
        ))
    });
    views
}

/// The checks that ran, grouped by `framework`, each with its status in this audit.
fn framework_views(
    framework: Framework,
    audit: &Audit,
    checks: &[CheckView],
) -> Vec<FrameworkView> {
    let entries: Vec<&CatalogEntry> = audit.catalog.values().collect();
    frameworks::grouped(framework, &entries)
        .into_iter()
        .map(|group| FrameworkView {
            pillar: group.name,
            items: group
                .items
                .into_iter()
                .map(|item| FrameworkItemView {
                    checks: item
                        .checks
                        .iter()
                        .filter_map(|id| checks.iter().find(|c| &c.entry.id == id))
                        .map(|c| (c.entry.id.clone(), c.status, c.class))
                        .collect(),
                    id: item.id,
                    title: item.title,
                })
                .collect(),
        })
        .collect()
}

fn finding_view(finding: &Finding) -> FindingView<'_> {
    let region = finding.region.as_deref().unwrap_or("global");
    FindingView {
        finding,
        status: finding.status.as_str(),
        class: class(finding.status),
        region,
        evidence: (!finding.evidence.is_empty()).then(|| finding.evidence.pretty()),
        waiver: finding.waiver.as_ref().map(|w| {
            format!(
                "{} waived by {} until {}: {}",
                w.original_status, w.approved_by, w.expires, w.reason
            )
        }),
        baseline: finding.baseline.map(|mark| match mark {
            BaselineMark::New => "new since the baseline",
            BaselineMark::Existing => "known from the baseline",
        }),
        search: format!(
            "{} {} {} {}",
            finding.check_id, finding.resource_id, region, finding.message
        )
        .to_lowercase(),
    }
}
