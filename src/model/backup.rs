use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupPlan {
    pub id: String,
    pub name: String,
    pub arn: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupSelection {
    pub id: String,
    pub name: String,
}
