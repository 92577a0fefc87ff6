//! Renderers of one `Audit` value.

pub mod json;
pub mod table;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::audit::Audit;

/// A file format an audit can be exported to, named by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
}

impl ExportFormat {
    pub fn for_path(path: &Path) -> Result<ExportFormat> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        match extension.to_ascii_lowercase().as_str() {
            "json" => Ok(ExportFormat::Json),
            _ => bail!(
                "cannot export {}: unknown format (supported extensions: .json)",
                path.display()
            ),
        }
    }
}

/// Checks every export path before the audit runs, so a typo costs seconds, not a run.
pub fn plan_exports(paths: &[PathBuf]) -> Result<Vec<(PathBuf, ExportFormat)>> {
    paths
        .iter()
        .map(|path| {
            let format = ExportFormat::for_path(path)?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if !parent.is_dir() {
                    bail!(
                        "cannot export {}: folder {} does not exist",
                        path.display(),
                        parent.display()
                    );
                }
            }
            Ok((path.clone(), format))
        })
        .collect()
}

pub fn export(audit: &Audit, path: &Path, format: ExportFormat) -> Result<()> {
    let rendered = match format {
        ExportFormat::Json => json::render(audit)?,
    };
    crate::files::write_whole(path, rendered.as_bytes())
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
    }
}
