//! A fleet audit as the examples run it: the Kubernetes Indexed Job's and the AWS Batch
//! array job's own command lines (examples/), as local processes with the engine's index
//! variable, exporting each shard to an S3 bucket on moto; `orr merge` from the prefix
//! gives the findings of one unsharded audit. And the failures that must cost nothing:
//! a missing or wrong index, `{shard}` without a shard, a missing bucket.

mod support;

use serde_json::Value;
use support::proxy::{FaultProxy, Faults};
use support::{facts, json_audit, orr, seed, Moto};

/// Bucket checks only: enough to tell the accounts apart, quick on moto.
const CHECKS: &str = "s3.bucket_encryption,s3.account_public_access_block";
const BUCKET: &str = "orr-evidence-test";
/// Shards of the test's organization (the examples use 4; the count is the job's).
const SHARDS: u32 = 3;

/// An organization (the management account and three members with different buckets)
/// and the evidence bucket in the management account.
fn organization() -> Moto {
    let moto = Moto::start();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let sdk = moto.sdk_config().await;
        let ids = seed::organization(&sdk, &["prod", "staging", "sandbox"]).await;
        seed::mixed_buckets(&sdk, "mgmt", 1).await;
        seed::mixed_buckets(&seed::member(&sdk, &ids[0]).await, "prod", 3).await;
        seed::mixed_buckets(&seed::member(&sdk, &ids[1]).await, "staging", 2).await;
        seed::s3(&sdk)
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .unwrap();
    });
    moto
}

fn example(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The audit container's `args:` in the Kubernetes Indexed Job, as Kubernetes passes
/// them: `$(ORR_RUN)` expanded from the container's env.
fn kubernetes_args(run: &str) -> Vec<String> {
    let manifest = example("examples/kubernetes/audit-job.yaml");
    let args: Vec<String> = manifest
        .lines()
        .skip_while(|line| line.trim() != "args:")
        .skip(1)
        .map_while(|line| line.trim().strip_prefix("- "))
        .map(|arg| arg.trim_matches('"').replace("$(ORR_RUN)", run))
        .collect();
    assert_eq!(args.first().map(String::as_str), Some("audit"), "{args:?}");
    args
}

/// The Batch job definition's command, with its `Ref::` parameters filled in as
/// Batch does.
fn batch_args() -> Vec<String> {
    let definition: Value =
        serde_json::from_str(&example("examples/aws-batch/audit-job-definition.json")).unwrap();
    let parameters = &definition["parameters"];
    definition["containerProperties"]["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|arg| {
            let arg = arg.as_str().unwrap();
            match arg.strip_prefix("Ref::") {
                Some(name) => parameters[name].as_str().unwrap().to_string(),
                None => arg.to_string(),
            }
        })
        .collect()
}

/// An example's command line for this test: the test's bucket for the example's, the
/// test's shard count for the example's, and the test's narrower selection.
fn for_test(args: Vec<String>) -> Vec<String> {
    let mut args: Vec<String> = args
        .into_iter()
        .map(|arg| {
            let arg = match arg.strip_prefix("env/") {
                Some(_) => format!("env/{SHARDS}"),
                None => arg,
            };
            match arg.strip_prefix("s3://") {
                Some(rest) => format!("s3://{BUCKET}/{}", rest.split_once('/').unwrap().1),
                None => arg,
            }
        })
        .collect();
    assert!(args.contains(&format!("env/{SHARDS}")), "{args:?}");
    args.extend(["--checks", CHECKS, "--max-attempts", "2"].map(String::from));
    args
}

fn object(moto: &Moto, key: &str) -> Vec<u8> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = seed::s3(&moto.sdk_config().await);
        let answer = client
            .get_object()
            .bucket(BUCKET)
            .key(key)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{key}: {e:?}"));
        answer.body.collect().await.unwrap().into_bytes().to_vec()
    })
}

fn keys(moto: &Moto) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = seed::s3(&moto.sdk_config().await);
        let listed = client
            .list_objects_v2()
            .bucket(BUCKET)
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_string))
            .collect()
    })
}

