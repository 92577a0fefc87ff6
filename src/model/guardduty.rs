use aws_sdk_guardduty::types::DetectorStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detector {
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    pub finding_publishing_frequency: Option<String>,
}

impl Detector {
    pub fn is_enabled(&self) -> bool {
        DetectorStatus::from(self.status.as_str()) == DetectorStatus::Enabled
    }
}

/// What a server-side filtered search of findings found: how many, and the first few.
/// (Security Hub's failed findings are kept in the same shape.)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindingSample {
    pub total: usize,
    pub first: Vec<FindingTitle>,
}

impl FindingSample {
    /// How many findings a sample names by title; the rest are counted.
    pub const NAMED: usize = 5;

    /// "7 active findings …: first title; second title; and 5 more".
    /// "3 active findings of ...: title; title; and 1 more", `noun` in the singular.
    pub fn describe(&self, noun: &str, qualifier: &str) -> String {
        let titles: Vec<&str> = self.first.iter().map(|f| f.title.as_str()).collect();
        let more = self.total.saturating_sub(titles.len());
        format!(
            "{} {qualifier}: {}{}",
            crate::verdict::count(self.total as i64, noun),
            titles.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindingTitle {
    pub title: String,
    pub severity: Option<f64>,
    pub resource: Option<String>,
}
