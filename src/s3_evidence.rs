//! Evidence in S3: `--export s3://BUCKET/KEY` and `orr merge s3://BUCKET/PREFIX/`. These
//! are orr's only writes, to the one bucket the operator names, with the caller's own
//! credentials (never a role assumed in an audited account).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;

use crate::fetched::FetchError;
use crate::inventory::aws::AwsReader;

const SCHEME: &str = "s3://";

/// An object, or a prefix of objects, in a bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// The object's key; for a prefix, what the keys start with (maybe empty).
    pub key: String,
}

impl S3Location {
    /// `s3://BUCKET/KEY`; `None` when `text` is not an S3 URL (a local path).
    pub fn parse(text: &str) -> Option<Result<S3Location>> {
        let rest = text.strip_prefix(SCHEME)?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        // The general purpose bucket naming rules, less the reserved prefixes and
        // suffixes AWS refuses itself.
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
            && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
        Some(if valid {
            Ok(S3Location {
                bucket: bucket.to_string(),
                key: key.to_string(),
            })
        } else {
            Err(anyhow::anyhow!(
                "'{}' is not an S3 location: give s3://BUCKET/KEY with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens",
                crate::text::shorten(text, 80)
            ))
        })
    }

    /// An object to write: a key that names a file, not a folder.
    pub fn object(text: &str) -> Option<Result<S3Location>> {
        Some(Self::parse(text)?.and_then(|location| {
            if location.key.is_empty() || location.key.ends_with('/') {
                bail!("cannot export to {text}: give the object's whole key, e.g. {SCHEME}{}/audit.json", location.bucket);
            }
            Ok(location)
        }))
    }

    /// `BUCKET/KEY`, as an IAM resource names it after `arn:PARTITION:s3:::`.
    fn arn(&self) -> String {
        format!("{}/{}", self.bucket, self.key)
    }
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SCHEME}{}/{}", self.bucket, self.key)
    }
}

/// The IAM statements `orr iam-policy --export-bucket` adds: write and read back the
/// objects, list the bucket (HeadBucket is allowed by s3:ListBucket too). Checking a
/// write before the run needs no more: initiating a multipart upload is allowed by
/// s3:PutObject, and its initiator may abort it without s3:AbortMultipartUpload.
pub fn policy_statements(bucket: &str, partition: &str) -> Vec<serde_json::Value> {
    let arn = format!("arn:{partition}:s3:::{bucket}");
    vec![
        serde_json::json!({
            "Sid": "OrrEvidenceObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": format!("{arn}/*"),
        }),
        serde_json::json!({
            "Sid": "OrrEvidenceBucket",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": arn,
        }),
    ]
}

/// Connection to the evidence buckets: one client per bucket, in the bucket's region.
pub struct EvidenceStore {
    reader: Arc<AwsReader>,
    home_region: String,
    /// Bounds reading an object's body, which the SDK's call timeout does not cover.
    call_timeout: Duration,
    buckets: HashMap<String, Client>,
}

impl EvidenceStore {
    pub fn new(reader: Arc<AwsReader>, home_region: String, call_timeout: Duration) -> Self {
        EvidenceStore {
            reader,
            home_region,
            call_timeout,
            buckets: HashMap::new(),
        }
    }

    /// The client for `bucket`, once HeadBucket said it exists and may be listed. A
    /// bucket in another region answers with its region (x-amz-bucket-region), which
    /// the client is then built for.
    async fn bucket(&mut self, bucket: &str) -> Result<Client> {
        if let Some(client) = self.buckets.get(bucket) {
            return Ok(client.clone());
        }
        let home = self.reader.evidence_client(&self.home_region);
        let region = match home.head_bucket().bucket(bucket).send().await {
            Ok(answer) => answer.bucket_region().map(str::to_string),
            Err(error) => {
                let elsewhere = match &error {
                    SdkError::ServiceError(e) if e.raw().status().as_u16() == 301 => e
                        .raw()
                        .headers()
                        .get("x-amz-bucket-region")
                        .map(str::to_string),
                    _ => None,
                };
                match elsewhere {
                    Some(region) => Some(region),
                    None => return Err(bucket_error(bucket, &error)),
                }
            }
        };
        let client = match region {
            Some(region) if region != self.home_region => {
                let client = self.reader.evidence_client(&region);
                client
                    .head_bucket()
                    .bucket(bucket)
                    .send()
                    .await
                    .map_err(|error| bucket_error(bucket, &error))?;
                client
            }
            _ => home,
        };
        self.buckets.insert(bucket.to_string(), client.clone());
        Ok(client)
    }

