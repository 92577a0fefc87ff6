use std::collections::BTreeMap;

use aws_sdk_s3::types::{
    ExpirationStatus, IntelligentTieringConfiguration, IntelligentTieringStatus,
    ServerSideEncryptionConfiguration,
};
use aws_sdk_s3::Client;
use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture, Params, ResolveEndpoint};
use hickory_resolver::net::NetError;

use super::{fetch_error, instant, is_code, AwsReader};
use crate::fetched::Fetched;
use crate::model::s3::{
    Bucket, DirectoryBucket, EncryptionRule, IntelligentTieringConfig, LifecycleActions,
    LifecycleRule, PublicAccessBlock, StorageLensConfig,
};

const SERVICE: &str = "s3";

/// How every directory bucket's name ends (`base-name--zone-id--x-s3`).
pub(crate) const DIRECTORY_BUCKET_SUFFIX: &str = "--x-s3";

/// Buckets per ListBuckets page (AWS allows 1 to 10,000).
const LIST_BUCKETS_PAGE: i32 = 1000;

impl AwsReader {
    fn s3(&self, region: &str) -> Client {
        self.client(region, |config| {
            let emulated = self.endpoint_override().is_some();
            let config = aws_sdk_s3::config::Builder::from(config)
                // `bucket.host` names do not resolve for an emulator's host name.
                .force_path_style(emulated)
                // With an endpoint override, the endpoint rules pick S3 Express session
                // auth (a CreateSession per bucket) even for ListDirectoryBuckets, which
                // names no bucket and fails before sending; AWS's own endpoint signs it
                // with plain SigV4 for `s3express`, as this does.
                .disable_s3_express_session_auth(emulated)
                .build();
            Client::from_conf(config)
        })
    }

    /// The S3 client of `region` with the run's credentials, timeouts and retries, for
    /// the evidence bucket the operator names (`crate::s3_evidence`): orr's only writes.
    pub fn evidence_client(&self, region: &str) -> Client {
        self.s3(region)
    }

    /// An S3 error as a `FetchError` (service, operation, bucket or object, AWS's code).
    pub fn evidence_error<E>(
        operation: &str,
        resource: &str,
        error: &aws_sdk_s3::error::SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
    ) -> crate::fetched::FetchError
    where
        E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    {
        fetch_error(SERVICE, operation, Some(resource), error)
    }

    fn s3control(&self, region: &str) -> aws_sdk_s3control::Client {
        self.client(region, |config| {
            let mut config = aws_sdk_s3control::config::Builder::from(config);
            if let Some(url) = self.endpoint_override() {
                // S3 Control's endpoint rules prefix the account id to the host
                // (`123456789012.127.0.0.1`), which no emulator resolves; it reads the
                // account from the `x-amz-account-id` header instead.
                config = config.endpoint_resolver(EmulatorEndpoint(url.to_string()));
            }
            aws_sdk_s3control::Client::from_conf(config.build())
        })
    }

