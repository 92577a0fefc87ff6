//! Users' Rego policies end to end: the examples' own tests, the documented errors of
//! bad policies, and policies audited live on moto (with a waiver, a SARIF export and a
//! snapshot) giving findings like any built-in check's.

mod support;

use std::path::Path;

use support::{json_audit, orr, status_of, Moto, DEMO, REGION};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies");

#[test]
fn the_example_policies_pass_their_tests() {
    let output = orr().args(["policy", "test", EXAMPLES]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("7 policies; tests: 36 passed, 0 failed"),
        "{stdout}"
    );
    assert!(!stdout.contains("FAIL "), "{stdout}");
}

#[test]
fn a_failing_policy_test_exits_1_and_names_the_test() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    std::fs::write(
        dir.path().join("extra_test.rego"),
        "package org.extra_test\n\nimport data.org.backup_retention\n\ntest_expects_too_much if {\n\tcount(backup_retention.findings) == 1 with input as {\"rds\": {\"instances\": {\"ok\": []}}}\n}\n",
    )
    .unwrap();
    let output = orr()
        .args(["policy", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL") && stdout.contains("test_expects_too_much"),
        "{stdout}"
    );
}

#[test]
fn the_demo_audited_with_the_examples_reports_policy_findings() {
    let output = orr()
        .args([
            "audit",
            "--snapshot",
            DEMO,
            "--output",
            "json",
            "--policy",
            EXAMPLES,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let audit = json_audit(&output);
    expect_statuses(
        &audit,
        &[
            ("org.required_tags", "function:emails-consumer", "FAIL"),
            ("org.required_tags", "db:orders-db", "PASS"),
            ("org.backup_retention", "db:billing-mysql", "NA"),
            ("org.backup_retention", "db:orders-db", "PASS"),
            ("org.approved_regions", ":::acme-data-lake", "FAIL"),
            ("org.lambda_runtimes", "function:emails-consumer", "FAIL"),
            ("org.lambda_runtimes", "function:orders-consumer", "PASS"),
            ("org.instance_families", "instance/i-0legacyjump", "FAIL"),
            ("org.instance_families", "instance/i-0api1", "PASS"),
            ("org.rds_engine_versions", "db:billing-mysql", "FAIL"),
            ("org.rds_engine_versions", "db:orders-db", "PASS"),
            ("org.dynamodb_deletion_protection", "table/orders", "PASS"),
            ("org.dynamodb_deletion_protection", "table/sessions", "FAIL"),
        ],
    );
    assert_eq!(audit["catalog"]["org.backup_retention"]["severity"], "high");
    assert_eq!(
        audit["catalog"]["org.required_tags"]["permissions"],
        serde_json::json!([
            "lambda:ListFunctions",
            "rds:DescribeDBInstances",
            "s3:GetBucketLocation",
            "s3:ListAllMyBuckets",
            "tag:GetResources"
        ])
    );

    // A policy's permissions are in the least-privilege policy, its entry in the catalog.
    let iam = orr()
        .args([
            "iam-policy",
            "--checks",
            "org.required_tags",
            "--policy",
            EXAMPLES,
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8(iam.stdout)
        .unwrap()
        .contains("tag:GetResources"));
    let show = orr()
        .args([
            "checks",
            "show",
            "org.backup_retention",
            "--policy",
            EXAMPLES,
        ])
        .output()
        .unwrap();
    assert_eq!(show.status.code(), Some(0));
    assert!(String::from_utf8(show.stdout).unwrap().contains("tier=dev"));
}

/// Writes one policy, `bad`, whose rule and entry are the examples' backup retention
/// policy with `edit` applied, and audits the demo with it.
fn audit_with(edit: impl Fn(&str, &str) -> (String, String), config: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let rego = std::fs::read_to_string(Path::new(EXAMPLES).join("backup_retention.rego")).unwrap();
    let toml = std::fs::read_to_string(Path::new(EXAMPLES).join("backup_retention.toml")).unwrap();
    let (rego, toml) = edit(&rego, &toml);
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(policies.join("bad.rego"), rego).unwrap();
    std::fs::write(policies.join("bad.toml"), toml).unwrap();
    std::fs::write(dir.path().join("orr.toml"), config).unwrap();
    orr()
        .args([
            "audit",
            "--snapshot",
            DEMO,
            "--output",
            "json",
            "--checks",
            "org.backup_retention",
        ])
        .arg("--config")
        .arg(dir.path().join("orr.toml"))
        .arg("--policy")
        .arg(policies)
        .output()
        .unwrap()
}

/// Each (check, resource suffix, status) holds in the audit.
fn expect_statuses(audit: &serde_json::Value, expected: &[(&str, &str, &str)]) {
    for (check, resource, status) in expected {
        assert_eq!(
            status_of(audit, check, resource),
            *status,
            "{check} on {resource}"
        );
    }
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn bad_policies_are_refused_before_any_call_naming_the_fault() {
    let syntax = audit_with(
        |r, t| (r.replace("judged(db) if {", "judged(db) if {{"), t.into()),
        "",
    );
    assert_eq!(syntax.status.code(), Some(3));
    let message = stderr(&syntax);
    assert!(
        message.contains("bad.rego:") && message.lines().count() == 1,
        "{message}"
    );
    let location: Vec<&str> = message
        .split("bad.rego:")
        .nth(1)
        .unwrap()
        .splitn(3, ':')
        .collect();
    assert!(
        location[0].parse::<u32>().is_ok() && location[1].parse::<u32>().is_ok(),
        "{message}"
    );

    // The TOML edited: each refusal and the words that name its fault.
    for (from, to, names) in [
        (
            "\"tagging.resources\"",
            "\"tagging.resource\"",
            "did you mean tagging.resources?",
        ),
        ("org.backup_retention", "rds.backup_retention", "built-in"),
    ] {
        let refused = audit_with(|r, t| (r.into(), t.replace(from, to)), "");
        assert_eq!(refused.status.code(), Some(3));
        assert!(stderr(&refused).contains(names), "{}", stderr(&refused));
    }
}

#[test]
fn a_runaway_or_malformed_policy_is_that_checks_error() {
    let runaway = audit_with(
        |r, t| {
            let slow = "\tn := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); x := a * b])\n\tn > 0\n";
            (
                r.replacen("\tjudged(db)\n", &format!("\tjudged(db)\n{slow}"), 1),
                t.into(),
            )
        },
        "[policies]\ntimeout_secs = 1\n",
    );
    assert_eq!(runaway.status.code(), Some(1), "{}", stderr(&runaway));
    let audit = json_audit(&runaway);
    let us_east = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "org.backup_retention" && f["region"] == REGION)
        .unwrap();
    assert_eq!(us_east["status"], "ERROR");
    assert!(
        us_east["message"]
            .as_str()
            .unwrap()
            .contains("bad.rego failed"),
        "{us_east}"
    );

    let malformed = audit_with(
        |r, t| {
            (
                r.replace("\"status\": status(keeps)", "\"state\": status(keeps)"),
                t.into(),
            )
        },
        "",
    );
    let audit = json_audit(&malformed);
    let bad = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "org.backup_retention" && f["status"] == "ERROR")
        .expect("a malformed finding is an ERROR");
    let message = bad["message"].as_str().unwrap();
    assert!(
        message.contains("bad.rego") && message.contains("state"),
        "{message}"
    );
}

fn copy_examples(to: &Path) {
    for entry in std::fs::read_dir(EXAMPLES).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

/// An RDS instance keeping one day of backups, tagged with an owner only, and another
/// tagged tier=dev keeping none: what the examples judge.
/// Returns the id of the instance of a family no policy approves.
async fn seed(moto: &Moto) -> String {
    let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
    let tag = |key: &str, value: &str| {
        aws_sdk_rds::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
    };
    for (id, days, tags) in [
        ("ledger", 1, vec![tag("owner", "payments")]),
        (
            "sandbox",
            0,
            vec![
                tag("owner", "dev"),
                tag("cost-center", "cc-1"),
                tag("tier", "dev"),
            ],
        ),
    ] {
        rds.create_db_instance()
            .db_instance_identifier(id)
            .engine("postgres")
            .db_instance_class("db.t4g.micro")
            .allocated_storage(20)
            .master_username("app")
            .master_user_password("not-a-real-password-1")
            .backup_retention_period(days)
            .set_tags(Some(tags))
            .send()
            .await
            .unwrap();
    }
    // For the newer examples: a t2 instance (not an approved family), a function on
    // Node.js 16 (deprecated), a table without deletion protection.
    let sdk = moto.sdk_config().await;
    let run = aws_sdk_ec2::Client::new(&sdk)
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(aws_sdk_ec2::types::InstanceType::T2Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap();
    support::seed::function_on(&sdk, "legacy", aws_sdk_lambda::types::Runtime::Nodejs16x).await;
    support::seed::dynamodb_table(&sdk, "scratch", false).await;
    run.instances()[0].instance_id().unwrap().to_string()
}

#[test]
fn policies_audit_live_waive_export_and_replay_from_a_snapshot() {
    let moto = Moto::start();
    let old = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(seed(&moto));
    let instance = format!(":instance/{old}");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("orr.toml");
    std::fs::write(
        &config,
        "[[waivers]]\ncheck = \"org.required_tags\"\nresource = \"*:db:ledger\"\nreason = \"tagging lands in INC-88\"\napproved_by = \"jane\"\nexpires = 2099-01-01\n",
    )
    .unwrap();
    let sarif = dir.path().join("audit.sarif");
    let snapshot = dir.path().join("snapshot.json");
    let checks = "org.required_tags,org.backup_retention,rds.backup_retention,org.rds_engine_versions,org.lambda_runtimes,org.instance_families,org.dynamodb_deletion_protection";
    let live = orr()
        .envs(moto.env())
        .args([
            "audit", "--region", REGION, "--output", "json", "--checks", checks, "--policy",
            EXAMPLES,
        ])
        .arg("--config")
        .arg(&config)
        .arg("--export")
        .arg(&sarif)
        .output()
        .unwrap();
    let audit = json_audit(&live);
    // The built-in agrees with the policy where the policy has no exception; moto's
    // GetResources returns the RDS tags: ledger lacks cost-center (waived), sandbox has both.
    expect_statuses(
        &audit,
        &[
            ("org.backup_retention", ":db:ledger", "FAIL"),
            ("org.backup_retention", ":db:sandbox", "NA"),
            ("rds.backup_retention", ":db:ledger", "FAIL"),
            ("org.required_tags", ":db:ledger", "WAIVED"),
            ("org.required_tags", ":db:sandbox", "PASS"),
            // moto creates PostgreSQL 9.3.3 when no version is asked for: under 14.
            ("org.rds_engine_versions", ":db:ledger", "FAIL"),
            ("org.lambda_runtimes", ":function:legacy", "FAIL"),
            ("org.instance_families", &instance, "FAIL"),
            ("org.dynamodb_deletion_protection", ":table/scratch", "FAIL"),
        ],
    );

    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules.iter().any(|r| r["id"] == "org.backup_retention"),
        "{rules:?}"
    );
    let results = run["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "org.backup_retention"
            && r["locations"].to_string().contains(":db:ledger")),
        "{results:?}"
    );

    // Collected with the policies selected, the snapshot holds their pieces: the same
    // findings offline.
    let collect = orr()
        .envs(moto.env())
        .args([
            "collect", "--region", REGION, "--checks", checks, "--policy", EXAMPLES, "--out",
        ])
        .arg(&snapshot)
        .output()
        .unwrap();
    assert_eq!(collect.status.code(), Some(0), "{}", stderr(&collect));
    let offline = orr()
        .args([
            "audit",
            "--output",
            "json",
            "--checks",
            checks,
            "--policy",
            EXAMPLES,
            "--snapshot",
        ])
        .arg(&snapshot)
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    let replay = json_audit(&offline);
    for (check, resource) in [
        ("org.backup_retention", ":db:ledger"),
        ("org.backup_retention", ":db:sandbox"),
        ("org.required_tags", ":db:ledger"),
        ("org.required_tags", ":db:sandbox"),
    ] {
        assert_eq!(
            status_of(&replay, check, resource),
            status_of(&audit, check, resource)
        );
    }
}
