use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicAttributes {
    pub kms_master_key_id: Option<String>,
}
