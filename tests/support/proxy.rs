//! A fault-injection proxy between orr and moto, on 127.0.0.1 only: it forwards each
//! request, or answers it with a fault in the protocol's own form (query/XML
//! `Throttling`, EC2 `RequestLimitExceeded`, JSON `ThrottlingException`, S3 `503
//! SlowDown`), a bare 500/503, or a reset connection, and records every request it saw.
//! Whether a request is faulted depends only on the seed, the request and how often the
//! same request was seen before, so a run is reproducible whatever the order of calls.
//! CloudWatch's RPC v2 CBOR calls, which moto does not route, are translated to its
//! query protocol and back (`cloudwatch_over_query`). AWS Health, which moto answers
//! with HTTP 500, gets the SubscriptionRequiredException most accounts see, and EC2's
//! GetInstanceMetadataDefaults (HTTP 500 too) the answer of an account that set none. Answers a
//! test gives (`Faults::answers`) stand in for what moto cannot emulate across accounts
//! (an organization trail seen from a member, a delegated administrator's findings):
//! the proxy knows each request's account from its access key, learning assumed roles'
//! keys from the AssumeRole answers it relays.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub seed: u64,
    /// Share of requests answered with the protocol's throttling error.
    pub throttle: f64,
    /// Share answered with a bare HTTP 500 or 503.
    pub server_error: f64,
    /// Share whose connection is closed without an answer.
    pub reset: f64,
    /// Every request of this service (the SigV4 scope name, e.g. "iam") fails with 500.
    pub broken_service: Option<String>,
    /// Added before each answer.
    pub latency: Duration,
    /// STS AssumeRole of this role ARN is refused with AccessDenied (moto assumes any
    /// role, existing or not; a real account's trust policy may refuse).
    pub refuse_role: Option<String>,
    /// Answers given instead of moto's: the first that matches a request answers it.
    pub answers: Vec<Answer>,
}

/// What AWS answers a request that moto cannot answer as AWS would.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The calling account.
    pub account: String,
    /// The SigV4 scope name (`cloudtrail`, `guardduty`).
    pub service: &'static str,
    /// How `Call::operation` ends (`DescribeTrails`, `/findings` for GuardDuty's
    /// `POST /detector/ID/findings`).
    pub operation: &'static str,
    /// Text the request body must contain, if any (a filter on an account id).
    pub body_contains: Option<String>,
    pub status: &'static str,
    pub content_type: &'static str,
    pub body: String,
}

impl Answer {
    /// A JSON answer with HTTP 200 (the JSON protocols and REST-JSON alike).
    pub fn json(
        account: &str,
        service: &'static str,
        operation: &'static str,
        body: serde_json::Value,
    ) -> Answer {
        Answer {
            account: account.to_string(),
            service,
            operation,
            body_contains: None,
            status: "200 OK",
            content_type: "application/x-amz-json-1.1",
            body: body.to_string(),
        }
    }

    /// An AWS JSON-protocol error (`__type` and `message`) with `status`.
    pub fn json_error(
        account: &str,
        service: &'static str,
        operation: &'static str,
        status: &'static str,
        code: &str,
        message: &str,
    ) -> Answer {
        Answer {
            status,
            ..Answer::json(
                account,
                service,
                operation,
                serde_json::json!({ "__type": code, "message": message }),
            )
        }
    }

    /// An EC2 query-protocol answer (XML) with HTTP 200.
    pub fn xml(
        account: &str,
        service: &'static str,
        operation: &'static str,
        body: &str,
    ) -> Answer {
        Answer {
            content_type: "text/xml",
            body: body.to_string(),
            ..Answer::json(account, service, operation, serde_json::Value::Null)
        }
    }

    /// Only for requests whose body contains `text`.
    pub fn when_body_contains(mut self, text: &str) -> Answer {
        self.body_contains = Some(text.to_string());
        self
    }

    fn matches(&self, account: &str, service: &str, operation: &str, body: &[u8]) -> bool {
        self.account == account
            && self.service == service
            && operation.ends_with(self.operation)
            && self
                .body_contains
                .as_deref()
                .is_none_or(|text| String::from_utf8_lossy(body).contains(text))
    }
}

