use anyhow::{bail, Result};

use super::print_stdout;
use crate::catalog::{CatalogEntry, Scope};
use crate::cli::{ChecksCommand, ListFormat};
use crate::config::Config;
use crate::frameworks::{self, Framework, PillarGroup};
use crate::report::table::new_table;
use crate::settings::catalog_with_policies;

pub fn run(command: ChecksCommand, config: &Config) -> Result<i32> {
    let policies = match &command {
        ChecksCommand::List { policies, .. } | ChecksCommand::Show { policies, .. } => policies,
    };
    let (catalog, _) = catalog_with_policies(policies, &config.policies)?;
    match command {
        ChecksCommand::List {
            output,
            framework: Some(framework),
            ..
        } => {
            let entries: Vec<&CatalogEntry> = catalog.entries().iter().collect();
            let groups = frameworks::grouped(framework, &entries);
            match output {
                ListFormat::Json => print_stdout(&(serde_json::to_string_pretty(&groups)? + "\n"))?,
                ListFormat::Table => print_stdout(&framework_table(framework, &groups))?,
            }
        }
        ChecksCommand::List {
            output,
            framework: None,
            ..
        } => match output {
            ListFormat::Json => {
                print_stdout(&(serde_json::to_string_pretty(catalog.entries())? + "\n"))?
            }
            ListFormat::Table => {
                let mut table = new_table(crate::report::table::width(false), false);
                table.set_header(["Check", "Category", "Severity", "Scope", "Title"]);
                for entry in catalog.entries() {
                    table.add_row(vec![
                        entry.id.clone(),
                        entry.category.to_string(),
                        entry.severity.to_string(),
                        scope_name(entry.scope).to_string(),
                        entry.title.clone(),
                    ]);
                }
                print_stdout(&format!("{table}\n{} checks\n", catalog.entries().len()))?;
            }
        },
        ChecksCommand::Show { id, output, .. } => {
            let Some(entry) = catalog.get(&id) else {
                bail!("unknown check id '{id}' (run `orr checks list` to see them)");
            };
            match output {
                ListFormat::Json => print_stdout(&(serde_json::to_string_pretty(entry)? + "\n"))?,
                ListFormat::Table => print_stdout(&describe(entry))?,
            }
        }
    }
    Ok(0)
}

/// Pillar, practice or question, and the checks that give evidence for it.
fn framework_table(framework: Framework, groups: &[PillarGroup]) -> String {
    let mut table = new_table(crate::report::table::width(false), false);
    let item = match framework {
        Framework::WellArchitected => "Best practice",
        Framework::OrrLens => "Question",
    };
    table.set_header(["Pillar", item, "Checks"]);
    let (mut answered, mut open) = (0, 0);
    for group in groups {
        for entry in &group.items {
            if entry.checks.is_empty() {
                open += 1;
            } else {
                answered += 1;
            }
            table.add_row(vec![
                group.name.clone(),
                format!("{} {}", entry.id, entry.title),
                if entry.checks.is_empty() {
                    "(for the people in the review)".to_string()
                } else {
                    entry.checks.join("\n")
                },
            ]);
        }
    }
    let tally = match framework {
        Framework::WellArchitected => format!("{answered} best practices with evidence from orr's checks\n"),
        Framework::OrrLens => format!("{answered} questions with evidence from orr's checks, {open} for the people in the review\n"),
    };
    format!("{table}\n{tally}")
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Global => "account",
        Scope::Regional => "per region",
    }
}

/// One check in full, like `ruff rule`: everything a reviewer needs on one page.
fn describe(entry: &CatalogEntry) -> String {
    let mut out = format!("{}: {}\n\n", entry.id, entry.title);
    out += &format!(
        "  category  {}\n  severity  {}\n  scope     {}\n\n",
        entry.category,
        entry.severity,
        scope_name(entry.scope)
    );
    out += &format!("Passes when\n  {}\n\n", entry.passes_when.trim());
    if !entry.judgement.is_empty() {
        out += "Judgement (each state AWS documents, and its verdict)\n";
        for row in &entry.judgement {
            out += &format!("  {:<6} {}\n", row.verdict.as_str(), row.state.trim());
        }
        out += "\n";
    }
    out += &format!("Risk\n  {}\n\n", entry.risk.trim());
    out += &format!("Remediation\n  {}\n\n", entry.remediation.summary.trim());
    for (heading, _, text) in entry.remediation.snippets() {
        out += &format!("  {heading}:\n{}\n\n", indent(text));
    }
    let mappings: Vec<String> = entry
        .compliance
        .by_framework()
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(name, ids)| format!("  {name}: {}", ids.join(", ")))
        .collect();
    if !mappings.is_empty() {
        out += &format!("Compliance\n{}\n\n", mappings.join("\n"));
    }
    out += "References\n";
    for reference in &entry.references {
        out += &format!("  {reference}\n");
    }
    out
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
