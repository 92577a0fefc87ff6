//! `orr merge`: shard audits combined into one audit, rendered like any other. The
//! parts are files, or every `.json` object under an S3 prefix.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{emit, Exports};
use crate::audit::Audit;
use crate::cli::{EvidenceAwsArgs, MergeArgs};
use crate::inventory::aws::{AwsReader, ConnectOptions};
use crate::merge::{merge, MergeOptions, Part};
use crate::report;
use crate::s3_evidence::{EvidenceStore, S3Location};
use crate::verdict::EXIT_UNABLE;

pub async fn run(args: MergeArgs) -> Result<i32> {
    let exports = Exports::plan(&args.render.export, None)?;
    let prefixes = args
        .audits
        .iter()
        .filter_map(|path| S3Location::parse(path.to_str()?))
        .collect::<Result<Vec<_>>>()?;
    // S3 is reached only when a part or an export is there, and checked before reading.
    let mut store = if prefixes.is_empty() && exports.objects.is_empty() {
        None
    } else {
        Some(connect(&args.aws).await?)
    };
    if let Some(store) = store.as_mut() {
        exports.check_objects(store).await?;
    }
    // Downloaded objects are read as files are; the folder goes when the merge is done.
    let downloads = tempfile::tempdir().context("cannot make a temporary folder")?;
    let mut parts = Vec::new();
    for path in &args.audits {
        match (path.to_str().and_then(S3Location::parse), store.as_mut()) {
            (Some(prefix), Some(store)) => {
                for object in store.json_objects(&prefix?).await? {
                    let bytes = store.get(&object, crate::audit::MAX_AUDIT_BYTES).await?;
                    let local = downloads.path().join(parts.len().to_string());
                    std::fs::write(&local, bytes)
                        .with_context(|| format!("cannot keep {object} to read it"))?;
                    let (audit, sha256) =
                        Audit::load(&local).with_context(|| format!("cannot merge {object}"))?;
                    parts.push(Part {
                        path: PathBuf::from(object.to_string()),
                        sha256,
                        audit,
                    });
                }
            }
            _ => {
                let (audit, sha256) = Audit::load(path)?;
                parts.push(Part {
                    path: path.clone(),
                    sha256,
                    audit,
                });
            }
        }
    }
    let merged = merge(
        parts,
        MergeOptions {
            allow_overlap: args.allow_overlap,
            allow_mixed: args.allow_mixed,
        },
    )?;
    let written = emit(
        &merged,
        report::json::sha256_hex(&merged)?,
        args.render.output(),
        &exports,
        store.as_mut(),
        args.render.table,
    )
    .await?;
    Ok(if written {
        merged.exit_code
    } else {
        EXIT_UNABLE
    })
}

/// The caller's own credentials, verified, for the evidence bucket.
async fn connect(aws: &EvidenceAwsArgs) -> Result<EvidenceStore> {
    let options = ConnectOptions {
        profile: aws.profile.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        regions: aws.region.iter().cloned().collect(),
        ..Default::default()
    };
    let caller = AwsReader::connect(&options).await?;
    Ok(EvidenceStore::new(
        caller.reader,
        caller.home_region,
        options.resilience.call_timeout,
    ))
}
