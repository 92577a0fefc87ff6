//! What a check concludes about one resource, and the vocabulary it is said in.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::fetched::FetchError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Fail,
    Error,
    Waived,
    Manual,
    Pass,
    #[serde(rename = "NA")]
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Error,
        Status::Waived,
        Status::Manual,
        Status::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Waived => "WAIVED",
            Status::Manual => "MANUAL",
            Status::NotApplicable => "NA",
        }
    }

    /// FAIL and ERROR both block a sign-off: what could not be verified is not assumed fine.
    pub fn is_problem(self) -> bool {
        matches!(self, Status::Fail | Status::Error)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const NAMES: &'static str = "critical, high, medium, low, info";

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity '{other}' (expected one of: {})",
                Severity::NAMES
            )),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Security,
    Cost,
    Observability,
    Resilience,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Security,
        Category::Cost,
        Category::Observability,
        Category::Resilience,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Cost => "cost",
            Category::Observability => "observability",
            Category::Resilience => "resilience",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown category '{s}' (expected one of: security, cost, observability, resilience)")
            })
    }
}

/// What a check says about one resource, before the runner stamps it with the catalog's
/// id, severity, category and the region it ran in.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub status: Status,
    pub resource_id: String,
    pub resource_type: Cow<'static, str>,
    pub message: String,
    pub evidence: serde_json::Value,
    /// The region this is about when the check runs once for the account but the
    /// observation concerns one region (a region whose trails could not be read).
    pub region: Option<String>,
}

impl Observation {
    pub fn new(
        status: Status,
        resource: &Resource,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) -> Self {
        Observation {
            status,
            resource_id: resource.id.clone(),
            resource_type: Cow::Borrowed(resource.kind),
            message: message.into(),
            evidence,
            region: None,
        }
    }

    pub fn in_region(mut self, region: &str) -> Self {
        self.region = Some(region.to_string());
        self
    }

    pub fn pass(
        resource: &Resource,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) -> Self {
        Self::new(Status::Pass, resource, message, evidence)
    }

    pub fn fail(
        resource: &Resource,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) -> Self {
        Self::new(Status::Fail, resource, message, evidence)
    }

    /// PASS when `ok`, FAIL otherwise: most checks compare one observed state to one rule.
    pub fn judge(
        ok: bool,
        resource: &Resource,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) -> Self {
        let status = if ok { Status::Pass } else { Status::Fail };
        Self::new(status, resource, message, evidence)
    }

    pub fn not_applicable(resource: &Resource, message: impl Into<String>) -> Self {
        Self::new(
            Status::NotApplicable,
            resource,
            message,
            serde_json::json!({}),
        )
    }

    /// The read this check depended on failed: the resource is unverified, and says why.
    pub fn unverified(resource: &Resource, error: &FetchError) -> Self {
        Self::new(
            Status::Error,
            resource,
            format!("could not be verified: {error}"),
            serde_json::json!({ "fetch_error": error }),
        )
    }

    /// ERROR for a state the check cannot judge, with the reason in plain words.
    pub fn cannot_judge(
        resource: &Resource,
        message: impl Into<String>,
        evidence: serde_json::Value,
    ) -> Self {
        Self::new(Status::Error, resource, message, evidence)
    }
}

/// The thing a finding is about: its id (an ARN where AWS gives one) and its
/// CloudFormation-style type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub id: String,
    pub kind: &'static str,
}

impl Resource {
    pub fn new(kind: &'static str, id: impl Into<String>) -> Self {
        Resource {
            id: id.into(),
            kind,
        }
    }

    pub fn account(account_id: &str) -> Self {
        Resource::new("AWS::::Account", account_id)
    }
}

/// One line of the audit: a check's conclusion about one resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Shared by every finding of a check (and `account_id` of an account): an audit
    /// holds 200,000 of them.
    pub check_id: Arc<str>,
    pub title: Arc<str>,
    pub status: Status,
    pub severity: Severity,
    pub category: Category,
    pub account_id: Arc<str>,
    pub resource_id: String,
    /// A built-in check's type is a constant: not a copy in each finding.
    pub resource_type: Cow<'static, str>,
    pub region: Option<Arc<str>>,
    /// The same for the same check, account, region and resource in every run: how
    /// findings are matched across runs (diff, baseline) and in code-scanning tools.
    pub fingerprint: Fingerprint,
    pub message: String,
    pub evidence: Evidence,
    /// The waiver that turned this FAIL or ERROR into WAIVED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<AppliedWaiver>>,
    /// With `--baseline`: whether this finding was already there (only new ones count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineMark>,
}

impl Finding {
    /// The status as listings show it: with `--baseline`, whether it is new.
    pub fn status_label(&self) -> String {
        match self.baseline {
            Some(BaselineMark::New) => format!("{} (new)", self.status),
            Some(BaselineMark::Existing) => format!("{} (known)", self.status),
            None => self.status.to_string(),
        }
    }

    /// FAIL or ERROR that counts for the verdict: not waived, and not already known
    /// from the baseline.
    pub fn blocks(&self) -> bool {
        self.status.is_problem() && self.baseline != Some(BaselineMark::Existing)
    }
}

/// What a finding saw, as compact JSON text. An audit holds every finding until it is
/// written; kept as a `serde_json::Value` tree, the evidence of 200,000 findings was
/// a few hundred MB of small allocations, as text it is one allocation each.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct Evidence(Box<serde_json::value::RawValue>);

impl Evidence {
    /// The evidence as a JSON value (to look into it, or print it indented).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).expect("evidence is JSON written by serde_json")
    }

    /// Whether there is nothing to show: `{}` (what checks give when the message says it all).
    pub fn is_empty(&self) -> bool {
        self.0.get() == "{}"
    }

    pub fn pretty(&self) -> String {
        serde_json::to_string_pretty(&self.value()).expect("a JSON value serializes")
    }
}

