use std::collections::BTreeMap;

use crate::verdict::count;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::policy::{statements, values};
use super::{days_between, listed, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::iam::{CredentialReportUser, IamGroup, IamRole, IamUser, PolicyDocument};

const USER: &str = "AWS::IAM::User";
const GROUP: &str = "AWS::IAM::Group";
const ROLE: &str = "AWS::IAM::Role";
const SERVER_CERTIFICATE: &str = "AWS::IAM::ServerCertificate";
const POLICY: &str = "AWS::IAM::Policy";

fn root(ctx: &CheckCtx) -> Resource {
    Resource::new(
        "AWS::IAM::RootUser",
        format!(
            "arn:{}:iam::{}:root",
            ctx.inventory.partition(),
            ctx.inventory.account_id()
        ),
    )
}

pub async fn root_mfa(ctx: CheckCtx) -> Vec<Observation> {
    let resource = root(&ctx);
    let observation = match ctx.inventory.iam_account_summary().await.as_result() {
        Err(error) => Observation::unverified(&resource, error),
        Ok(summary) => {
            let evidence = json!({
                "AccountMFAEnabled": summary.root_mfa_enabled,
                "AccountPasswordPresent": summary.root_password_present,
                "AccountAccessKeysPresent": summary.root_access_keys_present,
                "AccountSigningCertificatesPresent": summary.root_signing_certificates_present,
            });
            if summary.root_mfa_enabled {
                Observation::pass(&resource, "the root user has MFA", evidence)
            } else if summary.root_has_no_credentials() {
                Observation::pass(
                    &resource,
                    "the root user has no credentials at all (no password, access key or signing certificate, as after Organizations' centralized root access deletes them): it cannot sign in, so it needs no MFA",
                    evidence,
                )
            } else {
                Observation::fail(&resource, "the root user has no MFA device", evidence)
            }
        }
    };
    vec![observation]
}

pub async fn root_no_access_keys(ctx: CheckCtx) -> Vec<Observation> {
    let resource = root(&ctx);
    let observation = match ctx.inventory.iam_account_summary().await.as_result() {
        Err(error) => Observation::unverified(&resource, error),
        Ok(summary) => Observation::judge(
            !summary.root_access_keys_present,
            &resource,
            if summary.root_access_keys_present {
                "the root user has access keys"
            } else {
                "the root user has no access keys"
            },
            json!({ "AccountAccessKeysPresent": summary.root_access_keys_present }),
        ),
    };
    vec![observation]
}

pub async fn password_policy(ctx: CheckCtx) -> Vec<Observation> {
    let account = ctx.account();
    let wanted = &ctx.rules.thresholds.iam;
    let observation = match ctx.inventory.iam_password_policy().await.as_result() {
        Err(error) => Observation::unverified(&account, error),
        Ok(None) => Observation::fail(
            &account,
            "the account has no IAM password policy",
            json!({ "policy": null }),
        ),
        Ok(Some(policy)) => {
            let mut shortfalls = Vec::new();
            let length = policy.minimum_password_length.unwrap_or(0);
            if length < wanted.password_min_length {
                shortfalls.push(format!(
                    "minimum length {length} < {}",
                    wanted.password_min_length
                ));
            }
            let reuse = policy.password_reuse_prevention.unwrap_or(0);
            if reuse < wanted.password_reuse_prevention {
                shortfalls.push(format!(
                    "reuse prevention {reuse} < {}",
                    wanted.password_reuse_prevention
                ));
            }
            let message = if shortfalls.is_empty() {
                format!("minimum length {length}, reuse prevention {reuse}")
            } else {
                shortfalls.join("; ")
            };
            Observation::judge(
                shortfalls.is_empty(),
                &account,
                message,
                json!({ "policy": policy, "thresholds": wanted }),
            )
        }
    };
    vec![observation]
}

/// The report's users other than root (root has checks of its own), or why they are unknown.
async fn users(ctx: &CheckCtx) -> Result<Vec<&CredentialReportUser>, Vec<Observation>> {
    match ctx.inventory.iam_credential_report().await.as_result() {
        Err(error) => Err(vec![Observation::unverified(&ctx.account(), error)]),
        Ok(report) => Ok(report.iter().filter(|u| !u.is_root()).collect()),
    }
}

fn user_resource(user: &CredentialReportUser) -> Resource {
    Resource::new(USER, user.arn.clone())
}

pub async fn access_key_rotation(ctx: CheckCtx) -> Vec<Observation> {
    let users = match users(&ctx).await {
        Ok(users) => users,
        Err(observations) => return observations,
    };
    let max_age = ctx.rules.thresholds.iam.access_key_max_age_days;
    let now = ctx.now();
    let mut observations = Vec::new();
    for user in users {
        let active: Vec<_> = user.access_keys.iter().filter(|k| k.active).collect();
        if active.is_empty() {
            continue;
        }
        let resource = user_resource(user);
        let ages: Vec<Option<i64>> = active
            .iter()
            .map(|k| k.last_rotated.map(|t| days_between(t, now)))
            .collect();
        let evidence = json!({ "active_keys": active, "max_age_days": max_age });
        let stale: Vec<String> = active
            .iter()
            .zip(&ages)
            .filter_map(|(key, age)| match age {
                Some(age) if *age > max_age => Some(format!("key {} is {age} days old", key.slot)),
                _ => None,
            })
            .collect();
        observations.push(if !stale.is_empty() {
            Observation::fail(
                &resource,
                format!("{} (limit {max_age})", stale.join(", ")),
                evidence,
            )
        } else if ages.iter().any(Option::is_none) {
            Observation::cannot_judge(
                &resource,
                "the credential report gives no rotation date for an active key",
                evidence,
            )
        } else {
            let oldest = ages.iter().flatten().max().copied().unwrap_or_default();
            Observation::pass(
                &resource,
                format!("active keys rotated within {max_age} days (oldest {oldest} days)"),
                evidence,
            )
        });
    }
    or_not_applicable(&ctx, observations, || {
        "no IAM user has an active access key".into()
    })
}

pub async fn unused_credentials(ctx: CheckCtx) -> Vec<Observation> {
    let users = match users(&ctx).await {
        Ok(users) => users,
        Err(observations) => return observations,
    };
    let limit = ctx.rules.thresholds.iam.credential_unused_days;
    let now = ctx.now();
    let idle_days = |used: Option<DateTime<Utc>>, fallback: Option<DateTime<Utc>>| {
        used.or(fallback).map(|t| days_between(t, now))
    };
    let mut observations = Vec::new();
    for user in users {
        // (credential, days since last use or, never used, since it was issued)
        let mut credentials: Vec<(String, Option<i64>)> = Vec::new();
        if user.password_enabled {
            credentials.push((
                "console password".to_string(),
                idle_days(
                    user.password_last_used,
                    user.password_last_changed.or(user.user_creation_time),
                ),
            ));
        }
        for key in user.access_keys.iter().filter(|k| k.active) {
            credentials.push((
                format!("access key {}", key.slot),
                idle_days(key.last_used, key.last_rotated.or(user.user_creation_time)),
            ));
        }
        if credentials.is_empty() {
            continue;
        }
        let resource = user_resource(user);
        let evidence = json!({
            "credentials": credentials
                .iter()
                .map(|(name, idle)| json!({ "credential": name, "idle_days": idle }))
                .collect::<Vec<_>>(),
            "limit_days": limit,
        });
        let stale: Vec<String> = credentials
            .iter()
            .filter_map(|(name, idle)| match idle {
                Some(days) if *days > limit => {
                    Some(format!("{name} unused for {}", count(*days, "day")))
                }
                _ => None,
            })
            .collect();
        observations.push(if !stale.is_empty() {
            Observation::fail(
                &resource,
                format!("{} (limit {limit})", stale.join(", ")),
                evidence,
            )
        } else if credentials.iter().any(|(_, idle)| idle.is_none()) {
            Observation::cannot_judge(
                &resource,
                "the credential report gives no usage or issue date for a credential",
                evidence,
            )
        } else {
            Observation::pass(
                &resource,
                format!("every credential used within {}", count(limit, "day")),
                evidence,
            )
        });
    }
    or_not_applicable(&ctx, observations, || {
        "no IAM user has a password or an active access key".into()
    })
}

pub async fn console_user_mfa(ctx: CheckCtx) -> Vec<Observation> {
    let users = match users(&ctx).await {
        Ok(users) => users,
        Err(observations) => return observations,
    };
    let observations: Vec<Observation> = users
        .into_iter()
        .filter(|u| u.password_enabled)
        .map(|user| {
            Observation::judge(
                user.mfa_active,
                &user_resource(user),
                if user.mfa_active {
                    "console user has MFA"
                } else {
                    "console user has no MFA device"
                },
                json!({ "password_enabled": true, "mfa_active": user.mfa_active }),
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        "no IAM user has a console password".into()
    })
}

pub async fn no_admin_policies(ctx: CheckCtx) -> Vec<Observation> {
    let documents = match listed(&ctx, ctx.inventory.iam_policy_documents().await) {
        Ok(documents) => documents,
        Err(errors) => return errors,
    };
    // The principals come from the documents' own read (GetAccountAuthorizationDetails,
    // made once); they matter only when boundaries are left out.
    let principals = Principals::read(&ctx).await;
    if documents.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            "no customer-managed or inline policies",
        )];
    }
    let boundaries = if ctx
        .rules
        .thresholds
        .iam
        .exclude_permission_boundary_policies
    {
        match principals {
            Ok(principals) => Some(principals.boundary_only_policies()),
            Err(errors) => return errors,
        }
    } else {
        None
    };
    documents
        .iter()
        .map(|document| match boundaries.as_ref().and_then(|b| b.get(&document.id)) {
            Some(bounded) => Observation::not_applicable(
                &Resource::new(POLICY, document.id.clone()),
                format!(
                    "policy {} is only a permissions boundary (of {}), excluded by thresholds.iam.exclude_permission_boundary_policies",
                    document.name,
                    bounded.join(", ")
                ),
            ),
            None => judge_policy(document),
        })
        .collect()
}

