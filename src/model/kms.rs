use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, OriginType};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A KMS key as DescribeKey returns its KeyMetadata (tags need ListResourceTags: not read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KmsKey {
    /// KeyId: the key's id, a UUID (or `mrk-...` for a multi-Region key).
    pub id: String,
    /// Arn: the key's ARN.
    pub arn: String,
    /// KeyManager: `CUSTOMER` or `AWS` (an AWS managed key).
    pub manager: String,
    /// KeySpec: e.g. `SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`.
    pub spec: String,
    /// KeyUsage: `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC` or `KEY_AGREEMENT`.
    pub usage: String,
    /// KeyState: `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, ...
    pub state: String,
    /// Origin: where the key material comes from: `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`,
    /// `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// MultiRegion: whether this is a multi-Region primary or replica key.
    #[serde(default)]
    pub multi_region: Option<bool>,
    /// CreationDate: when the key was created.
    #[serde(default)]
    pub created: Option<DateTime<Utc>>,
    /// Description: the key's description, as its owner wrote it.
    #[serde(default)]
    pub description: Option<String>,
    /// DeletionDate: when a key in `PendingDeletion` will be deleted.
    #[serde(default)]
    pub deletion_date: Option<DateTime<Utc>>,
}

impl KmsKey {
    /// Keys whose rotation the customer controls: enabled symmetric encryption keys of
    /// the customer with KMS-made key material. (A SYMMETRIC_DEFAULT key is always an
    /// ENCRYPT_DECRYPT key, so the usage, which emulators may omit, is not consulted.)
    pub fn rotation_applies(&self) -> bool {
        KeyManagerType::from(self.manager.as_str()) == KeyManagerType::Customer
            && KeySpec::from(self.spec.as_str()) == KeySpec::SymmetricDefault
            && KeyState::from(self.state.as_str()) == KeyState::Enabled
            && OriginType::from(self.origin.as_str()) == OriginType::AwsKms
    }
}