impl From<serde_json::Value> for Evidence {
    fn from(value: serde_json::Value) -> Self {
        Evidence(serde_json::value::to_raw_value(&value).expect("a JSON value serializes"))
    }
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

/// Read back compacted, however the file was indented.
impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Evidence::from)
    }
}

/// What identifies a finding across runs (diff, baseline, code-scanning tools): the
/// first 128 bits of a SHA-256 over its check, account, region and resource, not over
/// what it says, which may change from run to run. Kept as its 16 bytes (a finding's
/// heap copy of 32 hex characters was 12 MB over the 100,000-resource fleet); written
/// and read as 32 lowercase hex characters, as the audit schema says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 16]);

impl Fingerprint {
    pub fn of(check_id: &str, account_id: &str, region: Option<&str>, resource_id: &str) -> Self {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for part in [check_id, account_id, region.unwrap_or(""), resource_id] {
            // A separator that cannot occur in any of the parts keeps ("a", "bc") apart
            // from ("ab", "c").
            hash.update(part.as_bytes());
            hash.update([0u8]);
        }
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&hash.finalize()[..16]);
        Fingerprint(bytes)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written for every finding of every export: no formatting machinery a byte.
        let mut text = [0u8; 32];
        for (pair, byte) in text.chunks_exact_mut(2).zip(self.0) {
            pair.copy_from_slice(&hex_digits(byte));
        }
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for Fingerprint {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("fingerprint {text:?} is not 32 lowercase hex characters");
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let text_bytes = text.as_bytes();
        if text_bytes.len() != 32 {
            return Err(invalid());
        }
        let mut bytes = [0u8; 16];
        for (byte, pair) in bytes.iter_mut().zip(text_bytes.chunks_exact(2)) {
            *byte = digit(pair[0])
                .zip(digit(pair[1]))
                .map(|(hi, lo)| hi << 4 | lo)
                .ok_or_else(invalid)?;
        }
        Ok(Fingerprint(bytes))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Lowercase hex, as digests are printed.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|&byte| hex_digits(byte))
        .map(char::from)
        .collect()
}

fn hex_digits(byte: u8) -> [u8; 2] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    [
        DIGITS[usize::from(byte >> 4)],
        DIGITS[usize::from(byte & 0xf)],
    ]
}

/// Who accepted a finding's risk, why, and until when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedWaiver {
    /// What the finding was before the waiver (FAIL or ERROR).
    pub original_status: Status,
    /// Which `[[waivers]]` entry of orr.toml, counting from 0.
    pub index: usize,
    pub reason: String,
    pub approved_by: String,
    pub expires: chrono::NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineMark {
    /// Not a problem in the baseline: counts for the exit code.
    New,
    /// Already a FAIL or ERROR in the baseline: shown, but does not count.
    Existing,
}

#[cfg(test)]
pub mod testing {
    use super::*;

    /// A finding with the given check, status and resource, the rest plausible.
    pub fn finding(check_id: &str, status: Status, resource_id: &str) -> Finding {
        Finding {
            check_id: check_id.into(),
            title: format!("title of {check_id}").into(),
            status,
            severity: Severity::High,
            category: Category::Security,
            account_id: "123456789012".into(),
            resource_id: resource_id.into(),
            resource_type: "AWS::RDS::DBInstance".into(),
            region: Some("us-east-1".into()),
            fingerprint: Fingerprint::of(check_id, "123456789012", Some("us-east-1"), resource_id),
            message: format!("{resource_id} is {status}"),
            evidence: serde_json::json!({}).into(),
            waiver: None,
            baseline: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_the_same_as_in_earlier_audits() {
        // Computed independently (Python's hashlib) as earlier versions wrote them:
        // diff and --baseline match today's findings against files written then.
        let database = "arn:aws:rds:us-east-1:123456789012:db:billing";
        let of_database = Fingerprint::of(
            "rds.storage_encrypted",
            "123456789012",
            Some("us-east-1"),
            database,
        );
        assert_eq!(of_database.to_string(), "78486aefc813f7591e6ecf46e34d6ee4");
        let role = "arn:aws:iam::210987654321:role/orr";
        let of_account = Fingerprint::of("account.access", "210987654321", None, role);
        assert_eq!(of_account.to_string(), "00292ba9902b2e219b8356d6ecf8c32a");
    }

    #[test]
    fn a_fingerprint_is_read_back_as_written_and_nothing_else_is_one() {
        let fingerprint = Fingerprint::of("s3.versioning", "123456789012", None, "logs");
        let json = serde_json::to_string(&fingerprint).unwrap();
        assert_eq!(json, format!("\"{fingerprint}\""));
        assert_eq!(
            serde_json::from_str::<Fingerprint>(&json).unwrap(),
            fingerprint
        );

        for wrong in [
            "",
            "78486AEFC813F7591E6ECF46E34D6EE4",
            "78486aefc813f7591e6ecf46e34d6ee",
            "78486aefc813f7591e6ecf46e34d6eeg",
            "78486aefc813f7591e6ecf46e34d6ee4aa",
        ] {
            let error = wrong.parse::<Fingerprint>().unwrap_err();
            assert!(error.contains("not 32 lowercase hex characters"), "{error}");
        }
        let mut finding =
            serde_json::to_value(testing::finding("s3.versioning", Status::Fail, "logs")).unwrap();
        finding["fingerprint"] = "not-a-fingerprint".into();
        let error = serde_json::from_value::<Finding>(finding)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"not-a-fingerprint\" is not 32 lowercase hex"),
            "{error}"
        );
    }
}
