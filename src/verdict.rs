//! From findings to GO / NO-GO / WARN and the exit code a CI job gates on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "GO")]
    Go,
    #[serde(rename = "NO-GO")]
    NoGo,
    #[serde(rename = "WARN")]
    Warn,
}

/// The audit could not run (bad flags, config or snapshot, no credentials).
pub const EXIT_UNABLE: i32 = 3;

impl Verdict {
    /// NO-GO if anything failed or went unverified at or above `fail_on`; WARN if only
    /// below it, if a manual criterion is unattested, or if `warned` (an expired
    /// waiver); GO otherwise. Waived findings, and with a baseline the findings already
    /// in it, do not count.
    pub fn decide<'a>(
        findings: impl IntoIterator<Item = &'a Finding>,
        fail_on: Severity,
        warned: bool,
    ) -> Verdict {
        let mut verdict = if warned { Verdict::Warn } else { Verdict::Go };
        for finding in findings {
            if finding.blocks() && finding.severity >= fail_on {
                return Verdict::NoGo;
            }
            if finding.blocks() || finding.status == Status::Manual {
                verdict = Verdict::Warn;
            }
        }
        verdict
    }

    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Go => 0,
            Verdict::NoGo => 1,
            Verdict::Warn => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "GO",
            Verdict::NoGo => "NO-GO",
            Verdict::Warn => "WARN",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict in one sentence, for every output that states it.
pub fn explain(
    verdict: Verdict,
    findings: &[Finding],
    fail_on: Severity,
    expired_waivers: usize,
    baseline: bool,
) -> String {
    let problems = findings.iter().filter(|f| f.blocks()).count();
    let above = findings
        .iter()
        .filter(|f| f.blocks() && f.severity >= fail_on)
        .count();
    let manual = findings
        .iter()
        .filter(|f| f.status == Status::Manual)
        .count();
    let new = if baseline { "new " } else { "" };
    let mut reasons = Vec::new();
    match verdict {
        Verdict::NoGo => reasons.push(format!(
            "{above} {new}finding{} failed or could not be verified at or above {fail_on}",
            plural(above)
        )),
        Verdict::Warn | Verdict::Go if problems > 0 => reasons.push(format!(
            "{problems} {new}finding{} failed or could not be verified, all below {fail_on}",
            plural(problems)
        )),
        _ => {}
    }
    if manual > 0 {
        reasons.push(format!(
            "{manual} manual criteri{} not attested",
            if manual == 1 { "on" } else { "a" }
        ));
    }
    if expired_waivers > 0 {
        reasons.push(format!(
            "{expired_waivers} waiver{} expired",
            plural(expired_waivers)
        ));
    }
    if reasons.is_empty() {
        let waived = findings
            .iter()
            .filter(|f| f.status == Status::Waived)
            .count();
        return match (waived, baseline) {
            (0, false) => "nothing failed or went unverified".to_string(),
            (0, true) => "nothing new failed or went unverified since the baseline".to_string(),
            (n, _) => {
                format!("nothing {new}failed or went unverified that is not waived ({n} waived)")
            }
        };
    }
    reasons.join("; ")
}

/// A count and its noun: "1 day", "3 days".
pub fn count(n: i64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The "s" of a count's noun: "1 finding", "2 findings".
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{BaselineMark, Status};

    fn finding(status: Status, severity: Severity) -> Finding {
        Finding {
            severity,
            ..crate::finding::testing::finding("x.y", status, "r")
        }
    }

    #[test]
    fn thresholds_decide_between_no_go_and_warn() {
        use Severity::*;
        use Status::*;
        let cases = [
            (vec![], High, Verdict::Go),
            (
                vec![finding(Pass, Critical), finding(NotApplicable, High)],
                High,
                Verdict::Go,
            ),
            (vec![finding(Fail, High)], High, Verdict::NoGo),
            (vec![finding(Error, Critical)], High, Verdict::NoGo),
            (vec![finding(Fail, Medium)], High, Verdict::Warn),
            (vec![finding(Fail, High)], Critical, Verdict::Warn),
            (vec![finding(Error, Low)], Low, Verdict::NoGo),
        ];
        for (findings, fail_on, expected) in cases {
            assert_eq!(
                Verdict::decide(&findings, fail_on, false),
                expected,
                "{findings:?} at {fail_on}"
            );
        }
        assert_eq!(
            Verdict::decide(&[], High, true),
            Verdict::Warn,
            "an expired waiver"
        );
        assert_eq!(
            [Verdict::Go, Verdict::NoGo, Verdict::Warn].map(Verdict::exit_code),
            [0, 1, 2]
        );
    }

    #[test]
    fn waived_and_baseline_findings_do_not_count_and_the_reason_says_why() {
        let mut waived = finding(Status::Waived, Severity::Critical);
        waived.baseline = None;
        let mut known = finding(Status::Fail, Severity::Critical);
        known.baseline = Some(BaselineMark::Existing);
        let mut new = finding(Status::Fail, Severity::Low);
        new.baseline = Some(BaselineMark::New);
        let findings = [waived, known, new];
        let verdict = Verdict::decide(&findings, Severity::High, false);
        assert_eq!(verdict, Verdict::Warn);
        assert_eq!(
            explain(verdict, &findings, Severity::High, 0, true),
            "1 new finding failed or could not be verified, all below high"
        );
        let manual = [finding(Status::Manual, Severity::Info)];
        assert_eq!(
            explain(Verdict::Warn, &manual, Severity::High, 2, false),
            "1 manual criterion not attested; 2 waivers expired"
        );
        assert_eq!(
            explain(Verdict::Go, &findings[..1], Severity::High, 0, false),
            "nothing failed or went unverified that is not waived (1 waived)"
        );
    }
}
