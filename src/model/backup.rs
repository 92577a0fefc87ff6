use aws_sdk_backup::types::{BackupJobState, RestoreJobStatus, RestoreValidationStatus};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// An AWS Backup plan of the region (ListBackupPlans).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupPlan {
    /// `BackupPlanId`.
    pub id: String,
    /// `BackupPlanName`.
    pub name: String,
    /// `BackupPlanArn`.
    pub arn: Option<String>,
}

/// A resource assignment of a backup plan, as ListBackupSelections names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupSelection {
    /// `SelectionId`.
    pub id: String,
    /// `SelectionName`.
    pub name: String,
}

/// One rule of a backup plan (GetBackupPlan): when it starts a backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupRule {
    /// `RuleName`.
    pub name: String,
    /// `cron(...)` or `rate(...)`; `None` when the rule has none (AWS Backup then runs
    /// it daily).
    pub schedule: Option<String>,
}

impl BackupRule {
    /// The longest time between two backups the schedule starts: a `rate` as given; a
    /// `cron` by its widest field that holds a single fixed value (one month: a year;
    /// one day of the month: 31 days; one day of the week: 7 days; otherwise a day). A
    /// list, range, step or other special form (`1,15`, `MON-FRI`, `*/3`, `L`, `15W`,
    /// `6#3`) does not widen the interval: it is read as daily, which can only make the
    /// check stricter. A rule without a schedule runs AWS Backup's default,
    /// `cron(0 5 ? * * *)`: daily. `None` when the schedule cannot be read, including a
    /// `rate` whose count is not positive or does not fit a duration.
    pub fn interval(&self) -> Option<TimeDelta> {
        let Some(schedule) = self.schedule.as_deref().map(str::trim) else {
            return TimeDelta::try_days(1);
        };
        if let Some(rate) = schedule
            .strip_prefix("rate(")
            .and_then(|r| r.strip_suffix(')'))
        {
            let (count, unit) = rate.trim().split_once(' ')?;
            let count: i64 = count.parse().ok().filter(|c| *c > 0)?;
            return match unit.trim().trim_end_matches('s') {
                "minute" => TimeDelta::try_minutes(count),
                "hour" => TimeDelta::try_hours(count),
                "day" => TimeDelta::try_days(count),
                _ => None,
            };
        }
        let fields: Vec<&str> = schedule
            .strip_prefix("cron(")?
            .strip_suffix(')')?
            .split_whitespace()
            .collect();
        let [_minutes, _hours, day_of_month, month, day_of_week, ..] = fields[..] else {
            return None;
        };
        TimeDelta::try_days(if fixed(month) {
            366
        } else if fixed(day_of_month) {
            31
        } else if fixed(day_of_week) {
            7
        } else {
            1
        })
    }
}

/// A cron field holding one fixed value: a number (`1`, `15`) or a month or weekday
/// name (`JAN`, `MON`); not `*`, `?`, a list, a range, a step, or `L`, `W`, `#` forms,
/// whose gaps between runs differ from the field's.
fn fixed(field: &str) -> bool {
    !field.is_empty()
        && (field.bytes().all(|b| b.is_ascii_digit())
            || (field.len() == 3 && field.bytes().all(|b| b.is_ascii_alphabetic())))
}

/// What a backup selection assigns to its plan (GetBackupSelection).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SelectionDetail {
    /// The ID of the backup plan it assigns resources to.
    pub plan_id: String,
    /// `SelectionId`.
    pub selection_id: String,
    /// `SelectionName`; empty if AWS returned no selection body.
    pub name: String,
    /// Resource ARNs, `*` a wildcard.
    pub resources: Vec<String>,
    /// `NotResources`: ARNs (`*` a wildcard) left out even when otherwise selected.
    pub not_resources: Vec<String>,
    /// Its tag conditions (ListOfTags, Conditions), e.g. `StringEquals
    /// aws:ResourceTag/backup = daily`: which resources carry those tags is not read.
    pub tag_conditions: Vec<String>,
}

/// Whether a selection selects a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selects {
    /// Not selected: excluded by `NotResources`, or matched by none of `Resources`.
    No,
    /// By its exact ARN.
    Yes,
    /// By a wildcard or tag conditions: only while the resource exists and matches them,
    /// which the protected resource listing does not say.
    IfStillMatching,
}

impl SelectionDetail {
    pub fn selects(&self, arn: &str) -> Selects {
        if self.not_resources.iter().any(|p| arn_matches(p, arn)) {
            return Selects::No;
        }
        // No resources, tags or conditions at all selects every supported resource.
        let exact = if self.resources.is_empty() {
            false
        } else {
            match self.resources.iter().find(|p| arn_matches(p, arn)) {
                Some(pattern) => !pattern.contains('*'),
                None => return Selects::No,
            }
        };
        if exact && self.tag_conditions.is_empty() {
            Selects::Yes
        } else {
            Selects::IfStillMatching
        }
    }
}

