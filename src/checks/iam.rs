use crate::verdict::count;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::policy::{statements, values};
use super::{days_between, listed, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::iam::{CredentialReportUser, PolicyDocument};

const USER: &str = "AWS::IAM::User";
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
    if documents.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            "no customer-managed or inline policies",
        )];
    }
    documents.iter().map(judge_policy).collect()
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
    use crate::model::iam::{AccessKeyReport, AccountSummary, PasswordPolicy, PolicyKind};

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
}
