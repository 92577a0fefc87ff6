//! JUnit XML, which every CI system shows as a test report: one suite per check, one
//! test case per resource. FAIL is a failure, ERROR an error; WAIVED, MANUAL and NA are
//! skipped with the reason. quick-junit escapes the XML and drops the characters XML
//! cannot carry.

use anyhow::{Context, Result};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::audit::Audit;
use crate::finding::{Finding, Status};

pub fn render(audit: &Audit) -> Result<String> {
    let mut report = Report::new(format!("orr audit of account {}", audit.run.account_id));
    report.set_timestamp(audit.run.started_at);
    report.set_time(std::time::Duration::from_millis(audit.run.duration_ms));
    for check_id in &audit.run.checks {
        let mut suite = TestSuite::new(check_id.as_str());
        if let Some(entry) = audit.entry(check_id) {
            suite.add_property(("title", entry.title.as_str()));
            suite.add_property(("severity", entry.severity.as_str()));
            suite.add_property(("category", entry.category.as_str()));
        }
        suite.add_test_cases(
            audit
                .findings
                .iter()
                .filter(|f| *f.check_id == **check_id)
                .map(test_case),
        );
        report.add_test_suite(suite);
    }
    report.to_string().context("cannot write JUnit XML")
}

fn test_case(finding: &Finding) -> TestCase {
    let mut status = match finding.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => TestCaseStatus::non_success(NonSuccessKind::Failure),
        Status::Error => TestCaseStatus::non_success(NonSuccessKind::Error),
        Status::Waived | Status::Manual | Status::NotApplicable => TestCaseStatus::skipped(),
    };
    if finding.status != Status::Pass {
        let message = match &finding.waiver {
            Some(waiver) => format!(
                "WAIVED ({} until {} by {}: {}): {}",
                waiver.original_status,
                waiver.expires,
                waiver.approved_by,
                waiver.reason,
                finding.message
            ),
            None => format!("{}: {}", finding.status, finding.message),
        };
        status.set_message(message);
        status.set_type(finding.severity.as_str());
        if finding.status.is_problem() {
            status.set_description(finding.evidence.pretty());
        }
    }
    let name = match &finding.region {
        Some(region) => format!("{} ({region})", finding.resource_id),
        None => finding.resource_id.clone(),
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(&*finding.check_id);
    case
}
