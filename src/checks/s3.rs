use serde_json::{json, Value};

use super::policy::{statements, values};
use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::s3::{Bucket, PublicAccessBlock};
use crate::verdict::count;

const BUCKET: &str = "AWS::S3::Bucket";

fn bucket_resource(bucket: &Bucket) -> Resource {
    Resource::new(BUCKET, bucket.arn())
}

/// Judges each bucket of the check's region. A bucket whose region could not be read is
/// ERROR once, in the home region (where the buckets are listed); no bucket at all is N/A.
async fn each_bucket(
    ctx: &CheckCtx,
    mut judge: impl FnMut(&Bucket, &Resource) -> Observation,
) -> Vec<Observation> {
    let region = ctx.region();
    let buckets = match listed(ctx, ctx.inventory.s3_buckets().await) {
        Ok(buckets) => buckets,
        Err(errors) => return errors,
    };
    let mut observations = Vec::new();
    for bucket in buckets {
        let resource = bucket_resource(bucket);
        match bucket.region.as_result() {
            Ok(home) if home == region => observations.push(judge(bucket, &resource)),
            Ok(_) => {}
            Err(error) if region == ctx.inventory.home_region() => {
                observations.push(Observation::unverified(&resource, error))
            }
            Err(_) => {}
        }
    }
    if observations.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!("no S3 buckets in {region}"),
        )];
    }
    observations
}

pub async fn account_public_access_block(ctx: CheckCtx) -> Vec<Observation> {
    let account = ctx.account();
    let observation = match ctx
        .inventory
        .s3_account_public_access_block()
        .await
        .as_result()
    {
        Err(error) => Observation::unverified(&account, error),
        Ok(None) => Observation::fail(
            &account,
            "account-level S3 Block Public Access is not configured",
            json!({ "configured": false }),
        ),
        Ok(Some(block)) if block.all_on() => Observation::pass(
            &account,
            "all four account-level Block Public Access settings are on",
            json!(block),
        ),
        Ok(Some(block)) => Observation::fail(
            &account,
            format!(
                "account-level Block Public Access is off for: {}",
                block.missing_flags().join(", ")
            ),
            json!(block),
        ),
    };
    vec![observation]
}

/// A bucket is protected by its own settings and the account's, flag by flag (AWS applies
/// the most restrictive combination), so a bucket relying on the account-level block passes.
pub async fn bucket_public_access_block(ctx: CheckCtx) -> Vec<Observation> {
    let blocks = ctx
        .inventory
        .s3_bucket_public_access_block(ctx.region())
        .await;
    let account = ctx
        .inventory
        .s3_account_public_access_block()
        .await
        .as_result();
    each_bucket(&ctx, |bucket, resource| {
        let own = match lookup(blocks, &bucket.name) {
            Ok(own) => own.unwrap_or_default(),
            Err(error) => return Observation::unverified(resource, &error),
        };
        if own.all_on() {
            return Observation::pass(
                resource,
                "the bucket blocks all public access",
                json!({ "bucket": own }),
            );
        }
        let account = match account {
            Ok(account) => account.unwrap_or_default(),
            Err(error) => return Observation::unverified(resource, error),
        };
        let effective = PublicAccessBlock {
            block_public_acls: own.block_public_acls || account.block_public_acls,
            ignore_public_acls: own.ignore_public_acls || account.ignore_public_acls,
            block_public_policy: own.block_public_policy || account.block_public_policy,
            restrict_public_buckets: own.restrict_public_buckets || account.restrict_public_buckets,
        };
        let evidence = json!({ "bucket": own, "account": account, "effective": effective });
        let message = if effective.all_on() {
            "public access is blocked by the account-level settings".to_string()
        } else {
            format!(
                "public access is not blocked: {} off for the bucket and the account",
                effective.missing_flags().join(", ")
            )
        };
        Observation::judge(effective.all_on(), resource, message, evidence)
    })
    .await
}

