use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::types::{
    AttachedPermissionsBoundary, AttachedPolicy, EntityType, GroupDetail, PolicyDetail, RoleDetail,
    ServerCertificateMetadata, SummaryKeyType, Tag, UserDetail,
};
use aws_sdk_iam::Client;
use chrono::{DateTime, Utc};

use super::{fetch_error, instant, is_code, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::iam::{
    AccessKeyReport, AccountSummary, AuthorizationDetails, CredentialReportUser, IamGroup, IamRole,
    IamUser, PasswordPolicy, PolicyDocument, PolicyKind, ServerCertificate,
};

const SERVICE: &str = "iam";
/// How long to wait for IAM to generate the credential report (it usually takes seconds).
const REPORT_POLLS: u32 = 30;
const REPORT_POLL_INTERVAL: Duration = Duration::from_secs(2);

impl AwsReader {
    fn iam(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn iam_account_summary(&self, region: &str) -> Fetched<AccountSummary> {
        let out = self
            .call(self.iam(region).get_account_summary().send())
            .await;
        let out = match out {
            Ok(out) => out,
            Err(e) => return Fetched::Error(fetch_error(SERVICE, "GetAccountSummary", None, &e)),
        };
        account_summary(&out)
    }

    /// `None` where the account has no password policy (IAM answers NoSuchEntity).
    pub(crate) async fn iam_password_policy(
        &self,
        region: &str,
    ) -> Fetched<Option<PasswordPolicy>> {
        match self
            .call(self.iam(region).get_account_password_policy().send())
            .await
        {
            Ok(out) => Fetched::Ok(out.password_policy().map(password_policy)),
            Err(e) if is_code(&e, "NoSuchEntity") => Fetched::Ok(None),
            Err(e) => Fetched::Error(fetch_error(SERVICE, "GetAccountPasswordPolicy", None, &e)),
        }
    }

    pub(crate) async fn iam_credential_report(
        &self,
        region: &str,
    ) -> Fetched<Vec<CredentialReportUser>> {
        let client = self.iam(region);
        for _ in 0..REPORT_POLLS {
            // Generating is idempotent: it starts a report if none is fresh, else reports done.
            if let Err(e) = self
                .call_to(SERVICE, client.generate_credential_report().send())
                .await
            {
                return Fetched::Error(fetch_error(SERVICE, "GenerateCredentialReport", None, &e));
            }
            match self
                .call_to(SERVICE, client.get_credential_report().send())
                .await
            {
                Ok(out) => {
                    let csv = out.content().map(|blob| blob.as_ref()).unwrap_or_default();
                    return parse_credential_report(csv).into();
                }
                Err(e)
                    if is_code(&e, "ReportInProgress")
                        || is_code(&e, "ReportNotPresent")
                        || is_code(&e, "ReportExpired") =>
                {
                    tokio::time::sleep(REPORT_POLL_INTERVAL).await;
                }
                Err(e) => {
                    return Fetched::Error(fetch_error(SERVICE, "GetCredentialReport", None, &e))
                }
            }
        }
        Fetched::Error(FetchError::new(
            SERVICE,
            "GetCredentialReport",
            None,
            "ReportInProgress",
            "the credential report was not ready after a minute",
        ))
    }

    /// Customer-managed policies (default version) and every inline policy of users,
    /// groups and roles, through GetAccountAuthorizationDetails.
    pub(crate) async fn iam_policy_documents(&self, region: &str) -> Fetched<Vec<PolicyDocument>> {
        self.iam_detail(region, |d| &d.policy_documents).await
    }

    pub(crate) async fn iam_users(&self, region: &str) -> Fetched<Vec<IamUser>> {
        self.iam_detail(region, |d| &d.users).await
    }

    pub(crate) async fn iam_roles(&self, region: &str) -> Fetched<Vec<IamRole>> {
        self.iam_detail(region, |d| &d.roles).await
    }

    pub(crate) async fn iam_groups(&self, region: &str) -> Fetched<Vec<IamGroup>> {
        self.iam_detail(region, |d| &d.groups).await
    }

    /// Every server certificate stored in IAM (all paths, `/cloudfront/` included).
    pub(crate) async fn iam_server_certificates(
        &self,
        region: &str,
    ) -> Fetched<Vec<ServerCertificate>> {
        let items = self
            .iam(region)
            .list_server_certificates()
            .into_paginator()
            .items()
            .send();
        self.listed(
            SERVICE,
            "ListServerCertificates",
            region,
            items,
            server_certificate,
        )
        .await
    }

    /// One part of the run's one GetAccountAuthorizationDetails read, whichever of its
    /// pieces asks first (only that part is copied into the piece).
    async fn iam_detail<T: Clone>(
        &self,
        region: &str,
        part: impl FnOnce(&AuthorizationDetails) -> &T,
    ) -> Fetched<T> {
        let details = self
            .iam_details
            .get_or_init(|| self.iam_authorization_details(region))
            .await;
        match details {
            Fetched::Ok(details) => Fetched::Ok(part(details).clone()),
            Fetched::Error(error) => Fetched::Error(error.clone()),
        }
    }

    /// Every page of GetAccountAuthorizationDetails (local managed policies, users,
    /// groups, roles): the policy documents, and the users and roles as resources.
    async fn iam_authorization_details(&self, region: &str) -> Fetched<AuthorizationDetails> {
        let client = self.iam(region);
        let mut pages = client
            .get_account_authorization_details()
            .filter(EntityType::LocalManagedPolicy)
            .filter(EntityType::User)
            .filter(EntityType::Group)
            .filter(EntityType::Role)
            .into_paginator()
            .send();
        let mut details = AuthorizationDetails::default();
        loop {
            let Some(page) = self.call_to(SERVICE, pages.next()).await else {
                break;
            };
            match page {
                Ok(page) => add_page(&mut details, &page),
                Err(e) => {
                    return Fetched::Error(fetch_error(
                        SERVICE,
                        "GetAccountAuthorizationDetails",
                        None,
                        &e,
                    ))
                }
            }
        }
        Fetched::Ok(details)
    }
}

/// One page of GetAccountAuthorizationDetails into `details`.
fn add_page(details: &mut AuthorizationDetails, page: &GetAccountAuthorizationDetailsOutput) {
    let documents = &mut details.policy_documents;
    for policy in page.policies() {
        let Some(version) = policy
            .policy_version_list()
            .iter()
            .find(|v| v.is_default_version())
        else {
            continue;
        };
        let arn = policy.arn().unwrap_or_default();
        // The name is the ARN's last segment; emulators may omit PolicyName.
        let name = policy
            .policy_name()
            .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or_default());
        documents.push(PolicyDocument {
            id: arn.to_string(),
            kind: PolicyKind::CustomerManaged,
            name: name.to_string(),
            document: decode_policy(version.document().unwrap_or_default()),
        });
    }
    for user in page.user_detail_list() {
        push_inline(
            documents,
            PolicyKind::UserInline,
            user.arn(),
            user.user_policy_list(),
        );
        details.users.push(iam_user(user));
    }
    for group in page.group_detail_list() {
        push_inline(
            documents,
            PolicyKind::GroupInline,
            group.arn(),
            group.group_policy_list(),
        );
        details.groups.push(iam_group(group));
    }
    for role in page.role_detail_list() {
        push_inline(
            documents,
            PolicyKind::RoleInline,
            role.arn(),
            role.role_policy_list(),
        );
        details.roles.push(iam_role(role));
    }
}

fn iam_user(user: &UserDetail) -> IamUser {
    IamUser {
        arn: user.arn().unwrap_or_default().to_string(),
        name: user.user_name().unwrap_or_default().to_string(),
        id: user.user_id().unwrap_or_default().to_string(),
        path: user.path().unwrap_or_default().to_string(),
        create_date: user.create_date().and_then(instant),
        permissions_boundary_arn: boundary_arn(user.permissions_boundary()),
        attached_policy_arns: policy_arns(user.attached_managed_policies()),
        inline_policy_names: policy_names(user.user_policy_list()),
        groups: user.group_list().to_vec(),
        tags: tags(user.tags()),
    }
}

fn server_certificate(metadata: &ServerCertificateMetadata) -> ServerCertificate {
    ServerCertificate {
        arn: metadata.arn().to_string(),
        name: metadata.server_certificate_name().to_string(),
        id: metadata.server_certificate_id().to_string(),
        path: metadata.path().to_string(),
        upload_date: metadata.upload_date().and_then(instant),
        expiration: metadata.expiration().and_then(instant),
    }
}

fn iam_group(group: &GroupDetail) -> IamGroup {
    IamGroup {
        arn: group.arn().unwrap_or_default().to_string(),
        name: group.group_name().unwrap_or_default().to_string(),
        id: group.group_id().unwrap_or_default().to_string(),
        path: group.path().unwrap_or_default().to_string(),
        create_date: group.create_date().and_then(instant),
        attached_policy_arns: policy_arns(group.attached_managed_policies()),
        inline_policy_names: policy_names(group.group_policy_list()),
    }
}

fn iam_role(role: &RoleDetail) -> IamRole {
    let last_used = role.role_last_used();
    IamRole {
        arn: role.arn().unwrap_or_default().to_string(),
        name: role.role_name().unwrap_or_default().to_string(),
        id: role.role_id().unwrap_or_default().to_string(),
        path: role.path().unwrap_or_default().to_string(),
        create_date: role.create_date().and_then(instant),
        last_used: last_used.and_then(|u| u.last_used_date()).and_then(instant),
        last_used_region: last_used.and_then(|u| u.region()).map(str::to_string),
        trust_policy: role.assume_role_policy_document().map(decode_policy),
        permissions_boundary_arn: boundary_arn(role.permissions_boundary()),
        attached_policy_arns: policy_arns(role.attached_managed_policies()),
        inline_policy_names: policy_names(role.role_policy_list()),
        instance_profile_arns: role
            .instance_profile_list()
            .iter()
            .map(|p| p.arn().to_string())
            .collect(),
        tags: tags(role.tags()),
    }
}

fn boundary_arn(boundary: Option<&AttachedPermissionsBoundary>) -> Option<String> {
    boundary
        .and_then(|b| b.permissions_boundary_arn())
        .map(str::to_string)
}

fn policy_arns(policies: &[AttachedPolicy]) -> Vec<String> {
    policies
        .iter()
        .filter_map(|p| p.policy_arn())
        .map(str::to_string)
        .collect()
}

fn policy_names(policies: &[PolicyDetail]) -> Vec<String> {
    policies
        .iter()
        .filter_map(|p| p.policy_name())
        .map(str::to_string)
        .collect()
}

fn tags(tags: &[Tag]) -> BTreeMap<String, String> {
    super::tag_map(tags.iter().map(|t| (Some(t.key()), Some(t.value()))))
}

/// The root user's credentials as GetAccountSummary counts them.
fn account_summary(
    out: &aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput,
) -> Fetched<AccountSummary> {
    let value = |key: SummaryKeyType| out.summary_map().and_then(|map| map.get(&key)).copied();
    match (
        value(SummaryKeyType::AccountMfaEnabled),
        value(SummaryKeyType::AccountAccessKeysPresent),
    ) {
        (Some(mfa), Some(keys)) => Fetched::Ok(AccountSummary {
            root_mfa_enabled: mfa == 1,
            root_access_keys_present: keys > 0,
            root_password_present: value(SummaryKeyType::AccountPasswordPresent).map(|n| n > 0),
            root_signing_certificates_present: value(
                SummaryKeyType::AccountSigningCertificatesPresent,
            )
            .map(|n| n > 0),
        }),
        _ => Fetched::Error(FetchError::new(
            SERVICE,
            "GetAccountSummary",
            None,
            "IncompleteResponse",
            "the summary lacks AccountMFAEnabled or AccountAccessKeysPresent",
        )),
    }
}

fn password_policy(p: &aws_sdk_iam::types::PasswordPolicy) -> PasswordPolicy {
    PasswordPolicy {
        minimum_password_length: p.minimum_password_length(),
        password_reuse_prevention: p.password_reuse_prevention(),
        require_symbols: p.require_symbols(),
        require_numbers: p.require_numbers(),
        require_uppercase_characters: p.require_uppercase_characters(),
        require_lowercase_characters: p.require_lowercase_characters(),
        max_password_age: p.max_password_age(),
    }
}

fn push_inline(
    documents: &mut Vec<PolicyDocument>,
    kind: PolicyKind,
    principal_arn: Option<&str>,
    policies: &[PolicyDetail],
) {
    let principal = principal_arn.unwrap_or_default();
    for policy in policies {
        let name = policy.policy_name().unwrap_or_default();
        documents.push(PolicyDocument {
            id: format!("{principal}/inline/{name}"),
            kind,
            name: name.to_string(),
            document: decode_policy(policy.policy_document().unwrap_or_default()),
        });
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986); the SDK passes them on as is.
fn decode_policy(raw: &str) -> String {
    if raw.trim_start().starts_with('{') {
        return raw.to_string();
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// Parses the credential report CSV (columns by header name, so new columns AWS adds
/// do not shift anything).
pub(crate) fn parse_credential_report(
    csv_bytes: &[u8],
) -> Result<Vec<CredentialReportUser>, FetchError> {
    let bad = |message: String| {
        FetchError::new(
            SERVICE,
            "GetCredentialReport",
            None,
            "UnreadableReport",
            message,
        )
    };
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("the report has no column '{name}'")))
    };
    let user = column("user")?;
    let arn = column("arn")?;
    let created = column("user_creation_time")?;
    let password_enabled = column("password_enabled")?;
    let password_last_used = column("password_last_used")?;
    let password_last_changed = column("password_last_changed")?;
    let mfa_active = column("mfa_active")?;
    let key_columns = [1u8, 2]
        .into_iter()
        .map(|slot| {
            Ok((
                slot,
                column(&format!("access_key_{slot}_active"))?,
                column(&format!("access_key_{slot}_last_rotated"))?,
                column(&format!("access_key_{slot}_last_used_date"))?,
            ))
        })
        .collect::<Result<Vec<_>, FetchError>>()?;

    let mut users = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let field = |index: usize| record.get(index).unwrap_or_default();
        users.push(CredentialReportUser {
            user: field(user).to_string(),
            arn: field(arn).to_string(),
            user_creation_time: report_date(field(created)),
            password_enabled: field(password_enabled) == "true",
            password_last_used: report_date(field(password_last_used)),
            password_last_changed: report_date(field(password_last_changed)),
            mfa_active: field(mfa_active) == "true",
            access_keys: key_columns
                .iter()
                .map(|&(slot, active, rotated, used)| AccessKeyReport {
                    slot,
                    active: field(active) == "true",
                    last_rotated: report_date(field(rotated)),
                    last_used: report_date(field(used)),
                })
                .collect(),
        });
    }
    Ok(users)
}