/// The account's users, groups and roles (one GetAccountAuthorizationDetails read).
struct Principals<'a> {
    users: &'a [IamUser],
    groups: &'a [IamGroup],
    roles: &'a [IamRole],
}

impl<'a> Principals<'a> {
    async fn read(ctx: &'a CheckCtx) -> Result<Principals<'a>, Vec<Observation>> {
        let inventory = &ctx.inventory;
        let (users, groups, roles) = tokio::join!(
            inventory.iam_users(),
            inventory.iam_groups(),
            inventory.iam_roles()
        );
        Ok(Principals {
            users: listed(ctx, users)?,
            groups: listed(ctx, groups)?,
            roles: listed(ctx, roles)?,
        })
    }

    /// Each principal as (resource type, ARN, name, attached managed policy ARNs).
    fn each(&self) -> impl Iterator<Item = (&'static str, &'a str, &'a str, &'a [String])> {
        let users = self
            .users
            .iter()
            .map(|u| (USER, &*u.arn, &*u.name, &*u.attached_policy_arns));
        let groups = self
            .groups
            .iter()
            .map(|g| (GROUP, &*g.arn, &*g.name, &*g.attached_policy_arns));
        let roles = self
            .roles
            .iter()
            .map(|r| (ROLE, &*r.arn, &*r.name, &*r.attached_policy_arns));
        users.chain(groups).chain(roles)
    }

    /// The policies some user or role has as its permissions boundary and no principal
    /// has attached as a permissions policy, each with the principals it bounds. A
    /// boundary grants nothing by itself (it caps what the principal's policies grant,
    /// access_policies_boundaries.html); one that is also attached grants as any other.
    fn boundary_only_policies(&self) -> BTreeMap<String, Vec<String>> {
        let bounded = self
            .users
            .iter()
            .map(|u| (&u.permissions_boundary_arn, &u.arn))
            .chain(
                self.roles
                    .iter()
                    .map(|r| (&r.permissions_boundary_arn, &r.arn)),
            );
        let mut boundaries: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (boundary, principal) in bounded {
            if let Some(boundary) = boundary {
                boundaries
                    .entry(boundary.clone())
                    .or_default()
                    .push(principal.clone());
            }
        }
        for (_, _, _, attached) in self.each() {
            for arn in attached {
                boundaries.remove(arn);
            }
        }
        boundaries
    }
}

/// The AWS-managed policy that grants `"Action": "*"` on `"Resource": "*"`
/// (docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html).
/// orr reads only local policies' documents (the ~1,400 AWS-managed ones are the same
/// in every account), so it is known by its ARN, in any partition.
const AWS_ADMIN_POLICY: &str = "AdministratorAccess";

fn is_aws_admin_policy(arn: &str) -> bool {
    arn.strip_prefix("arn:")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(_, rest)| rest == format!("iam::aws:policy/{AWS_ADMIN_POLICY}"))
}