/// One request as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Call {
    /// The calling account (from the access key; empty when unknown).
    pub account: String,
    pub service: String,
    pub region: String,
    /// The operation: `X-Amz-Target`, the query `Action`, the RPC v2 path's last part,
    /// or `METHOD /path?query` for REST protocols.
    pub operation: String,
    pub method: String,
    /// The request without its signature and dates: equal for a retry of the same call.
    pub identity: String,
    pub fault: Option<&'static str>,
    /// The HTTP status the client got (0: no answer).
    pub status: u16,
    /// How long moto took to answer (the injected latency aside).
    pub upstream: Duration,
    /// When the request had arrived whole, and when its answer was sent.
    pub started: Instant,
    pub finished: Instant,
}

pub struct FaultProxy {
    pub endpoint: String,
    calls: Arc<Mutex<Vec<Call>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl FaultProxy {
    /// A proxy to `upstream` (an `http://127.0.0.1:PORT` URL) injecting `faults`.
    pub fn start(upstream: &str, faults: Faults) -> FaultProxy {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http upstream")
            .trim_end_matches('/')
            .to_string();
        assert!(
            upstream.starts_with("127.0.0.1:"),
            "loopback only: {upstream}"
        );
        // The test's own credentials are moto's default account's.
        let keys = Mutex::new(HashMap::from([(
            "testing".to_string(),
            super::ACCOUNT.to_string(),
        )]));
        Self::serve(move |stream, seen, calls| {
            handle(stream, &upstream, &faults, &keys, seen, calls)
        })
    }

    /// An endpoint that accepts connections, reads the request and never answers.
    pub fn hanging() -> FaultProxy {
        Self::serve(|mut stream, _, _| {
            let _ = read_request(&mut stream);
            std::thread::sleep(Duration::from_secs(3600));
        })
    }

    fn serve<F>(handler: F) -> FaultProxy
    where
        F: Fn(TcpStream, &Mutex<HashMap<String, u32>>, &Mutex<Vec<Call>>) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(HashMap::new()));
        let handler = Arc::new(handler);
        {
            let (calls, stop) = (calls.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (handler, seen, calls) = (handler.clone(), seen.clone(), calls.clone());
                    std::thread::spawn(move || handler(stream, &seen, &calls));
                }
            });
        }
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            calls,
            stop,
            port,
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

pub(crate) struct Request {
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    /// Method and path (with the query).
    pub(crate) fn request_line(&self) -> (&str, &str) {
        let mut parts = self.head.lines().next().unwrap_or_default().split(' ');
        (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        )
    }
}

pub(crate) fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut request = Request {
        head,
        body: buffer[head_end..].to_vec(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while request.body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        request.body.extend_from_slice(&chunk[..n]);
    }
    Some(request)
}

/// The access key of the SigV4 credential.
fn access_key(request: &Request) -> String {
    request
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').next())
        .unwrap_or_default()
        .to_string()
}

/// Learns the key an AssumeRole answer hands out, as the role's account's.
fn learn_assumed_key(request: &Request, response: &[u8], keys: &Mutex<HashMap<String, String>>) {
    if form_value(&request.body, "Action").as_deref() != Some("AssumeRole") {
        return;
    }
    let Some(role) = form_value(&request.body, "RoleArn") else {
        return;
    };
    let role = percent_encoding::percent_decode_str(&role)
        .decode_utf8_lossy()
        .into_owned();
    let text = String::from_utf8_lossy(response);
    let key = text
        .split("<AccessKeyId>")
        .nth(1)
        .and_then(|rest| rest.split("</AccessKeyId>").next());
    if let (Some(account), Some(key)) = (role.split(':').nth(4), key) {
        keys.lock()
            .unwrap()
            .insert(key.trim().to_string(), account.to_string());
    }
}

/// Service and region from the SigV4 credential scope.
pub(crate) fn scope(request: &Request) -> (String, String) {
    let scope = request
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split(',').next())
        .unwrap_or_default();
    let parts: Vec<&str> = scope.split('/').collect();
    match parts.as_slice() {
        [_, _, region, service, ..] => (service.to_string(), region.to_string()),
        _ => (String::new(), String::new()),
    }
}

