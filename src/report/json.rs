use anyhow::{Context, Result};

use crate::audit::Audit;

pub fn render(audit: &Audit) -> Result<String> {
    let mut text = serde_json::to_string_pretty(audit).context("cannot serialize the audit")?;
    text.push('\n');
    Ok(text)
}