    /// Says now, before any work, whether `object` can be written: the bucket exists
    /// and answers, and the caller may put this very key. The check writes nothing: it
    /// starts a multipart upload (allowed by s3:PutObject, as PutObject is) and aborts
    /// it, so no object, version or delete marker is left, even in a versioned or
    /// object-locked bucket.
    pub async fn check_writable(&mut self, object: &S3Location) -> Result<()> {
        let client = self.bucket(&object.bucket).await?;
        let started = client
            .create_multipart_upload()
            .bucket(&object.bucket)
            .key(&object.key)
            .send()
            .await
            .map_err(|error| {
                write_error(
                    object,
                    AwsReader::evidence_error("CreateMultipartUpload", &object.to_string(), &error),
                )
            })?;
        let Some(upload_id) = started.upload_id() else {
            bail!("cannot write {object}: S3 started no upload (no UploadId in its answer)");
        };
        if let Err(error) = client
            .abort_multipart_upload()
            .bucket(&object.bucket)
            .key(&object.key)
            .upload_id(upload_id)
            .send()
            .await
        {
            // Nothing was stored: an empty upload costs nothing, and a lifecycle rule
            // that aborts incomplete uploads removes it. Not a reason to stop the run.
            eprintln!(
                "orr: warning: {}; the empty upload {} stays until a lifecycle rule aborts incomplete multipart uploads",
                crate::report::printable(&AwsReader::evidence_error(
                    "AbortMultipartUpload",
                    &object.to_string(),
                    &error
                )
                .to_string()),
                crate::report::printable(upload_id)
            );
        }
        Ok(())
    }

    /// Writes `bytes` to `object` in one PutObject: S3 stores the whole object or none
    /// of it, and readers see the old object or the new one.
    pub async fn put(
        &mut self,
        object: &S3Location,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<()> {
        let client = self.bucket(&object.bucket).await?;
        client
            .put_object()
            .bucket(&object.bucket)
            .key(&object.key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|error| {
                write_error(
                    object,
                    AwsReader::evidence_error("PutObject", &object.to_string(), &error),
                )
            })?;
        Ok(())
    }

    /// Every `.json` object under `prefix`, in key order (ListObjectsV2, every page).
    pub async fn json_objects(&mut self, prefix: &S3Location) -> Result<Vec<S3Location>> {
        let client = self.bucket(&prefix.bucket).await?;
        let mut pages = client
            .list_objects_v2()
            .bucket(&prefix.bucket)
            .prefix(&prefix.key)
            .into_paginator()
            .send();
        let mut found = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| {
                anyhow::Error::msg(
                    AwsReader::evidence_error("ListObjectsV2", &prefix.to_string(), &error)
                        .to_string(),
                )
                .context(format!("cannot list {prefix}"))
            })?;
            found.extend(
                page.contents()
                    .iter()
                    .filter_map(|object| object.key())
                    .filter(|key| key.to_ascii_lowercase().ends_with(".json"))
                    .map(|key| S3Location {
                        bucket: prefix.bucket.clone(),
                        key: key.to_string(),
                    }),
            );
        }
        found.sort_by(|a, b| a.key.cmp(&b.key));
        if found.is_empty() {
            bail!("no .json object under {prefix}: is it the prefix the shards exported to?");
        }
        Ok(found)
    }

    /// An object's bytes, refusing one larger than `limit`.
    pub async fn get(&mut self, object: &S3Location, limit: u64) -> Result<Vec<u8>> {
        let client = self.bucket(&object.bucket).await?;
        let answer = client
            .get_object()
            .bucket(&object.bucket)
            .key(&object.key)
            .send()
            .await
            .map_err(|error| {
                anyhow::Error::msg(
                    AwsReader::evidence_error("GetObject", &object.to_string(), &error).to_string(),
                )
                .context(format!("cannot read {object}"))
            })?;
        let size = answer.content_length().unwrap_or(0);
        if u64::try_from(size).unwrap_or(0) > limit {
            bail!(
                "{object} is larger than {} MiB: is it the right object?",
                limit / (1024 * 1024)
            );
        }
        let body = tokio::time::timeout(self.call_timeout, answer.body.collect())
            .await
            .map_err(|_| anyhow::anyhow!("cannot read {object}: its body did not arrive in time"))?
            .with_context(|| format!("cannot read {object}"))?;
        Ok(body.into_bytes().to_vec())
    }
}

