#!/usr/bin/env bash
# Benchmark: a live audit of the benchmarks' account at scale (seed_moto `scale`) behind a
# loopback proxy that delays every call by a fixed latency, as the network to AWS does.
# For each latency, the audit at the default --concurrency 16, then at 256 (no request
# ever waits for a permit: the wall time then is the chain of dependent calls, the chain
# bound). Prints orr's wall time and the proxy's view: requests, requests in flight
# (mean, peak) and the throughput bound (summed call durations / 16).
# Usage: bench/latency.sh  (LATENCIES="40 100" RUNS=1 by default; ORR=path/to/orr to time
# another build of orr side by side, e.g. one built from an earlier commit)
set -euo pipefail
cd "$(dirname "$0")/.."
latencies=${LATENCIES:-40 100}
runs=${RUNS:-1}

cargo build -q --bin orr --example seed_moto --example latency_proxy
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# shellcheck source=bench/moto.sh
. bench/moto.sh
"$target/debug/examples/seed_moto" "$AWS_ENDPOINT_URL" scale
moto_url=$AWS_ENDPOINT_URL

# moto answers DescribeConformancePacks, GetAnomalyMonitors and ListBackupSelections with
# HTTP 500 every time, which the SDK retries with randomised backoff: leave those checks
# out and make one attempt per call, so the numbers measure orr, not retry backoff.
config="$work/orr.toml"
printf '[selection]\nexclude = ["config.conformance_pack", "ce.anomaly_detection", "backup.plan_exists"]\n' >"$config"

for latency in $latencies; do
    for concurrency in 16 256; do
        for run in $(seq "$runs"); do
            coproc PROXY { "$target/debug/examples/latency_proxy" "$moto_url" "$latency" "$concurrency"; }
            proxy_pid=$PROXY_PID
            read -r endpoint <&"${PROXY[0]}"
            start=$(date +%s%N)
            AWS_ENDPOINT_URL=$endpoint "${ORR:-$target/debug/orr}" --config "$config" audit --output none \
                --max-attempts 1 --concurrency "$concurrency" || [ $? -le 2 ]
            elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
            exec {PROXY[1]}>&-
            read -r stats <&"${PROXY[0]}"
            wait "$proxy_pid" || true
            echo "latency ${latency} ms, concurrency ${concurrency}, run ${run}: orr ${elapsed} ms; ${stats}"
        done
    done
done
