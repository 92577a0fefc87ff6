//! Seeds a running moto_server with the test scenario (tests/support/seed.rs) plus N
//! extra buckets, or the benchmarks' account at scale (`scale`: 100 buckets, 30
//! databases, 100 users, 50 queues, 20 ECS services), for benchmarks and for trying orr
//! against an emulator by hand:
//!
//!     cargo run --example seed_moto -- http://127.0.0.1:5000 [EXTRA_BUCKETS | scale]

#[path = "../tests/support/seed.rs"]
#[allow(dead_code)] // the organization seeds are bench_fleet's
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
    let size = args.next();
    let scale = size.as_deref() == Some("scale");
    let extra: usize = match size.as_deref() {
        None | Some("scale") => 0,
        Some(n) => n.parse().expect("EXTRA_BUCKETS is a number or `scale`"),
    };
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(Credentials::new("testing", "testing", None, None, "seed"))
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .load()
        .await;
    seed::whole_account(&sdk).await;
    seed::extra_buckets(&sdk, extra).await;
    if scale {
        let scale = seed::Scale::BENCHMARK;
        seed::at_scale(&sdk, scale).await;
        eprintln!("seeded {endpoint} (account {ACCOUNT}) with the test scenario and {scale:?}");
    } else {
        eprintln!(
            "seeded {endpoint} (account {ACCOUNT}) with the test scenario and {extra} extra buckets"
        );
    }
}
