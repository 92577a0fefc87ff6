use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A secret's rotation settings (ListSecrets); its value is never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub rotation_enabled: bool,
    /// `RotationRules.AutomaticallyAfterDays`.
    pub rotation_days: Option<i64>,
    /// `RotationRules.ScheduleExpression`: `rate(...)` or `cron(...)`.
    pub schedule: Option<String>,
    pub last_rotated: Option<DateTime<Utc>>,
    pub next_rotation: Option<DateTime<Utc>>,
    /// The service that manages the secret (e.g. `rds` for a master user password).
    pub owning_service: Option<String>,
}

impl Secret {
    /// When the next rotation is due: the last one plus the interval, or else the date
    /// Secrets Manager scheduled.
    pub fn rotation_due(&self) -> Option<DateTime<Utc>> {
        match (self.last_rotated, self.rotation_days) {
            (Some(last), Some(days)) => Some(last + chrono::Duration::days(days)),
            _ => self.next_rotation,
        }
    }
}
