//! A short Markdown summary for a pull-request comment or a CI step summary: the
//! verdict, counts per category, the worst failures. Values from AWS are escaped so a
//! resource name can neither format the comment nor inject HTML into it.

use std::fmt::Write;

use super::{worst_first, RenderOptions};
use crate::audit::Audit;
use crate::finding::{Category, Finding, Status};
use crate::verdict::Verdict;

/// How many failures the summary lists; the rest are counted.
const TOP: usize = 10;

pub fn render(audit: &Audit, options: &RenderOptions) -> String {
    let mut out = String::new();
    let run = &audit.run;
    let icon = match audit.verdict {
        Verdict::Go => "✅",
        Verdict::NoGo => "⛔",
        Verdict::Warn => "⚠️",
    };
    let _ = writeln!(
        out,
        "## {icon} orr: {} for account {}\n",
        audit.verdict,
        escape(&run.account_id)
    );
    let _ = writeln!(
        out,
        "**{}** (exit {}): {}.\n",
        audit.verdict,
        audit.exit_code,
        escape(&audit.verdict_reason)
    );
    let _ = writeln!(
        out,
        "Regions {} · {} checks · as of {} · orr {}\n",
        escape(&run.regions.join(", ")),
        run.checks.len(),
        run.as_of.format("%Y-%m-%d %H:%M UTC"),
        escape(&audit.tool.version)
    );

    let columns = [
        Status::Pass,
        Status::Fail,
        Status::Error,
        Status::Waived,
        Status::Manual,
    ];
    out.push_str("| Category |");
    for status in columns {
        let _ = write!(out, " {status} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(columns.len()));
    out.push('\n');
    for category in Category::ALL {
        let counts = &audit.summary.by_category[&category];
        let _ = write!(out, "| {category} |");
        for status in columns {
            let _ = write!(out, " {} |", counts[&status]);
        }
        out.push('\n');
    }
    out.push('\n');

    let mut problems: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| f.status.is_problem())
        .collect();
    problems.sort_by(|a, b| worst_first(a, b));
    if !problems.is_empty() {
        let _ = writeln!(out, "### Top failures\n");
        out.push_str("| Status | Severity | Check | Region | Resource | Message |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for finding in problems.iter().take(TOP) {
            let status = finding.status_label();
            let _ = writeln!(
                out,
                "| {status} | {} | `{}` | {} | {} | {} |",
                finding.severity,
                escape_code(&finding.check_id),
                escape(finding.region.as_deref().unwrap_or("global")),
                escape(&finding.resource_id),
                escape(&finding.message)
            );
        }
        if problems.len() > TOP {
            let _ = writeln!(out, "\n…and {} more.", problems.len() - TOP);
        }
        out.push('\n');
    }
    for warning in audit.warnings() {
        let _ = writeln!(out, "> ⚠️ {}", escape(&warning));
    }
    if !options.audit_sha256.is_empty() {
        let _ = writeln!(
            out,
            "\n<sub>Audit JSON SHA-256: {}</sub>",
            escape(&options.audit_sha256)
        );
    }
    out
}

/// Makes text inert in GitHub-flavoured Markdown: HTML-significant characters become
/// entities, Markdown punctuation is backslash-escaped, line breaks and other control
/// characters become spaces (a newline would end the table row).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // ':' and '@' too: GitHub turns bare URLs and addresses into links.
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | ':' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c if super::is_hostile(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Inside a code span only the backtick and line breaks matter (check ids are ours, but
/// the audit file may not be).
fn escape_code(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '`' || super::is_hostile(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_text() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(escape("a|b\nc"), "a\\|b c");
        assert_eq!(escape("[x](https://evil)"), "\\[x\\]\\(https\\://evil\\)");
    }
}
