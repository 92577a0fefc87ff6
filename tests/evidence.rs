//! Sign-off evidence end to end: the audit JSON and SARIF against their schemas, JUnit
//! parsed back, byte-identical re-rendering, waivers, baseline, diff, and hostile
//! values escaped in every format.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{json_audit, orr, DEMO};

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every schema violation, one per line (empty when valid), formats (date-time)
/// included.
fn violations(schema: &Value, instance: &Value) -> String {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The published SARIF 2.1.0 schema, shipped unmodified. Its `language` patterns have
/// a bare `]` that ECMAScript reads as a literal and Rust's regex engines reject; they
/// are given here with that `]` escaped, which means the same.
fn sarif_schema() -> Value {
    const ECMASCRIPT_ONLY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    fn fix(value: &mut Value, fixed: &mut usize) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "pattern" && value == ECMASCRIPT_ONLY {
                        *value = Value::from(ECMASCRIPT_ONLY.replace("]?", "\\]?"));
                        *fixed += 1;
                    } else {
                        fix(value, fixed);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| fix(v, fixed)),
            _ => {}
        }
    }
    let mut schema = schema("sarif-2.1.0.json");
    let mut fixed = 0;
    fix(&mut schema, &mut fixed);
    assert!(fixed > 0, "the schema changed: review sarif_schema()");
    schema
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("orr.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn waiver(check: &str, resource: &str, expires: &str) -> String {
    format!(
        "[[waivers]]\ncheck = \"{check}\"\nresource = \"{resource}\"\nreason = \"migrating, INC-4312\"\napproved_by = \"jane.doe (security)\"\nexpires = {expires}\n\n"
    )
}

fn finding<'a>(audit: &'a Value, check: &str, resource_suffix: &str) -> &'a Value {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["check_id"] == check
                && f["resource_id"]
                    .as_str()
                    .unwrap()
                    .ends_with(resource_suffix)
        })
        .unwrap_or_else(|| panic!("no {check} finding on *{resource_suffix}"))
}

#[test]
fn the_audit_json_and_sarif_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    // Waivers and a baseline exercise the optional parts of the schema too.
    let config = write_config(
        dir.path(),
        &waiver("rds.storage_encrypted", "*billing-mysql*", "2099-12-31"),
    );
    let baseline = dir.path().join("baseline.json");
    orr()
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&baseline)
        .assert()
        .code(1);
    let (json, sarif) = (
        dir.path().join("audit.json"),
        dir.path().join("audit.sarif"),
    );
    orr()
        .arg("--config")
        .arg(&config)
        .args([
            "audit",
            "--snapshot",
            DEMO,
            "--output",
            "none",
            "--baseline",
        ])
        .arg(&baseline)
        .arg("--export")
        .arg(&json)
        .arg("--export")
        .arg(&sarif)
        .assert()
        .code(2);

    let audit = read_json(&json);
    let audit_schema = schema("audit.schema.json");
    assert_eq!(violations(&audit_schema, &audit), "");
    assert_eq!(violations(&audit_schema, &read_json(&baseline)), "");
    // The schema is strict enough to notice a finding without its fingerprint.
    let mut broken = audit.clone();
    broken["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("fingerprint");
    assert!(violations(&audit_schema, &broken).contains("fingerprint"));

    let sarif = read_json(&sarif);
    let sarif_schema = sarif_schema();
    assert_eq!(violations(&sarif_schema, &sarif), "");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        audit["run"]["checks"].as_array().unwrap().len(),
        "one rule per check"
    );
    let results = run["results"].as_array().unwrap();
    let problems = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["FAIL", "ERROR", "WAIVED"].contains(&f["status"].as_str().unwrap()))
        .count();
    assert_eq!(results.len(), problems);
    let waived = results
        .iter()
        .find(|r| r["ruleId"] == "rds.storage_encrypted")
        .unwrap();
    assert_eq!(waived["suppressions"][0]["status"], "accepted");
    assert_eq!(
        waived["partialFingerprints"]["orrFindingFingerprint/v1"],
        finding(&audit, "rds.storage_encrypted", ":db:billing-mysql")["fingerprint"]
    );
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("severe");
    assert!(!violations(&sarif_schema, &broken).is_empty());

    // The frameworks' ids travel with each check: SARIF rule tags, the JSON summary.
    let multi_az = rules.iter().find(|r| r["id"] == "rds.multi_az").unwrap();
    let tags = multi_az["properties"]["tags"].as_array().unwrap();
    assert!(
        tags.contains(&Value::from("Well-Architected REL10-BP01")),
        "{tags:?}"
    );
    assert!(
        tags.contains(&Value::from("ORR lens event_az_evacuation")),
        "{tags:?}"
    );
    let reliability = &audit["summary"]["by_pillar"]["Reliability"];
    assert!(reliability["FAIL"].as_u64().unwrap() > 0, "{reliability}");
    let counted: u64 = ["PASS", "FAIL", "ERROR", "WAIVED", "MANUAL", "NA"]
        .iter()
        .map(|s| reliability[s].as_u64().unwrap())
        .sum();
    let reliability_findings = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            audit["catalog"][f["check_id"].as_str().unwrap()]["compliance"]["well_architected"]
                .as_array()
                .unwrap()
                .iter()
                .any(|bp| bp.as_str().unwrap().starts_with("REL"))
        })
        .count() as u64;
    assert_eq!(counted, reliability_findings);
}

