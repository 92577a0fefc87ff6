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
        self.manager == "CUSTOMER"
            && self.spec == "SYMMETRIC_DEFAULT"
            && self.state == "Enabled"
            && self.origin == "AWS_KMS"
    }
}
