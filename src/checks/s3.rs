use aws_sdk_s3::types::ServerSideEncryption;
use serde_json::{json, Value};

use super::policy::{statements, values};
use super::{listed, lookup, CheckCtx};
use crate::finding::{Observation, Resource, Status};
use crate::model::s3::{Bucket, DirectoryBucket, LifecycleRule, PublicAccessBlock};

const BUCKET: &str = "AWS::S3::Bucket";
const DIRECTORY_BUCKET: &str = "AWS::S3Express::DirectoryBucket";

fn bucket_resource(ctx: &CheckCtx, bucket: &Bucket) -> Resource {
    Resource::new(BUCKET, bucket.arn(ctx.inventory.partition()))
}

/// What AWS fixes for every directory bucket, for one check: the verdict, and why in
/// AWS's terms. Directory buckets have none of the settings the general purpose checks
/// read, so the check says what holds for them rather than leaving them out.
struct ForDirectoryBuckets {
    status: Status,
    why: &'static str,
}

/// Judges every bucket the account owns, once: each general purpose bucket in the region
/// it lives in (whatever regions the audit covers: the bucket listing is account-wide),
/// then each directory bucket of the audited regions (ListDirectoryBuckets is regional)
/// as AWS fixes it (`directory`). A bucket whose region could not be read is ERROR, and
/// so is a region whose directory buckets could not be listed; no bucket at all is N/A.
async fn each_bucket(
    ctx: &CheckCtx,
    directory: ForDirectoryBuckets,
    mut judge: impl FnMut(&Bucket, &Resource) -> Observation,
) -> Vec<Observation> {
    let mut observations: Vec<Observation> = match listed(ctx, ctx.inventory.s3_buckets().await) {
        Err(errors) => errors,
        Ok(buckets) => buckets
            .iter()
            .map(|bucket| {
                let resource = bucket_resource(ctx, bucket);
                match bucket.region.as_result() {
                    Ok(home) => judge(bucket, &resource).in_region(home),
                    Err(error) => Observation::unverified(&resource, error),
                }
            })
            .collect(),
    };
    for region in ctx.inventory.regions() {
        match ctx.inventory.s3_directory_buckets(region).await.as_result() {
            Err(error) => {
                observations.push(Observation::unverified(&ctx.account(), error).in_region(region))
            }
            Ok(buckets) => observations.extend(
                buckets
                    .iter()
                    .map(|bucket| judge_directory_bucket(ctx, region, bucket, &directory)),
            ),
        }
    }
    if observations.is_empty() {
        return vec![Observation::not_applicable(
            &ctx.account(),
            format!(
                "the account has no S3 buckets (and no directory buckets in {})",
                ctx.inventory.regions().join(", ")
            ),
        )];
    }
    observations
}

