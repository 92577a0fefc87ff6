//! OCSF 1.3.0 Detection Finding events (class 2004, with the cloud and date-time
//! profiles): a JSON array, one event per exported finding, for security data lakes
//! (Amazon Security Lake, SIEMs). Validated in a test against the class's required
//! attributes and enumerations (`schema/ocsf-1.3.0-detection-finding.schema.json`).

use anyhow::Result;
use serde_json::{json, Value};

use crate::audit::Audit;
use crate::finding::{Finding, Severity, Status};

pub const OCSF_VERSION: &str = "1.3.0";
const CLASS_UID: u32 = 2004;
const ACTIVITY_CREATE: u32 = 1;

pub fn render(audit: &Audit) -> Result<String> {
    super::asff::array_of(audit, "OCSF", event)
}

fn event(audit: &Audit, finding: &Finding) -> Value {
    let entry = audit.entry(&finding.check_id);
    let at = audit.run.started_at;
    let millis = at.timestamp_millis();
    let at_text = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let region = finding
        .region
        .as_deref()
        .map(str::to_string)
        .or_else(|| super::asff::home_region(audit, &finding.account_id));
    let (status_id, status) = match finding.status {
        Status::Pass => (4, "Resolved"),
        Status::Waived => (3, "Suppressed"),
        _ => (1, "New"),
    };
    let (severity_id, severity) = severity(finding.severity);
    json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": finding.status.as_str(),
        "status_detail": finding.message,
        "message": finding.message,
        "time": millis,
        "time_dt": at_text,
        "finding_info": {
            "uid": format!("orr/{}/{}", finding.account_id, finding.fingerprint),
            "title": finding.title,
            "desc": entry.map(|e| e.passes_when.as_str()).unwrap_or_default(),
            "types": [finding.category.as_str()],
            "analytic": { "uid": finding.check_id, "name": finding.check_id, "type_id": 1, "type": "Rule" },
            "created_time": millis,
            "created_time_dt": at_text,
        },
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": ["cloud", "datetime"],
            "event_code": finding.check_id,
            "product": {
                "name": audit.tool.name,
                "vendor_name": audit.tool.name,
                "version": audit.tool.version,
            },
        },
        "cloud": {
            "provider": "AWS",
            "region": region,
            "account": { "uid": finding.account_id, "type": "AWS Account", "type_id": 10 },
        },
        "resources": [{
            "uid": finding.resource_id,
            "type": finding.resource_type,
            "region": region,
            "cloud_partition": super::asff::partition(audit, finding),
            "data": finding.evidence,
        }],
        "remediation": {
            "desc": entry.map(|e| e.remediation.summary.as_str()).unwrap_or_default(),
            "references": entry.map(|e| e.references.clone()).unwrap_or_default(),
        },
        // A Detection Finding has no compliance object: the frameworks' ids go with
        // the other fields OCSF has no place for.
        "unmapped": {
            "waiver": finding.waiver,
            "baseline": finding.baseline,
            "well_architected": entry.map(|e| e.compliance.well_architected.clone()).unwrap_or_default(),
            "orr_lens": entry.map(|e| e.compliance.orr_lens.clone()).unwrap_or_default(),
        },
    })
}

fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}