fn operation(request: &Request) -> String {
    let (method, path) = request.request_line();
    if let Some(target) = request.header("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_string();
    }
    if let Some(action) = form_value(&request.body, "Action") {
        return action;
    }
    if let Some(rest) = path.split("/operation/").nth(1) {
        return rest.to_string();
    }
    format!("{method} {path}")
}

fn form_value(body: &[u8], key: &str) -> Option<String> {
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{key}=")).map(str::to_string))
}

/// Deterministic in [0, 1) from the seed, the request and the attempt.
fn chance(seed: u64, identity: &str, attempt: u32, salt: &str) -> f64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (seed, identity, attempt, salt).hash(&mut hasher);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn handle(
    mut client: TcpStream,
    upstream: &str,
    faults: &Faults,
    keys: &Mutex<HashMap<String, String>>,
    seen: &Mutex<HashMap<String, u32>>,
    calls: &Mutex<Vec<Call>>,
) {
    let Some(request) = read_request(&mut client) else {
        return;
    };
    let started = Instant::now();
    let (service, region) = scope(&request);
    let (method, path) = request.request_line();
    let identity = format!(
        "{method} {path} {} {}",
        request.header("x-amz-target").unwrap_or_default(),
        String::from_utf8_lossy(&request.body)
    );
    let attempt = {
        let mut seen = seen.lock().unwrap();
        let count = seen.entry(identity.clone()).or_insert(0);
        *count += 1;
        *count
    };
    let roll = chance(faults.seed, &identity, attempt, "fault");
    let refused = faults.refuse_role.as_deref().is_some_and(|role| {
        form_value(&request.body, "Action").as_deref() == Some("AssumeRole")
            && form_value(&request.body, "RoleArn").is_some_and(|arn| {
                percent_encoding::percent_decode_str(&arn).decode_utf8_lossy() == role
            })
    });
    let fault = if refused {
        Some("refused")
    } else if faults.broken_service.as_deref() == Some(service.as_str()) {
        Some("broken")
    } else if roll < faults.throttle {
        Some("throttle")
    } else if roll < faults.throttle + faults.server_error {
        Some("server_error")
    } else if roll < faults.throttle + faults.server_error + faults.reset {
        Some("reset")
    } else {
        None
    };
    let account = keys
        .lock()
        .unwrap()
        .get(&access_key(&request))
        .cloned()
        .unwrap_or_default();
    let mut call = Call {
        account: account.clone(),
        service: service.clone(),
        region,
        operation: operation(&request),
        method: method.to_string(),
        identity: identity.clone(),
        fault,
        status: 0,
        upstream: Duration::ZERO,
        started,
        finished: started,
    };
    std::thread::sleep(faults.latency);
    let forwarded = Instant::now();

    let translated = path
        .strip_prefix(CLOUDWATCH_RPC)
        .map(|operation| operation.to_string());
    let given = faults
        .answers
        .iter()
        .find(|a| a.matches(&account, &service, &call.operation, &request.body));
    let response = match fault {
        None => {
            let relayed = match (given, &translated) {
                (Some(given), _) => Some(answer(
                    given.status,
                    given.content_type,
                    &[],
                    given.body.as_bytes(),
                )),
                (None, Some(operation)) => cloudwatch_over_query(&request, upstream, operation),
                // moto answers AWS Health with HTTP 500, which the SDK retries with
                // backoff; most accounts get this refusal instead (no Business support plan).
                (None, None) if service == "health" => Some(health_subscription_required()),
                // moto answers GetInstanceMetadataDefaults with HTTP 500; an account that
                // never set a default gets an AccountLevel without HttpTokens.
                (None, None) if call.operation == "GetInstanceMetadataDefaults" => Some(answer(
                    "200 OK",
                    "text/xml",
                    &[],
                    instance_metadata_defaults_xml(None).as_bytes(),
                )),
                // moto answers ListDirectoryBuckets with its ListBuckets answer (the
                // general purpose buckets); AWS lists none for an account without any.
                (None, None) if is_list_directory_buckets(&service, method, path) => {
                    Some(answer(
                        "200 OK",
                        "application/xml",
                        &[],
                        directory_buckets_xml(&[]).as_bytes(),
                    ))
                }
                (None, None) => forward(&request, upstream),
            };
            match relayed.inspect(|response| learn_assumed_key(&request, response, keys)) {
                Some(response) => response,
                None => {
                    calls.lock().unwrap().push(call);
                    return;
                }
            }
        }
        Some("reset") => {
            calls.lock().unwrap().push(call);
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        Some("throttle") => throttling(&request, &service),
        Some("refused") => answer(
            "403 Forbidden",
            "text/xml",
            &[],
            b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>orr-proxy</RequestId></ErrorResponse>",
        ),
        Some("server_error") => {
            let status = if chance(faults.seed, &identity, attempt, "status") < 0.5 {
                "500 Internal Server Error"
            } else {
                "503 Service Unavailable"
            };
            answer(status, "text/plain", &[], b"")
        }
        Some(_) => answer("500 Internal Server Error", "text/plain", &[], b""),
    };
    call.upstream = forwarded.elapsed();
    call.status = String::from_utf8_lossy(&response[..response.len().min(16)])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let _ = client.write_all(&response);
    let _ = client.shutdown(Shutdown::Both);
    call.finished = Instant::now();
    calls.lock().unwrap().push(call);
}

/// The request sent on to moto with exactly one Host header and `Connection: close`;
/// its answer relayed with `Connection: close` too (one request per connection).
fn forward(request: &Request, upstream: &str) -> Option<Vec<u8>> {
    let mut head = String::new();
    for (n, line) in request.head.trim_end().lines().enumerate() {
        let name = line.split(':').next().unwrap_or_default().trim();
        if n > 0 && (name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("connection")) {
            continue;
        }
        head.push_str(line);
        head.push_str("\r\n");
    }
    // moto sees the Host the client signed for (the proxy's address): SigV4 is not
    // checked by moto, and S3 path-style routing does not depend on the port.
    let host = request.header("host").unwrap_or(upstream);
    head.push_str(&format!("Host: {host}\r\nConnection: close\r\n\r\n"));
    let mut server = TcpStream::connect(upstream).ok()?;
    server
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    server.write_all(head.as_bytes()).ok()?;
    server.write_all(&request.body).ok()?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).ok()?;
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let old_head = String::from_utf8_lossy(&response[..head_end]).into_owned();
    let mut new_head = String::new();
    for line in old_head.trim_end().lines() {
        if line
            .split(':')
            .next()
            .is_some_and(|name| name.trim().eq_ignore_ascii_case("connection"))
        {
            continue;
        }
        new_head.push_str(line);
        new_head.push_str("\r\n");
    }
    new_head.push_str("Connection: close\r\n\r\n");
    let mut relayed = new_head.into_bytes();
    relayed.extend_from_slice(&response[head_end..]);
    Some(relayed)
}

