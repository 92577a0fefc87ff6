//! The human view: what needs attention, a summary per sign-off section, the verdict.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

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
    out.push_str(&format!(
        "orr audit: account {} · {} · {} · {} check{} · {:.1} s\n",
        printable(&run.account_id),
        printable(&run.regions.join(", ")),
        source,
        run.checks.len(),
        crate::verdict::plural(run.checks.len()),
        run.duration_ms as f64 / 1000.0
    ));
    if let Some(identity) = &run.collected_by {
        out.push_str(&format!("read as {}\n", printable(identity)));
    }
    if let Some(baseline) = &run.baseline {
        out.push_str(&format!(
            "baseline: audit of {} ({} known problem{} not counted again)\n",
            baseline.started_at.format("%Y-%m-%d %H:%M UTC"),
            baseline.problems,
            crate::verdict::plural(baseline.problems)
        ));
    }
    out.push('\n');

    let mut shown: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| {
            options.all
                || f.status.is_problem()
                || matches!(f.status, Status::Manual | Status::Waived)
        })
        .collect();
    shown.sort_by(|a, b| worst_first(a, b));
    if shown.is_empty() {
        out.push_str("No failed or unverified findings.\n\n");
    } else {
        let mut table = new_table(options.color);
        table.set_header([
            "Status", "Severity", "Check", "Region", "Resource", "Message",
        ]);
        for finding in shown {
            let mut message = shorten(&printable(&finding.message), MAX_MESSAGE);
            if let Some(waiver) = &finding.waiver {
                message.push_str(&format!(
                    " [waived until {} by {}: {}]",
                    waiver.expires,
                    printable(&waiver.approved_by),
                    printable(&waiver.reason)
                ));
            }
            let status = finding.status_label();
            table.add_row(vec![
                status_cell(finding.status, status, options.color),
                Cell::new(finding.severity),
                Cell::new(&finding.check_id),
                Cell::new(printable(finding.region.as_deref().unwrap_or("global"))),
                Cell::new(shorten(
                    &printable(short_resource(&finding.resource_id)),
                    MAX_RESOURCE,
                )),
                Cell::new(message),
            ]);
        }
        out.push_str(&table.to_string());
        out.push_str("\n\n");
    }

    let mut summary = new_table(options.color);
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

    for warning in audit.warnings() {
        out.push_str(&format!("warning: {}\n", printable(&warning)));
    }
    let verdict = format!(
        "{}: {} (exit {})",
        audit.verdict, audit.verdict_reason, audit.exit_code
    );
    out.push_str(&paint(
        &verdict,
        verdict_color(audit.verdict),
        options.color,
    ));
    out.push('\n');
    out
}

/// A table that fits the terminal, or 160 columns when not printing to one.
pub fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if table.width().is_none() {
        table.set_width(160);
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
