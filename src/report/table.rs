//! The human view: what needs attention, a summary per sign-off section, the verdict.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table};

use super::{printable, shorten, worst_first, RenderOptions};

/// The longest a message or resource id may be in a table cell.
const MAX_MESSAGE: usize = 400;
const MAX_RESOURCE: usize = 160;
use crate::audit::{Audit, Source};
use crate::finding::{Category, Finding, Status};
use crate::verdict::Verdict;

pub fn render(audit: &Audit, options: &RenderOptions) -> String {
    let mut out = String::new();
    let run = &audit.run;
    let source = match run.source {
        Source::Aws => "live".to_string(),
        Source::Snapshot => format!("snapshot as of {}", run.as_of.format("%Y-%m-%d %H:%M UTC")),
    };
    let accounts = match run.accounts.len() {
        0 => format!("account {}", printable(&run.account_id)),
        1 => format!("account {}", printable(&run.accounts[0].id)),
        n => format!("{n} accounts from {}", printable(&run.account_id)),
    };
    out.push_str(&prose(
        &format!(
            "orr audit: {accounts} · {} check{} · {:.1} s",
            run.checks.len(),
            crate::verdict::plural(run.checks.len()),
            run.duration_ms as f64 / 1000.0,
        ),
        options.width,
    ));
    out.push_str(&prose(
        &format!(
            "regions {} · {}",
            printable(&run.regions.join(", ")),
            source
        ),
        options.width,
    ));
    if let Some(identity) = &run.collected_by {
        out.push_str(&prose(
            &format!("read as {}", printable(identity)),
            options.width,
        ));
    }
    if let Some(baseline) = &run.baseline {
        out.push_str(&prose(
            &format!(
                "baseline: audit of {} ({} known problem{} not counted again)",
                baseline.started_at.format("%Y-%m-%d %H:%M UTC"),
                baseline.problems,
                crate::verdict::plural(baseline.problems)
            ),
            options.width,
        ));
    }
    out.push('\n');

    let shown: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| {
            options.all
                || f.status.is_problem()
                || matches!(f.status, Status::Manual | Status::Waived)
        })
        .collect();
    if audit.is_multi_account() {
        // One section per account, its verdict first.
        for account in &audit.run.accounts {
            let own: Vec<&Finding> = shown
                .iter()
                .copied()
                .filter(|f| *f.account_id == *account.id)
                .collect();
            let verdict = audit
                .summary
                .by_account
                .get(&account.id)
                .map_or("GO", |s| s.verdict.as_str());
            let name = account
                .name
                .as_deref()
                .map(|n| format!(" ({})", printable(n)))
                .unwrap_or_default();
            out.push_str(&format!(
                "account {}{name} · {verdict} · {} region{}\n",
                printable(&account.id),
                account.regions.len(),
                crate::verdict::plural(account.regions.len())
            ));
            for note in &account.skipped_regions {
                out.push_str(&format!("  skipped {}\n", printable(note)));
            }
            out.push_str(&findings_table(own, options));
        }
    } else {
        out.push_str(&findings_table(shown, options));
    }

    let mut summary = new_table(options.width, options.color);
    let columns = [
        Status::Pass,
        Status::Fail,
        Status::Error,
        Status::Waived,
        Status::Manual,
        Status::NotApplicable,
    ];
    summary.set_header(
        std::iter::once("Category".to_string())
            .chain(columns.iter().map(|s| s.to_string()))
            .collect::<Vec<_>>(),
    );
    for category in Category::ALL {
        let counts = &audit.summary.by_category[&category];
        if counts.values().all(|n| *n == 0) {
            continue;
        }
        let mut row = vec![Cell::new(category)];
        row.extend(columns.iter().map(|s| Cell::new(counts[s])));
        summary.add_row(row);
    }
    out.push_str(&summary.to_string());
    out.push_str("\n\n");
    if audit.is_multi_account() {
        out.push_str(&accounts_table(audit, options));
    }

    for warning in audit.warnings() {
        out.push_str(&prose(
            &format!("warning: {}", printable(&warning)),
            options.width,
        ));
    }
    let verdict = format!(
        "{}: {} (exit {})",
        audit.verdict,
        printable(&audit.verdict_reason),
        audit.exit_code
    );
    for line in prose(&verdict, options.width).lines() {
        out.push_str(&paint(line, verdict_color(audit.verdict), options.color));
        out.push('\n');
    }
    out
}

/// A line of prose wrapped to the table's width (whole when there is none), lines
/// after the first indented, with its newline.
fn prose(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{text}\n");
    };
    let options = textwrap::Options::new(width.max(20)).subsequent_indent("  ");
    let mut wrapped = textwrap::fill(text, options);
    wrapped.push('\n');
    wrapped
}

