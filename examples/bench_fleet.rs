//! End-to-end benchmarks against moto on loopback, through the fault proxy adding a
//! fixed latency to every call (BENCHMARKS.md has the method and the numbers):
//!
//!     cargo run --example bench_fleet -- scale   # one account seeded at scale
//!     cargo run --example bench_fleet -- org     # 20 member accounts, --org and shards
//!
//! RUNS (default 3) runs per configuration, the median reported; LATENCY_MS (default 50).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::proxy::{Call, FaultProxy, Faults};
use support::{isolated_env, seed, Moto};

/// moto answers these reads with HTTP 500 every time (MOTO.md): left out, so the
/// numbers measure orr and the latency, not a retried error.
const EXCLUDE: &str = "[selection]\nexclude = [\"config.conformance_pack\", \"ce.anomaly_detection\", \"backup.plan_exists\", \"elasticache.at_rest_encryption\", \"elasticache.in_transit_encryption\", \"elasticache.auth\", \"elasticache.automatic_failover\"]\n";

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let runs: usize = env_number("RUNS", 3);
    let latency = Duration::from_millis(env_number("LATENCY_MS", 50) as u64);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(config.path(), EXCLUDE).unwrap();
    match mode.as_str() {
        "scale" => scale(&runtime, config.path(), runs, latency),
        "org" => organization(&runtime, config.path(), runs, latency),
        _ => {
            eprintln!("usage: bench_fleet scale|org   (RUNS=3 LATENCY_MS=50)");
            std::process::exit(3)
        }
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The orr binary built beside this example.
fn orr_binary() -> PathBuf {
    let examples = std::env::current_exe().unwrap();
    examples.parent().unwrap().parent().unwrap().join("orr")
}

/// One `orr` run through the proxy: its wall time and exit code.
fn run_orr(config: &Path, endpoint: &str, args: &[&str]) -> (Duration, i32) {
    let started = Instant::now();
    let status = Command::new(orr_binary())
        .env_clear()
        .envs(isolated_env())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .arg("--config")
        .arg(config)
        .args(["audit", "--max-attempts", "1"])
        .args(args)
        .status()
        .expect("the orr binary runs");
    (started.elapsed(), status.code().unwrap_or(-1))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed(runs: usize, label: &str, mut run: impl FnMut() -> (Duration, i32)) -> Duration {
    let mut times = Vec::new();
    for n in 1..=runs {
        let (time, code) = run();
        assert!((0..=2).contains(&code), "{label}: orr exited {code}");
        println!("  {label} run {n}: {} ms", time.as_millis());
        times.push(time);
    }
    let median = median(times);
    println!("  {label} median: {} ms", median.as_millis());
    median
}

/// A call's name: the IAM action for REST protocols, else service:Operation.
fn name(call: &Call) -> String {
    if call.operation.contains(' ') {
        call.iam_action()
    } else {
        format!("{}:{}", call.service, call.operation)
    }
}

/// How many calls must come one after another before this one can be made: the
/// credential check, then what the inventory's declarations say (`accessors!`: each
/// piece's calls in order, after the pieces it reads first).
fn depth(name: &str) -> usize {
    if name == "sts:GetCallerIdentity" {
        return 1;
    }
    orr::inventory::named::all()
        .filter_map(|piece| piece.depth_of(name))
        .max()
        .unwrap_or(2)
}

/// The request without its pagination token: the pages of one listing share it.
fn listing(call: &Call) -> String {
    call.identity
        .split(['&', ',', '?'])
        .filter(|part| {
            ![
                "Marker=",
                "NextToken=",
                "\"NextToken\"",
                "\"nextToken\"",
                "continuation-token=",
                "nextToken=",
            ]
            .iter()
            .any(|token| part.contains(token))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The longest chain of calls that must follow one another: a call's depth, plus the
/// pages of its listing before it (each page needs the previous one's token).
fn critical_path(calls: &[Call]) -> usize {
    let mut pages: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for call in calls {
        let entry = pages
            .entry(listing(call))
            .or_insert((depth(&name(call)), 0));
        entry.1 += 1;
    }
    pages
        .values()
        .map(|(depth, pages)| depth + pages - 1)
        .max()
        .unwrap_or(0)
}

fn report_calls(calls: &[Call], latency: Duration, concurrency: usize, wall: Duration) {
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for call in calls {
        *by_name.entry(name(call)).or_default() += 1;
    }
    let mut sorted: Vec<_> = by_name.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("  calls: {} in one audit, by operation:", calls.len());
    for (name, count) in &sorted {
        println!("    {count:5}  {name}");
    }
    let served: Duration = calls.iter().map(|c| c.upstream).sum();
    let slowest = calls.iter().max_by_key(|c| c.upstream);
    println!(
        "  moto's own time: {} ms over all calls; slowest {} ({} ms)",
        served.as_millis(),
        slowest.map(name).unwrap_or_default(),
        slowest.map_or(0, |c| c.upstream.as_millis())
    );
    let iam = calls.iter().filter(|c| c.service == "iam").count();
    let chain = critical_path(calls);
    let chain_bound = latency * chain as u32;
    // With N calls in flight at most, the calls need this long however they are ordered
    // (IAM has its own bound of 4).
    let throughput_bound =
        (latency * calls.len() as u32 / concurrency as u32).max(latency * iam as u32 / 4);
    let bound = chain_bound.max(throughput_bound);
    println!(
        "  critical path: {chain} dependent calls = {} ms; throughput bound at {concurrency} in flight (IAM at 4): {} ms",
        chain_bound.as_millis(),
        throughput_bound.as_millis()
    );
    println!(
        "  wall / critical path = {:.2}; wall / max(critical path, throughput bound) = {:.2}",
        wall.as_secs_f64() / chain_bound.as_secs_f64(),
        wall.as_secs_f64() / bound.as_secs_f64()
    );
}

fn scale(runtime: &tokio::runtime::Runtime, config: &Path, runs: usize, latency: Duration) {
    let moto = Moto::start();
    let scale = seed::Scale::BENCHMARK;
    runtime.block_on(async {
        let sdk = moto.sdk_config().await;
        seed::whole_account(&sdk).await;
        seed::at_scale(&sdk, scale).await;
    });
    println!(
        "scale: one account, the test scenario plus {scale:?}; {} ms added to every call",
        latency.as_millis()
    );
    for concurrency in [16, 64] {
        let proxy = FaultProxy::start(
            &moto.endpoint,
            Faults {
                latency,
                ..Faults::default()
            },
        );
        let flag = concurrency.to_string();
        let label = format!("concurrency {concurrency}");
        let wall = timed(runs, &label, || {
            run_orr(
                config,
                &proxy.endpoint,
                &["--output", "none", "--concurrency", &flag],
            )
        });
        let calls = proxy.calls();
        let one_run: Vec<Call> = calls[..calls.len() / runs].to_vec();
        report_calls(&one_run, latency, concurrency, wall);
    }
}

fn organization(runtime: &tokio::runtime::Runtime, config: &Path, runs: usize, latency: Duration) {
    let moto = Moto::start();
    let names: Vec<String> = (1..=20).map(|n| format!("member-{n:02}")).collect();
    runtime.block_on(async {
        let sdk = moto.sdk_config().await;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let ids = seed::organization(&sdk, &refs).await;
        seed::mixed_buckets(&sdk, "mgmt", 4).await;
        for (n, id) in ids.iter().enumerate() {
            seed::mixed_buckets(
                &seed::member(&sdk, id).await,
                &format!("member-{n:02}"),
                4 + n % 5,
            )
            .await;
        }
    });
    let proxy = FaultProxy::start(
        &moto.endpoint,
        Faults {
            latency,
            ..Faults::default()
        },
    );
    println!(
        "org: management account + {} members, 4-8 buckets each, every check; {} ms added to every call; 16 calls in flight",
        names.len(),
        latency.as_millis()
    );
    for accounts in [1, 4, 16] {
        let flag = accounts.to_string();
        timed(
            runs,
            &format!("--org --account-concurrency {accounts}"),
            || {
                run_orr(
                    config,
                    &proxy.endpoint,
                    &["--org", "--output", "none", "--account-concurrency", &flag],
                )
            },
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut slowest = Vec::new();
    let mut merge_times = Vec::new();
    for run in 1..=runs {
        let mut shard_times = Vec::new();
        let mut parts = Vec::new();
        for k in 1..=4 {
            let path = dir.path().join(format!("shard-{k}.json"));
            let shard = format!("{k}/4");
            let export = path.to_str().unwrap().to_string();
            let (time, code) = run_orr(
                config,
                &proxy.endpoint,
                &[
                    "--org", "--shard", &shard, "--output", "none", "--export", &export,
                ],
            );
            assert!((0..=2).contains(&code), "shard {shard}: orr exited {code}");
            shard_times.push(time);
            parts.push(path);
        }
        let started = Instant::now();
        let status = Command::new(orr_binary())
            .arg("merge")
            .args(&parts)
            .args(["--output", "none", "--export"])
            .arg(dir.path().join("org.json"))
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0..=2)));
        let merge = started.elapsed();
        let longest = *shard_times.iter().max().unwrap();
        println!(
            "  4 shards run {run}: shards {} ms (each on its own runner: the longest is {} ms), merge {} ms",
            shard_times.iter().map(|t| t.as_millis().to_string()).collect::<Vec<_>>().join(" / "),
            longest.as_millis(),
            merge.as_millis()
        );
        slowest.push(longest + merge);
        merge_times.push(merge);
    }
    println!(
        "  4 shards median: longest shard + merge = {} ms (merge alone {} ms)",
        median(slowest).as_millis(),
        median(merge_times).as_millis()
    );
}
