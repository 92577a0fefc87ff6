//! Two audits compared finding by finding, matched by fingerprint: what is newly
//! failing, what was fixed, what still fails, and what changed severity.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::audit::Audit;
use crate::finding::{Finding, Fingerprint, Severity};

#[derive(Debug, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub fail_on: Severity,
    /// FAIL or ERROR now, and not before (absent, passing, or waived then).
    pub new_failures: Vec<Entry>,
    /// FAIL or ERROR before, and not now (`status` says what it is now, or GONE).
    pub fixed: Vec<Entry>,
    pub still_failing: Vec<Entry>,
    /// In both, with another severity (a catalog change or an orr.toml override).
    pub severity_changed: Vec<SeverityChange>,
    /// 1 when a new failure is at or above `fail_on`, else 0.
    pub exit_code: i32,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub account_id: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub verdict: crate::verdict::Verdict,
    pub problems: usize,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub fingerprint: Fingerprint,
    pub check_id: String,
    pub severity: Severity,
    /// The status in the later audit; "GONE" when it no longer reports the resource.
    pub status: String,
    pub was: String,
    pub account_id: String,
    pub region: Option<String>,
    pub resource_id: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct SeverityChange {
    pub from: Severity,
    pub to: Severity,
    #[serde(flatten)]
    pub finding: Entry,
}

const GONE: &str = "GONE";

fn side(audit: &Audit) -> Side {
    Side {
        account_id: audit.run.account_id.clone(),
        started_at: audit.run.started_at,
        verdict: audit.verdict,
        problems: audit
            .findings
            .iter()
            .filter(|f| f.status.is_problem())
            .count(),
    }
}

fn entry(now: Option<&Finding>, before: Option<&Finding>) -> Entry {
    let finding = now.or(before).expect("one side is present");
    let status = |f: Option<&Finding>| f.map_or(GONE.to_string(), |f| f.status.to_string());
    Entry {
        fingerprint: finding.fingerprint,
        check_id: finding.check_id.to_string(),
        severity: finding.severity,
        status: status(now),
        was: before.map_or("absent".to_string(), |f| f.status.to_string()),
        account_id: finding.account_id.to_string(),
        region: finding.region.as_deref().map(str::to_string),
        resource_id: finding.resource_id.clone(),
        message: finding.message.clone(),
    }
}

fn by_fingerprint(audit: &Audit) -> BTreeMap<Fingerprint, &Finding> {
    audit.findings.iter().map(|f| (f.fingerprint, f)).collect()
}

/// `fail_on` defaults to the later audit's threshold.
pub fn compare(old: &Audit, new: &Audit, fail_on: Option<Severity>) -> Diff {
    let fail_on = fail_on.unwrap_or(new.run.fail_on);
    let (before, after) = (by_fingerprint(old), by_fingerprint(new));
    let problem = |f: Option<&&Finding>| f.is_some_and(|f| f.status.is_problem());

    let mut diff = Diff {
        old: side(old),
        new: side(new),
        fail_on,
        new_failures: Vec::new(),
        fixed: Vec::new(),
        still_failing: Vec::new(),
        severity_changed: Vec::new(),
        exit_code: 0,
    };
    for (fingerprint, now) in &after {
        let then = before.get(fingerprint);
        match (problem(then), now.status.is_problem()) {
            (false, true) => diff.new_failures.push(entry(Some(now), then.copied())),
            (true, true) => diff.still_failing.push(entry(Some(now), then.copied())),
            (true, false) => diff.fixed.push(entry(Some(now), then.copied())),
            (false, false) => {}
        }
        if let Some(then) = then.filter(|then| then.severity != now.severity) {
            diff.severity_changed.push(SeverityChange {
                from: then.severity,
                to: now.severity,
                finding: entry(Some(now), Some(then)),
            });
        }
    }
    for (fingerprint, then) in &before {
        if then.status.is_problem() && !after.contains_key(fingerprint) {
            diff.fixed.push(entry(None, Some(then)));
        }
    }
    let order = |a: &Entry, b: &Entry| {
        (b.severity, &a.check_id, &a.resource_id).cmp(&(a.severity, &b.check_id, &b.resource_id))
    };
    for list in [
        &mut diff.new_failures,
        &mut diff.fixed,
        &mut diff.still_failing,
    ] {
        list.sort_by(order);
    }
    diff.severity_changed
        .sort_by(|a, b| order(&a.finding, &b.finding));
    if diff.new_failures.iter().any(|e| e.severity >= fail_on) {
        diff.exit_code = 1;
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::audit;
    use crate::finding::testing::finding;
    use crate::finding::Status;

    #[test]
    fn findings_are_matched_by_fingerprint_into_four_lists() {
        let mut raised = finding("s3.x", Status::Fail, "bucket-b");
        raised.severity = Severity::Critical;
        let old = audit(vec![
            finding("s3.x", Status::Fail, "bucket-a"),
            finding("s3.x", Status::Fail, "bucket-b"),
            finding("s3.x", Status::Error, "bucket-gone"),
            finding("s3.x", Status::Pass, "bucket-c"),
        ]);
        let mut new_low = finding("s3.x", Status::Fail, "bucket-d");
        new_low.severity = Severity::Low;
        let new = audit(vec![
            finding("s3.x", Status::Pass, "bucket-a"),
            raised,
            finding("s3.x", Status::Fail, "bucket-c"),
            new_low,
        ]);
        let diff = compare(&old, &new, None);
        let ids = |list: &[Entry]| {
            list.iter()
                .map(|e| e.resource_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&diff.new_failures), ["bucket-c", "bucket-d"]);
        assert_eq!(ids(&diff.fixed), ["bucket-a", "bucket-gone"]);
        assert_eq!(diff.fixed[1].status, "GONE");
        assert_eq!(ids(&diff.still_failing), ["bucket-b"]);
        assert_eq!(diff.severity_changed.len(), 1);
        assert_eq!(diff.severity_changed[0].to, Severity::Critical);
        assert_eq!(diff.exit_code, 1, "bucket-c is a new high failure");
        let lenient = compare(&old, &new, Some(Severity::Critical));
        assert_eq!(lenient.exit_code, 0, "no new failure is critical");
    }
}