/// One row per account: its verdict and what needs attention, worst first.
fn accounts_table(audit: &Audit, options: &RenderOptions) -> String {
    let mut table = new_table(options.width, options.color);
    table.set_header(["Account", "Name", "Verdict", "FAIL", "ERROR", "Regions"]);
    let mut rows: Vec<_> = audit
        .run
        .accounts
        .iter()
        .map(|account| (account, audit.summary.by_account.get(&account.id)))
        .collect();
    rows.sort_by_key(|(account, summary)| {
        (
            summary.map_or(0, |s| s.verdict.exit_code()) != 1,
            summary.map_or(0, |s| s.verdict.exit_code()) != 2,
            account.id.clone(),
        )
    });
    for (account, summary) in rows {
        let count = |status: Status| summary.map_or(0, |s| s.by_status[&status]);
        table.add_row(vec![
            Cell::new(printable(&account.id)),
            Cell::new(printable(account.name.as_deref().unwrap_or(""))),
            Cell::new(summary.map_or("GO", |s| s.verdict.as_str())),
            Cell::new(count(Status::Fail)),
            Cell::new(count(Status::Error)),
            Cell::new(match &account.error {
                Some(_) => "not audited".to_string(),
                None => account.regions.len().to_string(),
            }),
        ]);
    }
    format!("{table}\n\n")
}

/// The width of the table in an exported text file.
pub const FILE_WIDTH: usize = 160;

/// Below this the six columns do not fit: the table folds to three.
const FOLD_BELOW: usize = 120;

/// The columns the table fits in: none with `--wide`; else `COLUMNS`, else the
/// terminal's width (80 when the terminal reports none), else 160 for a pipe or a file.
pub fn width(wide: bool) -> Option<usize> {
    if wide {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    Some(match (columns, Table::new().width()) {
        (Some(columns), _) => columns,
        (None, Some(0)) => 80,
        (None, Some(terminal)) => usize::from(terminal),
        (None, None) => FILE_WIDTH,
    })
}

/// The findings needing attention, worst first: six columns when they fit, else three
/// (status over severity; check over region; resource over message). A check id and
/// a status are never split; long resource ids lose their middle, not their ends.
fn findings_table(mut shown: Vec<&Finding>, options: &RenderOptions) -> String {
    if shown.is_empty() {
        return "No failed or unverified findings.\n\n".to_string();
    }
    shown.sort_by(|a, b| worst_first(a, b));
    let folded = options.width.is_some_and(|w| w < FOLD_BELOW);
    // What is left for the resource once the unsplittable columns are laid out.
    let resource_max = match options.width {
        None => usize::MAX,
        Some(width) if folded => width.saturating_sub(52).max(16),
        Some(width) => (width.saturating_sub(70) / 3).clamp(16, MAX_RESOURCE),
    };
    let mut table = new_table(options.width, options.color);
    if folded {
        table.set_header(["Status", "Check", "Resource · message"]);
    } else {
        table.set_header([
            "Status", "Severity", "Check", "Region", "Resource", "Message",
        ]);
    }
    for finding in shown {
        let mut message = match options.width {
            None => printable(&finding.message).into_owned(),
            Some(_) => shorten(&printable(&finding.message), MAX_MESSAGE),
        };
        if let Some(waiver) = &finding.waiver {
            message.push_str(&format!(
                " [waived until {} by {}: {}]",
                waiver.expires,
                printable(&waiver.approved_by),
                printable(&waiver.reason)
            ));
        }
        let resource = match options.width {
            None => printable(&finding.resource_id).into_owned(),
            Some(_) => shorten(
                &printable(short_resource(&finding.resource_id)),
                resource_max,
            ),
        };
        let region = printable(finding.region.as_deref().unwrap_or("global"));
        let status = finding.status_label();
        if folded {
            table.add_row(vec![
                status_cell(
                    finding.status,
                    format!("{status}\n{}", finding.severity),
                    options.color,
                ),
                Cell::new(format!("{}\n{region}", finding.check_id)),
                Cell::new(format!("{resource}\n{message}")),
            ]);
        } else {
            table.add_row(vec![
                status_cell(finding.status, status, options.color),
                Cell::new(finding.severity),
                Cell::new(&finding.check_id),
                Cell::new(region),
                Cell::new(resource),
                Cell::new(message),
            ]);
        }
    }
    let unsplit = if folded { 2 } else { 4 };
    for n in 0..unsplit {
        if let Some(column) = table.column_mut(n) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    format!("{table}\n\n")
}

/// A table within `width` columns (as wide as its content without one: `--wide`).
pub fn new_table(width: Option<usize>, color: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    match width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(width).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if color {
        table.enforce_styling();
    }
    table
}

fn status_cell(status: Status, text: String, color: bool) -> Cell {
    let cell = Cell::new(text);
    if !color {
        return cell;
    }
    match status {
        Status::Fail => cell.fg(Color::Red),
        Status::Error => cell.fg(Color::Magenta),
        Status::Pass => cell.fg(Color::Green),
        Status::Waived => cell.fg(Color::Cyan),
        _ => cell.fg(Color::Yellow),
    }
}

fn verdict_color(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Go => "32",
        Verdict::NoGo => "31",
        Verdict::Warn => "33",
    }
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[1;{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// ARNs are long; the table shows the part a person recognises (the JSON keeps all).
fn short_resource(id: &str) -> &str {
    if !id.starts_with("arn:") {
        return id;
    }
    let resource = id.splitn(6, ':').nth(5).unwrap_or(id);
    if resource.is_empty() {
        return id;
    }
    resource
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_shortened_to_what_people_recognise() {
        assert_eq!(short_resource("arn:aws:s3:::logs-bucket"), "logs-bucket");
        assert_eq!(
            short_resource("arn:aws:rds:us-east-1:1:db:orders"),
            "db:orders"
        );
        assert_eq!(short_resource("arn:aws:iam::1:user/alice"), "user/alice");
        assert_eq!(short_resource("123456789012"), "123456789012");
    }
}