/// IAM Identity Center creates these roles from permission sets; the policy is attached
/// in the permission set, so that is where it is changed.
const SSO_ROLE_PREFIX: &str = "AWSReservedSSO_";

/// Every user, group and role with the AWS-managed AdministratorAccess policy attached:
/// `no_admin_policies` reads customer policies only (as FSBP IAM.1 and AWS Config's
/// rule do), so an account whose administrators hold AWS's own policy would pass it.
pub async fn aws_managed_admin_policies(ctx: CheckCtx) -> Vec<Observation> {
    let principals = match Principals::read(&ctx).await {
        Ok(principals) => principals,
        Err(errors) => return errors,
    };
    let members = |group: &str| -> Vec<&str> {
        principals
            .users
            .iter()
            .filter(|u| u.groups.iter().any(|g| g == group))
            .map(|u| u.name.as_str())
            .collect()
    };
    let mut observations = Vec::new();
    let mut counted = 0;
    for (kind, arn, name, attached) in principals.each() {
        counted += 1;
        let Some(policy) = attached.iter().find(|p| is_aws_admin_policy(p)) else {
            continue;
        };
        let resource = Resource::new(kind, arn.to_string());
        let mut evidence = json!({ "name": name, "policy_arn": policy });
        let who = match kind {
            GROUP => {
                let members = members(name);
                evidence["members"] = json!(members);
                format!("group {name} ({} member(s))", members.len())
            }
            ROLE if name.starts_with(SSO_ROLE_PREFIX) => {
                format!("role {name} (made by IAM Identity Center: change its permission set)")
            }
            ROLE => format!("role {name}"),
            _ => format!("user {name}"),
        };
        observations.push(Observation::fail(
            &resource,
            format!("{who} has the AWS-managed {AWS_ADMIN_POLICY} policy attached (\"Action\": \"*\" on \"Resource\": \"*\")"),
            evidence,
        ));
    }
    if counted == 0 {
        return vec![Observation::not_applicable(
            &ctx.account(),
            "no IAM user, group or role",
        )];
    }
    if observations.is_empty() {
        let evidence = json!({
            "users": principals.users.len(),
            "groups": principals.groups.len(),
            "roles": principals.roles.len(),
        });
        observations.push(Observation::pass(
            &ctx.account(),
            format!("none of the account's {counted} users, groups and roles has the AWS-managed {AWS_ADMIN_POLICY} policy attached"),
            evidence,
        ));
    }
    observations
}

