//! Every kind of bad input a new or hostile user gives, end to end: flags, config,
//! snapshots, exports, saved audits, credentials and endpoints. Each exits 3 before
//! any AWS call, with one line that says what is wrong and what to do, never a panic.

mod support;

use std::path::Path;

use support::{orr, DEMO};

/// Files the cases point at, made in `dir`.
fn fixtures(dir: &Path) {
    let demo = std::fs::read_to_string(DEMO).unwrap();
    let files: &[(&str, String)] = &[
        ("typo.toml", "fail_on = \"high\"\n[thresholds.iam]\npasword_min_length = 8\n".into()),
        ("huge.toml", "concurrency = 9223372036854775807\n".into()),
        ("zero.toml", "concurrency = 0\n".into()),
        ("timeout0.toml", "check_timeout_secs = 0\n".into()),
        ("negative.toml", "[thresholds.iam]\naccess_key_max_age_days = -1\n".into()),
        ("attest.toml", "[[attestations]]\nitem = \"manual.yoga\"\nby = \"jane\"\ndate = 2026-11-20\n".into()),
        ("waiver.toml", "[[waivers]]\ncheck = \"rds.multi_az\"\nresource = \"*\"\nreason = \"r\"\napproved_by = \"a\"\n".into()),
        ("severity.toml", "[severity]\n\"x.y\" = \"high\"\n".into()),
        ("broken.toml", "[[[".into()),
        ("not-snapshot.json", "{\"findings\": []}".into()),
        ("future-schema.json", "{\"format\": \"orr-snapshot\", \"schema_version\": 99}".into()),
        ("array.json", "[1, 2]".into()),
        ("not-json.json", "hello".into()),
        ("twice.json", demo.replacen("\"eu-west-1\"\n", "\"us-east-1\"\n", 1)),
        ("unknown-region.json", demo.replacen("\"eu-west-1\"\n", "\"mars-north-1\"\n", 1)),
        ("year-9999.json", demo.replacen("2026-11-20T09:30:00Z", "9999-01-01T00:00:00Z", 1)),
        ("old-audit.json", "{\"schema_version\": 1, \"findings\": []}".into()),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    std::fs::write(dir.join("binary.json"), [0xff, 0xfe, 0x00, 0x01]).unwrap();
    std::fs::create_dir(dir.join("folder.json")).unwrap();
}

#[test]
fn bad_input_exits_3_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    fixtures(dir.path());
    let d = dir.path().display().to_string();
    let d2 = d.clone();
    let snap = move |extra: &[&str]| {
        let mut args = vec!["audit", "--snapshot", DEMO];
        args.extend_from_slice(extra);
        args.into_iter()
            .map(|a| a.replace("{d}", &d2))
            .collect::<Vec<_>>()
    };
    let args = |list: &[&str]| {
        list.iter()
            .map(|a| a.replace("{d}", &d))
            .collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        // Flags
        (args(&["audit", "--frobnicate"]), "--frobnicate"),
        (snap(&["--checks", "s3.nope"]), "unknown check id 's3.nope'"),
        (
            args(&["audit", "--region", "us-eats-1"]),
            "did you mean us-east-1",
        ),
        (snap(&["--region", "ap-south-1"]), "not in snapshot"),
        (args(&["audit", "--fail-on", "severe"]), "severe"),
        (args(&["audit", "--category", "speed"]), "speed"),
        (snap(&["--service", "nosuch"]), "unknown service 'nosuch'"),
        (snap(&["--check-timeout", "0"]), "--check-timeout"),
        (args(&["audit", "--concurrency", "0"]), "--concurrency"),
        (args(&["audit", "--concurrency", "99999"]), "--concurrency"),
        (args(&["audit", "--max-attempts", "0"]), "--max-attempts"),
        (args(&["audit", "--call-timeout", "0"]), "--call-timeout"),
        (args(&["audit", "--retry-mode", "wild"]), "wild"),
        (args(&["audit", "--output", "pdf"]), "pdf"),
        (
            snap(&["--profile", "prod"]),
            "--profile cannot be used with --snapshot",
        ),
        (
            snap(&["--endpoint-url", "http://127.0.0.1:9"]),
            "--endpoint-url cannot be used with --snapshot",
        ),
        (
            snap(&["--concurrency", "4"]),
            "--concurrency cannot be used with --snapshot",
        ),
        (
            args(&["audit", "--endpoint-url", "not a url"]),
            "--endpoint-url 'not a url' is not a URL",
        ),
        (
            args(&["audit", "--endpoint-url", "ftp://example"]),
            "without an http(s) host",
        ),
        (args(&["diff", "only-one.json"]), "required"),
        (args(&["report"]), "--from"),
        (
            args(&["checks", "show", "rds.force_tls"]),
            "unknown check id",
        ),
        // Config
        (args(&["--config", "{d}/typo.toml", "audit"]), "line 3"),
        (
            args(&["--config", "{d}/huge.toml", "audit"]),
            "concurrency = 9223372036854775807 is out of range",
        ),
        (
            args(&["--config", "{d}/zero.toml", "audit"]),
            "concurrency = 0 is out of range",
        ),
        (
            args(&["--config", "{d}/timeout0.toml", "audit"]),
            "check_timeout_secs = 0",
        ),
        (
            args(&["--config", "{d}/negative.toml", "audit"]),
            "access_key_max_age_days = -1 is negative",
        ),
        (
            args(&["--config", "{d}/attest.toml", "audit"]),
            "attestations[0].item 'manual.yoga'",
        ),
        (
            args(&["--config", "{d}/waiver.toml", "audit"]),
            "waivers[0].expires is missing",
        ),
        (
            args(&["--config", "{d}/severity.toml", "audit"]),
            "unknown check id 'x.y' in [severity]",
        ),
        (
            args(&["--config", "{d}/broken.toml", "checks", "list"]),
            "invalid config",
        ),
        (
            args(&["--config", "{d}/none.toml", "audit"]),
            "cannot read config",
        ),
        // Snapshots
        (
            args(&["audit", "--snapshot", "{d}/not-snapshot.json"]),
            "not an orr snapshot",
        ),
        (
            args(&["audit", "--snapshot", "{d}/future-schema.json"]),
            "schema_version 99",
        ),
        (
            args(&["audit", "--snapshot", "{d}/missing.json"]),
            "cannot read snapshot",
        ),
        (
            args(&["audit", "--snapshot", "{d}/folder.json"]),
            "cannot read snapshot",
        ),
        (
            args(&["audit", "--snapshot", "{d}/array.json"]),
            "a JSON array, not an object",
        ),
        (
            args(&["audit", "--snapshot", "{d}/not-json.json"]),
            "not JSON",
        ),
        (
            args(&["audit", "--snapshot", "{d}/binary.json"]),
            "not UTF-8",
        ),
        (
            args(&["audit", "--snapshot", "{d}/twice.json"]),
            "listed twice",
        ),
        (
            args(&["audit", "--snapshot", "{d}/unknown-region.json"]),
            "unknown AWS region 'mars-north-1'",
        ),
        (
            args(&["audit", "--snapshot", "{d}/year-9999.json"]),
            "in the future",
        ),
        // Exports and outputs, found before any work
        (snap(&["--export", "x.pdf"]), "supported extensions"),
        (
            snap(&["--export", "/proc/x.json"]),
            "cannot write /proc/x.json",
        ),
        (snap(&["--export", "{d}/folder.json"]), "it is a folder"),
        (
            snap(&["--export", "/no/such/folder/a.json"]),
            "does not exist",
        ),
        (
            args(&["collect", "--out", "/no/such/folder/s.json"]),
            "does not exist",
        ),
        // Saved audits
        (args(&["report", "--from", DEMO]), "not an orr audit"),
        (
            args(&["report", "--from", "{d}/missing.json"]),
            "cannot read audit",
        ),
        (
            args(&["report", "--from", "{d}/old-audit.json"]),
            "schema 1; this orr reads schemas 2 to 3",
        ),
        (
            args(&["diff", "{d}/old-audit.json", "{d}/missing.json"]),
            "schema 1",
        ),
        (snap(&["--baseline", "{d}/not-json.json"]), "is not JSON"),
        // Credentials: a named profile that does not exist is not silently the
        // environment's account.
        (
            args(&["audit", "--profile", "no-such-profile"]),
            "no-such-profile",
        ),
    ];
    assert!(cases.len() >= 40);
    for (args, expected) in cases {
        let output = orr().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{args:?}: expected '{expected}' in: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}: printed on stdout");
        // clap's usage errors come with a usage block; every other error is one line.
        if !stderr.starts_with("error:") {
            assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        }
    }
}

