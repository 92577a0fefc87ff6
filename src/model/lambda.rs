use serde::{Deserialize, Serialize};

/// A function's name and identity only: its code and environment are never read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LambdaFunction {
    pub name: String,
    pub arn: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub function_arn: String,
    pub event_source_arn: Option<String>,
    pub function_response_types: Vec<String>,
    pub state: Option<String>,
}

impl EventSourceMapping {
    pub fn is_sqs(&self) -> bool {
        self.event_source_arn
            .as_deref()
            .is_some_and(|arn| arn.starts_with("arn:aws:sqs:") || arn.contains(":sqs:"))
    }

    /// The function's name, from its (possibly qualified) ARN.
    pub fn function_name(&self) -> &str {
        let mut parts = self.function_arn.split(':');
        parts.nth(6).unwrap_or(&self.function_arn)
    }
}