fn answer(status: &str, content_type: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut all = vec![("Content-Type", content_type)];
    all.extend_from_slice(headers);
    http(status, &all, body)
}

/// An HTTP/1.1 answer closing its connection, with `headers` and `body`.
pub(crate) fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut response = head.into_bytes();
    response.extend_from_slice(body);
    response
}

/// Throttling as each protocol says it.
fn throttling(request: &Request, service: &str) -> Vec<u8> {
    let content_type = request.header("content-type").unwrap_or_default();
    if service == "s3" || service == "s3control" || service == "s3express" {
        return answer(
            "503 Slow Down",
            "application/xml",
            &[],
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>orr-proxy</RequestId></Error>",
        );
    }
    if service == "ec2" {
        return answer(
            "503 Service Unavailable",
            "text/xml",
            &[],
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>orr-proxy</RequestID></Response>",
        );
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return answer(
            "400 Bad Request",
            "text/xml",
            &[],
            b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>orr-proxy</RequestId></ErrorResponse>",
        );
    }
    if content_type.contains("cbor") {
        return answer("503 Service Unavailable", "text/plain", &[], b"");
    }
    answer(
        "400 Bad Request",
        "application/x-amz-json-1.1",
        &[("x-amzn-ErrorType", "ThrottlingException")],
        b"{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}",
    )
}

