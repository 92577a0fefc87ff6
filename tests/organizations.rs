//! Whole organizations on moto: a management account and three members with different
//! buckets, one of which refuses the audit role (through the fault proxy: moto assumes
//! any role). `--org`, `--accounts`, `--shard` + `orr merge` and one account at a time
//! must all give the same findings; an assumed-role audit; `--all-regions`.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::proxy::{FaultProxy, Faults};
use support::{audit_through, facts, json_audit, orr, seed, strings, Moto, ACCOUNT};

/// Bucket checks only: enough to tell the accounts apart, quick on moto.
const CHECKS: &str = "s3.bucket_encryption,s3.account_public_access_block";

struct Org {
    _moto: Moto,
    proxy: FaultProxy,
    prod: String,
    staging: String,
    refusing: String,
}

fn role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole")
}

fn organization() -> Org {
    let moto = Moto::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (prod, staging, refusing) = runtime.block_on(async {
        let sdk = moto.sdk_config().await;
        let ids = seed::organization(&sdk, &["prod", "staging", "sandbox"]).await;
        seed::mixed_buckets(&sdk, "mgmt", 1).await;
        seed::mixed_buckets(&seed::member(&sdk, &ids[0]).await, "prod", 3).await;
        seed::mixed_buckets(&seed::member(&sdk, &ids[1]).await, "staging", 2).await;
        (ids[0].clone(), ids[1].clone(), ids[2].clone())
    });
    let proxy = FaultProxy::start(
        &moto.endpoint,
        Faults {
            refuse_role: Some(role(&refusing)),
            ..Faults::default()
        },
    );
    Org {
        _moto: moto,
        proxy,
        prod,
        staging,
        refusing,
    }
}

impl Org {
    fn audit(&self, args: &[&str]) -> (Option<i32>, Value) {
        audit_through(&self.proxy, CHECKS, args)
    }
}

fn of_account(facts: &BTreeSet<String>, account: &str) -> BTreeSet<String> {
    let quoted = format!("\"{account}\" ");
    facts
        .iter()
        .filter(|f| f.starts_with(&quoted))
        .cloned()
        .collect()
}

fn account_ids(audit: &Value) -> Vec<String> {
    audit["run"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_organization_audits_as_its_accounts_do_alone_and_in_shards() {
    let org = organization();
    let (code, whole) = org.audit(&["--org"]);
    assert_eq!(code, Some(1), "an unreachable account is a critical ERROR");
    let mut expected = vec![
        ACCOUNT.to_string(),
        org.prod.clone(),
        org.staging.clone(),
        org.refusing.clone(),
    ];
    expected.sort();
    assert_eq!(account_ids(&whole), expected);
    let whole_facts = facts(&whole);

    // The refusing account: one ERROR naming the role and AWS's answer; nothing else.
    let refused = of_account(&whole_facts, &org.refusing);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    let line = refused.iter().next().unwrap();
    assert!(
        line.contains("account.access") && line.contains("\"ERROR\""),
        "{line}"
    );
    assert!(
        line.contains(&role(&org.refusing)) && line.contains("AccessDenied"),
        "{line}"
    );
    let record = &whole["run"]["accounts"].as_array().unwrap()
        [expected.iter().position(|id| *id == org.refusing).unwrap()];
    assert_eq!(record["status"], "unreachable");
    assert_eq!(
        whole["summary"]["by_account"][&org.refusing]["verdict"],
        "NO-GO"
    );
    assert!(
        whole["catalog"]["account.access"].is_object(),
        "the report can describe it"
    );

    // Different resources, told apart by account: prod's 3 buckets, staging's 2.
    let buckets = |account: &str| {
        of_account(&whole_facts, account)
            .iter()
            .filter(|f| f.contains("s3.bucket_encryption"))
            .count()
    };
    assert_eq!(
        (buckets(&org.prod), buckets(&org.staging), buckets(ACCOUNT)),
        (3, 2, 1)
    );

    // Each account alone: the management account with its own credentials, the
    // members through their role.
    let (_, own) = org.audit(&[]);
    assert_eq!(account_ids(&own), [ACCOUNT]);
    assert_eq!(facts(&own), of_account(&whole_facts, ACCOUNT));
    for member in [&org.prod, &org.staging] {
        let (code, alone) = org.audit(&["--role-arn", &role(member)]);
        assert!(matches!(code, Some(0..=2)), "{alone}");
        assert_eq!(alone["run"]["accounts"][0]["role_arn"], role(member));
        assert_eq!(facts(&alone), of_account(&whole_facts, member), "{member}");
    }

    // --accounts narrows the organization; --exclude-accounts leaves one out.
    let (_, two) = org.audit(&[
        "--org",
        "--accounts",
        &format!("{},{}", org.prod, org.staging),
    ]);
    let mut wanted = of_account(&whole_facts, &org.prod);
    wanted.extend(of_account(&whole_facts, &org.staging));
    assert_eq!(facts(&two), wanted);
    let (code, without) = org.audit(&["--org", "--exclude-accounts", &org.refusing]);
    assert_eq!(account_ids(&without).len(), 3);
    assert!(code != Some(3));

    // Three shards merged: the same findings, summaries and verdict as one run.
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for k in 1..=3 {
        let path = dir.path().join(format!("shard-{k}.json"));
        let (_, shard) = org.audit(&[
            "--org",
            "--shard",
            &format!("{k}/3"),
            "--export",
            path.to_str().unwrap(),
        ]);
        assert_eq!(shard["run"]["shard"]["index"], k);
        parts.push(path);
    }
    let merged = merge(&parts, &[]);
    assert_eq!(merged.0, Some(1));
    let merged = merged.1;
    assert_eq!(facts(&merged), whole_facts);
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(merged["verdict"], whole["verdict"]);
    assert_eq!(merged["verdict_reason"], whole["verdict_reason"]);
    assert_eq!(account_ids(&merged), expected);
    assert_eq!(merged["run"]["merged_from"].as_array().unwrap().len(), 3);

    // Overlapping shards and mixed selections are refused unless allowed.
    let (code, stderr) = merge_error(&[parts[0].clone(), parts[0].clone()], &[]);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("must not overlap") && stderr.contains("--allow-overlap"),
        "{stderr}"
    );
    assert_eq!(
        merge(&[parts[0].clone(), parts[0].clone()], &["--allow-overlap"]).1["findings"],
        { merge(&[parts[0].clone()], &[]).1["findings"].clone() }
    );
    let other = dir.path().join("other.json");
    org.audit(&[
        "--org",
        "--shard",
        "2/3",
        "--fail-on",
        "critical",
        "--export",
        other.to_str().unwrap(),
    ]);
    let (code, stderr) = merge_error(&[parts[0].clone(), other.clone()], &[]);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("--fail-on (high vs critical)") && stderr.contains("--allow-mixed"),
        "{stderr}"
    );
    assert_eq!(
        merge(&[parts[0].clone(), other], &["--allow-mixed"]).0,
        Some(1)
    );
}

