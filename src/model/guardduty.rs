use aws_sdk_guardduty::types::DetectorStatus;
use serde::{Deserialize, Serialize};

/// A GuardDuty detector of the region (ListDetectors, then GetDetector).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detector {
    /// The detector ID.
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    /// How often updated findings are exported: `FIFTEEN_MINUTES`, `ONE_HOUR` or `SIX_HOURS`.
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
    /// How many findings matched, counted in full.
    pub total: usize,
    /// The first few of them (at most `NAMED`, 5), by title.
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

/// One finding of a sample, as a reviewer reads it in a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindingTitle {
    /// The finding's `Title` (`(untitled)` where AWS gives none).
    pub title: String,
    /// GuardDuty's `Severity` (7.0 to 8.9 high, 9.0 and above critical), or Security Hub's
    /// `Severity.Normalized` (0 to 100).
    pub severity: Option<f64>,
    /// What it is about: GuardDuty's `Resource.ResourceType` (`Instance`, `AccessKey`, ...),
    /// or the ID (usually an ARN) of Security Hub's first `Resources` entry.
    pub resource: Option<String>,
}