/// What a newcomer's shell may hold: settings aws-config would panic on or turn into a
/// page-long error, a huge argument echoed back, a narrow terminal.
#[test]
fn hostile_environment_and_huge_arguments_get_one_short_line() {
    for (name, value, said) in [
        ("AWS_MAX_ATTEMPTS", "abc", "AWS_MAX_ATTEMPTS is 'abc'"),
        ("AWS_RETRY_MODE", "wild", "AWS_RETRY_MODE is 'wild'"),
        ("AWS_REGION", "", "AWS_REGION is set but empty"),
    ] {
        let output = orr().env(name, value).args(["audit"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{name}={value}: {stderr}");
        assert!(stderr.contains(said), "{name}={value}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.len() < 300, "{} characters: {stderr}", stderr.len());
    }

    let huge = "x".repeat(100_000);
    for args in [
        vec!["audit", "--snapshot", DEMO, "--checks", huge.as_str()],
        vec!["audit", "--region", huge.as_str()],
        vec!["checks", "show", huge.as_str()],
    ] {
        let output = orr().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{stderr:.300}");
        assert!(
            stderr.len() < 1_000,
            "{} characters echoed: {stderr:.300}",
            stderr.len()
        );
    }
}

/// At 80 columns every line of the table view fits, the verdict's prose included.
#[test]
fn every_line_fits_a_narrow_terminal() {
    let output = orr()
        .env("COLUMNS", "80")
        .args(["audit", "--snapshot", DEMO])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(stdout.contains("NO-GO"));
}