/// An ARN pattern of a selection, where `*` matches any run of characters.
fn arn_matches(pattern: &str, arn: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = arn.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A resource AWS Backup has backed up at least once (ListProtectedResources).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProtectedResource {
    /// `ResourceArn`.
    pub arn: String,
    /// `ResourceType`, e.g. `EBS`, `EC2`, `RDS`, `Aurora`, `DynamoDB`, `EFS`, `S3`.
    pub resource_type: String,
    /// When its most recent recovery point was created.
    pub last_backup: Option<DateTime<Utc>>,
}

/// A backup job of the last `RECENT_JOBS_DAYS` days (ListBackupJobs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BackupJob {
    /// `BackupJobId`.
    pub id: String,
    /// `ResourceArn`: the resource backed up.
    pub resource_arn: String,
    /// `CREATED`, `PENDING`, `RUNNING`, `ABORTING`, `ABORTED`, `COMPLETED`, `FAILED`,
    /// `EXPIRED`, `PARTIAL`.
    pub state: String,
    /// `CreationDate`: when the job was created.
    pub created: Option<DateTime<Utc>>,
    /// `CompletionDate`: when it finished; `None` while it runs.
    pub completed: Option<DateTime<Utc>>,
    /// `StatusMessage`: AWS Backup's explanation, e.g. why the job failed.
    pub status_message: Option<String>,
}

/// How far back the backup job listing reaches: a daily plan's latest job is in it;
/// a resource whose latest job is older is judged on its last backup time.
pub const RECENT_JOBS_DAYS: i64 = 7;
/// How far back the restore job listing reaches (the evidence of a tested restore).
pub const RESTORE_JOBS_DAYS: i64 = 365;

impl BackupJob {
    pub fn state(&self) -> BackupJobState {
        BackupJobState::from(self.state.as_str())
    }

    /// Still under way: its outcome is not known yet.
    pub fn in_progress(&self) -> bool {
        matches!(
            self.state(),
            BackupJobState::Created
                | BackupJobState::Pending
                | BackupJobState::Running
                | BackupJobState::Aborting
        )
    }
}

/// A restore job of the last `RESTORE_JOBS_DAYS` days (ListRestoreJobs), made by a
/// person or by a restore testing plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RestoreJob {
    /// `RestoreJobId`.
    pub id: String,
    /// `PENDING`, `RUNNING`, `COMPLETED`, `ABORTED`, `FAILED`.
    pub status: String,
    /// `ResourceType` of the restored resource (`EBS`, `RDS`, `DynamoDB`, ...).
    pub resource_type: Option<String>,
    /// `RecoveryPointArn`: the backup it restored from.
    pub recovery_point_arn: Option<String>,
    /// `CreationDate`: when the restore job was created.
    pub created: Option<DateTime<Utc>>,
    /// `CompletionDate`: when it finished; `None` while it runs.
    pub completed: Option<DateTime<Utc>>,
    /// `CreatedBy.RestoreTestingPlanArn`: the restore testing plan that started it; `None`
    /// for a restore a person started.
    pub restore_testing_plan: Option<String>,
    /// The outcome of the validation run on the restored resource, when one ran (by a
    /// restore testing plan's validation or PutRestoreValidationResult): `VALIDATING`,
    /// `SUCCESSFUL`, `FAILED`, `TIMED_OUT`.
    #[serde(default)]
    pub validation_status: Option<String>,
    /// `ValidationStatusMessage`: AWS's explanation of the validation status.
    #[serde(default)]
    pub validation_message: Option<String>,
}

impl RestoreJob {
    pub fn is_completed(&self) -> bool {
        RestoreJobStatus::from(self.status.as_str()) == RestoreJobStatus::Completed
    }

    pub fn validation(&self) -> Option<RestoreValidationStatus> {
        self.validation_status
            .as_deref()
            .map(RestoreValidationStatus::from)
    }

