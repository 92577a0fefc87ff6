//! SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, Azure DevOps) read: one
//! rule per check that ran, one result per FAIL, ERROR or WAIVED finding (waived ones
//! carry an accepted suppression). Validated against the published schema in a test
//! (`schema/sarif-2.1.0.json`).

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::audit::Audit;
use crate::catalog::CatalogEntry;
use crate::finding::{BaselineMark, Finding, Severity, Status};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(audit: &Audit) -> Result<String> {
    let rules: Vec<&CatalogEntry> = audit.catalog.values().collect();
    let results: Vec<Value> = audit
        .findings
        .iter()
        .filter(|f| f.status.is_problem() || f.status == Status::Waived)
        .map(|finding| result(audit, &rules, finding))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": audit.tool.name,
                    "version": audit.tool.version,
                    "semanticVersion": audit.tool.version,
                    "informationUri": "https://docs.aws.amazon.com/wellarchitected/latest/operational-readiness-reviews/wa-operational-readiness-reviews.html",
                    "rules": rules.iter().map(|entry| rule(entry, audit.run.fail_on)).collect::<Vec<_>>(),
                }
            },
            "automationDetails": { "id": format!("orr/{}/", audit.run.account_id) },
            "invocations": [{
                "executionSuccessful": true,
                "startTimeUtc": audit.run.started_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "endTimeUtc": (audit.run.started_at
                    + chrono::Duration::milliseconds(audit.run.duration_ms as i64))
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            }],
            "properties": {
                "account_id": audit.run.account_id,
                "regions": audit.run.regions,
                "verdict": audit.verdict,
                "verdict_reason": audit.verdict_reason,
            },
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).context("cannot serialize SARIF")?;
    text.push('\n');
    Ok(text)
}

/// "error" for what blocks the sign-off at the team's threshold, "warning" below it.
fn level(severity: Severity, fail_on: Severity) -> &'static str {
    if severity >= fail_on {
        "error"
    } else if severity >= Severity::Low {
        "warning"
    } else {
        "note"
    }
}

