//! KMS's pieces, per region: the key list, each key's metadata, and the rotation
//! status of the keys whose rotation the customer controls.

use super::{accessors, pieces, Memo, PerResource};
use crate::model::kms::KmsKey;

pieces! {
    pub struct KmsRegional {
        key_ids: Memo<Vec<String>>,
        keys: Memo<PerResource<KmsKey>>,
        rotation: Memo<PerResource<bool>>,
    }
}

accessors! {
    iam "kms";
    regional kms_key_ids: Vec<String> = kms.key_ids, "ListKeys",
        |_inventory, aws, region| aws.kms_key_ids(region);
    regional kms_keys: PerResource<KmsKey> = kms.keys, "DescribeKey",
        each kms_key_ids(Vec::clone) |aws, region, names| aws.kms_keys(region, names);
    /// Rotation status of enabled symmetric customer keys, keyed by key id.
    regional kms_rotation: PerResource<bool> = kms.rotation, "GetKeyRotationStatus",
        each kms_keys(|keys: &PerResource<KmsKey>| {
                keys.iter()
                    .filter(|(_, key)| key.as_result().is_ok_and(|k| k.rotation_applies()))
                    .map(|(id, _)| id.clone())
                    .collect()
            }) |aws, region, ids| aws.kms_rotation(region, ids);
}