/// Runs `args` once per shard, index from `variable`, as the job engine would.
fn run_shards(moto: &Moto, variable: &str, args: &[String]) {
    for index in 0..SHARDS {
        let output = orr()
            .envs(moto.env())
            .env(variable, index.to_string())
            .args(args)
            .output()
            .unwrap();
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "shard {index}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_example_jobs_shard_to_s3_and_merge_from_it_as_one_audit() {
    let moto = organization();
    let whole = orr()
        .envs(moto.env())
        .args(["audit", "--org", "--all-regions", "--checks", CHECKS])
        .args(["--max-attempts", "2", "--output", "json"])
        .output()
        .unwrap();
    let whole = json_audit(&whole);
    assert_eq!(whole["run"]["accounts"].as_array().unwrap().len(), 4);

    // Kubernetes: pod i has JOB_COMPLETION_INDEX=i.
    let kubernetes = for_test(kubernetes_args("run-k8s"));
    run_shards(&moto, "JOB_COMPLETION_INDEX", &kubernetes);
    let shard_keys: Vec<String> = (1..=SHARDS)
        .map(|k| format!("run-k8s/shards/shard-{k}-of-{SHARDS}.json"))
        .collect();
    assert_eq!(
        keys(&moto),
        shard_keys,
        "one object per shard, nothing else"
    );
    for (k, key) in (1..=SHARDS).zip(&shard_keys) {
        let shard: Value = serde_json::from_slice(&object(&moto, key)).unwrap();
        assert_eq!(shard["run"]["shard"]["index"], k, "{key}");
    }

    // The merge Job: every shard under the prefix, the merged audit to S3 too.
    let merged = orr()
        .envs(moto.env())
        .args([
            "merge",
            &format!("s3://{BUCKET}/run-k8s/shards/"),
            "--output",
            "json",
            "--export",
            &format!("s3://{BUCKET}/run-k8s/org.json"),
            "--export",
            &format!("s3://{BUCKET}/run-k8s/org.html"),
        ])
        .output()
        .unwrap();
    assert_eq!(
        merged.status.code(),
        whole["exit_code"].as_i64().map(|c| c as i32),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let merged = json_audit(&merged);
    assert_eq!(facts(&merged), facts(&whole));
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(merged["verdict"], whole["verdict"]);
    assert_eq!(
        merged["run"]["merged_from"].as_array().unwrap().len(),
        SHARDS as usize
    );
    let stored: Value = serde_json::from_slice(&object(&moto, "run-k8s/org.json")).unwrap();
    assert_eq!(stored["findings"], merged["findings"]);
    let html = String::from_utf8(object(&moto, "run-k8s/org.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);

    // AWS Batch: child i has AWS_BATCH_JOB_ARRAY_INDEX=i.
    let batch = for_test(batch_args());
    run_shards(&moto, "AWS_BATCH_JOB_ARRAY_INDEX", &batch);
    let prefix = batch
        .iter()
        .find_map(|arg| arg.strip_suffix("shard-{shard}.json"))
        .expect("the Batch job exports shard-{shard}.json")
        .to_string();
    let merged = orr()
        .envs(moto.env())
        .args(["merge", &prefix, "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(facts(&json_audit(&merged)), facts(&whole));
}

/// Runs `args` against a recording proxy in front of moto: exit code, stderr, and
/// the AWS calls made.
fn refused(moto: &Moto, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, Vec<String>) {
    let proxy = FaultProxy::start(&moto.endpoint, Faults::default());
    let output = orr()
        .envs(moto.env())
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let calls = proxy
        .calls()
        .iter()
        .map(|c| format!("{} {}", c.service, c.operation))
        .collect();
    (output.status.code(), stderr, calls)
}

#[test]
fn a_wrong_shard_index_or_a_missing_bucket_stops_before_the_audit() {
    let moto = organization();
    let export = format!("s3://{BUCKET}/run/shard-{{shard}}.json");
    let audit = [
        "audit", "--org", "--checks", CHECKS, "--shard", "env/3", "--export", &export,
    ];

    // A missing, unparsable, out-of-range or ambiguous index: exit 3 and no call at all.
    for (env, says) in [
        (vec![], "neither is set"),
        (
            vec![("JOB_COMPLETION_INDEX", "x")],
            "JOB_COMPLETION_INDEX is 'x'",
        ),
        (vec![("AWS_BATCH_JOB_ARRAY_INDEX", "3")], "out of range"),
        (
            vec![
                ("JOB_COMPLETION_INDEX", "0"),
                ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ],
            "different values",
        ),
    ] {
        let (code, stderr, calls) = refused(&moto, &env, &audit);
        assert_eq!(code, Some(3), "{env:?}: {stderr}");
        assert!(stderr.contains(says), "{env:?}: {stderr}");
        assert!(calls.is_empty(), "{env:?}: {calls:?}");
    }

    // `{shard}` in an unsharded run.
    let (code, stderr, calls) = refused(
        &moto,
        &[],
        &["audit", "--checks", CHECKS, "--export", &export],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("--export") && stderr.contains("{shard}"),
        "{stderr}"
    );
    assert!(calls.is_empty(), "{calls:?}");

    // A bucket that does not exist: the credentials are checked, then the bucket, and
    // nothing else is read.
    let (code, stderr, calls) = refused(
        &moto,
        &[("JOB_COMPLETION_INDEX", "0")],
        &[
            "audit",
            "--org",
            "--checks",
            CHECKS,
            "--shard",
            "env/3",
            "--export",
            "s3://no-such-evidence/run/shard-{shard}.json",
        ],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("no-such-evidence") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].starts_with("sts GetCallerIdentity"), "{calls:?}");
    assert!(
        calls[1].starts_with("s3 HEAD /no-such-evidence"),
        "{calls:?}"
    );
    // moto enforces no IAM, so a bucket the caller may not write is covered by the
    // error's wording in src/s3_evidence.rs, not here.

    // Nothing was written by any of the refused runs.
    assert!(keys(&moto).is_empty(), "{:?}", keys(&moto));
}
