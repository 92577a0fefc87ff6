//! Seeds a running moto_server with the test scenario (tests/support/seed.rs) plus N
//! extra buckets, for benchmarks and for trying orr against an emulator by hand:
//!
//!     cargo run --example seed_moto -- http://127.0.0.1:5000 [EXTRA_BUCKETS]

#[path = "../tests/support/seed.rs"]
#[allow(dead_code)] // the organization and scale seeds are bench_fleet's
mod seed;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::config::Credentials;

const ACCOUNT: &str = "123456789012";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let endpoint = args.next().unwrap_or_else(|| {
        eprintln!("usage: seed_moto ENDPOINT_URL [EXTRA_BUCKETS]");
        std::process::exit(3)
    });
    let extra: usize = args
        .next()
        .map_or(0, |n| n.parse().expect("EXTRA_BUCKETS is a number"));
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(Credentials::new("testing", "testing", None, None, "seed"))
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .load()
        .await;
    seed::whole_account(&sdk).await;
    seed::extra_buckets(&sdk, extra).await;
    eprintln!(
        "seeded {endpoint} (account {ACCOUNT}) with the test scenario and {extra} extra buckets"
    );
}
