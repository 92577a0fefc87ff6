//! S3's pieces, all account-wide: the bucket list, the account's public access block,
//! and each bucket's settings, read from the region the bucket lives in (whatever
//! regions the audit covers: the bucket list is the account's, and so is the verdict).

use std::collections::BTreeMap;
use std::future::Future;

use super::{accessors, pieces, Fetched, Inventory, Memo, PerResource};
use crate::model::s3::{
    Bucket, DirectoryBucket, EncryptionRule, IntelligentTieringConfig, LifecycleRule,
    PublicAccessBlock, StorageLensConfig,
};

pieces! {
    pub struct S3Global {
        buckets: Memo<Vec<Bucket>>,
        account_public_access_block: Memo<Option<PublicAccessBlock>>,
        bucket_public_access_block: Memo<PerResource<Option<PublicAccessBlock>>>,
        bucket_encryption: Memo<PerResource<Option<Vec<EncryptionRule>>>>,
        bucket_policy: Memo<PerResource<Option<String>>>,
        bucket_lifecycle: Memo<PerResource<Vec<LifecycleRule>>>,
        bucket_intelligent_tiering: Memo<PerResource<Vec<IntelligentTieringConfig>>>,
        storage_lens: Memo<Vec<StorageLensConfig>>,
    }
}

/// S3's one regional piece, the region's directory buckets; and where snapshots written
/// before orr judged every bucket kept each bucket's settings: under the region audited.
/// Those are read, never written: `S3Regional::move_into` hands them to the account-wide
/// pieces when such a snapshot is loaded.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Regional {
    /// The region's directory buckets (ListDirectoryBuckets).
    #[serde(skip_serializing_if = "super::Unset::is_unset")]
    pub directory_buckets: Memo<Vec<DirectoryBucket>>,
    #[serde(skip_serializing)]
    bucket_public_access_block: Memo<PerResource<Option<PublicAccessBlock>>>,
    #[serde(skip_serializing)]
    bucket_encryption: Memo<PerResource<Option<Vec<EncryptionRule>>>>,
    #[serde(skip_serializing)]
    bucket_policy: Memo<PerResource<Option<String>>>,
    #[serde(skip_serializing)]
    bucket_lifecycle: Memo<PerResource<Vec<LifecycleRule>>>,
    #[serde(skip_serializing)]
    bucket_intelligent_tiering: Memo<PerResource<Vec<IntelligentTieringConfig>>>,
}

impl super::Unset for S3Regional {
    fn is_unset(&self) -> bool {
        super::Unset::is_unset(&self.directory_buckets)
    }
}

impl S3Regional {
    /// Adds this region's per-bucket settings to the account's; a read that failed for
    /// the region becomes that failure for each of its `buckets`.
    pub fn move_into(&mut self, global: &mut S3Global, buckets: &[String]) {
        fn merge<T>(
            into: &mut Memo<PerResource<T>>,
            from: &mut Memo<PerResource<T>>,
            buckets: &[String],
        ) {
            let Some(found) = from.take() else { return };
            let mut all = match into.take() {
                Some(Fetched::Ok(map)) => map,
                _ => BTreeMap::new(),
            };
            match found {
                Fetched::Ok(map) => all.extend(map),
                Fetched::Error(error) => all.extend(
                    buckets
                        .iter()
                        .map(|name| (name.clone(), Fetched::Error(error.clone()))),
                ),
            }
            *into = Memo::ready(Fetched::Ok(all));
        }
        merge(
            &mut global.bucket_public_access_block,
            &mut self.bucket_public_access_block,
            buckets,
        );
        merge(
            &mut global.bucket_encryption,
            &mut self.bucket_encryption,
            buckets,
        );
        merge(&mut global.bucket_policy, &mut self.bucket_policy, buckets);
        merge(
            &mut global.bucket_lifecycle,
            &mut self.bucket_lifecycle,
            buckets,
        );
        merge(
            &mut global.bucket_intelligent_tiering,
            &mut self.bucket_intelligent_tiering,
            buckets,
        );
    }
}