fn judge_directory_bucket(
    ctx: &CheckCtx,
    region: &str,
    bucket: &DirectoryBucket,
    directory: &ForDirectoryBuckets,
) -> Observation {
    let inventory = &ctx.inventory;
    let resource = Resource::new(
        DIRECTORY_BUCKET,
        bucket.arn_in(inventory.partition(), region, inventory.account_id()),
    );
    let zone = bucket
        .zone_id()
        .map(|zone| format!(" in zone {zone}"))
        .unwrap_or_default();
    Observation::new(
        directory.status,
        &resource,
        format!("directory bucket{zone}: {}", directory.why),
        json!({ "directory_bucket": bucket }),
    )
    .in_region(region)
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
    let blocks = ctx.inventory.s3_bucket_public_access_block().await;
    let account = ctx
        .inventory
        .s3_account_public_access_block()
        .await
        .as_result();
    let directory = ForDirectoryBuckets {
        status: Status::Pass,
        why: "AWS turns on all four Block Public Access settings for every directory bucket, and they cannot be turned off",
    };
    each_bucket(&ctx, directory, |bucket, resource| {
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
    let encryption = ctx.inventory.s3_bucket_encryption().await;
    let directory = ForDirectoryBuckets {
        status: Status::Pass,
        why: "AWS encrypts every object in a directory bucket (SSE-S3, or SSE-KMS where configured) and refuses unencrypted uploads",
    };
    each_bucket(&ctx, directory, |bucket, resource| {
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
                    .map(|r| ServerSideEncryption::from(r.algorithm.as_str()))
                    .find(|a| {
                        matches!(
                            a,
                            ServerSideEncryption::Aes256
                                | ServerSideEncryption::AwsKms
                                | ServerSideEncryption::AwsKmsDsse
                        )
                    });
                let message = match &algorithm {
                    Some(ServerSideEncryption::Aes256) => "default encryption SSE-S3".to_string(),
                    Some(kms) => format!("default encryption SSE-KMS ({})", kms.as_str()),
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
    let policies = ctx.inventory.s3_bucket_policy().await;
    // Its policy is not read: whatever it says, a plain-HTTP request never reaches it.
    let directory = ForDirectoryBuckets {
        status: Status::Pass,
        why: "S3 Express One Zone is reachable only over HTTPS (TLS), so no plain-HTTP request reaches a directory bucket whatever its policy says",
    };
    each_bucket(&ctx, directory, |bucket, resource| {
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
                    let denies = denies_insecure_transport(&policy, &resource.id);
                    let message = if denies {
                        "the bucket policy denies requests without TLS"
                    } else {
                        "the bucket policy does not deny every request without TLS (a Deny of s3:* to everyone on the bucket and its objects, on aws:SecureTransport=false alone)"
                    };
                    Observation::judge(denies, &resource, message, json!({ "policy": policy }))
                }
            },
        }
    })
    .await
}

/// An enabled lifecycle rule that moves current objects to a cheaper storage class or
/// expires them: the data a bucket's cost grows with. Rules that only abort incomplete
/// uploads or act on noncurrent versions leave it in S3 Standard, and an
/// Intelligent-Tiering archive configuration only archives objects already stored in
/// INTELLIGENT_TIERING, so neither counts alone.
pub async fn storage_tiering(ctx: CheckCtx) -> Vec<Observation> {
    let lifecycle = ctx.inventory.s3_bucket_lifecycle().await;
    let tiering = ctx.inventory.s3_bucket_intelligent_tiering().await;
    let directory = ForDirectoryBuckets {
        status: Status::NotApplicable,
        why: "a directory bucket keeps its objects in its one storage class (S3 Express One Zone, or S3 One Zone-IA in a Local Zone): lifecycle rules can expire them but no transition exists",
    };
    each_bucket(&ctx, directory, |bucket, resource| {
        let rules = match lookup(lifecycle, &bucket.name) {
            Ok(rules) => rules,
            Err(error) => return Observation::unverified(resource, &error),
        };
        let enabled: Vec<_> = rules.iter().filter(|r| r.enabled).collect();
        // Read only to explain a FAIL: its configurations never settle the verdict.
        let archive_configs: Vec<&str> = lookup(tiering, &bucket.name)
            .map(|configs| {
                configs
                    .iter()
                    .filter(|c| c.enabled)
                    .map(|c| c.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let evidence = json!({
            "enabled_lifecycle_rules": enabled,
            "enabled_intelligent_tiering_configurations": archive_configs,
        });
        let rule_name = |rule: &LifecycleRule| rule.id.clone().unwrap_or_else(|| "(unnamed)".into());
        let managing = enabled.iter().find_map(|rule| {
            let what = rule.actions.as_ref()?.on_current_objects()?;
            Some(format!("lifecycle rule {} {what}", rule_name(rule)))
        });
        if let Some(message) = managing {
            return Observation::pass(resource, message, evidence);
        }
        if let Some(rule) = enabled.iter().find(|r| r.actions.is_none()) {
            return Observation::new(
                Status::Error,
                resource,
                format!(
                    "the actions of lifecycle rule {} were not recorded (a snapshot taken before orr read them)",
                    rule_name(rule)
                ),
                evidence,
            );
        }
        let mut message = if enabled.is_empty() {
            "no lifecycle rule is enabled".to_string()
        } else {
            let names: Vec<String> = enabled.iter().map(|r| rule_name(r)).collect();
            format!(
                "no enabled lifecycle rule transitions or expires current objects ({} act only on noncurrent versions, delete markers or incomplete uploads)",
                names.join(", ")
            )
        };
        if !archive_configs.is_empty() {
            message.push_str(&format!(
                "; Intelligent-Tiering configuration {} archives only objects already stored in INTELLIGENT_TIERING, and no lifecycle rule moves objects there (waive this if the application writes its objects as INTELLIGENT_TIERING)",
                archive_configs.join(", ")
            ));
        }
        Observation::fail(resource, message, evidence)
    })
    .await
}

/// Whether a policy denies every principal every S3 action on the bucket and all its
/// objects when the request is not over TLS: `Bool` or `BoolIfExists` on
/// `aws:SecureTransport` = false, and nothing else. A deny narrowed by another condition
/// key, a `NotAction`/`NotResource`/`NotPrincipal`, or resources that leave part of the
/// bucket out lets some plain-HTTP requests through, so it does not count.
fn denies_insecure_transport(policy: &Value, bucket_arn: &str) -> bool {
    statements(policy).any(|statement| {
        let effect = statement.get("Effect").and_then(Value::as_str) == Some("Deny");
        let negated = ["NotAction", "NotResource", "NotPrincipal"]
            .iter()
            .any(|key| statement.get(*key).is_some());
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
        let whole_bucket = statement.get("Resource").is_some_and(|resources| {
            let patterns: Vec<String> = values(resources).collect();
            let covers = |arn: &str| patterns.iter().any(|p| arn_matches(p, arn));
            covers(bucket_arn) && covers(&format!("{bucket_arn}/any/object"))
        });
        let only_insecure_transport = statement
            .get("Condition")
            .and_then(Value::as_object)
            .is_some_and(|conditions| {
                conditions.len() == 1
                    && conditions.iter().all(|(operator, body)| {
                        (operator.eq_ignore_ascii_case("Bool")
                            || operator.eq_ignore_ascii_case("BoolIfExists"))
                            && body.as_object().is_some_and(|keys| {
                                keys.len() == 1
                                    && keys.iter().all(|(key, value)| {
                                        key.eq_ignore_ascii_case("aws:SecureTransport")
                                            && values(value)
                                                .all(|v| v.eq_ignore_ascii_case("false"))
                                    })
                            })
                    })
            });
        effect && !negated && everyone && all_actions && whole_bucket && only_insecure_transport
    })
}

/// IAM's resource matching: `*` any run of characters, `?` any one.
fn arn_matches(pattern: &str, arn: &str) -> bool {
    globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .backslash_escape(false)
        .build()
        .is_ok_and(|glob| glob.compile_matcher().is_match(arn))
}

/// Storage Lens shows where the account's S3 bytes and requests go (by bucket, prefix,
/// storage class): the view that finds what to tier or delete.
pub async fn storage_lens(ctx: CheckCtx) -> Vec<Observation> {
    let configs = match listed(&ctx, ctx.inventory.s3_storage_lens().await) {
        Ok(configs) => configs,
        Err(errors) => return errors,
    };
    let enabled: Vec<String> = configs
        .iter()
        .filter(|c| c.enabled)
        .map(|c| format!("{} ({})", c.id, c.home_region))
        .collect();
    vec![Observation::judge(
        !enabled.is_empty(),
        &ctx.account(),
        if enabled.is_empty() {
            format!(
                "no enabled S3 Storage Lens configuration ({} disabled)",
                configs.len()
            )
        } else {
            format!("S3 Storage Lens enabled: {}", enabled.join(", "))
        },
        json!({ "configurations": configs }),
    )]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::s3::{
        DirectoryBucket, EncryptionRule, IntelligentTieringConfig, LifecycleActions, LifecycleRule,
    };

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
            .collect();
        data.global.s3.buckets = Memo::ready(Fetched::Ok(buckets));
        data.region_mut(REGION).s3.directory_buckets = Memo::ready(Fetched::Ok(vec![]));
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
        data.global.s3.bucket_public_access_block = per_bucket(vec![
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
        let found = run(data, false, bucket_public_access_block).await;
        assert_eq!(found.len(), 4);
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
        data.global.s3.bucket_public_access_block = per_bucket(vec![("open", Fetched::Ok(None))]);
        let found = run(data, false, bucket_public_access_block).await;
        assert_eq!(statuses(&found), [Status::Error]);
    }

    #[tokio::test]
    async fn no_buckets_is_said_explicitly_and_a_listing_failure_is_an_error() {
        let found = run(with_buckets(&[]), false, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::NotApplicable]);

        let mut data = with_buckets(&[]);
        data.global.s3.buckets = Memo::ready(err("s3", "ListBuckets"));
        let found = run(data, false, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::Error]);
        assert!(found[0].message.contains("ListBuckets"));
    }

    const DIRECTORY: &str = "logs--use1-az4--x-s3";

    fn with_directory_bucket(general_purpose: &[&str]) -> InventoryData {
        let mut data = with_buckets(general_purpose);
        data.region_mut(REGION).s3.directory_buckets =
            Memo::ready(Fetched::Ok(vec![DirectoryBucket {
                name: DIRECTORY.into(),
                arn: None,
                created: None,
            }]));
        data
    }

    /// Directory buckets have none of the settings the bucket checks read: each check
    /// says what AWS fixes for them, naming the bucket, its zone and its region.
    #[tokio::test]
    async fn directory_buckets_are_judged_as_aws_fixes_them() {
        let arn = format!("arn:aws:s3express:{REGION}:{ACCOUNT}:bucket/{DIRECTORY}");
        for (found, expected, says) in [
            (
                run(
                    with_directory_bucket(&[]),
                    false,
                    bucket_public_access_block,
                )
                .await,
                Status::Pass,
                "Block Public Access",
            ),
            (
                run(with_directory_bucket(&[]), false, bucket_encryption).await,
                Status::Pass,
                "SSE-S3",
            ),
            (
                run(with_directory_bucket(&[]), false, bucket_tls_only).await,
                Status::Pass,
                "only over HTTPS",
            ),
            (
                run(with_directory_bucket(&[]), false, storage_tiering).await,
                Status::NotApplicable,
                "no transition exists",
            ),
        ] {
            assert_eq!(found.len(), 1, "{found:#?}");
            let seen = &found[0];
            assert_eq!(seen.status, expected, "{seen:#?}");
            assert_eq!(seen.resource_id, arn);
            assert_eq!(seen.resource_type, "AWS::S3Express::DirectoryBucket");
            assert_eq!(seen.region.as_deref(), Some(REGION));
            assert!(
                seen.message
                    .starts_with("directory bucket in zone use1-az4: ")
                    && seen.message.contains(says),
                "{}",
                seen.message
            );
            assert_eq!(seen.evidence["directory_bucket"]["name"], DIRECTORY);
        }
    }

    /// A region whose directory buckets cannot be listed is one ERROR there; the
    /// general purpose buckets are still judged, and an account with only directory
    /// buckets is not "no buckets".
    #[tokio::test]
    async fn an_unlisted_region_costs_only_its_directory_buckets() {
        let mut data = with_buckets(&["plain"]);
        data.region_mut(REGION).s3.directory_buckets =
            Memo::ready(err("s3", "ListDirectoryBuckets"));
        data.global.s3.bucket_encryption = per_bucket(vec![("plain", Fetched::Ok(None))]);
        let found = run(data, false, bucket_encryption).await;
        assert_eq!(status_of(&found, ":::plain"), Status::Fail);
        let unlisted = found.iter().find(|o| o.status == Status::Error).unwrap();
        assert_eq!(unlisted.resource_id, ACCOUNT);
        assert_eq!(unlisted.region.as_deref(), Some(REGION));
        assert!(
            unlisted.message.contains("s3 ListDirectoryBuckets"),
            "{}",
            unlisted.message
        );

        let found = run(with_directory_bucket(&[]), false, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::Pass]);
        let mut data = with_directory_bucket(&[]);
        data.global.s3.buckets = Memo::ready(err("s3", "ListBuckets"));
        let found = run(data, false, bucket_encryption).await;
        assert_eq!(statuses(&found), [Status::Error, Status::Pass]);
    }

    #[test]
    fn a_directory_bucket_names_its_zone_and_arn() {
        let bucket = |name: &str, arn: Option<&str>| DirectoryBucket {
            name: name.into(),
            arn: arn.map(str::to_string),
            created: None,
        };
        assert_eq!(bucket(DIRECTORY, None).zone_id(), Some("use1-az4"));
        assert_eq!(
            bucket("a--b--c--usw2-lax1-az1--x-s3", None).zone_id(),
            Some("usw2-lax1-az1")
        );
        assert_eq!(bucket("general", None).zone_id(), None);
        assert_eq!(
            bucket(DIRECTORY, None).arn_in("aws-cn", "cn-north-1", ACCOUNT),
            format!("arn:aws-cn:s3express:cn-north-1:{ACCOUNT}:bucket/{DIRECTORY}")
        );
        assert_eq!(
            bucket(DIRECTORY, Some("arn:aws:s3express:x")).arn_in("aws", REGION, ACCOUNT),
            "arn:aws:s3express:x"
        );
    }

    /// Every bucket is judged once, in its own region, whatever regions are audited
    /// (here only `REGION`); one whose GetBucketLocation fails is one ERROR and costs
    /// only itself.
    #[tokio::test]
    async fn every_bucket_is_judged_in_its_home_region_and_an_unlocated_one_is_an_error() {
        let mut data = with_buckets(&[]);
        let located = |name: &str, region: &str| Bucket {
            name: name.into(),
            region: Fetched::Ok(region.into()),
        };
        data.global.s3.buckets = Memo::ready(Fetched::Ok(vec![
            located("good", REGION),
            located("plain", REGION),
            located("elsewhere", "eu-central-1"),
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
        data.global.s3.bucket_encryption = per_bucket(vec![
            ("good", rules.clone()),
            ("plain", Fetched::Ok(None)),
            ("elsewhere", Fetched::Ok(None)),
        ]);
        let found = run(data, false, bucket_encryption).await;
        assert_eq!(found.len(), 4);
        assert_eq!(status_of(&found, ":::good"), Status::Pass);
        assert_eq!(status_of(&found, ":::plain"), Status::Fail);
        assert_eq!(status_of(&found, ":::elsewhere"), Status::Fail);
        assert_eq!(status_of(&found, ":::hidden"), Status::Error);
        assert!(found
            .iter()
            .any(|o| o.message.contains("GetBucketLocation")));
        let elsewhere = found
            .iter()
            .find(|o| o.resource_id.ends_with(":::elsewhere"));
        assert_eq!(elsewhere.unwrap().region.as_deref(), Some("eu-central-1"));
    }

    /// A snapshot written when bucket settings were kept per audited region still
    /// audits the same: they move to the account's pieces on load.
    #[tokio::test]
    async fn bucket_settings_kept_per_region_by_older_snapshots_are_read() {
        let old = serde_json::json!({
            "global": { "s3": { "buckets": { "ok": [
                { "name": "kept", "region": { "ok": REGION } },
                { "name": "denied", "region": { "ok": "eu-west-1" } }
            ] } } },
            "regional": {
                REGION: { "s3": { "bucket_encryption": { "ok": {
                    "kept": { "ok": [{ "algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": null }] }
                } } } },
                "eu-west-1": { "s3": { "bucket_encryption": { "error": {
                    "service": "s3", "operation": "GetBucketEncryption", "resource": null,
                    "code": "AccessDenied", "message": "not authorized"
                } } } }
            }
        });
        let mut snapshot = serde_json::to_value(data()).unwrap();
        snapshot["regions"] = serde_json::json!([REGION, "eu-west-1"]);
        snapshot["global"] = old["global"].clone();
        snapshot["regional"] = old["regional"].clone();
        let data: InventoryData = serde_json::from_value(snapshot).unwrap();
        let found = run(data, false, bucket_encryption).await;
        assert_eq!(status_of(&found, ":::kept"), Status::Pass);
        assert_eq!(status_of(&found, ":::denied"), Status::Error);
    }

    #[tokio::test]
    async fn encryption_needs_a_default_rule() {
        let rule = |algorithm: &str| EncryptionRule {
            algorithm: algorithm.to_string(),
            kms_key_id: None,
            bucket_key_enabled: None,
        };
        let mut data = with_buckets(&["kms", "s3", "none", "missing"]);
        data.global.s3.bucket_encryption = per_bucket(vec![
            ("kms", Fetched::Ok(Some(vec![rule("aws:kms")]))),
            ("s3", Fetched::Ok(Some(vec![rule("AES256")]))),
            ("none", Fetched::Ok(None)),
        ]);
        let found = run(data, false, bucket_encryption).await;
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
        let get_only = TLS_POLICY
            .replace("\"s3:*\"", "\"s3:GetObject\"")
            .replace(":::b", ":::get");
        let mut data = with_buckets(&["tls", "allow", "get", "none", "garbled"]);
        data.global.s3.bucket_policy = per_bucket(vec![
            (
                "tls",
                Fetched::Ok(Some(TLS_POLICY.replace(":::b", ":::tls"))),
            ),
            ("allow", Fetched::Ok(Some(allow_only.to_string()))),
            ("get", Fetched::Ok(Some(get_only))),
            ("none", Fetched::Ok(None)),
            ("garbled", Fetched::Ok(Some("{not json".to_string()))),
        ]);
        let found = run(data, false, bucket_tls_only).await;
        assert_eq!(status_of(&found, ":::tls"), Status::Pass);
        assert_eq!(status_of(&found, ":::allow"), Status::Fail);
        assert_eq!(status_of(&found, ":::get"), Status::Fail);
        assert_eq!(status_of(&found, ":::none"), Status::Fail);
        assert_eq!(status_of(&found, ":::garbled"), Status::Error);
    }

    #[test]
    fn secure_transport_condition_accepts_boolean_and_list_forms() {
        let policy: Value = serde_json::from_str(
            r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":["*"]},"Action":["*"],"Resource":"*",
                "Condition":{"bool":{"AWS:SecureTransport":[false]}}}]}"#,
        )
        .unwrap();
        assert!(denies_insecure_transport(&policy, "arn:aws:s3:::b"));
    }

    /// A bucket in China or GovCloud is named in its own partition's ARNs: the policy
    /// written for it there counts, one written for `aws` does not.
    #[test]
    fn the_bucket_is_matched_in_its_partition() {
        let policy: Value =
            serde_json::from_str(&TLS_POLICY.replace("arn:aws:s3:::", "arn:aws-cn:s3:::")).unwrap();
        assert!(denies_insecure_transport(&policy, "arn:aws-cn:s3:::b"));
        assert!(!denies_insecure_transport(&policy, "arn:aws:s3:::b"));
    }

    #[test]
    fn a_deny_narrowed_by_conditions_or_resources_does_not_count() {
        let with = |change: &dyn Fn(&mut Value)| {
            let mut policy: Value = serde_json::from_str(TLS_POLICY).unwrap();
            change(&mut policy["Statement"][1]);
            denies_insecure_transport(&policy, "arn:aws:s3:::b")
        };
        assert!(with(&|_| {}));
        assert!(with(&|s| {
            s["Condition"] = serde_json::json!({"BoolIfExists": {"aws:SecureTransport": "false"}})
        }));
        assert!(with(&|s| s["Resource"] = serde_json::json!("*")));
        assert!(with(
            &|s| s["Resource"] = serde_json::json!("arn:aws:s3:::b*")
        ));
        assert!(!with(
            &|s| s["Resource"] = serde_json::json!("arn:aws:s3:::b/*")
        ));
        assert!(!with(
            &|s| s["Resource"] = serde_json::json!("arn:aws:s3:::other/*")
        ));
        assert!(!with(&|s| {
            s["Condition"]["StringEquals"] =
                serde_json::json!({"aws:PrincipalAccount": "111122223333"})
        }));
        assert!(!with(&|s| {
            s["Condition"]["Bool"]["aws:ViaAWSService"] = serde_json::json!("false")
        }));
        assert!(!with(&|s| {
            let resources = s["Resource"].take();
            s["NotResource"] = resources;
        }));
    }

    #[tokio::test]
    async fn tiering_needs_a_rule_that_moves_or_expires_current_objects() {
        let rule = |enabled, actions: Option<LifecycleActions>| LifecycleRule {
            id: Some("archive".into()),
            enabled,
            actions,
        };
        let transition = Some(LifecycleActions {
            transitions: vec!["STANDARD_IA".into()],
            ..LifecycleActions::default()
        });
        let abort_only = Some(LifecycleActions {
            aborts_incomplete_uploads: true,
            ..LifecycleActions::default()
        });
        let archive = IntelligentTieringConfig {
            id: "archive".into(),
            enabled: true,
        };
        let buckets = [
            "lifecycle",
            "tiering-only",
            "disabled",
            "unknown",
            "abort-only",
            "unrecorded",
            "tiering-unreadable",
        ];
        let mut data = with_buckets(&buckets);
        data.global.s3.bucket_lifecycle = per_bucket(vec![
            (
                "lifecycle",
                Fetched::Ok(vec![rule(true, transition.clone())]),
            ),
            ("tiering-only", Fetched::Ok(vec![])),
            (
                "disabled",
                Fetched::Ok(vec![rule(false, transition.clone())]),
            ),
            ("unknown", err("s3", "GetBucketLifecycleConfiguration")),
            ("abort-only", Fetched::Ok(vec![rule(true, abort_only)])),
            ("unrecorded", Fetched::Ok(vec![rule(true, None)])),
            ("tiering-unreadable", Fetched::Ok(vec![])),
        ]);
        data.global.s3.bucket_intelligent_tiering = per_bucket(
            buckets
                .iter()
                .map(|&name| {
                    let configs = match name {
                        "tiering-unreadable" => {
                            err("s3", "ListBucketIntelligentTieringConfigurations")
                        }
                        _ => Fetched::Ok(vec![archive.clone()]),
                    };
                    (name, configs)
                })
                .collect(),
        );
        let found = run(data, false, storage_tiering).await;
        assert_eq!(
            statuses_of(&found, &buckets),
            [
                Status::Pass,
                // An archive configuration acts only on objects already in
                // INTELLIGENT_TIERING: alone it tiers nothing.
                Status::Fail,
                Status::Fail,
                Status::Error,
                Status::Fail,
                // A snapshot from before orr recorded the rule's actions.
                Status::Error,
                // The configurations only explain a FAIL: unreadable, they change nothing.
                Status::Fail,
            ]
        );
    }
}