#[test]
fn a_saved_audit_renders_again_byte_for_byte_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let formats = [
        "json",
        "html",
        "sarif",
        "xml",
        "md",
        "txt",
        "asff.json",
        "ocsf.json",
    ];
    let mut first = orr();
    first.args(["audit", "--snapshot", DEMO, "--output", "none"]);
    for ext in formats {
        first
            .arg("--export")
            .arg(dir.path().join(format!("audit.{ext}")));
    }
    first.assert().code(1);
    let json = dir.path().join("audit.json");
    for round in ["again", "once-more"] {
        let mut again = orr();
        again.args(["report", "--from"]).arg(&json);
        for ext in formats {
            again
                .arg("--export")
                .arg(dir.path().join(format!("{round}.{ext}")));
        }
        again.assert().code(0).stdout("");
        for ext in formats {
            let original = std::fs::read(dir.path().join(format!("audit.{ext}"))).unwrap();
            let rendered = std::fs::read(dir.path().join(format!("{round}.{ext}"))).unwrap();
            assert!(
                original == rendered,
                "{round}.{ext} differs from audit.{ext}"
            );
        }
    }
    // The HTML names the SHA-256 of the JSON it came from.
    use sha2::Digest;
    let sha = sha2::Sha256::digest(std::fs::read(&json).unwrap());
    let sha: String = sha.iter().map(|b| format!("{b:02x}")).collect();
    let html = std::fs::read_to_string(dir.path().join("audit.html")).unwrap();
    assert!(html.contains(&sha), "the report names the audit's SHA-256");
    // Each check's detail carries its judgement table, escaped like everything else.
    assert!(
        html.contains("<ul class=\"judgement\">") && html.contains("<b class=\"v na\">NA</b>"),
        "the report shows each check's judgement"
    );

    // Rendering needs nothing but the JSON: stdout works too, in any format.
    let markdown = orr()
        .args(["report", "--output", "markdown", "--from"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(markdown.status.code(), Some(0));
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains("NO-GO") && markdown.contains("| security |"),
        "{markdown}"
    );
}

