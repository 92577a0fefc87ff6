use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The root-user facts of `GetAccountSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountSummary {
    /// AccountMFAEnabled: whether the root user has an MFA device.
    pub root_mfa_enabled: bool,
    /// AccountAccessKeysPresent: whether the root user has access keys.
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

/// The account's password policy (GetAccountPasswordPolicy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PasswordPolicy {
    /// MinimumPasswordLength: the fewest characters a password may have.
    pub minimum_password_length: Option<i32>,
    /// PasswordReusePrevention: how many previous passwords cannot be reused.
    pub password_reuse_prevention: Option<i32>,
    /// RequireSymbols: a password needs a non-alphanumeric character.
    pub require_symbols: bool,
    /// RequireNumbers: a password needs a digit.
    pub require_numbers: bool,
    /// RequireUppercaseCharacters: a password needs an uppercase letter.
    pub require_uppercase_characters: bool,
    /// RequireLowercaseCharacters: a password needs a lowercase letter.
    pub require_lowercase_characters: bool,
    /// MaxPasswordAge: the days a password stays valid; `None`: passwords never expire.
    pub max_password_age: Option<i32>,
}

/// One row of the IAM credential report. Dates the report gives as `N/A`,
/// `no_information` or `not_supported` are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CredentialReportUser {
    /// user: the user's name, `<root_account>` for the root user.
    pub user: String,
    /// arn: the user's ARN.
    pub arn: String,
    /// user_creation_time: when the user was created.
    pub user_creation_time: Option<DateTime<Utc>>,
    /// password_enabled: whether the user has a console password.
    pub password_enabled: bool,
    /// password_last_used: when the password was last used to sign in.
    pub password_last_used: Option<DateTime<Utc>>,
    /// When the password was last set: a password never used is idle from then, not
    /// from the user's creation.
    #[serde(default)]
    pub password_last_changed: Option<DateTime<Utc>>,
    /// mfa_active: whether an MFA device is enabled for the user.
    pub mfa_active: bool,
    /// The report's two access key column pairs.
    pub access_keys: Vec<AccessKeyReport>,
}

impl CredentialReportUser {
    pub const ROOT: &'static str = "<root_account>";

    pub fn is_root(&self) -> bool {
        self.user == Self::ROOT
    }
}

/// One access key of a credential report row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccessKeyReport {
    /// 1 or 2: the report's column pair.
    pub slot: u8,
    /// access_key_N_active: whether the key is active.
    pub active: bool,
    /// access_key_N_last_rotated: when the key was created or last rotated.
    pub last_rotated: Option<DateTime<Utc>>,
    /// access_key_N_last_used_date: when the key was last used.
    pub last_used: Option<DateTime<Utc>>,
}

/// A customer-managed policy's default version or an inline policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyDocument {
    /// The managed policy's ARN, or `<principal ARN>/inline/<policy name>` for inline ones.
    pub id: String,
    /// Whether it is a customer-managed policy or whose inline policy it is.
    pub kind: PolicyKind,
    /// PolicyName: the policy's name.
    pub name: String,
    /// The decoded JSON text, as IAM stores it.
    pub document: String,
}

/// Where a policy document comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    CustomerManaged,
    UserInline,
    GroupInline,
    RoleInline,
}

/// What one GetAccountAuthorizationDetails read holds: the policy documents, and the
/// account's users and roles as resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuthorizationDetails {
    /// Customer-managed policies (default version) and every inline policy.
    #[serde(default)]
    pub policy_documents: Vec<PolicyDocument>,
    /// UserDetailList: the account's IAM users.
    #[serde(default)]
    pub users: Vec<IamUser>,
    /// RoleDetailList: the account's IAM roles, service-linked ones included.
    #[serde(default)]
    pub roles: Vec<IamRole>,
    /// GroupDetailList: the account's IAM groups.
    #[serde(default)]
    pub groups: Vec<IamGroup>,
}

/// An IAM group (a GroupDetail of GetAccountAuthorizationDetails); its members are the
/// users whose `groups` name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamGroup {
    /// Arn: the group's ARN.
    pub arn: String,
    /// GroupName: the group's friendly name.
    pub name: String,
    /// GroupId: the stable unique id IAM gave the group (`AGPA...`).
    #[serde(default)]
    pub id: String,
    /// Path: the group's path, `/` unless set.
    #[serde(default)]
    pub path: String,
    /// CreateDate: when the group was created.
    #[serde(default)]
    pub create_date: Option<DateTime<Utc>>,
    /// AttachedManagedPolicies[].PolicyArn: the managed policies attached to the group.
    #[serde(default)]
    pub attached_policy_arns: Vec<String>,
    /// GroupPolicyList[].PolicyName: the group's inline policies (their documents are
    /// in `policy_documents`).
    #[serde(default)]
    pub inline_policy_names: Vec<String>,
}

/// An IAM user (a UserDetail of GetAccountAuthorizationDetails); its credentials are
/// in the credential report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamUser {
    /// Arn: the user's ARN.
    pub arn: String,
    /// UserName: the user's friendly name.
    pub name: String,
    /// UserId: the stable unique id IAM gave the user (`AIDA...`).
    #[serde(default)]
    pub id: String,
    /// Path: the user's path, `/` unless set.
    #[serde(default)]
    pub path: String,
    /// CreateDate: when the user was created.
    #[serde(default)]
    pub create_date: Option<DateTime<Utc>>,
    /// PermissionsBoundary.PermissionsBoundaryArn: the policy bounding the user's
    /// permissions, if any.
    #[serde(default)]
    pub permissions_boundary_arn: Option<String>,
    /// AttachedManagedPolicies[].PolicyArn: the managed policies attached to the user.
    #[serde(default)]
    pub attached_policy_arns: Vec<String>,
    /// UserPolicyList[].PolicyName: the user's inline policies (their documents are in
    /// `policy_documents`).
    #[serde(default)]
    pub inline_policy_names: Vec<String>,
    /// GroupList: the names of the groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Tags: the user's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An IAM role (a RoleDetail of GetAccountAuthorizationDetails).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamRole {
    /// Arn: the role's ARN.
    pub arn: String,
    /// RoleName: the role's friendly name.
    pub name: String,
    /// RoleId: the stable unique id IAM gave the role (`AROA...`).
    #[serde(default)]
    pub id: String,
    /// Path: the role's path, e.g. `/` or `/aws-service-role/ecs.amazonaws.com/`.
    #[serde(default)]
    pub path: String,
    /// CreateDate: when the role was created.
    #[serde(default)]
    pub create_date: Option<DateTime<Utc>>,
    /// RoleLastUsed.LastUsedDate: when the role was last assumed; `None`: not within
    /// the 400 days IAM tracks.
    #[serde(default)]
    pub last_used: Option<DateTime<Utc>>,
    /// RoleLastUsed.Region: the region it was last used in.
    #[serde(default)]
    pub last_used_region: Option<String>,
    /// AssumeRolePolicyDocument: the trust policy, as decoded JSON text.
    #[serde(default)]
    pub trust_policy: Option<String>,
    /// PermissionsBoundary.PermissionsBoundaryArn: the policy bounding the role's
    /// permissions, if any.
    #[serde(default)]
    pub permissions_boundary_arn: Option<String>,
    /// AttachedManagedPolicies[].PolicyArn: the managed policies attached to the role.
    #[serde(default)]
    pub attached_policy_arns: Vec<String>,
    /// RolePolicyList[].PolicyName: the role's inline policies (their documents are in
    /// `policy_documents`).
    #[serde(default)]
    pub inline_policy_names: Vec<String>,
    /// InstanceProfileList[].Arn: the instance profiles that carry the role.
    #[serde(default)]
    pub instance_profile_arns: Vec<String>,
    /// Tags: the role's tags, key to value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A server certificate stored in IAM (ServerCertificateMetadata of
/// ListServerCertificates), which Classic Load Balancers and CloudFront can still serve;
/// IAM never renews it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServerCertificate {
    /// Arn: the certificate's ARN.
    pub arn: String,
    /// ServerCertificateName: the name it is stored under.
    pub name: String,
    /// ServerCertificateId: the stable unique id IAM gave it (`ASCA...`).
    #[serde(default)]
    pub id: String,
    /// Path: its path, e.g. `/` or `/cloudfront/` (for CloudFront's use).
    #[serde(default)]
    pub path: String,
    /// UploadDate: when it was uploaded.
    #[serde(default)]
    pub upload_date: Option<DateTime<Utc>>,
    /// Expiration: when the certificate stops being valid.
    pub expiration: Option<DateTime<Utc>>,
}
