use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    pub finding_publishing_frequency: Option<String>,
}

/// What a server-side filtered search of findings found: how many, and the first few.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingSample {
    pub total: usize,
    pub first: Vec<FindingTitle>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingTitle {
    pub title: String,
    pub severity: Option<f64>,
    pub resource: Option<String>,
}
