//! `orr diff`: what changed between two saved audits.

use anyhow::Result;
use comfy_table::Cell;

use super::print_stdout;
use crate::audit::Audit;
use crate::cli::{DiffArgs, ListFormat};
use crate::diff::{compare, Diff, Entry};
use crate::report::printable;
use crate::report::table::new_table;

pub fn run(args: DiffArgs) -> Result<i32> {
    let (old, _) = Audit::load(&args.old)?;
    let (new, _) = Audit::load(&args.new)?;
    if old.run.account_id != new.run.account_id {
        eprintln!(
            "orr: note: the audits are of different accounts ({} and {}): no finding can match",
            printable(&old.run.account_id),
            printable(&new.run.account_id)
        );
    }
    let diff = compare(&old, &new, args.fail_on);
    match args.output {
        ListFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff)?;
            text.push('\n');
            print_stdout(&text)?;
        }
        ListFormat::Table => print_stdout(&table(&diff))?,
    }
    Ok(diff.exit_code)
}

fn table(diff: &Diff) -> String {
    let mut out = format!(
        "orr diff: account {} · {} ({}, {} problems) -> {} ({}, {} problems)\n\n",
        printable(&diff.new.account_id),
        diff.old.started_at.format("%Y-%m-%d %H:%M UTC"),
        diff.old.verdict,
        diff.old.problems,
        diff.new.started_at.format("%Y-%m-%d %H:%M UTC"),
        diff.new.verdict,
        diff.new.problems,
    );
    for (title, entries) in [
        ("New failures", &diff.new_failures),
        ("Fixed", &diff.fixed),
        ("Still failing", &diff.still_failing),
    ] {
        out.push_str(&format!("{title}: {}\n", entries.len()));
        if !entries.is_empty() {
            out.push_str(&entry_table(entries, None));
            out.push_str("\n\n");
        }
    }
    out.push_str(&format!(
        "Changed severity: {}\n",
        diff.severity_changed.len()
    ));
    if !diff.severity_changed.is_empty() {
        let entries: Vec<&Entry> = diff.severity_changed.iter().map(|c| &c.finding).collect();
        let from: Vec<String> = diff
            .severity_changed
            .iter()
            .map(|c| format!("{} -> {}", c.from, c.to))
            .collect();
        out.push_str(&entry_table(entries, Some(&from)));
        out.push_str("\n\n");
    }
    let at_or_above = diff
        .new_failures
        .iter()
        .filter(|e| e.severity >= diff.fail_on)
        .count();
    out.push_str(&format!(
        "{at_or_above} new failure{} at or above {} (exit {})\n",
        crate::verdict::plural(at_or_above),
        diff.fail_on,
        diff.exit_code
    ));
    out
}

fn entry_table<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    severities: Option<&[String]>,
) -> String {
    let mut table = new_table(crate::report::table::width(false), false);
    table.set_header([
        "Status", "Was", "Severity", "Check", "Region", "Resource", "Message",
    ]);
    for (n, entry) in entries.into_iter().enumerate() {
        let severity = match severities {
            Some(changes) => changes[n].clone(),
            None => entry.severity.to_string(),
        };
        table.add_row(vec![
            Cell::new(&entry.status),
            Cell::new(&entry.was),
            Cell::new(severity),
            Cell::new(printable(&entry.check_id)),
            Cell::new(printable(entry.region.as_deref().unwrap_or("global"))),
            Cell::new(printable(&entry.resource_id)),
            Cell::new(printable(&entry.message)),
        ]);
    }
    table.to_string()
}