/// The ASFF export against the BatchImportFindings input shape of the Security Hub API
/// model botocore ships (the model the AWS CLI validates `batch-import-findings` with),
/// in batches of 100 as the API takes them; the OCSF export against the Detection
/// Finding schema.
#[test]
fn asff_and_ocsf_exports_match_their_published_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let (asff, ocsf) = (
        dir.path().join("findings.asff.json"),
        dir.path().join("findings.ocsf.json"),
    );
    orr()
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&asff)
        .arg("--export")
        .arg(&ocsf)
        .assert()
        .code(1);
    let audit = json_audit(
        &orr()
            .args(["audit", "--snapshot", DEMO, "--output", "json"])
            .output()
            .unwrap(),
    );
    let exported = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["PASS", "FAIL", "ERROR", "WAIVED"].contains(&f["status"].as_str().unwrap()))
        .count();

    let findings = read_json(&asff);
    assert_eq!(findings.as_array().unwrap().len(), exported);
    let validate = r#"
import json, sys
import botocore.session
from botocore.validate import ParamValidator
model = botocore.session.get_session().get_service_model("securityhub")
shape = model.operation_model("BatchImportFindings").input_shape
findings = json.load(open(sys.argv[1]))
errors = []
for start in range(0, len(findings), 100):
    report = ParamValidator().validate({"Findings": findings[start:start + 100]}, shape)
    if report.has_errors():
        errors.append(report.generate_report())
for f in findings:
    for key, limit in (("Title", 256), ("Description", 1024)):
        if len(f[key]) > limit:
            errors.append(f"{f['Id']}: {key} longer than {limit}")
print(chr(10).join(errors))
sys.exit(1 if errors else 0)
"#;
    let checked = std::process::Command::new("python3")
        .args(["-c", validate])
        .arg(&asff)
        .output()
        .expect("python3 with botocore (installed with moto) validates ASFF");
    assert!(
        checked.status.success(),
        "ASFF does not match BatchImportFindings: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    let failed = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ProductFields"]["orr/Status"] == "FAIL")
        .unwrap();
    assert_eq!(failed["Compliance"]["Status"], "FAILED");
    assert_eq!(failed["AwsAccountId"], "210987654321");

    let events = read_json(&ocsf);
    assert_eq!(events.as_array().unwrap().len(), exported);
    let problems = violations(&schema("ocsf-1.3.0-detection-finding.schema.json"), &events);
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn junit_parses_back_with_one_case_per_check_and_resource() {
    let dir = tempfile::tempdir().unwrap();
    let (json, xml) = (dir.path().join("a.json"), dir.path().join("a.xml"));
    orr()
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&json)
        .arg("--export")
        .arg(&xml)
        .assert()
        .code(1);
    let audit = read_json(&json);
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let findings = audit["findings"].as_array().unwrap();
    let count = |status: &str| findings.iter().filter(|f| f["status"] == status).count();
    let attr = |name: &str| root.attribute(name).unwrap().parse::<usize>().unwrap();
    assert_eq!(attr("tests"), findings.len());
    assert_eq!(attr("failures"), count("FAIL"));
    assert_eq!(attr("errors"), count("ERROR"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(
        suites.len(),
        audit["run"]["checks"].as_array().unwrap().len()
    );
    let failure = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .find(|n| {
            n.attribute("classname") == Some("rds.storage_encrypted")
                && n.attribute("name").unwrap().contains("billing-mysql")
        })
        .expect("a test case for the unencrypted database");
    let failed = failure
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failed
        .attribute("message")
        .unwrap()
        .contains("not encrypted"));
}

