use serde::{Deserialize, Serialize};

use crate::fetched::Fetched;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncryptionRule {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    pub kms_key_id: Option<String>,
    pub bucket_key_enabled: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntelligentTieringConfig {
    pub id: String,
    pub enabled: bool,
}

/// An S3 Storage Lens configuration (dashboard) of the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorageLensConfig {
    pub id: String,
    pub arn: String,
    pub home_region: String,
    pub enabled: bool,
}
