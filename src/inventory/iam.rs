//! IAM's pieces: all account-wide.

use super::{accessors, pieces, Memo};
use crate::model::iam::{
    AccountSummary, CredentialReportUser, IamGroup, IamRole, IamUser, PasswordPolicy,
    PolicyDocument, ServerCertificate,
};

pieces! {
    pub struct IamGlobal {
        account_summary: Memo<AccountSummary>,
        password_policy: Memo<Option<PasswordPolicy>>,
        credential_report: Memo<Vec<CredentialReportUser>>,
        policy_documents: Memo<Vec<PolicyDocument>>,
        users: Memo<Vec<IamUser>>,
        roles: Memo<Vec<IamRole>>,
        groups: Memo<Vec<IamGroup>>,
        server_certificates: Memo<Vec<ServerCertificate>>,
    }
}

accessors! {
    iam "iam";
    global iam_account_summary: AccountSummary = iam.account_summary, "GetAccountSummary",
        |inventory, aws| aws.iam_account_summary(inventory.home_region());
    global iam_password_policy: Option<PasswordPolicy> = iam.password_policy, "GetAccountPasswordPolicy",
        |inventory, aws| aws.iam_password_policy(inventory.home_region());
    global iam_credential_report: Vec<CredentialReportUser> = iam.credential_report, "GenerateCredentialReport" "GetCredentialReport",
        |inventory, aws| aws.iam_credential_report(inventory.home_region());
    global iam_policy_documents: Vec<PolicyDocument> = iam.policy_documents, "GetAccountAuthorizationDetails",
        |inventory, aws| aws.iam_policy_documents(inventory.home_region());
    /// The account's IAM users as GetAccountAuthorizationDetails describes them (the
    /// same read as the policy documents, made once).
    global iam_users: Vec<IamUser> = iam.users, "GetAccountAuthorizationDetails",
        |inventory, aws| aws.iam_users(inventory.home_region());
    /// The account's IAM roles, service-linked ones included, with their trust policies.
    global iam_roles: Vec<IamRole> = iam.roles, "GetAccountAuthorizationDetails",
        |inventory, aws| aws.iam_roles(inventory.home_region());
    /// The account's IAM groups with the managed policies attached to them (the same
    /// read again).
    global iam_groups: Vec<IamGroup> = iam.groups, "GetAccountAuthorizationDetails",
        |inventory, aws| aws.iam_groups(inventory.home_region());
    /// The server certificates stored in IAM, once per account.
    global iam_server_certificates: Vec<ServerCertificate> = iam.server_certificates, "ListServerCertificates",
        |inventory, aws| aws.iam_server_certificates(inventory.home_region());
}
