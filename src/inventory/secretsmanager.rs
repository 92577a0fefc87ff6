//! Secrets Manager's pieces, per region: the secrets' rotation settings.

use super::{accessors, pieces, Memo};
use crate::model::secretsmanager::Secret;

pieces! {
    pub struct SecretsManagerRegional {
        secrets: Memo<Vec<Secret>>,
    }
}

accessors! {
    iam "secretsmanager";
    regional secretsmanager_secrets: Vec<Secret> = secretsmanager.secrets, "ListSecrets",
        |_inventory, aws, region| aws.secretsmanager_secrets(region);
}
