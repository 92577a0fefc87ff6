//! Renderers of one `Audit` value, one file each, behind one seam: `render`.

pub mod asff;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod table;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use clap::ValueEnum;

use crate::audit::Audit;
pub use crate::text::{shorten, shorten_words};

/// What an audit can be rendered as, on stdout (`--output`) or to a file (`--export`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people (.txt)
    Table,
    /// The JSON audit: the evidence the other formats are rendered from (.json)
    Json,
    /// The ORR report a reviewer signs: one self-contained page (.html)
    Html,
    /// SARIF 2.1.0 for code-scanning tools (.sarif)
    Sarif,
    /// JUnit XML for CI test reports (.xml)
    Junit,
    /// A short summary for a pull-request comment or CI step summary (.md)
    Markdown,
    /// AWS Security Finding Format, for Security Hub batch-import-findings (.asff.json)
    Asff,
    /// OCSF 1.3.0 Detection Finding events, for security data lakes (.ocsf.json)
    Ocsf,
}

const EXTENSIONS: &[(&str, Format)] = &[
    (".asff.json", Format::Asff),
    (".ocsf.json", Format::Ocsf),
    (".sarif.json", Format::Sarif),
    (".sarif", Format::Sarif),
    (".json", Format::Json),
    (".html", Format::Html),
    (".htm", Format::Html),
    (".xml", Format::Junit),
    (".md", Format::Markdown),
    (".markdown", Format::Markdown),
    (".txt", Format::Table),
];

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn for_path(path: &Path) -> Result<Format> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match EXTENSIONS.iter().find(|(ext, _)| name.ends_with(ext)) {
            Some((_, format)) => Ok(*format),
            None => bail!(
                "cannot export {}: unknown format (supported extensions: {})",
                path.display(),
                EXTENSIONS
                    .iter()
                    .map(|(ext, _)| *ext)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// How to render, beyond the audit itself.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Table: colour for a terminal.
    pub color: bool,
    /// Table: every finding, passes included.
    pub all: bool,
    /// Table: the columns to fit in; none prints every value whole (`--wide`).
    pub width: Option<usize>,
    /// SHA-256 of the JSON audit the output is rendered from, printed in the HTML report
    /// and the Markdown summary so a signed report can be tied to its evidence.
    pub audit_sha256: String,
}

pub fn render(audit: &Audit, format: Format, options: &RenderOptions) -> Result<String> {
    Ok(match format {
        Format::Table => table::render(audit, options),
        Format::Json => json::render(audit)?,
        Format::Html => html::render(audit, options)?,
        Format::Sarif => sarif::render(audit)?,
        Format::Junit => junit::render(audit)?,
        Format::Markdown => markdown::render(audit, options),
        Format::Asff => asff::render(audit)?,
        Format::Ocsf => ocsf::render(audit)?,
    })
}

/// Checks every export path before the audit runs, so a typo costs seconds, not a run.
pub fn plan_exports(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Format)>> {
    paths
        .iter()
        .map(|path| {
            let format = Format::for_path(path)?;
            crate::files::check_writable(path)?;
            Ok((path.clone(), format))
        })
        .collect()
}

/// Writes every planned export, each whole or not at all; a failure does not stop the
/// others. Rendering is pure, so the same audit gives the same bytes every time.
pub fn export_all(
    audit: &Audit,
    exports: &[(PathBuf, Format)],
    options: &RenderOptions,
) -> Vec<anyhow::Error> {
    // A file does not depend on the terminal it was written from.
    let plain = RenderOptions {
        color: false,
        all: false,
        width: options.width.map(|_| table::FILE_WIDTH),
        ..options.clone()
    };
    exports
        .iter()
        .filter_map(|(path, format)| {
            match format {
                Format::Json => crate::files::write_with(path, |out| json::write(audit, out)),
                _ => render(audit, *format, &plain)
                    .and_then(|rendered| crate::files::write_whole(path, rendered.as_bytes())),
            }
            .err()
        })
        .collect()
}

/// Characters that act on a terminal or reorder text rather than show: control
/// characters (ESC, CR, BEL, NUL, newlines) and bidirectional marks and overrides.
pub fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from AWS or a file, made safe to print on a terminal: control characters
/// (ESC, CR, BEL, NUL, newlines) and bidirectional overrides are shown as `\u{..}`
/// escapes, so a resource name can neither drive the terminal nor fake a row.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hostile(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Problems first, the worst severity first, then by check and resource: the order
/// every listing of findings uses.
pub fn worst_first(a: &crate::finding::Finding, b: &crate::finding::Finding) -> std::cmp::Ordering {
    (
        b.status.is_problem(),
        b.severity,
        &a.check_id,
        &a.region,
        &a.resource_id,
    )
        .cmp(&(
            a.status.is_problem(),
            a.severity,
            &b.check_id,
            &b.region,
            &b.resource_id,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_paths_are_checked_up_front() {
        assert!(plan_exports(&[PathBuf::from("audit.JSON")]).is_ok());
        let unknown = plan_exports(&[PathBuf::from("audit.pdf")]).unwrap_err();
        assert!(
            unknown.to_string().contains("supported extensions"),
            "{unknown}"
        );
        let missing = plan_exports(&[PathBuf::from("/no/such/folder/audit.json")]).unwrap_err();
        assert!(missing.to_string().contains("does not exist"), "{missing}");
        let folder = tempfile::tempdir().unwrap();
        let named_like_a_file = folder.path().join("audit.json");
        std::fs::create_dir(&named_like_a_file).unwrap();
        let is_dir = plan_exports(&[named_like_a_file]).unwrap_err();
        assert!(is_dir.to_string().contains("it is a folder"), "{is_dir}");
    }

    #[test]
    fn each_extension_names_its_format() {
        for (name, format) in [
            ("a.json", Format::Json),
            ("a.sarif", Format::Sarif),
            ("a.sarif.json", Format::Sarif),
            ("report.HTML", Format::Html),
            ("junit.xml", Format::Junit),
            ("summary.md", Format::Markdown),
            ("audit.txt", Format::Table),
        ] {
            assert_eq!(Format::for_path(Path::new(name)).unwrap(), format, "{name}");
        }
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(printable("orders-db"), "orders-db");
        assert_eq!(
            printable("a\x1b]0;pwned\x07b\r\nc\u{202e}d\0"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{d}\\u{a}c\\u{202e}d\\u{0}"
        );
    }
}