pub async fn bucket_encryption(ctx: CheckCtx) -> Vec<Observation> {
    let encryption = ctx.inventory.s3_bucket_encryption(ctx.region()).await;
    each_bucket(&ctx, |bucket, resource| {
        let resource = resource.clone();
        match lookup(encryption, &bucket.name) {
            Err(error) => Observation::unverified(&resource, &error),
            Ok(None) => Observation::fail(
                &resource,
                "no default encryption configuration",
                json!({ "rules": [] }),
            ),
            Ok(Some(rules)) => {
                let algorithm = rules
                    .iter()
                    .map(|r| r.algorithm.as_str())
                    .find(|a| matches!(*a, "AES256" | "aws:kms" | "aws:kms:dsse"));
                let message = match algorithm {
                    Some("AES256") => "default encryption SSE-S3".to_string(),
                    Some(kms) => format!("default encryption SSE-KMS ({kms})"),
                    None => "no recognised default encryption rule".to_string(),
                };
                Observation::judge(
                    algorithm.is_some(),
                    &resource,
                    message,
                    json!({ "rules": rules }),
                )
            }
        }
    })
    .await
}

pub async fn bucket_tls_only(ctx: CheckCtx) -> Vec<Observation> {
    let policies = ctx.inventory.s3_bucket_policy(ctx.region()).await;
    each_bucket(&ctx, |bucket, resource| {
        let resource = resource.clone();
        match lookup(policies, &bucket.name) {
            Err(error) => Observation::unverified(&resource, &error),
            Ok(None) => Observation::fail(
                &resource,
                "no bucket policy, so requests over plain HTTP are not denied",
                json!({ "policy": null }),
            ),
            Ok(Some(text)) => match serde_json::from_str::<Value>(text) {
                Err(error) => Observation::cannot_judge(
                    &resource,
                    format!("the bucket policy is not valid JSON: {error}"),
                    json!({ "policy": text }),
                ),
                Ok(policy) => {
                    let denies = denies_insecure_transport(&policy);
                    let message = if denies {
                        "the bucket policy denies requests without TLS"
                    } else {
                        "the bucket policy does not deny requests with aws:SecureTransport=false"
                    };
                    Observation::judge(denies, &resource, message, json!({ "policy": policy }))
                }
            },
        }
    })
    .await
}

pub async fn storage_tiering(ctx: CheckCtx) -> Vec<Observation> {
    let lifecycle = ctx.inventory.s3_bucket_lifecycle(ctx.region()).await;
    let tiering = ctx
        .inventory
        .s3_bucket_intelligent_tiering(ctx.region())
        .await;
    each_bucket(&ctx, |bucket, resource| {
        let resource = resource.clone();
        let rules = lookup(lifecycle, &bucket.name);
        let configs = lookup(tiering, &bucket.name);
        let enabled_rules: Vec<_> = rules
            .as_ref()
            .map(|r| r.iter().filter(|r| r.enabled).collect())
            .unwrap_or_default();
        let enabled_configs: Vec<_> = configs
            .as_ref()
            .map(|c| c.iter().filter(|c| c.enabled).collect())
            .unwrap_or_default();
        let evidence = json!({
            "enabled_lifecycle_rules": enabled_rules,
            "enabled_intelligent_tiering_configurations": enabled_configs,
        });
        // Either kind of configuration is enough, so one unreadable answer matters
        // only if the other shows nothing.
        if !enabled_rules.is_empty() || !enabled_configs.is_empty() {
            return Observation::pass(
                &resource,
                format!(
                    "{}, {} enabled",
                    count(enabled_rules.len() as i64, "lifecycle rule"),
                    count(
                        enabled_configs.len() as i64,
                        "Intelligent-Tiering configuration"
                    )
                ),
                evidence,
            );
        }
        match (rules, configs) {
            (Err(error), _) | (_, Err(error)) => Observation::unverified(&resource, &error),
            (Ok(_), Ok(_)) => Observation::fail(
                &resource,
                "neither a lifecycle rule nor an Intelligent-Tiering configuration is enabled",
                evidence,
            ),
        }
    })
    .await
}

