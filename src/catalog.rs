//! The check catalog: metadata for every check, from `checks/<service>.toml`, embedded
//! in the binary at build time.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::finding::{Category, Severity, Status};

/// Each catalog file, by service. A test keeps this list and `checks/` in step.
const FILES: &[(&str, &str)] = &[
    ("acm", include_str!("../checks/acm.toml")),
    ("autoscaling", include_str!("../checks/autoscaling.toml")),
    ("backup", include_str!("../checks/backup.toml")),
    ("budgets", include_str!("../checks/budgets.toml")),
    ("ce", include_str!("../checks/ce.toml")),
    ("cloudtrail", include_str!("../checks/cloudtrail.toml")),
    ("cloudwatch", include_str!("../checks/cloudwatch.toml")),
    ("config", include_str!("../checks/config.toml")),
    ("dynamodb", include_str!("../checks/dynamodb.toml")),
    ("ec2", include_str!("../checks/ec2.toml")),
    ("ecs", include_str!("../checks/ecs.toml")),
    ("elasticache", include_str!("../checks/elasticache.toml")),
    ("elbv2", include_str!("../checks/elbv2.toml")),
    ("guardduty", include_str!("../checks/guardduty.toml")),
    ("health", include_str!("../checks/health.toml")),
    ("iam", include_str!("../checks/iam.toml")),
    ("kms", include_str!("../checks/kms.toml")),
    ("lambda", include_str!("../checks/lambda.toml")),
    ("logs", include_str!("../checks/logs.toml")),
    ("manual", include_str!("../checks/manual.toml")),
    ("rds", include_str!("../checks/rds.toml")),
    ("s3", include_str!("../checks/s3.toml")),
    (
        "secretsmanager",
        include_str!("../checks/secretsmanager.toml"),
    ),
    ("securityhub", include_str!("../checks/securityhub.toml")),
    ("sns", include_str!("../checks/sns.toml")),
    ("sqs", include_str!("../checks/sqs.toml")),
    ("synthetics", include_str!("../checks/synthetics.toml")),
];

pub use crate::scope::Scope;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub scope: Scope,
    /// What passes, in one or two sentences.
    pub passes_when: String,
    /// Each state of what the check reads, as AWS documents it, and its verdict: what
    /// passes, what fails, what is N/A, and what cannot be verified (ERROR).
    #[serde(default)]
    pub judgement: Vec<Judgement>,
    pub risk: String,
    pub remediation: Remediation,
    pub references: Vec<String>,
    #[serde(default)]
    pub compliance: Compliance,
    /// The inventory pieces the check reads (`orr inventory list` names them all).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// The IAM actions the check's reads need: derived from `inputs`, each piece
    /// declaring its own (never written in checks/*.toml). `orr iam-policy` is their
    /// union; a test holds them to what a full audit actually calls.
    #[serde(default)]
    pub permissions: Vec<String>,
}

impl CatalogEntry {
    pub fn service(&self) -> &str {
        self.id.split('.').next().unwrap_or_default()
    }
}

/// One row of a check's judgement table.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    pub state: String,
    pub verdict: Status,
}

/// How to fix what the check fails. Every built-in check gives a CLI and a Terraform
/// snippet (`Catalog::embedded` refuses one without); a user's policy may give neither,
/// so reports print only the snippets there are.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform: Option<String>,
}

