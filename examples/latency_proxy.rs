//! A loopback proxy that delays every call by a fixed latency, as the network to AWS does,
//! for the latency benchmark (`bench/latency.sh`). It prints its endpoint, serves until its
//! standard input closes, then prints what it saw: requests, wall time from the first
//! request to the last answer, requests in flight (mean over that time, and peak), and the
//! throughput bound (requests x latency over the concurrency given).
//!
//! Three modes:
//!
//!     latency_proxy http://127.0.0.1:5000 40 16                  # moto behind the tests' proxy
//!     latency_proxy --record calls.json http://127.0.0.1:5000 40 # the same, keeping every answer
//!     latency_proxy --replay calls.json 100 16                   # no moto: recorded answers only
//!
//! Replay measures orr alone: moto (one Python process) adds tens of milliseconds to each
//! call under load, which a recording does not. A request is identified by its method,
//! path and query, body, `X-Amz-Target` and the SigV4 scope's region and service (never
//! the signature or the date, which change from run to run); failing that, by the same
//! with its timestamps masked (a window ending now); a request never recorded is
//! answered with HTTP 500 and counted. `--log FILE` writes each call's start and end (ms
//! from the first request) and key, to find chains of dependent calls.

#[path = "../tests/support/proxy.rs"]
#[allow(dead_code)] // the fault-injection half is the tests'
mod proxy;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use proxy::{http, FaultProxy, Faults, Request};

/// The account the tests' proxy files the default credentials under.
const ACCOUNT: &str = "123456789012";

/// How long the tests' proxy (and moto behind it) may take to answer while recording.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(120);

const USAGE: &str = "usage: latency_proxy [--log FILE] [--record FILE] UPSTREAM_URL LATENCY_MS [CONCURRENCY]\n       latency_proxy [--log FILE] --replay FILE LATENCY_MS [CONCURRENCY]";

/// One recorded answer: what the SDK needs of it to parse it as moto's.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Recorded {
    status: String,
    headers: Vec<(String, String)>,
    /// Base64: CloudWatch and AWS Health answer in CBOR.
    body: String,
}

/// Each request key's answers in the order they were given (a repeated request, such as
/// a retry, gets them in the same order on replay; past the last, the last again).
type Recording = HashMap<String, Vec<Recorded>>;

enum Mode {
    /// Through the tests' proxy to moto, which adds the latency.
    Forward(FaultProxy),
    Record(FaultProxy, Mutex<Recording>),
    /// The recording, and the same answers by `timeless` key.
    Replay(Recording, Recording, Duration),
}

struct Call {
    key: String,
    started: Instant,
    finished: Instant,
    /// No recording for this request (replay only).
    missing: bool,
}

/// Method, path with query, body, X-Amz-Target and the credential scope's region and
/// service: the same for the same call in any run (the access key and date in the scope
/// differ by run).
fn key(request: &Request) -> String {
    let (method, target) = request.request_line();
    let (service, region) = proxy::scope(request);
    // JSON with its keys sorted: the SDK serializes maps (GuardDuty's finding
    // criteria) in hash order, which differs by process. XML and form bodies as
    // text; CBOR (CloudWatch, AWS Health) in base64.
    let body = match serde_json::from_slice::<serde_json::Value>(&request.body) {
        Ok(json) => canonical(&json),
        Err(_) => match std::str::from_utf8(&request.body) {
            Ok(text) => text.to_string(),
            Err(_) => base64::engine::general_purpose::STANDARD.encode(&request.body),
        },
    };
    format!(
        "{region} {service} {method} {target} {} {body}",
        request.header("x-amz-target").unwrap_or_default(),
    )
}

