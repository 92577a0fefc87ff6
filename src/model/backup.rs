use aws_sdk_backup::types::{BackupJobState, RestoreJobStatus, RestoreValidationStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupPlan {
    pub id: String,
    pub name: String,
    pub arn: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupSelection {
    pub id: String,
    pub name: String,
}

/// A resource AWS Backup has backed up at least once (ListProtectedResources).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProtectedResource {
    pub arn: String,
    pub resource_type: String,
    /// When its most recent recovery point was created.
    pub last_backup: Option<DateTime<Utc>>,
}

/// A backup job of the last `RECENT_JOBS_DAYS` days (ListBackupJobs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupJob {
    pub id: String,
    pub resource_arn: String,
    /// `CREATED`, `PENDING`, `RUNNING`, `ABORTING`, `ABORTED`, `COMPLETED`, `FAILED`,
    /// `EXPIRED`, `PARTIAL`.
    pub state: String,
    pub created: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestoreJob {
    pub id: String,
    /// `PENDING`, `RUNNING`, `COMPLETED`, `ABORTED`, `FAILED`.
    pub status: String,
    pub resource_type: Option<String>,
    pub recovery_point_arn: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
    pub restore_testing_plan: Option<String>,
    /// The outcome of the validation run on the restored resource, when one ran (by a
    /// restore testing plan's validation or PutRestoreValidationResult): `VALIDATING`,
    /// `SUCCESSFUL`, `FAILED`, `TIMED_OUT`.
    #[serde(default)]
    pub validation_status: Option<String>,
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
