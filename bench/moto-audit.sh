#!/usr/bin/env bash
# Benchmark: wall time and peak RSS of `orr audit` against a seeded moto_server on
# loopback, with the AWS request bound at 1 and at the default 16. Prints each run, the
# medians and their ratio. Usage: bench/moto-audit.sh  (RUNS=5 BUCKETS=40 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
buckets=${BUCKETS:-40}

cargo build -q --bin orr --example seed_moto
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# As the tests start it: no default AMIs (whose snapshots moto lists as the account's
# own), ACM certificates issued at once.
MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_ACM_VALIDATION_WAIT=0 moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null' EXIT
for _ in $(seq 100); do
    (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.1
done

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
"$target/debug/examples/seed_moto" "$AWS_ENDPOINT_URL" "$buckets"

# moto answers DescribeConformancePacks, GetAnomalyMonitors and ListBackupSelections
# with HTTP 500 every time, which the SDK retries with randomised backoff (seconds of
# every run): leave those checks out, and make one attempt per call (moto never
# throttles; DescribeServerlessCaches is a 500 too), so the numbers measure orr, not
# retry backoff.
config=$(mktemp --suffix .toml)
trap 'kill $moto 2>/dev/null; rm -f "$config" "$config.rss"' EXIT
printf '[selection]\nexclude = ["config.conformance_pack", "ce.anomaly_detection", "backup.plan_exists"]\n' >"$config"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A medians
for concurrency in 1 16; do
    times=()
    for run in $(seq "$runs"); do
        start=$(date +%s%N)
        /usr/bin/time -o "$config.rss" -f %M "$target/debug/orr" --config "$config" audit --output none --max-attempts 1 --concurrency "$concurrency" || [ $? -le 2 ]
        elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
        times+=("$elapsed")
        echo "concurrency $concurrency run $run: ${elapsed} ms, peak RSS $(( $(tail -1 "$config.rss") / 1024 )) MiB"
    done
    medians[$concurrency]=$(printf '%s\n' "${times[@]}" | median)
    echo "concurrency $concurrency median: ${medians[$concurrency]} ms"
done
python3 -c "print(f'speed-up of concurrency 16 over 1: {${medians[1]} / ${medians[16]}:.2f}x')"
