//! S3's pieces: the bucket list and the account's public access block once for the
//! account; each bucket's settings in the region the bucket lives in.

use std::future::Future;

use super::{accessors, pieces, FetchError, Fetched, Inventory, Memo, PerResource};
use crate::model::s3::{
    Bucket, EncryptionRule, IntelligentTieringConfig, LifecycleRule, PublicAccessBlock,
};

pieces! {
    pub struct S3Global {
        buckets: Memo<Vec<Bucket>>,
        account_public_access_block: Memo<Option<PublicAccessBlock>>,
    }
}

pieces! {
    pub struct S3Regional {
        bucket_public_access_block: Memo<PerResource<Option<PublicAccessBlock>>>,
        bucket_encryption: Memo<PerResource<Option<Vec<EncryptionRule>>>>,
        bucket_policy: Memo<PerResource<Option<String>>>,
        bucket_lifecycle: Memo<PerResource<Vec<LifecycleRule>>>,
        bucket_intelligent_tiering: Memo<PerResource<Vec<IntelligentTieringConfig>>>,
    }
}

impl Inventory {
    accessors! {
        /// Every bucket, with the region it lives in (or why that is unknown).
        global s3_buckets: Vec<Bucket> = s3.buckets, "ListBuckets",
            |inventory, aws| aws.s3_buckets(inventory.home_region());
        global s3_account_public_access_block: Option<PublicAccessBlock> =
            s3.account_public_access_block, "GetPublicAccessBlock",
            |inventory, aws| aws.s3_account_public_access_block(inventory.home_region(), inventory.account_id());
        regional s3_bucket_public_access_block: PerResource<Option<PublicAccessBlock>> =
            s3.bucket_public_access_block, "GetPublicAccessBlock",
            |inventory, aws, region| inventory.per_bucket(region, |names| aws.s3_bucket_public_access_blocks(region, names));
        regional s3_bucket_encryption: PerResource<Option<Vec<EncryptionRule>>> =
            s3.bucket_encryption, "GetBucketEncryption",
            |inventory, aws, region| inventory.per_bucket(region, |names| aws.s3_bucket_encryption(region, names));
        regional s3_bucket_policy: PerResource<Option<String>> =
            s3.bucket_policy, "GetBucketPolicy",
            |inventory, aws, region| inventory.per_bucket(region, |names| aws.s3_bucket_policies(region, names));
        regional s3_bucket_lifecycle: PerResource<Vec<LifecycleRule>> =
            s3.bucket_lifecycle, "GetBucketLifecycleConfiguration",
            |inventory, aws, region| inventory.per_bucket(region, |names| aws.s3_bucket_lifecycle(region, names));
        regional s3_bucket_intelligent_tiering: PerResource<Vec<IntelligentTieringConfig>> =
            s3.bucket_intelligent_tiering, "ListBucketIntelligentTieringConfigurations",
            |inventory, aws, region| inventory.per_bucket(region, |names| aws.s3_bucket_intelligent_tiering(region, names));
    }

    /// The buckets that live in `region`.
    pub async fn s3_buckets_in<'a>(
        &'a self,
        region: &'a str,
    ) -> Result<Vec<&'a Bucket>, &'a FetchError> {
        let buckets = self.s3_buckets().await.as_result()?;
        Ok(buckets
            .iter()
            .filter(|b| b.region.as_result().is_ok_and(|r| r == region))
            .collect())
    }

    /// Reads one thing per bucket of `region`, once the buckets are listed.
    async fn per_bucket<T, Fut>(
        &self,
        region: &str,
        read: impl FnOnce(Vec<String>) -> Fut,
    ) -> Fetched<PerResource<T>>
    where
        Fut: Future<Output = PerResource<T>>,
    {
        match self.s3_buckets_in(region).await {
            Ok(buckets) => {
                Fetched::Ok(read(buckets.iter().map(|b| b.name.clone()).collect()).await)
            }
            Err(error) => Fetched::Error(error.clone()),
        }
    }
}