/// JSON with every object's keys in order, whatever order they were sent in.
fn canonical(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(key, _)| *key);
            let fields: Vec<String> = entries
                .into_iter()
                .map(|(key, value)| {
                    format!(
                        "{}:{}",
                        serde_json::Value::from(key.as_str()),
                        canonical(value)
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// A key with its timestamps masked. Some reads ask about a window ending now (backup
/// jobs created in the last days, in seconds): the same call in a later run differs only
/// there, and is answered as recorded when no exact key matches.
fn timeless(key: &str) -> String {
    static TIMES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\d{4}-\d{2}-\d{2}T\d{2}(:|%3A)\d{2}(:|%3A)\d{2}(\.\d+)?(Z|%2B00(:|%3A)00|\+00:00)?|\b\d{10}(\d{3})?(\.\d+)?\b",
        )
        .expect("a valid pattern")
    });
    TIMES.replace_all(key, "TIME").into_owned()
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let (mut record, mut replay, mut log) = (None, None, None);
    while let Some(flag) = args.next_if(|a| a.starts_with("--")) {
        let slot = match flag.as_str() {
            "--record" => &mut record,
            "--replay" => &mut replay,
            "--log" => &mut log,
            _ => usage(),
        };
        *slot = Some(args.next().unwrap_or_else(|| usage()));
    }
    let upstream = if replay.is_none() {
        Some(args.next().unwrap_or_else(|| usage()))
    } else {
        None
    };
    let latency = Duration::from_millis(
        args.next()
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| usage()),
    );
    let concurrency: f64 = args
        .next()
        .map_or(16.0, |c| c.parse().unwrap_or_else(|_| usage()));
    if record.is_some() && replay.is_some() {
        usage()
    }
    // Checked before serving: a run is not lost for want of a place to write.
    for path in [&record, &log].into_iter().flatten() {
        if let Err(e) = std::fs::File::create(path) {
            fail(&format!("cannot write {path}: {e}"));
        }
    }
    let through_moto = || {
        FaultProxy::start(
            upstream.as_deref().unwrap_or_default(),
            Faults {
                latency,
                ..Faults::default()
            },
        )
    };
    let mode = match &replay {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
            let recording = serde_json::from_str(&text).unwrap_or_else(|e| {
                fail(&format!(
                    "{path} is not a recording of latency_proxy --record: {e}"
                ))
            });
            let recording: Recording = recording;
            let mut by_time = Recording::new();
            // Sorted: the same recording gives the same fallback whatever the hash order.
            let mut keys: Vec<&String> = recording.keys().collect();
            keys.sort();
            for key in keys {
                by_time
                    .entry(timeless(key))
                    .or_insert_with(|| recording[key].clone());
            }
            Mode::Replay(recording, by_time, latency)
        }
        None if record.is_some() => Mode::Record(through_moto(), Mutex::new(HashMap::new())),
        None => Mode::Forward(through_moto()),
    };
    let mode = Arc::new(mode);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let served = Arc::new(Mutex::new(HashMap::<String, usize>::new()));

    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| fail(&e.to_string()));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    {
        let (mode, calls) = (mode.clone(), calls.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (mode, calls, served) = (mode.clone(), calls.clone(), served.clone());
                std::thread::spawn(move || serve(stream, &mode, &calls, &served));
            }
        });
    }
    println!("http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());

    let calls = std::mem::take(&mut *calls.lock().unwrap());
    if let (Some(path), Mode::Record(_, recording)) = (&record, &*mode) {
        let recording = recording.lock().unwrap();
        let json = serde_json::to_string(&*recording).expect("strings serialize");
        if let Err(e) = std::fs::write(path, json) {
            fail(&format!("cannot write {path}: {e}"));
        }
    }
    report(&calls, latency, concurrency, log.as_deref());
}

fn usage() -> ! {
    eprintln!("{USAGE}");
    std::process::exit(3)
}

fn fail(message: &str) -> ! {
    eprintln!("latency_proxy: {message}");
    std::process::exit(3)
}

/// One connection, one request (the answer says `Connection: close`, as the tests' proxy's).
fn serve(
    mut client: TcpStream,
    mode: &Mode,
    calls: &Mutex<Vec<Call>>,
    served: &Mutex<HashMap<String, usize>>,
) {
    let Some(request) = proxy::read_request(&mut client) else {
        return;
    };
    let started = Instant::now();
    let key = key(&request);
    let mut missing = false;
    let response = match mode {
        Mode::Forward(upstream) => relay(&request, upstream),
        Mode::Record(upstream, recording) => relay(&request, upstream).inspect(|response| {
            if let Some(recorded) = recorded(response) {
                let mut recording = recording.lock().unwrap();
                recording.entry(key.clone()).or_default().push(recorded);
            }
        }),
        Mode::Replay(recording, by_time, latency) => {
            std::thread::sleep(*latency);
            let nth = {
                let mut served = served.lock().unwrap();
                let count = served.entry(key.clone()).or_insert(0);
                *count += 1;
                *count - 1
            };
            let answer = recording
                .get(&key)
                .or_else(|| by_time.get(&timeless(&key)))
                .and_then(|answers| answers.get(nth).or(answers.last()));
            missing = answer.is_none();
            Some(match answer {
                Some(answer) => replayed(answer),
                None => http(
                    "500 Internal Server Error",
                    &[("Content-Type", "text/plain")],
                    b"latency_proxy: no recorded answer for this request",
                ),
            })
        }
    };
    if let Some(response) = response {
        let _ = client.write_all(&response);
    }
    let _ = client.shutdown(Shutdown::Both);
    calls.lock().unwrap().push(Call {
        key,
        started,
        finished: Instant::now(),
        missing,
    });
}

/// The request sent as it came to the tests' proxy (which answers with `Connection:
/// close`), its answer read whole.
fn relay(request: &Request, upstream: &FaultProxy) -> Option<Vec<u8>> {
    let address = upstream.endpoint.strip_prefix("http://")?;
    let mut server = TcpStream::connect(address).ok()?;
    server.set_read_timeout(Some(UPSTREAM_TIMEOUT)).ok()?;
    server.write_all(request.head.as_bytes()).ok()?;
    server.write_all(&request.body).ok()?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).ok()?;
    Some(response)
}

