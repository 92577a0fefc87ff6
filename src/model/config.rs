use aws_sdk_config::types::{ConformancePackState, RecorderStatus, RecordingStrategyType};
use serde::{Deserialize, Serialize};

/// A configuration recorder joined with its status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConfigRecorder {
    /// The recorder's name (`default` for one the console created).
    pub name: String,
    /// `recordingGroup.allSupported`: records every resource type AWS Config supports;
    /// `false` too when the recorder has no recording group.
    pub all_supported: bool,
    /// `recordingGroup.includeGlobalResourceTypes`: also records global IAM resources (users,
    /// groups, roles, customer managed policies).
    pub include_global_resource_types: bool,
    /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or
    /// `EXCLUSION_BY_RESOURCE_TYPES` where AWS reports a recording strategy.
    pub recording_strategy: Option<String>,
    /// `None` when the recorder has no status (never started).
    pub recording: Option<bool>,
    /// The latest recording event's outcome as AWS spells it (`Pending`, `Success`,
    /// `Failure`, `NotApplicable`).
    pub last_status: Option<String>,
    /// AWS's reason for the latest failure, when it gives one.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Set on a service-linked recorder: one an AWS service created to record only the
    /// resource types it needs (not the account's configuration history).
    #[serde(default)]
    pub service_principal: Option<String>,
}

impl ConfigRecorder {
    pub fn records_all_resource_types(&self) -> bool {
        match self
            .recording_strategy
            .as_deref()
            .map(RecordingStrategyType::from)
        {
            Some(RecordingStrategyType::AllSupportedResourceTypes) => true,
            Some(_) => false,
            None => self.all_supported,
        }
    }

    /// Whether the latest recording event failed.
    pub fn last_recording_failed(&self) -> bool {
        self.last_status.as_deref().map(RecorderStatus::from) == Some(RecorderStatus::Failure)
    }
}

/// An AWS Config conformance pack (DescribeConformancePacks), with its deployment status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConformancePack {
    /// `ConformancePackName`.
    pub name: String,
    /// `ConformancePackArn`.
    pub arn: String,
    /// Its deployment state (DescribeConformancePackStatus): `CREATE_IN_PROGRESS`,
    /// `CREATE_COMPLETE`, `CREATE_FAILED`, `DELETE_IN_PROGRESS`, `DELETE_FAILED`. `None`
    /// in a snapshot taken before orr read it, or for a pack created between the two
    /// calls.
    #[serde(default)]
    pub state: Option<String>,
    /// AWS's reason for a failed deployment.
    #[serde(default)]
    pub status_reason: Option<String>,
}

impl ConformancePack {
    pub fn state(&self) -> Option<ConformancePackState> {
        self.state.as_deref().map(ConformancePackState::from)
    }

    /// Deployed, so its rules evaluate the account: only `CREATE_COMPLETE` says so.
    pub fn is_deployed(&self) -> bool {
        self.state() == Some(ConformancePackState::CreateComplete)
    }
}
