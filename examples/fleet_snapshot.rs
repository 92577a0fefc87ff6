//! Writes the benchmarks' generated fleet (benches/fleet_snapshot.rs) as a snapshot:
//!
//!     cargo run --example fleet_snapshot -- ACCOUNTS OUT.json

#[path = "../benches/fleet_snapshot.rs"]
mod fleet_snapshot;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(accounts), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: fleet_snapshot ACCOUNTS OUT.json");
        std::process::exit(3)
    };
    let accounts: usize = accounts.parse().unwrap_or_else(|_| {
        eprintln!("ACCOUNTS is a number");
        std::process::exit(3)
    });
    std::fs::write(&out, fleet_snapshot::fleet_json(accounts)).unwrap_or_else(|e| {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(3)
    });
}
