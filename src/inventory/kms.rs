//! KMS's pieces, per region: the key list, each key's metadata, and the rotation
//! status of the keys whose rotation the customer controls.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::kms::KmsKey;

pieces! {
    pub struct KmsRegional {
        key_ids: Memo<Vec<String>>,
        keys: Memo<PerResource<KmsKey>>,
        rotation: Memo<PerResource<bool>>,
    }
}

accessors! {
    regional kms_key_ids: Vec<String> = kms.key_ids, "ListKeys" needs ["kms:ListKeys"],
        |_inventory, aws, region| aws.kms_key_ids(region);
    regional kms_keys: PerResource<KmsKey> = kms.keys, "DescribeKey" needs ["kms:DescribeKey", "kms:ListKeys"],
        |inventory, aws, region| async move {
            let listing = inventory.kms_key_ids(region).await;
            each_of(listing, Vec::clone, |names| aws.kms_keys(region, names)).await
        };
    /// Rotation status of enabled symmetric customer keys, keyed by key id.
    regional kms_rotation: PerResource<bool> = kms.rotation, "GetKeyRotationStatus" needs ["kms:GetKeyRotationStatus", "kms:DescribeKey", "kms:ListKeys"],
        |inventory, aws, region| async move {
            let rotatable = |keys: &PerResource<KmsKey>| {
                keys.iter()
                    .filter(|(_, key)| key.as_result().is_ok_and(|k| k.rotation_applies()))
                    .map(|(id, _)| id.clone())
                    .collect()
            };
            let listing = inventory.kms_keys(region).await;
            each_of(listing, rotatable, |ids| aws.kms_rotation(region, ids)).await
        };
}