/// HeadBucket's refusal, in words: a missing bucket, or one the caller may not list.
fn bucket_error<E>(
    bucket: &str,
    error: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
) -> anyhow::Error
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let fetch = AwsReader::evidence_error("HeadBucket", &format!("{SCHEME}{bucket}"), error);
    // HeadBucket has no body, so S3's answer is only its status.
    let status = error.raw_response().map(|r| r.status().as_u16());
    let hint = match status {
        Some(404) => "the bucket does not exist: create it, or fix the name".to_string(),
        Some(403) => format!(
            "the caller may not use the bucket: allow s3:ListBucket on bucket {bucket} (`orr iam-policy --export-bucket {bucket}`)"
        ),
        _ => fetch.to_string(),
    };
    anyhow::anyhow!(
        "cannot use evidence bucket {}: {}",
        crate::report::printable(bucket),
        crate::report::printable(&hint)
    )
}

fn write_error(object: &S3Location, error: FetchError) -> anyhow::Error {
    let hint = if error.code == "AccessDenied" {
        format!(
            ": allow s3:PutObject on {} (`orr iam-policy --export-bucket {}`)",
            object.arn(),
            object.bucket
        )
    } else {
        String::new()
    };
    anyhow::anyhow!(
        "cannot write {}: {}{hint}",
        crate::report::printable(&object.to_string()),
        crate::report::printable(&error.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls_are_told_from_paths_and_checked() {
        assert!(S3Location::parse("audit.json").is_none());
        assert!(S3Location::parse("./s3:/x.json").is_none());
        let object = S3Location::object("s3://evidence/run-42/shard-1-of-2.json")
            .unwrap()
            .unwrap();
        assert_eq!(object.bucket, "evidence");
        assert_eq!(object.key, "run-42/shard-1-of-2.json");
        assert_eq!(object.to_string(), "s3://evidence/run-42/shard-1-of-2.json");
        let prefix = S3Location::parse("s3://evidence").unwrap().unwrap();
        assert_eq!(prefix.key, "");
        for bad in [
            "s3://Evidence/a.json",
            "s3://ev/a.json",
            "s3://-evidence/a.json",
            "s3:///a.json",
        ] {
            let error = S3Location::parse(bad).unwrap().unwrap_err().to_string();
            assert!(error.contains("not an S3 location"), "{bad}: {error}");
        }
        for folder in ["s3://evidence", "s3://evidence/run-42/"] {
            let error = S3Location::object(folder).unwrap().unwrap_err().to_string();
            assert!(error.contains("whole key"), "{folder}: {error}");
        }
    }

    #[test]
    fn the_evidence_policy_is_exactly_the_three_actions_on_the_bucket() {
        let statements = policy_statements("orr-evidence", "aws-cn");
        let mut granted: Vec<(String, String)> = statements
            .iter()
            .flat_map(|statement| {
                let resource = statement["Resource"].as_str().unwrap().to_string();
                statement["Action"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |action| (action.as_str().unwrap().to_string(), resource.clone()))
            })
            .collect();
        granted.sort();
        assert_eq!(
            granted,
            [
                ("s3:GetObject", "arn:aws-cn:s3:::orr-evidence/*"),
                ("s3:ListBucket", "arn:aws-cn:s3:::orr-evidence"),
                ("s3:PutObject", "arn:aws-cn:s3:::orr-evidence/*"),
            ]
            .map(|(a, r)| (a.to_string(), r.to_string()))
        );
    }
}