/// Whether a policy has a Deny for every principal and every S3 action (or `*`) when
/// `aws:SecureTransport` is false.
fn denies_insecure_transport(policy: &Value) -> bool {
    statements(policy).any(|statement| {
        let effect = statement.get("Effect").and_then(Value::as_str) == Some("Deny");
        let everyone = match statement.get("Principal") {
            Some(Value::String(p)) => p == "*",
            Some(Value::Object(map)) => map
                .get("AWS")
                .is_some_and(|aws| values(aws).any(|v| v == "*")),
            _ => false,
        };
        let all_actions = statement
            .get("Action")
            .is_some_and(|a| values(a).any(|v| v == "*" || v.eq_ignore_ascii_case("s3:*")));
        let insecure = statement
            .get("Condition")
            .and_then(Value::as_object)
            .is_some_and(|conditions| {
                conditions.iter().any(|(operator, body)| {
                    operator.eq_ignore_ascii_case("Bool")
                        && body.as_object().is_some_and(|keys| {
                            keys.iter().any(|(key, value)| {
                                key.eq_ignore_ascii_case("aws:SecureTransport")
                                    && values(value).any(|v| v.eq_ignore_ascii_case("false"))
                            })
                        })
                })
            });
        effect && everyone && all_actions && insecure
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::s3::{EncryptionRule, IntelligentTieringConfig, LifecycleRule};

    const ALL_ON: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    fn with_buckets(names: &[&str]) -> InventoryData {
        let mut data = data();
        let buckets = names
            .iter()
            .map(|name| Bucket {
                name: name.to_string(),
                region: Fetched::Ok(REGION.to_string()),
            })
            .chain([Bucket {
                name: "elsewhere".into(),
                region: Fetched::Ok("eu-west-1".into()),
            }])
            .collect();
        data.global.s3.buckets = Memo::ready(Fetched::Ok(buckets));
        data
    }

    fn per_bucket<T>(entries: Vec<(&str, Fetched<T>)>) -> Memo<BTreeMap<String, Fetched<T>>> {
        Memo::ready(Fetched::Ok(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        ))
    }

    fn regional(data: &mut InventoryData) -> &mut crate::inventory::RegionPieces {
        data.regional.get_mut(REGION).unwrap()
    }

    #[tokio::test]
    async fn account_block_passes_only_with_all_four_flags() {
        for (block, expected) in [
            (Some(ALL_ON), Status::Pass),
            (
                Some(PublicAccessBlock {
                    restrict_public_buckets: false,
                    ..ALL_ON
                }),
                Status::Fail,
            ),
            (None, Status::Fail),
        ] {
            let mut data = data();
            data.global.s3.account_public_access_block = Memo::ready(Fetched::Ok(block));
            let found = run(data, false, account_public_access_block).await;
            assert_eq!(statuses(&found), [expected], "{block:?}");
        }
    }

    #[tokio::test]
    async fn a_failed_read_is_an_error_never_a_pass() {
        let mut data = data();
        data.global.s3.account_public_access_block =
            Memo::ready(err("s3control", "GetPublicAccessBlock"));
        let found = run(data, false, account_public_access_block).await;
        assert_eq!(statuses(&found), [Status::Error]);
        assert!(found[0].message.contains("s3control GetPublicAccessBlock"));
        assert!(found[0].message.contains("AccessDenied"));
    }

    #[tokio::test]
    async fn bucket_block_combines_bucket_and_account_flags() {
        let mut data = with_buckets(&["own", "relies", "open", "unknown"]);
        data.global.s3.account_public_access_block =
            Memo::ready(Fetched::Ok(Some(PublicAccessBlock {
                block_public_acls: true,
                ignore_public_acls: true,
                ..Default::default()
            })));
        regional(&mut data).s3.bucket_public_access_block = per_bucket(vec![
            ("own", Fetched::Ok(Some(ALL_ON))),
            (
                "relies",
                Fetched::Ok(Some(PublicAccessBlock {
                    block_public_policy: true,
                    restrict_public_buckets: true,
                    ..Default::default()
                })),
            ),
            ("open", Fetched::Ok(None)),
            ("unknown", err("s3", "GetPublicAccessBlock")),
        ]);
        let found = run(data, true, bucket_public_access_block).await;
        assert_eq!(found.len(), 4, "the eu-west-1 bucket is not this region's");
        assert_eq!(status_of(&found, ":::own"), Status::Pass);
        assert_eq!(status_of(&found, ":::relies"), Status::Pass);
        assert_eq!(status_of(&found, ":::open"), Status::Fail);
        assert_eq!(status_of(&found, ":::unknown"), Status::Error);
    }

    #[tokio::test]
    async fn bucket_block_is_unverified_when_the_account_setting_is_needed_but_unknown() {
        let mut data = with_buckets(&["open"]);
        data.global.s3.account_public_access_block =
            Memo::ready(err("s3control", "GetPublicAccessBlock"));
        regional(&mut data).s3.bucket_public_access_block =
            per_bucket(vec![("open", Fetched::Ok(None))]);
        let found = run(data, true, bucket_public_access_block).await;
        assert_eq!(statuses(&found), [Status::Error]);
    }

    #[tokio::test]
    async fn no_buckets_is_said_explicitly_and_a_listing_failure_is_an_error() {
        let found = run(with_buckets(&[]), true, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);

        let mut data = data();
        data.global.s3.buckets = Memo::ready(err("s3", "ListBuckets"));
        let found = run(data, true, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::Error]);
        assert!(found[0].message.contains("ListBuckets"));
    }

    /// One bucket whose GetBucketLocation fails is one ERROR (in the home region, once);
    /// the other buckets, in every region, keep their PASS and FAIL.
    #[tokio::test]
    async fn a_bucket_whose_region_is_unreadable_costs_only_that_bucket() {
        let mut data = with_buckets(&["good", "plain"]);
        data.regions.push("eu-west-1".to_string());
        let located = |name: &str, region: &str| Bucket {
            name: name.into(),
            region: Fetched::Ok(region.into()),
        };
        data.global.s3.buckets = Memo::ready(Fetched::Ok(vec![
            located("good", REGION),
            located("plain", REGION),
            located("elsewhere", "eu-west-1"),
            Bucket {
                name: "hidden".into(),
                region: err("s3", "GetBucketLocation"),
            },
        ]));
        let rules = Fetched::Ok(Some(vec![EncryptionRule {
            algorithm: "AES256".into(),
            kms_key_id: None,
            bucket_key_enabled: None,
        }]));
        regional(&mut data).s3.bucket_encryption =
            per_bucket(vec![("good", rules.clone()), ("plain", Fetched::Ok(None))]);
        data.region_mut("eu-west-1").s3.bucket_encryption = per_bucket(vec![("elsewhere", rules)]);
        let inventory = std::sync::Arc::new(crate::inventory::Inventory::offline(data));

        let home = bucket_encryption(ctx_in(&inventory, REGION)).await;
        assert_eq!(status_of(&home, ":::good"), Status::Pass);
        assert_eq!(status_of(&home, ":::plain"), Status::Fail);
        assert_eq!(status_of(&home, ":::hidden"), Status::Error);
        assert!(home.iter().any(|o| o.message.contains("GetBucketLocation")));

        let other = bucket_encryption(ctx_in(&inventory, "eu-west-1")).await;
        assert_eq!(statuses(&other), [Status::Pass], "{other:#?}");
    }

    #[tokio::test]
    async fn encryption_needs_a_default_rule() {
        let rule = |algorithm: &str| EncryptionRule {
            algorithm: algorithm.to_string(),
            kms_key_id: None,
            bucket_key_enabled: None,
        };
        let mut data = with_buckets(&["kms", "s3", "none", "missing"]);
        regional(&mut data).s3.bucket_encryption = per_bucket(vec![
            ("kms", Fetched::Ok(Some(vec![rule("aws:kms")]))),
            ("s3", Fetched::Ok(Some(vec![rule("AES256")]))),
            ("none", Fetched::Ok(None)),
        ]);
        let found = run(data, true, bucket_encryption).await;
        assert_eq!(status_of(&found, ":::kms"), Status::Pass);
        assert_eq!(status_of(&found, ":::s3"), Status::Pass);
        assert_eq!(status_of(&found, ":::none"), Status::Fail);
        assert_eq!(status_of(&found, ":::missing"), Status::Error);
    }

    const TLS_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AllowRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
        {"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*",
         "Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
         "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

    #[tokio::test]
    async fn tls_only_needs_a_deny_on_insecure_transport() {
        let allow_only = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
            "Condition":{"Bool":{"aws:SecureTransport":"false"}}}}"#;
        let get_only = TLS_POLICY.replace("\"s3:*\"", "\"s3:GetObject\"");
        let mut data = with_buckets(&["tls", "allow", "get", "none", "garbled"]);
        regional(&mut data).s3.bucket_policy = per_bucket(vec![
            ("tls", Fetched::Ok(Some(TLS_POLICY.to_string()))),
            ("allow", Fetched::Ok(Some(allow_only.to_string()))),
            ("get", Fetched::Ok(Some(get_only))),
            ("none", Fetched::Ok(None)),
            ("garbled", Fetched::Ok(Some("{not json".to_string()))),
        ]);
        let found = run(data, true, bucket_tls_only).await;
        assert_eq!(status_of(&found, ":::tls"), Status::Pass);
        assert_eq!(status_of(&found, ":::allow"), Status::Fail);
        assert_eq!(status_of(&found, ":::get"), Status::Fail);
        assert_eq!(status_of(&found, ":::none"), Status::Fail);
        assert_eq!(status_of(&found, ":::garbled"), Status::Error);
    }

    #[test]
    fn secure_transport_condition_accepts_boolean_and_list_forms() {
        let policy: Value = serde_json::from_str(
            r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":["*"]},"Action":["*"],
                "Condition":{"bool":{"AWS:SecureTransport":[false]}}}]}"#,
        )
        .unwrap();
        assert!(denies_insecure_transport(&policy));
    }

    #[tokio::test]
    async fn tiering_needs_an_enabled_rule_or_configuration() {
        let rule = |enabled| LifecycleRule {
            id: Some("archive".into()),
            enabled,
        };
        let mut data = with_buckets(&["lifecycle", "tiering", "disabled", "unknown", "mixed"]);
        regional(&mut data).s3.bucket_lifecycle = per_bucket(vec![
            ("lifecycle", Fetched::Ok(vec![rule(true)])),
            ("tiering", Fetched::Ok(vec![])),
            ("disabled", Fetched::Ok(vec![rule(false)])),
            ("unknown", err("s3", "GetBucketLifecycleConfiguration")),
            ("mixed", Fetched::Ok(vec![rule(true)])),
        ]);
        regional(&mut data).s3.bucket_intelligent_tiering = per_bucket(vec![
            ("lifecycle", Fetched::Ok(vec![])),
            (
                "tiering",
                Fetched::Ok(vec![IntelligentTieringConfig {
                    id: "archive".into(),
                    enabled: true,
                }]),
            ),
            ("disabled", Fetched::Ok(vec![])),
            ("unknown", Fetched::Ok(vec![])),
            (
                "mixed",
                err("s3", "ListBucketIntelligentTieringConfigurations"),
            ),
        ]);
        let found = run(data, true, storage_tiering).await;
        assert_eq!(status_of(&found, ":::lifecycle"), Status::Pass);
        assert_eq!(status_of(&found, ":::tiering"), Status::Pass);
        assert_eq!(status_of(&found, ":::disabled"), Status::Fail);
        assert_eq!(status_of(&found, ":::unknown"), Status::Error);
        assert_eq!(status_of(&found, ":::mixed"), Status::Pass);
    }
}
