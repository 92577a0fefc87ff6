use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The root-user facts of `GetAccountSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountSummary {
    pub root_mfa_enabled: bool,
    pub root_access_keys_present: bool,
    /// `AccountPasswordPresent`; `None` where IAM's summary does not report it.
    #[serde(default)]
    pub root_password_present: Option<bool>,
    /// `AccountSigningCertificatesPresent`; `None` where not reported.
    #[serde(default)]
    pub root_signing_certificates_present: Option<bool>,
}

impl AccountSummary {
    /// The root user has no password, access key or signing certificate: it cannot
    /// sign in or call AWS (what Organizations' centralized root access leaves in a
    /// member account after deleting its root credentials).
    pub fn root_has_no_credentials(&self) -> bool {
        !self.root_access_keys_present
            && self.root_password_present == Some(false)
            && self.root_signing_certificates_present == Some(false)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PasswordPolicy {
    pub minimum_password_length: Option<i32>,
    pub password_reuse_prevention: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub max_password_age: Option<i32>,
}

/// One row of the IAM credential report. Dates the report gives as `N/A`,
/// `no_information` or `not_supported` are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CredentialReportUser {
    pub user: String,
    pub arn: String,
    pub user_creation_time: Option<DateTime<Utc>>,
    pub password_enabled: bool,
    pub password_last_used: Option<DateTime<Utc>>,
    /// When the password was last set: a password never used is idle from then, not
    /// from the user's creation.
    #[serde(default)]
    pub password_last_changed: Option<DateTime<Utc>>,
    pub mfa_active: bool,
    pub access_keys: Vec<AccessKeyReport>,
}

impl CredentialReportUser {
    pub const ROOT: &'static str = "<root_account>";

    pub fn is_root(&self) -> bool {
        self.user == Self::ROOT
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccessKeyReport {
    /// 1 or 2: the report's column pair.
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<DateTime<Utc>>,
    pub last_used: Option<DateTime<Utc>>,
}

/// A customer-managed policy's default version or an inline policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyDocument {
    /// The managed policy's ARN, or `<principal ARN>/inline/<policy name>` for inline ones.
    pub id: String,
    pub kind: PolicyKind,
    pub name: String,
    /// The decoded JSON text, as IAM stores it.
    pub document: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    CustomerManaged,
    UserInline,
    GroupInline,
    RoleInline,
}
