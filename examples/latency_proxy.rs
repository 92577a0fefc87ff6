//! A loopback proxy in front of moto that delays every call by a fixed latency, as the
//! network to AWS does, for the latency benchmark (`bench/latency.sh`). It prints its
//! endpoint, serves until its standard input closes, then prints what it saw: requests,
//! wall time from the first request to the last answer, requests in flight (mean over
//! that time, and peak), and the throughput bound (the calls' summed durations over the
//! concurrency given).
//!
//!     cargo run --example latency_proxy -- http://127.0.0.1:5000 40 16

#[path = "../tests/support/proxy.rs"]
#[allow(dead_code)] // the fault-injection half is the tests'
mod proxy;

use std::io::{Read, Write};
use std::time::Duration;

use proxy::{FaultProxy, Faults};

/// The account the tests' proxy files the default credentials under.
const ACCOUNT: &str = "123456789012";

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(upstream), Some(latency)) = (args.next(), args.next()) else {
        eprintln!("usage: latency_proxy UPSTREAM_URL LATENCY_MS [CONCURRENCY]");
        std::process::exit(3)
    };
    let latency: u64 = latency.parse().expect("LATENCY_MS is a number");
    let concurrency: f64 = args.next().map_or(16.0, |c| c.parse().expect("a number"));
    let proxy = FaultProxy::start(
        &upstream,
        Faults {
            latency: Duration::from_millis(latency),
            ..Faults::default()
        },
    );
    println!("{}", proxy.endpoint);
    std::io::stdout().flush().unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());

    let calls = proxy.calls();
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
    // Requests in flight over time: +1 at each start, -1 at each answer.
    let mut events: Vec<(std::time::Instant, i32)> = calls
        .iter()
        .flat_map(|c| [(c.started, 1), (c.finished, -1)])
        .collect();
    events.sort();
    let (mut now, mut peak) = (0, 0);
    for (_, change) in events {
        now += change;
        peak = peak.max(now);
    }
    println!(
        "requests {}, wall {wall:.2} s, in flight mean {:.1} peak {peak}, throughput bound {:.2} s (summed durations {busy:.1} s / {concurrency})",
        calls.len(),
        busy / wall,
        busy / concurrency,
    );
}
