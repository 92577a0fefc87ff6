//! A generated fleet for benchmarks: the demo account's resources copied into every
//! commercial region of many accounts, as one many-account snapshot. Shared by the
//! criterion bench (benches/evaluate.rs) and `examples/fleet_snapshot.rs`, which writes
//! it to a file for the end-to-end run.

use serde_json::{json, Value};

const DEMO: &str = include_str!("../examples/demo-account.json");

/// The regions each account is copied into (commercial, enabled by default).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
];

/// The many-account snapshot text for `accounts` accounts.
pub fn fleet_json(accounts: usize) -> String {
    let demo: Value = serde_json::from_str(DEMO).expect("the demo snapshot is JSON");
    // The demo's busiest region, copied into each region of each account.
    let region = demo["regional"]["us-east-1"].clone();
    let members: Vec<Value> = (0..accounts)
        .map(|n| {
            let mut account = demo.clone();
            account["account_id"] = json!(format!("{:012}", 100_000_000_000u64 + n as u64));
            account["regions"] = json!(REGIONS);
            account["regional"] = REGIONS
                .iter()
                .map(|r| (r.to_string(), region.clone()))
                .collect::<serde_json::Map<_, _>>()
                .into();
            account
        })
        .collect();
    json!({
        "format": "orr-snapshot",
        "schema_version": 2,
        "tool_version": demo["tool_version"],
        "collected_by": { "account_id": "100000000000", "arn": null },
        "accounts": members,
    })
    .to_string()
}
