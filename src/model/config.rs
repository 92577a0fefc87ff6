use serde::{Deserialize, Serialize};

/// A configuration recorder joined with its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub name: String,
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or
    /// `EXCLUSION_BY_RESOURCE_TYPES` where AWS reports a recording strategy.
    pub recording_strategy: Option<String>,
    /// `None` when the recorder has no status (never started).
    pub recording: Option<bool>,
    pub last_status: Option<String>,
}

impl ConfigRecorder {
    pub fn records_all_resource_types(&self) -> bool {
        match self.recording_strategy.as_deref() {
            Some("ALL_SUPPORTED_RESOURCE_TYPES") => true,
            Some(_) => false,
            None => self.all_supported,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConformancePack {
    pub name: String,
    pub arn: String,
}