#[test]
fn waivers_apply_expire_and_say_when_they_match_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &[
            waiver("rds.storage_encrypted", "*billing-mysql*", "2099-12-31"),
            waiver("rds.not_public", "*billing-mysql*", "2020-01-31"),
            waiver("kms.rotation", "*no-such-key*", "2099-12-31"),
            waiver("s3.bucket_tls_only", "*", "2099-12-31"),
        ]
        .concat(),
    );
    let output = orr()
        .arg("--config")
        .arg(&config)
        .args([
            "audit",
            "--snapshot",
            DEMO,
            "--checks",
            "rds.storage_encrypted,rds.not_public,kms.rotation",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    // The expired waiver leaves billing-mysql's public access a critical FAIL.
    assert_eq!(output.status.code(), Some(1));
    let audit = json_audit(&output);
    let waived = finding(&audit, "rds.storage_encrypted", ":db:billing-mysql");
    assert_eq!(waived["status"], "WAIVED");
    assert_eq!(waived["waiver"]["original_status"], "FAIL");
    assert_eq!(waived["waiver"]["approved_by"], "jane.doe (security)");
    assert_eq!(waived["waiver"]["expires"], "2099-12-31");
    assert_eq!(
        finding(&audit, "rds.not_public", ":db:billing-mysql")["status"],
        "FAIL"
    );
    let states: Vec<&str> = audit["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["applied", "expired", "unmatched", "not_run"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("waivers[1] (rds.not_public on *billing-mysql*) expired on 2020-01-31"),
        "{stderr}"
    );
    assert!(
        stderr.contains("waivers[2] (kms.rotation on *no-such-key*) matches no FAIL or ERROR"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("waivers[3]"),
        "a waiver of a check that did not run is not stale: {stderr}"
    );

    // A waived FAIL no longer blocks, and the table says by whom and until when.
    let one = write_config(
        dir.path(),
        &waiver("rds.storage_encrypted", "*billing-mysql*", "2099-12-31"),
    );
    let table = orr()
        .arg("--config")
        .arg(&one)
        .args([
            "audit",
            "--snapshot",
            DEMO,
            "--checks",
            "rds.storage_encrypted",
        ])
        .output()
        .unwrap();
    assert_eq!(
        table.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&table.stdout)
    );
    let stdout = String::from_utf8_lossy(&table.stdout);
    assert!(
        stdout.contains("WAIVED") && stdout.contains("waived until 2099-12-31 by jane.doe"),
        "{stdout}"
    );
    assert!(
        stdout.contains("GO: nothing failed or went unverified that is not waived (1 waived)"),
        "{stdout}"
    );
}

#[test]
fn an_expired_waiver_alone_makes_the_run_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &waiver("iam.root_mfa", "*", "2020-01-31"));
    let output = orr()
        .arg("--config")
        .arg(&config)
        .args(["audit", "--snapshot", DEMO, "--checks", "iam.root_mfa"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("WARN: 1 waiver expired"), "{stdout}");
    assert!(
        stdout.contains("warning: waivers[0] (iam.root_mfa on *) expired on 2020-01-31"),
        "{stdout}"
    );
}

#[test]
fn invalid_waivers_are_config_errors_naming_the_key() {
    // Each kind of mistake once through the binary (the config's unit tests cover the
    // rest): a missing key, a check the catalog does not know, a misspelt key.
    let dir = tempfile::tempdir().unwrap();
    let full = waiver("rds.storage_encrypted", "*billing*", "2027-03-31");
    for (text, expected) in [
        (
            full.replace("expires = 2027-03-31\n", ""),
            "waivers[0].expires is missing",
        ),
        (
            full.replace("rds.storage_encrypted", "rds.storage_encryption"),
            "waivers[0].check 'rds.storage_encryption' is not a check id",
        ),
        (full.replace("approved_by", "approver"), "approver"),
    ] {
        let config = write_config(dir.path(), &text);
        let output = orr()
            .arg("--config")
            .arg(&config)
            .args(["audit", "--snapshot", DEMO])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(3), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    }
}

