use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A CloudWatch metric or composite alarm (DescribeAlarms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Alarm {
    /// `AlarmName`.
    pub name: String,
    /// `AlarmArn`.
    pub arn: Option<String>,
    /// `metric` or `composite`.
    pub kind: String,
    /// `ActionsEnabled`: its actions run on a state change; `false` if AWS leaves it out.
    pub actions_enabled: bool,
    /// `AlarmActions`: the ARNs (SNS topics, Auto Scaling or EC2 actions, ...) run when it
    /// goes into ALARM.
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

    /// The alarms (names or ARNs) whose ALARM state raises a composite alarm: the
    /// arguments of the `ALARM(...)` functions of its rule, quoted or not, as
    /// PutCompositeAlarm documents them, that sit under an even number of `NOT`s.
    /// `NOT` negates the next operand, a function or a parenthesised group, so in
    /// `NOT (ALARM(a) OR ALARM(b))` neither `a` nor `b` counts: their going into ALARM
    /// mutes the composite. `OK(...)` and `INSUFFICIENT_DATA(...)` references are not
    /// counted either.
    pub fn alarms_in_rule(&self) -> Vec<&str> {
        self.alarm_rule
            .as_deref()
            .map(alarms_raising)
            .unwrap_or_default()
    }
}

/// A small scanner over the AlarmRule grammar: `ALARM`, `OK` and `INSUFFICIENT_DATA`
/// functions whose argument is a name or ARN, quoted or not; `AND`, `OR`, `NOT`;
/// parentheses; `TRUE` and `FALSE`. It keeps, per open group, whether the group is
/// negated, and the parity of the `NOT`s waiting for the next operand. Unknown words
/// are taken as operands; an unbalanced `)` is ignored.
fn alarms_raising(rule: &str) -> Vec<&str> {
    let bytes = rule.as_bytes();
    let mut found = Vec::new();
    // Whether each open group is negated; the whole rule is the outermost group.
    let mut groups = vec![false];
    // An odd number of `NOT`s waiting for the next operand.
    let mut pending_not = false;
    let mut at = 0;
    while at < bytes.len() {
        let c = bytes[at];
        let negated = groups.last().copied().unwrap_or(false) ^ pending_not;
        if c.is_ascii_whitespace() {
            at += 1;
        } else if c == b'(' {
            groups.push(negated);
            pending_not = false;
            at += 1;
        } else if c == b')' {
            if groups.len() > 1 {
                groups.pop();
            }
            at += 1;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            let word_end = rule[at..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .map_or(rule.len(), |n| at + n);
            let word = &rule[at..word_end];
            at = word_end;
            let open = rule[at..]
                .find(|ch: char| !ch.is_ascii_whitespace())
                .map(|n| at + n)
                .filter(|&n| bytes[n] == b'(');
            let is_function = ["ALARM", "OK", "INSUFFICIENT_DATA"]
                .iter()
                .any(|f| word.eq_ignore_ascii_case(f));
            match (is_function, open) {
                (true, Some(open)) => {
                    let (argument, next) = function_argument(rule, open + 1);
                    if word.eq_ignore_ascii_case("ALARM") && !negated && !argument.is_empty() {
                        found.push(argument);
                    }
                    pending_not = false;
                    at = next;
                }
                _ if word.eq_ignore_ascii_case("NOT") => pending_not = !pending_not,
                _ if word.eq_ignore_ascii_case("AND") || word.eq_ignore_ascii_case("OR") => {
                    pending_not = false
                }
                // TRUE, FALSE, or a word the grammar does not have: an operand.
                _ => pending_not = false,
            }
        } else {
            // A stray character (a quote or symbol outside a function): skip it.
            at += 1;
        }
    }
    found
}

/// A function's argument, starting just after its `(`: a double-quoted string (which
/// may hold parentheses) or the text up to `)`. Returns it trimmed and unquoted, and
/// where scanning resumes (after the closing `)`).
fn function_argument(rule: &str, from: usize) -> (&str, usize) {
    let rest = &rule[from..];
    let leading = rest.len() - rest.trim_start().len();
    let start = from + leading;
    if rule[start..].starts_with('"') {
        let body = start + 1;
        let close_quote = rule[body..].find('"').map_or(rule.len(), |n| body + n);
        let argument = &rule[body..close_quote];
        let after = (close_quote + 1).min(rule.len());
        let next = rule[after..]
            .find(')')
            .map_or(rule.len(), |n| after + n + 1);
        (argument, next)
    } else {
        let close = rule[start..].find(')').map_or(rule.len(), |n| start + n);
        let next = (close + 1).min(rule.len());
        (rule[start..close].trim(), next)
    }
}

/// A metric an alarm watches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricRef {
    /// `Namespace`, e.g. `AWS/EC2`; empty if AWS left it out.
    pub namespace: String,
    /// `MetricName`, e.g. `CPUUtilization`.
    pub metric_name: String,
    /// `Dimensions`, name to value, e.g. `InstanceId` to `i-0abc...`.
    pub dimensions: BTreeMap<String, String>,
}

/// A CloudWatch dashboard (ListDashboards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dashboard {
    /// `DashboardName`.
    pub name: String,
    /// `DashboardArn`.
    pub arn: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::alarms_raising;

    #[test]
    fn a_negated_group_negates_every_alarm_in_it() {
        assert!(alarms_raising("NOT (ALARM(a) OR ALARM(b))").is_empty());
        assert!(alarms_raising(r#"NOT(ALARM("a") AND (ALARM(b)))"#).is_empty());
        assert_eq!(
            alarms_raising("ALARM(c) OR NOT (ALARM(a) OR ALARM(b))"),
            ["c"]
        );
    }

    #[test]
    fn not_applies_to_the_next_operand_only() {
        assert_eq!(alarms_raising("ALARM(a) AND NOT ALARM(b)"), ["a"]);
        assert_eq!(alarms_raising("NOT ALARM(b) AND ALARM(a)"), ["a"]);
        assert_eq!(alarms_raising("NOT (ALARM(b)) OR ALARM(a)"), ["a"]);
        assert_eq!(alarms_raising("NOT OK(b) AND ALARM(a)"), ["a"]);
    }

    #[test]
    fn an_even_number_of_nots_cancels() {
        assert_eq!(alarms_raising("NOT (NOT ALARM(a))"), ["a"]);
        assert_eq!(alarms_raising("NOT NOT ALARM(a)"), ["a"]);
        assert_eq!(
            alarms_raising("NOT (ALARM(x) AND NOT (ALARM(a) OR NOT ALARM(y)))"),
            ["a"]
        );
    }

    #[test]
    fn names_quoted_or_not_and_other_functions() {
        assert_eq!(
            alarms_raising(
                r#"(ALARM("api (5xx) errors") OR ALARM( arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency )) AND OK(db) OR INSUFFICIENT_DATA(queue) OR TRUE"#
            ),
            [
                "api (5xx) errors",
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency"
            ]
        );
        // INSUFFICIENT_DATA is not ALARM; NOT inside a quoted name is part of the name.
        assert_eq!(
            alarms_raising(r#"INSUFFICIENT_DATA(a) OR ALARM("NOT me")"#),
            ["NOT me"]
        );
        assert!(alarms_raising("").is_empty());
        assert!(alarms_raising("ALARM(").is_empty());
    }
}
