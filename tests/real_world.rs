//! The shapes production accounts have and the seeded account lacks, audited live on
//! moto end to end: each verdict is the one AWS's documentation gives the shape (see
//! `seed::real_world_shapes`). The audit runs in the debug build, where the SDK's
//! deserialization of Security Hub findings once overflowed the worker stack.

mod support;

use support::{finding_of, json_audit, orr, status_of as status, Moto};

#[test]
fn real_world_shapes_get_the_verdicts_aws_documents() {
    let moto = Moto::start();
    moto.seed_real_world_shapes();

    let output = orr()
        .envs(moto.env())
        // moto answers some reads with HTTP 500 every time (serverless caches, user
        // groups, conformance packs): two attempts reach the same ERROR.
        .args([
            "audit",
            "--output",
            "json",
            "--max-attempts",
            "2",
            "--region",
            "us-east-1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("overflow"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let audit = json_audit(&output);

    // Classic Load Balancers (the 2012 API) are judged in the load balancer checks.
    for (check, http, tls) in [
        ("elbv2.multi_az", "FAIL", "PASS"),
        ("elbv2.https_only", "FAIL", "PASS"),
        ("elbv2.access_logs", "FAIL", "PASS"),
        ("elbv2.deletion_protection", "NA", "NA"),
    ] {
        assert_eq!(
            [
                status(&audit, check, ":loadbalancer/orr-rw-clb-http"),
                status(&audit, check, ":loadbalancer/orr-rw-clb-tls"),
            ],
            [http, tls],
            "{check}"
        );
    }
    let plain = finding_of(&audit, "elbv2.https_only", ":loadbalancer/orr-rw-clb-http");
    assert!(
        plain["message"]
            .as_str()
            .unwrap()
            .contains("HTTP:80 not HTTPS or SSL"),
        "{plain:#}"
    );

    // Security Hub: this account's and this region's FAILED CRITICAL and HIGH only.
    let hub = finding_of(&audit, "securityhub.no_critical_failed", "hub/default");
    assert_eq!(hub["status"], "FAIL");
    assert_eq!(hub["evidence"]["total"], 2, "{hub:#}");

    // A bucket in a region not audited is still the account's bucket.
    let frankfurt = finding_of(&audit, "s3.bucket_encryption", ":::orr-rw-frankfurt");
    assert_eq!(frankfurt["status"], "FAIL");
    assert_eq!(frankfurt["region"], "eu-central-1");
    assert_eq!(
        status(
            &audit,
            "s3.bucket_public_access_block",
            ":::orr-rw-frankfurt"
        ),
        "FAIL"
    );

    // A prefix list that holds 0.0.0.0/0 is the internet.
    let ssh = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["check_id"] == "ec2.no_open_admin_ports" && f["evidence"]["name"] == "orr-rw-pl-ssh"
        })
        .expect("the prefix-list group is judged");
    assert_eq!(ssh["status"], "FAIL", "{ssh:#}");

    // Neptune answers through the RDS API but is not RDS's to judge.
    let findings = audit["findings"].as_array().unwrap();
    assert!(
        !findings
            .iter()
            .any(|f| f["resource_id"].as_str().unwrap().contains("orr-rw-graph")),
        "Neptune judged as RDS"
    );
    // A public Aurora cluster snapshot (DescribeDBClusterSnapshotAttributes restore=all).
    assert_eq!(
        status(
            &audit,
            "rds.no_public_snapshots",
            "cluster-snapshot:orr-rw-ledger-shared"
        ),
        "FAIL"
    );
    // A read replica's backups and availability are its source's.
    assert_eq!(
        status(&audit, "rds.backup_retention", "db:orr-rw-pg-replica"),
        "NA"
    );
    assert_eq!(status(&audit, "rds.multi_az", "db:orr-rw-pg-replica"), "NA");
    assert_eq!(
        status(&audit, "rds.backup_retention", "db:orr-rw-pg"),
        "PASS"
    );
    // MariaDB 11.8 forces TLS by default; Oracle through its option group.
    assert_eq!(
        status(&audit, "rds.force_ssl", "db:orr-rw-maria118"),
        "PASS"
    );
    assert_eq!(status(&audit, "rds.force_ssl", "db:orr-rw-oracle"), "PASS");

    // Service Auto Scaling does not apply to DAEMON services.
    assert_eq!(
        status(
            &audit,
            "ecs.service_autoscaling",
            "service/orr-rw-agents/log-agent"
        ),
        "NA"
    );

    // TLS in preferred mode still accepts plaintext.
    assert_eq!(
        status(
            &audit,
            "elasticache.in_transit_encryption",
            "replicationgroup:orr-rw-migrating"
        ),
        "FAIL"
    );
    // moto cannot describe user groups: the RBAC cache is unverified, never a PASS.
    assert_eq!(
        status(&audit, "elasticache.auth", "replicationgroup:orr-rw-rbac"),
        "ERROR"
    );

    // A budget of one service is not the account's budget.
    let budget = findings
        .iter()
        .find(|f| f["check_id"] == "budgets.monthly_budget")
        .unwrap();
    assert_eq!(budget["status"], "FAIL");
    assert!(
        budget["message"]
            .as_str()
            .unwrap()
            .contains("filtered on Service"),
        "{budget:#}"
    );

    // The event source mapping's maximum concurrency bounds the function.
    assert_eq!(
        status(
            &audit,
            "lambda.reserved_concurrency",
            "function:orr-rw-bounded"
        ),
        "PASS"
    );

    // Dead-letter queues of SNS and EventBridge are not queues missing a DLQ.
    assert_eq!(
        status(&audit, "sqs.dead_letter_queue", ":orr-rw-events-failures"),
        "NA"
    );
    assert_eq!(
        status(&audit, "sqs.dead_letter_queue", ":orr-rw-sns-failures"),
        "NA"
    );
    assert_eq!(
        status(&audit, "sqs.dead_letter_queue", ":orr-rw-orphan"),
        "FAIL"
    );
    assert_eq!(
        status(&audit, "sqs.dead_letter_queue", ":orr-rw-work"),
        "FAIL"
    );
}
