use aws_sdk_cloudwatchlogs::types::LogGroupClass;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    pub arn: Option<String>,
    /// `None`: the logs never expire.
    pub retention_days: Option<i32>,
    /// `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY`; `None` where not reported.
    #[serde(default)]
    pub class: Option<String>,
}

impl LogGroup {
    /// A `DELIVERY`-class group only passes logs on (to S3 or Firehose): CloudWatch
    /// keeps them one day, and its retention cannot be changed.
    pub fn is_delivery_class(&self) -> bool {
        self.class.as_deref().map(LogGroupClass::from) == Some(LogGroupClass::Delivery)
    }
}