#[test]
fn a_baseline_counts_only_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let security = ["audit", "--snapshot", DEMO, "--category", "security"];
    orr()
        .args(security)
        .args(["--output", "none", "--export"])
        .arg(&baseline)
        .assert()
        .code(1);
    // Nothing new since the baseline: the known failures are shown but do not count.
    let same = orr()
        .args(security)
        .args(["--output", "json", "--baseline"])
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let audit = json_audit(&same);
    assert_eq!(
        audit["verdict_reason"],
        "nothing new failed or went unverified since the baseline"
    );
    assert_eq!(
        finding(&audit, "rds.storage_encrypted", ":db:billing-mysql")["baseline"],
        "existing"
    );

    // Drop one failure from the baseline: now it is new, and it is critical.
    let mut old = read_json(&baseline);
    let findings = old["findings"].as_array_mut().unwrap();
    findings.retain(|f| !(f["check_id"] == "rds.storage_encrypted" && f["status"] == "FAIL"));
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string(&old).unwrap()).unwrap();
    let new = orr()
        .args(security)
        .args(["--output", "json", "--baseline"])
        .arg(&edited)
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(1));
    let audit = json_audit(&new);
    assert_eq!(
        finding(&audit, "rds.storage_encrypted", ":db:billing-mysql")["baseline"],
        "new"
    );
    assert!(
        audit["verdict_reason"]
            .as_str()
            .unwrap()
            .starts_with("1 new finding"),
        "{}",
        audit["verdict_reason"]
    );
    let table = orr()
        .args(security)
        .arg("--baseline")
        .arg(&edited)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("FAIL (new)"));

    // A baseline that is not an audit is refused before anything runs.
    let refused = orr()
        .args(security)
        .args(["--baseline", DEMO])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not an orr audit"));
}

#[test]
fn diff_lists_new_fixed_still_failing_and_changed_severity() {
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.json");
    orr()
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&old_path)
        .assert()
        .code(1);
    let old = read_json(&old_path);
    // The next run: one bucket fixed, one new critical failure, one severity raised.
    let mut new = old.clone();
    for f in new["findings"].as_array_mut().unwrap() {
        let resource = f["resource_id"].as_str().unwrap().to_string();
        match (f["check_id"].as_str().unwrap(), resource.as_str()) {
            ("s3.bucket_encryption", "arn:aws:s3:::acme-legacy-exports") => {
                f["status"] = "PASS".into()
            }
            ("s3.bucket_encryption", "arn:aws:s3:::acme-data-lake") => {
                f["status"] = "FAIL".into();
                f["severity"] = "critical".into();
            }
            _ => {}
        }
    }
    let new_path = dir.path().join("new.json");
    std::fs::write(&new_path, serde_json::to_string_pretty(&new).unwrap()).unwrap();

    let output = orr()
        .args(["diff", "--output", "json"])
        .arg(&old_path)
        .arg(&new_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "a new critical failure");
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    let resources = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["resource_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(resources("new_failures"), ["arn:aws:s3:::acme-data-lake"]);
    assert_eq!(resources("fixed"), ["arn:aws:s3:::acme-legacy-exports"]);
    assert_eq!(
        resources("severity_changed"),
        ["arn:aws:s3:::acme-data-lake"]
    );
    let still = diff["still_failing"].as_array().unwrap().len();
    let old_problems = old["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL" || f["status"] == "ERROR")
        .count();
    assert_eq!(still, old_problems - 1);

    // The table says the same; at --fail-on critical the new critical failure still blocks.
    let table = orr()
        .args(["diff", "--fail-on", "critical"])
        .arg(&old_path)
        .arg(&new_path)
        .output()
        .unwrap();
    assert_eq!(
        table.status.code(),
        Some(1),
        "critical is at or above critical"
    );
    let stdout = String::from_utf8_lossy(&table.stdout);
    assert!(
        stdout.contains("New failures: 1") && stdout.contains("Fixed: 1"),
        "{stdout}"
    );
    let unchanged = orr()
        .args(["diff"])
        .arg(&old_path)
        .arg(&old_path)
        .output()
        .unwrap();
    assert_eq!(unchanged.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&unchanged.stdout).contains("New failures: 0"));
    orr()
        .args(["diff"])
        .arg(&old_path)
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(3);
}

