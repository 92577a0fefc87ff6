//! Test harness: an AWS emulator (moto_server) on 127.0.0.1 and a free port, started
//! for a test and stopped when it is dropped; SDK configurations pointed at it.

#![allow(dead_code)] // each test binary uses part of the harness

pub mod proxy;
pub mod seed;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::Credentials;

pub const ACCOUNT: &str = "123456789012";
pub const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo-account.json");
pub const REGION: &str = "us-east-1";

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    /// Starts `moto_server` (or `$MOTO_SERVER`) on a port the OS picks (`-p 0`), and
    /// learns the port from the server's own "Running on" line: no window in which
    /// another test could take the same port. Panics with the install command if absent.
    pub fn start() -> Moto {
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let mut child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            // Requested ACM certificates are ISSUED at once, not after moto's 60 s.
            .env("MOTO_ACM_VALIDATION_WAIT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program}: {e}; install it with: pip install 'moto[server]'")
            });
        let stderr = child.stderr.take().expect("stderr is piped");
        let (url_sender, url) = mpsc::channel();
        // The server logs every request to stderr: keep draining it so it never blocks.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("Running on http://") {
                    let _ = url_sender.send(line[at + "Running on ".len()..].trim().to_string());
                }
            }
        });
        let endpoint = match url.recv_timeout(Duration::from_secs(60)) {
            Ok(endpoint) => endpoint,
            Err(_) => {
                let _ = child.kill();
                panic!("{program} did not report its address within 60 s");
            }
        };
        assert!(
            endpoint.starts_with("http://127.0.0.1:"),
            "moto listens on {endpoint}"
        );
        Moto { child, endpoint }
    }

    /// An SDK configuration with dummy credentials, pointed at this emulator.
    pub async fn sdk_config(&self) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .credentials_provider(Credentials::new(
                "testing",
                "testing",
                None,
                None,
                "orr-tests",
            ))
            .region(Region::new(REGION))
            .endpoint_url(&self.endpoint)
            .load()
            .await
    }

    /// Environment for running the `orr` binary against this emulator, isolated from
    /// the developer's own AWS configuration, with no route to instance metadata.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = isolated_env();
        env.push(("AWS_ENDPOINT_URL", self.endpoint.clone()));
        env
    }
}

impl Moto {
    /// Seeds `seed::real_world_shapes`. Building the Security Hub findings to import
    /// goes through deep SDK shapes: done on a thread with room for them, as orr's own
    /// runtime has.
    pub fn seed_real_world_shapes(&self) {
        let sdk = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(self.sdk_config());
        std::thread::Builder::new()
            .stack_size(32 * 1024 * 1024)
            .spawn(move || {
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(seed::real_world_shapes(&sdk))
            })
            .unwrap()
            .join()
            .unwrap();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Dummy credentials and a region, no profile files, and instance metadata disabled so
/// that nothing ever leaves the machine.
pub fn isolated_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", REGION.into()),
        ("AWS_CONFIG_FILE", "/nonexistent/orr-test-config".into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/orr-test-credentials".into(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("NO_COLOR", "1".into()),
    ]
}

/// `orr` with no AWS configuration of the developer's, and (unless a test sets one) an
/// endpoint on a closed loopback port, so a stray request can only fail locally.
pub fn orr() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("orr").unwrap();
    command
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, value) in isolated_env() {
        command.env(key, value);
    }
    command
}

/// `orr audit --checks CHECKS --output json` (two attempts a call) and `args`, through
/// `proxy`: its exit code and JSON audit.
pub fn audit_through(
    proxy: &proxy::FaultProxy,
    checks: &str,
    args: &[&str],
) -> (Option<i32>, serde_json::Value) {
    let output = orr()
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args([
            "audit",
            "--checks",
            checks,
            "--max-attempts",
            "2",
            "--output",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    (output.status.code(), json_audit(&output))
}

pub fn json_audit(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the JSON audit ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Each finding of an audit as one line of the named fields: a set to compare runs by.
pub fn finding_keys(
    audit: &serde_json::Value,
    fields: &[&str],
) -> std::collections::BTreeSet<String> {
    audit["findings"]
        .as_array()
        .expect("an audit has findings")
        .iter()
        .map(|f| {
            fields
                .iter()
                .map(|field| f[*field].to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// What a finding says, without what differs from run to run: the account, check,
/// region, resource, status and message of each.
pub fn facts(audit: &serde_json::Value) -> std::collections::BTreeSet<String> {
    finding_keys(
        audit,
        &[
            "account_id",
            "check_id",
            "region",
            "resource_id",
            "status",
            "message",
        ],
    )
}

/// A JSON array of strings.
pub fn strings(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

/// The one finding of `check` about the resource whose id ends with `resource_suffix`,
/// or, for a suffix ending in `/`, contains it (ARNs that end in an id AWS generates,
/// like a load balancer's).
pub fn finding_of<'a>(
    audit: &'a serde_json::Value,
    check: &str,
    resource_suffix: &str,
) -> &'a serde_json::Value {
    let matching: Vec<&serde_json::Value> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let id = f["resource_id"].as_str().unwrap();
            f["check_id"] == check
                && (id.ends_with(resource_suffix)
                    || (resource_suffix.ends_with('/') && id.contains(resource_suffix)))
        })
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one finding for {check} on *{resource_suffix}: {matching:#?}"
    );
    matching[0]
}

/// One query-protocol call to moto (`Action=...` form post), unsigned as moto accepts
/// it, in `service`'s credential scope for `REGION`: how state is seeded for services
/// the Rust SDK speaks another protocol to (CloudWatch). Panics unless moto says 200.
pub fn moto_query(endpoint: &str, service: &str, form: &[(&str, &str)]) -> String {
    use std::io::{Read, Write};
    let address = endpoint.strip_prefix("http://").expect("an http endpoint");
    assert!(
        address.starts_with("127.0.0.1:"),
        "loopback only: {address}"
    );
    let body: String = form
        .iter()
        .map(|(key, value)| {
            format!(
                "{key}={}",
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20260101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"),
        "{form:?}: {response}"
    );
    response
}

/// The status of the one finding of `check` about the resource ending with the suffix.
pub fn status_of(audit: &serde_json::Value, check: &str, resource_suffix: &str) -> String {
    finding_of(audit, check, resource_suffix)["status"]
        .as_str()
        .unwrap()
        .to_string()
}
