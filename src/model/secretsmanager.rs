use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A secret as ListSecrets describes it; its value is never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Secret {
    /// ARN: the secret's ARN.
    pub arn: String,
    /// Name: the secret's name, e.g. `prod/orders/db`.
    pub name: String,
    /// RotationEnabled: whether automatic rotation is on.
    pub rotation_enabled: bool,
    /// RotationRules.AutomaticallyAfterDays: days between rotations.
    pub rotation_days: Option<i64>,
    /// RotationRules.ScheduleExpression: `rate(...)` or `cron(...)`.
    pub schedule: Option<String>,
    /// LastRotatedDate: when rotation last completed (absent: never rotated).
    pub last_rotated: Option<DateTime<Utc>>,
    /// NextRotationDate: when Secrets Manager plans the next rotation.
    pub next_rotation: Option<DateTime<Utc>>,
    /// OwningService: the service that manages the secret (e.g. `rds` for a master user
    /// password).
    pub owning_service: Option<String>,
    /// LastAccessedDate: the day the secret was last retrieved in the Region (AWS truncates
    /// it to midnight; absent: never retrieved).
    #[serde(default)]
    pub last_accessed: Option<DateTime<Utc>>,
    /// LastChangedDate: when the secret was last modified in any way.
    #[serde(default)]
    pub last_changed: Option<DateTime<Utc>>,
    /// CreatedDate: when the secret was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// KmsKeyId: the KMS key that encrypts the value (absent: the AWS managed
    /// `aws/secretsmanager` key).
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// PrimaryRegion: the Region of the primary secret, for a replicated secret.
    #[serde(default)]
    pub primary_region: Option<String>,
    /// Description: the secret's description, as its owner wrote it.
    #[serde(default)]
    pub description: Option<String>,
    /// Tags: the secret's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
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