    /// A restore that completed and whose data, where it was validated, passed: a
    /// validation that failed, timed out or has not finished shows a restore that
    /// ran, not data that is usable.
    pub fn proves_restore(&self) -> bool {
        self.is_completed()
            && matches!(
                self.validation(),
                None | Some(RestoreValidationStatus::Successful)
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(schedule: &str) -> Option<TimeDelta> {
        BackupRule {
            name: "r".into(),
            schedule: Some(schedule.into()),
        }
        .interval()
    }

    #[test]
    fn a_schedule_gives_the_longest_wait_between_backups() {
        let days = |n| TimeDelta::try_days(n);
        assert_eq!(rule("cron(0 5 ? * * *)"), days(1));
        assert_eq!(rule("cron(0 */4 * * ? *)"), days(1));
        assert_eq!(rule("cron(0 5 ? * SUN *)"), days(7));
        assert_eq!(rule("cron(0 5 ? * 1 *)"), days(7));
        assert_eq!(rule("cron(0 5 1 * ? *)"), days(31));
        assert_eq!(rule("cron(0 5 1 1 ? *)"), days(366));
        assert_eq!(rule("cron(0 5 1 JAN ? *)"), days(366));
        assert_eq!(rule("rate(12 hours)"), TimeDelta::try_hours(12));
        assert_eq!(rule("rate(90 minutes)"), TimeDelta::try_minutes(90));
        assert_eq!(rule("rate(1 day)"), days(1));
        assert_eq!(rule("at(2026-01-01T00:00:00)"), None);
        let unscheduled = BackupRule {
            name: "r".into(),
            schedule: None,
        };
        assert_eq!(unscheduled.interval(), days(1));
    }

    #[test]
    fn only_a_single_fixed_cron_value_widens_the_interval() {
        let days = |n| TimeDelta::try_days(n);
        // Weekdays: real gap 3 days (Friday to Monday), not 7.
        assert_eq!(rule("cron(0 5 ? * MON-FRI *)"), days(1));
        assert_eq!(rule("cron(0 5 ? * MON,THU *)"), days(1));
        // The 1st and the 15th: real gap ~16 days, not 31.
        assert_eq!(rule("cron(0 5 1,15 * ? *)"), days(1));
        assert_eq!(rule("cron(0 5 1-7 * ? *)"), days(1));
        assert_eq!(rule("cron(0 5 */10 * ? *)"), days(1));
        // Every third month: the month step does not widen to a year; the fixed day
        // of the month still gives 31 days (the real gap, ~92, is longer: stricter).
        assert_eq!(rule("cron(0 5 1 */3 ? *)"), days(31));
        assert_eq!(rule("cron(0 5 ? */3 * *)"), days(1));
        assert_eq!(rule("cron(0 5 ? JAN,JUL * *)"), days(1));
        // Special forms whose gaps are not the field's: read as daily.
        assert_eq!(rule("cron(0 5 L * ? *)"), days(1));
        assert_eq!(rule("cron(0 5 15W * ? *)"), days(1));
        assert_eq!(rule("cron(0 5 ? * 6#3 *)"), days(1));
        assert_eq!(rule("cron(0 5 ? * 6L *)"), days(1));
    }

    #[test]
    fn a_rate_too_large_for_a_duration_is_unreadable_not_a_panic() {
        assert_eq!(rule("rate(999999999999999 days)"), None);
        assert_eq!(rule("rate(999999999999999999 hours)"), None);
        assert_eq!(rule("rate(9223372036854775807 minutes)"), None);
        assert_eq!(rule("rate(99999999999999999999 days)"), None);
        assert_eq!(rule("rate(0 days)"), None);
        assert_eq!(rule("rate(-1 days)"), None);
        assert_eq!(rule("rate(1000 days)"), TimeDelta::try_days(1000));
    }

    #[test]
    fn a_selection_selects_by_arn_wildcard_or_tags() {
        let db = "arn:aws:rds:us-east-1:123456789012:db:orders";
        let selection = |resources: &[&str], not: &[&str], tags: &[&str]| SelectionDetail {
            plan_id: "p".into(),
            selection_id: "s".into(),
            name: "s".into(),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            not_resources: not.iter().map(|r| r.to_string()).collect(),
            tag_conditions: tags.iter().map(|r| r.to_string()).collect(),
        };
        assert_eq!(selection(&[db], &[], &[]).selects(db), Selects::Yes);
        assert_eq!(
            selection(&["arn:aws:rds:*:*:db:*"], &[], &[]).selects(db),
            Selects::IfStillMatching
        );
        assert_eq!(
            selection(&[db], &[], &["StringEquals aws:ResourceTag/backup = daily"]).selects(db),
            Selects::IfStillMatching
        );
        assert_eq!(
            selection(&[], &[], &[]).selects(db),
            Selects::IfStillMatching
        );
        assert_eq!(
            selection(&["arn:aws:dynamodb:*"], &[], &[]).selects(db),
            Selects::No
        );
        assert_eq!(
            selection(&["*"], &["arn:aws:rds:*:*:db:orders"], &[]).selects(db),
            Selects::No
        );
        assert!(arn_matches("arn:*:db:*s", db) && !arn_matches("arn:*:db:x*", db));
    }
}
