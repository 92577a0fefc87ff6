//! The outcome of one read from AWS, kept as a value whether it succeeded or not: the
//! vocabulary the model, the inventory, the checks and the findings share.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a piece of inventory could not be read: enough for a reviewer to act on
/// (which service, which call, which resource, what AWS answered).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FetchError {
    /// The AWS service the call went to (`s3`, `s3control`, `ec2`, `events`, ...).
    pub service: String,
    /// The API operation that failed (`ListBuckets`, `GetBucketPolicy`, ...).
    pub operation: String,
    /// The region, resource name or ARN the call was about; absent for account-wide calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The AWS error code (`AccessDenied`, `Throttling`, ...) or our own for failures that
    /// never reached AWS (`DispatchFailure`, `Timeout`, `MissingFromSnapshot`).
    pub code: String,
    /// AWS's error message, or ours; may be empty.
    pub message: String,
}

impl FetchError {
    pub fn new(
        service: &str,
        operation: &str,
        resource: Option<&str>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FetchError {
            service: service.to_string(),
            operation: operation.to_string(),
            resource: resource.map(str::to_string),
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn missing_from_snapshot(service: &str, operation: &str) -> Self {
        FetchError::new(
            service,
            operation,
            None,
            "MissingFromSnapshot",
            "the snapshot does not contain this data; collect it again with this check selected",
        )
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.service, self.operation)?;
        if let Some(resource) = &self.resource {
            write!(f, " ({resource})")?;
        }
        write!(f, " failed: {}", self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

/// The outcome of one read, as stored in the inventory and in snapshots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Fetched_{T}")]
pub enum Fetched<T> {
    /// The read succeeded: its value.
    Ok(T),
    /// The read failed: what failed and what AWS answered.
    Error(FetchError),
}

impl<T> Fetched<T> {
    pub fn as_result(&self) -> Result<&T, &FetchError> {
        match self {
            Fetched::Ok(value) => Ok(value),
            Fetched::Error(error) => Err(error),
        }
    }

    pub fn map<U>(self, convert: impl FnOnce(T) -> U) -> Fetched<U> {
        match self {
            Fetched::Ok(value) => Fetched::Ok(convert(value)),
            Fetched::Error(error) => Fetched::Error(error),
        }
    }
}

impl<T> From<Result<T, FetchError>> for Fetched<T> {
    fn from(result: Result<T, FetchError>) -> Self {
        match result {
            Ok(value) => Fetched::Ok(value),
            Err(error) => Fetched::Error(error),
        }
    }
}
