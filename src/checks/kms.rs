use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};

const KEY: &str = "AWS::KMS::Key";

/// Enabled symmetric customer keys must rotate; AWS-managed keys, asymmetric or HMAC
/// keys and imported key material are outside the control and not listed.
pub async fn rotation(ctx: CheckCtx) -> Vec<Observation> {
    let region = ctx.region();
    let ids = match listed(&ctx, ctx.inventory.kms_key_ids(region).await) {
        Ok(ids) => ids,
        Err(errors) => return errors,
    };
    let keys = ctx.inventory.kms_keys(region).await;
    let rotation = ctx.inventory.kms_rotation(region).await;
    let mut observations = Vec::new();
    for id in ids {
        let key = match lookup(keys, id) {
            Ok(key) => key,
            Err(error) => {
                observations.push(Observation::unverified(
                    &Resource::new(KEY, super::arn(&ctx, "kms", &format!("key/{id}"))),
                    &error,
                ));
                continue;
            }
        };
        if !key.rotation_applies() {
            continue;
        }
        let resource = Resource::new(KEY, key.arn.clone());
        observations.push(match lookup(rotation, id) {
            Err(error) => Observation::unverified(&resource, &error),
            Ok(on) => Observation::judge(
                *on,
                &resource,
                if *on {
                    format!("customer key {id} rotates automatically")
                } else {
                    format!("customer key {id} does not rotate its key material")
                },
                json!({ "rotation_enabled": on, "key_spec": key.spec, "origin": key.origin }),
            ),
        });
    }
    or_not_applicable(&ctx, observations, || {
        format!("no enabled symmetric customer-managed KMS keys in {region}")
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, Memo};
    use crate::model::kms::KmsKey;

    fn key(id: &str, manager: &str, spec: &str) -> Fetched<KmsKey> {
        Fetched::Ok(KmsKey {
            id: id.into(),
            arn: format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}"),
            manager: manager.into(),
            spec: spec.into(),
            usage: "ENCRYPT_DECRYPT".into(),
            state: "Enabled".into(),
            origin: "AWS_KMS".into(),
            ..KmsKey::default()
        })
    }

    #[tokio::test]
    async fn customer_symmetric_keys_must_rotate() {
        let mut data = data();
        let kms = &mut data.region_mut(REGION).kms;
        kms.key_ids = Memo::ready(Fetched::Ok(
            ["rotating", "static", "aws", "rsa", "denied"]
                .map(String::from)
                .to_vec(),
        ));
        kms.keys = Memo::ready(Fetched::Ok(BTreeMap::from([
            (
                "rotating".into(),
                key("rotating", "CUSTOMER", "SYMMETRIC_DEFAULT"),
            ),
            (
                "static".into(),
                key("static", "CUSTOMER", "SYMMETRIC_DEFAULT"),
            ),
            ("aws".into(), key("aws", "AWS", "SYMMETRIC_DEFAULT")),
            ("rsa".into(), key("rsa", "CUSTOMER", "RSA_2048")),
            ("denied".into(), err("kms", "DescribeKey")),
        ])));
        kms.rotation = Memo::ready(Fetched::Ok(BTreeMap::from([
            ("rotating".into(), Fetched::Ok(true)),
            ("static".into(), Fetched::Ok(false)),
        ])));
        let found = run(data, true, rotation).await;
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(status_of(&found, "key/rotating"), Status::Pass);
        assert_eq!(status_of(&found, "key/static"), Status::Fail);
        assert_eq!(status_of(&found, "key/denied"), Status::Error);
    }
}