fn judge_policy(document: &PolicyDocument) -> Observation {
    let resource = Resource::new(POLICY, document.id.clone());
    let evidence =
        |extra: Value| json!({ "kind": document.kind, "name": document.name, "detail": extra });
    match serde_json::from_str::<Value>(&document.document) {
        Err(error) => Observation::cannot_judge(
            &resource,
            format!("the policy document is not valid JSON: {error}"),
            evidence(json!(document.document)),
        ),
        Ok(policy) => {
            let grants: Vec<(String, &Value)> = statements(&policy)
                .filter_map(|s| administrator_grant(s).map(|grant| (grant, s)))
                .collect();
            if grants.is_empty() {
                Observation::pass(
                    &resource,
                    "no statement allows \"*\", or every action but a few (NotAction), on \"*\"",
                    evidence(json!(null)),
                )
            } else {
                let (described, statements): (Vec<String>, Vec<&Value>) =
                    grants.into_iter().unzip();
                Observation::fail(
                    &resource,
                    format!("{} (administrator access)", described.join("; ")),
                    evidence(json!(statements)),
                )
            }
        }
    }
}

/// IAM never renews the certificates stored in it, and ListServerCertificates does not
/// say what serves them (Classic Load Balancers, CloudFront): each one is judged by its
/// Expiration with ACM's threshold, as a certificate in use would be.
pub async fn server_certificate_expiry(ctx: CheckCtx) -> Vec<Observation> {
    let certificates = match listed(&ctx, ctx.inventory.iam_server_certificates().await) {
        Ok(certificates) => certificates,
        Err(errors) => return errors,
    };
    let minimum = ctx.rules.thresholds.acm.min_days_to_expiry;
    let now = ctx.now();
    let observations = certificates
        .iter()
        .map(|certificate| {
            let resource = Resource::new(SERVER_CERTIFICATE, certificate.arn.clone());
            let name = &certificate.name;
            let days_left = certificate.expiration.map(|t| (t - now).num_days());
            let evidence = json!({
                "name": name,
                "path": certificate.path,
                "upload_date": certificate.upload_date,
                "expiration": certificate.expiration,
                "days_left": days_left,
                "min_days_to_expiry": minimum,
            });
            match (certificate.expiration, days_left) {
                (Some(expiration), Some(days)) if expiration <= now => Observation::fail(
                    &resource,
                    format!(
                        "IAM server certificate {name} expired {} day(s) ago ({})",
                        -days,
                        expiration.format("%Y-%m-%d")
                    ),
                    evidence,
                ),
                (Some(_), Some(days)) => Observation::judge(
                    days > minimum,
                    &resource,
                    format!("IAM server certificate {name} expires in {days} day(s)"),
                    evidence,
                ),
                _ => Observation::cannot_judge(
                    &resource,
                    format!("ListServerCertificates gave no Expiration for IAM server certificate {name}"),
                    evidence,
                ),
            }
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        "no server certificate stored in IAM".into()
    })
}

