//! The account as the checks see it: memoized, async accessors over our own model,
//! read from AWS on first use or loaded from a snapshot. Each piece is read at most
//! once per run, and only when a selected check asks for it.

pub mod aws;
mod memo;
pub mod snapshot;

use std::collections::BTreeMap;
use std::future::Future;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use memo::{FetchError, Fetched, Memo};

use crate::model::cloudtrail::{EventSelectors, Trail, TrailStatus};
use crate::model::config::{ConfigRecorder, ConformancePack};
use crate::model::iam::{AccountSummary, CredentialReportUser, PasswordPolicy, PolicyDocument};
use crate::model::rds::{DbCluster, DbInstance, Parameters};
use crate::model::s3::{
    Bucket, EncryptionRule, IntelligentTieringConfig, LifecycleRule, PublicAccessBlock,
};
use aws::{AwsReader, Connection, ParameterGroupKind};

/// One outcome per resource (bucket, trail, parameter group), keyed by its name or ARN.
pub type PerResource<T> = BTreeMap<String, Fetched<T>>;

/// Account-wide pieces: read once whatever the regions.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GlobalPieces {
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_buckets: Memo<Vec<Bucket>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_account_public_access_block: Memo<Option<PublicAccessBlock>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub iam_account_summary: Memo<AccountSummary>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub iam_password_policy: Memo<Option<PasswordPolicy>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub iam_credential_report: Memo<Vec<CredentialReportUser>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub iam_policy_documents: Memo<Vec<PolicyDocument>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub cloudtrail_trails: Memo<Vec<Trail>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub cloudtrail_trail_status: Memo<PerResource<TrailStatus>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub cloudtrail_event_selectors: Memo<PerResource<EventSelectors>>,
}

/// Pieces read per audited region.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionPieces {
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_bucket_public_access_block: Memo<PerResource<Option<PublicAccessBlock>>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_bucket_encryption: Memo<PerResource<Option<Vec<EncryptionRule>>>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_bucket_policy: Memo<PerResource<Option<String>>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_bucket_lifecycle: Memo<PerResource<Vec<LifecycleRule>>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub s3_bucket_intelligent_tiering: Memo<PerResource<Vec<IntelligentTieringConfig>>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub config_recorders: Memo<Vec<ConfigRecorder>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub config_conformance_packs: Memo<Vec<ConformancePack>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub rds_instances: Memo<Vec<DbInstance>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub rds_clusters: Memo<Vec<DbCluster>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub rds_parameters: Memo<PerResource<Parameters>>,
    #[serde(skip_serializing_if = "Memo::is_unset")]
    pub rds_cluster_parameters: Memo<PerResource<Parameters>>,
}

/// Everything an inventory holds; written as is by `orr collect`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryData {
    pub format: String,
    pub schema_version: u32,
    pub tool_version: String,
    pub account_id: String,
    /// When the data was read: the moment age-based checks measure from.
    pub collected_at: DateTime<Utc>,
    /// The identity that read it (`sts GetCallerIdentity`), for the evidence trail.
    #[serde(default)]
    pub collected_by: Option<String>,
    pub regions: Vec<String>,
    #[serde(default)]
    pub global: GlobalPieces,
    #[serde(default)]
    pub regional: BTreeMap<String, RegionPieces>,
}

impl InventoryData {
    pub fn new(account_id: &str, regions: &[String], collected_at: DateTime<Utc>) -> Self {
        InventoryData {
            format: snapshot::FORMAT.to_string(),
            schema_version: snapshot::SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            account_id: account_id.to_string(),
            collected_at,
            collected_by: None,
            regions: regions.to_vec(),
            global: GlobalPieces::default(),
            regional: regions
                .iter()
                .map(|r| (r.clone(), RegionPieces::default()))
                .collect(),
        }
    }
}

pub struct Inventory {
    reader: Option<AwsReader>,
    data: InventoryData,
}

impl Inventory {
    /// Reads from AWS on demand, through a verified connection.
    pub fn live(connection: Connection) -> Self {
        let mut data = InventoryData::new(&connection.account_id, &connection.regions, Utc::now());
        data.collected_by = Some(connection.caller_arn);
        Inventory {
            reader: Some(connection.reader),
            data,
        }
    }

    /// Answers only from `data`; a piece it lacks is an ERROR, never a guess.
    pub fn offline(mut data: InventoryData) -> Self {
        for region in &data.regions {
            data.regional.entry(region.clone()).or_default();
        }
        Inventory { reader: None, data }
    }

    pub fn account_id(&self) -> &str {
        &self.data.account_id
    }

    pub fn regions(&self) -> &[String] {
        &self.data.regions
    }

    pub fn as_of(&self) -> DateTime<Utc> {
        self.data.collected_at
    }

    pub fn collected_by(&self) -> Option<&str> {
        self.data.collected_by.as_deref()
    }

