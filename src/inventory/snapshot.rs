//! Snapshots: the inventory model as a JSON file, for offline and reproducible audits.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::InventoryData;

pub const FORMAT: &str = "orr-snapshot";
pub const SCHEMA_VERSION: u32 = 2;

/// Just enough of a file to say whether it is a snapshot this build can read, before
/// the strict parse whose errors would otherwise be confusing.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    schema_version: Option<u32>,
    /// Present in a snapshot of many accounts.
    accounts: Option<serde::de::IgnoredAny>,
}

/// What a snapshot holds: one account (the form `orr collect` writes for one), or many
/// (an organization), with the accounts that could not be read.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub accounts: Vec<InventoryData>,
    pub unreachable: Vec<Unreachable>,
    /// The account and identity that collected a many-account snapshot.
    pub caller: Option<Caller>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caller {
    pub account_id: String,
    pub arn: Option<String>,
}

/// An account `orr collect` could not read: it audits as ERROR again, not as absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unreachable {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role_arn: Option<String>,
    pub error: String,
}

/// The many-account form on disk: each member a whole one-account snapshot.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Many<T> {
    format: String,
    schema_version: u32,
    tool_version: String,
    collected_by: Caller,
    accounts: Vec<T>,
    #[serde(default)]
    unreachable: Vec<Unreachable>,
}

/// A snapshot of a large account is tens of MB; this bounds what a wrong path costs.
const MAX_SNAPSHOT_BYTES: u64 = 512 * 1024 * 1024;

pub fn load(path: &Path) -> Result<Snapshot> {
    open(path)?.read_all()
}

pub fn parse(text: &str) -> Result<Snapshot> {
    index(text, Source::Text(text.to_string()))?.read_all()
}

/// A snapshot file read and checked, its accounts' inventories not yet parsed: an
/// audit parses one account at a time and drops it when its checks are done (an
/// organization's parsed inventory is several times the size of its file).
pub struct Opened {
    source: Source,
    pub accounts: Vec<AccountEntry>,
    pub unreachable: Vec<Unreachable>,
    /// The account and identity that collected a many-account snapshot.
    pub caller: Option<Caller>,
}

/// Where the accounts' text is read from when each is parsed.
enum Source {
    Text(String),
    /// The file, open: its text is not kept in memory while the accounts are audited.
    File(std::fs::File),
}

/// Who an account of a snapshot is, and where in the file its inventory is.
#[derive(Clone, Debug)]
pub struct AccountEntry {
    pub account_id: String,
    pub account_name: Option<String>,
    pub role_arn: Option<String>,
    pub collected_by: Option<String>,
    place: Place,
}

/// Where a part of the file is: its bytes, and the line and column it starts at (so an
/// error in it is reported where it is in the whole file).
#[derive(Clone, Debug)]
struct Place {
    bytes: std::ops::Range<usize>,
    lines_before: usize,
    column_before: usize,
}

impl Place {
    /// The places of `ranges` (in file order) in `text`, counting lines in one pass
    /// (not from the top again for each of an organization's accounts).
    fn all(text: &str, ranges: Vec<std::ops::Range<usize>>) -> Vec<Place> {
        let (mut scanned, mut lines, mut line_start) = (0, 0, 0);
        ranges
            .into_iter()
            .map(|bytes| {
                let gap = &text[scanned..bytes.start];
                lines += gap.matches('\n').count();
                if let Some(at) = gap.rfind('\n') {
                    line_start = scanned + at + 1;
                }
                scanned = bytes.start;
                Place {
                    lines_before: lines,
                    column_before: bytes.start - line_start,
                    bytes,
                }
            })
            .collect()
    }
}

/// The fields of an account checked before any account is parsed whole.
#[derive(Deserialize)]
struct AccountHeader {
    account_id: String,
    #[serde(default)]
    account_name: Option<String>,
    #[serde(default)]
    role_arn: Option<String>,
    #[serde(default)]
    collected_by: Option<String>,
    regions: Vec<String>,
    collected_at: chrono::DateTime<chrono::Utc>,
}

pub fn open(path: &Path) -> Result<Opened> {
    let (file, bytes) = crate::files::read_bounded_keeping(path, MAX_SNAPSHOT_BYTES, "snapshot")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("snapshot {} is not UTF-8 text", path.display()))?;
    // Only the file is kept: the text is dropped once indexed.
    index(&text, Source::File(file)).with_context(|| format!("invalid snapshot {}", path.display()))
}

/// Checks the whole file (JSON, format, version, each account's identity, regions and
/// date, no account twice) and notes where each account's inventory is in it, to be
/// read again from `source` when its turn comes.
fn index(text: &str, source: Source) -> Result<Opened> {
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
    let (ranges, unreachable, caller) = if header.accounts.is_some() {
        let many: Many<&serde_json::value::RawValue> = serde_json::from_str(text)?;
        let base = text.as_ptr() as usize;
        let ranges: Vec<_> = many
            .accounts
            .iter()
            .map(|raw| {
                let start = raw.get().as_ptr() as usize - base;
                start..start + raw.get().len()
            })
            .collect();
        (ranges, many.unreachable, Some(many.collected_by))
    } else {
        (std::iter::once(0..text.len()).collect(), Vec::new(), None)
    };
    let mut accounts = Vec::with_capacity(ranges.len());
    for place in Place::all(text, ranges) {
        let header: AccountHeader = parse_at(&text[place.bytes.clone()], &place)?;
        validate(&header).with_context(|| format!("account {}", header.account_id))?;
        accounts.push(AccountEntry {
            account_id: header.account_id,
            account_name: header.account_name,
            role_arn: header.role_arn,
            collected_by: header.collected_by,
            place,
        });
    }
    let mut ids = std::collections::BTreeSet::new();
    for id in accounts
        .iter()
        .map(|a| &a.account_id)
        .chain(unreachable.iter().map(|u| &u.id))
    {
        if !ids.insert(id) {
            bail!("account {id} is in the snapshot twice: its findings would count twice");
        }
    }
    Ok(Opened {
        source,
        accounts,
        unreachable,
        caller,
    })
}