#[test]
fn hostile_resource_names_stay_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "acme-<script>alert(1)</script>|`x`\\u001b]0;pwned\\u0007\\u202e";
    let snapshot = std::fs::read_to_string(DEMO)
        .unwrap()
        .replace("acme-legacy-exports", hostile);
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, snapshot).unwrap();
    let mut command = orr();
    command.args(["audit", "--snapshot"]).arg(&path);
    for ext in ["html", "md", "xml", "sarif", "json"] {
        command
            .arg("--export")
            .arg(dir.path().join(format!("out.{ext}")));
    }
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}') && !stdout.contains('\u{202e}')
    );
    assert!(
        stdout.contains("\\u{1b}]0;pwned"),
        "shown, not obeyed: {stdout}"
    );

    let html = std::fs::read_to_string(dir.path().join("out.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "raw markup in the HTML");
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the report's own filter script"
    );

    let markdown = std::fs::read_to_string(dir.path().join("out.md")).unwrap();
    assert!(!markdown.contains("<script>") && !markdown.contains('\u{1b}'));
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    roxmltree::Document::parse(&xml).expect("the JUnit XML stays well-formed");
    for ext in ["sarif", "json"] {
        read_json(&dir.path().join(format!("out.{ext}")));
    }
}

/// A file system of 32 KiB, mounted for the test (CI runs as root) and unmounted after.
struct TinyDisk(tempfile::TempDir);

impl TinyDisk {
    fn mount() -> TinyDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=32k", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "cannot mount a tmpfs: run the tests as root (CI does)"
        );
        TinyDisk(dir)
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_loses_nothing_but_the_file_that_did_not_fit() {
    let disk = TinyDisk::mount();
    let (report, summary) = (
        disk.0.path().join("report.html"),
        disk.0.path().join("summary.md"),
    );
    let output = orr()
        .args(["audit", "--snapshot", DEMO, "--export"])
        .arg(&report)
        .arg("--export")
        .arg(&summary)
        .output()
        .unwrap();
    // The table is printed, the small export is written, the big one is not (and no
    // part of it is left), the audit is kept elsewhere, and the exit code says so.
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("NO-GO:"), "{stdout}");
    assert!(summary.exists() && !report.exists());
    let names: Vec<String> = std::fs::read_dir(disk.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["summary.md"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot write {}: No space left on device",
            report.display()
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".partial"),
        "names the temporary file: {stderr}"
    );
    let kept = stderr
        .split("the audit is kept in ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .expect("says where the audit is kept");
    let again = orr().args(["report", "--from", kept]).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    std::fs::remove_file(kept).unwrap();
}

#[test]
fn the_html_report_has_a_well_architected_view_and_the_orr_lens_questions() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    orr()
        .args(["audit", "--snapshot", DEMO, "--output", "none", "--export"])
        .arg(&html)
        .assert()
        .code(1);
    let page = std::fs::read_to_string(&html).unwrap();
    let section = |id: &str| {
        let start = page.find(&format!("<table id=\"{id}\">")).unwrap();
        let end = start + page[start..].find("</table>").unwrap();
        page[start..end].to_string()
    };
    let wa = section("well-architected");
    let row = wa
        .split("<tr>")
        .find(|row| row.contains("REL10-BP01"))
        .expect("a row for REL10-BP01");
    assert!(row.contains("Reliability"), "{row}");
    // The demo's single-zone NLB fails elbv2.multi_az, and it says so in the row.
    assert!(
        row.contains("FAIL</span> <a href=\"#check-elbv2.multi_az\""),
        "{row}"
    );
    let lens = section("orr-lens");
    assert!(
        lens.contains("data-answered=\"false\""),
        "unanswered questions are listed"
    );
    let signoff = lens
        .split("<tr ")
        .find(|row| row.contains("readiness_signoff"))
        .unwrap();
    assert!(signoff.contains("manual.stakeholder_signoff"), "{signoff}");
}
