use std::collections::BTreeMap;

use aws_sdk_kms::types::KeyMetadata;
use aws_sdk_kms::Client;

use super::{fetch_error, instant, AwsReader};
use crate::fetched::{FetchError, Fetched};
use crate::model::kms::KmsKey;

const SERVICE: &str = "kms";

impl AwsReader {
    fn kms(&self, region: &str) -> Client {
        self.client(region, Client::new)
    }

    pub(crate) async fn kms_key_ids(&self, region: &str) -> Fetched<Vec<String>> {
        let client = self.kms(region);
        let items = client.list_keys().into_paginator().items().send();
        self.listed(SERVICE, "ListKeys", region, items, |k| {
            k.key_id().unwrap_or_default().to_string()
        })
        .await
    }

    pub(crate) async fn kms_keys(
        &self,
        region: &str,
        ids: Vec<String>,
    ) -> BTreeMap<String, Fetched<KmsKey>> {
        let client = self.kms(region);
        self.per_resource(ids, |id| {
            let client = client.clone();
            async move {
                let out = client
                    .describe_key()
                    .key_id(&id)
                    .send()
                    .await
                    .map_err(|e| fetch_error(SERVICE, "DescribeKey", Some(&id), &e))?;
                out.key_metadata().map(key).ok_or_else(|| {
                    FetchError::new(
                        SERVICE,
                        "DescribeKey",
                        Some(&id),
                        "IncompleteResponse",
                        "no key metadata",
                    )
                })
            }
        })
        .await
    }

    pub(crate) async fn kms_rotation(
        &self,
        region: &str,
        ids: Vec<String>,
    ) -> BTreeMap<String, Fetched<bool>> {
        let client = self.kms(region);
        self.per_resource(ids, |id| {
            let client = client.clone();
            async move {
                client
                    .get_key_rotation_status()
                    .key_id(&id)
                    .send()
                    .await
                    .map(|out| out.key_rotation_enabled())
                    .map_err(|e| fetch_error(SERVICE, "GetKeyRotationStatus", Some(&id), &e))
            }
        })
        .await
    }
}

fn key(metadata: &KeyMetadata) -> KmsKey {
    let text = |value: Option<&str>| value.unwrap_or_default().to_string();
    KmsKey {
        id: metadata.key_id().to_string(),
        arn: text(metadata.arn()),
        manager: text(metadata.key_manager().map(|m| m.as_str())),
        spec: text(metadata.key_spec().map(|s| s.as_str())),
        usage: text(metadata.key_usage().map(|u| u.as_str())),
        state: text(metadata.key_state().map(|s| s.as_str())),
        origin: text(metadata.origin().map(|o| o.as_str())),
        multi_region: metadata.multi_region(),
        created: metadata.creation_date().and_then(instant),
        description: metadata.description().map(str::to_string),
        deletion_date: metadata.deletion_date().and_then(instant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, KeyUsageType, OriginType};

    #[test]
    fn metadata_attributes_are_carried() {
        use aws_sdk_kms::primitives::DateTime;

        let converted = key(&KeyMetadata::builder()
            .key_id("mrk-1234")
            .arn("arn:aws:kms:us-east-1:123456789012:key/mrk-1234")
            .key_manager(KeyManagerType::Customer)
            .key_spec(KeySpec::EccNistP256)
            .key_usage(KeyUsageType::SignVerify)
            .key_state(KeyState::PendingDeletion)
            .origin(OriginType::AwsKms)
            .multi_region(true)
            .creation_date(DateTime::from_secs(1_700_000_000))
            .deletion_date(DateTime::from_secs(1_702_592_000))
            .description("release signing")
            .build()
            .unwrap());
        assert_eq!(
            (
                converted.spec.as_str(),
                converted.usage.as_str(),
                converted.state.as_str()
            ),
            (
                KeySpec::EccNistP256.as_str(),
                KeyUsageType::SignVerify.as_str(),
                KeyState::PendingDeletion.as_str()
            )
        );
        assert_eq!(converted.multi_region, Some(true));
        assert_eq!(
            (
                converted.created.map(|t| t.timestamp()),
                converted.deletion_date.map(|t| t.timestamp())
            ),
            (Some(1_700_000_000), Some(1_702_592_000))
        );
        assert_eq!(converted.description.as_deref(), Some("release signing"));
        let bare = key(&KeyMetadata::builder().key_id("k").build().unwrap());
        assert_eq!((bare.multi_region, bare.created), (None, None));
    }

    /// SDK key metadata through the conversion and the check: only enabled customer
    /// symmetric keys with KMS-made material are judged.
    #[tokio::test]
    async fn sdk_metadata_reaches_the_right_verdicts() {
        use crate::checks::kms::rotation;
        use crate::checks::testing::{data, each, ok, run, statuses_of, REGION};
        use crate::finding::Status;

        let metadata = |id: &str, manager: KeyManagerType, state: KeyState, origin: OriginType| {
            key(&KeyMetadata::builder()
                .key_id(id)
                .arn(format!("arn:aws:kms:us-east-1:123456789012:key/{id}"))
                .key_manager(manager)
                .key_spec(KeySpec::SymmetricDefault)
                .key_usage(KeyUsageType::EncryptDecrypt)
                .key_state(state)
                .origin(origin)
                .build()
                .unwrap())
        };
        let keys = [
            metadata(
                "rotating",
                KeyManagerType::Customer,
                KeyState::Enabled,
                OriginType::AwsKms,
            ),
            metadata(
                "static",
                KeyManagerType::Customer,
                KeyState::Enabled,
                OriginType::AwsKms,
            ),
            metadata(
                "aws",
                KeyManagerType::Aws,
                KeyState::Enabled,
                OriginType::AwsKms,
            ),
            metadata(
                "imported",
                KeyManagerType::Customer,
                KeyState::Enabled,
                OriginType::External,
            ),
            metadata(
                "retired",
                KeyManagerType::Customer,
                KeyState::PendingDeletion,
                OriginType::AwsKms,
            ),
        ];
        let mut data = data();
        let kms = &mut data.region_mut(REGION).kms;
        kms.key_ids = ok(keys.iter().map(|k| k.id.clone()).collect());
        kms.keys = each(keys.iter().map(|k| (k.id.clone(), k.clone())));
        kms.rotation = each(keys.iter().map(|k| (k.id.clone(), k.id == "rotating")));
        let found = run(data, true, rotation).await;
        assert_eq!(
            found.len(),
            2,
            "only the customer's own symmetric keys: {found:#?}"
        );
        assert_eq!(
            statuses_of(&found, &["key/rotating", "key/static"]),
            [Status::Pass, Status::Fail]
        );
    }
}
