use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: Option<String>,
    /// `metric` or `composite`.
    pub kind: String,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    /// The metrics the alarm watches: its own, or each one its metric math reads.
    pub metrics: Vec<MetricRef>,
    /// A composite alarm's `AlarmRule`, e.g. `ALARM("errors") AND NOT ALARM(deploying)`.
    #[serde(default)]
    pub alarm_rule: Option<String>,
}

/// The `kind` of a composite alarm (a metric alarm's is `metric`).
pub const COMPOSITE: &str = "composite";

impl Alarm {
    /// Notifies someone when it goes into ALARM: actions enabled and at least one.
    pub fn notifies(&self) -> bool {
        self.actions_enabled && !self.alarm_actions.is_empty()
    }

    /// The alarms (names or ARNs) whose ALARM state a composite alarm's rule reads:
    /// the arguments of its `ALARM(...)` functions, quoted or not, as PutCompositeAlarm
    /// documents them. `OK(...)`, `INSUFFICIENT_DATA(...)` and `NOT ALARM(...)` references
    /// are not counted: the referenced alarm going into ALARM does not raise the composite.
    pub fn alarms_in_rule(&self) -> Vec<&str> {
        let Some(rule) = self.alarm_rule.as_deref() else {
            return Vec::new();
        };
        rule.match_indices("ALARM(")
            // Not the tail of INSUFFICIENT_DATA( or another identifier, and not negated:
            // under NOT, the referenced alarm's ALARM state silences the composite.
            .filter(|(at, _)| {
                let before = &rule[..*at];
                !before
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !before.trim_end().ends_with("NOT")
            })
            .filter_map(|(at, function)| {
                let argument = &rule[at + function.len()..];
                argument
                    .find(')')
                    .map(|end| argument[..end].trim().trim_matches('"'))
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRef {
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub arn: Option<String>,
}
