//! Waivers: a FAIL or ERROR whose risk a named person accepted, until a date. A waived
//! finding stays in every output as WAIVED, with who, why and until when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::Waiver;
use crate::finding::{AppliedWaiver, Finding, Status};
use crate::verdict::plural;

/// A `[[waivers]]` entry and what became of it in this run: the audit keeps all of
/// them, so the report lists every accepted risk, and the stale ones are visible.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverRecord {
    pub index: usize,
    pub check: String,
    pub resource: String,
    pub reason: String,
    pub approved_by: String,
    pub expires: NaiveDate,
    pub state: WaiverState,
    /// FAIL and ERROR findings it waived or, once expired, would have waived.
    pub matched: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    Applied,
    /// Past its expiry date: it waives nothing, and says so as a warning.
    Expired,
    /// Its check ran but it matched no FAIL or ERROR: fixed, or the glob is wrong.
    Unmatched,
    /// Its check was not selected in this run, so there was nothing to match.
    NotRun,
}

impl WaiverRecord {
    /// The line a person needs to act on, for the states that need acting on.
    pub fn warning(&self) -> Option<String> {
        let what = format!(
            "waivers[{}] ({} on {})",
            self.index, self.check, self.resource
        );
        match self.state {
            WaiverState::Expired => Some(format!(
                "{what} expired on {}: it no longer applies ({} covered finding{} count{} again); renew it or fix the finding",
                self.expires,
                self.matched,
                plural(self.matched),
                if self.matched == 1 { "s" } else { "" },
            )),
            WaiverState::Unmatched => Some(format!(
                "{what} matches no FAIL or ERROR finding: remove it, or correct its check or resource glob"
            )),
            WaiverState::Applied | WaiverState::NotRun => None,
        }
    }
}

/// Turns each FAIL or ERROR that a live waiver covers into WAIVED (the first waiver
/// that matches, in file order, is the one recorded). A waiver applies through the
/// last day of `expires`, judged on `today` (UTC).
pub fn apply(
    findings: &mut [Finding],
    waivers: &[Waiver],
    checks_run: &[String],
    today: NaiveDate,
) -> Vec<WaiverRecord> {
    waivers
        .iter()
        .map(|waiver| {
            let expired = today > waiver.expires;
            let mut matched = 0;
            for finding in findings.iter_mut() {
                if !finding.status.is_problem()
                    || *finding.check_id != *waiver.check
                    || !waiver.matcher.is_match(&finding.resource_id)
                {
                    continue;
                }
                matched += 1;
                if !expired {
                    finding.waiver = Some(Box::new(AppliedWaiver {
                        original_status: finding.status,
                        index: waiver.index,
                        reason: waiver.reason.clone(),
                        approved_by: waiver.approved_by.clone(),
                        expires: waiver.expires,
                    }));
                    finding.status = Status::Waived;
                }
            }
            let state = if expired {
                WaiverState::Expired
            } else if matched > 0 {
                WaiverState::Applied
            } else if checks_run.contains(&waiver.check) {
                WaiverState::Unmatched
            } else {
                WaiverState::NotRun
            };
            WaiverRecord {
                index: waiver.index,
                check: waiver.check.clone(),
                resource: waiver.resource.clone(),
                reason: waiver.reason.clone(),
                approved_by: waiver.approved_by.clone(),
                expires: waiver.expires,
                state,
                matched,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::testing::finding;

    fn waivers(toml: &str) -> Vec<Waiver> {
        Config::parse(toml).unwrap().waivers().unwrap()
    }

    const TWO: &str = "
[[waivers]]
check = \"rds.storage_encrypted\"
resource = \"*billing*\"
reason = \"migrating\"
approved_by = \"jane\"
expires = 2027-03-31

[[waivers]]
check = \"rds.storage_encrypted\"
resource = \"*orders*\"
reason = \"old\"
approved_by = \"joe\"
expires = 2026-01-31
";

    #[test]
    fn a_live_waiver_waives_an_expired_one_does_not_and_both_say_so() {
        let mut findings = vec![
            finding("rds.storage_encrypted", Status::Fail, "db:billing-mysql"),
            finding("rds.storage_encrypted", Status::Error, "db:orders"),
            finding("rds.storage_encrypted", Status::Pass, "db:billing-pg"),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let records = apply(
            &mut findings,
            &waivers(TWO),
            &["rds.storage_encrypted".into()],
            today,
        );
        assert_eq!(findings[0].status, Status::Waived);
        let waiver = findings[0].waiver.as_ref().unwrap();
        assert_eq!(
            (waiver.original_status, waiver.approved_by.as_str()),
            (Status::Fail, "jane")
        );
        assert_eq!(
            findings[1].status,
            Status::Error,
            "the expired waiver applies no more"
        );
        assert_eq!(findings[2].status, Status::Pass, "a PASS is never waived");
        assert_eq!(records[0].state, WaiverState::Applied);
        assert_eq!(records[1].state, WaiverState::Expired);
        assert_eq!(records[1].matched, 1);
        let warning = records[1].warning().unwrap();
        assert!(warning.contains("expired on 2026-01-31"), "{warning}");
        assert!(
            warning.contains("1 covered finding counts again"),
            "{warning}"
        );
        assert_eq!(records[0].warning(), None);
    }

    #[test]
    fn a_waiver_applies_through_its_last_day() {
        let mut findings = vec![finding("rds.storage_encrypted", Status::Fail, "db:orders")];
        let last_day = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let records = apply(
            &mut findings,
            &waivers(TWO),
            &["rds.storage_encrypted".into()],
            last_day,
        );
        assert_eq!(findings[0].status, Status::Waived);
        assert_eq!(records[1].state, WaiverState::Applied);
    }

    #[test]
    fn a_waiver_that_matches_nothing_is_reported_unless_its_check_did_not_run() {
        let mut findings = vec![finding("rds.multi_az", Status::Fail, "db:billing")];
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let ran = apply(
            &mut findings,
            &waivers(TWO)[..1],
            &["rds.storage_encrypted".into()],
            today,
        );
        assert_eq!(ran[0].state, WaiverState::Unmatched);
        assert!(ran[0]
            .warning()
            .unwrap()
            .contains("matches no FAIL or ERROR"));
        let not_run = apply(&mut findings, &waivers(TWO)[..1], &[], today);
        assert_eq!(not_run[0].state, WaiverState::NotRun);
        assert_eq!(not_run[0].warning(), None);
        assert_eq!(
            findings[0].status,
            Status::Fail,
            "another check's finding is untouched"
        );
    }
}