    /// Every bucket of the account with the region it lives in. `home_region` is where
    /// the listing request goes.
    pub(crate) async fn s3_buckets(&self, home_region: &str) -> Fetched<Vec<Bucket>> {
        let client = self.s3(home_region);
        let listed = self
            .call(
                // Without MaxBuckets the call is the legacy unpaginated one: refused for
                // accounts whose bucket quota is above 10,000, and without BucketRegion.
                client
                    .list_buckets()
                    .max_buckets(LIST_BUCKETS_PAGE)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await
            .map_err(|e| fetch_error(SERVICE, "ListBuckets", None, &e));
        let listed = match listed {
            Ok(listed) => listed,
            Err(error) => return Fetched::Error(error),
        };
        // ListBuckets names each bucket's region; where it does not, ask GetBucketLocation.
        let unlocated: Vec<String> = listed
            .iter()
            .filter(|b| b.bucket_region().is_none())
            .filter_map(|b| b.name().map(str::to_string))
            .collect();
        let mut located = self
            .per_resource(unlocated, |name| {
                let client = client.clone();
                async move {
                    let out = client
                        .get_bucket_location()
                        .bucket(&name)
                        .send()
                        .await
                        .map_err(|e| fetch_error(SERVICE, "GetBucketLocation", Some(&name), &e))?;
                    Ok(bucket_region_from_location(
                        out.location_constraint().map(|c| c.as_str()),
                    ))
                }
            })
            .await;
        let buckets = listed
            .iter()
            .filter_map(|bucket| {
                let name = bucket.name()?;
                let region = match bucket.bucket_region() {
                    Some(region) => Fetched::Ok(region.to_string()),
                    None => located.remove(name)?,
                };
                Some(Bucket {
                    name: name.to_string(),
                    region,
                })
            })
            .collect();
        Fetched::Ok(buckets)
    }

    /// The directory buckets of `region`. The SDK sends ListDirectoryBuckets to the
    /// region's S3 Express control endpoint (`s3express-control.REGION.amazonaws.com`):
    /// unlike ListBuckets, each region lists only its own. S3 Express One Zone is offered
    /// in some regions only, and AWS's list of them grows: rather than keep a copy, the
    /// endpoint's name is looked up first, and a name that does not exist means the
    /// region has no directory bucket (an empty list, not a failed call).
    pub(crate) async fn s3_directory_buckets(&self, region: &str) -> Fetched<Vec<DirectoryBucket>> {
        if let Some(host) = s3_express_control_host(&self.sdk, region).await {
            if offers_no_s3_express(&lookup_host(&host).await) {
                return Fetched::Ok(Vec::new());
            }
        }
        let items = self
            .s3(region)
            .list_directory_buckets()
            .into_paginator()
            .items()
            .send();
        // AWS requires every directory bucket's name to end with `--x-s3`. Other names are
        // general purpose buckets from an endpoint that answered with ListBuckets (moto
        // does): ListBuckets already judges them, so they are never counted twice.
        self.listed(
            SERVICE,
            "ListDirectoryBuckets",
            region,
            items,
            directory_bucket,
        )
        .await
        .map(|buckets| {
            buckets
                .into_iter()
                .filter(|bucket| bucket.name.ends_with(DIRECTORY_BUCKET_SUFFIX))
                .collect()
        })
    }

    pub(crate) async fn s3_account_public_access_block(
        &self,
        region: &str,
        account_id: &str,
    ) -> Fetched<Option<PublicAccessBlock>> {
        let client = self.s3control(region);
        let result = self
            .call(
                client
                    .get_public_access_block()
                    .account_id(account_id)
                    .send(),
            )
            .await;
        match result {
            Ok(out) => Fetched::Ok(out.public_access_block_configuration().map(|c| {
                public_access_block([
                    c.block_public_acls(),
                    c.ignore_public_acls(),
                    c.block_public_policy(),
                    c.restrict_public_buckets(),
                ])
            })),
            Err(e) if is_code(&e, "NoSuchPublicAccessBlockConfiguration") => Fetched::Ok(None),
            Err(e) => Fetched::Error(fetch_error(
                "s3control",
                "GetPublicAccessBlock",
                Some(account_id),
                &e,
            )),
        }
    }

    pub(crate) async fn s3_storage_lens(
        &self,
        region: &str,
        account_id: &str,
    ) -> Fetched<Vec<StorageLensConfig>> {
        let pages = self
            .s3control(region)
            .list_storage_lens_configurations()
            .account_id(account_id)
            .into_paginator()
            .send();
        self.listed(
            "s3control",
            "ListStorageLensConfigurations",
            region,
            pages,
            |page| {
                page.storage_lens_configuration_list()
                    .iter()
                    .map(storage_lens_config)
                    .collect::<Vec<_>>()
            },
        )
        .await
        .map(|pages| pages.into_iter().flatten().collect())
    }

    pub(crate) async fn s3_bucket_public_access_blocks(
        &self,
        region: &str,
        buckets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<PublicAccessBlock>>> {
        let client = self.s3(region);
        self.per_resource(buckets, |bucket| {
            let client = client.clone();
            async move {
                match client
                    .get_public_access_block()
                    .bucket(&bucket)
                    .send()
                    .await
                {
                    Ok(out) => Ok(out.public_access_block_configuration().map(|c| {
                        public_access_block([
                            c.block_public_acls(),
                            c.ignore_public_acls(),
                            c.block_public_policy(),
                            c.restrict_public_buckets(),
                        ])
                    })),
                    Err(e) if is_code(&e, "NoSuchPublicAccessBlockConfiguration") => Ok(None),
                    Err(e) => Err(fetch_error(
                        SERVICE,
                        "GetPublicAccessBlock",
                        Some(&bucket),
                        &e,
                    )),
                }
            }
        })
        .await
    }

    /// `None` where the bucket has no default-encryption configuration.
    pub(crate) async fn s3_bucket_encryption(
        &self,
        region: &str,
        buckets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<Vec<EncryptionRule>>>> {
        let client = self.s3(region);
        self.per_resource(buckets, |bucket| {
            let client = client.clone();
            async move {
                match client.get_bucket_encryption().bucket(&bucket).send().await {
                    Ok(out) => Ok(out
                        .server_side_encryption_configuration()
                        .map(encryption_rules)),
                    Err(e) if is_code(&e, "ServerSideEncryptionConfigurationNotFoundError") => {
                        Ok(None)
                    }
                    Err(e) => Err(fetch_error(
                        SERVICE,
                        "GetBucketEncryption",
                        Some(&bucket),
                        &e,
                    )),
                }
            }
        })
        .await
    }

    /// The bucket policy's JSON text, `None` where the bucket has none.
    pub(crate) async fn s3_bucket_policies(
        &self,
        region: &str,
        buckets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Option<String>>> {
        let client = self.s3(region);
        self.per_resource(buckets, |bucket| {
            let client = client.clone();
            async move {
                match client.get_bucket_policy().bucket(&bucket).send().await {
                    Ok(out) => Ok(out.policy().map(str::to_string)),
                    Err(e) if is_code(&e, "NoSuchBucketPolicy") => Ok(None),
                    Err(e) => Err(fetch_error(SERVICE, "GetBucketPolicy", Some(&bucket), &e)),
                }
            }
        })
        .await
    }

    pub(crate) async fn s3_bucket_lifecycle(
        &self,
        region: &str,
        buckets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<LifecycleRule>>> {
        let client = self.s3(region);
        self.per_resource(buckets, |bucket| {
            let client = client.clone();
            async move {
                match client
                    .get_bucket_lifecycle_configuration()
                    .bucket(&bucket)
                    .send()
                    .await
                {
                    Ok(out) => Ok(out.rules().iter().map(lifecycle_rule).collect()),
                    Err(e) if is_code(&e, "NoSuchLifecycleConfiguration") => Ok(Vec::new()),
                    Err(e) => Err(fetch_error(
                        SERVICE,
                        "GetBucketLifecycleConfiguration",
                        Some(&bucket),
                        &e,
                    )),
                }
            }
        })
        .await
    }

    pub(crate) async fn s3_bucket_intelligent_tiering(
        &self,
        region: &str,
        buckets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<IntelligentTieringConfig>>> {
        let client = self.s3(region);
        self.per_resource(buckets, |bucket| {
            let client = client.clone();
            async move {
                let mut configs = Vec::new();
                let mut token: Option<String> = None;
                loop {
                    let out = client
                        .list_bucket_intelligent_tiering_configurations()
                        .bucket(&bucket)
                        .set_continuation_token(token.take())
                        .send()
                        .await
                        .map_err(|e| {
                            fetch_error(
                                SERVICE,
                                "ListBucketIntelligentTieringConfigurations",
                                Some(&bucket),
                                &e,
                            )
                        })?;
                    configs.extend(
                        out.intelligent_tiering_configuration_list()
                            .iter()
                            .map(tiering_config),
                    );
                    match out.next_continuation_token() {
                        Some(next) if out.is_truncated() == Some(true) => {
                            token = Some(next.to_string())
                        }
                        _ => break,
                    }
                }
                Ok(configs)
            }
        })
        .await
    }
}

fn encryption_rules(config: &ServerSideEncryptionConfiguration) -> Vec<EncryptionRule> {
    config
        .rules()
        .iter()
        .filter_map(|rule| {
            let default = rule.apply_server_side_encryption_by_default()?;
            Some(EncryptionRule {
                algorithm: default.sse_algorithm().as_str().to_string(),
                kms_key_id: default.kms_master_key_id().map(str::to_string),
                bucket_key_enabled: rule.bucket_key_enabled(),
            })
        })
        .collect()
}

fn lifecycle_rule(rule: &aws_sdk_s3::types::LifecycleRule) -> LifecycleRule {
    let expiration = rule.expiration();
    LifecycleRule {
        id: rule.id().map(str::to_string),
        enabled: rule.status() == &ExpirationStatus::Enabled,
        actions: Some(LifecycleActions {
            transitions: rule
                .transitions()
                .iter()
                .filter_map(|t| t.storage_class())
                .map(|c| c.as_str().to_string())
                .collect(),
            expiration_days: expiration.and_then(|e| e.days()),
            expiration_date: expiration.and_then(|e| e.date()).and_then(instant),
            noncurrent_transitions: rule
                .noncurrent_version_transitions()
                .iter()
                .filter_map(|t| t.storage_class())
                .map(|c| c.as_str().to_string())
                .collect(),
            expires_noncurrent_versions: rule.noncurrent_version_expiration().is_some(),
            removes_expired_delete_markers: expiration
                .and_then(|e| e.expired_object_delete_marker())
                .unwrap_or(false),
            aborts_incomplete_uploads: rule.abort_incomplete_multipart_upload().is_some(),
        }),
    }
}

fn directory_bucket(bucket: &aws_sdk_s3::types::Bucket) -> DirectoryBucket {
    DirectoryBucket {
        name: bucket.name().unwrap_or_default().to_string(),
        arn: bucket.bucket_arn().map(str::to_string),
        created: bucket.creation_date().and_then(instant),
    }
}

fn tiering_config(config: &IntelligentTieringConfiguration) -> IntelligentTieringConfig {
    IntelligentTieringConfig {
        id: config.id().to_string(),
        enabled: config.status() == &IntelligentTieringStatus::Enabled,
    }
}

/// S3 and S3 Control model the same four flags as two types; an unset flag is off.
fn public_access_block(flags: [Option<bool>; 4]) -> PublicAccessBlock {
    let [acls, ignore, policy, restrict] = flags.map(|flag| flag.unwrap_or(false));
    PublicAccessBlock {
        block_public_acls: acls,
        ignore_public_acls: ignore,
        block_public_policy: policy,
        restrict_public_buckets: restrict,
    }
}

/// GetBucketLocation's legacy answers: empty for us-east-1, `EU` for eu-west-1.
fn bucket_region_from_location(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(region) => region.to_string(),
    }
}

/// The host ListDirectoryBuckets goes to in `region`, as the SDK's endpoint rules pick
/// it (the partition's DNS suffix, FIPS and dual-stack as `sdk` says); none with an
/// endpoint override, whose host is the emulator's and never looked up.
async fn s3_express_control_host(sdk: &aws_types::SdkConfig, region: &str) -> Option<String> {
    use aws_sdk_s3::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    if sdk.endpoint_url().is_some() {
        return None;
    }
    let params = Params::builder()
        .region(region)
        .set_use_fips(sdk.use_fips())
        .set_use_dual_stack(sdk.use_dual_stack())
        .use_s3_express_control_endpoint(true)
        .build()
        .ok()?;
    let endpoint = DefaultResolver::new()
        .resolve_endpoint(&params)
        .await
        .ok()?;
    let url = url::Url::parse(endpoint.url()).ok()?;
    url.host_str().map(str::to_string)
}

/// The system resolver's answer for `host`, within `DNS_DEADLINE` (a timeout is
/// `NetError::Timeout`).
async fn lookup_host(host: &str) -> Result<(), NetError> {
    let resolver = super::system_resolver()?;
    // Fully qualified, so that no search domain is tried in its place.
    let lookup = resolver.lookup_ip(format!("{host}."));
    match tokio::time::timeout(super::DNS_DEADLINE, lookup).await {
        Ok(answer) => answer.map(drop),
        Err(_) => Err(NetError::Timeout),
    }
}

/// Whether a lookup of a region's S3 Express control host says the region offers no S3
/// Express One Zone: only when the name does not exist (NXDOMAIN). A timeout, a server
/// failure or a name without addresses says nothing, so the listing is asked as usual
/// and its failure, if any, is the finding.
fn offers_no_s3_express(lookup: &Result<(), NetError>) -> bool {
    matches!(lookup, Err(error) if error.is_nx_domain())
}

/// Resolves every S3 Control request to one URL, unchanged: what an emulator needs.
#[derive(Debug)]
pub struct EmulatorEndpoint(pub String);

fn storage_lens_config(
    entry: &aws_sdk_s3control::types::ListStorageLensConfigurationEntry,
) -> StorageLensConfig {
    StorageLensConfig {
        id: entry.id().to_string(),
        arn: entry.storage_lens_arn().to_string(),
        home_region: entry.home_region().to_string(),
        enabled: entry.is_enabled(),
    }
}

impl ResolveEndpoint for EmulatorEndpoint {
    fn resolve_endpoint<'a>(&'a self, _params: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0.clone()).build()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a name that does not exist empties the listing; every other lookup outcome
    /// leaves the call to ListDirectoryBuckets (and its failure) as it was.
    #[test]
    fn only_a_missing_control_host_means_no_s3_express() {
        use hickory_resolver::net::{DnsError, NoRecords};
        use hickory_resolver::proto::op::{Query, ResponseCode};
        use hickory_resolver::proto::rr::{Name, RecordType};
        let no_records = |code: ResponseCode| -> Result<(), NetError> {
            let name = Name::from_ascii("s3express-control.ap-east-2.amazonaws.com.").unwrap();
            let query = Query::query(name, RecordType::A);
            Err(DnsError::NoRecordsFound(NoRecords::new(query, code)).into())
        };
        assert!(offers_no_s3_express(&no_records(ResponseCode::NXDomain)));
        // The name exists without an A record (NODATA): the region may offer it.
        assert!(!offers_no_s3_express(&no_records(ResponseCode::NoError)));
        assert!(!offers_no_s3_express(&Err(NetError::Timeout)));
        assert!(!offers_no_s3_express(&Err(DnsError::ResponseCode(
            ResponseCode::ServFail
        )
        .into())));
        assert!(!offers_no_s3_express(&Ok(())));
    }

    /// The host is the SDK's for the region's partition; an emulator's is never looked up.
    #[tokio::test]
    async fn the_control_host_is_the_sdks_and_never_an_emulators() {
        use aws_types::SdkConfig;
        let host = |sdk: SdkConfig, region: &'static str| async move {
            s3_express_control_host(&sdk, region).await
        };
        assert_eq!(
            host(SdkConfig::builder().build(), "us-east-1")
                .await
                .as_deref(),
            Some("s3express-control.us-east-1.amazonaws.com")
        );
        assert_eq!(
            host(SdkConfig::builder().build(), "cn-north-1")
                .await
                .as_deref(),
            Some("s3express-control.cn-north-1.amazonaws.com.cn")
        );
        assert_eq!(
            host(SdkConfig::builder().use_fips(true).build(), "us-east-1")
                .await
                .as_deref(),
            Some("s3express-control-fips.us-east-1.amazonaws.com")
        );
        let emulated = SdkConfig::builder()
            .endpoint_url("http://127.0.0.1:9")
            .build();
        assert_eq!(host(emulated, "us-east-1").await, None);
    }

    #[test]
    fn legacy_location_constraints_name_real_regions() {
        assert_eq!(bucket_region_from_location(None), "us-east-1");
        assert_eq!(bucket_region_from_location(Some("")), "us-east-1");
        assert_eq!(bucket_region_from_location(Some("EU")), "eu-west-1");
        assert_eq!(
            bucket_region_from_location(Some("ap-south-1")),
            "ap-south-1"
        );
    }

    /// SDK values through the conversions and the four bucket checks.
    #[tokio::test]
    async fn sdk_values_reach_the_right_verdicts() {
        use crate::checks::s3::{
            bucket_encryption, bucket_public_access_block, bucket_tls_only, storage_tiering,
        };
        use crate::checks::testing::{data, each, ok, run, statuses_of};
        use crate::finding::Status;
        use crate::model::s3::Bucket;
        use aws_sdk_s3::types::{
            IntelligentTieringAccessTier, LifecycleRuleFilter, ServerSideEncryption,
            ServerSideEncryptionByDefault, ServerSideEncryptionRule, Tiering,
        };

        let sse = |algorithm: ServerSideEncryption| {
            encryption_rules(
                &ServerSideEncryptionConfiguration::builder()
                    .rules(
                        ServerSideEncryptionRule::builder()
                            .apply_server_side_encryption_by_default(
                                ServerSideEncryptionByDefault::builder()
                                    .sse_algorithm(algorithm)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
        };
        let rule = lifecycle_rule(
            &aws_sdk_s3::types::LifecycleRule::builder()
                .id("archive")
                .status(ExpirationStatus::Enabled)
                .filter(LifecycleRuleFilter::builder().prefix("").build())
                .transitions(
                    aws_sdk_s3::types::Transition::builder()
                        .days(30)
                        .storage_class(
                            aws_sdk_s3::types::TransitionStorageClass::IntelligentTiering,
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        );
        let tiering = tiering_config(
            &IntelligentTieringConfiguration::builder()
                .id("deep")
                .status(IntelligentTieringStatus::Disabled)
                .tierings(
                    Tiering::builder()
                        .days(180)
                        .access_tier(IntelligentTieringAccessTier::DeepArchiveAccess)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        );
        let block = |on: bool| {
            let c = aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(on)
                .ignore_public_acls(on)
                .block_public_policy(on)
                .restrict_public_buckets(on)
                .build();
            public_access_block([
                c.block_public_acls(),
                c.ignore_public_acls(),
                c.block_public_policy(),
                c.restrict_public_buckets(),
            ])
        };
        let tls = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::safe","arn:aws:s3:::safe/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        let account = || {
            let mut data = data();
            let s3 = &mut data.global.s3;
            s3.buckets = ok(["safe", "open"]
                .map(|name| Bucket {
                    name: name.into(),
                    region: crate::inventory::Fetched::Ok(bucket_region_from_location(Some("EU"))),
                })
                .to_vec());
            s3.account_public_access_block = ok(None);
            s3.bucket_public_access_block =
                each([("safe", Some(block(true))), ("open", Some(block(false)))]);
            s3.bucket_encryption = each([
                ("safe", Some(sse(ServerSideEncryption::AwsKms))),
                ("open", None),
            ]);
            s3.bucket_policy = each([("safe", Some(tls.to_string())), ("open", None)]);
            s3.bucket_lifecycle = each([("safe", vec![rule.clone()]), ("open", vec![])]);
            s3.bucket_intelligent_tiering =
                each([("safe", vec![]), ("open", vec![tiering.clone()])]);
            data.region_mut(crate::checks::testing::REGION)
                .s3
                .directory_buckets = ok(vec![]);
            data
        };
        let buckets = [":::safe", ":::open"];
        for found in [
            run(account(), false, bucket_public_access_block).await,
            run(account(), false, bucket_encryption).await,
            run(account(), false, bucket_tls_only).await,
            run(account(), false, storage_tiering).await,
        ] {
            assert_eq!(
                statuses_of(&found, &buckets),
                [Status::Pass, Status::Fail],
                "{found:#?}"
            );
            assert!(found
                .iter()
                .all(|o| o.region.as_deref() == Some("eu-west-1")));
        }
    }

    /// Lifecycle actions through the conversion and s3.storage_tiering: only a rule
    /// that transitions or expires current objects manages the bucket's storage; an
    /// Intelligent-Tiering archive configuration alone does not.
    #[tokio::test]
    async fn only_rules_acting_on_current_objects_tier_a_bucket() {
        use aws_sdk_s3::types::{
            AbortIncompleteMultipartUpload, IntelligentTieringAccessTier, LifecycleExpiration,
            LifecycleRule as SdkRule, LifecycleRuleFilter, NoncurrentVersionExpiration,
            NoncurrentVersionTransition, Tiering, Transition, TransitionStorageClass,
        };

        use crate::checks::s3::storage_tiering;
        use crate::checks::testing::{data, each, ok, run, status_of};
        use crate::finding::Status::{Fail, Pass};
        use crate::model::s3::Bucket;

        let rule = |id: &str,
                    build: fn(
            aws_sdk_s3::types::builders::LifecycleRuleBuilder,
        ) -> aws_sdk_s3::types::builders::LifecycleRuleBuilder| {
            lifecycle_rule(
                &build(
                    SdkRule::builder()
                        .id(id)
                        .status(ExpirationStatus::Enabled)
                        .filter(LifecycleRuleFilter::builder().prefix("").build()),
                )
                .build()
                .unwrap(),
            )
        };
        let glacier = rule("to-glacier", |r| {
            r.transitions(
                Transition::builder()
                    .days(90)
                    .storage_class(TransitionStorageClass::Glacier)
                    .build(),
            )
        });
        assert_eq!(
            glacier.actions.as_ref().unwrap().transitions,
            [TransitionStorageClass::Glacier.as_str()]
        );
        let expire = rule("expire", |r| {
            r.expiration(LifecycleExpiration::builder().days(365).build())
        });
        let housekeeping = rule("housekeeping", |r| {
            r.abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder()
                    .days_after_initiation(7)
                    .build(),
            )
            .noncurrent_version_expiration(
                NoncurrentVersionExpiration::builder()
                    .noncurrent_days(30)
                    .build(),
            )
            .noncurrent_version_transitions(
                NoncurrentVersionTransition::builder()
                    .noncurrent_days(7)
                    .storage_class(TransitionStorageClass::GlacierIr)
                    .build(),
            )
            .expiration(
                LifecycleExpiration::builder()
                    .expired_object_delete_marker(true)
                    .build(),
            )
        });
        let actions = housekeeping.actions.clone().unwrap();
        assert!(actions.aborts_incomplete_uploads && actions.expires_noncurrent_versions);
        assert!(actions.removes_expired_delete_markers);
        assert_eq!(actions.on_current_objects(), None);
        let archive = tiering_config(
            &IntelligentTieringConfiguration::builder()
                .id("deep")
                .status(IntelligentTieringStatus::Enabled)
                .tierings(
                    Tiering::builder()
                        .days(180)
                        .access_tier(IntelligentTieringAccessTier::DeepArchiveAccess)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        );
        let names = ["glacier", "expire", "housekeeping", "archive-only"];
        let mut data = data();
        let s3 = &mut data.global.s3;
        s3.buckets = ok(names
            .map(|name| Bucket {
                name: name.into(),
                region: crate::inventory::Fetched::Ok("us-east-1".into()),
            })
            .to_vec());
        s3.bucket_lifecycle = each([
            ("glacier", vec![glacier]),
            ("expire", vec![expire]),
            ("housekeeping", vec![housekeeping]),
            ("archive-only", vec![]),
        ]);
        s3.bucket_intelligent_tiering = each(names.map(|name| (name, vec![archive.clone()])));
        let found = run(data, false, storage_tiering).await;
        assert_eq!(status_of(&found, ":::glacier"), Pass);
        assert_eq!(status_of(&found, ":::expire"), Pass);
        assert_eq!(status_of(&found, ":::housekeeping"), Fail);
        assert_eq!(status_of(&found, ":::archive-only"), Fail);
        let message = |bucket: &str| {
            found
                .iter()
                .find(|o| o.resource_id.ends_with(bucket))
                .unwrap()
                .message
                .clone()
        };
        assert_eq!(
            message(":::glacier"),
            "lifecycle rule to-glacier transitions current objects to GLACIER"
        );
        assert!(
            message(":::archive-only").contains(
                "Intelligent-Tiering configuration deep archives only objects already stored in INTELLIGENT_TIERING"
            ),
            "{}",
            message(":::archive-only")
        );
    }

    /// moto 5.2.1 has no ListDirectoryBuckets: SDK values through the conversion and the
    /// four bucket checks (the end-to-end read is in tests/fleet_s3.rs, through the proxy).
    #[tokio::test]
    async fn directory_buckets_reach_the_bucket_checks() {
        use aws_sdk_s3::operation::list_directory_buckets::ListDirectoryBucketsOutput;
        use aws_sdk_s3::primitives::DateTime;

        use crate::checks::s3::{
            bucket_encryption, bucket_public_access_block, bucket_tls_only, storage_tiering,
        };
        use crate::checks::testing::{data, ok, run, statuses, REGION};
        use crate::finding::Status::{NotApplicable, Pass};

        let arn = "arn:aws:s3express:us-east-1:123456789012:bucket/hot--use1-az4--x-s3";
        let page = ListDirectoryBucketsOutput::builder()
            .buckets(
                aws_sdk_s3::types::Bucket::builder()
                    .name("hot--use1-az4--x-s3")
                    .bucket_arn(arn)
                    .bucket_region(REGION)
                    .creation_date(DateTime::from_secs(1_764_547_200))
                    .build(),
            )
            .build();
        let buckets: Vec<DirectoryBucket> = page.buckets().iter().map(directory_bucket).collect();
        assert_eq!(
            buckets,
            [DirectoryBucket {
                name: "hot--use1-az4--x-s3".into(),
                arn: Some(arn.into()),
                created: chrono::DateTime::from_timestamp(1_764_547_200, 0),
            }]
        );
        let account = || {
            let mut data = data();
            data.global.s3.buckets = ok(vec![]);
            data.region_mut(REGION).s3.directory_buckets = ok(buckets.clone());
            data
        };
        for (found, expected) in [
            (
                run(account(), false, bucket_public_access_block).await,
                Pass,
            ),
            (run(account(), false, bucket_encryption).await, Pass),
            (run(account(), false, bucket_tls_only).await, Pass),
            (run(account(), false, storage_tiering).await, NotApplicable),
        ] {
            assert_eq!(statuses(&found), [expected], "{found:#?}");
            assert_eq!(found[0].resource_id, arn);
        }
    }

    /// moto lists Storage Lens configurations under an XML root the SDK refuses: SDK
    /// values through the conversion and s3.storage_lens.
    #[tokio::test]
    async fn storage_lens_configurations_reach_the_right_verdicts() {
        use aws_sdk_s3control::types::ListStorageLensConfigurationEntry;

        use crate::checks::s3::storage_lens;
        use crate::checks::testing::{data, failed, ok, run, statuses};
        use crate::finding::Status::{Error, Fail, Pass};

        let entry = |id: &str, enabled: bool| {
            storage_lens_config(
                &ListStorageLensConfigurationEntry::builder()
                    .id(id)
                    .storage_lens_arn(format!(
                        "arn:aws:s3:us-east-1:123456789012:storage-lens/{id}"
                    ))
                    .home_region("us-east-1")
                    .is_enabled(enabled)
                    .build()
                    .unwrap(),
            )
        };
        let verdict = |configs: Vec<StorageLensConfig>| async move {
            let mut data = data();
            data.global.s3.storage_lens = ok(configs);
            statuses(&run(data, false, storage_lens).await)
        };
        assert_eq!(
            verdict(vec![entry("default-account-dashboard", true)]).await,
            [Pass]
        );
        assert_eq!(
            verdict(vec![entry("default-account-dashboard", false)]).await,
            [Fail]
        );
        assert_eq!(verdict(vec![]).await, [Fail]);
        let mut denied = data();
        denied.global.s3.storage_lens = failed("s3control", "ListStorageLensConfigurations");
        assert_eq!(statuses(&run(denied, false, storage_lens).await), [Error]);
    }
}