/// What an Allow statement on `Resource "*"` grants when it amounts to administrator
/// access: `Action "*"`, or a `NotAction`, which allows every action of every service
/// (including services added later) except the ones it lists, as AWS documents
/// (reference_policies_elements_notaction.html). A `NotAction` listing `"*"` allows nothing.
fn administrator_grant(statement: &Value) -> Option<String> {
    let listed = |field: &str| statement.get(field).map(|v| values(v).collect::<Vec<_>>());
    let everything = |field: &str| listed(field).is_some_and(|v| v.iter().any(|v| v == "*"));
    if statement.get("Effect").and_then(Value::as_str) != Some("Allow") || !everything("Resource") {
        return None;
    }
    if everything("Action") {
        return Some("allows \"Action\": \"*\" on \"Resource\": \"*\"".to_string());
    }
    match listed("NotAction") {
        Some(excluded) if !excluded.iter().any(|v| v == "*") => Some(format!(
            "allows every action except {} (NotAction) on \"Resource\": \"*\"",
            excluded.join(", ")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::config::Thresholds;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo};
    use crate::model::iam::{
        AccessKeyReport, AccountSummary, PasswordPolicy, PolicyKind, ServerCertificate,
    };

    fn summary(mfa: bool, keys: bool) -> crate::inventory::InventoryData {
        with_summary(AccountSummary {
            root_mfa_enabled: mfa,
            root_access_keys_present: keys,
            root_password_present: Some(true),
            root_signing_certificates_present: Some(false),
        })
    }

    fn with_summary(summary: AccountSummary) -> crate::inventory::InventoryData {
        let mut data = data();
        data.global.iam.account_summary = Memo::ready(Fetched::Ok(summary));
        data
    }

    #[tokio::test]
    async fn a_root_user_without_any_credentials_needs_no_mfa() {
        let deleted = AccountSummary {
            root_mfa_enabled: false,
            root_access_keys_present: false,
            root_password_present: Some(false),
            root_signing_certificates_present: Some(false),
        };
        let found = run(with_summary(deleted.clone()), false, root_mfa).await;
        assert_eq!(statuses(&found), [Status::Pass]);
        assert!(found[0].message.contains("no credentials"), "{found:?}");
        let unknown = AccountSummary {
            root_password_present: None,
            ..deleted
        };
        assert_eq!(
            statuses(&run(with_summary(unknown), false, root_mfa).await),
            [Status::Fail],
            "a summary that does not say the password is gone is no evidence"
        );
    }

    #[tokio::test]
    async fn root_mfa_and_keys() {
        assert_eq!(
            statuses(&run(summary(true, false), false, root_mfa).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(summary(false, false), false, root_mfa).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(summary(true, false), false, root_no_access_keys).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(summary(true, true), false, root_no_access_keys).await),
            [Status::Fail]
        );
    }

    fn policy(length: i32, reuse: i32) -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: Some(length),
            password_reuse_prevention: Some(reuse),
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            max_password_age: Some(90),
        }
    }

    async fn password_status(found: Option<PasswordPolicy>, thresholds: Thresholds) -> Status {
        let mut data = data();
        data.global.iam.password_policy = Memo::ready(Fetched::Ok(found));
        let found = run_with(data, false, thresholds, password_policy).await;
        assert_eq!(found.len(), 1);
        found[0].status
    }

    #[tokio::test]
    async fn password_policy_thresholds_are_inclusive_and_configurable() {
        let defaults = Thresholds::default();
        assert_eq!(
            password_status(Some(policy(14, 24)), defaults.clone()).await,
            Status::Pass
        );
        assert_eq!(
            password_status(Some(policy(13, 24)), defaults.clone()).await,
            Status::Fail
        );
        assert_eq!(
            password_status(Some(policy(14, 23)), defaults.clone()).await,
            Status::Fail
        );
        assert_eq!(password_status(None, defaults).await, Status::Fail);
        let mut lenient = Thresholds::default();
        lenient.iam.password_min_length = 12;
        assert_eq!(
            password_status(Some(policy(12, 24)), lenient).await,
            Status::Pass
        );
    }

    fn user(
        name: &str,
        password: bool,
        mfa: bool,
        keys: Vec<AccessKeyReport>,
    ) -> CredentialReportUser {
        CredentialReportUser {
            user: name.to_string(),
            arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            user_creation_time: days_ago(400),
            password_enabled: password,
            password_last_used: if password { days_ago(1) } else { None },
            password_last_changed: if password { days_ago(400) } else { None },
            mfa_active: mfa,
            access_keys: keys,
        }
    }

    fn key(slot: u8, rotated_days_ago: i64, used_days_ago: Option<i64>) -> AccessKeyReport {
        AccessKeyReport {
            slot,
            active: true,
            last_rotated: days_ago(rotated_days_ago),
            last_used: used_days_ago.and_then(days_ago),
        }
    }

    fn report(users: Vec<CredentialReportUser>) -> crate::inventory::InventoryData {
        let mut data = data();
        let mut root = user(CredentialReportUser::ROOT, false, true, vec![]);
        root.arn = format!("arn:aws:iam::{ACCOUNT}:root");
        data.global.iam.credential_report = Memo::ready(Fetched::Ok([vec![root], users].concat()));
        data
    }

    #[tokio::test]
    async fn key_rotation_limit_is_inclusive() {
        let data = report(vec![
            user("fresh", false, false, vec![key(1, 90, Some(1))]),
            user(
                "stale",
                false,
                false,
                vec![key(1, 10, Some(1)), key(2, 91, Some(1))],
            ),
            user("no-keys", true, true, vec![]),
        ]);
        let found = run(data, false, access_key_rotation).await;
        assert_eq!(found.len(), 2, "users without active keys are not listed");
        assert_eq!(status_of(&found, "/fresh"), Status::Pass);
        assert_eq!(status_of(&found, "/stale"), Status::Fail);
        assert!(found
            .iter()
            .any(|o| o.message.contains("key 2 is 91 days old")));
    }

    #[tokio::test]
    async fn key_rotation_without_keys_is_not_applicable() {
        let found = run(
            report(vec![user("console", true, true, vec![])]),
            false,
            access_key_rotation,
        )
        .await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);
    }

    #[tokio::test]
    async fn unused_credentials_fall_back_to_issue_dates() {
        let mut idle_password = user("idle-password", true, true, vec![]);
        idle_password.password_last_used = days_ago(120);
        let mut never_logged_in = user("never", true, true, vec![]);
        never_logged_in.password_last_used = None;
        let mut reset = user("reset", true, true, vec![]);
        reset.password_last_used = None;
        reset.password_last_changed = days_ago(10);
        let data = report(vec![
            reset,
            user("active", true, true, vec![key(1, 200, Some(3))]),
            idle_password,
            never_logged_in,
            user("unused-key", false, false, vec![key(1, 100, None)]),
            user("new-key", false, false, vec![key(1, 5, None)]),
        ]);
        let found = run(data, false, unused_credentials).await;
        assert_eq!(status_of(&found, "/active"), Status::Pass);
        assert_eq!(status_of(&found, "/idle-password"), Status::Fail);
        assert_eq!(
            status_of(&found, "/never"),
            Status::Fail,
            "set 400 days ago, never used"
        );
        assert_eq!(
            status_of(&found, "/reset"),
            Status::Pass,
            "a user of 400 days whose password was set 10 days ago and not used yet"
        );
        assert_eq!(status_of(&found, "/unused-key"), Status::Fail);
        assert_eq!(status_of(&found, "/new-key"), Status::Pass);
    }

    #[tokio::test]
    async fn console_users_need_mfa() {
        let data = report(vec![
            user("with-mfa", true, true, vec![]),
            user("without", true, false, vec![]),
            user("api-only", false, false, vec![key(1, 1, Some(1))]),
        ]);
        let found = run(data, false, console_user_mfa).await;
        assert_eq!(found.len(), 2);
        assert_eq!(status_of(&found, "/with-mfa"), Status::Pass);
        assert_eq!(status_of(&found, "/without"), Status::Fail);
    }

    #[tokio::test]
    async fn a_missing_report_makes_user_checks_errors() {
        let failed = || {
            let mut data = data();
            data.global.iam.credential_report = Memo::ready(err("iam", "GetCredentialReport"));
            data
        };
        let expected = [Status::Error];
        assert_eq!(
            statuses(&run(failed(), false, console_user_mfa).await),
            expected
        );
        assert_eq!(
            statuses(&run(failed(), false, unused_credentials).await),
            expected
        );
        assert_eq!(
            statuses(&run(failed(), false, access_key_rotation).await),
            expected
        );
    }

    fn document(name: &str, kind: PolicyKind, text: &str) -> PolicyDocument {
        PolicyDocument {
            id: format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
            kind,
            name: name.to_string(),
            document: text.to_string(),
        }
    }

    #[tokio::test]
    async fn admin_policies_are_found_in_any_statement_form() {
        let mut data = data();
        data.global.iam.policy_documents = Memo::ready(Fetched::Ok(vec![
            document(
                "admin",
                PolicyKind::CustomerManaged,
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
            ),
            document(
                "admin-list",
                PolicyKind::RoleInline,
                r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","*"],"Resource":["*"]}]}"#,
            ),
            document(
                "s3-everything",
                PolicyKind::CustomerManaged,
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            ),
            document(
                "deny-all",
                PolicyKind::UserInline,
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
            ),
            document("broken", PolicyKind::GroupInline, "{"),
        ]));
        let found = run(data, false, no_admin_policies).await;
        assert_eq!(status_of(&found, "/admin"), Status::Fail);
        assert_eq!(status_of(&found, "/admin-list"), Status::Fail);
        assert_eq!(status_of(&found, "/s3-everything"), Status::Pass);
        assert_eq!(status_of(&found, "/deny-all"), Status::Pass);
        assert_eq!(status_of(&found, "/broken"), Status::Error);
    }

    #[tokio::test]
    async fn an_allow_with_not_action_on_every_resource_is_administrator_access() {
        let mut data = data();
        data.global.iam.policy_documents = Memo::ready(Fetched::Ok(vec![
            document(
                "power-user",
                PolicyKind::CustomerManaged,
                r#"{"Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}]}"#,
            ),
            document(
                "s3-but-delete",
                PolicyKind::RoleInline,
                r#"{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}}"#,
            ),
            document(
                "not-everything",
                PolicyKind::CustomerManaged,
                r#"{"Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}"#,
            ),
            document(
                "deny-without-mfa",
                PolicyKind::UserInline,
                r#"{"Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}"#,
            ),
        ]));
        let found = run(data, false, no_admin_policies).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "/power-user",
                    "/s3-but-delete",
                    "/not-everything",
                    "/deny-without-mfa"
                ]
            ),
            [Status::Fail, Status::Pass, Status::Pass, Status::Pass]
        );
        let power_user = found
            .iter()
            .find(|o| o.resource_id.ends_with("/power-user"));
        assert!(
            power_user.is_some_and(|o| o
                .message
                .contains("every action except iam:*, organizations:*")),
            "{found:#?}"
        );
    }

    fn principal_arn(kind: &str, name: &str) -> String {
        format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}")
    }

    fn iam_user(name: &str, attached: &[&str], groups: &[&str]) -> IamUser {
        IamUser {
            arn: principal_arn("user", name),
            name: name.to_string(),
            id: String::new(),
            path: "/".to_string(),
            create_date: None,
            permissions_boundary_arn: None,
            attached_policy_arns: attached.iter().map(|a| a.to_string()).collect(),
            inline_policy_names: Vec::new(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            tags: Default::default(),
        }
    }

    fn iam_group(name: &str, attached: &[&str]) -> IamGroup {
        IamGroup {
            arn: principal_arn("group", name),
            name: name.to_string(),
            id: String::new(),
            path: "/".to_string(),
            create_date: None,
            attached_policy_arns: attached.iter().map(|a| a.to_string()).collect(),
            inline_policy_names: Vec::new(),
        }
    }

    fn iam_role(name: &str, attached: &[&str], boundary: Option<&str>) -> IamRole {
        IamRole {
            arn: principal_arn("role", name),
            name: name.to_string(),
            id: String::new(),
            path: "/".to_string(),
            create_date: None,
            last_used: None,
            last_used_region: None,
            trust_policy: None,
            permissions_boundary_arn: boundary.map(str::to_string),
            attached_policy_arns: attached.iter().map(|a| a.to_string()).collect(),
            inline_policy_names: Vec::new(),
            instance_profile_arns: Vec::new(),
            tags: Default::default(),
        }
    }

    fn principals(
        users: Vec<IamUser>,
        groups: Vec<IamGroup>,
        roles: Vec<IamRole>,
    ) -> crate::inventory::InventoryData {
        let mut data = data();
        data.global.iam.users = ok(users);
        data.global.iam.groups = ok(groups);
        data.global.iam.roles = ok(roles);
        data
    }

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
    const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    #[tokio::test]
    async fn aws_managed_administrator_access_is_found_on_users_groups_and_roles() {
        let data = principals(
            vec![
                iam_user("alice", &[ADMIN], &[]),
                iam_user("bob", &[READ_ONLY], &["admins"]),
                iam_user("carol", &[], &["admins"]),
            ],
            vec![
                iam_group("admins", &[ADMIN]),
                iam_group("readers", &[READ_ONLY]),
            ],
            vec![
                iam_role(
                    "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
                    &["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"],
                    None,
                ),
                // AdministratorAccess as a boundary grants nothing.
                iam_role("app", &[READ_ONLY], Some(ADMIN)),
                // A customer policy of the same name is iam.no_admin_policies' concern.
                iam_role(
                    "ci",
                    &["arn:aws:iam::123456789012:policy/AdministratorAccess"],
                    None,
                ),
            ],
        );
        let found = run(data, false, aws_managed_admin_policies).await;
        assert_eq!(
            statuses_of(
                &found,
                &[
                    "user/alice",
                    "group/admins",
                    "role/AWSReservedSSO_AdministratorAccess_0123456789abcdef"
                ]
            ),
            [Status::Fail, Status::Fail, Status::Fail]
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        let group = found
            .iter()
            .find(|o| o.resource_id.ends_with("group/admins"))
            .unwrap();
        assert_eq!(
            group.message,
            "group admins (2 member(s)) has the AWS-managed AdministratorAccess policy attached (\"Action\": \"*\" on \"Resource\": \"*\")"
        );
        assert_eq!(group.resource_type, GROUP);
        assert!(
            found[2].message.contains("IAM Identity Center"),
            "{found:#?}"
        );
    }

    #[tokio::test]
    async fn aws_managed_admin_policies_pass_na_and_error() {
        let clean = principals(
            vec![iam_user("alice", &[READ_ONLY], &[])],
            vec![],
            vec![iam_role("app", &[], Some(ADMIN))],
        );
        let found = run(clean, false, aws_managed_admin_policies).await;
        assert_eq!(statuses(&found), [Status::Pass]);
        assert_eq!(
            found[0].message,
            "none of the account's 2 users, groups and roles has the AWS-managed AdministratorAccess policy attached"
        );
        let empty = principals(vec![], vec![], vec![]);
        assert_eq!(
            statuses(&run(empty, false, aws_managed_admin_policies).await),
            [Status::NotApplicable]
        );
        let mut unreadable = principals(vec![], vec![], vec![]);
        unreadable.global.iam.groups = failed("iam", "GetAccountAuthorizationDetails");
        assert_eq!(
            statuses(&run(unreadable, false, aws_managed_admin_policies).await),
            [Status::Error]
        );
    }

    #[tokio::test]
    async fn permission_boundaries_are_excluded_only_when_asked_and_only_if_not_attached() {
        let everything = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let with_policies = || {
            let mut data = principals(
                vec![iam_user("alice", &[], &["devs"])],
                vec![iam_group(
                    "devs",
                    &[&principal_arn("policy", "also-granted")],
                )],
                vec![
                    iam_role("app", &[], Some(&principal_arn("policy", "boundary"))),
                    iam_role("ops", &[], Some(&principal_arn("policy", "also-granted"))),
                ],
            );
            data.global.iam.policy_documents = ok(vec![
                document("boundary", PolicyKind::CustomerManaged, everything),
                document("also-granted", PolicyKind::CustomerManaged, everything),
                document("admin", PolicyKind::CustomerManaged, everything),
            ]);
            data
        };
        let suffixes = ["/boundary", "/also-granted", "/admin"];
        let by_default = run(with_policies(), false, no_admin_policies).await;
        assert_eq!(
            statuses_of(&by_default, &suffixes),
            [Status::Fail, Status::Fail, Status::Fail]
        );
        let mut thresholds = Thresholds::default();
        thresholds.iam.exclude_permission_boundary_policies = true;
        let excluding = run_with(
            with_policies(),
            false,
            thresholds.clone(),
            no_admin_policies,
        )
        .await;
        assert_eq!(
            statuses_of(&excluding, &suffixes),
            [Status::NotApplicable, Status::Fail, Status::Fail]
        );
        let boundary = excluding
            .iter()
            .find(|o| o.resource_id.ends_with("/boundary"))
            .unwrap();
        assert!(
            boundary.message.contains(&principal_arn("role", "app")),
            "{}",
            boundary.message
        );
        // The principals are read only for the option, and their read failing is an ERROR.
        let mut unreadable = with_policies();
        unreadable.global.iam.roles = failed("iam", "GetAccountAuthorizationDetails");
        assert_eq!(
            statuses(&run_with(unreadable, false, thresholds, no_admin_policies).await),
            [Status::Error]
        );
    }

    fn server_certificate(name: &str, days_left: Option<i64>) -> ServerCertificate {
        ServerCertificate {
            arn: format!("arn:aws:iam::{ACCOUNT}:server-certificate/{name}"),
            name: name.to_string(),
            id: "ASCAEXAMPLE".to_string(),
            path: "/".to_string(),
            upload_date: days_ago(400),
            expiration: days_left.map(|days| now() + chrono::Duration::days(days)),
        }
    }

    #[tokio::test]
    async fn server_certificates_are_judged_by_expiration_with_acm_threshold() {
        let mut account = data();
        account.global.iam.server_certificates = ok(vec![
            server_certificate("fresh", Some(200)),
            server_certificate("edge", Some(31)),
            server_certificate("soon", Some(30)),
            server_certificate("expired", Some(-3)),
            server_certificate("undated", None),
        ]);
        let found = run(account, false, server_certificate_expiry).await;
        assert_eq!(
            statuses_of(
                &found,
                &["/fresh", "/edge", "/soon", "/expired", "/undated"]
            ),
            [
                Status::Pass,
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Error
            ]
        );
        let expired = found
            .iter()
            .find(|o| o.resource_id.ends_with("/expired"))
            .unwrap();
        assert!(
            expired
                .message
                .starts_with("IAM server certificate expired expired 3 day(s) ago ("),
            "{}",
            expired.message
        );
        let mut none = data();
        none.global.iam.server_certificates = ok(vec![]);
        assert_eq!(
            statuses(&run(none, false, server_certificate_expiry).await),
            [Status::NotApplicable]
        );
        let mut unreadable = data();
        unreadable.global.iam.server_certificates = failed("iam", "ListServerCertificates");
        assert_eq!(
            statuses(&run(unreadable, false, server_certificate_expiry).await),
            [Status::Error]
        );
    }
}
