//! Snapshots: the inventory model as a JSON file, for offline and reproducible audits.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::InventoryData;

pub const FORMAT: &str = "orr-snapshot";
pub const SCHEMA_VERSION: u32 = 2;

/// Just enough of a file to say whether it is a snapshot this build can read, before
/// the strict parse whose errors would otherwise be confusing.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    schema_version: Option<u32>,
}

/// A snapshot of a large account is tens of MB; this bounds what a wrong path costs.
const MAX_SNAPSHOT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub fn load(path: &Path) -> Result<InventoryData> {
    let bytes = crate::files::read_bounded(path, MAX_SNAPSHOT_BYTES, "snapshot")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("snapshot {} is not UTF-8 text", path.display()))?;
    parse(&text).with_context(|| format!("invalid snapshot {}", path.display()))
}

pub fn parse(text: &str) -> Result<InventoryData> {
    let header: Header = serde_json::from_str(text).context("not a JSON object")?;
    if header.format.as_deref() != Some(FORMAT) {
        bail!("not an orr snapshot (expected \"format\": \"{FORMAT}\"); create one with `orr collect`");
    }
    match header.schema_version {
        Some(SCHEMA_VERSION) => {}
        Some(older) if older < SCHEMA_VERSION => bail!(
            "it was collected by an older orr (snapshot schema_version {older}; this orr {} reads {SCHEMA_VERSION}): collect it again with `orr collect`",
            env!("CARGO_PKG_VERSION")
        ),
        Some(other) => bail!(
            "schema_version {other} is not supported by orr {} (it reads version {SCHEMA_VERSION}); collect it again with this version",
            env!("CARGO_PKG_VERSION")
        ),
        None => bail!("missing schema_version"),
    }
    let data: InventoryData = serde_json::from_str(text)?;
    if data.regions.is_empty() {
        bail!("the snapshot names no regions");
    }
    Ok(data)
}

pub fn save(data: &InventoryData, path: &Path) -> Result<()> {
    let json = serde_json::to_string_pretty(data).context("cannot serialize the snapshot")?;
    crate::files::write_whole(path, (json + "\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_files_and_versions_with_a_reason() {
        let not_ours = parse(r#"{"findings": []}"#).unwrap_err().to_string();
        assert!(not_ours.contains("not an orr snapshot"), "{not_ours}");
        let future = parse(r#"{"format": "orr-snapshot", "schema_version": 99}"#)
            .unwrap_err()
            .to_string();
        assert!(future.contains("schema_version 99"), "{future}");
        let older = parse(r#"{"format": "orr-snapshot", "schema_version": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(
            older.contains("older orr") && older.contains("collect it again"),
            "{older}"
        );
        let broken = parse("{").unwrap_err().to_string();
        assert!(broken.contains("not a JSON object"), "{broken}");
    }

    #[test]
    fn unknown_fields_are_reported_with_their_position() {
        let text = r#"{"format": "orr-snapshot", "schema_version": 2, "tool_version": "0",
            "account_id": "1", "collected_at": "2026-01-01T00:00:00Z", "regions": ["us-east-1"],
            "global": {"s3": {"bukets": null}}}"#;
        let error = format!("{:#}", parse(text).unwrap_err());
        assert!(
            error.contains("bukets") && error.contains("line 3"),
            "{error}"
        );
    }
}