    pub fn data(&self) -> &InventoryData {
        &self.data
    }

    /// Where account-wide requests go.
    fn home_region(&self) -> &str {
        &self.data.regions[0]
    }

    fn region(&self, region: &str) -> &RegionPieces {
        self.data
            .regional
            .get(region)
            .expect("checks run only in audited regions, each of which has its pieces")
    }

    async fn read<'a, T, Fut>(
        &'a self,
        memo: &'a Memo<T>,
        service: &'static str,
        operation: &'static str,
        fetch: impl FnOnce(&'a AwsReader) -> Fut,
    ) -> &'a Fetched<T>
    where
        Fut: Future<Output = Fetched<T>> + 'a,
    {
        memo.get_or_fetch(|| async move {
            match &self.reader {
                Some(reader) => fetch(reader).await,
                None => Fetched::Error(FetchError::missing_from_snapshot(service, operation)),
            }
        })
        .await
    }

    // ---- S3 ----

    pub async fn s3_buckets(&self) -> &Fetched<Vec<Bucket>> {
        let memo = &self.data.global.s3_buckets;
        self.read(memo, "s3", "ListBuckets", |aws| {
            aws.s3_buckets(self.home_region())
        })
        .await
    }

    /// The buckets that live in `region`.
    pub async fn s3_buckets_in<'a>(
        &'a self,
        region: &'a str,
    ) -> Result<Vec<&'a Bucket>, &'a FetchError> {
        let buckets = self.s3_buckets().await.as_result()?;
        Ok(buckets.iter().filter(|b| b.region == region).collect())
    }

    /// Reads one thing per bucket of `region`, after listing the buckets.
    async fn per_bucket<'a, T, F, Fut>(
        &'a self,
        region: &'a str,
        memo: &'a Memo<PerResource<T>>,
        operation: &'static str,
        fetch: F,
    ) -> &'a Fetched<PerResource<T>>
    where
        F: FnOnce(&'a AwsReader, Vec<String>) -> Fut + 'a,
        Fut: Future<Output = PerResource<T>> + 'a,
    {
        self.read(memo, "s3", operation, |aws| async move {
            match self.s3_buckets_in(region).await {
                Ok(buckets) => {
                    let names = buckets.iter().map(|b| b.name.clone()).collect();
                    Fetched::Ok(fetch(aws, names).await)
                }
                Err(error) => Fetched::Error(error.clone()),
            }
        })
        .await
    }

    pub async fn s3_account_public_access_block(&self) -> &Fetched<Option<PublicAccessBlock>> {
        let memo = &self.data.global.s3_account_public_access_block;
        self.read(memo, "s3control", "GetPublicAccessBlock", |aws| {
            aws.s3_account_public_access_block(self.home_region(), self.account_id())
        })
        .await
    }

    pub async fn s3_bucket_public_access_block<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Option<PublicAccessBlock>>> {
        let memo = &self.region(region).s3_bucket_public_access_block;
        self.per_bucket(region, memo, "GetPublicAccessBlock", |aws, names| {
            aws.s3_bucket_public_access_blocks(region, names)
        })
        .await
    }

    pub async fn s3_bucket_encryption<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Option<Vec<EncryptionRule>>>> {
        let memo = &self.region(region).s3_bucket_encryption;
        self.per_bucket(region, memo, "GetBucketEncryption", |aws, names| {
            aws.s3_bucket_encryption(region, names)
        })
        .await
    }

    pub async fn s3_bucket_policy<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Option<String>>> {
        let memo = &self.region(region).s3_bucket_policy;
        self.per_bucket(region, memo, "GetBucketPolicy", |aws, names| {
            aws.s3_bucket_policies(region, names)
        })
        .await
    }

    pub async fn s3_bucket_lifecycle<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Vec<LifecycleRule>>> {
        let memo = &self.region(region).s3_bucket_lifecycle;
        self.per_bucket(
            region,
            memo,
            "GetBucketLifecycleConfiguration",
            |aws, names| aws.s3_bucket_lifecycle(region, names),
        )
        .await
    }

    pub async fn s3_bucket_intelligent_tiering<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Vec<IntelligentTieringConfig>>> {
        let memo = &self.region(region).s3_bucket_intelligent_tiering;
        let operation = "ListBucketIntelligentTieringConfigurations";
        self.per_bucket(region, memo, operation, |aws, names| {
            aws.s3_bucket_intelligent_tiering(region, names)
        })
        .await
    }

    // ---- IAM ----

    pub async fn iam_account_summary(&self) -> &Fetched<AccountSummary> {
        let memo = &self.data.global.iam_account_summary;
        self.read(memo, "iam", "GetAccountSummary", |aws| {
            aws.iam_account_summary(self.home_region())
        })
        .await
    }

    pub async fn iam_password_policy(&self) -> &Fetched<Option<PasswordPolicy>> {
        let memo = &self.data.global.iam_password_policy;
        self.read(memo, "iam", "GetAccountPasswordPolicy", |aws| {
            aws.iam_password_policy(self.home_region())
        })
        .await
    }

    pub async fn iam_credential_report(&self) -> &Fetched<Vec<CredentialReportUser>> {
        let memo = &self.data.global.iam_credential_report;
        self.read(memo, "iam", "GetCredentialReport", |aws| {
            aws.iam_credential_report(self.home_region())
        })
        .await
    }

    pub async fn iam_policy_documents(&self) -> &Fetched<Vec<PolicyDocument>> {
        let memo = &self.data.global.iam_policy_documents;
        self.read(memo, "iam", "GetAccountAuthorizationDetails", |aws| {
            aws.iam_policy_documents(self.home_region())
        })
        .await
    }

    // ---- CloudTrail ----

    pub async fn cloudtrail_trails(&self) -> &Fetched<Vec<Trail>> {
        let memo = &self.data.global.cloudtrail_trails;
        self.read(memo, "cloudtrail", "DescribeTrails", |aws| {
            aws.cloudtrail_trails(self.regions())
        })
        .await
    }

    pub async fn cloudtrail_trail_status(&self) -> &Fetched<PerResource<TrailStatus>> {
        let memo = &self.data.global.cloudtrail_trail_status;
        self.read(memo, "cloudtrail", "GetTrailStatus", |aws| async move {
            match self.cloudtrail_trails().await {
                Fetched::Ok(trails) => Fetched::Ok(aws.cloudtrail_trail_status(trails).await),
                Fetched::Error(error) => Fetched::Error(error.clone()),
            }
        })
        .await
    }

    pub async fn cloudtrail_event_selectors(&self) -> &Fetched<PerResource<EventSelectors>> {
        let memo = &self.data.global.cloudtrail_event_selectors;
        self.read(memo, "cloudtrail", "GetEventSelectors", |aws| async move {
            match self.cloudtrail_trails().await {
                Fetched::Ok(trails) => Fetched::Ok(aws.cloudtrail_event_selectors(trails).await),
                Fetched::Error(error) => Fetched::Error(error.clone()),
            }
        })
        .await
    }

    // ---- Config ----

    pub async fn config_recorders<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<Vec<ConfigRecorder>> {
        let memo = &self.region(region).config_recorders;
        self.read(memo, "config", "DescribeConfigurationRecorders", |aws| {
            aws.config_recorders(region)
        })
        .await
    }

    pub async fn config_conformance_packs<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<Vec<ConformancePack>> {
        let memo = &self.region(region).config_conformance_packs;
        self.read(memo, "config", "DescribeConformancePacks", |aws| {
            aws.config_conformance_packs(region)
        })
        .await
    }

    // ---- RDS ----

    pub async fn rds_instances<'a>(&'a self, region: &'a str) -> &'a Fetched<Vec<DbInstance>> {
        let memo = &self.region(region).rds_instances;
        self.read(memo, "rds", "DescribeDBInstances", |aws| {
            aws.rds_instances(region)
        })
        .await
    }

    pub async fn rds_clusters<'a>(&'a self, region: &'a str) -> &'a Fetched<Vec<DbCluster>> {
        let memo = &self.region(region).rds_clusters;
        self.read(memo, "rds", "DescribeDBClusters", |aws| {
            aws.rds_clusters(region)
        })
        .await
    }

    /// The parameters of every DB parameter group a stand-alone instance of `region` uses.
    pub async fn rds_parameters<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Parameters>> {
        let memo = &self.region(region).rds_parameters;
        let kind = ParameterGroupKind::Instance;
        self.read(memo, "rds", kind.operation(), |aws| async move {
            match self.rds_instances(region).await {
                Fetched::Ok(instances) => {
                    let groups = unique(
                        instances
                            .iter()
                            .filter(|i| i.cluster_id.is_none())
                            .filter_map(|i| i.parameter_group.clone()),
                    );
                    Fetched::Ok(aws.rds_parameters(region, kind, groups).await)
                }
                Fetched::Error(error) => Fetched::Error(error.clone()),
            }
        })
        .await
    }

    /// The parameters of every DB cluster parameter group a cluster of `region` uses.
    pub async fn rds_cluster_parameters<'a>(
        &'a self,
        region: &'a str,
    ) -> &'a Fetched<PerResource<Parameters>> {
        let memo = &self.region(region).rds_cluster_parameters;
        let kind = ParameterGroupKind::Cluster;
        self.read(memo, "rds", kind.operation(), |aws| async move {
            match self.rds_clusters(region).await {
                Fetched::Ok(clusters) => {
                    let groups = unique(clusters.iter().filter_map(|c| c.parameter_group.clone()));
                    Fetched::Ok(aws.rds_parameters(region, kind, groups).await)
                }
                Fetched::Error(error) => Fetched::Error(error.clone()),
            }
        })
        .await
    }
}

fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names.dedup();
    names
}
