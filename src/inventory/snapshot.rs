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
const MAX_SNAPSHOT_BYTES: u64 = 512 * 1024 * 1024;

pub fn load(path: &Path) -> Result<InventoryData> {
    let bytes = crate::files::read_bounded(path, MAX_SNAPSHOT_BYTES, "snapshot")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("snapshot {} is not UTF-8 text", path.display()))?;
    parse(&text).with_context(|| format!("invalid snapshot {}", path.display()))
}

pub fn parse(text: &str) -> Result<InventoryData> {
    // The header alone first (serde skips the rest without building it), to say what
    // the file is before reading it whole.
    let header: Header = serde_json::from_str(text).map_err(|error| {
        let first = text.trim_start().chars().next();
        match (error.classify(), first) {
            (serde_json::error::Category::Data, Some(c)) if c != '{' => anyhow::anyhow!(
                "not an orr snapshot: it is a JSON {}, not an object; create one with `orr collect`",
                kind_of(c)
            ),
            (serde_json::error::Category::Data, _) => {
                anyhow::Error::new(error).context("not an orr snapshot")
            }
            _ => anyhow::Error::new(error).context("not JSON"),
        }
    })?;
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
    let mut seen = std::collections::BTreeSet::new();
    for region in &data.regions {
        crate::regions::validate(region).map_err(anyhow::Error::msg)?;
        if !seen.insert(region) {
            bail!("region {region} is listed twice in \"regions\": its findings would count twice");
        }
    }
    // A little slack for clocks that disagree; a snapshot from the future is not one.
    if data.collected_at > chrono::Utc::now() + chrono::Duration::days(1) {
        bail!(
            "collected_at {} is in the future: the file was edited or the collecting clock was wrong",
            data.collected_at.to_rfc3339()
        );
    }
    Ok(data)
}

/// What a JSON document is, from its first character (it parsed as JSON up to where it
/// stopped being a snapshot).
fn kind_of(first: char) -> &'static str {
    match first {
        '[' => "array",
        '"' => "string",
        't' | 'f' => "boolean",
        'n' => "null",
        _ => "number",
    }
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
        assert!(broken.contains("not JSON"), "{broken}");
        let array = parse("[1]").unwrap_err().to_string();
        assert!(array.contains("a JSON array, not an object"), "{array}");
    }

    #[test]
    fn regions_must_be_known_and_once_and_the_date_not_in_the_future() {
        let demo = include_str!("../../examples/demo-account.json");
        assert!(parse(demo).is_ok());
        for (from, to, expected) in [
            ("\"eu-west-1\"\n", "\"us-east-1\"\n", "listed twice"),
            (
                "\"eu-west-1\"\n",
                "\"eu-wset-1\"\n",
                "unknown AWS region 'eu-wset-1'",
            ),
            (
                "2026-11-20T09:30:00Z",
                "9999-01-01T00:00:00Z",
                "in the future",
            ),
        ] {
            let edited = demo.replacen(from, to, 1);
            assert_ne!(edited, demo, "{from}");
            let error = parse(&edited).unwrap_err().to_string();
            assert!(error.contains(expected), "{expected}: {error}");
        }
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