impl Remediation {
    /// Each snippet given: its heading, its Markdown fence language and its text.
    pub fn snippets(&self) -> impl Iterator<Item = (&'static str, &'static str, &str)> + Clone {
        [
            ("AWS CLI", "sh", &self.cli),
            ("Terraform", "hcl", &self.terraform),
        ]
        .into_iter()
        .filter_map(|(heading, lang, text)| Some((heading, lang, text.as_deref()?)))
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Compliance {
    /// AWS Security Hub Foundational Security Best Practices control ids.
    pub fsbp: Vec<String>,
    /// CIS AWS Foundations Benchmark (v3.0) recommendation numbers.
    pub cis: Vec<String>,
    /// Prowler check ids, for teams mapping their findings over.
    pub prowler: Vec<String>,
    /// AWS Well-Architected Framework best practice ids (`REL10-BP01`): the practices
    /// the check gives evidence for (checks/frameworks/well-architected.toml).
    pub well_architected: Vec<String>,
    /// Question ids of AWS's Operational Readiness Review lens the check helps answer
    /// (checks/frameworks/orr-lens.toml).
    pub orr_lens: Vec<String>,
}

impl Compliance {
    /// Each framework's name and the ids the check has in it.
    pub fn by_framework(&self) -> [(&'static str, &[String]); 5] {
        [
            ("FSBP", &self.fsbp),
            ("CIS", &self.cis),
            ("Prowler", &self.prowler),
            ("Well-Architected", &self.well_architected),
            ("ORR lens", &self.orr_lens),
        ]
    }

    /// Every id, each named by its framework (`FSBP RDS.3`, `Well-Architected REL10-BP01`).
    pub fn labels(&self) -> Vec<String> {
        self.by_framework()
            .into_iter()
            .flat_map(|(name, ids)| ids.iter().map(move |id| format!("{name} {id}")))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    check: Vec<CatalogEntry>,
}

pub struct Catalog {
    entries: Vec<CatalogEntry>,
}

impl Catalog {
    /// The catalog built into this binary. Its files are part of the source, so a
    /// malformed one is a build defect that the tests catch, not a user error.
    pub fn embedded() -> Catalog {
        let mut entries = Vec::new();
        for (service, text) in FILES {
            let file: CatalogFile = toml::from_str(text)
                .unwrap_or_else(|e| panic!("checks/{service}.toml is malformed: {e}"));
            for mut entry in file.check {
                assert!(
                    entry.permissions.is_empty(),
                    "checks/{service}.toml: {} writes permissions; they come from its inputs",
                    entry.id
                );
                // Optional for users' policies only: a built-in check shows how to fix
                // what it fails in both forms.
                assert!(
                    entry.remediation.cli.is_some() && entry.remediation.terraform.is_some(),
                    "checks/{service}.toml: {} needs remediation.cli and remediation.terraform",
                    entry.id
                );
                entry.permissions = crate::inventory::named::actions_of(&entry.inputs)
                    .unwrap_or_else(|e| panic!("checks/{service}.toml: {}: {e}", entry.id));
                entries.push(entry);
            }
        }
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Catalog { entries }
    }

    /// Adds users' policies' entries (their ids already checked against these).
    pub fn extend(&mut self, entries: impl IntoIterator<Item = CatalogEntry>) {
        self.entries.extend(entries);
        self.entries.sort_by(|a, b| a.id.cmp(&b.id));
    }

    pub fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn services(&self) -> BTreeSet<&str> {
        self.entries.iter().map(CatalogEntry::service).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_file_is_embedded_and_its_entries_belong_to_it() {
        let on_disk: BTreeSet<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/checks"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter_map(|name| name.strip_suffix(".toml").map(str::to_string))
                .collect();
        let embedded: BTreeSet<String> = FILES.iter().map(|(s, _)| s.to_string()).collect();
        assert_eq!(on_disk, embedded);
        for (service, text) in FILES {
            let file: CatalogFile = toml::from_str(text).unwrap();
            for entry in file.check {
                assert_eq!(
                    entry.service(),
                    *service,
                    "{} is in checks/{service}.toml",
                    entry.id
                );
            }
        }
    }

    #[test]
    fn entries_are_complete_and_ids_unique() {
        let catalog = Catalog::embedded();
        let ids: BTreeSet<&str> = catalog.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), catalog.entries().len(), "duplicate check ids");
        for entry in catalog.entries() {
            for (field, value) in [
                ("title", entry.title.as_str()),
                ("passes_when", &entry.passes_when),
                ("risk", &entry.risk),
                ("remediation.summary", &entry.remediation.summary),
            ]
            .into_iter()
            .chain(
                entry
                    .remediation
                    .snippets()
                    .map(|(heading, _, text)| (heading, text)),
            ) {
                assert!(
                    !value.trim().is_empty(),
                    "{} has an empty {field}",
                    entry.id
                );
            }
            assert!(
                !entry.references.is_empty(),
                "{} has no references",
                entry.id
            );
            let verdicts: BTreeSet<Status> = entry.judgement.iter().map(|j| j.verdict).collect();
            let needed: &[Status] = if entry.service() == "manual" {
                &[Status::Pass, Status::Manual]
            } else {
                // Every check that reads AWS says what passes, what does not, and when
                // it cannot tell.
                &[Status::Pass, Status::Error]
            };
            for verdict in needed {
                assert!(
                    verdicts.contains(verdict),
                    "{}'s judgement has no {verdict} row",
                    entry.id
                );
            }
            assert!(
                entry.service() == "manual"
                    || verdicts.contains(&Status::Fail)
                    || verdicts.contains(&Status::NotApplicable),
                "{}'s judgement never fails",
                entry.id
            );
            assert!(
                entry.judgement.iter().all(|j| !j.state.trim().is_empty()),
                "{} has an empty judgement state",
                entry.id
            );
            assert!(
                entry.references.iter().all(|r| r.starts_with("https://")),
                "{} has a reference that is not an https URL",
                entry.id
            );
        }
    }
}
