use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fetched::Fetched;

/// An S3 bucket of the account (ListBuckets), with its region (GetBucketLocation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Bucket {
    /// The bucket's name, unique in its partition.
    pub name: String,
    /// The region the bucket lives in, or why it could not be learned: one bucket whose
    /// location is unreadable costs only that bucket's findings.
    pub region: Fetched<String>,
}

impl Bucket {
    /// Its ARN in `partition` (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn arn(&self, partition: &str) -> String {
        format!("arn:{partition}:s3:::{}", self.name)
    }
}

/// An S3 directory bucket (ListDirectoryBuckets, asked of each audited region's S3 Express
/// control endpoint): a bucket in one Availability Zone or Local Zone of that region, for
/// the S3 Express One Zone and S3 One Zone-IA storage classes. AWS fixes much of what the
/// bucket checks judge for general purpose buckets (always encrypted, Block Public Access
/// always on, HTTPS only), so the checks say so for each directory bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DirectoryBucket {
    /// The bucket's name: `base-name--zone-id--x-s3`, e.g. `logs--use1-az4--x-s3`.
    pub name: String,
    /// `BucketArn` (`arn:aws:s3express:REGION:ACCOUNT:bucket/NAME`), where AWS gives it.
    #[serde(default)]
    pub arn: Option<String>,
    /// `CreationDate`.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
}

impl DirectoryBucket {
    /// Its ARN: AWS's, or the documented form built from `region` and `account_id`.
    pub fn arn_in(&self, partition: &str, region: &str, account_id: &str) -> String {
        self.arn.clone().unwrap_or_else(|| {
            format!(
                "arn:{partition}:s3express:{region}:{account_id}:bucket/{}",
                self.name
            )
        })
    }

    /// The zone the bucket lives in (`use1-az4`), from its name: AWS requires every
    /// directory bucket's name to end with `--ZONE-ID--x-s3`.
    pub fn zone_id(&self) -> Option<&str> {
        let base = self.name.strip_suffix("--x-s3")?;
        let (_, zone) = base.rsplit_once("--")?;
        Some(zone)
    }
}

/// An S3 Block Public Access configuration, of a bucket (GetPublicAccessBlock) or of the
/// account (S3 Control GetPublicAccessBlock); a flag AWS leaves out is off.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct PublicAccessBlock {
    /// `BlockPublicAcls`: S3 rejects requests that set a public ACL.
    pub block_public_acls: bool,
    /// `IgnorePublicAcls`: S3 ignores public ACLs already on the bucket and its objects.
    pub ignore_public_acls: bool,
    /// `BlockPublicPolicy`: S3 rejects a bucket policy that grants public access.
    pub block_public_policy: bool,
    /// `RestrictPublicBuckets`: only AWS services and the owner's account may use a bucket
    /// whose policy is public.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub fn all_on(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }

    pub fn missing_flags(&self) -> Vec<&'static str> {
        [
            ("BlockPublicAcls", self.block_public_acls),
            ("IgnorePublicAcls", self.ignore_public_acls),
            ("BlockPublicPolicy", self.block_public_policy),
            ("RestrictPublicBuckets", self.restrict_public_buckets),
        ]
        .into_iter()
        .filter(|(_, on)| !on)
        .map(|(name, _)| name)
        .collect()
    }
}

/// One default-encryption rule of a bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EncryptionRule {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    /// `KMSMasterKeyID`: the KMS key (ID, alias or ARN) of an `aws:kms` or `aws:kms:dsse`
    /// rule, where `None` means the AWS managed key `aws/s3`; `None` for `AES256`.
    pub kms_key_id: Option<String>,
    /// `BucketKeyEnabled`: an S3 Bucket Key cuts the KMS requests of SSE-KMS.
    pub bucket_key_enabled: Option<bool>,
}

/// One rule of a bucket's lifecycle configuration (GetBucketLifecycleConfiguration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LifecycleRule {
    /// `ID`: the rule's name.
    pub id: Option<String>,
    /// `Status` is `Enabled` (a `Disabled` rule does nothing).
    pub enabled: bool,
    /// What the rule does; `None` in a snapshot taken before orr recorded it.
    #[serde(default)]
    pub actions: Option<LifecycleActions>,
}

/// A lifecycle rule's actions, as GetBucketLifecycleConfiguration returns them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LifecycleActions {
    /// The storage classes current versions transition to (`Transition`), e.g.
    /// `STANDARD_IA`, `INTELLIGENT_TIERING`, `GLACIER`.
    pub transitions: Vec<String>,
    /// Days after creation after which current versions expire (`Expiration.Days`).
    pub expiration_days: Option<i32>,
    /// The date on which current versions expire (`Expiration.Date`).
    pub expiration_date: Option<DateTime<Utc>>,
    /// The storage classes noncurrent versions transition to.
    pub noncurrent_transitions: Vec<String>,
    /// Noncurrent versions expire (`NoncurrentVersionExpiration`).
    pub expires_noncurrent_versions: bool,
    /// Expired object delete markers are removed (`ExpiredObjectDeleteMarker`).
    pub removes_expired_delete_markers: bool,
    /// Incomplete multipart uploads are aborted (`AbortIncompleteMultipartUpload`).
    pub aborts_incomplete_uploads: bool,
}

impl LifecycleActions {
    /// What the rule does to current objects, the data a bucket's cost grows with: moves
    /// them to another (cheaper) storage class, or deletes them after a time. Actions on
    /// noncurrent versions, delete markers or incomplete uploads leave it in place.
    pub fn on_current_objects(&self) -> Option<String> {
        if !self.transitions.is_empty() {
            return Some(format!(
                "transitions current objects to {}",
                self.transitions.join(", ")
            ));
        }
        match (self.expiration_days, self.expiration_date) {
            (Some(days), _) => Some(format!("expires current objects after {days} days")),
            (None, Some(date)) => Some(format!("expires current objects on {}", date.date_naive())),
            (None, None) => None,
        }
    }
}

/// An S3 Intelligent-Tiering archive configuration of a bucket
/// (ListBucketIntelligentTieringConfigurations).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IntelligentTieringConfig {
    /// `Id`: the configuration's name.
    pub id: String,
    /// `Status` is `Enabled`.
    pub enabled: bool,
}

/// An S3 Storage Lens configuration (dashboard) of the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StorageLensConfig {
    /// `Id`: the configuration's name.
    pub id: String,
    /// `StorageLensArn`.
    pub arn: String,
    /// `HomeRegion`: where the configuration lives.
    pub home_region: String,
    /// `IsEnabled`: Storage Lens collects metrics for it.
    pub enabled: bool,
}
