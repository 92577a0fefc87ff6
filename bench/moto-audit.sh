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

# shellcheck source=bench/moto.sh
. bench/moto.sh
"$target/debug/examples/seed_moto" "$AWS_ENDPOINT_URL" "$buckets"

# moto answers DescribeConformancePacks, GetAnomalyMonitors and ListBackupSelections
# with HTTP 500 every time, which the SDK retries with randomised backoff (seconds of
# every run): leave those checks out, and make one attempt per call (moto never
# throttles; DescribeServerlessCaches is a 500 too), so the numbers measure orr, not
# retry backoff.
config="$work/orr.toml"
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