impl Opened {
    /// One account's inventory, parsed strictly.
    pub fn read(&self, account: &AccountEntry) -> Result<InventoryData> {
        let place = &account.place;
        let text = match &self.source {
            Source::Text(text) => std::borrow::Cow::Borrowed(&text[place.bytes.clone()]),
            Source::File(file) => std::borrow::Cow::Owned(read_part(file, &place.bytes)?),
        };
        parse_at(&text, place).with_context(|| format!("account {}", account.account_id))
    }

    /// Every account parsed (a snapshot read whole).
    pub fn read_all(self) -> Result<Snapshot> {
        let accounts = self
            .accounts
            .iter()
            .map(|account| self.read(account))
            .collect::<Result<_>>()?;
        Ok(Snapshot {
            accounts,
            unreachable: self.unreachable,
            caller: self.caller,
        })
    }
}

/// An account's text, read again from the file (it was read whole, and checked, when
/// the snapshot was opened).
fn read_part(mut file: &std::fs::File, bytes: &std::ops::Range<usize>) -> Result<String> {
    use std::io::{Read, Seek};
    let mut part = Vec::with_capacity(bytes.len());
    file.seek(std::io::SeekFrom::Start(bytes.start as u64))
        .and_then(|_| file.take(bytes.len() as u64).read_to_end(&mut part))
        .context("cannot read the snapshot again")?;
    if part.len() != bytes.len() {
        bail!("the snapshot file changed while it was being audited");
    }
    String::from_utf8(part)
        .map_err(|_| anyhow::anyhow!("the snapshot file changed while it was being audited"))
}

/// Parses `text`, the part of the file at `place`, with an error's position in the
/// whole file.
fn parse_at<'a, T: Deserialize<'a>>(text: &'a str, place: &Place) -> Result<T> {
    serde_json::from_str(text).map_err(|error| {
        if error.line() == 0 {
            return anyhow::Error::new(error);
        }
        let column = if error.line() == 1 {
            place.column_before + error.column()
        } else {
            error.column()
        };
        let message = error.to_string();
        let what = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(what, _)| what);
        anyhow::anyhow!(
            "{what} at line {} column {column}",
            error.line() + place.lines_before
        )
    })
}

fn validate(account: &AccountHeader) -> Result<()> {
    if account.regions.is_empty() {
        bail!("the snapshot names no regions");
    }
    let mut seen = std::collections::BTreeSet::new();
    for region in &account.regions {
        crate::regions::validate(region).map_err(anyhow::Error::msg)?;
        if !seen.insert(region) {
            bail!("region {region} is listed twice in \"regions\": its findings would count twice");
        }
    }
    // A little slack for clocks that disagree; a snapshot from the future is not one.
    if account.collected_at > chrono::Utc::now() + chrono::Duration::days(1) {
        bail!(
            "collected_at {} is in the future: the file was edited or the collecting clock was wrong",
            account.collected_at.to_rfc3339()
        );
    }
    Ok(())
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

/// One account is written in the one-account form (what older orr and the demo read);
/// more, or any that could not be read, in the many-account form.
pub fn save(
    caller: &Caller,
    accounts: &[&InventoryData],
    unreachable: &[Unreachable],
    path: &Path,
) -> Result<()> {
    let json = match (accounts, unreachable) {
        ([one], []) => serde_json::to_string_pretty(one),
        _ => serde_json::to_string_pretty(&Many {
            format: FORMAT.to_string(),
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            collected_by: caller.clone(),
            accounts: accounts.to_vec(),
            unreachable: unreachable.to_vec(),
        }),
    }
    .context("cannot serialize the snapshot")?;
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
            let error = format!("{:#}", parse(&edited).unwrap_err());
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

        // In a many-account snapshot, where each account is parsed on its own: the
        // position is still the one in the whole file.
        let account = |id: &str, global: &str| {
            format!(
                r#"{{"format": "orr-snapshot", "schema_version": 2, "tool_version": "0",
  "account_id": "{id}", "collected_at": "2026-01-01T00:00:00Z", "regions": ["us-east-1"],
  "global": {global}}}"#
            )
        };
        let text = format!(
            "{{\"format\": \"orr-snapshot\", \"schema_version\": 2, \"tool_version\": \"0\",\n\"collected_by\": {{\"account_id\": \"1\", \"arn\": null}},\n\"accounts\": [{},\n  {}]}}",
            account("1", "{}"),
            account("2", r#"{"s3": {"bukets": null}}"#)
        );
        let error = format!("{:#}", parse(&text).unwrap_err());
        assert!(
            error.contains("account 2")
                && error.contains("bukets")
                && error.contains("line 8 column 28"),
            "{error}"
        );
    }
}