impl Call {
    /// The IAM action this request needs. REST requests are named by their path (and
    /// S3's by the `x-id` the SDK adds); the rest by their operation.
    pub fn iam_action(&self) -> String {
        let prefix = match self.service.as_str() {
            "monitoring" => "cloudwatch",
            other => other,
        };
        let Some((method, target)) = self.operation.split_once(' ') else {
            // DescribeBudgets and DescribeNotificationsForBudget both need ViewBudget.
            let action = if prefix == "budgets" {
                "ViewBudget"
            } else {
                &self.operation
            };
            return format!("{prefix}:{action}");
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let x_id = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("x-id="))
            .unwrap_or_default();
        // S3 names some reads only by their subresource (`?encryption`).
        let subresource = query.split(['&', '=']).next().unwrap_or_default();
        let action = match prefix {
            "s3express" if path == "/" => "ListAllMyDirectoryBuckets",
            "s3" if path.starts_with("/v20180820/configuration/publicAccessBlock") => {
                "GetAccountPublicAccessBlock"
            }
            "s3" if path.starts_with("/v20180820/storagelens") => "ListStorageLensConfigurations",
            // HeadBucket (`HEAD /bucket`, path-style) is allowed by s3:ListBucket.
            "s3" if method == "HEAD" && path.trim_end_matches('/').matches('/').count() == 1 => {
                "ListBucket"
            }
            "s3" => match x_id {
                "ListBuckets" | "" if path == "/" => "ListAllMyBuckets",
                "GetBucketEncryption" => "GetEncryptionConfiguration",
                "GetBucketLifecycleConfiguration" => "GetLifecycleConfiguration",
                "GetPublicAccessBlock" => "GetBucketPublicAccessBlock",
                "ListBucketIntelligentTieringConfigurations" => {
                    "GetIntelligentTieringConfiguration"
                }
                "" => match subresource {
                    "encryption" => "GetEncryptionConfiguration",
                    "lifecycle" => "GetLifecycleConfiguration",
                    "location" => "GetBucketLocation",
                    // CreateMultipartUpload (`POST /bucket/key?uploads`).
                    "uploads" => "PutObject",
                    "policy" => "GetBucketPolicy",
                    "publicAccessBlock" => "GetBucketPublicAccessBlock",
                    _ => target,
                },
                other => other,
            },
            "lambda" if path.contains("/account-settings") => "GetAccountSettings",
            "lambda" if path.ends_with("/concurrency") => "GetFunctionConcurrency",
            "lambda" if path.contains("/event-source-mappings") => "ListEventSourceMappings",
            "lambda" if path.contains("/event-invoke-config") => "ListFunctionEventInvokeConfigs",
            "lambda" if path.contains("/functions") => "ListFunctions",
            "guardduty" if path.ends_with("/findings/get") => "GetFindings",
            "guardduty" if path.ends_with("/findings") => "ListFindings",
            "guardduty" if path.trim_end_matches('/') == "/detector" => "ListDetectors",
            "guardduty" if path.starts_with("/detector/") => "GetDetector",
            "securityhub" if path == "/accounts" => "DescribeHub",
            "securityhub" if path == "/findings" => "GetFindings",
            "securityhub" if path == "/standards/get" => "GetEnabledStandards",
            "backup" if path.starts_with("/backup/plans") => {
                match path.split('/').filter(|part| !part.is_empty()).count() {
                    2 => "ListBackupPlans",
                    3 => "GetBackupPlan",
                    4 => "ListBackupSelections",
                    _ => "GetBackupSelection",
                }
            }
            "backup" if path.starts_with("/backup-jobs") => "ListBackupJobs",
            "backup" if path.starts_with("/restore-jobs") => "ListRestoreJobs",
            "backup" if path.starts_with("/resources") => "ListProtectedResources",
            "synthetics" if path == "/canaries/last-run" => "DescribeCanariesLastRun",
            "synthetics" if path == "/canaries" => "DescribeCanaries",
            "fis" if path.trim_end_matches('/') == "/experiments" => "ListExperiments",
            "fis" if path.starts_with("/experiments/") => "GetExperiment",
            "pipes" if path == "/v1/pipes" => "ListPipes",
            "pipes" if path.starts_with("/v1/pipes/") => "DescribePipe",
            "scheduler" if path == "/schedules" => "ListSchedules",
            "scheduler" if path.starts_with("/schedules/") => "GetSchedule",
            _ => target,
        };
        format!("{prefix}:{action}")
    }
}