/// GitHub code scanning ranks security alerts by this number (CVSS-like, 0-10).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rule(entry: &CatalogEntry, fail_on: Severity) -> Value {
    let compliance = &entry.compliance;
    let tags: Vec<String> = std::iter::once(entry.category.to_string())
        .chain(compliance.labels())
        .collect();
    // A policy may give no CLI or Terraform snippet: only those given are printed.
    let snippets = entry.remediation.snippets();
    let mut help_text = format!(
        "{}\n\nRisk: {}\n\nRemediation: {}",
        entry.passes_when, entry.risk, entry.remediation.summary
    );
    for (heading, _, text) in snippets.clone() {
        help_text += &format!("\n\n{heading}:\n{}", text.trim_end());
    }
    let markdown_snippets: String = snippets
        .map(|(_, lang, text)| format!("```{lang}\n{}\n```\n\n", text.trim_end()))
        .collect();
    let help_markdown = format!(
        "**Passes when:** {}\n\n**Risk:** {}\n\n**Remediation:** {}\n\n{markdown_snippets}{}",
        entry.passes_when,
        entry.risk,
        entry.remediation.summary,
        entry
            .references
            .iter()
            .map(|r| format!("- <{r}>"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut value = json!({
        "id": entry.id,
        "name": rule_name(&entry.id),
        "shortDescription": { "text": entry.title },
        "fullDescription": { "text": entry.passes_when },
        "help": { "text": help_text, "markdown": help_markdown },
        "defaultConfiguration": { "level": level(entry.severity, fail_on) },
        "properties": {
            "category": entry.category,
            "severity": entry.severity,
            "tags": tags,
            "security-severity": security_severity(entry.severity),
            "compliance": compliance,
        },
    });
    if let Some(first) = entry.references.first() {
        value["helpUri"] = json!(first);
    }
    value
}

/// SARIF rule names are PascalCase words: `rds.force_ssl` -> `RdsForceSsl`.
fn rule_name(id: &str) -> String {
    id.split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn result(audit: &Audit, rules: &[&CatalogEntry], finding: &Finding) -> Value {
    let rule_index = rules.iter().position(|r| *r.id == *finding.check_id);
    let status = finding
        .waiver
        .as_ref()
        .map_or(finding.status, |w| w.original_status);
    let mut value = json!({
        "ruleId": finding.check_id,
        "level": level(finding.severity, audit.run.fail_on),
        "kind": "fail",
        "message": { "text": format!("{}: {}", status, finding.message) },
        // Code-scanning tools insist on a file location; a cloud resource has none, so
        // the location is orr.toml (where a finding is waived) and the resource is the
        // logical location.
        "locations": [{
            "physicalLocation": { "artifactLocation": { "uri": "orr.toml" } },
            "logicalLocations": [{
                "name": finding.resource_id,
                "fullyQualifiedName": format!(
                    "{}/{}/{}",
                    finding.account_id,
                    finding.region.as_deref().unwrap_or("global"),
                    finding.resource_id
                ),
                "kind": "resource",
            }],
        }],
        "partialFingerprints": { "orrFindingFingerprint/v1": finding.fingerprint },
        "properties": {
            "status": status,
            "severity": finding.severity,
            "account_id": finding.account_id,
            "region": finding.region,
            "resource_id": finding.resource_id,
            "resource_type": finding.resource_type,
            "evidence": finding.evidence,
        },
    });
    if let Some(index) = rule_index {
        value["ruleIndex"] = json!(index);
    }
    if let Some(waiver) = &finding.waiver {
        value["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!(
                "{} (approved by {}, expires {})",
                waiver.reason, waiver.approved_by, waiver.expires
            ),
        }]);
    }
    if let Some(mark) = finding.baseline {
        value["baselineState"] = json!(match mark {
            BaselineMark::New => "new",
            BaselineMark::Existing => "unchanged",
        });
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name("rds.force_ssl"), "RdsForceSsl");
        assert_eq!(
            rule_name("s3.account_public_access_block"),
            "S3AccountPublicAccessBlock"
        );
    }

    #[test]
    fn levels_follow_the_teams_threshold() {
        assert_eq!(level(Severity::Critical, Severity::High), "error");
        assert_eq!(level(Severity::Medium, Severity::High), "warning");
        assert_eq!(level(Severity::Info, Severity::High), "note");
        assert_eq!(level(Severity::Medium, Severity::Medium), "error");
    }

    #[test]
    fn help_prints_only_the_remediation_snippets_given() {
        let mut entry = crate::catalog::Catalog::embedded()
            .get("rds.backup_retention")
            .unwrap()
            .clone();
        let help = |entry: &CatalogEntry| {
            let rule = rule(entry, Severity::High);
            let text = rule["help"]["text"].as_str().unwrap().to_string();
            (text, rule["help"]["markdown"].as_str().unwrap().to_string())
        };
        let (text, markdown) = help(&entry);
        assert!(
            text.contains("AWS CLI:") && text.contains("Terraform:"),
            "{text}"
        );
        assert!(
            markdown.contains("```sh") && markdown.contains("```hcl"),
            "{markdown}"
        );

        // A user's policy may give a CLI command and no Terraform, or neither.
        entry.remediation.terraform = None;
        let (text, markdown) = help(&entry);
        assert!(
            text.contains("AWS CLI:") && !text.contains("Terraform"),
            "{text}"
        );
        assert!(
            markdown.contains("```sh") && !markdown.contains("```hcl"),
            "{markdown}"
        );
        entry.remediation.cli = None;
        let (text, markdown) = help(&entry);
        assert!(text.ends_with(&entry.remediation.summary), "{text}");
        assert!(!markdown.contains("```"), "{markdown}");
    }
}
