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
    /// below it, or if a manual criterion is unattested; GO otherwise.
    pub fn decide(findings: &[Finding], fail_on: Severity) -> Verdict {
        let mut verdict = Verdict::Go;
        for finding in findings {
            if finding.status.is_problem() && finding.severity >= fail_on {
                return Verdict::NoGo;
            }
            if finding.status.is_problem() || finding.status == Status::Manual {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Status};

    fn finding(status: Status, severity: Severity) -> Finding {
        Finding {
            check_id: "x.y".into(),
            title: "t".into(),
            status,
            severity,
            category: Category::Security,
            resource_id: "r".into(),
            resource_type: "T".into(),
            region: None,
            message: "m".into(),
            evidence: serde_json::json!({}),
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
                Verdict::decide(&findings, fail_on),
                expected,
                "{findings:?} at {fail_on}"
            );
        }
        assert_eq!(
            [Verdict::Go, Verdict::NoGo, Verdict::Warn].map(Verdict::exit_code),
            [0, 1, 2]
        );
    }
}
