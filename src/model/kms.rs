use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, OriginType};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub id: String,
    pub arn: String,
    /// `CUSTOMER` or `AWS`.
    pub manager: String,
    pub spec: String,
    pub usage: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub state: String,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
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
