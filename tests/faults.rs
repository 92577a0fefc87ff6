//! orr on a bad day, through a fault-injection proxy in front of a seeded moto: the
//! same findings under throttling and 5xx as without, a broken service costing only its
//! own checks, a hung endpoint ending in time, and every call a read, made once.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::proxy::{Call, FaultProxy, Faults};
use support::{json_audit, orr, seed, Moto};

/// Check id and fingerprint to (status, message): what a run concluded.
type Findings = BTreeMap<(String, String), (String, String)>;

fn seeded_moto() -> Moto {
    let moto = Moto::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async { seed::whole_account(&moto.sdk_config().await).await });
    moto
}

/// The checks one of whose reads moto always answers with HTTP 500 (../shared/MOTO.md:
/// conformance packs, anomaly monitors, backup selections, serverless caches): each
/// would spend all eight attempts with full backoff in every run, for an ERROR either
/// way. Their isolation is covered by unit tests and the policy test.
const ALWAYS_500: &str = "[selection]\nexclude = [\"config.conformance_pack\", \"ce.anomaly_detection\", \"backup.plan_exists\", \"elasticache.at_rest_encryption\", \"elasticache.in_transit_encryption\", \"elasticache.auth\", \"elasticache.automatic_failover\"]\n";

/// A live audit of the seeded account through `proxy`, with extra flags.
fn audit(moto: &Moto, proxy: &FaultProxy, flags: &[&str]) -> (Option<i32>, Findings) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("orr.toml");
    std::fs::write(&config, ALWAYS_500).unwrap();
    let output = orr()
        .envs(moto.env())
        .arg("--config")
        .arg(&config)
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["audit", "--output", "json"])
        .args(flags)
        .output()
        .unwrap();
    let audit = json_audit(&output);
    let findings = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f: &Value| {
            (
                (
                    f["check_id"].as_str().unwrap().to_string(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                ),
                (
                    f["status"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    (output.status.code(), findings)
}

/// What differs between two runs, one line per finding. An ERROR's message names the
/// last failure of a read that never succeeded, which faults may change; its status
/// may not.
fn differences(clean: &Findings, faulted: &Findings) -> Vec<String> {
    let mut lines = Vec::new();
    for (key, expected) in clean {
        match faulted.get(key) {
            Some(found) if found == expected => {}
            Some(found) if found.0 == "ERROR" && expected.0 == "ERROR" => {}
            Some(found) => lines.push(format!("{key:?}: {expected:?} became {found:?}")),
            None => lines.push(format!("{key:?}: {expected:?} was lost")),
        }
    }
    for key in faulted.keys().filter(|k| !clean.contains_key(*k)) {
        lines.push(format!("{key:?}: appeared"));
    }
    lines
}

/// POST requests of REST services that only read (their SDK operation names).
const READING_POSTS: &[(&str, &str)] = &[
    ("guardduty", "/findings/get"),
    ("guardduty", "/findings"),
    ("securityhub", "/findings"),
    ("securityhub", "/standards/get"),
    // DescribeCanaries and DescribeCanariesLastRun (CreateCanary is POST /canary).
    ("synthetics", "/canaries"),
    ("synthetics", "/canaries/last-run"),
];

/// The evidence bucket the read-only test exports to: the one place orr may write.
const EVIDENCE_BUCKET: &str = "orr-evidence";

/// A write to the named evidence bucket (path-style on moto): the export's check (a
/// multipart upload started and aborted) and its PutObject.
fn is_evidence_write(call: &Call) -> bool {
    call.service == "s3"
        && call
            .operation
            .split_once(' ')
            .is_some_and(|(method, target)| {
                matches!(method, "PUT" | "POST" | "DELETE")
                    && target.starts_with(&format!("/{EVIDENCE_BUCKET}/"))
            })
}

fn is_read(call: &Call) -> bool {
    if call.operation.contains(' ') {
        // A REST protocol: the method says it, with a few reading POSTs.
        return matches!(call.method.as_str(), "GET" | "HEAD")
            || READING_POSTS.iter().any(|(service, suffix)| {
                call.service == *service && call.operation.ends_with(suffix)
            });
    }
    ["List", "Describe", "Get"]
        .iter()
        .any(|prefix| call.operation.starts_with(prefix))
        || call.operation == "GenerateCredentialReport"
}

#[test]
fn throttling_and_server_errors_do_not_change_a_single_finding() {
    let moto = seeded_moto();
    let clean_proxy = FaultProxy::start(&moto.endpoint, Faults::default());
    let (clean_code, clean) = audit(&moto, &clean_proxy, &[]);
    assert_eq!(clean_code, Some(1));
    assert!(clean.len() > 80, "{} findings", clean.len());
    // The proxy answers AWS Health as it answers an account without a Business plan.
    let health = clean
        .iter()
        .find(|((check, _), _)| check == "health.open_issues")
        .map(|(_, outcome)| outcome)
        .unwrap();
    assert_eq!(health.0, "NA", "{health:?}");
    assert!(health.1.contains("support plan"), "{health:?}");

    for seed in [1, 2, 3] {
        let proxy = FaultProxy::start(
            &moto.endpoint,
            Faults {
                seed,
                throttle: 0.20,
                server_error: 0.05,
                ..Faults::default()
            },
        );
        let (code, faulted) = audit(&moto, &proxy, &[]);
        let injected = proxy.calls().iter().filter(|c| c.fault.is_some()).count();
        assert!(injected > 20, "seed {seed}: only {injected} faults");
        assert_eq!(
            differences(&clean, &faulted),
            Vec::<String>::new(),
            "seed {seed}, {injected} faults"
        );
        assert_eq!(code, clean_code, "seed {seed}");
    }
}

/// Actions the seeded moto account cannot lead a run to: moto answers the read before
/// them with an error (GuardDuty ListFindings, Backup ListProtectedResources and
/// ListBackupSelections, Config DescribeConformancePacks, Synthetics DescribeCanaries in
/// a shape the SDK cannot read) or the seed has no such resource (Aurora cluster
/// parameter groups, a completed FIS experiment whose summary lacks its actions mode).
const UNREACHABLE_ON_MOTO: &[&str] = &[
    "guardduty:GetFindings",
    "rds:DescribeDBClusterParameters",
    "backup:ListBackupJobs",
    "backup:GetBackupSelection",
    "config:DescribeConformancePackStatus",
    "fis:GetExperiment",
    "synthetics:DescribeCanariesLastRun",
];

#[test]
fn a_full_audit_only_reads_once_each_and_the_policy_is_exactly_what_it_calls() {
    let moto = seeded_moto();
    // The real-world shapes lead to the reads the seeded account does not need (RBAC
    // user groups, Oracle option groups, SNS subscriptions' dead-letter queues).
    moto.seed_real_world_shapes();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        seed::s3(&moto.sdk_config().await)
            .create_bucket()
            .bucket(EVIDENCE_BUCKET)
            .send()
            .await
            .unwrap()
    });
    let proxy = FaultProxy::start(&moto.endpoint, Faults::default());
    let output = orr()
        .envs(moto.env())
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["audit", "--output", "none", "--max-attempts", "1"])
        .args(["--export", &format!("s3://{EVIDENCE_BUCKET}/audit.json")])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let calls = proxy.calls();

    let writes: Vec<_> = calls
        .iter()
        .filter(|c| !is_read(c) && !is_evidence_write(c))
        .collect();
    assert!(writes.is_empty(), "calls that are not reads: {writes:#?}");
    // The named bucket's writes: the check before the run, then the one PutObject.
    let evidence: Vec<String> = calls
        .iter()
        .filter(|c| is_evidence_write(c))
        .map(Call::iam_action)
        .collect();
    assert_eq!(
        evidence,
        ["s3:PutObject", "s3:AbortMultipartUpload", "s3:PutObject"],
        "{calls:#?}"
    );
    // One attempt each: a request seen twice in one region is a read made twice (the
    // account-wide sweeps send the same request to every enabled region). The
    // credential report is polled until ready, which is the one repeat allowed.
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for call in &calls {
        *seen.entry((&call.identity, &call.region)).or_default() += 1;
    }
    let repeated: Vec<_> = seen
        .iter()
        .filter(|((identity, _), n)| **n > 1 && !identity.contains("GetCredentialReport"))
        .collect();
    assert!(repeated.is_empty(), "made more than once: {repeated:#?}");

    let policy = orr()
        .args(["iam-policy", "--export-bucket", EVIDENCE_BUCKET])
        .output()
        .unwrap();
    assert_eq!(policy.status.code(), Some(0));
    let policy: Value = serde_json::from_slice(&policy.stdout).unwrap();
    let allowed: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|statement| statement["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    // The initiator of a multipart upload may abort it without s3:AbortMultipartUpload
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions).
    let used: BTreeSet<String> = calls
        .iter()
        .map(Call::iam_action)
        .filter(|action| action != "s3:AbortMultipartUpload")
        .collect();
    let missing: Vec<_> = used.difference(&allowed).collect();
    assert!(
        missing.is_empty(),
        "called but not in the policy: {missing:?}"
    );
    let unused: Vec<_> = allowed
        .difference(&used)
        .filter(|a| !UNREACHABLE_ON_MOTO.contains(&a.as_str()))
        // The evidence bucket's objects are read back by `orr merge`, not by an audit.
        .filter(|a| *a != "s3:GetObject")
        .collect();
    assert!(
        unused.is_empty(),
        "in the policy but never called: {unused:?}"
    );
}

#[test]
fn a_broken_service_costs_only_its_own_checks() {
    let moto = seeded_moto();
    let clean_proxy = FaultProxy::start(&moto.endpoint, Faults::default());
    let flags = ["--max-attempts", "2"];
    let (_, clean) = audit(&moto, &clean_proxy, &flags);
    let broken = FaultProxy::start(
        &moto.endpoint,
        Faults {
            broken_service: Some("iam".into()),
            reset: 0.05,
            seed: 7,
            ..Faults::default()
        },
    );
    let (code, faulted) = audit(&moto, &broken, &["--max-attempts", "4"]);
    assert_ne!(code, Some(0));
    let iam: Vec<_> = faulted
        .iter()
        .filter(|((check, _), _)| check.starts_with("iam."))
        .collect();
    assert!(!iam.is_empty());
    for ((check, _), (status, message)) in &iam {
        assert_eq!(status, "ERROR", "{check}: {message}");
        assert!(
            message.contains("iam "),
            "{check} names the failed call: {message}"
        );
    }
    // Every other check's findings are untouched: the same keys, the same statuses.
    let others = |findings: &Findings| -> BTreeMap<(String, String), String> {
        findings
            .iter()
            .filter(|((check, _), _)| !check.starts_with("iam."))
            .map(|(key, (status, _))| (key.clone(), status.clone()))
            .collect()
    };
    assert_eq!(others(&faulted), others(&clean));
    // And never a PASS where the truth is FAIL or ERROR.
    for (key, (status, _)) in &faulted {
        if clean.get(key).is_some_and(|(truth, _)| truth != "PASS") {
            assert_ne!(status, "PASS", "{key:?}");
        }
    }
}

#[test]
fn a_hung_endpoint_ends_in_time_naming_the_call() {
    let hung = FaultProxy::hanging();
    let started = Instant::now();
    let output = orr()
        .env("AWS_ENDPOINT_URL", &hung.endpoint)
        .args(["audit", "--call-timeout", "3", "--max-attempts", "2"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(3));
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("sts GetCallerIdentity") && stderr.contains("no answer in time"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn ctrl_c_stops_at_once_with_130_and_writes_nothing() {
    let hung = FaultProxy::hanging();
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("orr"))
        .envs(support::isolated_env())
        .env("AWS_ENDPOINT_URL", &hung.endpoint)
        .args(["audit", "--export"])
        .arg(dir.path().join("audit.json"))
        .arg("--export")
        .arg(dir.path().join("report.html"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Waiting on the credential check, which the hung endpoint never answers.
    std::thread::sleep(Duration::from_millis(1500));
    let signalled = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}
