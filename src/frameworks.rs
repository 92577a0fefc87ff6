//! The frameworks a check's catalog entry maps it to beyond the security benchmarks:
//! AWS Well-Architected best practices and the questions of AWS's Operational Readiness
//! Review lens (`checks/frameworks/*.toml`, embedded at build time), and the checks
//! grouped by them.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::CatalogEntry;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Framework {
    /// AWS Well-Architected Framework: pillar, then best practice
    WellArchitected,
    /// AWS Operational Readiness Review custom lens: pillar, then question
    OrrLens,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BestPractice {
    id: String,
    title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    id: String,
    pillar: String,
    topic: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WellArchitectedFile {
    pillar: Vec<Pillar>,
    best_practice: Vec<BestPractice>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrrLensFile {
    pillar: Vec<Pillar>,
    question: Vec<Question>,
}

struct Frameworks {
    well_architected: WellArchitectedFile,
    orr_lens: OrrLensFile,
}

/// The files are part of the source: a malformed one is a build defect the tests catch.
fn frameworks() -> &'static Frameworks {
    static FRAMEWORKS: OnceLock<Frameworks> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| Frameworks {
        well_architected: toml::from_str(include_str!(
            "../checks/frameworks/well-architected.toml"
        ))
        .unwrap_or_else(|e| panic!("checks/frameworks/well-architected.toml is malformed: {e}")),
        orr_lens: toml::from_str(include_str!("../checks/frameworks/orr-lens.toml"))
            .unwrap_or_else(|e| panic!("checks/frameworks/orr-lens.toml is malformed: {e}")),
    })
}

/// The Well-Architected pillar of a best practice, from its id (`REL10-BP01`: REL).
pub fn well_architected_pillar(best_practice: &str) -> Option<&'static Pillar> {
    let prefix = best_practice.split(|c: char| c.is_ascii_digit()).next()?;
    frameworks()
        .well_architected
        .pillar
        .iter()
        .find(|p| p.id == prefix)
}

/// The Well-Architected pillars, in the framework's order.
pub fn well_architected_pillars() -> &'static [Pillar] {
    &frameworks().well_architected.pillar
}

/// One pillar of a framework with its items (best practices or questions) in order.
#[derive(Debug, Serialize)]
pub struct PillarGroup {
    pub id: String,
    pub name: String,
    pub items: Vec<FrameworkItem>,
}

/// A best practice or question and the checks that give evidence for it (none: it is
/// left to the people in the review).
#[derive(Debug, Serialize)]
pub struct FrameworkItem {
    pub id: String,
    pub title: String,
    pub checks: Vec<String>,
}

/// `entries` grouped by `framework`: every pillar and item of the framework, each item
/// with the ids of the entries that name it. Well-Architected best practices no entry
/// names are left out (the file lists only the ones orr speaks to); every ORR-lens
/// question is kept, answered or not.
pub fn grouped(framework: Framework, entries: &[&CatalogEntry]) -> Vec<PillarGroup> {
    let checks_naming = |id: &str, ids: fn(&CatalogEntry) -> &[String]| -> Vec<String> {
        entries
            .iter()
            .filter(|e| ids(e).iter().any(|i| i == id))
            .map(|e| e.id.clone())
            .collect()
    };
    match framework {
        Framework::WellArchitected => {
            let file = &frameworks().well_architected;
            file.pillar
                .iter()
                .map(|pillar| PillarGroup {
                    id: pillar.id.clone(),
                    name: pillar.name.clone(),
                    items: file
                        .best_practice
                        .iter()
                        .filter(|bp| {
                            well_architected_pillar(&bp.id).map(|p| &p.id) == Some(&pillar.id)
                        })
                        .map(|bp| FrameworkItem {
                            id: bp.id.clone(),
                            title: bp.title.clone(),
                            checks: checks_naming(&bp.id, |e| &e.compliance.well_architected),
                        })
                        .filter(|item| !item.checks.is_empty())
                        .collect(),
                })
                .filter(|group| !group.items.is_empty())
                .collect()
        }
        Framework::OrrLens => {
            let file = &frameworks().orr_lens;
            file.pillar
                .iter()
                .map(|pillar| PillarGroup {
                    id: pillar.id.clone(),
                    name: pillar.name.clone(),
                    items: file
                        .question
                        .iter()
                        .filter(|q| q.pillar == pillar.id)
                        .map(|q| FrameworkItem {
                            id: q.id.clone(),
                            title: q.topic.clone(),
                            checks: checks_naming(&q.id, |e| &e.compliance.orr_lens),
                        })
                        .collect(),
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn every_id_a_check_names_is_in_its_framework_and_every_check_names_one() {
        let catalog = Catalog::embedded();
        let files = frameworks();
        let best_practices: BTreeSet<&str> = files
            .well_architected
            .best_practice
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        let questions: BTreeSet<&str> = files
            .orr_lens
            .question
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        let pillars: BTreeSet<&str> = files
            .orr_lens
            .pillar
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        for question in &files.orr_lens.question {
            assert!(
                pillars.contains(question.pillar.as_str()),
                "{}",
                question.id
            );
        }
        for bp in &files.well_architected.best_practice {
            assert!(
                well_architected_pillar(&bp.id).is_some(),
                "{} has no pillar",
                bp.id
            );
        }
        let mut named = BTreeSet::new();
        for entry in catalog.entries() {
            let compliance = &entry.compliance;
            assert!(
                !compliance.well_architected.is_empty(),
                "{} names no Well-Architected best practice",
                entry.id
            );
            for id in &compliance.well_architected {
                assert!(
                    best_practices.contains(id.as_str()),
                    "{}: {id} is not in well-architected.toml",
                    entry.id
                );
                named.insert(id.as_str());
            }
            for id in &compliance.orr_lens {
                assert!(
                    questions.contains(id.as_str()),
                    "{}: {id} is not in orr-lens.toml",
                    entry.id
                );
            }
        }
        let unused: Vec<_> = best_practices.difference(&named).collect();
        assert!(
            unused.is_empty(),
            "best practices no check names: {unused:?}"
        );
    }

    #[test]
    fn groups_follow_the_framework_and_keep_unanswered_questions() {
        let catalog = Catalog::embedded();
        let entries: Vec<&CatalogEntry> = catalog.entries().iter().collect();
        let wa = grouped(Framework::WellArchitected, &entries);
        assert_eq!(wa[0].name, "Operational excellence");
        let reliability = wa.iter().find(|p| p.id == "REL").unwrap();
        let multi_az = reliability
            .items
            .iter()
            .find(|i| i.id == "REL10-BP01")
            .unwrap();
        assert!(multi_az.checks.contains(&"rds.multi_az".to_string()));
        let lens = grouped(Framework::OrrLens, &entries);
        let questions: Vec<&FrameworkItem> = lens.iter().flat_map(|p| &p.items).collect();
        assert_eq!(questions.len(), frameworks().orr_lens.question.len());
        assert!(
            questions.iter().any(|q| q.checks.is_empty()),
            "some questions stay with people"
        );
        let signoff = questions
            .iter()
            .find(|q| q.id == "readiness_signoff")
            .unwrap();
        assert_eq!(signoff.checks, ["manual.stakeholder_signoff"]);
    }
}