/// The parts of an answer the SDK reads: status, content type, the protocol headers
/// (`smithy-protocol` for CBOR, `x-amz*` for request ids and REST error types), body.
fn recorded(response: &[u8]) -> Option<Recorded> {
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&response[..head_end]);
    let mut lines = head.lines();
    let status = lines.next()?.split_once(' ')?.1.trim().to_string();
    let mut headers = Vec::new();
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        let lower = name.to_ascii_lowercase();
        chunked |= lower == "transfer-encoding" && value.eq_ignore_ascii_case("chunked");
        if lower == "content-type" || lower == "smithy-protocol" || lower.starts_with("x-amz") {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let body = &response[head_end..];
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Some(Recorded {
        status,
        headers,
        body: base64::engine::general_purpose::STANDARD.encode(body),
    })
}

/// A chunked body's data (the replayed answer states its length instead).
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(data);
        }
        let start = line_end + 2;
        data.extend_from_slice(body.get(start..start + size)?);
        body = body.get(start + size + 2..)?;
    }
}

fn replayed(answer: &Recorded) -> Vec<u8> {
    let body = base64::engine::general_purpose::STANDARD
        .decode(&answer.body)
        .unwrap_or_default();
    let headers: Vec<(&str, &str)> = answer
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    http(&answer.status, &headers, &body)
}

/// Requests, wall, requests in flight and the throughput bound; with `log`, every call.
fn report(calls: &[Call], latency: Duration, concurrency: f64, log: Option<&str>) {
    let (Some(first), Some(last)) = (
        calls.iter().map(|c| c.started).min(),
        calls.iter().map(|c| c.finished).max(),
    ) else {
        println!("no request");
        return;
    };
    let wall = (last - first).as_secs_f64();
    let busy: f64 = calls
        .iter()
        .map(|c| (c.finished - c.started).as_secs_f64())
        .sum();
    // Requests in flight over time: +1 at each start, -1 at each answer. `full` is the
    // time up to the last moment `concurrency` requests were in flight at once: after
    // it the run is a tail of dependent calls, before it reads were waiting for permits
    // (the proxy cannot see orr's queue; at a concurrency no run reaches, nothing waits).
    let mut events: Vec<(Instant, i32)> = calls
        .iter()
        .flat_map(|c| [(c.started, 1), (c.finished, -1)])
        .collect();
    events.sort();
    let (mut now, mut peak, mut area, mut previous) = (0i32, 0, 0.0, first);
    let (mut full_until, mut area_at_full) = (None, 0.0);
    for (at, change) in events {
        area += f64::from(now) * (at - previous).as_secs_f64();
        previous = at;
        now += change;
        peak = peak.max(now);
        if f64::from(now) >= concurrency {
            (full_until, area_at_full) = (Some(at), area);
        }
    }
    let saturated = full_until.map_or(String::new(), |until| {
        let span = (until - first).as_secs_f64();
        format!(
            ", until {concurrency} were last in flight ({span:.2} s) mean {:.1}",
            area_at_full / span.max(f64::EPSILON)
        )
    });
    let missing = calls.iter().filter(|c| c.missing).count();
    println!(
        "requests {}, wall {wall:.2} s, in flight mean {:.1} peak {peak}{saturated}, throughput bound {:.2} s (requests x {} ms / {concurrency}; summed durations {busy:.1} s){}",
        calls.len(),
        area / wall,
        calls.len() as f64 * latency.as_secs_f64() / concurrency,
        latency.as_millis(),
        if missing > 0 {
            format!(", NOT RECORDED {missing}")
        } else {
            String::new()
        },
    );
    if missing > 0 {
        eprintln!("latency_proxy: {missing} requests had no recorded answer (HTTP 500):");
        for call in calls.iter().filter(|c| c.missing) {
            eprintln!("  {}", printable(&call.key));
        }
    }
    if let Some(path) = log {
        let mut sorted: Vec<&Call> = calls.iter().collect();
        sorted.sort_by_key(|c| c.started);
        let lines: String = sorted
            .iter()
            .map(|c| {
                format!(
                    "{:.1}\t{:.1}\t{}\n",
                    (c.started - first).as_secs_f64() * 1e3,
                    (c.finished - first).as_secs_f64() * 1e3,
                    printable(&c.key)
                )
            })
            .collect();
        if let Err(e) = std::fs::write(path, lines) {
            fail(&format!("cannot write {path}: {e}"));
        }
    }
}

/// A request key as one line of text: a request's path and headers come from a client
/// and may hold control characters.
fn printable(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(300)
        .collect()
}