/// The path prefix of CloudWatch's Smithy RPC v2 CBOR protocol, which the Rust SDK
/// speaks and moto does not route.
const CLOUDWATCH_RPC: &str = "/service/GraniteServiceVersion20100801/operation/";

/// A CloudWatch call the SDK made in RPC v2 CBOR, asked of moto in CloudWatch's query
/// protocol (moto keeps the state), and moto's XML answer given back in CBOR. Only the
/// shapes orr reads are translated: member lists, maps, and the typed leaves below.
fn cloudwatch_over_query(request: &Request, upstream: &str, operation: &str) -> Option<Vec<u8>> {
    let input: ciborium::Value = if request.body.is_empty() {
        ciborium::Value::Map(Vec::new())
    } else {
        ciborium::from_reader(&request.body[..]).ok()?
    };
    let mut form = vec![
        ("Action".to_string(), operation.to_string()),
        ("Version".to_string(), "2010-08-01".to_string()),
    ];
    flatten(&input, "", &mut form);
    let body: String = form
        .iter()
        .map(|(key, value)| {
            format!(
                "{}={}",
                key,
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let authorization = request.header("authorization").unwrap_or_default();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nAuthorization: {authorization}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let query = Request {
        head,
        body: body.into_bytes(),
    };
    let response = forward(&query, upstream)?;
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let status = String::from_utf8_lossy(&response[..head_end])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())?;
    let xml = String::from_utf8_lossy(&response[head_end..]).into_owned();
    let document = roxmltree::Document::parse(&xml).ok()?;
    let cbor_headers = [("smithy-protocol", "rpc-v2-cbor")];
    let mut out = Vec::new();
    if status != 200 {
        let text = |name: &str| {
            document
                .descendants()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string()
        };
        let error = ciborium::Value::Map(vec![
            (
                "__type".into(),
                format!("com.amazonaws.cloudwatch#{}", text("Code")).into(),
            ),
            ("message".into(), text("Message").into()),
        ]);
        ciborium::into_writer(&error, &mut out).ok()?;
        return Some(answer(
            "400 Bad Request",
            "application/cbor",
            &cbor_headers,
            &out,
        ));
    }
    let result = document
        .descendants()
        .find(|n| n.tag_name().name() == format!("{operation}Result"));
    let output = match result {
        Some(result) => to_cbor(result),
        None => ciborium::Value::Map(Vec::new()),
    };
    ciborium::into_writer(&output, &mut out).ok()?;
    Some(answer("200 OK", "application/cbor", &cbor_headers, &out))
}

/// ListDirectoryBuckets: `GET /` (with its paging query) to the S3 Express control
/// endpoint, signed for `s3express`.
fn is_list_directory_buckets(service: &str, method: &str, path: &str) -> bool {
    service == "s3express" && method == "GET" && path.split('?').next() == Some("/")
}

/// ListDirectoryBuckets' answer as AWS documents it (ListAllMyDirectoryBucketsResult), for
/// `buckets` (name, region) of the test's account.
pub fn directory_buckets_xml(buckets: &[(&str, &str)]) -> String {
    let listed: String = buckets
        .iter()
        .map(|(name, region)| {
            format!(
                "<Bucket><Name>{name}</Name><CreationDate>2026-11-02T10:00:00.000Z</CreationDate>\
                 <BucketRegion>{region}</BucketRegion>\
                 <BucketArn>arn:aws:s3express:{region}:{account}:bucket/{name}</BucketArn></Bucket>",
                account = super::ACCOUNT
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <ListAllMyDirectoryBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Buckets>{listed}</Buckets></ListAllMyDirectoryBucketsResult>"
    )
}

/// GetInstanceMetadataDefaults' answer (EC2 query protocol), which moto 5.2.1 answers
/// with HTTP 500: the account-level `httpTokens` given, none for no preference.
pub fn instance_metadata_defaults_xml(http_tokens: Option<&str>) -> String {
    let tokens = http_tokens
        .map(|t| format!("<httpTokens>{t}</httpTokens>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <GetInstanceMetadataDefaultsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
         <requestId>orr-test</requestId><accountLevel>{tokens}<managedBy>account</managedBy>\
         </accountLevel></GetInstanceMetadataDefaultsResponse>"
    )
}

/// AWS Health's refusal to an account without a Business, Enterprise On-Ramp or
/// Enterprise support plan, in the Smithy RPC v2 CBOR protocol the SDK speaks to it.
fn health_subscription_required() -> Vec<u8> {
    let error = ciborium::Value::Map(vec![
        (
            "__type".into(),
            "com.amazonaws.health#SubscriptionRequiredException".into(),
        ),
        (
            "message".into(),
            "The AWS Health API requires a Business, Enterprise On-Ramp or Enterprise support plan"
                .into(),
        ),
    ]);
    let mut body = Vec::new();
    ciborium::into_writer(&error, &mut body).expect("a CBOR map serializes");
    answer(
        "400 Bad Request",
        "application/cbor",
        &[("smithy-protocol", "rpc-v2-cbor")],
        &body,
    )
}

/// A CBOR input as query-protocol form fields (`Key`, `List.member.N`, `Map.Key`).
fn flatten(value: &ciborium::Value, prefix: &str, form: &mut Vec<(String, String)>) {
    use ciborium::Value;
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if let Some(key) = key.as_text() {
                    flatten(value, &join(key), form);
                }
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                flatten(item, &format!("{prefix}.member.{}", n + 1), form);
            }
        }
        Value::Text(text) => form.push((prefix.to_string(), text.clone())),
        Value::Bool(b) => form.push((prefix.to_string(), b.to_string())),
        Value::Integer(i) => form.push((prefix.to_string(), i128::from(*i).to_string())),
        Value::Float(f) => form.push((prefix.to_string(), f.to_string())),
        _ => {}
    }
}

/// Query-protocol members that are lists even when empty (`<AlarmActions/>`).
const CLOUDWATCH_LISTS: &[&str] = &[
    "AlarmActions",
    "CompositeAlarms",
    "DashboardEntries",
    "DashboardValidationMessages",
    "Dimensions",
    "InsufficientDataActions",
    "MetricAlarms",
    "Metrics",
    "OKActions",
];

/// moto's XML element as the CBOR value the SDK expects: lists of `member`, structures
/// as maps, and leaves typed by member name (booleans, integers, doubles, timestamps as
/// tag 1 epoch seconds, the rest text). Empty leaves that are not lists are left out.
fn to_cbor(node: roxmltree::Node) -> ciborium::Value {
    use ciborium::Value;
    let name = node.tag_name().name();
    let children: Vec<roxmltree::Node> = node.children().filter(|c| c.is_element()).collect();
    if CLOUDWATCH_LISTS.contains(&name)
        || (!children.is_empty() && children.iter().all(|c| c.has_tag_name("member")))
    {
        return Value::Array(children.into_iter().map(to_cbor).collect());
    }
    if !children.is_empty() {
        return Value::Map(
            children
                .into_iter()
                .filter(|c| {
                    c.children().any(|g| g.is_element())
                        || CLOUDWATCH_LISTS.contains(&c.tag_name().name())
                        || c.text().is_some_and(|t| !t.is_empty())
                })
                .map(|c| (Value::Text(c.tag_name().name().to_string()), to_cbor(c)))
                .collect(),
        );
    }
    let text = node.text().unwrap_or_default();
    match name {
        "ActionsEnabled" | "ReturnData" => Value::Bool(text == "true"),
        "Period" | "EvaluationPeriods" | "DatapointsToAlarm" | "Size" => {
            Value::Integer(text.parse::<i64>().unwrap_or(0).into())
        }
        "Threshold" => Value::Float(text.parse().unwrap_or(0.0)),
        n if n.ends_with("Timestamp") || n == "LastModified" => {
            let seconds = chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.timestamp_micros() as f64 / 1e6)
                .unwrap_or(0.0);
            Value::Tag(1, Box::new(Value::Float(seconds)))
        }
        _ => Value::Text(text.to_string()),
    }
}