fn merge_command(parts: &[std::path::PathBuf], flags: &[&str]) -> std::process::Output {
    orr()
        .arg("merge")
        .args(parts)
        .args(["--output", "json"])
        .args(flags)
        .output()
        .unwrap()
}

fn merge(parts: &[std::path::PathBuf], flags: &[&str]) -> (Option<i32>, Value) {
    let output = merge_command(parts, flags);
    (output.status.code(), json_audit(&output))
}

fn merge_error(parts: &[std::path::PathBuf], flags: &[&str]) -> (Option<i32>, String) {
    let output = merge_command(parts, flags);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    (output.status.code(), stderr)
}

#[test]
fn an_organization_snapshot_audits_like_the_live_organization() {
    let org = organization();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("org.json");
    let collected = orr()
        .env("AWS_ENDPOINT_URL", &org.proxy.endpoint)
        .args([
            "collect",
            "--org",
            "--checks",
            CHECKS,
            "--max-attempts",
            "2",
            "--out",
        ])
        .arg(&snapshot)
        .output()
        .unwrap();
    assert_eq!(
        collected.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&collected.stderr)
    );
    let (_, live) = org.audit(&["--org"]);
    let offline = orr()
        .args([
            "audit",
            "--snapshot",
            snapshot.to_str().unwrap(),
            "--checks",
            CHECKS,
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let offline = json_audit(&offline);
    assert_eq!(facts(&offline), facts(&live));
    assert_eq!(offline["summary"], live["summary"]);
    // A shard of a snapshot picks the same accounts as a shard of the organization.
    let shard = |source: &[&str]| {
        let output = orr()
            .env("AWS_ENDPOINT_URL", &org.proxy.endpoint)
            .args([
                "audit", "--checks", CHECKS, "--output", "json", "--shard", "2/2",
            ])
            .args(source)
            .output()
            .unwrap();
        account_ids(&json_audit(&output))
    };
    assert_eq!(
        shard(&["--snapshot", snapshot.to_str().unwrap()]),
        shard(&["--org", "--max-attempts", "2"])
    );
    assert!(Path::new(&snapshot).exists());
}

#[test]
fn all_regions_audits_the_enabled_regions_and_names_the_skipped_ones() {
    let moto = Moto::start();
    let output = orr()
        .envs(moto.env())
        .args([
            "audit",
            "--all-regions",
            "--checks",
            "ec2.ebs_default_encryption",
            "--max-attempts",
            "2",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let audit = json_audit(&output);
    let account = &audit["run"]["accounts"][0];
    let regions = strings(&account["regions"]);
    assert!(
        regions.contains(&"us-east-1") && regions.contains(&"eu-west-1"),
        "{regions:?}"
    );
    let skipped = strings(&account["skipped_regions"]);
    assert!(
        !skipped.is_empty() && skipped.iter().all(|s| s.contains("not enabled")),
        "{skipped:?}"
    );
    for note in &skipped {
        let region = note.split(':').next().unwrap();
        assert!(
            !regions.contains(&region),
            "{region} both audited and skipped"
        );
    }
    // One EBS-default-encryption verdict per audited region, none an ERROR for a disabled one.
    let findings = audit["findings"].as_array().unwrap();
    let audited: BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| f["region"].as_str())
        .collect();
    assert_eq!(audited.len(), regions.len());
    assert!(
        findings.iter().all(|f| f["status"] != "ERROR"),
        "{findings:#?}"
    );
}
