//! S3 directory buckets end to end. moto 5.2.1 has no ListDirectoryBuckets: it answers
//! the request with its ListBuckets answer (the general purpose buckets), so the tests'
//! proxy answers it as AWS documents, with the directory buckets a test gives.

mod support;

use support::proxy::{directory_buckets_xml, Answer, FaultProxy, Faults};
use support::{finding_of, json_audit, orr, seed, Moto, ACCOUNT, REGION};

const CHECKS: &str =
    "s3.bucket_public_access_block,s3.bucket_encryption,s3.bucket_tls_only,s3.storage_tiering";
const GENERAL: &str = "orr-general-purpose";
const DIRECTORY: &str = "orr-hot--use1-az4--x-s3";

fn moto_with_a_general_purpose_bucket() -> Moto {
    let moto = Moto::start();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        seed::s3(&moto.sdk_config().await)
            .create_bucket()
            .bucket(GENERAL)
            .send()
            .await
            .unwrap();
    });
    moto
}

fn audit(moto: &Moto, endpoint: &str) -> serde_json::Value {
    let output = orr()
        .envs(moto.env())
        .env("AWS_ENDPOINT_URL", endpoint)
        .args(["audit", "--output", "json", "--max-attempts", "2"])
        .args(["--region", REGION, "--checks", CHECKS])
        .output()
        .unwrap();
    json_audit(&output)
}

fn findings_on<'a>(audit: &'a serde_json::Value, suffix: &str) -> Vec<&'a serde_json::Value> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource_id"].as_str().unwrap().ends_with(suffix))
        .collect()
}

#[test]
fn directory_buckets_are_listed_in_their_region_and_judged_as_aws_fixes_them() {
    let moto = moto_with_a_general_purpose_bucket();
    let proxy = FaultProxy::start(
        &moto.endpoint,
        Faults {
            answers: vec![Answer::xml(
                ACCOUNT,
                "s3express",
                "ListDirectoryBuckets",
                &directory_buckets_xml(&[(DIRECTORY, REGION)]),
            )],
            ..Faults::default()
        },
    );
    let audit = audit(&moto, &proxy.endpoint);
    let arn = format!("arn:aws:s3express:{REGION}:{ACCOUNT}:bucket/{DIRECTORY}");
    for (check, status) in [
        ("s3.bucket_public_access_block", "PASS"),
        ("s3.bucket_encryption", "PASS"),
        ("s3.bucket_tls_only", "PASS"),
        ("s3.storage_tiering", "NA"),
    ] {
        let found = finding_of(&audit, check, DIRECTORY);
        assert_eq!(found["status"], status, "{found:#}");
        assert_eq!(found["resource_id"], arn.as_str());
        assert_eq!(found["region"], REGION);
        assert!(
            found["message"]
                .as_str()
                .unwrap()
                .starts_with("directory bucket in zone use1-az4: "),
            "{found:#}"
        );
    }
    // One ListDirectoryBuckets for the audited region, whatever the checks reading it.
    let listings: Vec<_> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "s3express")
        .collect();
    assert_eq!(listings.len(), 1, "{listings:#?}");
    assert_eq!(
        listings[0].iam_action(),
        "s3express:ListAllMyDirectoryBuckets"
    );
    assert_eq!(listings[0].region, REGION);

    let shown = orr()
        .envs(moto.env())
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args([
            "inventory",
            "show",
            "s3.directory_buckets",
            "--region",
            REGION,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(
        shown.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(text.contains(DIRECTORY) && text.contains(&arn), "{text}");
}

/// moto answers ListDirectoryBuckets with the general purpose buckets: none of them is
/// a directory bucket, and each is judged once, as a general purpose bucket.
#[test]
fn general_purpose_buckets_are_never_counted_as_directory_buckets() {
    let moto = moto_with_a_general_purpose_bucket();
    let audit = audit(&moto, &moto.endpoint);
    let findings = audit["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(
            |f| !f["resource_id"].as_str().unwrap().contains("s3express") && f["status"] != "ERROR"
        ),
        "{findings:#?}"
    );
    assert_eq!(findings_on(&audit, &format!(":::{GENERAL}")).len(), 4);
}