/// The report's dates are ISO 8601; `N/A`, `no_information` and `not_supported` mean none.
fn report_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|date| date.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2023-02-01T00:00:00+00:00,true,no_information,2023-02-01T00:00:00+00:00,N/A,false,true,2023-02-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

    #[test]
    fn reads_users_keys_and_the_report_sentinels() {
        let users = parse_credential_report(REPORT.as_bytes()).unwrap();
        assert_eq!(users.len(), 2);
        assert!(users[0].is_root());
        assert!(
            !users[0].password_enabled,
            "not_supported is not a password"
        );
        let alice = &users[1];
        assert_eq!(alice.arn, "arn:aws:iam::123456789012:user/alice");
        assert!(alice.password_enabled);
        assert_eq!(alice.password_last_used, None, "no_information is no date");
        assert!(!alice.mfa_active);
        assert!(alice.access_keys[0].active);
        assert_eq!(
            alice.access_keys[0].last_used.unwrap().to_rfc3339(),
            "2024-01-01T00:00:00+00:00"
        );
        assert!(!alice.access_keys[1].active);
    }

    #[test]
    fn a_report_without_a_needed_column_is_an_error_not_an_empty_list() {
        let error = parse_credential_report(b"user,arn\nbob,arn:x\n").unwrap_err();
        assert_eq!(error.code, "UnreadableReport");
        assert!(error.message.contains("user_creation_time"));
    }

    #[test]
    fn policy_documents_are_url_decoded_once() {
        assert_eq!(
            decode_policy("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        let plain = r#"{"Condition":{"StringLike":{"s3:prefix":"100%25"}}}"#;
        assert_eq!(decode_policy(plain), plain);
    }

    /// A page of GetAccountAuthorizationDetails built from SDK values: its users and
    /// roles become resources, their inline policies documents, the trust policy decoded.
    #[test]
    fn authorization_details_give_users_roles_and_documents() {
        use aws_sdk_iam::primitives::DateTime as SdkDateTime;
        use aws_sdk_iam::types::{InstanceProfile, RoleLastUsed};

        let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build().unwrap();
        let boundary = AttachedPermissionsBoundary::builder()
            .permissions_boundary_arn("arn:aws:iam::123456789012:policy/boundary")
            .build();
        let attached = AttachedPolicy::builder()
            .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .policy_name("ReadOnlyAccess")
            .build();
        let inline = PolicyDetail::builder()
            .policy_name("deploy")
            .policy_document("%7B%22Statement%22%3A%5B%5D%7D")
            .build();
        let page = GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(
                UserDetail::builder()
                    .arn("arn:aws:iam::123456789012:user/ci/deployer")
                    .user_name("deployer")
                    .user_id("AIDAEXAMPLE")
                    .path("/ci/")
                    .create_date(SdkDateTime::from_secs(1_600_000_000))
                    .group_list("developers")
                    .attached_managed_policies(attached.clone())
                    .user_policy_list(inline.clone())
                    .permissions_boundary(boundary.clone())
                    .tags(tag("team", "platform"))
                    .build(),
            )
            .group_detail_list(
                GroupDetail::builder()
                    .arn("arn:aws:iam::123456789012:group/admins")
                    .group_name("admins")
                    .group_id("AGPAEXAMPLE")
                    .path("/")
                    .create_date(SdkDateTime::from_secs(1_550_000_000))
                    .attached_managed_policies(
                        AttachedPolicy::builder()
                            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                            .policy_name("AdministratorAccess")
                            .build(),
                    )
                    .group_policy_list(
                        PolicyDetail::builder()
                            .policy_name("billing")
                            .policy_document("%7B%7D")
                            .build(),
                    )
                    .build(),
            )
            .role_detail_list(
                RoleDetail::builder()
                    .arn("arn:aws:iam::123456789012:role/app")
                    .role_name("app")
                    .role_id("AROAEXAMPLE")
                    .path("/")
                    .create_date(SdkDateTime::from_secs(1_650_000_000))
                    .assume_role_policy_document(
                        "%7B%22Statement%22%3A%5B%7B%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%7D%5D%7D",
                    )
                    .role_last_used(
                        RoleLastUsed::builder()
                            .last_used_date(SdkDateTime::from_secs(1_700_000_000))
                            .region("eu-west-1")
                            .build(),
                    )
                    .attached_managed_policies(attached)
                    .role_policy_list(inline)
                    .permissions_boundary(boundary)
                    .instance_profile_list(
                        InstanceProfile::builder()
                            .path("/")
                            .instance_profile_name("app")
                            .instance_profile_id("AIPAEXAMPLE")
                            .arn("arn:aws:iam::123456789012:instance-profile/app")
                            .create_date(SdkDateTime::from_secs(1_650_000_000))
                            .set_roles(Some(vec![]))
                            .build()
                            .unwrap(),
                    )
                    .tags(tag("env", "prod"))
                    .build(),
            )
            .build();
        let mut details = AuthorizationDetails::default();
        add_page(&mut details, &page);

        let user = &details.users[0];
        assert_eq!(user.arn, "arn:aws:iam::123456789012:user/ci/deployer");
        assert_eq!(
            (user.name.as_str(), user.id.as_str()),
            ("deployer", "AIDAEXAMPLE")
        );
        assert_eq!(user.path, "/ci/");
        assert_eq!(user.create_date.map(|t| t.timestamp()), Some(1_600_000_000));
        assert_eq!(user.groups, ["developers"]);
        assert_eq!(
            user.attached_policy_arns,
            ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        assert_eq!(user.inline_policy_names, ["deploy"]);
        assert_eq!(
            user.permissions_boundary_arn.as_deref(),
            Some("arn:aws:iam::123456789012:policy/boundary")
        );
        assert_eq!(user.tags.get("team").map(String::as_str), Some("platform"));

        let role = &details.roles[0];
        assert_eq!(role.arn, "arn:aws:iam::123456789012:role/app");
        assert_eq!(
            (role.name.as_str(), role.id.as_str()),
            ("app", "AROAEXAMPLE")
        );
        assert_eq!(role.create_date.map(|t| t.timestamp()), Some(1_650_000_000));
        assert_eq!(role.last_used.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(role.last_used_region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            role.trust_policy.as_deref(),
            Some(r#"{"Statement":[{"Principal":{"Service":"ec2.amazonaws.com"}}]}"#)
        );
        assert_eq!(
            role.instance_profile_arns,
            ["arn:aws:iam::123456789012:instance-profile/app"]
        );
        assert_eq!(role.inline_policy_names, ["deploy"]);
        assert!(role.permissions_boundary_arn.is_some());
        assert_eq!(role.tags.get("env").map(String::as_str), Some("prod"));

        let group = &details.groups[0];
        assert_eq!(group.arn, "arn:aws:iam::123456789012:group/admins");
        assert_eq!(
            (group.name.as_str(), group.id.as_str(), group.path.as_str()),
            ("admins", "AGPAEXAMPLE", "/")
        );
        assert_eq!(
            group.create_date.map(|t| t.timestamp()),
            Some(1_550_000_000)
        );
        assert_eq!(
            group.attached_policy_arns,
            ["arn:aws:iam::aws:policy/AdministratorAccess"]
        );
        assert_eq!(group.inline_policy_names, ["billing"]);

        let ids: Vec<&str> = details
            .policy_documents
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "arn:aws:iam::123456789012:user/ci/deployer/inline/deploy",
                "arn:aws:iam::123456789012:group/admins/inline/billing",
                "arn:aws:iam::123456789012:role/app/inline/deploy"
            ]
        );
        assert_eq!(details.policy_documents[2].document, r#"{"Statement":[]}"#);
    }

    /// SDK values (and the credential report's CSV, which is what IAM sends) through
    /// the conversions and every IAM check.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::iam::{
            access_key_rotation, console_user_mfa, no_admin_policies,
            password_policy as policy_check, root_mfa, root_no_access_keys, unused_credentials,
        };
        use crate::checks::testing::{data, ok, run, statuses, statuses_of};
        use crate::finding::Status;
        use aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput;

        let summary = |mfa: i32, keys: i32| {
            let out = GetAccountSummaryOutput::builder()
                .summary_map(SummaryKeyType::AccountMfaEnabled, mfa)
                .summary_map(SummaryKeyType::AccountAccessKeysPresent, keys)
                .summary_map(SummaryKeyType::AccountPasswordPresent, 1)
                .summary_map(SummaryKeyType::AccountSigningCertificatesPresent, 0)
                .build();
            match account_summary(&out) {
                Fetched::Ok(summary) => summary,
                Fetched::Error(error) => panic!("{error}"),
            }
        };
        let policy = password_policy(
            &aws_sdk_iam::types::PasswordPolicy::builder()
                .minimum_password_length(16)
                .password_reuse_prevention(24)
                .build(),
        );
        // Created 2020, used 2026: alice's key is old, bob has no MFA, carol is idle.
        let report = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2020-02-01T00:00:00+00:00,true,2026-05-30T00:00:00+00:00,2020-02-01T00:00:00+00:00,N/A,true,true,2020-02-01T00:00:00+00:00,2026-05-31T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2020-02-01T00:00:00+00:00,true,2026-05-30T00:00:00+00:00,2026-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
carol,arn:aws:iam::123456789012:user/carol,2020-02-01T00:00:00+00:00,true,2025-01-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";
        let users = parse_credential_report(report.as_bytes()).unwrap();
        let mut documents = Vec::new();
        push_inline(
            &mut documents,
            PolicyKind::RoleInline,
            Some("arn:aws:iam::123456789012:role/deployer"),
            &[PolicyDetail::builder()
                .policy_name("everything")
                // IAM sends policy documents URL-encoded.
                .policy_document("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D")
                .build()],
        );
        let account = |mfa: i32, keys: i32| {
            let mut data = data();
            let iam = &mut data.global.iam;
            iam.account_summary = ok(summary(mfa, keys));
            iam.password_policy = ok(Some(policy.clone()));
            iam.credential_report = ok(users.clone());
            iam.policy_documents = ok(documents.clone());
            data
        };
        assert_eq!(
            statuses(&run(account(1, 0), false, root_mfa).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(0, 0), false, root_mfa).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(1, 1), false, root_no_access_keys).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(1, 0), false, policy_check).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses_of(
                &run(account(1, 0), false, access_key_rotation).await,
                &["user/alice"]
            ),
            [Status::Fail]
        );
        assert_eq!(
            statuses_of(
                &run(account(1, 0), false, console_user_mfa).await,
                &["user/alice", "user/bob", "user/carol"]
            ),
            [Status::Pass, Status::Fail, Status::Pass]
        );
        assert_eq!(
            statuses_of(
                &run(account(1, 0), false, unused_credentials).await,
                &["user/alice", "user/bob", "user/carol"]
            ),
            [Status::Pass, Status::Pass, Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(1, 0), false, no_admin_policies).await),
            [Status::Fail]
        );
    }

    /// ListServerCertificates' metadata built from SDK values, through the conversion and
    /// the check: one certificate expired (as moto reports every one), one valid a year.
    #[tokio::test]
    async fn server_certificates_from_sdk_values_reach_the_right_verdicts() {
        use crate::checks::iam::server_certificate_expiry;
        use crate::checks::testing::{data, now, ok, run, statuses_of};
        use crate::finding::Status;
        use aws_sdk_iam::primitives::DateTime as SdkDateTime;

        let metadata = |name: &str, expiration: i64| {
            ServerCertificateMetadata::builder()
                .path("/cloudfront/")
                .server_certificate_name(name)
                .server_certificate_id("ASCAEXAMPLE")
                .arn(format!(
                    "arn:aws:iam::123456789012:server-certificate/cloudfront/{name}"
                ))
                .upload_date(SdkDateTime::from_secs(1_300_000_000))
                .expiration(SdkDateTime::from_secs(expiration))
                .build()
                .unwrap()
        };
        let year_ahead = (now() + chrono::Duration::days(365)).timestamp();
        let certificates = vec![
            server_certificate(&metadata("legacy", 1_336_442_523)),
            server_certificate(&metadata("current", year_ahead)),
        ];
        let legacy = &certificates[0];
        assert_eq!(legacy.name, "legacy");
        assert_eq!(legacy.id, "ASCAEXAMPLE");
        assert_eq!(legacy.path, "/cloudfront/");
        assert_eq!(
            legacy.arn,
            "arn:aws:iam::123456789012:server-certificate/cloudfront/legacy"
        );
        assert_eq!(
            legacy.upload_date.map(|t| t.timestamp()),
            Some(1_300_000_000)
        );
        assert_eq!(
            legacy.expiration.map(|t| t.timestamp()),
            Some(1_336_442_523)
        );
        let mut account = data();
        account.global.iam.server_certificates = ok(certificates);
        assert_eq!(
            statuses_of(
                &run(account, false, server_certificate_expiry).await,
                &["/legacy", "/current"]
            ),
            [Status::Fail, Status::Pass]
        );
    }
}
