#!/usr/bin/env bash
# The benchmarks of BENCHMARKS.md that run the orr binary: the ~100,000-resource fleet
# audited end to end from a snapshot (wall time, peak memory), one account seeded at
# scale in moto behind a 50 ms proxy, and a 20-account organization (account
# concurrency 1, 4, 16; 4 shards merged). Optimised build (the bench profile).
# Usage: bench/fleet.sh   (RUNS=3 LATENCY_MS=50 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 3; }

cargo build -q --profile bench --bin orr --example fleet_snapshot --example bench_fleet
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== 1. the generated fleet audited end to end from a snapshot"
"$target/examples/fleet_snapshot" 92 "$work/fleet.json"
echo "snapshot: $(du -m "$work/fleet.json" | cut -f1) MB"
for run in $(seq "${RUNS:-3}"); do
    /usr/bin/time -f "audit, nothing written: run $run: %e s wall, %M KB peak RSS" \
        "$target/orr" audit --snapshot "$work/fleet.json" --output none || [ $? -le 2 ]
done
/usr/bin/time -f "audit with the JSON export: %e s wall, %M KB peak RSS" \
    "$target/orr" audit --snapshot "$work/fleet.json" --output none --export "$work/fleet-audit.json" || [ $? -le 2 ]
python3 - "$work/fleet-audit.json" <<'PY'
import json, sys
audit = json.load(open(sys.argv[1]))
findings = audit["findings"]
resources = {(f["account_id"], f["region"], f["resource_id"]) for f in findings}
print(f"{len(findings)} findings, {len(resources)} distinct resources, {len(audit['run']['accounts'])} accounts")
PY

echo "== 2. one account at scale in moto, ${LATENCY_MS:-50} ms per call"
"$target/examples/bench_fleet" scale

echo "== 3. an organization of 20 member accounts in moto, ${LATENCY_MS:-50} ms per call"
"$target/examples/bench_fleet" org