accessors! {
    iam "s3";
    /// Every bucket, with the region it lives in (or why that is unknown).
    global s3_buckets: Vec<Bucket> = s3.buckets, "ListBuckets" grants ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
        |inventory, aws| aws.s3_buckets(inventory.home_region());
    global s3_account_public_access_block: Option<PublicAccessBlock> = s3.account_public_access_block, "GetPublicAccessBlock" grants ["s3:GetAccountPublicAccessBlock"],
        |inventory, aws| aws.s3_account_public_access_block(inventory.home_region(), inventory.account_id());
    /// The region's directory buckets (S3 Express One Zone): listed per region, from
    /// the region's S3 Express control endpoint.
    regional s3_directory_buckets: Vec<DirectoryBucket> = s3.directory_buckets, "ListDirectoryBuckets" grants ["s3express:ListAllMyDirectoryBuckets"],
        |_inventory, aws, region| aws.s3_directory_buckets(region);
    /// The account's Storage Lens configurations, whatever their home region.
    global s3_storage_lens: Vec<StorageLensConfig> = s3.storage_lens, "ListStorageLensConfigurations",
        |inventory, aws| aws.s3_storage_lens(inventory.home_region(), inventory.account_id());
    global s3_bucket_public_access_block: PerResource<Option<PublicAccessBlock>> = s3.bucket_public_access_block, "GetPublicAccessBlock" grants ["s3:GetBucketPublicAccessBlock"] after [s3_buckets],
        |inventory, aws| inventory.per_bucket(|region, names| aws.s3_bucket_public_access_blocks(region, names));
    global s3_bucket_encryption: PerResource<Option<Vec<EncryptionRule>>> = s3.bucket_encryption, "GetBucketEncryption" grants ["s3:GetEncryptionConfiguration"] after [s3_buckets],
        |inventory, aws| inventory.per_bucket(|region, names| aws.s3_bucket_encryption(region, names));
    global s3_bucket_policy: PerResource<Option<String>> = s3.bucket_policy, "GetBucketPolicy" after [s3_buckets],
        |inventory, aws| inventory.per_bucket(|region, names| aws.s3_bucket_policies(region, names));
    global s3_bucket_lifecycle: PerResource<Vec<LifecycleRule>> = s3.bucket_lifecycle, "GetBucketLifecycleConfiguration" grants ["s3:GetLifecycleConfiguration"] after [s3_buckets],
        |inventory, aws| inventory.per_bucket(|region, names| aws.s3_bucket_lifecycle(region, names));
    global s3_bucket_intelligent_tiering: PerResource<Vec<IntelligentTieringConfig>> = s3.bucket_intelligent_tiering, "ListBucketIntelligentTieringConfigurations" grants ["s3:GetIntelligentTieringConfiguration"] after [s3_buckets],
        |inventory, aws| inventory.per_bucket(|region, names| aws.s3_bucket_intelligent_tiering(region, names));
}

impl Inventory {
    /// Reads one thing per bucket once the buckets are listed, each bucket in its own
    /// region (the regions concurrently). A bucket whose region is unknown is left out:
    /// the checks report it as ERROR from the listing.
    async fn per_bucket<'a, T, Fut>(
        &'a self,
        read: impl Fn(&'a str, Vec<String>) -> Fut,
    ) -> Fetched<PerResource<T>>
    where
        Fut: Future<Output = PerResource<T>>,
    {
        let buckets = match self.s3_buckets().await.as_result() {
            Ok(buckets) => buckets,
            Err(error) => return Fetched::Error(error.clone()),
        };
        let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for bucket in buckets {
            if let Ok(region) = bucket.region.as_result() {
                by_region
                    .entry(region.as_str())
                    .or_default()
                    .push(bucket.name.clone());
            }
        }
        let reads = by_region
            .into_iter()
            .map(|(region, names)| read(region, names));
        Fetched::Ok(
            futures::future::join_all(reads)
                .await
                .into_iter()
                .flatten()
                .collect(),
        )
    }
}
